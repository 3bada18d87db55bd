package gendata

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/xietong/xietong/internal/warehouse"
)

// MinPersons keeps every category big enough for one anomaly per slot.
const MinPersons = 1000

// ac43Chunks splits the contribution load so that progress can be shown.
const ac43Chunks = 10

// Generate replaces the warehouse tables of eng with a generated province
// and returns the ground truth of the planted anomalies. DuckDB targets are
// generated in place; PostgreSQL and MySQL targets get the same rows (same
// options, same rows) generated in a private in-memory DuckDB and copied.
func Generate(ctx context.Context, eng *warehouse.Engine, o Options) (*Result, error) {
	start := time.Now()
	if err := o.normalize(); err != nil {
		return nil, err
	}
	regs, err := regions(o.Province)
	if err != nil {
		return nil, err
	}
	p := newParams(o, regs)
	src := eng
	if eng.Dialect != warehouse.DuckDB {
		if src, err = warehouse.OpenDuckDB(""); err != nil {
			return nil, fmt.Errorf("gendata: %w", err)
		}
		defer src.Close()
	}
	if err := resetSchema(ctx, src); err != nil {
		return nil, err
	}
	truth, err := build(ctx, src, p, o.Progress)
	if err != nil {
		return nil, err
	}
	res := &Result{Truth: truth, Rows: map[string]int64{}}
	if eng != src {
		if err := resetSchema(ctx, eng); err != nil {
			return nil, err
		}
		for _, t := range warehouse.Tables() {
			var report func(int64)
			if o.Progress != nil {
				name := t.Name
				report = func(n int64) { o.Progress(name, n) }
			}
			if _, err := warehouse.CopyTable(ctx, eng, src, t.Name, report); err != nil {
				return nil, fmt.Errorf("gendata: %w", err)
			}
		}
	}
	for _, t := range warehouse.Tables() {
		n, err := eng.Count(ctx, t.Name)
		if err != nil {
			return nil, fmt.Errorf("gendata: %w", err)
		}
		res.Rows[t.Name] = n
	}
	if o.OutDir != "" {
		if _, err := WriteTruth(o.OutDir, truth); err != nil {
			return nil, err
		}
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

func (o *Options) normalize() error {
	if o.Persons < MinPersons {
		return fmt.Errorf("gendata: persons %d: at least %d are needed so that every rule gets an anomaly", o.Persons, MinPersons)
	}
	if o.AnomalyRate == 0 {
		o.AnomalyRate = 0.01
	}
	if !(o.AnomalyRate > 0 && o.AnomalyRate <= 0.05) {
		return fmt.Errorf("gendata: anomaly rate %g: want a share in (0, 0.05]", o.AnomalyRate)
	}
	if o.Province == "" {
		o.Province = "52"
	}
	return nil
}

func resetSchema(ctx context.Context, e *warehouse.Engine) error {
	if err := e.DropSchema(ctx); err != nil {
		return fmt.Errorf("gendata: %w", err)
	}
	if err := e.CreateSchema(ctx); err != nil {
		return fmt.Errorf("gendata: %w", err)
	}
	return nil
}

// build runs the generation on one DuckDB connection (temp tables and
// macros live on a connection) and drops its temp tables afterwards.
func build(ctx context.Context, db *warehouse.Engine, p params, progress func(string, int64)) ([]Anomaly, error) {
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("gendata: %w", err)
	}
	defer conn.Close()
	defer dropTemps(conn)
	run := func(stmts ...string) error {
		for _, s := range stmts {
			if _, err := conn.ExecContext(ctx, p.expand(s)); err != nil {
				return fmt.Errorf("gendata: %w\n%s", err, clip(p.expand(s)))
			}
		}
		return nil
	}
	report := func(table string) error {
		if progress == nil || table == "" {
			return nil
		}
		var n int64
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			return fmt.Errorf("gendata: count %s: %w", table, err)
		}
		progress(table, n)
		return nil
	}
	steps := func(list []step) error {
		for _, s := range list {
			if err := run(s.sql); err != nil {
				return err
			}
			if err := report(s.table); err != nil {
				return err
			}
		}
		return nil
	}
	if err := run(p.setupSQL()...); err != nil {
		return nil, err
	}
	if err := checkCapacity(ctx, conn, p); err != nil {
		return nil, err
	}
	if err := run(peopleSQL()...); err != nil {
		return nil, err
	}
	if err := run(unitsSQL()...); err != nil {
		return nil, err
	}
	if err := run(markSQL()...); err != nil {
		return nil, err
	}
	if err := steps(unitTablesSQL()); err != nil {
		return nil, err
	}
	if err := steps(personTablesSQL()); err != nil {
		return nil, err
	}
	if err := run(contribSpansSQL()...); err != nil {
		return nil, err
	}
	per := (p.persons + ac43Chunks - 1) / ac43Chunks
	for lo := 1; lo <= p.persons; lo += per {
		if err := steps([]step{{"ac43", ac43SQL(lo, lo+per-1)}}); err != nil {
			return nil, err
		}
	}
	if err := steps([]step{{"ac43", residentSQL()}}); err != nil {
		return nil, err
	}
	if err := steps(benefitTablesSQL()); err != nil {
		return nil, err
	}
	if err := steps(outsideTablesSQL()); err != nil {
		return nil, err
	}
	if err := run(truthSQL()); err != nil {
		return nil, err
	}
	return readTruth(ctx, conn)
}

// checkCapacity refuses a size at which some slot of a category would stay
// empty (the category is smaller than its slots × the per-slot count).
func checkCapacity(ctx context.Context, conn *sql.Conn, p params) error {
	rows, err := conn.QueryContext(ctx, p.expand(`SELECT p.cat, count(*) AS n, count(p.anom) AS planted,
		(SELECT count(*) FROM g_slot s WHERE s.cat = p.cat) * greatest(1, CAST(round({RATE} * count(*)) AS BIGINT)) AS want
		FROM g_p1 p GROUP BY p.cat`))
	if err != nil {
		return fmt.Errorf("gendata: capacity: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cat string
		var n, planted, want int64
		if err := rows.Scan(&cat, &n, &planted, &want); err != nil {
			return fmt.Errorf("gendata: capacity: %w", err)
		}
		if planted < want {
			return fmt.Errorf("gendata: category %s has %d persons, too few for %d planted anomalies: generate more persons", cat, n, want)
		}
	}
	return rows.Err()
}

func dropTemps(conn *sql.Conn) {
	for _, t := range []string{"g_region", "g_slot", "g_wage", "g_p0", "g_p1", "g_pa", "g_pb", "g_pc", "g_p", "g_emap", "g_dep",
		"g_depx", "g_sgo", "g_idsrc", "g_id", "g_unit", "g_ereg", "g_span", "g_ps", "g_truth"} {
		conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS "+t)
	}
}

func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}
