package connect

import (
	"crypto/tls"
	"crypto/x509"
	"database/sql"
	"fmt"
	"math"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "github.com/microsoft/go-mssqldb" // registers "sqlserver"
	_ "github.com/sijms/go-ora/v2"      // registers "oracle"
	_ "modernc.org/sqlite"              // registers "sqlite"
)

// OpenSQL opens a *sql.DB for a SQL-family target. The DSN is built from
// the drivers' config structs or url.URL, never by pasting user values into
// a string, so a password with '@', '/', '?' or a quote cannot change its
// meaning. The handle is read-only where the driver allows it
// (postgres: default_transaction_read_only; sqlite: mode=ro + query_only;
// duckdb: access_mode=READ_ONLY); for mysql, oracle and sqlserver the caller
// must use read-only transactions. Multi-statement execution is off and
// connecting is bounded by the target's timeout. The caller sets the pool.
// OpenSQL does not contact the server, except duckdb, which opens its file
// here.
func OpenSQL(t Target) (*sql.DB, string, error) {
	k, ok := Lookup(t.Kind)
	if !ok {
		return nil, "", fmt.Errorf("%w: unknown kind %q", errBadTarget, t.Kind)
	}
	if k.Family != FamilySQL {
		return nil, "", fmt.Errorf("%w: kind %q is not a database", errBadTarget, t.Kind)
	}
	if f := t.check(k); f != nil {
		return nil, "", fmt.Errorf("%w: %s", errBadTarget, f.en)
	}
	var (
		db  *sql.DB
		err error
	)
	switch k.Dialect {
	case DialectPostgres:
		db, err = openPostgres(t, k)
	case DialectMySQL:
		db, err = openMySQL(t, k)
	case DialectSQLite:
		db, err = openSQLite(t)
	case DialectDuckDB:
		db, err = openDuckDB(t)
	case DialectOracle:
		db, err = openOracle(t, k)
	case DialectSQLServer:
		db, err = openSQLServer(t, k)
	default:
		err = fmt.Errorf("%w: no opener for dialect %q", errBadTarget, k.Dialect)
	}
	if err != nil {
		return nil, "", err
	}
	return db, k.Dialect, nil
}

// seconds rounds a timeout up to whole seconds, the unit most drivers take.
func seconds(d time.Duration) int {
	return int(math.Ceil(d.Seconds()))
}

func openPostgres(t Target, k Kind) (*sql.DB, error) {
	q := url.Values{}
	q.Set("sslmode", "prefer")
	if m := t.opt(OptSSLMode); m != "" {
		q.Set("sslmode", m)
	}
	q.Set("connect_timeout", strconv.Itoa(seconds(t.timeout())))
	u := url.URL{
		Scheme:   "postgres",
		User:     url.UserPassword(t.Username, t.Password),
		Host:     t.address(k),
		Path:     "/" + t.Database,
		RawQuery: q.Encode(),
	}
	cfg, err := pgx.ParseConfig(u.String())
	if err != nil {
		// The parse error may quote the connection string: do not wrap it.
		return nil, fmt.Errorf("%w: invalid postgres settings (check sslmode)", errBadTarget)
	}
	// ParseConfig fills an empty password from the server process's
	// ~/.pgpass or PGPASSWORD; a registered source must never borrow those.
	cfg.Password = t.Password
	if pool, err := t.rootCAs(); err != nil {
		return nil, err
	} else if pool != nil {
		setRootCAs(cfg.TLSConfig, pool)
		for _, fb := range cfg.Fallbacks {
			setRootCAs(fb.TLSConfig, pool)
		}
	}
	// Every transaction on this handle is read-only unless the caller
	// explicitly starts a read-write one, which it never does for sources.
	cfg.RuntimeParams["default_transaction_read_only"] = "on"
	cfg.RuntimeParams["application_name"] = "xietong"
	return stdlib.OpenDB(*cfg), nil
}

// setRootCAs trusts pool for a TLS config pgx built from sslmode; nil
// configs (sslmode=disable, or the plain-text fallback of prefer) stay nil.
func setRootCAs(c *tls.Config, pool *x509.CertPool) {
	if c != nil {
		c.RootCAs = pool
	}
}

func openMySQL(t Target, k Kind) (*sql.DB, error) {
	cfg := mysql.NewConfig()
	cfg.User = t.Username
	cfg.Passwd = t.Password
	cfg.Net = "tcp"
	cfg.Addr = t.address(k)
	cfg.DBName = t.Database
	cfg.Timeout = t.timeout()
	cfg.MultiStatements = false
	cfg.InterpolateParams = false
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	// The driver logs protocol oddities to stderr on its own; the probe
	// reports them through its error instead.
	cfg.Logger = quietLogger{}
	switch mode := strings.ToLower(t.opt(OptTLS)); mode {
	case "", "false", "off", "disable", "disabled":
	case "skip-verify", "preferred":
		cfg.TLSConfig = mode
	case "true", "on", "required", "verify":
		pool, err := t.rootCAs()
		if err != nil {
			return nil, err
		}
		cfg.TLS = &tls.Config{ServerName: t.host(), RootCAs: pool, MinVersion: tls.VersionTLS12}
	default:
		return nil, fmt.Errorf("%w: tls must be true, skip-verify or preferred", errBadTarget)
	}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("mysql connector: %w", err)
	}
	return sql.OpenDB(conn), nil
}

// quietLogger discards the mysql driver's log lines.
type quietLogger struct{}

func (quietLogger) Print(...any) {}

// absPath resolves a database file path; '?' is refused because both the
// SQLite URI and the DuckDB DSN use it to start their options.
func absPath(t Target) (string, error) {
	p := t.opt(OptPath)
	if strings.ContainsAny(p, "?\x00") {
		return "", fmt.Errorf("%w: path contains '?' or NUL", errBadTarget)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("%w: path: %w", errBadTarget, err)
	}
	return abs, nil
}

func openSQLite(t Target) (*sql.DB, error) {
	p, err := absPath(t)
	if err != nil {
		return nil, err
	}
	// A file: URI lets SQLite itself enforce mode=ro (no write, no create);
	// query_only additionally refuses writes to attached or temp schemas.
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "query_only(1)")
	q.Add("_pragma", "busy_timeout("+strconv.Itoa(int(t.timeout().Milliseconds()))+")")
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(p), RawQuery: q.Encode()}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, fmt.Errorf("sqlite open: %w", err)
	}
	return db, nil
}

func openDuckDB(t Target) (*sql.DB, error) {
	p, err := absPath(t)
	if err != nil {
		return nil, err
	}
	// READ_ONLY forbids writes; disabling external access stops SQL run
	// through this handle from reading other local files (read_csv,
	// ATTACH) or fetching URLs, and lock_configuration stops it from
	// turning that back on.
	q := url.Values{}
	q.Set("access_mode", "READ_ONLY")
	q.Set("enable_external_access", "false")
	q.Set("lock_configuration", "true")
	conn, err := duckdb.NewConnector(p+"?"+q.Encode(), nil)
	if err != nil {
		return nil, fmt.Errorf("duckdb open: %w", err)
	}
	return sql.OpenDB(conn), nil
}

func openOracle(t Target, k Kind) (*sql.DB, error) {
	service := t.opt(OptServiceName)
	if service == "" {
		service = t.Database
	}
	q := url.Values{}
	q.Set("CONNECTION TIMEOUT", strconv.Itoa(seconds(t.timeout())))
	if b, _ := strconv.ParseBool(t.opt(OptSSL)); b {
		q.Set("SSL", "true")
		q.Set("SSL VERIFY", "true")
	}
	u := url.URL{
		Scheme:   "oracle",
		User:     url.UserPassword(t.Username, t.Password),
		Host:     t.address(k),
		Path:     "/" + service,
		RawQuery: q.Encode(),
	}
	db, err := sql.Open("oracle", u.String())
	if err != nil {
		return nil, fmt.Errorf("%w: oracle: %s", errBadTarget, redact(err.Error(), t))
	}
	return db, nil
}

func openSQLServer(t Target, k Kind) (*sql.DB, error) {
	q := url.Values{}
	if t.Database != "" {
		q.Set("database", t.Database)
	}
	secs := strconv.Itoa(seconds(t.timeout()))
	q.Set("dial timeout", secs)
	q.Set("connection timeout", secs)
	q.Set("app name", "xietong")
	if t.Database != "" {
		// ReadOnly intent routes to a readable secondary in an
		// availability group (the driver requires a database for it); it
		// does not forbid writes, so callers still use read-only
		// transactions.
		q.Set("ApplicationIntent", "ReadOnly")
	}
	switch e := strings.ToLower(t.opt(OptEncrypt)); e {
	case "":
	case "disable", "false", "true", "strict":
		q.Set("encrypt", e)
	default:
		return nil, fmt.Errorf("%w: encrypt must be disable, false, true or strict", errBadTarget)
	}
	u := url.URL{
		Scheme:   "sqlserver",
		User:     url.UserPassword(t.Username, t.Password),
		Host:     t.address(k),
		RawQuery: q.Encode(),
	}
	db, err := sql.Open("sqlserver", u.String())
	if err != nil {
		return nil, fmt.Errorf("%w: sqlserver: %s", errBadTarget, redact(err.Error(), t))
	}
	return db, nil
}
