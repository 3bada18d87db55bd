package supervision

import (
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/rules"
)

// Store is the SQL behind supervision.
type Store struct{ db *db.DB }

// NewStore returns the store over d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

func fen(yuan float64) int64 { return int64(math.Round(yuan * 100)) }
func yuan(f int64) float64   { return float64(f) / 100 }
func ptrTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	x := t.Time.UTC()
	return &x
}
func ptrInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	x := n.Int64
	return &x
}

// ---- rule settings ----

// Disabled lists the rule codes switched off.
func (s *Store) Disabled(ctx context.Context) (map[string]bool, error) {
	rows, err := s.db.Query(ctx, "SELECT rule_code FROM sup_rule_settings WHERE enabled = FALSE")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out[c] = true
	}
	return out, rows.Err()
}

// SetEnabled switches a rule on or off.
func (s *Store) SetEnabled(ctx context.Context, code string, on bool, by string) error {
	now := db.Now()
	res, err := s.db.Exec(ctx, "UPDATE sup_rule_settings SET enabled = ?, updated_by = ?, updated_at = ? WHERE rule_code = ?", on, by, now, code)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	_, err = s.db.Exec(ctx, "INSERT INTO sup_rule_settings (rule_code, enabled, updated_by, updated_at) VALUES (?, ?, ?, ?)", code, on, by, now)
	return err
}

// Overrides gives every rule's city overrides: code → city → param → value.
func (s *Store) Overrides(ctx context.Context) (map[string]map[string]map[string]string, error) {
	rows, err := s.db.Query(ctx, "SELECT rule_code, city, param, value FROM sup_rule_params ORDER BY rule_code, city, param")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]map[string]string{}
	for rows.Next() {
		var code, city, param, value string
		if err := rows.Scan(&code, &city, &param, &value); err != nil {
			return nil, err
		}
		if out[code] == nil {
			out[code] = map[string]map[string]string{}
		}
		if out[code][city] == nil {
			out[code][city] = map[string]string{}
		}
		out[code][city][param] = value
	}
	return out, rows.Err()
}

// SetCityParams replaces one city's values of a rule (an empty map removes the city).
func (s *Store) SetCityParams(ctx context.Context, code, city string, values map[string]string, by string) error {
	if _, err := s.db.Exec(ctx, "DELETE FROM sup_rule_params WHERE rule_code = ? AND city = ?", code, city); err != nil {
		return err
	}
	now := db.Now()
	for k, v := range values {
		if _, err := s.db.Exec(ctx, "INSERT INTO sup_rule_params (rule_code, city, param, value, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			code, city, k, v, by, now); err != nil {
			return err
		}
	}
	return nil
}

// customRule is a user-defined rule's header.
type customRule struct {
	ID, Latest, Active int64
	Code               string
}

// CustomRules lists the user-defined rules with their active (or, when
// none is active, latest) version.
func (s *Store) CustomRules(ctx context.Context) ([]*RuleView, error) {
	return db.All(ctx, s.db, func(r db.Scanner) (*RuleView, error) {
		var v RuleView
		var body string
		if err := r.Scan(&v.Code, &v.LatestVersion, &v.ActiveVersion, &body); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(body), &v.Rule); err != nil {
			return nil, err
		}
		v.Builtin = false
		return &v, nil
	}, `SELECT c.code, c.latest_version, c.active_version, v.rule_json FROM sup_custom_rules c
		JOIN sup_custom_rule_versions v ON v.rule_id = c.id
		AND v.version = CASE WHEN c.active_version > 0 THEN c.active_version ELSE c.latest_version END
		ORDER BY c.code`)
}

func (s *Store) customRule(ctx context.Context, code string) (*customRule, error) {
	var c customRule
	err := s.db.QueryRow(ctx, "SELECT id, code, latest_version, active_version FROM sup_custom_rules WHERE code = ?", code).Scan(&c.ID, &c.Code, &c.Latest, &c.Active)
	return &c, db.NotFound(err)
}

// AddVersion saves r as the next version of its user-defined rule (created when new).
func (s *Store) AddVersion(ctx context.Context, r rules.Rule, by string) (int, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return 0, err
	}
	now := db.Now()
	c, err := s.customRule(ctx, r.Code)
	if err == db.ErrNotFound {
		c = &customRule{Code: r.Code}
		c.ID, err = s.db.InsertID(ctx, "INSERT INTO sup_custom_rules (code, latest_version, active_version, created_by, created_at, updated_at) VALUES (?, 0, 0, ?, ?, ?)",
			r.Code, by, now, now)
	}
	if err != nil {
		return 0, err
	}
	v := c.Latest + 1
	if _, err := s.db.Exec(ctx, "INSERT INTO sup_custom_rule_versions (rule_id, version, rule_json, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
		c.ID, v, string(body), by, now); err != nil {
		return 0, err
	}
	_, err = s.db.Exec(ctx, "UPDATE sup_custom_rules SET latest_version = ?, updated_at = ? WHERE id = ?", v, now, c.ID)
	return int(v), err
}

// Versions lists a user-defined rule's versions, newest first.
func (s *Store) Versions(ctx context.Context, code string) ([]*Version, error) {
	c, err := s.customRule(ctx, code)
	if err != nil {
		return nil, err
	}
	return db.All(ctx, s.db, func(r db.Scanner) (*Version, error) {
		var v Version
		var body string
		if err := r.Scan(&v.Version, &body, &v.CreatedBy, &v.CreatedAt); err != nil {
			return nil, err
		}
		v.Active = int64(v.Version) == c.Active
		return &v, json.Unmarshal([]byte(body), &v.Rule)
	}, "SELECT version, rule_json, created_by, created_at FROM sup_custom_rule_versions WHERE rule_id = ? ORDER BY version DESC", c.ID)
}

// Activate makes version v the one that runs.
func (s *Store) Activate(ctx context.Context, code string, v int) error {
	c, err := s.customRule(ctx, code)
	if err != nil {
		return err
	}
	if v < 1 || int64(v) > c.Latest {
		return db.ErrNotFound
	}
	_, err = s.db.Exec(ctx, "UPDATE sup_custom_rules SET active_version = ?, updated_at = ? WHERE id = ?", v, db.Now(), c.ID)
	return err
}

// ---- task groups ----

const groupCols = "id, name, rule_codes_json, schedule, enabled, last_fired_at, created_by, created_at, updated_at"

func scanGroup(r db.Scanner) (*Group, error) {
	var g Group
	var codes string
	var fired sql.NullTime
	if err := r.Scan(&g.ID, &g.Name, &codes, &g.Schedule, &g.Enabled, &fired, &g.CreatedBy, &g.CreatedAt, &g.UpdatedAt); err != nil {
		return nil, db.NotFound(err)
	}
	g.LastFiredAt = ptrTime(fired)
	return &g, json.Unmarshal([]byte(codes), &g.RuleCodes)
}

// Groups lists the task groups.
func (s *Store) Groups(ctx context.Context) ([]*Group, error) {
	return db.All(ctx, s.db, scanGroup, "SELECT "+groupCols+" FROM sup_task_groups ORDER BY name")
}

// Group fetches one task group.
func (s *Store) Group(ctx context.Context, id int64) (*Group, error) {
	return scanGroup(s.db.QueryRow(ctx, "SELECT "+groupCols+" FROM sup_task_groups WHERE id = ?", id))
}

// SaveGroup inserts (ID 0) or updates g.
func (s *Store) SaveGroup(ctx context.Context, g *Group) (err error) {
	codes, err := json.Marshal(g.RuleCodes)
	if err != nil {
		return err
	}
	now := db.Now()
	g.UpdatedAt = now
	if g.ID == 0 {
		g.CreatedAt = now
		g.ID, err = s.db.InsertID(ctx, "INSERT INTO sup_task_groups (name, rule_codes_json, schedule, enabled, last_fired_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			g.Name, string(codes), g.Schedule, g.Enabled, g.LastFiredAt, g.CreatedBy, now, now)
		return err
	}
	_, err = s.db.Exec(ctx, "UPDATE sup_task_groups SET name = ?, rule_codes_json = ?, schedule = ?, enabled = ?, last_fired_at = ?, updated_at = ? WHERE id = ?",
		g.Name, string(codes), g.Schedule, g.Enabled, g.LastFiredAt, now, g.ID)
	return err
}

// DeleteGroup removes a task group (its runs keep their history).
func (s *Store) DeleteGroup(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "DELETE FROM sup_task_groups WHERE id = ?", id)
	return err
}

// ---- runs ----

const runCols = `id, group_id, group_name, trigger_kind, rule_codes_json, status, total, done, hits, new_warnings, reopened, cancelled, error,
	results_json, created_by, queued_at, started_at, finished_at`

func scanRun(r db.Scanner) (*Run, error) {
	var x Run
	var group sql.NullInt64
	var codes, results string
	var started, finished sql.NullTime
	if err := r.Scan(&x.ID, &group, &x.GroupName, &x.Trigger, &codes, &x.Status, &x.Total, &x.Done, &x.Hits, &x.NewWarnings, &x.Reopened,
		&x.Cancelled, &x.Error, &results, &x.CreatedBy, &x.QueuedAt, &started, &finished); err != nil {
		return nil, db.NotFound(err)
	}
	x.GroupID, x.StartedAt, x.FinishedAt = ptrInt(group), ptrTime(started), ptrTime(finished)
	if x.StartedAt != nil && x.FinishedAt != nil {
		x.DurationMS = x.FinishedAt.Sub(*x.StartedAt).Milliseconds()
	}
	if err := json.Unmarshal([]byte(codes), &x.RuleCodes); err != nil {
		return nil, err
	}
	return &x, json.Unmarshal([]byte(results), &x.Results)
}

// SaveRun inserts (ID 0) or updates a run.
func (s *Store) SaveRun(ctx context.Context, x *Run) (err error) {
	codes, err := json.Marshal(x.RuleCodes)
	if err != nil {
		return err
	}
	if x.Results == nil {
		x.Results = []RuleResult{}
	}
	results, err := json.Marshal(x.Results)
	if err != nil {
		return err
	}
	if x.ID == 0 {
		x.ID, err = s.db.InsertID(ctx, `INSERT INTO sup_runs (group_id, group_name, trigger_kind, rule_codes_json, status, total, done, hits, new_warnings,
			reopened, cancelled, error, results_json, created_by, queued_at, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			x.GroupID, x.GroupName, x.Trigger, string(codes), x.Status, x.Total, x.Done, x.Hits, x.NewWarnings, x.Reopened, x.Cancelled, x.Error,
			string(results), x.CreatedBy, x.QueuedAt, x.StartedAt, x.FinishedAt)
		return err
	}
	_, err = s.db.Exec(ctx, `UPDATE sup_runs SET status = ?, total = ?, done = ?, hits = ?, new_warnings = ?, reopened = ?, cancelled = ?, error = ?,
		results_json = ?, started_at = ?, finished_at = ? WHERE id = ?`,
		x.Status, x.Total, x.Done, x.Hits, x.NewWarnings, x.Reopened, x.Cancelled, x.Error, string(results), x.StartedAt, x.FinishedAt, x.ID)
	return err
}

// Run fetches one run.
func (s *Store) Run(ctx context.Context, id int64) (*Run, error) {
	return scanRun(s.db.QueryRow(ctx, "SELECT "+runCols+" FROM sup_runs WHERE id = ?", id))
}

// Runs lists a page of runs, newest first (group 0: all; status ” : any).
func (s *Store) Runs(ctx context.Context, groupID int64, status string, limit, offset int) ([]*Run, int, error) {
	var conds []string
	var args []any
	if groupID != 0 {
		conds, args = append(conds, "group_id = ?"), append(args, groupID)
	}
	if status != "" {
		conds, args = append(conds, "status = ?"), append(args, status)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM sup_runs"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if limit <= 0 {
		limit = 1 << 30
	}
	out, err := db.All(ctx, s.db, scanRun, "SELECT "+runCols+" FROM sup_runs"+where+" ORDER BY id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	return out, total, err
}

// Interrupt marks runs left queued or running by a stopped process as failed.
func (s *Store) Interrupt(ctx context.Context) (int64, error) {
	res, err := s.db.Exec(ctx, "UPDATE sup_runs SET status = 'failed', error = 'interrupted', finished_at = ? WHERE status IN ('queued', 'running')", db.Now())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// ---- warnings ----

const warningCols = `w.id, w.rule_code, w.rule_name, w.severity, w.subject, w.subject_name, w.region, w.city, w.province, w.insurance, w.period,
	w.amount_fen, w.evidence, w.evidence_hash, w.status, w.run_id, w.last_run_id, w.reopen_count, w.agency_id, COALESCE(o.name, ''), w.deadline,
	w.dispatched_at, w.escalation, w.findings, w.problem_category, w.rectified, w.verified_amount_fen, w.recovered_fen, w.file_ids_json,
	w.verified_at, w.closed_at, w.sample_id, w.recheck_status, w.recheck_comment, w.created_at, w.updated_at`

const warningFrom = " FROM sup_warnings w LEFT JOIN orgs o ON o.id = w.agency_id"

func scanWarning(r db.Scanner) (*Warning, error) {
	var (
		w                                   Warning
		amount, recovered                   int64
		verifiedAmount                      sql.NullInt64
		run, lastRun, agency, sample        sql.NullInt64
		deadline, dispatched, verified, cls sql.NullTime
		files                               string
	)
	err := r.Scan(&w.ID, &w.RuleCode, &w.RuleName, &w.Severity, &w.Subject, &w.SubjectName, &w.Region, &w.City, &w.Province, &w.Insurance, &w.Period,
		&amount, &w.Evidence, &w.EvidenceHash, &w.Status, &run, &lastRun, &w.ReopenCount, &agency, &w.AgencyName, &deadline,
		&dispatched, &w.Escalation, &w.Findings, &w.ProblemCategory, &w.Rectified, &verifiedAmount, &recovered, &files,
		&verified, &cls, &sample, &w.RecheckStatus, &w.RecheckComment, &w.CreatedAt, &w.UpdatedAt)
	if err != nil {
		return nil, db.NotFound(err)
	}
	w.Amount, w.Recovered = yuan(amount), yuan(recovered)
	if verifiedAmount.Valid {
		v := yuan(verifiedAmount.Int64)
		w.VerifiedAmount = &v
	}
	w.RunID, w.LastRunID, w.AgencyID, w.SampleID = ptrInt(run), ptrInt(lastRun), ptrInt(agency), ptrInt(sample)
	w.Deadline, w.DispatchedAt, w.VerifiedAt, w.ClosedAt = ptrTime(deadline), ptrTime(dispatched), ptrTime(verified), ptrTime(cls)
	if w.Escalation > 0 && w.Escalation <= len(EscalationLevels) {
		w.EscalationName = EscalationLevels[w.Escalation-1]
	}
	return &w, json.Unmarshal([]byte(files), &w.FileIDs)
}

func (q Query) where(d *db.DB) (string, []any) {
	var conds []string
	var args []any
	add := func(c string, a ...any) { conds, args = append(conds, c), append(args, a...) }
	if q.RuleCode != "" {
		add("w.rule_code = ?", q.RuleCode)
	}
	if q.Status != "" {
		add("w.status = ?", q.Status)
	}
	switch len(q.Region) {
	case 2:
		add("w.province = ?", q.Region)
	case 4:
		add("w.city = ?", q.Region)
	case 6:
		add("w.region = ?", q.Region)
	}
	if q.AgencyID != 0 {
		add("w.agency_id = ?", q.AgencyID)
	}
	if q.Insurance != "" {
		add("w.insurance = ?", q.Insurance)
	}
	if q.PeriodMin != "" {
		add("w.period >= ?", q.PeriodMin)
	}
	if q.PeriodMax != "" {
		add("w.period <= ?", q.PeriodMax)
	}
	if q.RunID != 0 {
		add("w.last_run_id = ?", q.RunID)
	}
	if q.Overdue {
		add("w.status = 'dispatched' AND w.deadline < ?", q.Now)
	}
	if q.Recheck != "" {
		add("w.recheck_status = ?", q.Recheck)
	}
	if q.Words != "" {
		add("("+d.HasSubstring("w.subject")+" OR "+d.HasSubstring("w.subject_name")+")", q.Words, q.Words)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Warnings lists a page of warnings, newest first.
func (s *Store) Warnings(ctx context.Context, q Query) ([]*Warning, int, error) {
	where, args := q.where(s.db)
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM sup_warnings w"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if q.Limit <= 0 {
		q.Limit = 1 << 30
	}
	out, err := db.All(ctx, s.db, scanWarning, "SELECT "+warningCols+warningFrom+where+" ORDER BY w.id DESC LIMIT ? OFFSET ?", append(args, q.Limit, q.Offset)...)
	return out, total, err
}

// Warning fetches one warning.
func (s *Store) Warning(ctx context.Context, id int64) (*Warning, error) {
	return scanWarning(s.db.QueryRow(ctx, "SELECT "+warningCols+warningFrom+" WHERE w.id = ?", id))
}

// InsertWarning adds a new warning.
func (s *Store) InsertWarning(ctx context.Context, w *Warning) (err error) {
	now := db.Now()
	w.CreatedAt, w.UpdatedAt = now, now
	if w.FileIDs == nil {
		w.FileIDs = []int64{}
	}
	w.ID, err = s.db.InsertID(ctx, `INSERT INTO sup_warnings (rule_code, rule_name, severity, subject, subject_name, region, city, province, insurance,
		period, amount_fen, evidence, evidence_hash, status, run_id, last_run_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		w.RuleCode, w.RuleName, w.Severity, w.Subject, w.SubjectName, w.Region, w.City, w.Province, w.Insurance,
		w.Period, fen(w.Amount), w.Evidence, w.EvidenceHash, w.Status, w.RunID, w.LastRunID, now, now)
	return err
}

// SaveWarning writes a warning's workflow and snapshot fields.
func (s *Store) SaveWarning(ctx context.Context, w *Warning) error {
	files, err := json.Marshal(w.FileIDs)
	if err != nil {
		return err
	}
	if w.FileIDs == nil {
		files = []byte("[]")
	}
	var verified *int64
	if w.VerifiedAmount != nil {
		v := fen(*w.VerifiedAmount)
		verified = &v
	}
	w.UpdatedAt = db.Now()
	_, err = s.db.Exec(ctx, `UPDATE sup_warnings SET subject_name = ?, amount_fen = ?, evidence = ?, evidence_hash = ?, status = ?, last_run_id = ?,
		reopen_count = ?, agency_id = ?, deadline = ?, dispatched_at = ?, escalation = ?, findings = ?, problem_category = ?, rectified = ?,
		verified_amount_fen = ?, recovered_fen = ?, file_ids_json = ?, verified_at = ?, closed_at = ?, sample_id = ?, recheck_status = ?,
		recheck_comment = ?, updated_at = ? WHERE id = ?`,
		w.SubjectName, fen(w.Amount), w.Evidence, w.EvidenceHash, w.Status, w.LastRunID, w.ReopenCount, w.AgencyID, w.Deadline, w.DispatchedAt,
		w.Escalation, w.Findings, w.ProblemCategory, w.Rectified, verified, fen(w.Recovered), string(files), w.VerifiedAt, w.ClosedAt,
		w.SampleID, w.RecheckStatus, w.RecheckComment, w.UpdatedAt, w.ID)
	return err
}

// seen is what ingestion needs of an existing warning.
type seen struct {
	id     int64
	status string
	hash   string
}

// Keys gives the existing warnings of a rule by subject + "\x00" + period.
func (s *Store) Keys(ctx context.Context, ruleCode string) (map[string]seen, error) {
	rows, err := s.db.Query(ctx, "SELECT id, subject, period, status, evidence_hash FROM sup_warnings WHERE rule_code = ?", ruleCode)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]seen{}
	for rows.Next() {
		var x seen
		var subj, period string
		if err := rows.Scan(&x.id, &subj, &period, &x.status, &x.hash); err != nil {
			return nil, err
		}
		out[subj+"\x00"+period] = x
	}
	return out, rows.Err()
}

// Touch records that a run saw open warnings again.
func (s *Store) Touch(ctx context.Context, ids []int64, runID int64) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		args := []any{runID, db.Now()}
		for _, id := range ids[:n] {
			args = append(args, id)
		}
		if _, err := s.db.Exec(ctx, "UPDATE sup_warnings SET last_run_id = ?, updated_at = ? WHERE id IN ("+db.Placeholders(n)+")", args...); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// AddEvent appends a step to a warning's timeline.
func (s *Store) AddEvent(ctx context.Context, warningID int64, e *Event, actorID *int64) error {
	e.At = db.Now()
	var err error
	e.ID, err = s.db.InsertID(ctx, `INSERT INTO sup_warning_events (warning_id, action, from_status, to_status, actor_id, actor_name, comment, run_id, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, warningID, e.Action, e.FromStatus, e.ToStatus, actorID, e.ActorName, e.Comment, e.RunID, e.At)
	return err
}

// Events lists a warning's timeline, oldest first.
func (s *Store) Events(ctx context.Context, warningID int64) ([]*Event, error) {
	return db.All(ctx, s.db, func(r db.Scanner) (*Event, error) {
		var e Event
		var run sql.NullInt64
		err := r.Scan(&e.ID, &e.Action, &e.FromStatus, &e.ToStatus, &e.ActorName, &e.Comment, &run, &e.At)
		e.RunID = ptrInt(run)
		return &e, err
	}, "SELECT id, action, from_status, to_status, actor_name, comment, run_id, at FROM sup_warning_events WHERE warning_id = ? ORDER BY id", warningID)
}

// Overdue lists dispatched warnings whose deadline is before t.
func (s *Store) Overdue(ctx context.Context, t time.Time) ([]*Warning, error) {
	return db.All(ctx, s.db, scanWarning, "SELECT "+warningCols+warningFrom+" WHERE w.status = 'dispatched' AND w.deadline < ? ORDER BY w.id", t)
}

// ClosedBetween lists the ids of warnings closed in [from, to), by id.
func (s *Store) ClosedBetween(ctx context.Context, from, to time.Time) ([]int64, error) {
	rows, err := s.db.Query(ctx, "SELECT id FROM sup_warnings WHERE status = 'closed' AND closed_at >= ? AND closed_at < ? ORDER BY id", from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ---- evidence files ----

// AddFile records an evidence file.
func (s *Store) AddFile(ctx context.Context, f *File) (err error) {
	f.UploadedAt = db.Now()
	f.ID, err = s.db.InsertID(ctx, `INSERT INTO sup_evidence_files (warning_id, name, content_type, size, sm3, stored_name, uploaded_by, org_id, uploaded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, f.WarningID, f.Name, f.ContentType, f.Size, f.SM3, f.storedName, f.UploadedBy, f.orgID, f.UploadedAt)
	return err
}

const fileCols = "id, warning_id, name, content_type, size, sm3, stored_name, uploaded_by, org_id, uploaded_at"

func scanFile(r db.Scanner) (*File, error) {
	var f File
	var org sql.NullInt64
	if err := r.Scan(&f.ID, &f.WarningID, &f.Name, &f.ContentType, &f.Size, &f.SM3, &f.storedName, &f.UploadedBy, &org, &f.UploadedAt); err != nil {
		return nil, db.NotFound(err)
	}
	f.orgID = ptrInt(org)
	return &f, nil
}

// File fetches one evidence file's record.
func (s *Store) File(ctx context.Context, id int64) (*File, error) {
	return scanFile(s.db.QueryRow(ctx, "SELECT "+fileCols+" FROM sup_evidence_files WHERE id = ?", id))
}

// Files lists a warning's evidence files.
func (s *Store) Files(ctx context.Context, warningID int64) ([]*File, error) {
	return db.All(ctx, s.db, scanFile, "SELECT "+fileCols+" FROM sup_evidence_files WHERE warning_id = ? ORDER BY id", warningID)
}

// ---- samples ----

// AddSample records a drawn sample.
func (s *Store) AddSample(ctx context.Context, x *Sample) (err error) {
	ids, err := json.Marshal(x.WarningIDs)
	if err != nil {
		return err
	}
	x.CreatedAt = db.Now()
	x.ID, err = s.db.InsertID(ctx, "INSERT INTO sup_samples (quarter, seed, size, population, ids_json, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		x.Quarter, x.Seed, x.Size, x.Population, string(ids), x.CreatedBy, x.CreatedAt)
	return err
}

// Samples lists the samples, newest quarter first.
func (s *Store) Samples(ctx context.Context) ([]*Sample, error) {
	return db.All(ctx, s.db, func(r db.Scanner) (*Sample, error) {
		var x Sample
		var ids string
		if err := r.Scan(&x.ID, &x.Quarter, &x.Seed, &x.Size, &x.Population, &ids, &x.CreatedBy, &x.CreatedAt); err != nil {
			return nil, err
		}
		return &x, json.Unmarshal([]byte(ids), &x.WarningIDs)
	}, "SELECT id, quarter, seed, size, population, ids_json, created_by, created_at FROM sup_samples ORDER BY quarter DESC")
}

// ---- statistics ----

// Stats rolls warnings up by the first n digits of the region.
func (s *Store) Stats(ctx context.Context, n int, q StatsQuery) ([]*Stat, error) {
	col := map[int]string{2: "w.province", 4: "w.city", 6: "w.region"}[n]
	var conds []string
	var args []any
	add := func(c string, a ...any) { conds, args = append(conds, c), append(args, a...) }
	switch len(q.Region) {
	case 2:
		add("w.province = ?", q.Region)
	case 4:
		add("w.city = ?", q.Region)
	case 6:
		add("w.region = ?", q.Region)
	}
	if q.RuleCode != "" {
		add("w.rule_code = ?", q.RuleCode)
	}
	if q.Insurance != "" {
		add("w.insurance = ?", q.Insurance)
	}
	if q.PeriodMin != "" {
		add("w.period >= ?", q.PeriodMin)
	}
	if q.PeriodMax != "" {
		add("w.period <= ?", q.PeriodMax)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	return db.All(ctx, s.db, func(r db.Scanner) (*Stat, error) {
		var x Stat
		var involved, recovered int64
		err := r.Scan(&x.Region, &x.Found, &x.Verified, &x.Rectified, &involved, &recovered)
		x.AmountInvolved, x.AmountRecovered = yuan(involved), yuan(recovered)
		return &x, err
	}, `SELECT `+col+`, COUNT(*),
		SUM(CASE WHEN w.verified_at IS NOT NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN w.verified_at IS NOT NULL AND w.rectified THEN 1 ELSE 0 END),
		COALESCE(SUM(COALESCE(w.verified_amount_fen, w.amount_fen)), 0),
		COALESCE(SUM(w.recovered_fen), 0)
		FROM sup_warnings w`+where+" GROUP BY "+col+" ORDER BY "+col, args...)
}
