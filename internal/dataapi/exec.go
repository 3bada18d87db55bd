package dataapi

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xietong/xietong/internal/dataapi/sqltpl"
)

// pool is an open data source: its connection pool and how to talk to it.
type pool struct {
	db      *sql.DB
	dialect sqltpl.Dialect
	kind    string
	code    string
	stamp   time.Time // the source's updated_at when opened
}

// rowSet is a query's answer.
type rowSet struct {
	cols      []string
	types     []string
	rows      [][]any
	truncated bool
}

// Execution failures, as a caller sees them: never the database's own text.
var (
	errTimeout     = errors.New("dataapi: statement timeout")
	errUnavailable = errors.New("dataapi: data source unavailable")
)

// queryError is a database error kept for the author's console and the
// server log; callers of the gateway only learn its code.
type queryError struct{ msg string }

func (e *queryError) Error() string { return "dataapi: query failed: " + e.msg }

// readOnlyTx says which dialects accept a read-only transaction. SQLite and
// DuckDB handles are opened read-only instead; SQL Server has no read-only
// transaction, so its account must be read-only (docs/data-apis.md).
func readOnlyTx(d sqltpl.Dialect) bool {
	return d == sqltpl.Postgres || d == sqltpl.MySQL || d == sqltpl.Oracle
}

// sessionStatements run before the transaction on MySQL-protocol engines;
// the first that the server accepts is used. A READ ONLY transaction alone
// does not stop DDL there: CREATE TABLE commits the transaction implicitly
// and runs outside it, so the session itself is made read-only. They also
// bound the statement on the server, so that an abandoned query does not
// run on. The values are ours. A server labelled mysql may be a MariaDB,
// whose variables are named differently: hence the fallbacks.
func sessionStatements(kind string, timeout time.Duration) []string {
	ms := timeout.Milliseconds()
	maria := "SET SESSION tx_read_only = 1, max_statement_time = " + strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)
	mysql := "SET SESSION transaction_read_only = 1, max_execution_time = " + strconv.FormatInt(ms, 10)
	switch kind {
	case "mariadb":
		return []string{maria}
	case "mysql", "tidb":
		return []string{mysql, maria}
	case "oceanbase":
		return []string{"SET SESSION tx_read_only = 1"}
	}
	// Doris and StarRocks have no read-only session: their account must be
	// read-only (docs/data-apis.md).
	return nil
}

// run executes q in a read-only transaction with a statement timeout and
// reads at most maxRows rows (one more tells that there were more).
func (p *pool) run(ctx context.Context, q *sqltpl.Query, timeout time.Duration, maxRows int) (*rowSet, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := p.db.Conn(ctx)
	if err != nil {
		return nil, classify(ctx, err)
	}
	defer conn.Close()
	if sts := sessionStatements(p.kind, timeout); p.dialect == sqltpl.MySQL && len(sts) > 0 {
		for _, st := range sts {
			if _, err = conn.ExecContext(ctx, st); err == nil {
				break
			}
		}
		if err != nil {
			return nil, classify(ctx, err)
		}
	}
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: readOnlyTx(p.dialect)})
	if err != nil {
		return nil, classify(ctx, err)
	}
	defer tx.Rollback() // read-only: nothing to commit
	if p.dialect == sqltpl.Postgres {
		// PostgreSQL's DDL is transactional, so the READ ONLY transaction
		// (and the connection's default_transaction_read_only) stops it.
		if _, err := tx.ExecContext(ctx, "SET LOCAL statement_timeout = "+strconv.FormatInt(timeout.Milliseconds(), 10)); err != nil {
			return nil, classify(ctx, err)
		}
	}
	rows, err := tx.QueryContext(ctx, q.SQL, q.Args...)
	if err != nil {
		return nil, classify(ctx, err)
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, classify(ctx, err)
	}
	rs := &rowSet{cols: make([]string, len(cts)), types: make([]string, len(cts))}
	for i, ct := range cts {
		rs.cols[i], rs.types[i] = ct.Name(), strings.ToUpper(ct.DatabaseTypeName())
	}
	for rows.Next() {
		if len(rs.rows) == maxRows {
			rs.truncated = true
			break
		}
		vals := make([]any, len(cts))
		ptrs := make([]any, len(cts))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, classify(ctx, err)
		}
		for i, v := range vals {
			vals[i] = jsonValue(v, rs.types[i])
		}
		rs.rows = append(rs.rows, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(ctx, err)
	}
	return rs, nil
}

// count runs a count query the same way.
func (p *pool) count(ctx context.Context, q *sqltpl.Query, timeout time.Duration) (int64, error) {
	rs, err := p.run(ctx, q, timeout, 1)
	if err != nil {
		return 0, err
	}
	if len(rs.rows) != 1 || len(rs.rows[0]) != 1 {
		return 0, &queryError{msg: "count returned no row"}
	}
	switch v := rs.rows[0][0].(type) {
	case int64:
		return v, nil
	case json.Number:
		return v.Int64()
	case float64:
		return int64(v), nil
	case string:
		return strconv.ParseInt(v, 10, 64)
	}
	return 0, &queryError{msg: "count is not a number"}
}

// jsonValue turns a driver value into what the JSON answer carries.
func jsonValue(v any, dbType string) any {
	switch x := v.(type) {
	case nil, bool, int64, float64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case float32:
		return float64(x)
	case time.Time:
		if dbType == "DATE" {
			return x.Format("2006-01-02")
		}
		return x.Format(time.RFC3339Nano)
	case []byte:
		return textValue(string(x), dbType, x)
	case string:
		return textValue(x, dbType, nil)
	}
	// Anything else (a UUID, an interval, a driver's own type) as its text.
	return fmt.Sprint(v)
}

func textValue(s, dbType string, raw []byte) any {
	switch dbType {
	case "DECIMAL", "NUMERIC", "NUMBER", "MONEY":
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return json.Number(s)
		}
	case "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "MEDIUMINT", "INT2", "INT4", "INT8", "UNSIGNED BIGINT", "UNSIGNED INT":
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
	case "FLOAT", "DOUBLE", "REAL", "FLOAT4", "FLOAT8":
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	}
	if raw != nil && !utf8.Valid(raw) {
		return base64.StdEncoding.EncodeToString(raw)
	}
	return s
}

// classify maps a driver error to what callers may learn: a timeout, an
// unreachable source, or a failed query (whose text only the log and the
// author's console see).
func classify(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) {
		return errTimeout
	}
	msg := err.Error()
	// PostgreSQL 57014 query_canceled (statement_timeout); MariaDB 1969 and
	// MySQL 3024 (statement time exceeded).
	if strings.Contains(msg, "SQLSTATE 57014") || strings.Contains(msg, "Error 1969") || strings.Contains(msg, "Error 3024") {
		return errTimeout
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, sql.ErrConnDone) || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "SQLSTATE 08") || strings.Contains(msg, "bad connection") || strings.Contains(msg, "invalid connection") {
		return errUnavailable
	}
	return &queryError{msg: msg}
}
