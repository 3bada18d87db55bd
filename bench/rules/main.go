// Command rules benchmarks the rule library (must-show 4): it generates a
// province into a DuckDB file, runs every built-in rule through
// internal/rules and the same compiled SQL directly through database/sql,
// and reports the total time, the peak memory and the ratio of the two.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/xietong/xietong/internal/dataapi/sqltpl"
	"github.com/xietong/xietong/internal/gendata"
	"github.com/xietong/xietong/internal/rules"
	"github.com/xietong/xietong/internal/warehouse"
)

// Targets on the 2-core reference machine.
const (
	targetTotal = 3 * time.Minute
	targetRatio = 1.15
)

type ruleTiming struct {
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	Hits     int     `json:"hits"`
	XietongS float64 `json:"xietongSeconds"` // fastest of the measured passes
	DirectS  float64 `json:"directSeconds"`
}

type report struct {
	Persons        int              `json:"persons"`
	Seed           int64            `json:"seed"`
	AnomalyRate    float64          `json:"anomalyRate"`
	Rows           map[string]int64 `json:"rows"`
	GenerateS      float64          `json:"generateSeconds"`
	GeneratePeakMB int64            `json:"generatePeakRssMB"`
	Passes         int              `json:"passes"`
	FirstPassS     float64          `json:"firstPassSeconds"` // all rules through internal/rules, first run after generation
	XietongS       float64          `json:"xietongSeconds"`   // all rules through internal/rules, mean of the measured passes
	DirectS        float64          `json:"directSeconds"`    // the same SQL through database/sql, mean
	Ratio          float64          `json:"ratio"`
	RulesPeakMB    int64            `json:"rulesPeakRssMB"`
	Recall         float64          `json:"recall"`
	Precision      float64          `json:"precision"`
	Rules          []ruleTiming     `json:"rules"`
	TargetsMet     bool             `json:"targetsMet"`
	Machine        string           `json:"machine"`
	When           time.Time        `json:"when"`
}

func main() {
	persons := flag.Int("persons", 1_000_000, "persons to generate")
	seed := flag.Int64("seed", 1, "generation seed")
	rate := flag.Float64("rate", 0.01, "anomaly rate")
	passes := flag.Int("passes", 3, "measured passes of each path (after one first pass)")
	dir := flag.String("dir", "", "directory for the DuckDB file (default: a temp dir, removed afterwards)")
	out := flag.String("out", "bench/rules/results/latest.json", "where to write the JSON report")
	flag.Parse()
	if err := run(*persons, *seed, *rate, *passes, *dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "bench/rules:", err)
		os.Exit(1)
	}
}

func run(persons int, seed int64, rate float64, passes int, dir, out string) error {
	ctx := context.Background()
	if dir == "" {
		tmp, err := os.MkdirTemp("", "xietong-bench-rules-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	eng, err := warehouse.OpenDuckDB(filepath.Join(dir, "warehouse.duckdb"))
	if err != nil {
		return err
	}
	defer eng.Close()

	rep := report{Persons: persons, Seed: seed, AnomalyRate: rate, Passes: passes, When: time.Now().UTC(),
		Machine: fmt.Sprintf("%s/%s, %d CPUs", runtime.GOOS, runtime.GOARCH, runtime.NumCPU())}
	fmt.Printf("generating %d persons into %s\n", persons, dir)
	last := map[string]int64{}
	start := time.Now()
	gen, err := gendata.Generate(ctx, eng, gendata.Options{Persons: persons, Seed: seed, AnomalyRate: rate,
		Progress: func(table string, rows int64) {
			if table == "ac43" || last[table] == 0 {
				fmt.Printf("  %-15s %12d rows  (%s)\n", table, rows, time.Since(start).Round(time.Second))
			}
			last[table] = rows
		}})
	if err != nil {
		return err
	}
	rep.GenerateS, rep.Rows = gen.Elapsed.Seconds(), gen.Rows
	rep.GeneratePeakMB = peakRSS() >> 20
	fmt.Printf("generated in %s: %d AC43 rows (%.1f per person), %d planted anomalies, peak RSS %d MB\n",
		gen.Elapsed.Round(time.Millisecond), gen.Rows["ac43"], float64(gen.Rows["ac43"])/float64(persons), len(gen.Truth), rep.GeneratePeakMB)
	if !resetPeakRSS() {
		fmt.Println("note: cannot reset the peak RSS; the rules' peak includes generation")
	}

	list := rules.Builtin()
	compiled := make([]*sqltpl.Query, len(list))
	for i, r := range list {
		if compiled[i], err = rules.Compile(r, eng.Dialect, nil); err != nil {
			return err
		}
	}
	// First pass: through the library, and the hits scored against the truth.
	t0 := time.Now()
	var found []gendata.Anomaly
	hits := make([]int, len(list))
	for _, res := range rules.RunAll(ctx, eng, list, nil) {
		if res.Err != nil {
			return res.Err
		}
		for i := range list {
			if list[i].Code == res.Rule.Code {
				hits[i] = len(res.Hits)
			}
		}
		for _, h := range res.Hits {
			found = append(found, gendata.Anomaly{Rule: h.RuleCode, Subject: h.Subject, Period: h.Period})
		}
	}
	rep.FirstPassS = time.Since(t0).Seconds()
	codes := make([]string, len(list))
	for i, r := range list {
		codes[i] = r.Code
	}
	scores := gendata.Evaluate(codes, gen.Truth, found)
	correct, planted, nfound := 0, 0, 0
	for _, s := range scores {
		correct, planted, nfound = correct+s.Correct, planted+s.Planted, nfound+s.Found
	}
	rep.Recall, rep.Precision = float64(correct)/float64(planted), float64(correct)/float64(nfound)

	// Measured passes, alternating the two paths rule by rule so that
	// caches and background work fall on both alike; each rule's fastest
	// pass counts (the least disturbed by the machine's other work).
	xt := make([]time.Duration, len(list))
	dt := make([]time.Duration, len(list))
	for p := 0; p < passes; p++ {
		for i, r := range list {
			measure := func(f func() error, best *time.Duration) error {
				s := time.Now()
				err := f()
				if d := time.Since(s); *best == 0 || d < *best {
					*best = d
				}
				return err
			}
			viaLib := func() error { _, err := rules.Run(ctx, eng, r, nil); return err }
			direct := func() error { return runDirect(ctx, eng.DB, compiled[i]) }
			first, second := viaLib, direct
			a, b := &xt[i], &dt[i]
			if (p+i)%2 == 1 {
				first, second, a, b = direct, viaLib, &dt[i], &xt[i]
			}
			if err := measure(first, a); err != nil {
				return fmt.Errorf("%s: %w", r.Code, err)
			}
			if err := measure(second, b); err != nil {
				return fmt.Errorf("%s: %w", r.Code, err)
			}
		}
	}
	var xsum, dsum time.Duration
	for i, r := range list {
		xsum += xt[i]
		dsum += dt[i]
		rep.Rules = append(rep.Rules, ruleTiming{Code: r.Code, Name: r.Name, Hits: hits[i], XietongS: xt[i].Seconds(), DirectS: dt[i].Seconds()})
	}
	rep.XietongS, rep.DirectS = xsum.Seconds(), dsum.Seconds()
	rep.Ratio = rep.XietongS / rep.DirectS
	rep.RulesPeakMB = peakRSS() >> 20
	rep.TargetsMet = rep.FirstPassS < targetTotal.Seconds() && rep.XietongS < targetTotal.Seconds() && rep.Ratio < targetRatio

	printReport(rep, scores)
	if out != "" {
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		b, _ := json.MarshalIndent(rep, "", "  ")
		if err := os.WriteFile(out, append(b, '\n'), 0o644); err != nil {
			return err
		}
		fmt.Println("wrote", out)
	}
	return nil
}

// runDirect is the baseline: the compiled SQL through database/sql, every
// row read, no xietong code.
func runDirect(ctx context.Context, db *sql.DB, q *sqltpl.Query) error {
	rows, err := db.QueryContext(ctx, q.SQL, q.Args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
	}
	return rows.Err()
}

func printReport(rep report, scores []gendata.Score) {
	fmt.Printf("\n%-5s %8s %10s %10s %7s  %s\n", "rule", "hits", "xietong s", "direct s", "ratio", "name")
	for _, r := range rep.Rules {
		fmt.Printf("%-5s %8d %10.3f %10.3f %7.3f  %s\n", r.Code, r.Hits, r.XietongS, r.DirectS, r.XietongS/r.DirectS, r.Name)
	}
	fmt.Printf("\nall rules, first pass        %8.1f s (target < %s)\n", rep.FirstPassS, targetTotal)
	fmt.Printf("all rules via internal/rules %8.1f s (each rule's fastest of %d)\n", rep.XietongS, rep.Passes)
	fmt.Printf("same SQL via database/sql    %8.1f s\n", rep.DirectS)
	fmt.Printf("ratio                        %8.3f   (target < %.2f)\n", rep.Ratio, targetRatio)
	fmt.Printf("peak RSS: generation %d MB, rules %d MB\n", rep.GeneratePeakMB, rep.RulesPeakMB)
	fmt.Printf("recall %.1f%%, precision %.1f%% over %d rules\n", 100*rep.Recall, 100*rep.Precision, len(scores))
	for _, s := range scores {
		if s.Recall != 1 || s.Precision != 1 {
			fmt.Printf("  %s: precision %.3f recall %.3f\n", s.Rule, s.Precision, s.Recall)
		}
	}
	fmt.Printf("targets met: %v\n", rep.TargetsMet)
}
