// Package testutil gives tests a fresh xietong per test, on every metadata
// dialect available: SQLite always, PostgreSQL when XIETONG_TEST_POSTGRES
// holds a DSN (each test gets its own schema, dropped afterwards).
package testutil

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/xietong/xietong/internal/config"
	"github.com/xietong/xietong/internal/gm"
)

// BootstrapPassword is the first password of the three admins in tests.
const BootstrapPassword = "Bootstrap#2026-xt"

// Dialect is one metadata database a test runs on.
type Dialect struct {
	Name string // "sqlite" or "postgres"
	dsn  string
}

var pgNotice sync.Once

// Dialects lists the dialects to run on. Without XIETONG_TEST_POSTGRES it
// prints, once, that PostgreSQL is skipped; in CI (CI=true) that is an error.
func Dialects(t testing.TB) []Dialect {
	out := []Dialect{{Name: "sqlite"}}
	if dsn := os.Getenv("XIETONG_TEST_POSTGRES"); dsn != "" {
		out = append(out, Dialect{Name: "postgres", dsn: dsn})
	} else if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but XIETONG_TEST_POSTGRES is not set: the PostgreSQL suite would be skipped")
	} else {
		pgNotice.Do(func() { fmt.Println("NOTICE: XIETONG_TEST_POSTGRES not set; PostgreSQL runs of the suite are skipped") })
	}
	return out
}

// ForEachDialect runs fn as a subtest per dialect.
func ForEachDialect(t *testing.T, fn func(t *testing.T, d Dialect)) {
	for _, d := range Dialects(t) {
		t.Run(d.Name, func(t *testing.T) { fn(t, d) })
	}
}

// Config gives a configuration on a fresh database of dialect d.
func Config(t testing.TB, d Dialect) *config.Config {
	t.Helper()
	cfg, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DataDir = t.TempDir()
	cfg.BootstrapPassword = BootstrapPassword
	cfg.PasswordIterations = 10000 // the lowest the config accepts: keeps the suite fast
	cfg.Listen = "127.0.0.1:0"
	cfg.DBDriver = d.Name
	if d.Name == "postgres" {
		cfg.DBDSN = freshSchema(t, d.dsn)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// freshSchema creates a schema for this test and returns a DSN using it.
func freshSchema(t testing.TB, dsn string) string {
	t.Helper()
	schema := "t_" + strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(gm.Token(9)))
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("postgres at XIETONG_TEST_POSTGRES: %v", err)
	}
	t.Cleanup(func() {
		c, err := sql.Open("pgx", dsn)
		if err == nil {
			_, _ = c.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			c.Close()
		}
	})
	return WithSearchPath(dsn, schema)
}

// WithSearchPath adds search_path to a URL or keyword/value DSN.
func WithSearchPath(dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err == nil {
			q := u.Query()
			q.Set("search_path", schema)
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return dsn + " search_path=" + schema
}

// Logger discards logs unless XIETONG_TEST_LOG is set.
func Logger() *slog.Logger {
	if os.Getenv("XIETONG_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
