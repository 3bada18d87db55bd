package supervision

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/iam"
	"github.com/xietong/xietong/internal/rules"
	"github.com/xietong/xietong/internal/testutil"
	"github.com/xietong/xietong/internal/warehouse"
)

type orgKey struct{}

// fixture is a migrated metadata database with a supervisor, two county
// agencies and a clock the test moves.
type fixture struct {
	t        *testing.T
	d        *db.DB
	svc      *Service
	clock    time.Time
	agency   int64 // 县社保局 A
	other    int64 // 县社保局 B
	sup      context.Context
	agencyCx context.Context
	otherCx  context.Context
	nextRun  int64
}

func openMeta(t *testing.T, d testutil.Dialect) *db.DB {
	t.Helper()
	ctx := context.Background()
	var (
		m   *db.DB
		err error
	)
	if d.Name == "postgres" {
		cfg := testutil.Config(t, d)
		m, err = db.Open(ctx, db.Postgres, cfg.DBDSN)
	} else {
		m, err = db.Open(ctx, db.SQLite, filepath.Join(t.TempDir(), "meta.db"))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if err := m.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return m
}

func newFixture(t *testing.T, d testutil.Dialect, eng *warehouse.Engine) *fixture {
	t.Helper()
	m := openMeta(t, d)
	ctx := context.Background()
	org := func(code, name string) int64 {
		id, err := m.InsertID(ctx, "INSERT INTO orgs (code, name, kind, region_code, created_at, updated_at) VALUES (?, ?, 'department', '', ?, ?)",
			code, name, db.Now(), db.Now())
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	f := &fixture{t: t, d: m, clock: time.Date(2026, 2, 2, 2, 0, 0, 0, time.UTC)}
	f.agency, f.other = org("xa", "A县社保局"), org("xb", "B县社保局")
	log := audit.New(m)
	f.svc = NewService(m, NewStore(m), log, iam.NewService(m, iam.NewStore(m), log, 10000), eng, t.TempDir())
	f.svc.now = func() time.Time { return f.clock }
	f.svc.orgOf = func(ctx context.Context) (int64, bool) {
		id, ok := ctx.Value(orgKey{}).(int64)
		return id, ok
	}
	f.sup = audit.WithActor(ctx, audit.Actor{ID: 1, Name: "jianguan"})
	f.agencyCx = context.WithValue(audit.WithActor(ctx, audit.Actor{ID: 2, Name: "hecha"}), orgKey{}, f.agency)
	f.otherCx = context.WithValue(audit.WithActor(ctx, audit.Actor{ID: 3, Name: "qita"}), orgKey{}, f.other)
	t.Cleanup(f.svc.Wait)
	return f
}

var testRule = rules.Rule{Code: "R1", Name: "死亡人员冒领养老金", Insurance: "110", Severity: rules.SeverityHigh}

func hit(subject, region, period string, amount float64, evidence string) rules.Hit {
	return rules.Hit{RuleCode: "R1", Subject: subject, SubjectName: "张三", Region: region, Insurance: "110", Period: period, Amount: amount, Evidence: evidence}
}

// ingest feeds hits as one run would.
func (f *fixture) ingest(hits ...rules.Hit) (int, int) {
	f.t.Helper()
	f.nextRun++
	n, r, err := f.svc.ingest(context.Background(), f.nextRun, testRule, hits)
	if err != nil {
		f.t.Fatal(err)
	}
	return n, r
}

func (f *fixture) warning(subject, period string) *Warning {
	f.t.Helper()
	ws, _, err := f.svc.Warnings(context.Background(), Query{Words: subject})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, w := range ws {
		if w.Subject == subject && w.Period == period {
			full, err := f.svc.Warning(context.Background(), w.ID)
			if err != nil {
				f.t.Fatal(err)
			}
			return full
		}
	}
	f.t.Fatalf("no warning %s %s", subject, period)
	return nil
}

func wantErr(t *testing.T, err error, code string) {
	t.Helper()
	var p *httpx.Problem
	if !errors.As(err, &p) || p.Code != code {
		t.Fatalf("error %v, want %s", err, code)
	}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// Every step from every state: the allowed ones lead where the workflow
// says, every other one is refused.
func TestTransitionTable(t *testing.T) {
	states := []string{StatusNew, StatusDispatched, StatusVerified, StatusReviewed, StatusClosed}
	steps := []string{"dispatch", "verify", "review/pass", "review/send_back", "feedback/close", "feedback/send_back", "reopen", ""}
	allowed := map[string]string{
		StatusNew + " dispatch":                StatusDispatched,
		StatusDispatched + " verify":           StatusVerified,
		StatusVerified + " review/pass":        StatusReviewed,
		StatusVerified + " review/send_back":   StatusDispatched,
		StatusReviewed + " feedback/close":     StatusClosed,
		StatusReviewed + " feedback/send_back": StatusDispatched,
	}
	for _, from := range states {
		for _, st := range steps {
			to, ok := Transition(from, st)
			want, wantOK := allowed[from+" "+st]
			if ok != wantOK || to != want {
				t.Errorf("%s from %s: (%q, %v), want (%q, %v)", st, from, to, ok, want, wantOK)
			}
		}
	}
}

func TestLifecycle(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d, nil)
		ok := must[*Warning](t)
		f.ingest(hit("520102199001011234", "520102", "202403", 1234.56, "死亡 202401；发放 202403"))
		w := f.warning("520102199001011234", "202403")
		if w.Status != StatusNew || w.City != "5201" || w.Province != "52" || w.Amount != 1234.56 || len(w.Events) != 1 {
			t.Fatalf("screened warning %+v", w)
		}
		deadline := f.clock.Add(10 * 24 * time.Hour)
		vin := VerifyInput{Findings: "已核实死亡后冒领", ProblemCategory: "fraud", Rectified: true, AmountInvolved: 1234.56, AmountRecovered: 1000}
		// Refused from new: every step but dispatch.
		_, err := f.svc.Verify(f.agencyCx, w.ID, vin)
		wantErr(t, err, "supervision_not_your_agency") // not dispatched to anyone yet
		_, err = f.svc.Review(f.sup, w.ID, Decision{Decision: "pass"})
		wantErr(t, err, "supervision_bad_state")
		_, err = f.svc.Feedback(f.sup, w.ID, Decision{Decision: "close"})
		wantErr(t, err, "supervision_bad_state")
		_, err = f.svc.Dispatch(f.sup, w.ID, DispatchInput{AgencyID: f.agency, Deadline: f.clock.Add(-time.Hour)})
		wantErr(t, err, "validation_failed")
		_, err = f.svc.Dispatch(f.sup, w.ID, DispatchInput{AgencyID: 99999, Deadline: deadline})
		wantErr(t, err, "validation_failed")

		w = ok(f.svc.Dispatch(f.sup, w.ID, DispatchInput{AgencyID: f.agency, Deadline: deadline, Comment: "请核查"}))
		if w.Status != StatusDispatched || w.AgencyName != "A县社保局" || !w.Deadline.Equal(deadline) {
			t.Fatalf("dispatched %+v", w)
		}
		// From dispatched: no second dispatch, no review, no feedback; the
		// other agency may not verify.
		_, err = f.svc.Dispatch(f.sup, w.ID, DispatchInput{AgencyID: f.other, Deadline: deadline})
		wantErr(t, err, "supervision_bad_state")
		_, err = f.svc.Review(f.sup, w.ID, Decision{Decision: "pass"})
		wantErr(t, err, "supervision_bad_state")
		_, err = f.svc.Feedback(f.sup, w.ID, Decision{Decision: "close"})
		wantErr(t, err, "supervision_bad_state")
		_, err = f.svc.Verify(f.otherCx, w.ID, vin)
		wantErr(t, err, "supervision_not_your_agency")
		_, err = f.svc.Verify(f.sup, w.ID, vin) // no organisation at all
		wantErr(t, err, "supervision_not_your_agency")
		_, err = f.svc.Verify(f.agencyCx, w.ID, VerifyInput{Findings: "x", ProblemCategory: "nonsense"})
		wantErr(t, err, "validation_failed")
		if _, _, err := f.svc.AgencyWarnings(f.otherCx, Query{}); err != nil {
			t.Fatal(err)
		}
		if ws, n, _ := f.svc.AgencyWarnings(f.agencyCx, Query{}); n != 1 || ws[0].ID != w.ID {
			t.Errorf("agency worklist: %d", n)
		}
		_, err = f.svc.AgencyWarning(f.otherCx, w.ID)
		wantErr(t, err, "supervision_not_your_agency")

		w = ok(f.svc.Verify(f.agencyCx, w.ID, vin))
		if w.Status != StatusVerified || w.VerifiedAt == nil || *w.VerifiedAmount != 1234.56 || w.Recovered != 1000 || !w.Rectified {
			t.Fatalf("verified %+v", w)
		}
		// From verified: no dispatch, verify or feedback; a send-back needs a comment.
		_, err = f.svc.Dispatch(f.sup, w.ID, DispatchInput{AgencyID: f.agency, Deadline: deadline})
		wantErr(t, err, "supervision_bad_state")
		_, err = f.svc.Verify(f.agencyCx, w.ID, vin)
		wantErr(t, err, "supervision_bad_state")
		_, err = f.svc.Feedback(f.sup, w.ID, Decision{Decision: "close"})
		wantErr(t, err, "supervision_bad_state")
		_, err = f.svc.Review(f.sup, w.ID, Decision{Decision: "send_back"})
		wantErr(t, err, "validation_failed")
		_, err = f.svc.Review(f.sup, w.ID, Decision{Decision: "close"})
		wantErr(t, err, "validation_failed")

		w = ok(f.svc.Review(f.sup, w.ID, Decision{Decision: "send_back", Comment: "证据不足"}))
		if w.Status != StatusDispatched || w.VerifiedAt != nil {
			t.Fatalf("sent back %+v", w)
		}
		w = ok(f.svc.Verify(f.agencyCx, w.ID, vin))
		w = ok(f.svc.Review(f.sup, w.ID, Decision{Decision: "pass"}))
		if w.Status != StatusReviewed {
			t.Fatalf("reviewed %+v", w)
		}
		// From reviewed: no dispatch, verify or review.
		_, err = f.svc.Dispatch(f.sup, w.ID, DispatchInput{AgencyID: f.agency, Deadline: deadline})
		wantErr(t, err, "supervision_bad_state")
		_, err = f.svc.Verify(f.agencyCx, w.ID, vin)
		wantErr(t, err, "supervision_bad_state")
		_, err = f.svc.Review(f.sup, w.ID, Decision{Decision: "pass"})
		wantErr(t, err, "supervision_bad_state")

		w = ok(f.svc.Feedback(f.sup, w.ID, Decision{Decision: "send_back", Comment: "追回不足", Deadline: &deadline}))
		if w.Status != StatusDispatched {
			t.Fatalf("feedback send back %+v", w)
		}
		w = ok(f.svc.Verify(f.agencyCx, w.ID, vin))
		w = ok(f.svc.Review(f.sup, w.ID, Decision{Decision: "pass"}))
		w = ok(f.svc.Feedback(f.sup, w.ID, Decision{Decision: "close", Comment: "办结"}))
		if w.Status != StatusClosed || w.ClosedAt == nil {
			t.Fatalf("closed %+v", w)
		}
		// From closed: nothing.
		_, err = f.svc.Dispatch(f.sup, w.ID, DispatchInput{AgencyID: f.agency, Deadline: deadline})
		wantErr(t, err, "supervision_bad_state")
		_, err = f.svc.Verify(f.agencyCx, w.ID, vin)
		wantErr(t, err, "supervision_bad_state")
		_, err = f.svc.Review(f.sup, w.ID, Decision{Decision: "pass"})
		wantErr(t, err, "supervision_bad_state")
		_, err = f.svc.Feedback(f.sup, w.ID, Decision{Decision: "send_back", Comment: "x"})
		wantErr(t, err, "supervision_bad_state")

		var actions []string
		for _, e := range w.Events {
			actions = append(actions, e.Action+":"+e.ActorName)
		}
		want := "screen:system dispatch:jianguan verify:hecha review_send_back:jianguan verify:hecha review_pass:jianguan " +
			"feedback_send_back:jianguan verify:hecha review_pass:jianguan feedback_close:jianguan"
		if strings.Join(actions, " ") != want {
			t.Errorf("events\n%s\nwant\n%s", strings.Join(actions, " "), want)
		}
		// Each step is audited, and the refusal of the other agency too.
		var n, denied int
		f.d.QueryRow(context.Background(), "SELECT COUNT(*) FROM audit_log WHERE target_type = 'supervision_warning' AND result = 'ok'").Scan(&n)
		f.d.QueryRow(context.Background(), "SELECT COUNT(*) FROM audit_log WHERE target_type = 'supervision_warning' AND result = 'denied'").Scan(&denied)
		if n != 9 || denied < 3 {
			t.Errorf("audited %d steps, %d denials", n, denied)
		}
		if v, err := audit.New(f.d).Verify(context.Background()); err != nil || !v.OK {
			t.Errorf("audit chain: %+v %v", v, err)
		}
	})
}

func TestDedupAndReopen(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d, nil)
		ctx := context.Background()
		h1 := hit("520102199001011234", "520102", "202403", 100, "evidence one")
		h2 := hit("520102199001011234", "520102", "202404", 200, "evidence two")
		if n, r := f.ingest(h1, h2); n != 2 || r != 0 {
			t.Fatalf("first run: %d new, %d reopened", n, r)
		}
		if n, r := f.ingest(h1, h2, h1); n != 0 || r != 0 {
			t.Fatalf("re-run: %d new, %d reopened", n, r)
		}
		w := f.warning(h1.Subject, "202403")
		if *w.RunID != 1 || *w.LastRunID != 2 || len(w.Events) != 1 {
			t.Fatalf("an open warning seen again: run %d last %d events %d", *w.RunID, *w.LastRunID, len(w.Events))
		}
		// Close it through the workflow.
		f.clock = time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)
		dl := f.clock.Add(48 * time.Hour)
		must[*Warning](t)(f.svc.Dispatch(f.sup, w.ID, DispatchInput{AgencyID: f.agency, Deadline: dl}))
		must[*Warning](t)(f.svc.Verify(f.agencyCx, w.ID, VerifyInput{Findings: "属实", ProblemCategory: "overpayment", AmountInvolved: 100, AmountRecovered: 100, Rectified: true}))
		must[*Warning](t)(f.svc.Review(f.sup, w.ID, Decision{Decision: "pass"}))
		must[*Warning](t)(f.svc.Feedback(f.sup, w.ID, Decision{Decision: "close"}))
		// The same evidence again: it stays closed.
		if n, r := f.ingest(h1); n != 0 || r != 0 {
			t.Fatalf("same evidence: %d new, %d reopened", n, r)
		}
		if w = f.warning(h1.Subject, "202403"); w.Status != StatusClosed || *w.LastRunID != 3 {
			t.Fatalf("closed warning with unchanged evidence: %s last run %d", w.Status, *w.LastRunID)
		}
		// Changed evidence (or amount): it comes back, with an event.
		h1b := h1
		h1b.Evidence, h1b.Amount = "evidence one, two more months", 300
		if n, r := f.ingest(h1b); n != 0 || r != 1 {
			t.Fatalf("changed evidence: %d new, %d reopened", n, r)
		}
		w = f.warning(h1.Subject, "202403")
		last := w.Events[len(w.Events)-1]
		if w.Status != StatusNew || w.ReopenCount != 1 || w.Amount != 300 || w.Evidence != h1b.Evidence || w.AgencyID != nil || w.VerifiedAt != nil ||
			last.Action != "reopen" || last.FromStatus != StatusClosed || *last.RunID != 4 {
			t.Fatalf("reopened %+v, last event %+v", w, last)
		}
		var total int
		f.d.QueryRow(ctx, "SELECT COUNT(*) FROM sup_warnings").Scan(&total)
		if total != 2 {
			t.Errorf("%d warnings, want 2", total)
		}
	})
}

func TestEscalation(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d, nil)
		ctx := context.Background()
		f.svc.SetEscalateEvery(7 * 24 * time.Hour)
		f.ingest(hit("520102199001011234", "520102", "202403", 1, "a"), hit("520102199001015678", "520102", "202403", 1, "b"))
		a, b := f.warning("520102199001011234", "202403"), f.warning("520102199001015678", "202403")
		dl := f.clock.Add(24 * time.Hour)
		must[*Warning](t)(f.svc.Dispatch(f.sup, a.ID, DispatchInput{AgencyID: f.agency, Deadline: dl}))
		must[*Warning](t)(f.svc.Dispatch(f.sup, b.ID, DispatchInput{AgencyID: f.agency, Deadline: dl}))
		// b is verified in time: it never escalates.
		must[*Warning](t)(f.svc.Verify(f.agencyCx, b.ID, VerifyInput{Findings: "无问题", ProblemCategory: "none"}))
		steps := []struct {
			at     time.Duration // after the deadline
			raised int
			level  int
		}{
			{-time.Hour, 0, 0},
			{time.Hour, 1, 1},
			{2 * time.Hour, 0, 1},
			{7*24*time.Hour + time.Hour, 1, 2},
			{30 * 24 * time.Hour, 2, 4},
			{300 * 24 * time.Hour, 0, 4},
		}
		for _, s := range steps {
			f.clock = dl.Add(s.at)
			n, err := f.svc.Escalate(ctx, f.clock)
			if err != nil {
				t.Fatal(err)
			}
			w := must[*Warning](t)(f.svc.Warning(ctx, a.ID))
			if n != s.raised || w.Escalation != s.level || w.Overdue != (s.at > 0) {
				t.Errorf("at deadline%+v: raised %d level %d overdue %v, want %d %d", s.at, n, w.Escalation, w.Overdue, s.raised, s.level)
			}
		}
		w := must[*Warning](t)(f.svc.Warning(ctx, a.ID))
		var levels []string
		for _, e := range w.Events {
			if strings.HasPrefix(e.Action, "escalate:") {
				levels = append(levels, strings.TrimPrefix(e.Action, "escalate:"))
			}
		}
		if strings.Join(levels, "→") != "督办提醒→函询→约谈→通报" || w.EscalationName != "通报" {
			t.Errorf("escalation events %v (%s)", levels, w.EscalationName)
		}
		if w := must[*Warning](t)(f.svc.Warning(ctx, b.ID)); w.Escalation != 0 {
			t.Errorf("a verified warning escalated to %d", w.Escalation)
		}
		ws, n, _ := f.svc.Warnings(ctx, Query{Overdue: true})
		if n != 1 || ws[0].ID != a.ID {
			t.Errorf("overdue filter: %d", n)
		}
	})
}

// closeOne walks a warning to closed at the fixture's clock.
func (f *fixture) closeOne(id int64, involved, recovered float64, rectified bool) {
	f.t.Helper()
	t := f.t
	must[*Warning](t)(f.svc.Dispatch(f.sup, id, DispatchInput{AgencyID: f.agency, Deadline: f.clock.Add(time.Hour)}))
	must[*Warning](t)(f.svc.Verify(f.agencyCx, id, VerifyInput{Findings: "核查", ProblemCategory: "overpayment", Rectified: rectified, AmountInvolved: involved, AmountRecovered: recovered}))
	must[*Warning](t)(f.svc.Review(f.sup, id, Decision{Decision: "pass"}))
	must[*Warning](t)(f.svc.Feedback(f.sup, id, Decision{Decision: "close"}))
}

func TestQuarterlySample(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d, nil)
		ctx := context.Background()
		var hits []rules.Hit
		for i := 0; i < 12; i++ {
			hits = append(hits, hit(fmt.Sprintf("5201021990010110%02d", i), "520102", "202403", 1, "e"))
		}
		f.ingest(hits...)
		ws, _, _ := f.svc.Warnings(ctx, Query{})
		var q1 []int64
		for i, w := range ws {
			f.clock = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
			if i >= 10 { // two close in 2026Q2
				f.clock = time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)
			} else {
				q1 = append(q1, w.ID)
			}
			f.closeOne(w.ID, 1, 0, false)
		}
		seed := int64(20260331)
		s := must[*Sample](t)(f.svc.DrawSample(f.sup, SampleInput{Quarter: "2026Q1", Size: 4, Seed: &seed}))
		if s.Population != 10 || s.Size != 4 || len(s.WarningIDs) != 4 {
			t.Fatalf("sample %+v", s)
		}
		// Reproducible from the recorded quarter and seed, and only Q1 closures.
		if again := Draw(q1, "2026Q1", s.Seed, 4); fmt.Sprint(again) != fmt.Sprint(s.WarningIDs) {
			t.Errorf("redraw %v, sample %v", again, s.WarningIDs)
		}
		inQ1 := map[int64]bool{}
		for _, id := range q1 {
			inQ1[id] = true
		}
		for _, id := range s.WarningIDs {
			if !inQ1[id] {
				t.Errorf("sampled %d, not closed in 2026Q1", id)
			}
		}
		differs := false
		for sd := int64(1); sd < 6; sd++ {
			differs = differs || fmt.Sprint(Draw(q1, "2026Q1", sd, 4)) != fmt.Sprint(s.WarningIDs)
		}
		if !differs {
			t.Error("the draw ignores the seed")
		}
		_, err := f.svc.DrawSample(f.sup, SampleInput{Quarter: "2026Q1", Size: 2})
		wantErr(t, err, "supervision_sample_exists")
		_, err = f.svc.DrawSample(f.sup, SampleInput{Quarter: "2026Q5", Size: 2})
		wantErr(t, err, "validation_failed")
		// A random seed is recorded.
		s2 := must[*Sample](t)(f.svc.DrawSample(f.sup, SampleInput{Quarter: "2026Q2", Size: 5}))
		if s2.Size != 2 || fmt.Sprint(Draw(s2.WarningIDs, "2026Q2", s2.Seed, 5)) != fmt.Sprint(s2.WarningIDs) {
			t.Errorf("Q2 sample %+v", s2)
		}
		// Re-check outcomes.
		w := must[*Warning](t)(f.svc.Recheck(f.sup, s.WarningIDs[0], RecheckInput{Outcome: "problem", Comment: "追回金额与凭证不符"}))
		if w.RecheckStatus != "problem" || w.Status != StatusClosed || w.Events[len(w.Events)-1].Action != "recheck_problem" {
			t.Errorf("recheck %+v", w)
		}
		_, err = f.svc.Recheck(f.sup, s.WarningIDs[0], RecheckInput{Outcome: "confirmed"})
		wantErr(t, err, "supervision_not_sampled")
		pending, n, _ := f.svc.Warnings(ctx, Query{Recheck: "pending"})
		if n != 5 || len(pending) != 5 {
			t.Errorf("%d pending re-checks, want 5", n)
		}
	})
}

func TestStatisticsAndExport(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d, nil)
		ctx := context.Background()
		// Organisations of each level name their regions in the statistics;
		// a department with a region code does not.
		for _, o := range [][3]string{{"gz", "贵州省社保局", "province:520000"}, {"gy", "贵阳市社保局", "city:520100"}, {"yy", "云岩区社保局", "county:520102"},
			{"yyd", "云岩区社保局办公室", "department:520102"}} {
			kind, region, _ := strings.Cut(o[2], ":")
			if _, err := f.d.Exec(ctx, "INSERT INTO orgs (code, name, kind, region_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
				o[0], o[1], kind, region, db.Now(), db.Now()); err != nil {
				t.Fatal(err)
			}
		}
		f.ingest(
			hit("520102199001010001", "520102", "202401", 100, "a"), // 贵阳 云岩
			hit("520102199001010002", "520102", "202402", 200, "b"),
			hit("520103199001010003", "520103", "202401", 300, "c"), // 贵阳 南明
			hit("520201199001010004", "520201", "202401", 400, "d"), // 六盘水 钟山
			hit("530102199001010005", "530102", "202401", 500, "e"), // 云南 昆明
		)
		w := func(s string) int64 {
			return f.warning(s, map[bool]string{true: "202402", false: "202401"}[s == "520102199001010002"]).ID
		}
		f.closeOne(w("520102199001010001"), 150, 120.5, true) // verified amount replaces the screened one
		f.closeOne(w("520103199001010003"), 300, 0, false)
		f.closeOne(w("520201199001010004"), 400, 400, true)
		stats := func(q StatsQuery) map[string]Stat {
			rows := must[[]*Stat](t)(f.svc.Stats(ctx, q))
			out := map[string]Stat{}
			for _, r := range rows {
				out[r.Region] = *r
			}
			return out
		}
		prov := stats(StatsQuery{Level: "province"})
		if fmt.Sprint(prov) != fmt.Sprint(map[string]Stat{
			"52": {"52", "贵州省社保局", 4, 3, 2, 150 + 200 + 300 + 400, 520.5},
			"53": {"53", "", 1, 0, 0, 500, 0},
		}) {
			t.Errorf("provinces %v", prov)
		}
		city := stats(StatsQuery{Level: "city", Region: "52"})
		if fmt.Sprint(city) != fmt.Sprint(map[string]Stat{
			"5201": {"5201", "贵阳市社保局", 3, 2, 1, 650, 120.5},
			"5202": {"5202", "", 1, 1, 1, 400, 400},
		}) {
			t.Errorf("cities %v", city)
		}
		county := stats(StatsQuery{Level: "county", Region: "5201"})
		if fmt.Sprint(county) != fmt.Sprint(map[string]Stat{
			"520102": {"520102", "云岩区社保局", 2, 1, 1, 350, 120.5},
			"520103": {"520103", "", 1, 1, 0, 300, 0},
		}) {
			t.Errorf("counties %v", county)
		}
		if p := stats(StatsQuery{Level: "county", PeriodMin: "202402", PeriodMax: "202402"}); len(p) != 1 || p["520102"].Found != 1 {
			t.Errorf("period filter %v", p)
		}
		if p := stats(StatsQuery{Level: "province", RuleCode: "R9"}); len(p) != 0 {
			t.Errorf("rule filter %v", p)
		}
		if p := stats(StatsQuery{Level: "province", Insurance: "110"}); p["52"].Found != 4 {
			t.Errorf("insurance filter %v", p)
		}
		// Dispatch options: the county's own organisations first, then its city's, its province's, the rest.
		opts := must[[]AgencyOption](t)(f.svc.AgencyOptions(ctx, "520102", ""))
		var order []string
		for _, o := range opts {
			order = append(order, fmt.Sprintf("%s:%d", o.Name, o.Match))
		}
		if got := strings.Join(order, " "); got != "云岩区社保局:3 云岩区社保局办公室:3 贵阳市社保局:2 贵州省社保局:1 A县社保局:0 B县社保局:0" {
			t.Errorf("agency options %s", got)
		}
		if opts := must[[]AgencyOption](t)(f.svc.AgencyOptions(ctx, "520102", "贵阳")); len(opts) != 1 || opts[0].Name != "贵阳市社保局" {
			t.Errorf("agency options by name %v", opts)
		}
		_, err := f.svc.Stats(ctx, StatsQuery{Level: "street"})
		wantErr(t, err, "validation_failed")

		// Excel: the statistics with a total row, and a warning list.
		b := must[[]byte](t)(f.svc.ExportStats(f.sup, StatsQuery{Level: "city"}))
		x, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows("Sheet1")
		got := fmt.Sprint(rows[1:])
		if got != "[[5201 贵阳市社保局 3 2 1 650 120.5] [5202  1 1 1 400 400] [5301  1 0 0 500 0] [合计  5 3 2 1550 520.5]]" {
			t.Errorf("stats sheet %s", got)
		}
		b = must[[]byte](t)(f.svc.ExportWarnings(f.sup, Query{Region: "5201"}))
		x, err = excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ = x.GetRows("Sheet1")
		if len(rows) != 4 || rows[0][4] != "主体" {
			t.Fatalf("warning sheet %v", rows)
		}
		amounts := map[string]string{}
		for _, r := range rows[1:] {
			amounts[r[4]] = r[9] + "/" + r[17]
		}
		if amounts["520102199001010001"] != "100/120.5" || amounts["520103199001010003"] != "300/0" || amounts["520102199001010002"] != "200/0" {
			t.Errorf("warning sheet amounts %v", amounts)
		}
	})
}

func TestEvidenceFiles(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d, nil)
		ctx := context.Background()
		f.ingest(hit("520102199001011234", "520102", "202403", 1, "a"))
		w := f.warning("520102199001011234", "202403")
		pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
		_, err := f.svc.Upload(f.agencyCx, w.ID, "核查报告.pdf", pdf)
		wantErr(t, err, "supervision_not_your_agency") // not dispatched yet
		must[*Warning](t)(f.svc.Dispatch(f.sup, w.ID, DispatchInput{AgencyID: f.agency, Deadline: f.clock.Add(time.Hour)}))
		_, err = f.svc.Upload(f.otherCx, w.ID, "核查报告.pdf", pdf)
		wantErr(t, err, "supervision_not_your_agency")
		_, err = f.svc.Upload(f.agencyCx, w.ID, "big.pdf", append(pdf, make([]byte, MaxFileBytes)...))
		wantErr(t, err, "supervision_file_too_large")
		_, err = f.svc.Upload(f.agencyCx, w.ID, "x.exe", []byte("MZ\x90\x00"))
		wantErr(t, err, "supervision_file_type")
		_, err = f.svc.Upload(f.agencyCx, w.ID, "fake.pdf", []byte("<html><script>alert(1)</script></html>"))
		wantErr(t, err, "supervision_file_type")
		_, err = f.svc.Upload(f.agencyCx, w.ID, "../../etc/passwd.txt", []byte("x"))
		wantErr(t, err, "validation_failed")
		file := must[*File](t)(f.svc.Upload(f.agencyCx, w.ID, "核查报告.pdf", pdf))
		if file.SM3 == "" || file.Size != int64(len(pdf)) || file.ContentType != "application/pdf" {
			t.Fatalf("file %+v", file)
		}
		_, err = f.svc.Verify(f.agencyCx, w.ID, VerifyInput{Findings: "x", ProblemCategory: "none", FileIDs: []int64{file.ID + 100}})
		wantErr(t, err, "validation_failed")
		w = must[*Warning](t)(f.svc.Verify(f.agencyCx, w.ID, VerifyInput{Findings: "见报告", ProblemCategory: "none", FileIDs: []int64{file.ID}}))
		if len(w.Files) != 1 || fmt.Sprint(w.FileIDs) != fmt.Sprint([]int64{file.ID}) {
			t.Errorf("verified files %v %v", w.Files, w.FileIDs)
		}
		got, b, err := f.svc.FileContent(ctx, file.ID, false)
		if err != nil || !bytes.Equal(b, pdf) || got.Name != "核查报告.pdf" {
			t.Errorf("read back %v %v", got, err)
		}
		_, _, err = f.svc.FileContent(f.otherCx, file.ID, true)
		wantErr(t, err, "supervision_not_your_agency")
	})
}

func TestRuleSettings(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d, nil)
		ctx := f.sup
		r := must[*RuleView](t)(f.svc.SetEnabled(ctx, "R17", false))
		if r.Enabled {
			t.Error("R17 still enabled")
		}
		r = must[*RuleView](t)(f.svc.SetParams(ctx, "R17", ParamsInput{City: "5201", Values: map[string]string{"min_age": "18"}}))
		if r.Overrides["5201"]["min_age"] != "18" {
			t.Errorf("overrides %v", r.Overrides)
		}
		for _, bad := range []ParamsInput{
			{City: "5201", Values: map[string]string{"nope": "1"}},
			{City: "52", Values: map[string]string{"min_age": "18"}},
			{City: "5201", Values: map[string]string{"min_age": "eighteen"}},
		} {
			_, err := f.svc.SetParams(ctx, "R17", bad)
			wantErr(t, err, "validation_failed")
		}
		r = must[*RuleView](t)(f.svc.SetParams(ctx, "R17", ParamsInput{City: "5201", Values: map[string]string{}}))
		if len(r.Overrides) != 0 {
			t.Errorf("override not removed: %v", r.Overrides)
		}
		// A user-defined rule: versions, activation.
		in := RuleInput{Code: "L1", Name: "本地规则", Insurance: "110", Scope: rules.ScopeLocal, Severity: rules.SeverityLow,
			SQL:    `SELECT 'L1' AS rule_code, aac002 AS subject, aac003 AS subject_name, aab301 AS region, '110' AS insurance, aac006_ym AS period, 0 AS amount, 'x' AS evidence FROM ac01 WHERE aac006_ym < ${before}`,
			Params: []rules.Param{{Name: "before", Type: rules.TypeInteger, Default: "196001"}}}
		v1 := must[*Version](t)(f.svc.SaveRule(ctx, in))
		in.Params[0].Default = "195501"
		v2 := must[*Version](t)(f.svc.SaveRule(ctx, in))
		if v1.Version != 1 || v2.Version != 2 {
			t.Fatalf("versions %d %d", v1.Version, v2.Version)
		}
		if r := must[*RuleView](t)(f.svc.Rule(ctx, "L1")); r.Enabled || r.ActiveVersion != 0 {
			t.Errorf("an unactivated rule is enabled: %+v", r)
		}
		r = must[*RuleView](t)(f.svc.Activate(ctx, "L1", 1))
		if !r.Enabled || r.ActiveVersion != 1 || r.Params[0].Default != "196001" {
			t.Errorf("activated %+v", r)
		}
		if _, err := f.svc.Activate(ctx, "L1", 3); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("activating a missing version: %v", err)
		}
		vs := must[[]*Version](t)(f.svc.Versions(ctx, "L1"))
		if len(vs) != 2 || !vs[1].Active || vs[0].Active {
			t.Errorf("versions %+v", vs)
		}
		in.Code = "R1"
		_, err := f.svc.SaveRule(ctx, in)
		wantErr(t, err, "supervision_builtin_rule")
		in.Code, in.SQL = "L2", "DELETE FROM ac01"
		_, err = f.svc.SaveRule(ctx, in)
		wantErr(t, err, "validation_failed")
		_, err = f.svc.SetParams(ctx, "L1", ParamsInput{City: "5201", Values: map[string]string{"before": "197001"}})
		if err != nil {
			t.Errorf("a user-defined rule's city parameter: %v", err)
		}
		_, err = f.svc.DryRun(ctx, DryRunInput{Code: "L1"})
		wantErr(t, err, "supervision_no_warehouse")
		// Groups refuse unknown rules and bad schedules.
		_, err = f.svc.SaveGroup(ctx, 0, GroupInput{Name: "g", RuleCodes: []string{"R1", "R999"}})
		wantErr(t, err, "validation_failed")
		_, err = f.svc.SaveGroup(ctx, 0, GroupInput{Name: "g", RuleCodes: []string{"R1"}, Schedule: "0 2 * * *"})
		wantErr(t, err, "validation_failed")
		g := must[*Group](t)(f.svc.SaveGroup(ctx, 0, GroupInput{Name: "g", RuleCodes: []string{"R1", "L1"}, Schedule: "daily  02:30", Enabled: true}))
		if g.Schedule != "daily 02:30" || g.NextAt == nil {
			t.Errorf("group %+v", g)
		}
	})
}

func TestSchedule(t *testing.T) {
	at := func(s string) time.Time {
		x, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		return x.UTC()
	}
	cases := []struct{ sched, after, next string }{
		{"daily 02:30", "2026-03-01 01:00", "2026-03-01 02:30"},
		{"daily 02:30", "2026-03-01 02:30", "2026-03-02 02:30"},
		{"weekly 1 08:00", "2026-03-01 09:00", "2026-03-02 08:00"}, // 2026-03-01 is a Sunday
		{"weekly 7 08:00", "2026-03-01 07:00", "2026-03-01 08:00"},
		{"monthly 15 23:59", "2026-02-20 00:00", "2026-03-15 23:59"},
		// cron, in Beijing time: working days at 02:30; every six hours; the 1st and 16th.
		{"cron 30 2 * * 1-5", "2026-03-06 03:00", "2026-03-09 02:30"}, // Friday after the run → Monday
		{"cron 0 */6 * * *", "2026-03-01 06:00", "2026-03-01 12:00"},
		{"cron 0 1 1,16 * *", "2026-03-02 00:00", "2026-03-16 01:00"},
	}
	for _, c := range cases {
		sc, err := ParseSchedule(c.sched)
		if err != nil {
			t.Fatal(err)
		}
		if got := sc.Next(at(c.after)); !got.Equal(at(c.next)) {
			t.Errorf("%s after %s: %s, want %s", c.sched, c.after, got.In(shanghai), c.next)
		}
	}
	for _, bad := range []string{"hourly", "daily 24:00", "daily 2:30", "weekly 8 01:00", "monthly 31 01:00", "0 2 * * *", "daily", "cron 0 2 * *", "cron 61 2 * * *", "cron @daily", "cron 0 0 2 * * *"} {
		if _, err := ParseSchedule(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if sc, err := ParseSchedule(""); sc != nil || err != nil {
		t.Errorf("empty schedule: %v %v", sc, err)
	}
}
