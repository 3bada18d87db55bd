// Package supervision is fund supervision's workflow (基金监管): rule
// settings over the rule library (enabled flags, 规则参数维护, user-defined
// rules with versions), task groups and runs (调度管理) that push the rules
// down to the warehouse, and the warnings (预警/疑点) the hits become, with
// their lifecycle — dispatch (派发) → verification (核查) → review (审核) →
// feedback (反馈) — the quarterly sample (抽查), escalation of overdue work
// (督办提醒 → 函询 → 约谈 → 通报) and statistics by region.
package supervision

import (
	"time"

	"github.com/xietong/xietong/internal/rules"
)

// RuleView is a rule of the library as the console shows it: the rule
// (built-in or the active version of a user-defined one) with its enabled
// flag and cities' parameter overrides.
type RuleView struct {
	rules.Rule
	Overrides     map[string]map[string]string `json:"overrides"` // city → param → value
	ActiveVersion int                          `json:"active_version,omitempty"`
	LatestVersion int                          `json:"latest_version,omitempty"`
}

// RuleInput is a user-defined rule's content (a save makes a new version).
type RuleInput struct {
	Code        string        `json:"code"`
	Name        string        `json:"name"`
	Insurance   string        `json:"insurance"`
	Scope       string        `json:"scope"`
	Description string        `json:"description"`
	LegalBasis  string        `json:"legal_basis"`
	SQL         string        `json:"sql"`
	Params      []rules.Param `json:"params"`
	Severity    string        `json:"severity"`
}

// Version is one saved version of a user-defined rule.
type Version struct {
	Version   int        `json:"version"`
	Rule      rules.Rule `json:"rule"`
	Active    bool       `json:"active"`
	CreatedBy string     `json:"created_by"`
	CreatedAt time.Time  `json:"created_at"`
}

// ParamsInput sets one city's parameter values of a rule ("" removes one).
type ParamsInput struct {
	City   string            `json:"city"`
	Values map[string]string `json:"values"`
}

// Group is a task group (任务组): rules run together, on a schedule.
type Group struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	RuleCodes   []string   `json:"rule_codes"`
	Schedule    string     `json:"schedule"` // see ParseSchedule; "" is manual only
	Enabled     bool       `json:"enabled"`
	LastFiredAt *time.Time `json:"last_fired_at"`
	NextAt      *time.Time `json:"next_at"`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// GroupInput is what a supervisor sets on a task group.
type GroupInput struct {
	Name      string   `json:"name"`
	RuleCodes []string `json:"rule_codes"`
	Schedule  string   `json:"schedule"`
	Enabled   bool     `json:"enabled"`
}

// Run states.
const (
	RunQueued    = "queued"
	RunRunning   = "running"
	RunSucceeded = "succeeded"
	RunFailed    = "failed"
	RunWarning   = "warning" // finished, some rules failed
)

// Run is one execution of a task group or of an ad-hoc rule list.
type Run struct {
	ID          int64        `json:"id"`
	GroupID     *int64       `json:"group_id"`
	GroupName   string       `json:"group_name"`
	Trigger     string       `json:"trigger"` // manual | schedule
	RuleCodes   []string     `json:"rule_codes"`
	Status      string       `json:"status"`
	Total       int          `json:"total"`
	Done        int          `json:"done"`
	Hits        int          `json:"hits"`
	NewWarnings int          `json:"new_warnings"`
	Reopened    int          `json:"reopened"`
	Cancelled   bool         `json:"cancelled"`
	Error       string       `json:"error"`
	Results     []RuleResult `json:"results"`
	CreatedBy   string       `json:"created_by"`
	QueuedAt    time.Time    `json:"queued_at"`
	StartedAt   *time.Time   `json:"started_at"`
	FinishedAt  *time.Time   `json:"finished_at"`
	DurationMS  int64        `json:"duration_ms"`
}

// RuleResult is one rule's outcome in a run (hits per rule).
type RuleResult struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Hits      int    `json:"hits"`
	New       int    `json:"new"`
	Reopened  int    `json:"reopened"`
	ElapsedMS int64  `json:"elapsed_ms"`
	Error     string `json:"error,omitempty"`
}

// RunInput starts a run: a task group, or a list of rule codes.
type RunInput struct {
	GroupID   int64    `json:"group_id"`
	RuleCodes []string `json:"rule_codes"`
}

// Warning states. new → dispatched → verified → reviewed → closed; review
// and feedback may send a warning back to dispatched; a closed warning
// whose evidence changes comes back as new.
const (
	StatusNew        = "new"        // 待派发
	StatusDispatched = "dispatched" // 已派发，待核查
	StatusVerified   = "verified"   // 已核查，待审核
	StatusReviewed   = "reviewed"   // 已审核，待反馈
	StatusClosed     = "closed"     // 已办结
)

// Escalation levels of overdue dispatched warnings.
var EscalationLevels = []string{"督办提醒", "函询", "约谈", "通报"}

// Warning is a suspicious point (疑点) being followed up.
type Warning struct {
	ID              int64      `json:"id"`
	RuleCode        string     `json:"rule_code"`
	RuleName        string     `json:"rule_name"`
	Severity        string     `json:"severity"`
	Subject         string     `json:"subject"`
	SubjectName     string     `json:"subject_name"`
	Region          string     `json:"region"`
	City            string     `json:"city"`
	Province        string     `json:"province"`
	Insurance       string     `json:"insurance"`
	Period          string     `json:"period"`
	Amount          float64    `json:"amount"` // yuan
	Evidence        string     `json:"evidence"`
	EvidenceHash    string     `json:"evidence_hash"`
	Status          string     `json:"status"`
	RunID           *int64     `json:"run_id"`
	LastRunID       *int64     `json:"last_run_id"`
	ReopenCount     int        `json:"reopen_count"`
	AgencyID        *int64     `json:"agency_id"`
	AgencyName      string     `json:"agency_name"`
	Deadline        *time.Time `json:"deadline"`
	DispatchedAt    *time.Time `json:"dispatched_at"`
	Overdue         bool       `json:"overdue"`
	Escalation      int        `json:"escalation"` // 0: none, 1..4: EscalationLevels
	EscalationName  string     `json:"escalation_name"`
	Findings        string     `json:"findings"`
	ProblemCategory string     `json:"problem_category"`
	Rectified       bool       `json:"rectified"`
	VerifiedAmount  *float64   `json:"verified_amount"`
	Recovered       float64    `json:"recovered"`
	FileIDs         []int64    `json:"file_ids"`
	VerifiedAt      *time.Time `json:"verified_at"`
	ClosedAt        *time.Time `json:"closed_at"`
	SampleID        *int64     `json:"sample_id"`
	RecheckStatus   string     `json:"recheck_status"` // '' | pending | confirmed | problem
	RecheckComment  string     `json:"recheck_comment"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
	Events          []*Event   `json:"events,omitempty"`
	Files           []*File    `json:"files,omitempty"`
}

// Event is a step on a warning's timeline.
type Event struct {
	ID         int64     `json:"id"`
	Action     string    `json:"action"`
	FromStatus string    `json:"from_status"`
	ToStatus   string    `json:"to_status"`
	ActorName  string    `json:"actor_name"`
	Comment    string    `json:"comment"`
	RunID      *int64    `json:"run_id"`
	At         time.Time `json:"at"`
}

// File is an evidence file of a verification (核查材料).
type File struct {
	ID          int64     `json:"id"`
	WarningID   int64     `json:"warning_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SM3         string    `json:"sm3"`
	UploadedBy  string    `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`

	storedName string
	orgID      *int64
}

// DispatchInput sends a warning to an agency (派发).
type DispatchInput struct {
	AgencyID int64     `json:"agency_id"`
	Deadline time.Time `json:"deadline"`
	Comment  string    `json:"comment"`
}

// VerifyInput is the agency's verification (核查).
type VerifyInput struct {
	Findings        string  `json:"findings"`
	ProblemCategory string  `json:"problem_category"`
	Rectified       bool    `json:"rectified"`
	AmountInvolved  float64 `json:"amount_involved"`
	AmountRecovered float64 `json:"amount_recovered"`
	FileIDs         []int64 `json:"file_ids"`
	Comment         string  `json:"comment"`
}

// Decision answers a review (pass | send_back) or a feedback (close | send_back).
type Decision struct {
	Decision string     `json:"decision"`
	Comment  string     `json:"comment"`
	Deadline *time.Time `json:"deadline"` // a new deadline when sending back
}

// Problem categories of a verification (问题类别).
var ProblemCategories = []string{"none", "fraud", "overpayment", "underpayment", "data_error", "procedure", "other"}

// Sample is a quarter's draw of closed warnings for re-checking (抽查).
type Sample struct {
	ID         int64     `json:"id"`
	Quarter    string    `json:"quarter"` // 2026Q1
	Seed       int64     `json:"seed"`
	Size       int       `json:"size"`
	Population int       `json:"population"`
	WarningIDs []int64   `json:"warning_ids"`
	CreatedBy  string    `json:"created_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// SampleInput draws a sample; Seed nil draws a random seed (recorded).
type SampleInput struct {
	Quarter string `json:"quarter"`
	Size    int    `json:"size"`
	Seed    *int64 `json:"seed"`
}

// RecheckInput records a re-check outcome (confirmed | problem).
type RecheckInput struct {
	Outcome string `json:"outcome"`
	Comment string `json:"comment"`
}

// Query selects warnings.
type Query struct {
	RuleCode  string
	Status    string
	Region    string // code prefix: 2, 4 or 6 digits
	AgencyID  int64
	Insurance string
	PeriodMin string
	PeriodMax string
	RunID     int64
	Overdue   bool // dispatched and past the deadline
	Recheck   string
	Words     string // subject or subject name contains
	Now       time.Time
	Limit     int
	Offset    int
}

// Stat is one row of the statistics (统计) at a region level.
type Stat struct {
	Region          string  `json:"region"`
	Name            string  `json:"name"` // the organisation of that region and level, if any
	Found           int     `json:"found"`
	Verified        int     `json:"verified"`
	Rectified       int     `json:"rectified"`
	AmountInvolved  float64 `json:"amount_involved"`
	AmountRecovered float64 `json:"amount_recovered"`
}

// StatsQuery filters the statistics; Level is province | city | county.
type StatsQuery struct {
	Level     string
	Region    string // only regions under this prefix
	PeriodMin string
	PeriodMax string
	RuleCode  string
	Insurance string
}
