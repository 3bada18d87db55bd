package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/xietong/xietong/internal/gendata"
	"github.com/xietong/xietong/internal/rules"
	"github.com/xietong/xietong/internal/warehouse"
	"github.com/xietong/xietong/internal/warehouse/load"
)

// warehouseFlags name the supervision warehouse: the DuckDB file in the data
// dir by default, or the bureau's engine (postgres, mysql) by DSN.
type warehouseFlags struct{ dialect, dsn string }

func (w *warehouseFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&w.dialect, "warehouse", "duckdb", "warehouse engine: duckdb, postgres or mysql (MariaDB, Doris, StarRocks, OceanBase)")
	cmd.Flags().StringVar(&w.dsn, "warehouse-dsn", "", "DSN of a postgres or mysql warehouse (default for duckdb: <data_dir>/warehouse.duckdb)")
}

func (w *warehouseFlags) open(ctx context.Context, g *globalFlags) (*warehouse.Engine, string, error) {
	d, err := warehouse.ParseDialect(w.dialect)
	if err != nil {
		return nil, "", err
	}
	cfg, err := g.load(map[string]string{})
	if err != nil {
		return nil, "", err
	}
	if d == warehouse.DuckDB {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, "", err
		}
		path := w.dsn
		if path == "" {
			path = warehouse.DefaultDuckDBFile(cfg.DataDir)
		}
		e, err := warehouse.OpenDuckDB(path)
		if err != nil && strings.Contains(err.Error(), "Could not set lock") {
			// DuckDB lets one process write the file: a running `xietong serve` holds it.
			return nil, "", fmt.Errorf("the warehouse %s is open in another process (a running `xietong serve`?): stop it first, "+
				"or load files in the console (基金监管 → 数据装载)\n(%w)", path, err)
		}
		return e, cfg.DataDir, err
	}
	if w.dsn == "" {
		return nil, "", fmt.Errorf("--warehouse %s needs --warehouse-dsn", w.dialect)
	}
	e, err := warehouse.Open(ctx, d, w.dsn)
	return e, cfg.DataDir, err
}

// newGenData is `xietong gen-data`: a realistic province with planted
// anomalies and the ground truth beside it.
func newGenData(g *globalFlags) *cobra.Command {
	var (
		wf    warehouseFlags
		o     gendata.Options
		out   string
		quiet bool
	)
	cmd := &cobra.Command{
		Use:   "gen-data",
		Short: "Generate a province of social-insurance data with planted anomalies into the warehouse, and its ground truth",
		Long: `Generate cities and counties with real-format region codes, persons with valid 公民身份号码, units with
valid 统一社会信用代码, employment, monthly contributions, pensions and other benefits, deaths and prison
terms, with anomalies planted for every built-in rule at --anomaly-rate. The warehouse tables are
dropped and recreated. truth.csv (rule, subject, period) says which subject each rule should flag.

  xietong gen-data --persons 100000 --seed 7 --anomaly-rate 0.01`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			eng, dataDir, err := wf.open(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer eng.Close()
			if out == "" {
				out = filepath.Join(dataDir, "gen-data")
			}
			o.OutDir = out
			var mu sync.Mutex
			last := time.Time{}
			if !quiet {
				o.Progress = func(table string, rows int64) {
					mu.Lock()
					defer mu.Unlock()
					if time.Since(last) > 500*time.Millisecond {
						fmt.Fprintf(cmd.ErrOrStderr(), "  %-16s %12d rows\n", table, rows)
						last = time.Now()
					}
				}
			}
			res, err := gendata.Generate(cmd.Context(), eng, o)
			if err != nil {
				return err
			}
			tables := make([]string, 0, len(res.Rows))
			for t := range res.Rows {
				tables = append(tables, t)
			}
			sort.Strings(tables)
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "generated in %s (%s warehouse):\n", res.Elapsed.Round(time.Millisecond), eng.Dialect)
			for _, t := range tables {
				fmt.Fprintf(w, "  %-16s %12d\n", t, res.Rows[t])
			}
			fmt.Fprintf(w, "%d planted anomalies; ground truth in %s\n", len(res.Truth), filepath.Join(out, "truth.csv"))
			return nil
		},
	}
	wf.add(cmd)
	f := cmd.Flags()
	f.IntVar(&o.Persons, "persons", 10000, "persons to generate (at least 1000)")
	f.Int64Var(&o.Seed, "seed", 1, "random seed: the same seed gives the same data")
	f.Float64Var(&o.AnomalyRate, "anomaly-rate", 0.01, "share of each rule's eligible subjects given its anomaly (0 < rate ≤ 0.05)")
	f.StringVar(&o.Province, "province", "52", "2-digit province code (52: 贵州, real county codes)")
	f.StringVar(&out, "out", "", "folder for truth.csv (default <data_dir>/gen-data)")
	f.BoolVar(&quiet, "quiet", false, "no progress lines")
	return cmd
}

// newRules is `xietong rules`: list the rule library and screen the warehouse.
func newRules(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{Use: "rules", Short: "The fund-supervision rule library (规则库)"}
	list := &cobra.Command{
		Use:   "list",
		Short: "List the built-in rules",
		RunE: func(cmd *cobra.Command, _ []string) error {
			for _, r := range rules.Builtin() {
				fmt.Fprintf(cmd.OutOrStdout(), "%-4s %-8s %-6s %s\n", r.Code, r.Scope, r.Severity, r.Name)
			}
			return nil
		},
	}
	var (
		wf    warehouseFlags
		only  string
		truth string
	)
	run := &cobra.Command{
		Use:   "run",
		Short: "Run the built-in rules on the warehouse; with --truth, print recall and precision per rule",
		RunE: func(cmd *cobra.Command, _ []string) error {
			eng, _, err := wf.open(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer eng.Close()
			list := rules.Builtin()
			if only != "" {
				want := map[string]bool{}
				for _, c := range strings.Split(only, ",") {
					want[strings.TrimSpace(strings.ToUpper(c))] = true
				}
				var sel []rules.Rule
				for _, r := range list {
					if want[r.Code] {
						sel = append(sel, r)
					}
				}
				list = sel
			}
			start := time.Now()
			results := rules.RunAll(cmd.Context(), eng, list, nil)
			w := cmd.OutOrStdout()
			var found []gendata.Anomaly
			failed := 0
			for _, r := range results {
				if r.Err != nil {
					failed++
					fmt.Fprintf(w, "%-4s %-24s FAILED: %v\n", r.Rule.Code, r.Rule.Name, r.Err)
					continue
				}
				fmt.Fprintf(w, "%-4s %-24s %8d hits %10s\n", r.Rule.Code, r.Rule.Name, len(r.Hits), r.Elapsed.Round(time.Millisecond))
				for _, h := range r.Hits {
					found = append(found, gendata.Anomaly{Rule: h.RuleCode, Subject: h.Subject, Period: h.Period})
				}
			}
			fmt.Fprintf(w, "%d rules in %s\n", len(results), time.Since(start).Round(time.Millisecond))
			if truth != "" {
				want, err := gendata.ReadTruth(truth)
				if err != nil {
					return err
				}
				codes := make([]string, 0, len(results))
				for _, r := range results {
					codes = append(codes, r.Rule.Code)
				}
				fmt.Fprint(w, gendata.FormatScores("recall and precision against "+truth, gendata.Evaluate(codes, want, found)))
			}
			if failed > 0 {
				return fmt.Errorf("%d rules failed", failed)
			}
			return nil
		},
	}
	wf.add(run)
	run.Flags().StringVar(&only, "rule", "", "comma-separated rule codes (default: every built-in rule)")
	run.Flags().StringVar(&truth, "truth", "", "a truth.csv from gen-data to score the hits against")
	cmd.AddCommand(list, run)
	return cmd
}

// newLoad is `xietong load`: a file into a warehouse table, with progress
// and every bad row reported by line.
func newLoad(g *globalFlags) *cobra.Command {
	var (
		wf  warehouseFlags
		opt load.Options
		max int
	)
	cmd := &cobra.Command{
		Use:   "load FILE",
		Short: "Load a CSV, Excel or Parquet file into a warehouse table; report bad rows by line and load the good ones",
		Long: `Load a file into a warehouse table (ac01, ab01, ac43, pension_pay, death, prison, …) in one
transaction: a cancelled or killed load leaves the table as it was. Rows that fail their checks
(公民身份号码 check digit, dates, periods, column count, encoding) are reported with their line
and the reason; the others load.

  xietong load --table death deaths-2026-10.csv --encoding auto`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opt.Table == "" {
				return fmt.Errorf("--table is required")
			}
			eng, _, err := wf.open(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer eng.Close()
			if err := eng.CreateSchema(cmd.Context()); err != nil {
				return err
			}
			errw := cmd.ErrOrStderr()
			opt.Progress = func(p load.Progress) {
				pct := ""
				if p.TotalBytes > 0 {
					pct = fmt.Sprintf(" %5.1f%%", 100*float64(p.Bytes)/float64(p.TotalBytes))
				}
				fmt.Fprintf(errw, "\r%s:%s read %d, loaded %d, bad %d", p.Table, pct, p.Read, p.Loaded, p.Bad)
			}
			rep, err := load.File(cmd.Context(), eng, args[0], opt)
			fmt.Fprintln(errw)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s: read %d rows, loaded %d, bad %d (%s, %s)\n", rep.Table, rep.Read, rep.Loaded, rep.Bad, rep.Encoding, rep.Elapsed.Round(time.Millisecond))
			for i, b := range rep.BadRows {
				if i == max {
					fmt.Fprintf(w, "  … %d more bad rows\n", rep.Bad-int64(max))
					break
				}
				fmt.Fprintf(w, "  line %d, %s %q: %s / %s\n", b.Line, b.Column, b.Value, b.ZH, b.EN)
			}
			if len(rep.Ignored) > 0 {
				fmt.Fprintf(w, "  ignored columns (computed at load): %s\n", strings.Join(rep.Ignored, ", "))
			}
			return nil
		},
	}
	wf.add(cmd)
	f := cmd.Flags()
	f.StringVar(&opt.Table, "table", "", "warehouse table to load into")
	f.StringVar((*string)(&opt.Mode), "mode", string(load.Append), "append or replace (replace empties the table in the same transaction)")
	f.StringVar(&opt.Encoding, "encoding", load.EncAuto, "auto, utf-8, gbk or gb18030")
	f.StringVar(&opt.Sheet, "sheet", "", "Excel: the sheet (default: the first)")
	f.IntVar(&max, "show", 50, "bad rows to print")
	return cmd
}
