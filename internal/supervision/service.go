package supervision

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/iam"
	"github.com/xietong/xietong/internal/rules"
	"github.com/xietong/xietong/internal/warehouse"
)

// DefaultEscalateEvery is the overdue period after which a dispatched
// warning climbs one escalation level.
const DefaultEscalateEvery = 7 * 24 * time.Hour

// Service is fund supervision. Every change is audited in its transaction;
// every step of a warning is also on its timeline.
type Service struct {
	db      *db.DB
	store   *Store
	audit   *audit.Log
	iam     *iam.Service
	eng     *warehouse.Engine
	fileDir string
	every   time.Duration
	now     func() time.Time
	// orgOf is the acting user's organisation (the principal's, by default).
	orgOf func(ctx context.Context) (int64, bool)
	// notifier tells agency users of work (nil: no notifications).
	notifier Notifier

	mu      sync.Mutex
	running map[int64]*active // run id → its cancel
	groups  map[int64]int64   // group id → the run in progress
	wg      sync.WaitGroup
}

type active struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// NewService wires the service; eng is the warehouse the rules run on (nil
// when none is configured), fileDir where evidence files are kept.
func NewService(d *db.DB, s *Store, a *audit.Log, i *iam.Service, eng *warehouse.Engine, fileDir string) *Service {
	return &Service{db: d, store: s, audit: a, iam: i, eng: eng, fileDir: fileDir, every: DefaultEscalateEvery, now: time.Now,
		orgOf: principalOrg, running: map[int64]*active{}, groups: map[int64]int64{}}
}

// SetEscalateEvery changes the overdue period per escalation level.
func (s *Service) SetEscalateEvery(d time.Duration) {
	if d > 0 {
		s.every = d
	}
}

func principalOrg(ctx context.Context) (int64, bool) {
	if p := iam.PrincipalFrom(ctx); p != nil && p.User != nil {
		return p.User.OrgID, true
	}
	return 0, false
}

var (
	errState         = httpx.NewProblem(http.StatusConflict, "supervision_bad_state", "预警当前状态不允许此操作", "The warning's state does not allow this step")
	errNotYourAgency = httpx.NewProblem(http.StatusForbidden, "supervision_not_your_agency", "该预警未派发给您所在的机构", "The warning was not dispatched to your organisation")
	errRunActive     = httpx.NewProblem(http.StatusConflict, "supervision_run_active", "该任务组已有任务在运行", "A run of this task group is already in progress")
	errNotRunning    = httpx.NewProblem(http.StatusConflict, "supervision_run_not_running", "该任务未在运行", "The run is not in progress")
	errNoWarehouse   = httpx.NewProblem(http.StatusServiceUnavailable, "supervision_no_warehouse", "未配置数据仓库，无法运行规则", "No warehouse is configured to run the rules on")
	errBuiltinCode   = httpx.NewProblem(http.StatusConflict, "supervision_builtin_rule", "内置规则不能被自定义规则覆盖", "A user-defined rule cannot take a built-in rule's code")
	errSampleExists  = httpx.NewProblem(http.StatusConflict, "supervision_sample_exists", "该季度已抽查", "The quarter's sample has already been drawn")
	errNotSampled    = httpx.NewProblem(http.StatusConflict, "supervision_not_sampled", "该预警不在待复核的抽查样本中", "The warning is not waiting for a re-check")
	errFileTooLarge  = httpx.NewProblem(http.StatusRequestEntityTooLarge, "supervision_file_too_large", "文件超过 10 MB", "The file exceeds 10 MB")
	errFileType      = httpx.NewProblem(http.StatusUnsupportedMediaType, "supervision_file_type", "不支持的文件类型（支持 pdf、jpg、png、ofd、doc、docx、xls、xlsx、txt）", "Unsupported file type (pdf, jpg, png, ofd, doc, docx, xls, xlsx, txt)")
)

func actor(ctx context.Context) audit.Actor { return audit.ActorFrom(ctx) }

func actorID(a audit.Actor) *int64 {
	if a.ID == 0 {
		return nil
	}
	id := a.ID
	return &id
}

func actorName(a audit.Actor) string {
	if a.Name == "" {
		return "system"
	}
	return a.Name
}

// ---- the rule library (规则库) ----

// library is every rule that may run: the built-in ones and the active
// version of each user-defined one, with the enabled flags applied.
func (s *Service) library(ctx context.Context) ([]RuleView, error) {
	off, err := s.store.Disabled(ctx)
	if err != nil {
		return nil, err
	}
	ov, err := s.store.Overrides(ctx)
	if err != nil {
		return nil, err
	}
	var out []RuleView
	for _, r := range rules.Builtin() {
		r.Enabled = !off[r.Code]
		out = append(out, RuleView{Rule: r, Overrides: ov[r.Code]})
	}
	custom, err := s.store.CustomRules(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range custom {
		c.Enabled = c.ActiveVersion > 0 && !off[c.Code]
		c.Overrides = ov[c.Code]
		out = append(out, *c)
	}
	for i := range out {
		if out[i].Overrides == nil {
			out[i].Overrides = map[string]map[string]string{}
		}
	}
	return out, nil
}

// Rules lists the library.
func (s *Service) Rules(ctx context.Context) ([]RuleView, error) { return s.library(ctx) }

// Rule fetches one rule of the library.
func (s *Service) Rule(ctx context.Context, code string) (*RuleView, error) {
	lib, err := s.library(ctx)
	if err != nil {
		return nil, err
	}
	for i := range lib {
		if lib[i].Code == code {
			return &lib[i], nil
		}
	}
	return nil, db.ErrNotFound
}

// SetEnabled switches a rule on or off.
func (s *Service) SetEnabled(ctx context.Context, code string, on bool) (*RuleView, error) {
	before, err := s.Rule(ctx, code)
	if err != nil {
		return nil, err
	}
	a := actor(ctx)
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SetEnabled(ctx, code, on, a.Name); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "supervision_rule.enable", TargetType: "supervision_rule", TargetID: code,
			Before: strconv.FormatBool(before.Enabled), After: strconv.FormatBool(on)})
	})
	if err != nil {
		return nil, err
	}
	return s.Rule(ctx, code)
}

// SetParams sets one city's parameter values of a rule (规则参数维护); the
// whole override set is checked with rules.Resolve before it is saved.
func (s *Service) SetParams(ctx context.Context, code string, in ParamsInput) (*RuleView, error) {
	r, err := s.Rule(ctx, code)
	if err != nil {
		return nil, err
	}
	next := map[string]map[string]string{}
	for c, v := range r.Overrides {
		next[c] = v
	}
	vals := map[string]string{}
	for k, v := range in.Values {
		if strings.TrimSpace(v) != "" {
			vals[k] = strings.TrimSpace(v)
		}
	}
	if len(vals) == 0 {
		delete(next, in.City)
	} else {
		next[in.City] = vals
	}
	if _, err := rules.Resolve(r.Rule, next); err != nil {
		return nil, httpx.Invalid(httpx.FieldError{Field: "values", Code: "invalid", Message: err.Error()})
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SetCityParams(ctx, code, in.City, vals, actor(ctx).Name); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "supervision_rule.params", TargetType: "supervision_rule", TargetID: code + "/" + in.City,
			Before: audit.JSON(r.Overrides[in.City]), After: audit.JSON(vals)})
	})
	if err != nil {
		return nil, err
	}
	return s.Rule(ctx, code)
}

var insurances = []string{"", "110", "120", "170", "210", "310", "410", "510"}

func checkRule(in RuleInput) (rules.Rule, error) {
	var c httpx.Checker
	c.Code("code", in.Code)
	c.Text("name", in.Name, true, 100)
	c.OneOf("insurance", in.Insurance, insurances...)
	c.OneOf("scope", in.Scope, rules.ScopeGeneral, rules.ScopeSingle, rules.ScopeLocal, rules.ScopeNational)
	c.OneOf("severity", in.Severity, rules.SeverityHigh, rules.SeverityMedium, rules.SeverityLow)
	c.Text("legal_basis", in.LegalBasis, false, 500)
	if len([]rune(in.Description)) > 2000 {
		c.Add("description", "too_long", "≤ 2000")
	}
	if strings.TrimSpace(in.SQL) == "" || len(in.SQL) > 20000 {
		c.Add("sql", "required", "≤ 20000 bytes")
	}
	if len(in.Params) > 30 {
		c.Add("params", "too_many", "≤ 30")
	}
	if err := c.Err(); err != nil {
		return rules.Rule{}, err
	}
	r := rules.Rule{Code: in.Code, Name: strings.TrimSpace(in.Name), Insurance: in.Insurance, Scope: in.Scope, Description: in.Description,
		LegalBasis: in.LegalBasis, SQL: in.SQL, Params: in.Params, Severity: in.Severity}
	if r.Params == nil {
		r.Params = []rules.Param{}
	}
	// The template must parse and bind with its defaults (optional
	// parameters without defaults may stay unset).
	if _, err := rules.Compile(r, "", nil); err != nil {
		return r, httpx.Invalid(httpx.FieldError{Field: "sql", Code: "invalid", Message: err.Error()})
	}
	return r, nil
}

// SaveRule saves a new version of a user-defined rule (created on the first
// save). The new version runs once it is activated.
func (s *Service) SaveRule(ctx context.Context, in RuleInput) (*Version, error) {
	r, err := checkRule(in)
	if err != nil {
		return nil, err
	}
	if _, ok := rules.ByCode(rules.Builtin(), r.Code); ok {
		return nil, errBuiltinCode
	}
	a := actor(ctx)
	var v int
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if v, err = s.store.AddVersion(ctx, r, a.Name); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "supervision_rule.save", TargetType: "supervision_rule", TargetID: r.Code + "@" + strconv.Itoa(v), After: audit.JSON(r)})
	})
	if err != nil {
		return nil, err
	}
	return &Version{Version: v, Rule: r, CreatedBy: a.Name, CreatedAt: db.Now()}, nil
}

// Versions lists a user-defined rule's versions.
func (s *Service) Versions(ctx context.Context, code string) ([]*Version, error) {
	return s.store.Versions(ctx, code)
}

// Activate enables version v of a user-defined rule (the one runs use).
func (s *Service) Activate(ctx context.Context, code string, v int) (*RuleView, error) {
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.Activate(ctx, code, v); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "supervision_rule.activate", TargetType: "supervision_rule", TargetID: code + "@" + strconv.Itoa(v)})
	})
	if err != nil {
		return nil, err
	}
	return s.Rule(ctx, code)
}

// DryRunInput previews a rule: a saved one by code (optionally a version of
// a user-defined one), or unsaved content.
type DryRunInput struct {
	Code    string            `json:"code"`
	Version int               `json:"version"`
	Rule    *RuleInput        `json:"rule"`
	Values  map[string]string `json:"values"`
	Limit   int               `json:"limit"`
}

// DryRun runs a rule on the warehouse and returns its first hits (≤ 200).
func (s *Service) DryRun(ctx context.Context, in DryRunInput) ([]rules.Hit, error) {
	if s.eng == nil {
		return nil, errNoWarehouse
	}
	if in.Limit <= 0 {
		in.Limit = 20
	}
	in.Limit = min(in.Limit, 200)
	var r rules.Rule
	switch {
	case in.Rule != nil:
		x, err := checkRule(*in.Rule)
		if err != nil {
			return nil, err
		}
		r = x
	case in.Version > 0:
		vs, err := s.store.Versions(ctx, in.Code)
		if err != nil {
			return nil, err
		}
		found := false
		for _, v := range vs {
			if v.Version == in.Version {
				r, found = v.Rule, true
			}
		}
		if !found {
			return nil, db.ErrNotFound
		}
	default:
		v, err := s.Rule(ctx, in.Code)
		if err != nil {
			return nil, err
		}
		r = v.Rule
	}
	hits, err := rules.DryRun(ctx, s.eng, r, in.Values, in.Limit)
	if err != nil {
		return nil, httpx.NewProblem(http.StatusUnprocessableEntity, "supervision_rule_failed", "规则试运行失败："+err.Error(), "The dry run failed: "+err.Error())
	}
	if hits == nil {
		hits = []rules.Hit{}
	}
	return hits, nil
}

// resolve picks the rules of codes from the library, in library order;
// unknown codes are a validation error.
func (s *Service) resolve(ctx context.Context, codes []string) ([]rules.Rule, map[string]map[string]map[string]string, error) {
	lib, err := s.library(ctx)
	if err != nil {
		return nil, nil, err
	}
	want := map[string]bool{}
	for _, c := range codes {
		want[c] = true
	}
	var out []rules.Rule
	ov := map[string]map[string]map[string]string{}
	for _, r := range lib {
		if want[r.Code] {
			out = append(out, r.Rule)
			ov[r.Code] = r.Overrides
			delete(want, r.Code)
		}
	}
	if len(want) > 0 {
		var missing []string
		for c := range want {
			missing = append(missing, c)
		}
		sort.Strings(missing)
		return nil, nil, httpx.Invalid(httpx.FieldError{Field: "rule_codes", Code: "not_found", Message: strings.Join(missing, ",")})
	}
	return out, ov, nil
}

func notFoundAs(err error, field string) error {
	if errors.Is(err, db.ErrNotFound) {
		return httpx.Invalid(httpx.FieldError{Field: field, Code: "not_found"})
	}
	return err
}
