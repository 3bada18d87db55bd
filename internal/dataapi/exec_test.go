package dataapi

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/dataapi/sqltpl"
	"github.com/xietong/xietong/internal/datasource/connect"
	"github.com/xietong/xietong/internal/testutil/bizdb"
)

func openPool(t *testing.T, b *bizdb.DB) *pool {
	t.Helper()
	db, dialect, err := connect.OpenSQL(connect.Target{Kind: b.Kind, Host: b.Host, Port: b.Port, Database: b.Database, Username: b.User, Password: b.Password, Options: b.Options})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &pool{db: db, dialect: sqltpl.Dialect(dialect), kind: b.Kind, code: "biz"}
}

// TestReadOnlyAndTimeout shows the database-side defences behind the
// template checks: even a statement the parser never sees (built here by
// hand) cannot write, and a slow one is stopped at the statement timeout.
func TestReadOnlyAndTimeout(t *testing.T) {
	fixtures := map[string]func(testing.TB, int) *bizdb.DB{"postgres": bizdb.Postgres, "mariadb": bizdb.MariaDB}
	sleeps := map[string]string{"postgres": "SELECT pg_sleep(5)", "mariadb": "SELECT SLEEP(5)"}
	ph := map[string]string{"postgres": "$1", "mariadb": "?"}
	for kind, open := range fixtures {
		t.Run(kind, func(t *testing.T) {
			b := open(t, 3)
			p := openPool(t, b)
			ctx := context.Background()
			for _, stmt := range []string{
				"UPDATE " + b.Table + " SET aac003 = 'x'",
				"DELETE FROM " + b.Table,
				"INSERT INTO " + b.Table + " (aac001, aac002, aac003, aae005, aab301) VALUES (1, 'a', 'b', 'c', 'd')",
				"CREATE TABLE " + b.Table + "_copy (x INT)",
			} {
				_, err := p.run(ctx, &sqltpl.Query{SQL: stmt}, 2*time.Second, 10)
				var qe *queryError
				if !errors.As(err, &qe) {
					t.Fatalf("%s: %v, want a refused query", stmt, err)
				}
			}
			var n int
			if err := b.DB.QueryRow("SELECT COUNT(*) FROM " + b.Table + " WHERE aac003 <> 'x'").Scan(&n); err != nil || n != 3 {
				t.Fatalf("rows changed: %d, %v", n, err)
			}

			start := time.Now()
			_, err := p.run(ctx, &sqltpl.Query{SQL: sleeps[kind]}, 300*time.Millisecond, 10)
			if !errors.Is(err, errTimeout) {
				t.Fatalf("slow statement: %v, want the timeout", err)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Fatalf("the timeout took %v", d)
			}
			// The pool is still usable after a timeout, and bound values stay values.
			rs, err := p.run(ctx, &sqltpl.Query{SQL: "SELECT aac003 FROM " + b.Table + " WHERE aac002 = " + ph[kind], Args: []any{"x' OR '1'='1"}}, time.Second, 10)
			if err != nil || len(rs.rows) != 0 {
				t.Fatalf("after a timeout: %v, %v", rs, err)
			}
			rs, err = p.run(ctx, &sqltpl.Query{SQL: "SELECT aac003, salary FROM " + b.Table + " WHERE aac002 = " + ph[kind], Args: []any{b.Persons[1].AAC002}}, time.Second, 10)
			if err != nil || len(rs.rows) != 1 || rs.rows[0][0] != b.Persons[1].AAC003 {
				t.Fatalf("lookup: %+v, %v", rs, err)
			}
		})
	}
}
