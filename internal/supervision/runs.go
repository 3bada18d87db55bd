package supervision

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/gm"
	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/rules"
)

// Schedules are counted in Asia/Shanghai, in one of four forms:
//
//	daily HH:MM          every day
//	weekly D HH:MM       D = 1 (Monday) … 7 (Sunday)
//	monthly D HH:MM      D = 1 … 28
//	cron M H DOM MON DOW a standard five-field cron expression
//	                     (github.com/robfig/cron/v3), e.g. "cron 30 2 * * 1-5"
//
// The first three are what the console's schedule picker writes; cron is
// for what they cannot say (several times a day, working days…).
type Schedule struct {
	Kind         string // daily | weekly | monthly | cron
	Day          int
	Hour, Minute int
	cron         cron.Schedule
}

var shanghai = time.FixedZone("CST", 8*3600)

// cronParser reads the standard five fields (no seconds, no descriptors
// such as @every: a task group runs at clock times).
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// ParseSchedule reads a schedule; "" is no schedule (manual runs only).
func ParseSchedule(s string) (*Schedule, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return nil, nil
	}
	bad := fmt.Errorf("schedule %q: want \"daily HH:MM\", \"weekly D HH:MM\" (D 1–7), \"monthly D HH:MM\" (D 1–28) or \"cron M H DOM MON DOW\"", s)
	if f[0] == "cron" {
		if len(f) != 6 {
			return nil, bad
		}
		cs, err := cronParser.Parse(strings.Join(f[1:], " "))
		if err != nil {
			return nil, fmt.Errorf("schedule %q: %v", s, err)
		}
		return &Schedule{Kind: "cron", cron: cs}, nil
	}
	sc := &Schedule{Kind: f[0]}
	hm := ""
	switch {
	case f[0] == "daily" && len(f) == 2:
		hm = f[1]
	case (f[0] == "weekly" || f[0] == "monthly") && len(f) == 3:
		d, err := strconv.Atoi(f[1])
		if err != nil || d < 1 || (f[0] == "weekly" && d > 7) || (f[0] == "monthly" && d > 28) {
			return nil, bad
		}
		sc.Day, hm = d, f[2]
	default:
		return nil, bad
	}
	t, err := time.Parse("15:04", hm)
	if err != nil || len(hm) != 5 {
		return nil, bad
	}
	sc.Hour, sc.Minute = t.Hour(), t.Minute()
	return sc, nil
}

// Next is the first firing time strictly after t.
func (sc *Schedule) Next(t time.Time) time.Time {
	if sc.cron != nil {
		n := sc.cron.Next(t.In(shanghai))
		if n.IsZero() { // an expression that never fires (30 February)
			return t.AddDate(100, 0, 0).UTC()
		}
		return n.UTC()
	}
	l := t.In(shanghai)
	day := time.Date(l.Year(), l.Month(), l.Day(), sc.Hour, sc.Minute, 0, 0, shanghai)
	for i := 0; i < 64; i++ {
		c := day.AddDate(0, 0, i)
		ok := false
		switch sc.Kind {
		case "daily":
			ok = true
		case "weekly":
			wd := int(c.Weekday())
			if wd == 0 {
				wd = 7
			}
			ok = wd == sc.Day
		case "monthly":
			ok = c.Day() == sc.Day
		}
		if ok && c.After(t) {
			return c.UTC()
		}
	}
	return t.Add(24 * time.Hour).UTC() // not reached
}

// ---- task groups (任务组) ----

func (s *Service) checkGroup(ctx context.Context, in *GroupInput) error {
	var c httpx.Checker
	c.Text("name", in.Name, true, 100)
	if len(in.RuleCodes) == 0 || len(in.RuleCodes) > 200 {
		c.Add("rule_codes", "required", "1–200 rules")
	}
	if _, err := ParseSchedule(in.Schedule); err != nil {
		c.Add("schedule", "format", err.Error())
	}
	if err := c.Err(); err != nil {
		return err
	}
	_, _, err := s.resolve(ctx, in.RuleCodes)
	return err
}

func (s *Service) withNext(g *Group) *Group {
	sc, _ := ParseSchedule(g.Schedule)
	if sc != nil && g.Enabled {
		from := g.CreatedAt
		if g.LastFiredAt != nil {
			from = *g.LastFiredAt
		}
		n := sc.Next(from)
		g.NextAt = &n
	}
	return g
}

// Groups lists the task groups with their next firing times.
func (s *Service) Groups(ctx context.Context) ([]*Group, error) {
	gs, err := s.store.Groups(ctx)
	for _, g := range gs {
		s.withNext(g)
	}
	if gs == nil {
		gs = []*Group{}
	}
	return gs, err
}

// Group fetches one task group.
func (s *Service) Group(ctx context.Context, id int64) (*Group, error) {
	g, err := s.store.Group(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.withNext(g), nil
}

// SaveGroup creates (id 0) or edits a task group.
func (s *Service) SaveGroup(ctx context.Context, id int64, in GroupInput) (*Group, error) {
	in.Schedule = strings.Join(strings.Fields(in.Schedule), " ")
	if err := s.checkGroup(ctx, &in); err != nil {
		return nil, err
	}
	g := &Group{CreatedBy: actor(ctx).Name}
	var before *Group
	if id != 0 {
		b, err := s.store.Group(ctx, id)
		if err != nil {
			return nil, err
		}
		before, g = b, &Group{}
		*g = *b
	}
	g.Name, g.RuleCodes, g.Schedule, g.Enabled = strings.TrimSpace(in.Name), in.RuleCodes, in.Schedule, in.Enabled
	if before == nil || before.Schedule != g.Schedule {
		now := s.now().UTC().Truncate(time.Microsecond)
		g.LastFiredAt = &now // a new schedule counts from now, it does not catch up
	}
	action := "supervision_group.update"
	if id == 0 {
		action = "supervision_group.create"
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveGroup(ctx, g); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: action, TargetType: "supervision_group", TargetID: strconv.FormatInt(g.ID, 10), Before: audit.JSON(before), After: audit.JSON(g)})
	})
	if db.IsUniqueViolation(err) {
		return nil, httpx.ErrConflict
	}
	if err != nil {
		return nil, err
	}
	return s.withNext(g), nil
}

// DeleteGroup removes a task group; its runs stay in the history.
func (s *Service) DeleteGroup(ctx context.Context, id int64) error {
	g, err := s.store.Group(ctx, id)
	if err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteGroup(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "supervision_group.delete", TargetType: "supervision_group", TargetID: strconv.FormatInt(id, 10), Before: audit.JSON(g)})
	})
}

// ---- runs (调度管理) ----

// Runs lists a page of the run history (group 0: every run).
func (s *Service) Runs(ctx context.Context, groupID int64, status string, pg httpx.Page) ([]*Run, int, error) {
	return s.store.Runs(ctx, groupID, status, pg.PageSize, pg.Offset())
}

// RunByID fetches one run with its progress and hits per rule.
func (s *Service) RunByID(ctx context.Context, id int64) (*Run, error) { return s.store.Run(ctx, id) }

// StartRun queues a run of a task group (one at a time per group) or of a
// list of rules and starts it in the background; the answer is the queued run.
func (s *Service) StartRun(ctx context.Context, in RunInput) (*Run, error) {
	return s.start(ctx, in, "manual")
}

func (s *Service) start(ctx context.Context, in RunInput, trigger string) (*Run, error) {
	if s.eng == nil {
		return nil, errNoWarehouse
	}
	x := &Run{Trigger: trigger, Status: RunQueued, CreatedBy: actorName(actor(ctx)), QueuedAt: db.Now(), RuleCodes: in.RuleCodes}
	if in.GroupID != 0 {
		g, err := s.store.Group(ctx, in.GroupID)
		if err != nil {
			return nil, notFoundAs(err, "group_id")
		}
		x.GroupID, x.GroupName, x.RuleCodes = &g.ID, g.Name, g.RuleCodes
	} else if len(in.RuleCodes) == 0 {
		return nil, httpx.Invalid(httpx.FieldError{Field: "rule_codes", Code: "required", Message: "a task group or some rules"})
	}
	list, ov, err := s.resolve(ctx, x.RuleCodes)
	if err != nil {
		return nil, err
	}
	for _, r := range list {
		if r.Enabled {
			x.Total++
		}
	}
	s.mu.Lock()
	if x.GroupID != nil {
		if _, busy := s.groups[*x.GroupID]; busy {
			s.mu.Unlock()
			return nil, errRunActive
		}
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveRun(ctx, x); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "supervision_run.start", TargetType: "supervision_run", TargetID: strconv.FormatInt(x.ID, 10), After: audit.JSON(x)})
	})
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a := &active{cancel: cancel, done: make(chan struct{})}
	s.running[x.ID] = a
	if x.GroupID != nil {
		s.groups[*x.GroupID] = x.ID
	}
	s.wg.Add(1)
	s.mu.Unlock()
	queued := *x
	go func() {
		defer s.wg.Done()
		defer close(a.done)
		defer cancel()
		s.execute(rctx, x, list, ov)
		s.mu.Lock()
		delete(s.running, x.ID)
		if x.GroupID != nil && s.groups[*x.GroupID] == x.ID {
			delete(s.groups, *x.GroupID)
		}
		s.mu.Unlock()
	}()
	return &queued, nil
}

// execute runs the rules one after the other (rules.RunAll per rule, so
// that progress shows), turning each rule's hits into warnings.
func (s *Service) execute(ctx context.Context, x *Run, list []rules.Rule, ov map[string]map[string]map[string]string) {
	// Progress writes must land even when the run is cancelled.
	wctx := context.WithoutCancel(ctx)
	started := db.Now()
	x.Status, x.StartedAt = RunRunning, &started
	if err := s.store.SaveRun(wctx, x); err != nil {
		slog.Error("supervision: run start", "run", x.ID, "err", err)
	}
	failed := 0
	for _, r := range list {
		if !r.Enabled {
			continue
		}
		if ctx.Err() != nil {
			break
		}
		res := rules.RunAll(ctx, s.eng, []rules.Rule{r}, ov)
		rr := RuleResult{Code: r.Code, Name: r.Name}
		if len(res) == 1 {
			rr.ElapsedMS = res[0].Elapsed.Milliseconds()
			rr.Hits = len(res[0].Hits)
			if res[0].Err != nil {
				rr.Error = res[0].Err.Error()
			}
		}
		if ctx.Err() != nil {
			break // a rule cut short by the cancel is not a result
		}
		if rr.Error == "" && len(res) == 1 {
			n, reo, err := s.ingest(wctx, x.ID, r, res[0].Hits)
			if err != nil {
				rr.Error = "ingest: " + err.Error()
			}
			rr.New, rr.Reopened = n, reo
		}
		if rr.Error != "" {
			failed++
		}
		x.Done++
		x.Hits += rr.Hits
		x.NewWarnings += rr.New
		x.Reopened += rr.Reopened
		x.Results = append(x.Results, rr)
		if err := s.store.SaveRun(wctx, x); err != nil {
			slog.Error("supervision: run progress", "run", x.ID, "err", err)
		}
	}
	finished := db.Now()
	x.FinishedAt = &finished
	switch {
	case ctx.Err() != nil:
		x.Status, x.Cancelled, x.Error = RunFailed, true, "cancelled"
	case failed > 0 && failed == x.Done:
		x.Status, x.Error = RunFailed, fmt.Sprintf("%d of %d rules failed", failed, x.Done)
	case failed > 0:
		x.Status, x.Error = RunWarning, fmt.Sprintf("%d of %d rules failed", failed, x.Done)
	default:
		x.Status = RunSucceeded
	}
	err := s.db.WithTx(wctx, func(ctx context.Context) error {
		if err := s.store.SaveRun(ctx, x); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "supervision_run.finish", TargetType: "supervision_run", TargetID: strconv.FormatInt(x.ID, 10),
			After: audit.JSON(map[string]any{"status": x.Status, "hits": x.Hits, "new": x.NewWarnings, "reopened": x.Reopened, "done": x.Done, "total": x.Total})})
	})
	if err != nil {
		slog.Error("supervision: run finish", "run", x.ID, "err", err)
	}
}

// CancelRun cancels a queued or running run and waits for it to stop.
func (s *Service) CancelRun(ctx context.Context, id int64) (*Run, error) {
	s.mu.Lock()
	a := s.running[id]
	s.mu.Unlock()
	if a == nil {
		return nil, errNotRunning
	}
	a.cancel()
	select {
	case <-a.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	_ = s.audit.Record(ctx, audit.Event{Action: "supervision_run.cancel", TargetType: "supervision_run", TargetID: strconv.FormatInt(id, 10)})
	return s.store.Run(ctx, id)
}

// Wait blocks until every run started so far has finished (tests, shutdown).
func (s *Service) Wait() { s.wg.Wait() }

// Shutdown cancels every run in progress (they end failed, cancelled) and
// waits for them: call it after Scheduler.Stop on graceful shutdown.
func (s *Service) Shutdown() {
	s.mu.Lock()
	for _, a := range s.running {
		a.cancel()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// evidenceHash is the SM3 digest of what identifies a hit's evidence.
func evidenceHash(h rules.Hit) string {
	return gm.SM3Hex([]byte(h.Evidence + "\x00" + strconv.FormatInt(fen(h.Amount), 10)))
}

func prefix(s string, n int) string {
	if len(s) < n {
		return s
	}
	return s[:n]
}

// ingest turns a rule's hits into warnings: a new key makes a new warning;
// an open warning records that this run saw it; a closed one comes back
// (reopened, with an event) only when its evidence changed.
func (s *Service) ingest(ctx context.Context, runID int64, r rules.Rule, hits []rules.Hit) (created, reopened int, err error) {
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		keys, err := s.store.Keys(ctx, r.Code)
		if err != nil {
			return err
		}
		var touch []int64
		rid := runID
		for _, h := range hits {
			k := h.Subject + "\x00" + h.Period
			hash := evidenceHash(h)
			old, ok := keys[k]
			switch {
			case !ok:
				w := &Warning{RuleCode: r.Code, RuleName: r.Name, Severity: r.Severity, Subject: h.Subject, SubjectName: h.SubjectName,
					Region: h.Region, City: prefix(h.Region, 4), Province: prefix(h.Region, 2), Insurance: h.Insurance, Period: h.Period,
					Amount: h.Amount, Evidence: h.Evidence, EvidenceHash: hash, Status: StatusNew, RunID: &rid, LastRunID: &rid}
				if w.Insurance == "" {
					w.Insurance = r.Insurance
				}
				if err := s.store.InsertWarning(ctx, w); err != nil {
					return err
				}
				if err := s.store.AddEvent(ctx, w.ID, &Event{Action: "screen", ToStatus: StatusNew, ActorName: "system", RunID: &rid}, nil); err != nil {
					return err
				}
				keys[k] = seen{id: w.ID, status: StatusNew, hash: hash}
				created++
			case old.status == StatusClosed && old.hash != hash:
				w, err := s.store.Warning(ctx, old.id)
				if err != nil {
					return err
				}
				reopen(w, h, hash, rid)
				if err := s.store.SaveWarning(ctx, w); err != nil {
					return err
				}
				if err := s.store.AddEvent(ctx, w.ID, &Event{Action: "reopen", FromStatus: StatusClosed, ToStatus: StatusNew, ActorName: "system",
					Comment: "证据变化 evidence changed", RunID: &rid}, nil); err != nil {
					return err
				}
				keys[k] = seen{id: w.ID, status: StatusNew, hash: hash}
				reopened++
			default:
				touch = append(touch, old.id)
			}
		}
		return s.store.Touch(ctx, touch, runID)
	})
	return created, reopened, err
}

// reopen brings a closed warning back with the new evidence; the earlier
// handling stays on its timeline.
func reopen(w *Warning, h rules.Hit, hash string, runID int64) {
	w.Status, w.ReopenCount, w.LastRunID = StatusNew, w.ReopenCount+1, &runID
	w.SubjectName, w.Amount, w.Evidence, w.EvidenceHash = h.SubjectName, h.Amount, h.Evidence, hash
	w.AgencyID, w.Deadline, w.DispatchedAt, w.Escalation = nil, nil, nil, 0
	w.Findings, w.ProblemCategory, w.Rectified, w.VerifiedAmount, w.Recovered, w.FileIDs = "", "", false, nil, 0, []int64{}
	w.VerifiedAt, w.ClosedAt = nil, nil
}

// ---- the scheduler ----

// Scheduler fires task groups on their schedules and escalates overdue
// warnings. Start it once; Stop waits for it (not for runs in progress).
type Scheduler struct {
	svc  *Service
	tick time.Duration
	log  *slog.Logger

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// NewScheduler checks every tick (a minute when 0).
func NewScheduler(svc *Service, tick time.Duration, log *slog.Logger) *Scheduler {
	if tick <= 0 {
		tick = time.Minute
	}
	if log == nil {
		log = slog.Default()
	}
	return &Scheduler{svc: svc, tick: tick, log: log}
}

// Start marks runs a previous process left unfinished as failed and starts
// the loop.
func (sc *Scheduler) Start(ctx context.Context) error {
	if _, err := sc.svc.store.Interrupt(ctx); err != nil {
		return fmt.Errorf("supervision: %w", err)
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.cancel != nil {
		return nil
	}
	lctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	sc.cancel, sc.done = cancel, make(chan struct{})
	go func() {
		defer close(sc.done)
		t := time.NewTicker(sc.tick)
		defer t.Stop()
		for {
			sc.Tick(lctx)
			select {
			case <-lctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return nil
}

// Stop ends the loop.
func (sc *Scheduler) Stop() {
	sc.mu.Lock()
	cancel, done := sc.cancel, sc.done
	sc.cancel = nil
	sc.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// Tick fires the groups that are due and escalates overdue warnings.
func (sc *Scheduler) Tick(ctx context.Context) {
	s := sc.svc
	now := s.now().UTC()
	groups, err := s.store.Groups(ctx)
	if err != nil {
		sc.log.Error("supervision: scheduler", "err", err)
		return
	}
	for _, g := range groups {
		sched, _ := ParseSchedule(g.Schedule)
		if sched == nil || !g.Enabled {
			continue
		}
		from := g.CreatedAt
		if g.LastFiredAt != nil {
			from = *g.LastFiredAt
		}
		if sched.Next(from).After(now) {
			continue
		}
		fired := now.Truncate(time.Microsecond)
		g.LastFiredAt = &fired
		if err := s.store.SaveGroup(ctx, g); err != nil {
			sc.log.Error("supervision: scheduler", "group", g.ID, "err", err)
			continue
		}
		sctx := audit.WithActor(ctx, audit.Actor{Name: "scheduler"})
		if _, err := s.start(sctx, RunInput{GroupID: g.ID}, "schedule"); err != nil {
			sc.log.Warn("supervision: scheduled run not started", "group", g.ID, "err", err)
		}
	}
	if _, err := s.Escalate(ctx, now); err != nil {
		sc.log.Error("supervision: escalate", "err", err)
	}
}
