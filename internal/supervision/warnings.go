package supervision

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/gm"
	"github.com/xietong/xietong/internal/httpx"
)

// Steps of the lifecycle and the states each may start from.
const (
	StepDispatch = "dispatch"
	StepVerify   = "verify"
	StepReview   = "review"   // pass | send_back
	StepFeedback = "feedback" // close | send_back
)

// transitions is the state machine: step/decision → from → to.
var transitions = map[string]struct{ from, to string }{
	"dispatch":           {StatusNew, StatusDispatched},
	"verify":             {StatusDispatched, StatusVerified},
	"review/pass":        {StatusVerified, StatusReviewed},
	"review/send_back":   {StatusVerified, StatusDispatched},
	"feedback/close":     {StatusReviewed, StatusClosed},
	"feedback/send_back": {StatusReviewed, StatusDispatched},
}

// Transition gives the state a step leads to from a state, or false when
// the step is not allowed there.
func Transition(from, step string) (string, bool) {
	t, ok := transitions[step]
	if !ok || t.from != from {
		return "", false
	}
	return t.to, true
}

// Warnings lists a page of warnings.
func (s *Service) Warnings(ctx context.Context, q Query) ([]*Warning, int, error) {
	q.Now = s.now().UTC()
	out, total, err := s.store.Warnings(ctx, q)
	for _, w := range out {
		s.mark(w)
	}
	return out, total, err
}

func (s *Service) mark(w *Warning) *Warning {
	w.Overdue = w.Status == StatusDispatched && w.Deadline != nil && s.now().After(*w.Deadline)
	return w
}

// Warning fetches a warning with its timeline and files.
func (s *Service) Warning(ctx context.Context, id int64) (*Warning, error) {
	w, err := s.store.Warning(ctx, id)
	if err != nil {
		return nil, err
	}
	if w.Events, err = s.store.Events(ctx, id); err != nil {
		return nil, err
	}
	if w.Files, err = s.store.Files(ctx, id); err != nil {
		return nil, err
	}
	if w.Files == nil {
		w.Files = []*File{}
	}
	return s.mark(w), nil
}

// AgencyWarnings lists the warnings dispatched to the actor's organisation
// (the 核查 worklist of a county agency).
func (s *Service) AgencyWarnings(ctx context.Context, q Query) ([]*Warning, int, error) {
	org, ok := s.orgOf(ctx)
	if !ok {
		return nil, 0, httpx.ErrForbidden
	}
	q.AgencyID = org
	return s.Warnings(ctx, q)
}

// AgencyWarning fetches a warning for its agency.
func (s *Service) AgencyWarning(ctx context.Context, id int64) (*Warning, error) {
	w, err := s.Warning(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.mine(ctx, w); err != nil {
		return nil, err
	}
	return w, nil
}

// mine refuses a user outside the organisation a warning was dispatched to.
func (s *Service) mine(ctx context.Context, w *Warning) error {
	org, ok := s.orgOf(ctx)
	if !ok || w.AgencyID == nil || *w.AgencyID != org {
		_ = s.audit.Record(ctx, audit.Event{Action: "supervision_warning.verify", TargetType: "supervision_warning", TargetID: strconv.FormatInt(w.ID, 10),
			Result: audit.ResultDenied, Detail: "not the agency"})
		return errNotYourAgency
	}
	return nil
}

// step moves w to its next state, records the event and audits it.
func (s *Service) step(ctx context.Context, w *Warning, before *Warning, action, to, comment string) (*Warning, error) {
	a := actor(ctx)
	from := before.Status
	w.Status = to
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveWarning(ctx, w); err != nil {
			return err
		}
		if err := s.store.AddEvent(ctx, w.ID, &Event{Action: action, FromStatus: from, ToStatus: to, ActorName: actorName(a), Comment: comment}, actorID(a)); err != nil {
			return err
		}
		if to == StatusDispatched {
			if err := s.notifyAgency(ctx, w, dispatchNotice(w, from)); err != nil {
				return err
			}
		}
		return s.audit.Record(ctx, audit.Event{Action: "supervision_warning." + action, TargetType: "supervision_warning", TargetID: strconv.FormatInt(w.ID, 10),
			Before: audit.JSON(before), After: audit.JSON(w), Detail: comment})
	})
	if db.IsForeignKeyViolation(err) {
		return nil, httpx.Invalid(httpx.FieldError{Field: "agency_id", Code: "not_found"})
	}
	if err != nil {
		return nil, err
	}
	return s.Warning(ctx, w.ID)
}

// dispatchNotice is the agency's notification of a dispatch or a send-back.
func dispatchNotice(w *Warning, from string) string {
	what := "预警 #" + strconv.FormatInt(w.ID, 10) + "（" + w.RuleName + "，" + w.SubjectName + "）"
	deadline := ""
	if w.Deadline != nil {
		deadline = "，请于 " + w.Deadline.In(shanghai).Format("2006-01-02") + " 前核查"
	}
	if from == StatusNew {
		return what + " 已派发" + deadline
	}
	return what + " 被退回重新核查" + deadline
}

func (s *Service) load(ctx context.Context, id int64, step string) (w, before *Warning, to string, err error) {
	before, err = s.store.Warning(ctx, id)
	if err != nil {
		return nil, nil, "", err
	}
	to, ok := Transition(before.Status, step)
	if !ok {
		return nil, nil, "", errState
	}
	cp := *before
	return &cp, before, to, nil
}

// Dispatch sends a new warning to an agency with a deadline (派发).
func (s *Service) Dispatch(ctx context.Context, id int64, in DispatchInput) (*Warning, error) {
	var c httpx.Checker
	if in.AgencyID <= 0 {
		c.Add("agency_id", "required", "")
	}
	if in.Deadline.IsZero() || !in.Deadline.After(s.now()) {
		c.Add("deadline", "range", "a time in the future")
	}
	c.Text("comment", in.Comment, false, 500)
	if err := c.Err(); err != nil {
		return nil, err
	}
	if s.iam != nil && s.iam.OrgName(ctx, in.AgencyID) == "" {
		return nil, httpx.Invalid(httpx.FieldError{Field: "agency_id", Code: "not_found"})
	}
	w, before, to, err := s.load(ctx, id, StepDispatch)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	dl := in.Deadline.UTC().Truncate(time.Microsecond)
	w.AgencyID, w.Deadline, w.DispatchedAt, w.Escalation = &in.AgencyID, &dl, &now, 0
	return s.step(ctx, w, before, StepDispatch, to, in.Comment)
}

// Verify records the agency's verification (核查); only a user of the
// organisation the warning was dispatched to may take this step.
func (s *Service) Verify(ctx context.Context, id int64, in VerifyInput) (*Warning, error) {
	var c httpx.Checker
	c.Text("findings", strings.ReplaceAll(in.Findings, "\n", " "), true, 4000)
	c.OneOf("problem_category", in.ProblemCategory, ProblemCategories...)
	if in.AmountInvolved < 0 || in.AmountInvolved > 1e12 {
		c.Add("amount_involved", "range", "≥ 0")
	}
	if in.AmountRecovered < 0 || in.AmountRecovered > 1e12 {
		c.Add("amount_recovered", "range", "≥ 0")
	}
	c.Text("comment", in.Comment, false, 500)
	if len(in.FileIDs) > 20 {
		c.Add("file_ids", "too_many", "≤ 20")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	w, before, to, err := s.load(ctx, id, StepVerify)
	if err != nil {
		if err == errState {
			if x, e := s.store.Warning(ctx, id); e == nil {
				if e := s.mine(ctx, x); e != nil {
					return nil, e
				}
			}
		}
		return nil, err
	}
	if err := s.mine(ctx, before); err != nil {
		return nil, err
	}
	for i, fid := range in.FileIDs {
		f, err := s.store.File(ctx, fid)
		if err != nil || f.WarningID != id {
			return nil, httpx.Invalid(httpx.FieldError{Field: "file_ids[" + strconv.Itoa(i) + "]", Code: "not_found"})
		}
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	involved := float64(fen(in.AmountInvolved)) / 100
	w.Findings, w.ProblemCategory, w.Rectified = in.Findings, in.ProblemCategory, in.Rectified
	w.VerifiedAmount, w.Recovered, w.VerifiedAt = &involved, float64(fen(in.AmountRecovered))/100, &now
	w.FileIDs = in.FileIDs
	if w.FileIDs == nil {
		w.FileIDs = []int64{}
	}
	return s.step(ctx, w, before, StepVerify, to, in.Comment)
}

func (s *Service) decide(ctx context.Context, id int64, step string, d Decision, allowed ...string) (*Warning, error) {
	var c httpx.Checker
	c.OneOf("decision", d.Decision, allowed...)
	c.Text("comment", d.Comment, d.Decision == "send_back", 500)
	if d.Deadline != nil && !d.Deadline.After(s.now()) {
		c.Add("deadline", "range", "a time in the future")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	w, before, to, err := s.load(ctx, id, step+"/"+d.Decision)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	switch to {
	case StatusDispatched: // sent back to the agency: the verification is redone
		w.VerifiedAt = nil
		if d.Deadline != nil {
			dl := d.Deadline.UTC().Truncate(time.Microsecond)
			w.Deadline, w.Escalation = &dl, 0
		}
	case StatusClosed:
		w.ClosedAt = &now
	}
	return s.step(ctx, w, before, step+"_"+d.Decision, to, d.Comment)
}

// Review is the internal review of a verification (审核): pass | send_back.
func (s *Service) Review(ctx context.Context, id int64, d Decision) (*Warning, error) {
	return s.decide(ctx, id, StepReview, d, "pass", "send_back")
}

// Feedback is the supervisor's feedback (反馈): close | send_back (to verification).
func (s *Service) Feedback(ctx context.Context, id int64, d Decision) (*Warning, error) {
	return s.decide(ctx, id, StepFeedback, d, "close", "send_back")
}

// ---- evidence files (核查材料) ----

// MaxFileBytes bounds one evidence file.
const MaxFileBytes = 10 << 20

// fileTypes maps an allowed extension to the content types its bytes may sniff as.
var fileTypes = map[string][]string{
	".pdf":  {"application/pdf"},
	".jpg":  {"image/jpeg"},
	".jpeg": {"image/jpeg"},
	".png":  {"image/png"},
	".ofd":  {"application/zip"},
	".docx": {"application/zip"},
	".xlsx": {"application/zip"},
	".doc":  {"application/octet-stream"},
	".xls":  {"application/octet-stream"},
	".txt":  {"text/plain; charset=utf-8", "text/plain; charset=utf-16be", "text/plain; charset=utf-16le"},
}

// Upload stores an evidence file for a warning being verified by the
// actor's organisation; the answer's id goes into VerifyInput.FileIDs.
func (s *Service) Upload(ctx context.Context, warningID int64, name string, data []byte) (*File, error) {
	name = strings.TrimSpace(name)
	var c httpx.Checker
	c.Text("name", name, true, 100)
	if strings.ContainsAny(name, `/\:*?"<>|`) || strings.HasPrefix(name, ".") {
		c.Add("name", "format", "a file name without a path")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	if len(data) > MaxFileBytes {
		return nil, errFileTooLarge
	}
	if len(data) == 0 {
		return nil, httpx.Invalid(httpx.FieldError{Field: "file", Code: "required"})
	}
	sniffed := http.DetectContentType(data)
	allowed, ok := fileTypes[strings.ToLower(filepath.Ext(name))]
	match := false
	for _, t := range allowed {
		match = match || t == sniffed
	}
	if !ok || !match {
		return nil, errFileType
	}
	w, err := s.store.Warning(ctx, warningID)
	if err != nil {
		return nil, err
	}
	if err := s.mine(ctx, w); err != nil {
		return nil, err
	}
	if w.Status != StatusDispatched {
		return nil, errState
	}
	if err := os.MkdirAll(s.fileDir, 0o700); err != nil {
		return nil, fmt.Errorf("supervision: files: %w", err)
	}
	org, _ := s.orgOf(ctx)
	a := actor(ctx)
	f := &File{WarningID: warningID, Name: name, ContentType: sniffed, Size: int64(len(data)), SM3: gm.SM3Hex(data), UploadedBy: actorName(a),
		storedName: gm.Token(18) + ".bin", orgID: &org}
	path := filepath.Join(s.fileDir, f.storedName)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return nil, fmt.Errorf("supervision: files: %w", err)
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.AddFile(ctx, f); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "supervision_warning.upload", TargetType: "supervision_warning", TargetID: strconv.FormatInt(warningID, 10),
			After: audit.JSON(f), Detail: f.Name + " sm3:" + f.SM3})
	})
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	return f, nil
}

// FileContent reads an evidence file; agencyOnly limits it to the agency's users.
func (s *Service) FileContent(ctx context.Context, id int64, agencyOnly bool) (*File, []byte, error) {
	f, err := s.store.File(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if agencyOnly {
		w, err := s.store.Warning(ctx, f.WarningID)
		if err != nil {
			return nil, nil, err
		}
		if err := s.mine(ctx, w); err != nil {
			return nil, nil, err
		}
	}
	b, err := os.ReadFile(filepath.Join(s.fileDir, f.storedName))
	if err != nil {
		return nil, nil, fmt.Errorf("supervision: file %d: %w", id, err)
	}
	if gm.SM3Hex(b) != f.SM3 {
		return nil, nil, fmt.Errorf("supervision: file %d: the stored bytes do not match their SM3 digest", id)
	}
	return f, b, nil
}

// ---- escalation (督办) ----

// Escalate raises every overdue dispatched warning to the level its delay
// has reached: one level per period past the deadline (督办提醒 → 函询 →
// 约谈 → 通报), each level an event. It answers how many levels were raised.
func (s *Service) Escalate(ctx context.Context, now time.Time) (int, error) {
	ws, err := s.store.Overdue(ctx, now)
	if err != nil {
		return 0, err
	}
	raised := 0
	for _, w := range ws {
		level := min(len(EscalationLevels), int(now.Sub(*w.Deadline)/s.every)+1)
		if level <= w.Escalation {
			continue
		}
		before := *w
		err := s.db.WithTx(ctx, func(ctx context.Context) error {
			for l := w.Escalation + 1; l <= level; l++ {
				comment := fmt.Sprintf("逾期 %d 天 overdue since %s", int(now.Sub(*w.Deadline).Hours()/24), w.Deadline.In(shanghai).Format(time.DateOnly))
				if err := s.store.AddEvent(ctx, w.ID, &Event{Action: "escalate:" + EscalationLevels[l-1], FromStatus: w.Status, ToStatus: w.Status,
					ActorName: "system", Comment: comment}, nil); err != nil {
					return err
				}
				raised++
			}
			w.Escalation = level
			if err := s.store.SaveWarning(ctx, w); err != nil {
				return err
			}
			return s.audit.Record(ctx, audit.Event{Action: "supervision_warning.escalate", TargetType: "supervision_warning", TargetID: strconv.FormatInt(w.ID, 10),
				Before: strconv.Itoa(before.Escalation), After: strconv.Itoa(level), Detail: EscalationLevels[level-1]})
		})
		if err != nil {
			return raised, err
		}
	}
	return raised, nil
}

// ---- the quarterly sample (抽查) ----

// ParseQuarter reads "2026Q1" and gives its bounds in Asia/Shanghai, as UTC.
func ParseQuarter(q string) (from, to time.Time, err error) {
	bad := fmt.Errorf("quarter %q: want YYYYQn such as 2026Q1", q)
	if len(q) != 6 || q[4] != 'Q' {
		return from, to, bad
	}
	y, err1 := strconv.Atoi(q[:4])
	n, err2 := strconv.Atoi(q[5:])
	if err1 != nil || err2 != nil || n < 1 || n > 4 || y < 2000 || y > 2999 {
		return from, to, bad
	}
	from = time.Date(y, time.Month(3*(n-1)+1), 1, 0, 0, 0, 0, shanghai)
	return from.UTC(), from.AddDate(0, 3, 0).UTC(), nil
}

// Draw picks n of ids (sorted first), reproducibly for a quarter and seed.
func Draw(ids []int64, quarter string, seed int64, n int) []int64 {
	pool := append([]int64(nil), ids...)
	sort.Slice(pool, func(i, j int) bool { return pool[i] < pool[j] })
	h := fnv.New64a()
	h.Write([]byte(quarter))
	rng := mrand.New(mrand.NewPCG(h.Sum64(), uint64(seed)))
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	pool = pool[:min(n, len(pool))]
	sort.Slice(pool, func(i, j int) bool { return pool[i] < pool[j] })
	return pool
}

// DrawSample draws the quarter's sample of closed warnings and marks them
// for re-checking; the seed (given or random) is recorded so that the draw
// can be repeated and checked.
func (s *Service) DrawSample(ctx context.Context, in SampleInput) (*Sample, error) {
	from, to, err := ParseQuarter(in.Quarter)
	var c httpx.Checker
	if err != nil {
		c.Add("quarter", "format", err.Error())
	}
	if in.Size < 1 || in.Size > 10000 {
		c.Add("size", "range", "1–10000")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	seed := int64(0)
	if in.Seed != nil {
		seed = *in.Seed
	} else {
		var b [8]byte
		rand.Read(b[:])
		seed = int64(binary.BigEndian.Uint64(b[:]) >> 1)
	}
	a := actor(ctx)
	x := &Sample{Quarter: in.Quarter, Seed: seed, CreatedBy: actorName(a)}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		ids, err := s.store.ClosedBetween(ctx, from, to)
		if err != nil {
			return err
		}
		x.Population = len(ids)
		x.WarningIDs = Draw(ids, in.Quarter, seed, in.Size)
		x.Size = len(x.WarningIDs)
		if err := s.store.AddSample(ctx, x); err != nil {
			return err
		}
		for _, id := range x.WarningIDs {
			w, err := s.store.Warning(ctx, id)
			if err != nil {
				return err
			}
			w.SampleID, w.RecheckStatus, w.RecheckComment = &x.ID, "pending", ""
			if err := s.store.SaveWarning(ctx, w); err != nil {
				return err
			}
			if err := s.store.AddEvent(ctx, id, &Event{Action: "sample", FromStatus: w.Status, ToStatus: w.Status, ActorName: actorName(a),
				Comment: in.Quarter}, actorID(a)); err != nil {
				return err
			}
		}
		return s.audit.Record(ctx, audit.Event{Action: "supervision_sample.draw", TargetType: "supervision_sample", TargetID: in.Quarter, After: audit.JSON(x)})
	})
	if db.IsUniqueViolation(err) {
		return nil, errSampleExists
	}
	return x, err
}

// Samples lists the samples drawn.
func (s *Service) Samples(ctx context.Context) ([]*Sample, error) {
	out, err := s.store.Samples(ctx)
	if out == nil {
		out = []*Sample{}
	}
	return out, err
}

// Recheck records a sampled warning's re-check outcome (confirmed | problem).
func (s *Service) Recheck(ctx context.Context, id int64, in RecheckInput) (*Warning, error) {
	var c httpx.Checker
	c.OneOf("outcome", in.Outcome, "confirmed", "problem")
	c.Text("comment", in.Comment, in.Outcome == "problem", 500)
	if err := c.Err(); err != nil {
		return nil, err
	}
	before, err := s.store.Warning(ctx, id)
	if err != nil {
		return nil, err
	}
	if before.RecheckStatus != "pending" {
		return nil, errNotSampled
	}
	w := *before
	w.RecheckStatus, w.RecheckComment = in.Outcome, in.Comment
	return s.step(ctx, &w, before, "recheck_"+in.Outcome, w.Status, in.Comment)
}
