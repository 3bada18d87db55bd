package supervision

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/gendata"
	"github.com/xietong/xietong/internal/rules"
	"github.com/xietong/xietong/internal/testutil"
	"github.com/xietong/xietong/internal/warehouse"
)

var (
	whOnce sync.Once
	whEng  *warehouse.Engine
	whErr  error
)

// warehouseEngine is one generated province (1,500 persons) shared by the
// run tests; they only read it.
func warehouseEngine(t *testing.T) *warehouse.Engine {
	t.Helper()
	whOnce.Do(func() {
		whEng, whErr = warehouse.OpenDuckDB("")
		if whErr == nil {
			_, whErr = gendata.Generate(context.Background(), whEng, gendata.Options{Persons: 1500, Seed: 11})
		}
	})
	if whErr != nil {
		t.Fatal(whErr)
	}
	return whEng
}

func waitRun(t *testing.T, f *fixture, id int64) *Run {
	t.Helper()
	f.svc.Wait()
	return must[*Run](t)(f.svc.RunByID(context.Background(), id))
}

// A task group over the whole built-in library: one warning per distinct
// hit, hits per rule recorded; a second run adds nothing.
func TestRunMakesWarnings(t *testing.T) {
	eng := warehouseEngine(t)
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d, eng)
		ctx := context.Background()
		var codes []string
		want := map[string]int{} // rule → distinct keys
		total := 0
		for _, r := range rules.Builtin() {
			codes = append(codes, r.Code)
			hits, err := rules.Run(ctx, eng, r, nil)
			if err != nil {
				t.Fatal(err)
			}
			keys := map[string]bool{}
			for _, h := range hits {
				keys[h.Subject+"|"+h.Period] = true
			}
			want[r.Code] = len(keys)
			total += len(keys)
		}
		g := must[*Group](t)(f.svc.SaveGroup(f.sup, 0, GroupInput{Name: "全部规则", RuleCodes: codes, Enabled: true}))
		x := must[*Run](t)(f.svc.StartRun(f.sup, RunInput{GroupID: g.ID}))
		if x.Status != RunQueued || x.Total != len(codes) {
			t.Fatalf("queued %+v", x)
		}
		x = waitRun(t, f, x.ID)
		if x.Status != RunSucceeded || x.Done != x.Total || x.NewWarnings != total || x.DurationMS < 0 || x.FinishedAt == nil || len(x.Results) != len(codes) {
			t.Fatalf("run %+v", x)
		}
		for _, rr := range x.Results {
			if rr.New != want[rr.Code] || rr.Error != "" {
				t.Errorf("%s: %d new of %d hits, want %d (%s)", rr.Code, rr.New, rr.Hits, want[rr.Code], rr.Error)
			}
		}
		ws, n, err := f.svc.Warnings(ctx, Query{RunID: x.ID, Limit: 5})
		if err != nil || n != total || total < 26 {
			t.Fatalf("%d warnings, want %d (%v)", n, total, err)
		}
		if w := ws[0]; len(w.Subject) < 18 || len(w.Region) != 6 || w.City != w.Region[:4] || w.RuleName == "" || w.Evidence == "" {
			t.Errorf("warning %+v", w)
		}
		// Re-run: nothing new; the warnings now point at the second run.
		y := must[*Run](t)(f.svc.StartRun(f.sup, RunInput{RuleCodes: codes}))
		y = waitRun(t, f, y.ID)
		if y.Status != RunSucceeded || y.NewWarnings != 0 || y.Reopened != 0 || y.Hits != x.Hits {
			t.Fatalf("re-run %+v", y)
		}
		if _, n, _ := f.svc.Warnings(ctx, Query{RunID: y.ID}); n != total {
			t.Errorf("re-run saw %d warnings, want %d", n, total)
		}
		runs, n, _ := f.svc.store.Runs(ctx, 0, "", 1, 0)
		if n != 2 || runs[0].ID != y.ID {
			t.Errorf("history: %d runs, first %d", n, runs[0].ID)
		}
		// A disabled rule is skipped; a failing user rule makes a warning run.
		must[*RuleView](t)(f.svc.SetEnabled(f.sup, "R2", false))
		must[*Version](t)(f.svc.SaveRule(f.sup, RuleInput{Code: "BAD", Name: "坏规则", Scope: rules.ScopeLocal, Severity: rules.SeverityLow,
			SQL: "SELECT aac002 FROM ac01"}))
		must[*RuleView](t)(f.svc.Activate(f.sup, "BAD", 1))
		z := must[*Run](t)(f.svc.StartRun(f.sup, RunInput{RuleCodes: []string{"R1", "R2", "BAD"}}))
		z = waitRun(t, f, z.ID)
		if z.Status != RunWarning || z.Total != 2 || z.Done != 2 || len(z.Results) != 2 || z.Results[1].Error == "" {
			t.Errorf("partly failed run %+v", z)
		}
		hits := must[[]rules.Hit](t)(f.svc.DryRun(f.sup, DryRunInput{Code: "R20", Limit: 3}))
		if len(hits) != 3 {
			t.Errorf("dry run gave %d hits", len(hits))
		}
	})
}

// A slow user rule is cancelled: the run ends failed and cancelled, and a
// second run of the same group is refused while the first is in progress.
func TestCancelRun(t *testing.T) {
	eng := warehouseEngine(t)
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d, eng)
		ctx := context.Background()
		must[*Version](t)(f.svc.SaveRule(f.sup, RuleInput{Code: "SLOW", Name: "慢规则", Scope: rules.ScopeLocal, Severity: rules.SeverityLow,
			SQL: `SELECT 'SLOW' AS rule_code, a.aac002 AS subject, MIN(a.aac003) AS subject_name, MIN(a.aab301) AS region, '' AS insurance,
	'0' AS period, COUNT(*) AS amount, 'x' AS evidence
FROM ac43 a1 JOIN ac43 a2 ON a1.aae003 <> a2.aae003 JOIN ac43 a3 ON a3.aae003 <> a2.aae003 JOIN ac01 a ON a.aac001 = a1.aac001
GROUP BY a.aac002`}))
		must[*RuleView](t)(f.svc.Activate(f.sup, "SLOW", 1))
		g := must[*Group](t)(f.svc.SaveGroup(f.sup, 0, GroupInput{Name: "慢", RuleCodes: []string{"SLOW", "R1"}, Enabled: true}))
		x := must[*Run](t)(f.svc.StartRun(f.sup, RunInput{GroupID: g.ID}))
		_, err := f.svc.StartRun(f.sup, RunInput{GroupID: g.ID})
		wantErr(t, err, "supervision_run_active")
		deadline := time.Now().Add(10 * time.Second)
		for {
			r := must[*Run](t)(f.svc.RunByID(ctx, x.ID))
			if r.Status == RunRunning {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("run never started: %+v", r)
			}
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond)
		start := time.Now()
		r := must[*Run](t)(f.svc.CancelRun(f.sup, x.ID))
		if time.Since(start) > 5*time.Second {
			t.Errorf("cancel took %s", time.Since(start))
		}
		if r.Status != RunFailed || !r.Cancelled || r.Done >= r.Total || r.FinishedAt == nil {
			t.Errorf("cancelled run %+v", r)
		}
		_, err = f.svc.CancelRun(f.sup, x.ID)
		wantErr(t, err, "supervision_run_not_running")
		// The group may run again.
		y := must[*Run](t)(f.svc.StartRun(f.sup, RunInput{RuleCodes: []string{"R1"}}))
		if y = waitRun(t, f, y.ID); y.Status != RunSucceeded {
			t.Errorf("next run %+v", y)
		}
	})
}

// The scheduler fires a due group once per firing time and escalates.
func TestSchedulerTick(t *testing.T) {
	eng := warehouseEngine(t)
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d, eng)
		ctx := context.Background()
		f.clock = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) // 08:00 in Shanghai
		g := must[*Group](t)(f.svc.SaveGroup(f.sup, 0, GroupInput{Name: "每日", RuleCodes: []string{"R16"}, Schedule: "daily 09:00", Enabled: true}))
		sc := NewScheduler(f.svc, time.Hour, testutil.Logger())
		sc.Tick(ctx)
		f.svc.Wait()
		if _, n, _ := f.svc.store.Runs(ctx, g.ID, "", 0, 0); n != 0 {
			t.Fatalf("fired before its time: %d runs", n)
		}
		f.clock = f.clock.Add(90 * time.Minute) // 09:30
		sc.Tick(ctx)
		f.svc.Wait()
		sc.Tick(ctx)
		f.svc.Wait()
		runs, n, _ := f.svc.store.Runs(ctx, g.ID, "", 0, 0)
		if n != 1 || runs[0].Trigger != "schedule" || runs[0].Status != RunSucceeded || runs[0].CreatedBy != "scheduler" {
			t.Fatalf("scheduled runs: %d %+v", n, runs)
		}
		f.clock = f.clock.Add(24 * time.Hour)
		sc.Tick(ctx)
		f.svc.Wait()
		if _, n, _ := f.svc.store.Runs(ctx, g.ID, "", 0, 0); n != 2 {
			t.Errorf("next day: %d runs", n)
		}
		// Start/Stop run the loop and mark interrupted runs.
		if _, err := f.d.Exec(ctx, "UPDATE sup_runs SET status = 'running' WHERE id = ?", runs[0].ID); err != nil {
			t.Fatal(err)
		}
		if err := sc.Start(ctx); err != nil {
			t.Fatal(err)
		}
		sc.Stop()
		f.svc.Wait()
		if r := must[*Run](t)(f.svc.RunByID(ctx, runs[0].ID)); r.Status != RunFailed || r.Error != "interrupted" {
			t.Errorf("interrupted run %+v", r)
		}
	})
}
