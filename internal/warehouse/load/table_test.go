package load

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/xietong/xietong/internal/datasource/connect"
	"github.com/xietong/xietong/internal/warehouse"
	"github.com/xietong/xietong/internal/warehouse/whtest"
)

// sourceRows inserts death records n..m-1 stamped at base+i hours.
func sourceRows(t *testing.T, db *sql.DB, ph func(int) string, table string, from, to int, base time.Time) {
	t.Helper()
	for i := from; i < to; i++ {
		aac002 := id("19300101", i)
		if i == 3 {
			aac002 = badID("19300101", i) // a bad row: reported, the watermark still passes it
		}
		_, err := db.Exec("INSERT INTO "+table+" (AAC002, aac003, death_date, source, updated_at, note) VALUES ("+
			ph(1)+", "+ph(2)+", "+ph(3)+", "+ph(4)+", "+ph(5)+", "+ph(6)+")",
			aac002, "逝者"+strconv.Itoa(i), "2024-01-0"+strconv.Itoa(1+i%9), "民政", base.Add(time.Duration(i)*time.Hour), "x")
		if err != nil {
			t.Fatal(err)
		}
	}
}

// incremental loads twice from src and checks the second load reads only
// the new rows.
func incremental(t *testing.T, e *warehouse.Engine, src Source, add func(from, to int)) {
	t.Helper()
	ctx := context.Background()
	add(0, 5)
	rep, err := Table(ctx, e, src, Options{Table: "death"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Read != 5 || rep.Loaded != 4 || rep.Bad != 1 || rep.BadRows[0].Reason != "id" || rep.BadRows[0].Line != 5 || rep.Watermark == "" {
		t.Fatalf("first load: %+v", rep)
	}
	first := rep.Watermark
	add(5, 8)
	rep, err = Table(ctx, e, src, Options{Table: "death"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Read != 3 || rep.Loaded != 3 || rep.Bad != 0 || rep.Watermark <= first {
		t.Fatalf("second load: %+v (first watermark %s)", rep, first)
	}
	if n := count(t, e, "death"); n != 7 {
		t.Fatalf("%d rows, want 7", n)
	}
	got, ok, err := Watermark(ctx, e, src.Name, src.Table, "death")
	if err != nil || !ok || got != rep.Watermark {
		t.Fatalf("stored watermark %q %v %v, want %q", got, ok, err, rep.Watermark)
	}
	rep, err = Table(ctx, e, src, Options{Table: "death"})
	if err != nil || rep.Read != 0 || rep.Watermark != got {
		t.Fatalf("third load: %v %+v", err, rep)
	}
	// A cancelled load neither loads nor advances.
	add(8, 10)
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := Table(cctx, e, src, Options{Table: "death"}); err == nil {
		t.Fatal("cancelled load succeeded")
	}
	if again, _, _ := Watermark(ctx, e, src.Name, src.Table, "death"); again != got || count(t, e, "death") != 7 {
		t.Fatalf("cancelled load moved the watermark to %q", again)
	}
	// Names are validated, never pasted.
	bad := src
	bad.Table = "t; DROP TABLE death"
	if _, err := Table(ctx, e, bad, Options{Table: "death"}); err == nil || !strings.Contains(err.Error(), "invalid name") {
		t.Fatalf("bad name: %v", err)
	}
}

func TestTableIncrementalSQLite(t *testing.T) {
	forEngines(t, func(t *testing.T, e *warehouse.Engine) {
		path := filepath.Join(t.TempDir(), "src.db")
		w, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		if _, err := w.Exec(`CREATE TABLE "Deaths" (AAC002 TEXT, aac003 TEXT, death_date TEXT, source TEXT, updated_at DATETIME, note TEXT)`); err != nil {
			t.Fatal(err)
		}
		db, dialect, err := connect.OpenSQL(connect.Target{Kind: "sqlite", Options: map[string]string{connect.OptPath: path}})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		base := time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)
		incremental(t, e, Source{Name: "ds-sqlite", DB: db, Dialect: dialect, Table: "Deaths", Watermark: "updated_at"},
			func(from, to int) { sourceRows(t, w, func(int) string { return "?" }, `"Deaths"`, from, to, base) })
	})
}

func TestTableIncrementalPostgres(t *testing.T) {
	dsn := os.Getenv(whtest.EnvPostgres)
	if dsn == "" {
		whtest.Postgres(t) // skips with the usual notice (fails under CI=true)
		return
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := "xt_src_" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	defer admin.Exec("DROP SCHEMA " + schema + " CASCADE")
	table := schema + ".deaths"
	if _, err := admin.Exec("CREATE TABLE " + table + " (aac002 TEXT, aac003 TEXT, death_date DATE, source TEXT, updated_at TIMESTAMPTZ, note TEXT)"); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(dsn)
	port, _ := strconv.Atoi(u.Port())
	pw, _ := u.User.Password()
	target := connect.Target{Kind: "postgres", Host: u.Hostname(), Port: port, Database: strings.TrimPrefix(u.Path, "/"),
		Username: u.User.Username(), Password: pw, Options: map[string]string{connect.OptSSLMode: u.Query().Get("sslmode")}}
	db, dialect, err := connect.OpenSQL(target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	forEngines(t, func(t *testing.T, e *warehouse.Engine) {
		admin.Exec("DELETE FROM " + table)
		base := time.Date(2024, 6, 1, 8, 0, 0, 123456000, time.UTC)
		incremental(t, e, Source{Name: "ds-pg", DB: db, Dialect: dialect, Table: table, Watermark: "updated_at"},
			func(from, to int) {
				sourceRows(t, admin, func(n int) string { return "$" + strconv.Itoa(n) }, table, from, to, base)
			})
	})
}
