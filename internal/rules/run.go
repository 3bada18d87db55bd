package rules

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/dataapi/sqltpl"
	"github.com/xietong/xietong/internal/warehouse"
)

// MaxHits bounds the hits of one run: a rule that finds more is too broad
// to be a list of suspicious points, and reading them all would hold the
// process's memory hostage.
const MaxHits = 2_000_000

// ErrTooManyHits is returned when a rule finds more than MaxHits.
var ErrTooManyHits = errors.New("rules: the rule found more hits than the limit")

// Run compiles the rule with values over its defaults and runs it on the
// engine: the query runs there, only the hits come back.
func Run(ctx context.Context, eng *warehouse.Engine, r Rule, values map[string]string) ([]Hit, error) {
	q, err := Compile(r, eng.Dialect, values)
	if err != nil {
		return nil, err
	}
	return Query(ctx, eng, r.Code, q, MaxHits)
}

// DryRun runs the rule and returns at most n hits (the console's preview).
func DryRun(ctx context.Context, eng *warehouse.Engine, r Rule, values map[string]string, n int) ([]Hit, error) {
	if n <= 0 {
		return nil, fmt.Errorf("rules: %s: dry run needs a positive number of hits", r.Code)
	}
	q, err := CompileLimit(r, eng.Dialect, values, n)
	if err != nil {
		return nil, err
	}
	return Query(ctx, eng, r.Code, q, n)
}

// RunSets runs the rule once per parameter set from Resolve: the default
// set for the whole province minus the overriding cities, each city's set
// for that city alone.
func RunSets(ctx context.Context, eng *warehouse.Engine, r Rule, sets []ParamSet) ([]Hit, error) {
	var hits []Hit
	var cities []string
	for _, s := range sets {
		if s.City != "" {
			cities = append(cities, s.City)
		}
	}
	for _, s := range sets {
		if s.City == "" {
			h, err := Run(ctx, eng, r, s.Values)
			if err != nil {
				return nil, err
			}
			for _, x := range h {
				if !inCities(x.Region, cities) {
					hits = append(hits, x)
				}
			}
			continue
		}
		q, err := CompileCity(r, eng.Dialect, s.City, s.Values)
		if err != nil {
			return nil, err
		}
		h, err := Query(ctx, eng, r.Code, q, MaxHits)
		if err != nil {
			return nil, err
		}
		hits = append(hits, h...)
	}
	return hits, nil
}

func inCities(region string, cities []string) bool {
	for _, c := range cities {
		if strings.HasPrefix(region, c) {
			return true
		}
	}
	return false
}

// Result is one rule's outcome in RunAll.
type Result struct {
	Rule    Rule
	Hits    []Hit
	Elapsed time.Duration
	Err     error
}

// RunAll runs every enabled rule with its cities' overrides
// (rule code → city → parameter → value). A rule that fails is reported
// in its Result and the others still run; ctx ends them all.
func RunAll(ctx context.Context, eng *warehouse.Engine, list []Rule, overrides map[string]map[string]map[string]string) []Result {
	var out []Result
	for _, r := range list {
		if !r.Enabled {
			continue
		}
		start := time.Now()
		res := Result{Rule: r}
		sets, err := Resolve(r, overrides[r.Code])
		if err == nil {
			res.Hits, err = RunSets(ctx, eng, r, sets)
		}
		res.Err, res.Elapsed = err, time.Since(start)
		out = append(out, res)
		if ctx.Err() != nil {
			break
		}
	}
	return out
}

// Query runs a compiled rule and reads at most limit hits (more is
// ErrTooManyHits unless the query is itself limited to limit). On
// PostgreSQL and MySQL it runs in a read-only transaction; DuckDB has none,
// there the template checks and the engine's disabled external access hold.
func Query(ctx context.Context, eng *warehouse.Engine, code string, q *sqltpl.Query, limit int) ([]Hit, error) {
	var (
		rows *sql.Rows
		err  error
		tx   *sql.Tx
	)
	if eng.Dialect == warehouse.DuckDB {
		rows, err = eng.DB.QueryContext(ctx, q.SQL, q.Args...)
	} else {
		tx, err = eng.DB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return nil, fmt.Errorf("rules: %s: %w", code, err)
		}
		defer tx.Rollback()
		rows, err = tx.QueryContext(ctx, q.SQL, q.Args...)
	}
	if err != nil {
		return nil, fmt.Errorf("rules: %s: %w", code, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("rules: %s: %w", code, err)
	}
	if len(cols) != len(HitColumns) {
		return nil, fmt.Errorf("rules: %s: the query returns %d columns, a rule must return %s", code, len(cols), strings.Join(HitColumns, ", "))
	}
	var hits []Hit
	var rc, subj, name, region, ins, period, ev text
	var amt money
	for rows.Next() {
		if len(hits) == limit {
			return nil, fmt.Errorf("%w (%d) in %s", ErrTooManyHits, limit, code)
		}
		if err := rows.Scan(&rc, &subj, &name, &region, &ins, &period, &amt, &ev); err != nil {
			return nil, fmt.Errorf("rules: %s: %w", code, err)
		}
		hits = append(hits, Hit{RuleCode: rc.s, Subject: subj.s, SubjectName: name.s, Region: region.s,
			Insurance: ins.s, Period: period.s, Amount: amt.v, Evidence: ev.s})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("rules: %s: %w", code, err)
	}
	return hits, nil
}
