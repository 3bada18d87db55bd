// Package bizdb puts a bureau's business table (ac01) on the real
// PostgreSQL and MariaDB for data-API tests and benchmarks. It imports
// nothing of the application, so any package's tests can use it.
package bizdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib" // the pgx driver

	"github.com/xietong/xietong/internal/ident"
)

// Person is a row of the business table ac01 (参保人员基本信息) the data-API
// tests publish: 个人编号, 公民身份号码, 姓名, 联系电话, 参保地行政区划.
type Person struct {
	AAC001 int64
	AAC002 string
	AAC003 string
	AAE005 string
	AAB301 string
}

// Persons are the rows every business fixture holds.
func Persons(n int) []Person {
	names := []string{"张三", "李四", "王五", "赵六", "钱七", "孙八", "周九", "吴十"}
	out := make([]Person, n)
	for i := range out {
		id, _ := ident.CompleteID(fmt.Sprintf("320602%04d%02d%02d%03d", 1950+i%50, 1+i%12, 1+i%28, i%1000))
		out[i] = Person{AAC001: int64(1000 + i), AAC002: id, AAC003: names[i%len(names)], AAE005: fmt.Sprintf("138%08d", i), AAB301: "3206" + strconv.Itoa(2+i%3) + "0"}
	}
	return out
}

// DB is a bureau database holding ac01, for a data source to point at.
type DB struct {
	Kind     string // postgres | mariadb
	Host     string
	Port     int
	Database string
	User     string
	Password string
	Options  map[string]string
	// Table is the qualified name of ac01 to write in templates.
	Table   string
	Persons []Person
	DB      *sql.DB // an administrative handle for the test itself
}

var businessNotice sync.Map

func needService(t testing.TB, env, what string) string {
	v := os.Getenv(env)
	if v == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is not set: the %s suite would be skipped", env, what)
		}
		if _, done := businessNotice.LoadOrStore(env, true); !done {
			fmt.Printf("NOTICE: %s not set; %s tests are skipped\n", env, what)
		}
		t.Skipf("%s not set", env)
	}
	return v
}

// Postgres puts ac01 with n persons in a fresh schema of the
// PostgreSQL named by XIETONG_TEST_POSTGRES.
func Postgres(t testing.TB, n int) *DB {
	dsn := needService(t, "XIETONG_TEST_POSTGRES", "PostgreSQL")
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	schema := "xt_biz_" + suffix()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	b := &DB{Kind: "postgres", Host: u.Hostname(), Database: u.Path[1:], User: u.User.Username(), Options: map[string]string{"sslmode": "disable"},
		Table: schema + ".ac01", Persons: Persons(n), DB: admin}
	b.Port, _ = strconv.Atoi(u.Port())
	b.Password, _ = u.User.Password()
	b.fill(t, "CREATE SCHEMA "+schema, "$%d")
	return b
}

// MariaDB puts ac01 with n persons in a fresh database of the
// MariaDB named by XIETONG_TEST_MARIADB (a go-sql-driver DSN such as
// root@tcp(127.0.0.1:3306)/).
func MariaDB(t testing.TB, n int) *DB {
	dsn := needService(t, "XIETONG_TEST_MARIADB", "MariaDB")
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	name := "xt_biz_" + suffix()
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE " + name)
		admin.Close()
	})
	host, port := "127.0.0.1", 3306
	if h, p, ok := splitHostPort(cfg.Addr); ok {
		host, port = h, p
	}
	b := &DB{Kind: "mariadb", Host: host, Port: port, Database: name, User: cfg.User, Password: cfg.Passwd, Options: map[string]string{},
		Table: name + ".ac01", Persons: Persons(n), DB: admin}
	b.fill(t, "CREATE DATABASE "+name+" CHARACTER SET utf8mb4", "?")
	return b
}

func splitHostPort(addr string) (string, int, bool) {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			p, err := strconv.Atoi(addr[i+1:])
			return addr[:i], p, err == nil
		}
	}
	return "", 0, false
}

// fill creates the container, the table and the rows; ph formats the
// driver's placeholder for a 1-based position ("$%d" or "?").
func (b *DB) fill(t testing.TB, create, ph string) {
	ctx := context.Background()
	stmts := []string{create, `CREATE TABLE ` + b.Table + ` (
		aac001 BIGINT PRIMARY KEY,
		aac002 VARCHAR(18) NOT NULL,
		aac003 VARCHAR(50) NOT NULL,
		aae005 VARCHAR(20) NOT NULL,
		aab301 VARCHAR(6) NOT NULL,
		aac004 VARCHAR(1) NOT NULL DEFAULT '1',
		salary DECIMAL(12, 2) NOT NULL DEFAULT 5000.00)`,
		`CREATE INDEX ac01_aac002 ON ` + b.Table + ` (aac002)`}
	for _, s := range stmts {
		if _, err := b.DB.ExecContext(ctx, s); err != nil {
			t.Fatalf("business fixture: %s: %v", s, err)
		}
	}
	p := func(i int) string {
		if ph == "?" {
			return "?"
		}
		return fmt.Sprintf(ph, i)
	}
	ins := fmt.Sprintf("INSERT INTO %s (aac001, aac002, aac003, aae005, aab301) VALUES (%s, %s, %s, %s, %s)", b.Table, p(1), p(2), p(3), p(4), p(5))
	tx, err := b.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range b.Persons {
		if _, err := tx.ExecContext(ctx, ins, x.AAC001, x.AAC002, x.AAC003, x.AAE005, x.AAB301); err != nil {
			t.Fatalf("business fixture: insert: %v", err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// SourceInput is the console's body creating a data source on b.
func (b *DB) SourceInput(code string) map[string]any {
	return map[string]any{"code": code, "name": "业务库 " + code, "kind": b.Kind, "host": b.Host, "port": b.Port, "database": b.Database,
		"username": b.User, "password": b.Password, "options": b.Options}
}

// suffix names a fixture's schema or database: lower-case hex, safe unquoted.
func suffix() string {
	b := make([]byte, 5)
	rand.Read(b)
	return hex.EncodeToString(b)
}
