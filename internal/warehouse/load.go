package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// batchRows bounds the rows of one multi-row INSERT.
const batchRows = 1000

// Inserter writes rows into one table with multi-row INSERT statements of
// bound values, inside one transaction. Add rows, then Close to flush and
// commit (or Abort).
type Inserter struct {
	e     *Engine
	tx    *sql.Tx
	table string
	cols  []string
	per   int // rows per statement
	buf   []any
	n     int // rows buffered
	total int64
	stmt  *sql.Stmt // the full-batch statement, prepared once
}

// NewInserter starts a transaction that inserts into table's columns.
func (e *Engine) NewInserter(ctx context.Context, table string, cols []string) (*Inserter, error) {
	if _, ok := TableByName(table); !ok {
		return nil, fmt.Errorf("warehouse: unknown table %q", table)
	}
	per := batchRows
	if m := e.Dialect.maxParams() / len(cols); m < per {
		per = m
	}
	tx, err := e.DB.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("warehouse: insert into %s: %w", table, err)
	}
	return &Inserter{e: e, tx: tx, table: table, cols: cols, per: per}, nil
}

// Add buffers one row and writes a batch when it is full.
func (in *Inserter) Add(ctx context.Context, row ...any) error {
	if len(row) != len(in.cols) {
		return fmt.Errorf("warehouse: insert into %s: %d values for %d columns", in.table, len(row), len(in.cols))
	}
	in.buf = append(in.buf, row...)
	in.n++
	if in.n == in.per {
		return in.flush(ctx)
	}
	return nil
}

// Rows is the number of rows written so far.
func (in *Inserter) Rows() int64 { return in.total }

func (in *Inserter) flush(ctx context.Context) error {
	if in.n == 0 {
		return nil
	}
	var err error
	if in.n == in.per {
		if in.stmt == nil {
			in.stmt, err = in.tx.PrepareContext(ctx, in.statement(in.per))
			if err != nil {
				return fmt.Errorf("warehouse: insert into %s: %w", in.table, err)
			}
		}
		_, err = in.stmt.ExecContext(ctx, in.buf...)
	} else {
		_, err = in.tx.ExecContext(ctx, in.statement(in.n), in.buf...)
	}
	if err != nil {
		return fmt.Errorf("warehouse: insert into %s: %w", in.table, err)
	}
	in.total += int64(in.n)
	in.buf, in.n = in.buf[:0], 0
	return nil
}

func (in *Inserter) statement(rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + in.table + " (" + strings.Join(in.cols, ", ") + ") VALUES ")
	k := 0
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := range in.cols {
			if c > 0 {
				b.WriteString(", ")
			}
			k++
			b.WriteString(in.e.Dialect.placeholder(k))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// Close writes the last batch and commits.
func (in *Inserter) Close(ctx context.Context) error {
	if err := in.flush(ctx); err != nil {
		in.Abort()
		return err
	}
	if in.stmt != nil {
		in.stmt.Close()
	}
	if err := in.tx.Commit(); err != nil {
		return fmt.Errorf("warehouse: insert into %s: commit: %w", in.table, err)
	}
	return nil
}

// Abort rolls the transaction back.
func (in *Inserter) Abort() {
	if in.stmt != nil {
		in.stmt.Close()
	}
	in.tx.Rollback()
}

// CopyTable copies every row of a warehouse table from src to dst (which
// must have the schema already), reporting progress after each batch.
// Values cross as portable Go types: DECIMAL as its exact text, DATE as
// time.Time.
func CopyTable(ctx context.Context, dst, src *Engine, table string, progress func(rows int64)) (int64, error) {
	t, ok := TableByName(table)
	if !ok {
		return 0, fmt.Errorf("warehouse: unknown table %q", table)
	}
	sel := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		sel[i] = c.Name
		if strings.HasPrefix(c.Type, "DECIMAL") {
			// Exact text: every driver's decimal type reads it back.
			sel[i] = "CAST(" + c.Name + " AS VARCHAR(40))"
			if src.Dialect == MySQL {
				sel[i] = "CAST(" + c.Name + " AS CHAR)"
			}
		}
	}
	rows, err := src.DB.QueryContext(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM "+table)
	if err != nil {
		return 0, fmt.Errorf("warehouse: copy %s: read: %w", table, err)
	}
	defer rows.Close()
	in, err := dst.NewInserter(ctx, table, t.ColumnNames())
	if err != nil {
		return 0, err
	}
	vals := make([]any, len(t.Columns))
	ptrs := make([]any, len(t.Columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			in.Abort()
			return in.Rows(), fmt.Errorf("warehouse: copy %s: scan: %w", table, err)
		}
		row := make([]any, len(vals))
		for i, v := range vals {
			row[i] = portable(v)
		}
		before := in.Rows()
		if err := in.Add(ctx, row...); err != nil {
			in.Abort()
			return in.Rows(), err
		}
		if progress != nil && in.Rows() != before {
			progress(in.Rows())
		}
	}
	if err := rows.Err(); err != nil {
		in.Abort()
		return in.Rows(), fmt.Errorf("warehouse: copy %s: read: %w", table, err)
	}
	if err := in.Close(ctx); err != nil {
		return in.Rows(), err
	}
	if progress != nil {
		progress(in.Rows())
	}
	return in.Rows(), nil
}

// portable turns a driver's value into one every driver accepts.
func portable(v any) any {
	switch x := v.(type) {
	case nil, int64, float64, bool, string, time.Time:
		return v
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case uint64:
		return int64(x)
	case uint32:
		return int64(x)
	case []byte:
		return string(x)
	case fmt.Stringer:
		return x.String()
	}
	return v
}
