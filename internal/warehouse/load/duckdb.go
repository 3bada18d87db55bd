package load

import (
	"context"
	"database/sql/driver"
	"fmt"
	"math/big"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
)

// beginDuckDB opens the load's transaction on one pinned connection of
// the embedded warehouse: DuckDB's appender (its fast bulk path, an order
// of magnitude above bound multi-row INSERTs) writes through that
// connection and so inside the transaction.
func (r *run) beginDuckDB(ctx context.Context) error {
	conn, err := r.e.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("load: %s: connect: %w", r.opt.Table, err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN TRANSACTION"); err != nil {
		conn.Close()
		return fmt.Errorf("load: %s: begin: %w", r.opt.Table, err)
	}
	r.tx = conn
	r.end = func(commit bool) error {
		defer conn.Close()
		stmt := "ROLLBACK"
		if commit {
			stmt = "COMMIT"
		}
		// Not the load's context: a cancelled load must still roll back.
		_, err := conn.ExecContext(context.Background(), stmt)
		return err
	}
	return nil
}

func (r *run) newAppender() error {
	conn := r.tx.(interface {
		Raw(func(any) error) error
	})
	a := &appender{table: r.p.table.Name}
	if err := conn.Raw(func(dc any) error {
		var err error
		a.app, err = duckdb.NewAppenderFromConn(dc.(driver.Conn), "", r.p.table.Name)
		return err
	}); err != nil {
		return fmt.Errorf("load: %s: appender: %w", r.opt.Table, err)
	}
	for i, cp := range r.p.cols {
		if cp.kind == kMoney {
			a.money = append(a.money, moneyCol{i, uint8(cp.intDig + cp.scale), uint8(cp.scale)})
		}
	}
	r.w = a
	return nil
}

type moneyCol struct {
	i            int
	width, scale uint8
}

type appender struct {
	table string
	app   *duckdb.Appender
	money []moneyCol
	vals  []driver.Value
	total int64
}

func (a *appender) add(_ context.Context, row []any) error {
	a.vals = a.vals[:0]
	for _, v := range row {
		a.vals = append(a.vals, v)
	}
	for _, m := range a.money {
		if s, ok := row[m.i].(string); ok {
			a.vals[m.i] = decimal(s, m.width, m.scale)
		}
	}
	if err := a.app.AppendRow(a.vals...); err != nil {
		return fmt.Errorf("load: append to %s: %w", a.table, err)
	}
	a.total++
	if a.total%10000 == 0 {
		// Hand the rows to the transaction's storage (not committed):
		// bounds the appender's buffer and makes Loaded mean written.
		return a.flush(context.Background())
	}
	return nil
}

// decimal turns checked decimal text into DuckDB's unscaled value.
func decimal(s string, width, scale uint8) duckdb.Decimal {
	ip, fp, _ := strings.Cut(s, ".")
	for len(fp) < int(scale) {
		fp += "0"
	}
	fp = fp[:scale]
	v, _ := new(big.Int).SetString(ip+fp, 10)
	if v == nil {
		v = new(big.Int)
	}
	return duckdb.Decimal{Width: width, Scale: scale, Value: v}
}

func (a *appender) flush(context.Context) error {
	if err := a.app.Flush(); err != nil {
		return fmt.Errorf("load: append to %s: %w", a.table, err)
	}
	return nil
}

func (a *appender) close() {
	if a.app != nil {
		a.app.Close()
		a.app = nil
	}
}

func (a *appender) rows() int64 { return a.total }
