package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
	_ "github.com/go-sql-driver/mysql" // registers the "mysql" driver
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Engine is a warehouse database of one dialect.
type Engine struct {
	DB      *sql.DB
	Dialect Dialect
}

// DefaultDuckDBFile is the embedded warehouse's file inside the data dir.
func DefaultDuckDBFile(dataDir string) string { return filepath.Join(dataDir, "warehouse.duckdb") }

// Open connects to a warehouse. dsn is a file path for duckdb ("" is an
// in-memory database), a URL or key=value string for postgres (add
// search_path=… to use a schema other than public), and a go-sql-driver
// DSN for mysql (user:pass@tcp(host:3306)/db).
func Open(ctx context.Context, dialect Dialect, dsn string) (*Engine, error) {
	var (
		db  *sql.DB
		err error
	)
	switch dialect {
	case DuckDB:
		return OpenDuckDB(dsn)
	case Postgres:
		db, err = sql.Open("pgx", dsn)
	case MySQL:
		db, err = sql.Open("mysql", dsn)
	default:
		return nil, fmt.Errorf("warehouse: unknown dialect %q", dialect)
	}
	if err != nil {
		return nil, fmt.Errorf("warehouse: open %s: %w", dialect, err)
	}
	db.SetMaxOpenConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("warehouse: connect to %s: %w", dialect, err)
	}
	return &Engine{DB: db, Dialect: dialect}, nil
}

// OpenDuckDB opens (or creates) the embedded warehouse file at path; ""
// opens a private in-memory database. External access (reading files and
// URLs from SQL) is switched off: rules and data APIs written by users run
// here, and the warehouse is loaded through Go, not through COPY.
func OpenDuckDB(path string) (*Engine, error) {
	db, err := sql.Open("duckdb", path+"?enable_external_access=false")
	if err != nil {
		return nil, fmt.Errorf("warehouse: open duckdb %q: %w", path, err)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("warehouse: open duckdb %q: %w", path, err)
	}
	return &Engine{DB: db, Dialect: DuckDB}, nil
}

// Close closes the pool (and, for DuckDB, the database file).
func (e *Engine) Close() error { return e.DB.Close() }

// Count returns the number of rows of a warehouse table.
func (e *Engine) Count(ctx context.Context, table string) (int64, error) {
	if _, ok := TableByName(table); !ok {
		return 0, fmt.Errorf("warehouse: unknown table %q", table)
	}
	var n int64
	if err := e.DB.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		return 0, fmt.Errorf("warehouse: count %s: %w", table, err)
	}
	return n, nil
}
