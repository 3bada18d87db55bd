package load

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"

	"github.com/xietong/xietong/internal/warehouse"
)

// Parquet loads a Parquet file. The warehouse's DuckDB has external
// access switched off (users' SQL runs there), so the file is read by a
// private in-memory DuckDB that only this call uses, and the rows cross
// into the warehouse through Go like any other source. Every column is
// read as text (DuckDB's exact casts: dates YYYY-MM-DD, decimals exact) and
// checked like a CSV field; the line of a row is its ordinal + 1.
func Parquet(ctx context.Context, e *warehouse.Engine, path string, opt Options) (*Report, error) {
	ru, err := newRun(e, opt)
	if err != nil {
		return &Report{Table: opt.Table}, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return ru.rep, fmt.Errorf("load: %w", err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return ru.rep, fmt.Errorf("load: parquet reader: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	lit := "'" + strings.ReplaceAll(path, "'", "''") + "'"
	src := &sqlSource{total: st.Size()}
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM read_parquet("+lit+")").Scan(&src.count); err != nil {
		return ru.rep, fmt.Errorf("load: read %s: %w", path, err)
	}
	// Column names first, to cast each to text.
	probe, err := db.QueryContext(ctx, "SELECT * FROM read_parquet("+lit+") LIMIT 0")
	if err != nil {
		return ru.rep, fmt.Errorf("load: read %s: %w", path, err)
	}
	names, err := probe.Columns()
	probe.Close()
	if err != nil {
		return ru.rep, fmt.Errorf("load: read %s: %w", path, err)
	}
	sel := make([]string, len(names))
	for i, n := range names {
		sel[i] = "CAST(" + quoteIdent(n, '"') + " AS VARCHAR)"
	}
	rows, err := db.QueryContext(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM read_parquet("+lit+")")
	if err != nil {
		return ru.rep, fmt.Errorf("load: read %s: %w", path, err)
	}
	defer rows.Close()
	src.rows, src.head = rows, names
	return ru.load(ctx, src, nil)
}

func quoteIdent(s string, q byte) string {
	qs := string(q)
	return qs + strings.ReplaceAll(s, qs, qs+qs) + qs
}

// sqlSource reads a query whose columns are all text (or any value
// convertible by text), one record per row.
type sqlSource struct {
	rows  *sql.Rows
	head  []string
	line  int64
	count int64 // rows expected, for the byte estimate; 0 unknown
	total int64
	// wm, when ≥ 0, is the watermark column; onValue sees its raw value.
	wm      int
	onValue func(v any)
	vals    []any
	ptrs    []any
}

func (s *sqlSource) header() []string { return s.head }

func (s *sqlSource) bytes() (int64, int64) {
	if s.count <= 0 {
		return 0, s.total
	}
	return s.total * min(s.line-1, s.count) / s.count, s.total
}

func (s *sqlSource) next() (int64, []string, *problem, error) {
	if s.vals == nil {
		s.vals = make([]any, len(s.head))
		s.ptrs = make([]any, len(s.head))
		for i := range s.vals {
			s.ptrs[i] = &s.vals[i]
		}
		if s.line == 0 {
			s.line = 1
		}
	}
	if !s.rows.Next() {
		if err := s.rows.Err(); err != nil {
			return 0, nil, nil, fmt.Errorf("load: read: %w", err)
		}
		return 0, nil, nil, errEOF
	}
	s.line++
	if err := s.rows.Scan(s.ptrs...); err != nil {
		return 0, nil, nil, fmt.Errorf("load: read: %w", err)
	}
	rec := make([]string, len(s.vals))
	for i, v := range s.vals {
		rec[i] = text(v)
	}
	if s.onValue != nil {
		s.onValue(s.vals[s.wm])
	}
	return s.line, rec, nil, nil
}
