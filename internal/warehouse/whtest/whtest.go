// Package whtest gives tests a fresh warehouse on each engine: an
// in-memory DuckDB, a fresh schema of the PostgreSQL named by
// XIETONG_TEST_POSTGRES, a fresh database of the MariaDB named by
// XIETONG_TEST_MARIADB. Without the variable the test is skipped with a
// notice; with CI=true it fails instead, so CI never skips a suite silently.
package whtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/xietong/xietong/internal/warehouse"
)

// Environment variables naming the servers.
const (
	EnvPostgres = "XIETONG_TEST_POSTGRES" // e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable
	EnvMariaDB  = "XIETONG_TEST_MARIADB"  // e.g. root@tcp(127.0.0.1:3306)/
)

var notice sync.Map // env → printed

func need(t testing.TB, env, what string) string {
	t.Helper()
	v := os.Getenv(env)
	if v == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is not set: the %s warehouse suite would be skipped", env, what)
		}
		if _, done := notice.LoadOrStore(env, true); !done {
			fmt.Printf("NOTICE: %s not set; %s warehouse tests are skipped\n", env, what)
		}
		t.Skipf("%s not set", env)
	}
	return v
}

// Engines lists the dialects a test may ask for.
var Engines = []warehouse.Dialect{warehouse.DuckDB, warehouse.Postgres, warehouse.MySQL}

// Open returns an empty warehouse database of the dialect (no tables yet),
// removed on cleanup.
func Open(t testing.TB, d warehouse.Dialect) *warehouse.Engine {
	t.Helper()
	switch d {
	case warehouse.Postgres:
		return Postgres(t)
	case warehouse.MySQL:
		return MariaDB(t)
	}
	e, err := warehouse.OpenDuckDB("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// Postgres opens a fresh schema (search_path set in the DSN).
func Postgres(t testing.TB) *warehouse.Engine {
	t.Helper()
	dsn := need(t, EnvPostgres, "PostgreSQL")
	schema := "xt_wh_" + suffix()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	e, err := warehouse.Open(context.Background(), warehouse.Postgres, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		e.Close()
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	return e
}

// MariaDB opens a fresh database.
func MariaDB(t testing.TB) *warehouse.Engine {
	t.Helper()
	dsn := need(t, EnvMariaDB, "MariaDB")
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	name := "xt_wh_" + suffix()
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4"); err != nil {
		admin.Close()
		t.Fatalf("create database: %v", err)
	}
	cfg.DBName = name
	cfg.ParseTime = true
	e, err := warehouse.Open(context.Background(), warehouse.MySQL, cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		e.Close()
		admin.Exec("DROP DATABASE " + name)
		admin.Close()
	})
	return e
}

func suffix() string {
	b := make([]byte, 5)
	rand.Read(b)
	return hex.EncodeToString(b)
}
