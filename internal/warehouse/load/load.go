// Package load fills a warehouse table from business data: CSV, Parquet
// and Excel files and data-source tables (incrementally, by a watermark
// column).
//
// Every row is checked against the table's columns before it is written:
// numbers, dates (YYYY-MM-DD, YYYYMMDD, YYYY/MM/DD), periods (YYYYMM),
// 公民身份号码 (GB 11643), 统一社会信用代码 (GB 32100), required values,
// lengths, the column count and the text encoding. A bad row is reported
// with its line (1-based, the header is line 1), column, value (an id
// number masked to its first 6 and last 4 characters) and reason in
// Chinese and English; the good rows load. The helper columns (<f>_mi,
// <f>_ym, aac006_ymd, the year aae001) are computed the way gendata
// computes them; a source column of that name is ignored.
//
// A load is one transaction on the warehouse: the rows, the emptying of
// the table in Replace mode and the advance of a data source's watermark
// commit together or not at all, so a cancelled load, a failed one or a
// killed process leaves the table as it was.
package load

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/warehouse"
)

// Mode says what happens to the rows already in the table.
type Mode string

const (
	Append  Mode = "append"  // keep them (default)
	Replace Mode = "replace" // delete them in the load's transaction
)

// Encodings of text files.
const (
	EncAuto    = "auto"    // valid UTF-8 → UTF-8, else GB18030 (default)
	EncUTF8    = "utf-8"   // UTF-8 (a BOM is skipped)
	EncGBK     = "gbk"     // GBK, decoded as GB18030, its superset
	EncGB18030 = "gb18030" // GB18030
)

// MaxBadRows bounds Report.BadRows; Report.Bad counts them all.
const MaxBadRows = 10000

// Options of one load.
type Options struct {
	Table     string         // warehouse table, e.g. "ac01"
	Mode      Mode           // Append (default) or Replace
	Encoding  string         // text files: EncAuto (default), EncUTF8, EncGBK, EncGB18030
	Delimiter rune           // CSV: 0 detects , ; tab | from the header line
	Sheet     string         // Excel: the sheet; "" is the first
	Progress  func(Progress) // called every 100 ms or 10,000 rows, whichever comes first, and at the end
}

// Progress of a running load.
type Progress struct {
	Table      string
	Read       int64 // data rows read (the header is not counted)
	Loaded     int64 // rows written in the (uncommitted) transaction
	Bad        int64 // rows reported bad
	Bytes      int64 // bytes of the source read (files; estimated for Parquet and Excel)
	TotalBytes int64 // size of the source; 0 when unknown (data-source tables)
	Elapsed    time.Duration
}

// BadRow is one rejected row.
type BadRow struct {
	Line   int64  `json:"line"`   // 1-based; the header is line 1 (a data-source row: its ordinal + 1)
	Column string `json:"column"` // "" when the row as a whole is bad (column count, malformed)
	Value  string `json:"value"`  // the field (id numbers masked); for a wrong column count, the count found
	Reason string `json:"reason"` // stable code: encoding, columns, required, number, date, period, id, uscc, too_long, duplicate, malformed
	ZH     string `json:"zh"`
	EN     string `json:"en"`
}

// Report of a finished (or failed) load.
type Report struct {
	Table     string
	Read      int64 // data rows read
	Loaded    int64 // rows committed (0 when the load failed)
	Bad       int64 // bad rows, exact
	BadRows   []BadRow
	Elapsed   time.Duration
	Watermark string   // data sources: the watermark after the load
	Encoding  string   // text files: the encoding used
	Ignored   []string // source columns not loaded (not in the table, or helpers computed here)
}

// ErrNoTable is returned for a table that is not in the warehouse schema.
var ErrNoTable = errors.New("load: unknown warehouse table")

// source yields records; line numbers are 1-based with the header at 1.
type source interface {
	header() []string
	// next returns the next record; rec is nil with a non-nil bad for a
	// row that cannot even be split into fields. io.EOF ends.
	next() (line int64, rec []string, bad *problem, err error)
	bytes() (read, total int64)
}

// run is one load in progress.
type run struct {
	e     *warehouse.Engine
	opt   Options
	p     *plan
	rep   *Report
	start time.Time
	tx    dbtx                    // the load's transaction (a *sql.Tx, or a *sql.Conn inside BEGIN on DuckDB)
	end   func(commit bool) error // commits or rolls back tx
	w     rowWriter
	keys  map[string]struct{}

	lastT    time.Time
	lastRows int64
}

func newRun(e *warehouse.Engine, opt Options) (*run, error) {
	if _, ok := warehouse.TableByName(opt.Table); !ok {
		return nil, fmt.Errorf("%w %q", ErrNoTable, opt.Table)
	}
	if opt.Mode == "" {
		opt.Mode = Append
	}
	if opt.Mode != Append && opt.Mode != Replace {
		return nil, fmt.Errorf("load: unknown mode %q", opt.Mode)
	}
	now := time.Now()
	return &run{e: e, opt: opt, rep: &Report{Table: opt.Table}, start: now, lastT: now}, nil
}

// begin opens the transaction (emptying the table in Replace mode).
func (r *run) begin(ctx context.Context, header []string) error {
	p, err := newPlan(r.opt.Table, header)
	if err != nil {
		return err
	}
	r.p = p
	r.rep.Ignored = p.ignored
	if len(p.key) > 0 {
		r.keys = map[string]struct{}{}
	}
	if r.e.Dialect == warehouse.DuckDB {
		if err := r.beginDuckDB(ctx); err != nil {
			return err
		}
	} else {
		tx, err := r.e.DB.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("load: %s: begin: %w", r.opt.Table, err)
		}
		r.tx = tx
		r.end = func(commit bool) error {
			if commit {
				return tx.Commit()
			}
			return tx.Rollback()
		}
	}
	if r.opt.Mode == Replace {
		// DELETE, not TRUNCATE: TRUNCATE commits implicitly on MySQL.
		if _, err := r.tx.ExecContext(ctx, "DELETE FROM "+p.table.Name); err != nil {
			return fmt.Errorf("load: %s: empty: %w", r.opt.Table, err)
		}
	}
	if r.e.Dialect == warehouse.DuckDB {
		return r.newAppender()
	}
	r.w = newWriter(r.e.Dialect, r.tx.(*sql.Tx), p.table.Name, p.names)
	return nil
}

// dbtx is what a load's transaction offers: *sql.Tx and *sql.Conn.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// rowWriter writes good rows into the transaction.
type rowWriter interface {
	add(ctx context.Context, row []any) error
	flush(ctx context.Context) error
	close()
	rows() int64
}

// rollback undoes everything; the report says nothing was loaded.
func (r *run) rollback() {
	if r.w != nil {
		r.w.close()
	}
	if r.end != nil {
		r.end(false)
		r.end = nil
	}
	r.rep.Loaded = 0
	r.rep.Elapsed = time.Since(r.start)
}

// consume reads the source to its end, writing the good rows.
func (r *run) consume(ctx context.Context, src source, onRow func(rec []string)) error {
	out := make([]any, len(r.p.cols))
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		line, rec, bad, err := src.next()
		if err != nil {
			if errors.Is(err, errEOF) {
				return nil
			}
			return err
		}
		r.rep.Read++
		if bad != nil {
			r.bad(line, -1, "", bad)
		} else if col, val, pr := r.p.convert(rec, out); pr != nil {
			r.bad(line, col, val, pr)
		} else if r.keys != nil && r.dupKey(out) {
			r.bad(line, r.p.key[0], keyText(out, r.p.key), &pDupKey)
		} else {
			if err := r.w.add(ctx, out); err != nil {
				return err
			}
		}
		if onRow != nil {
			onRow(rec)
		}
		r.tick(src, false)
	}
}

func (r *run) dupKey(out []any) bool {
	k := keyText(out, r.p.key)
	if _, ok := r.keys[k]; ok {
		return true
	}
	r.keys[k] = struct{}{}
	return false
}

func keyText(out []any, key []int) string {
	parts := make([]string, len(key))
	for i, k := range key {
		parts[i] = fmt.Sprint(out[k])
	}
	return strings.Join(parts, "\x1f")
}

func (r *run) bad(line int64, col int, val string, pr *problem) {
	r.rep.Bad++
	if len(r.rep.BadRows) >= MaxBadRows {
		return
	}
	b := BadRow{Line: line, Value: val, Reason: pr.reason, ZH: pr.zh, EN: pr.en}
	if col >= 0 {
		cp := r.p.cols[col]
		b.Column = cp.col.Name
		if cp.kind == kID {
			b.Value = mask(val)
		}
	}
	if rs := []rune(b.Value); len(rs) > 100 {
		b.Value = string(rs[:100]) + "…"
	}
	r.rep.BadRows = append(r.rep.BadRows, b)
}

// tick reports progress every 100 ms or 10,000 rows, and when final.
func (r *run) tick(src source, final bool) {
	if r.opt.Progress == nil {
		return
	}
	if !final {
		n := r.rep.Read - r.lastRows
		if n < 10000 && (n&255 != 0 || time.Since(r.lastT) < 100*time.Millisecond) {
			return
		}
	}
	r.lastT, r.lastRows = time.Now(), r.rep.Read
	pr := Progress{Table: r.opt.Table, Read: r.rep.Read, Bad: r.rep.Bad, Elapsed: time.Since(r.start)}
	if r.w != nil {
		pr.Loaded = r.w.rows()
	}
	if src != nil {
		pr.Bytes, pr.TotalBytes = src.bytes()
	}
	r.opt.Progress(pr)
}

// finish flushes, runs extra statements in the transaction and commits.
func (r *run) finish(ctx context.Context, src source, extra func(tx dbtx) error) error {
	if err := r.w.flush(ctx); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if extra != nil {
		if err := extra(r.tx); err != nil {
			return err
		}
	}
	r.w.close()
	end := r.end
	r.end = nil
	if err := end(true); err != nil {
		end(false)
		return fmt.Errorf("load: %s: commit: %w", r.opt.Table, err)
	}
	r.rep.Loaded = r.w.rows()
	r.rep.Elapsed = time.Since(r.start)
	r.tick(src, true)
	return nil
}

// load is the common body: plan, transaction, rows, commit.
func (r *run) load(ctx context.Context, src source, extra func(tx dbtx) error) (*Report, error) {
	if err := r.begin(ctx, src.header()); err != nil {
		r.rollback()
		return r.rep, err
	}
	if err := r.consume(ctx, src, nil); err != nil {
		r.rollback()
		return r.rep, err
	}
	if err := r.finish(ctx, src, extra); err != nil {
		r.rollback()
		return r.rep, err
	}
	return r.rep, nil
}

// errEOF ends a source.
var errEOF = errors.New("end of source")

// writer inserts rows with multi-row INSERT statements of bound values
// inside the load's transaction.
type writer struct {
	d     warehouse.Dialect
	tx    *sql.Tx
	table string
	cols  []string
	per   int
	buf   []any
	n     int
	total int64
	stmt  *sql.Stmt
}

func newWriter(d warehouse.Dialect, tx *sql.Tx, table string, cols []string) *writer {
	per := 1000
	if d != warehouse.DuckDB {
		if m := 65535 / len(cols); m < per {
			per = m
		}
	}
	return &writer{d: d, tx: tx, table: table, cols: cols, per: per}
}

func (w *writer) add(ctx context.Context, row []any) error {
	w.buf = append(w.buf, row...)
	w.n++
	if w.n == w.per {
		return w.flush(ctx)
	}
	return nil
}

func (w *writer) flush(ctx context.Context) error {
	if w.n == 0 {
		return nil
	}
	var err error
	if w.n == w.per {
		if w.stmt == nil {
			if w.stmt, err = w.tx.PrepareContext(ctx, w.statement(w.per)); err != nil {
				return fmt.Errorf("load: insert into %s: %w", w.table, err)
			}
		}
		_, err = w.stmt.ExecContext(ctx, w.buf...)
	} else {
		_, err = w.tx.ExecContext(ctx, w.statement(w.n), w.buf...)
	}
	if err != nil {
		return fmt.Errorf("load: insert into %s: %w", w.table, err)
	}
	w.total += int64(w.n)
	w.buf, w.n = w.buf[:0], 0
	return nil
}

func (w *writer) rows() int64 { return w.total }

func (w *writer) close() {
	if w.stmt != nil {
		w.stmt.Close()
		w.stmt = nil
	}
}

func (w *writer) statement(rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + w.table + " (" + strings.Join(w.cols, ", ") + ") VALUES ")
	k := 0
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range w.cols {
			if c > 0 {
				b.WriteString(", ")
			}
			k++
			b.WriteString(placeholder(w.d, k))
		}
		b.WriteByte(')')
	}
	return b.String()
}

func placeholder(d warehouse.Dialect, n int) string {
	if d == warehouse.Postgres {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}
