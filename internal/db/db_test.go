package db

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"
)

func TestRebind(t *testing.T) {
	pg := &DB{Dialect: Postgres}
	if got := pg.Rebind("SELECT a FROM t WHERE x = ? AND y IN (?, ?)"); got != "SELECT a FROM t WHERE x = $1 AND y IN ($2, $3)" {
		t.Fatalf("rebind: %s", got)
	}
	lite := &DB{Dialect: SQLite}
	if got := lite.Rebind("x = ?"); got != "x = ?" {
		t.Fatalf("sqlite rebind changed the query: %s", got)
	}
}

// TestMigrationsInStep: both dialects have the same migration files.
func TestMigrationsInStep(t *testing.T) {
	names := func(d string) []string {
		m, err := fs.Glob(migrations, "migrations/"+d+"/*.sql")
		if err != nil {
			t.Fatal(err)
		}
		for i := range m {
			m[i] = filepath.Base(m[i])
		}
		return m
	}
	a, b := names("sqlite"), names("postgres")
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("sqlite %v, postgres %v", a, b)
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("migration %d: %s vs %s", i, a[i], b[i])
		}
	}
}

func TestWithTxRollsBack(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, SQLite, filepath.Join(t.TempDir(), "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(ctx, "CREATE TABLE t (v INTEGER)"); err != nil {
		t.Fatal(err)
	}
	boom := context.Canceled
	err = d.WithTx(ctx, func(ctx context.Context) error {
		if _, err := d.Exec(ctx, "INSERT INTO t VALUES (1)"); err != nil {
			return err
		}
		return d.WithTx(ctx, func(ctx context.Context) error { return boom }) // nested joins the outer
	})
	if err != boom {
		t.Fatalf("err %v", err)
	}
	var n int
	d.QueryRow(ctx, "SELECT COUNT(*) FROM t").Scan(&n)
	if n != 0 {
		t.Fatalf("rolled-back insert visible: %d rows", n)
	}
}
