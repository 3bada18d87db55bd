// Package db opens the metadata database (SQLite by default, PostgreSQL in
// production), applies migrations, and carries transactions in the context.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Dialect names the SQL flavour of the metadata store.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is the metadata database. Queries are written with `?` placeholders and
// rebound for PostgreSQL, so each store has one SQL text per statement.
type DB struct {
	sql     *sql.DB
	Dialect Dialect
}

// Open connects and pings. For SQLite, dsn is a file path; WAL, foreign keys,
// a busy timeout and immediate transactions (one writer at a time, no
// upgrade deadlocks) are always set.
func Open(ctx context.Context, dialect Dialect, dsn string) (*DB, error) {
	var (
		raw *sql.DB
		err error
	)
	switch dialect {
	case SQLite:
		uri := "file:" + dsn + "?_txlock=immediate&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)"
		raw, err = sql.Open("sqlite", uri)
		if err == nil {
			raw.SetMaxOpenConns(8)
		}
	case Postgres:
		raw, err = sql.Open("pgx", dsn)
		if err == nil {
			raw.SetMaxOpenConns(20)
			raw.SetConnMaxIdleTime(5 * time.Minute)
		}
	default:
		return nil, fmt.Errorf("db: unknown dialect %q (want sqlite or postgres)", dialect)
	}
	if err != nil {
		return nil, fmt.Errorf("db: open %s: %w", dialect, err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := raw.PingContext(pingCtx); err != nil {
		raw.Close()
		return nil, fmt.Errorf("db: connect to %s: %w", dialect, err)
	}
	return &DB{sql: raw, Dialect: dialect}, nil
}

// Close closes the pool.
func (d *DB) Close() error { return d.sql.Close() }

// Ping checks the connection (used by /readyz).
func (d *DB) Ping(ctx context.Context) error { return d.sql.PingContext(ctx) }

// Raw gives the *sql.DB to migrations and tests that need it.
func (d *DB) Raw() *sql.DB { return d.sql }

type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type txKey struct{}

// WithTx runs fn in a transaction carried by the context; stores called with
// that context join it. A nested call joins the outer transaction.
func (d *DB) WithTx(ctx context.Context, fn func(ctx context.Context) error) (err error) {
	if _, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return fn(ctx)
	}
	tx, err := d.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(context.WithValue(ctx, txKey{}, tx)); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

// InTx reports whether ctx carries a transaction.
func InTx(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*sql.Tx)
	return ok
}

func (d *DB) q(ctx context.Context) querier {
	if tx, ok := ctx.Value(txKey{}).(*sql.Tx); ok {
		return tx
	}
	return d.sql
}

// Exec runs a statement in the context's transaction, if any.
func (d *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return d.q(ctx).ExecContext(ctx, d.Rebind(query), args...)
}

// Query runs a query in the context's transaction, if any.
func (d *DB) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return d.q(ctx).QueryContext(ctx, d.Rebind(query), args...)
}

// QueryRow runs a single-row query in the context's transaction, if any.
func (d *DB) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return d.q(ctx).QueryRowContext(ctx, d.Rebind(query), args...)
}

// InsertID runs an INSERT … RETURNING id and gives the new id.
func (d *DB) InsertID(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := d.QueryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

// Rebind turns `?` placeholders into `$1…$n` for PostgreSQL. Statements in
// this code base never hold a literal question mark.
func (d *DB) Rebind(query string) string {
	if d.Dialect != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// Placeholders gives "?, ?, ?" for n values (an IN list).
func Placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// ErrNotFound is returned by stores when a row does not exist.
var ErrNotFound = errors.New("not found")

// NotFound maps sql.ErrNoRows to ErrNotFound.
func NotFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either dialect, so services can answer 409 instead of 500.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// IsForeignKeyViolation reports a foreign-key failure on either dialect.
func IsForeignKeyViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "FOREIGN KEY constraint failed") || strings.Contains(s, "SQLSTATE 23503")
}

// Now is the current time in UTC at microsecond precision, which both
// dialects store without loss (the audit hash depends on a lossless round trip).
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Scanner is a *sql.Row or *sql.Rows.
type Scanner interface{ Scan(dest ...any) error }

// All runs a query and scans every row with scan.
func All[T any](ctx context.Context, d *DB, scan func(Scanner) (*T, error), query string, args ...any) ([]*T, error) {
	rows, err := d.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// likeEscaper neutralises LIKE wildcards in a user's text; statements using
// Contains or Prefix declare ESCAPE '\'.
var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// Contains is a LIKE pattern matching values that contain s.
func Contains(s string) string { return "%" + likeEscaper.Replace(s) + "%" }

// Prefix is a LIKE pattern matching values that start with s.
func Prefix(s string) string { return likeEscaper.Replace(s) + "%" }

// HasSubstring is a condition that column holds the bound text as is (no
// pattern characters, no case folding): a plain substring search, cheaper
// than LIKE on both dialects. The caller binds the text.
func (d *DB) HasSubstring(column string) string {
	if d.Dialect == Postgres {
		return "strpos(" + column + ", ?) > 0"
	}
	return "instr(" + column + ", ?) > 0"
}
