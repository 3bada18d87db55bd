package connect

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

// makeDB creates a database file with one table through a read-write
// handle of the driver, then closes it.
func makeDB(t *testing.T, driver, path string) {
	t.Helper()
	db, err := sql.Open(driver, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range []string{"CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR)", "INSERT INTO items VALUES (1, '张三')"} {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestProbeFileDatabases(t *testing.T) {
	for _, kind := range []string{"sqlite", "duckdb"} {
		t.Run(kind, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "data."+kind)
			makeDB(t, kind, path)
			tg := Target{Kind: kind, Options: map[string]string{"path": path}}

			res := probe(t, tg)
			wantOK(t, res)
			if got := stepNames(res); got != "connect query" {
				t.Errorf("steps = %s", got)
			}

			missing := Target{Kind: kind, Options: map[string]string{"path": filepath.Join(dir, "missing.db")}}
			wantFail(t, probe(t, missing), "connect", CodePathMissing)
			if _, err := os.Stat(missing.Options["path"]); err == nil {
				t.Error("probing a missing file created it")
			}

			notDB := filepath.Join(dir, "notes.txt")
			if err := os.WriteFile(notDB, []byte("this is not a database file at all"), 0o644); err != nil {
				t.Fatal(err)
			}
			wantFail(t, probe(t, Target{Kind: kind, Options: map[string]string{"path": notDB}}), "connect", CodeBadFile)
			wantFail(t, probe(t, Target{Kind: kind, Options: map[string]string{"path": dir}}), "connect", CodeBadFile)

			// Writing through the handle OpenSQL gives fails; reading works.
			db, dialect, err := OpenSQL(tg)
			if err != nil || dialect != kind {
				t.Fatalf("OpenSQL: %v %s", err, dialect)
			}
			defer db.Close()
			ctx := context.Background()
			var n int
			if err := db.QueryRowContext(ctx, "SELECT count(*) FROM items").Scan(&n); err != nil || n != 1 {
				t.Fatalf("read: %d %v", n, err)
			}
			for _, s := range []string{"INSERT INTO items VALUES (2, 'x')", "CREATE TABLE t2 (x INTEGER)", "DELETE FROM items"} {
				if _, err := db.ExecContext(ctx, s); err == nil {
					t.Errorf("%s through the read-only handle succeeded", s)
				}
			}
			if kind == "duckdb" {
				// External access is off: SQL cannot read other local files.
				if _, err := db.ExecContext(ctx, "SELECT * FROM read_csv('"+notDB+"')"); err == nil {
					t.Error("read_csv of a local file succeeded through the source handle")
				}
			}
		})
	}
}
