package load

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xietong/xietong/internal/warehouse"
)

// Source is a data-source table loaded incrementally.
type Source struct {
	Name      string  // the data source's stable name or id: part of the watermark's key
	DB        *sql.DB // from connect.OpenSQL
	Dialect   string  // connect.OpenSQL's second result: postgres, mysql, sqlite, duckdb, oracle, sqlserver
	Table     string  // table (or schema.table), spelled as the source's catalog stores it
	Watermark string  // column whose value only grows (update time, sequence); rows with a greater value than the last load are read
}

// StateTable remembers the watermark per (source, source table, warehouse
// table). It lives in the warehouse so that it advances in the load's
// transaction.
const StateTable = "load_watermarks"

// EnsureState creates the watermark table if it does not exist.
func EnsureState(ctx context.Context, e *warehouse.Engine) error {
	stmt := "CREATE TABLE IF NOT EXISTS " + StateTable + ` (
		src VARCHAR(190) NOT NULL,
		src_table VARCHAR(190) NOT NULL,
		dst_table VARCHAR(64) NOT NULL,
		wm_kind VARCHAR(10) NOT NULL,
		wm_value VARCHAR(100) NOT NULL,
		loaded_at VARCHAR(40) NOT NULL,
		PRIMARY KEY (src, src_table, dst_table))`
	if e.Dialect == warehouse.MySQL {
		stmt += " DEFAULT CHARSET=utf8mb4"
	}
	if _, err := e.DB.ExecContext(ctx, stmt); err != nil {
		return fmt.Errorf("load: create %s: %w", StateTable, err)
	}
	return nil
}

// Watermark returns the last loaded watermark of a source table into a
// warehouse table; ok is false before the first load.
func Watermark(ctx context.Context, e *warehouse.Engine, source, srcTable, dstTable string) (value string, ok bool, err error) {
	w, err := readMark(ctx, e.DB, e.Dialect, source, srcTable, dstTable, false)
	if err != nil || w == nil {
		return "", false, err
	}
	return w.text, true, nil
}

// mark is a watermark value with its kind.
type mark struct {
	kind string // int, float, time, text
	text string
	v    any // the value bound in the source query
}

func readMark(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, d warehouse.Dialect, source, srcTable, dstTable string, lock bool) (*mark, error) {
	query := "SELECT wm_kind, wm_value FROM " + StateTable + " WHERE src = " + placeholder(d, 1) +
		" AND src_table = " + placeholder(d, 2) + " AND dst_table = " + placeholder(d, 3)
	if lock && d != warehouse.DuckDB {
		query += " FOR UPDATE"
	}
	var kind, val string
	err := q.QueryRowContext(ctx, query, source, srcTable, dstTable).Scan(&kind, &val)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load: read watermark: %w", err)
	}
	m := &mark{kind: kind, text: val}
	switch kind {
	case "int":
		n, err := strconv.ParseInt(val, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("load: watermark %q: %w", val, err)
		}
		m.v = n
	case "float":
		f, err := strconv.ParseFloat(val, 64)
		if err != nil {
			return nil, fmt.Errorf("load: watermark %q: %w", val, err)
		}
		m.v = f
	case "time":
		t, err := time.Parse(time.RFC3339Nano, val)
		if err != nil {
			return nil, fmt.Errorf("load: watermark %q: %w", val, err)
		}
		m.v = t
	default:
		m.v = val
	}
	return m, nil
}

// toMark turns a watermark column's value into a mark; nil for NULL.
func toMark(v any) *mark {
	switch x := v.(type) {
	case nil:
		return nil
	case int64:
		return &mark{"int", strconv.FormatInt(x, 10), x}
	case int32:
		return toMark(int64(x))
	case int16:
		return toMark(int64(x))
	case int8:
		return toMark(int64(x))
	case int:
		return toMark(int64(x))
	case uint64:
		return toMark(int64(x))
	case uint32:
		return toMark(int64(x))
	case float64:
		return &mark{"float", strconv.FormatFloat(x, 'g', -1, 64), x}
	case float32:
		return toMark(float64(x))
	case time.Time:
		return &mark{"time", x.Format(time.RFC3339Nano), x}
	case []byte:
		return &mark{"text", string(x), string(x)}
	case string:
		return &mark{"text", x, x}
	}
	s := text(v)
	return &mark{"text", s, s}
}

// greater reports whether a is after b (b may be nil).
func (a *mark) greater(b *mark) bool {
	if b == nil {
		return true
	}
	if a.kind != b.kind {
		return a.text > b.text
	}
	switch x := a.v.(type) {
	case int64:
		return x > b.v.(int64)
	case float64:
		return x > b.v.(float64)
	case time.Time:
		return x.After(b.v.(time.Time))
	}
	return a.text > b.text
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_$]{0,127}$`)

// quoteName validates a table or column name (optionally schema.table)
// and quotes each part for the source's dialect.
func quoteName(name, dialect string, parts int) (string, error) {
	ps := strings.Split(name, ".")
	if len(ps) > parts {
		return "", fmt.Errorf("load: invalid name %q", name)
	}
	q := byte('"')
	if dialect == "mysql" {
		q = '`'
	}
	for i, p := range ps {
		if !identRE.MatchString(p) {
			return "", fmt.Errorf("load: invalid name %q (letters, digits and _ only)", name)
		}
		ps[i] = quoteIdent(p, q)
	}
	return strings.Join(ps, "."), nil
}

func sourcePlaceholder(dialect string) string {
	switch dialect {
	case "postgres":
		return "$1"
	case "oracle":
		return ":1"
	case "sqlserver":
		return "@p1"
	}
	return "?"
}

// loadLocks serialises the loads of one watermark key in this process;
// across processes the row lock (PostgreSQL, MySQL) or the write
// conflict at commit (DuckDB) does.
var loadLocks sync.Map

// Table loads the rows of a data-source table whose watermark column is
// greater than the last loaded value (all rows the first time), ordered by
// it, and advances the watermark in the same transaction. Source columns
// map to warehouse columns by name, case-insensitively. Rows whose
// watermark is NULL are read by the first load only. A source that
// commits rows with a watermark at or below one already loaded (a long
// transaction stamped earlier) is not re-read: use a commit-ordered
// column (a sequence) when that can happen.
func Table(ctx context.Context, e *warehouse.Engine, src Source, opt Options) (*Report, error) {
	ru, err := newRun(e, opt)
	if err != nil {
		return &Report{Table: opt.Table}, err
	}
	if src.DB == nil || src.Name == "" {
		return ru.rep, fmt.Errorf("load: source name and database are required")
	}
	qt, err := quoteName(src.Table, src.Dialect, 3)
	if err != nil {
		return ru.rep, err
	}
	qw, err := quoteName(src.Watermark, src.Dialect, 1)
	if err != nil {
		return ru.rep, err
	}
	if err := EnsureState(ctx, e); err != nil {
		return ru.rep, err
	}
	key := src.Name + "\x00" + src.Table + "\x00" + opt.Table
	mu, _ := loadLocks.LoadOrStore(key, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()

	last, err := readMark(ctx, e.DB, e.Dialect, src.Name, src.Table, opt.Table, false)
	if err != nil {
		return ru.rep, err
	}
	query := "SELECT * FROM " + qt
	var args []any
	if last != nil {
		query += " WHERE " + qw + " > " + sourcePlaceholder(src.Dialect)
		args = append(args, last.v)
		ru.rep.Watermark = last.text
	}
	query += " ORDER BY " + qw
	rows, err := src.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return ru.rep, fmt.Errorf("load: read %s: %w", src.Table, err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return ru.rep, fmt.Errorf("load: read %s: %w", src.Table, err)
	}
	s := &sqlSource{rows: rows, head: names, wm: -1}
	for i, n := range names {
		if strings.EqualFold(n, src.Watermark) {
			s.wm = i
		}
	}
	if s.wm < 0 {
		return ru.rep, fmt.Errorf("load: %s has no column %q", src.Table, src.Watermark)
	}
	high := last
	s.onValue = func(v any) {
		if m := toMark(v); m != nil && m.greater(high) {
			high = m
		}
	}
	return ru.load(ctx, s, func(tx dbtx) error {
		// Another process may have loaded meanwhile: the lock read must
		// still see the value this load started from.
		cur, err := readMark(ctx, tx, e.Dialect, src.Name, src.Table, opt.Table, true)
		if err != nil {
			return err
		}
		if (cur == nil) != (last == nil) || (cur != nil && cur.text != last.text) {
			return fmt.Errorf("load: %s → %s: another load advanced the watermark meanwhile", src.Table, opt.Table)
		}
		if high == nil || high == last {
			return nil
		}
		d := e.Dialect
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+StateTable+" WHERE src = "+placeholder(d, 1)+
			" AND src_table = "+placeholder(d, 2)+" AND dst_table = "+placeholder(d, 3),
			src.Name, src.Table, opt.Table); err != nil {
			return fmt.Errorf("load: advance watermark: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO "+StateTable+" (src, src_table, dst_table, wm_kind, wm_value, loaded_at) VALUES ("+
			placeholder(d, 1)+", "+placeholder(d, 2)+", "+placeholder(d, 3)+", "+placeholder(d, 4)+", "+placeholder(d, 5)+", "+placeholder(d, 6)+")",
			src.Name, src.Table, opt.Table, high.kind, high.text, time.Now().UTC().Format(time.RFC3339)); err != nil {
			return fmt.Errorf("load: advance watermark: %w", err)
		}
		ru.rep.Watermark = high.text
		return nil
	})
}

// text renders a driver's value as the text a CSV field would hold.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// File loads a file by its extension: .csv .tsv .txt (delimited text),
// .parquet, .xlsx.
func File(ctx context.Context, e *warehouse.Engine, path string, opt Options) (*Report, error) {
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".parquet"):
		return Parquet(ctx, e, path, opt)
	case strings.HasSuffix(lower, ".xlsx"), strings.HasSuffix(lower, ".xlsm"):
		return Excel(ctx, e, path, opt)
	case strings.HasSuffix(lower, ".csv"), strings.HasSuffix(lower, ".tsv"), strings.HasSuffix(lower, ".txt"):
		return CSVFile(ctx, e, path, opt)
	}
	return &Report{Table: opt.Table}, fmt.Errorf("load: %s: unknown file type (want .csv, .tsv, .txt, .parquet or .xlsx)", path)
}
