package dataapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/calllog"
	"github.com/xietong/xietong/internal/consumer"
	"github.com/xietong/xietong/internal/dataapi/sqltpl"
	"github.com/xietong/xietong/internal/datasource"
	"github.com/xietong/xietong/internal/datasource/connect"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/gateway"
	"github.com/xietong/xietong/internal/httpx"
)

// Service manages data APIs: drafts, tries, submissions, reviews and
// publication. Every change is audited in its transaction.
type Service struct {
	db        *db.DB
	store     *Store
	audit     *audit.Log
	sources   *datasource.Service
	consumers *consumer.Service
	runtime   *Runtime
	calls     *calllog.Reader
	now       func() time.Time
}

// NewService wires the service.
func NewService(d *db.DB, s *Store, a *audit.Log, sources *datasource.Service, consumers *consumer.Service, rt *Runtime, calls *calllog.Reader) *Service {
	return &Service{db: d, store: s, audit: a, sources: sources, consumers: consumers, runtime: rt, calls: calls, now: time.Now}
}

var (
	errSelfReview  = httpx.NewProblem(http.StatusForbidden, "dataapi_self_review", "不能审核自己提交的版本，请由其他审核人审核", "You cannot review a version you submitted; another reviewer must")
	errNotPending  = httpx.NewProblem(http.StatusConflict, "dataapi_not_pending", "该版本不在待审核状态", "This version is not waiting for review")
	errPending     = httpx.NewProblem(http.StatusConflict, "dataapi_pending_exists", "已有待审核的版本，请等待审核完成", "A version is already waiting for review")
	errPublished   = httpx.NewProblem(http.StatusConflict, "dataapi_published", "数据API已发布，请先下线", "The data API is published; take it offline first")
	errNotApproved = httpx.NewProblem(http.StatusConflict, "dataapi_not_approved", "只能发布审核通过的版本", "Only an approved version can be published")
	errNoFields    = httpx.NewProblem(http.StatusUnprocessableEntity, "dataapi_no_fields", "提交前请描述返回字段（名称、类型、敏感类别）", "Describe the result fields (name, type, sensitive category) before submitting")
	errNotSQL      = httpx.Invalid(httpx.FieldError{Field: "source_id", Code: "not_sql", Message: "a database source"})
)

// ---- validation ----

var (
	identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)
	pathRe  = regexp.MustCompile(`^/gw/data(/[A-Za-z0-9._~-]+)+$`)
)

// NormalisePath puts a data API's path under /gw/data/: "person" and
// "/data/person" both become "/gw/data/person".
func NormalisePath(p string) string {
	p = strings.TrimSpace(p)
	switch {
	case strings.HasPrefix(p, "/gw/data/"):
	case strings.HasPrefix(p, "/data/"):
		p = "/gw" + p
	case strings.HasPrefix(p, "/"):
		p = "/gw/data" + p
	default:
		p = "/gw/data/" + p
	}
	return p
}

func categoryOK(c string) bool {
	if c == "" {
		return true
	}
	for _, x := range consumer.Categories {
		if x == c {
			return true
		}
	}
	return false
}

// checkDef validates a definition and fills its defaults.
func checkDef(c *httpx.Checker, d *Def) {
	if d.TimeoutMS == 0 {
		d.TimeoutMS = 5000
	}
	if d.MaxRows == 0 {
		d.MaxRows = 1000
	}
	if d.TimeoutMS < 100 || d.TimeoutMS > 60000 {
		c.Add("draft.timeout_ms", "range", "100–60000")
	}
	if d.MaxRows < 1 || d.MaxRows > 10000 {
		c.Add("draft.max_rows", "range", "1–10000")
	}
	if d.CacheSeconds < 0 || d.CacheSeconds > 3600 {
		c.Add("draft.cache_seconds", "range", "0–3600")
	}
	if d.Paging.Enabled {
		if d.Paging.DefaultSize == 0 {
			d.Paging.DefaultSize = 20
		}
		if d.Paging.MaxSize == 0 {
			d.Paging.MaxSize = 100
		}
		if d.Paging.MaxSize < 1 || d.Paging.MaxSize > 1000 {
			c.Add("draft.paging.max_size", "range", "1–1000")
		}
		if d.Paging.DefaultSize < 1 || d.Paging.DefaultSize > d.Paging.MaxSize {
			c.Add("draft.paging.default_size", "range", "1–max_size")
		}
	}
	if d.Sortable == nil {
		d.Sortable = []string{}
	}
	seen := map[string]bool{}
	for i, s := range d.Sortable {
		if !identRe.MatchString(s) || seen[s] {
			c.Add("draft.sortable["+strconv.Itoa(i)+"]", "format", "a column name, once")
		}
		seen[s] = true
	}
	for _, part := range strings.Split(d.DefaultSort, ",") {
		col := strings.TrimPrefix(strings.TrimSpace(part), "-")
		if col != "" && !seen[col] {
			c.Add("draft.default_sort", "enum", "a sortable column, - for descending")
		}
	}
	for i, p := range d.Params {
		if p.Name == paramPage || p.Name == paramPageSize || p.Name == paramSort {
			c.Add("draft.params["+strconv.Itoa(i)+"].name", "reserved", "page, page_size and sort are reserved")
		}
	}
	if d.Params == nil {
		d.Params = []sqltpl.Param{}
	}
	if len(d.Fields) > 200 {
		c.Add("draft.fields", "too_many", "≤ 200")
	}
	names := map[string]bool{}
	for i, f := range d.Fields {
		at := "draft.fields[" + strconv.Itoa(i) + "]"
		if !identRe.MatchString(f.Name) || names[strings.ToLower(f.Name)] {
			c.Add(at+".name", "format", "a column name, once")
		}
		names[strings.ToLower(f.Name)] = true
		c.Text(at+".type", f.Type, false, 32)
		c.Text(at+".description", f.Description, false, 200)
		if !categoryOK(f.Category) {
			c.Add(at+".category", "enum", strings.Join(consumer.Categories, "|"))
		}
	}
	if d.Fields == nil {
		d.Fields = []Field{}
	}
}

// validDef checks a definition and its template.
func validDef(d *Def) (*compiled, error) {
	var c httpx.Checker
	checkDef(&c, d)
	if err := c.Err(); err != nil {
		return nil, err
	}
	cp, err := compile(*d)
	if err != nil {
		return nil, problemFor(err)
	}
	return cp, nil
}

// sqlSource checks that a source exists and is a database.
func (s *Service) sqlSource(ctx context.Context, id int64) (*datasource.Source, error) {
	src, err := s.sources.Source(ctx, id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, httpx.Invalid(httpx.FieldError{Field: "source_id", Code: "not_found"})
	}
	if err != nil {
		return nil, err
	}
	if k, ok := connect.Lookup(src.Kind); !ok || k.Family != connect.FamilySQL {
		return nil, errNotSQL
	}
	return src, nil
}

// ---- reading ----

// APIs lists a page of data APIs.
func (s *Service) APIs(ctx context.Context, f Filter) ([]*DataAPI, int, error) {
	out, total, err := s.store.APIs(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	for _, x := range out {
		if err := s.fillChanged(ctx, x); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// API fetches one data API.
func (s *Service) API(ctx context.Context, id int64) (*DataAPI, error) {
	x, err := s.store.API(ctx, id)
	if err != nil {
		return nil, err
	}
	return x, s.fillChanged(ctx, x)
}

// fillChanged tells whether the draft differs from the published version.
func (s *Service) fillChanged(ctx context.Context, x *DataAPI) error {
	if x.PublishedVersion == nil {
		x.DraftChanged = true
		return nil
	}
	v, err := s.store.Version(ctx, x.ID, *x.PublishedVersion)
	if err != nil {
		return err
	}
	a, _ := json.Marshal(x.Draft)
	b, _ := json.Marshal(v.Def)
	x.DraftChanged = string(a) != string(b) || v.Method != x.Method || v.Path != x.Path || v.SourceID != x.SourceID
	return nil
}

// Versions lists a data API's versions, newest first.
func (s *Service) Versions(ctx context.Context, id int64) ([]*Version, error) {
	if _, err := s.store.API(ctx, id); err != nil {
		return nil, err
	}
	return s.store.Versions(ctx, id)
}

// Reviews lists the versions waiting for review.
func (s *Service) Reviews(ctx context.Context, pg httpx.Page) ([]*Version, int, error) {
	return s.store.Pending(ctx, pg.PageSize, pg.Offset())
}

// Stats are the calls of a data API over the last days, from the call log.
func (s *Service) Stats(ctx context.Context, id int64, days int) (calllog.Stats, error) {
	x, err := s.store.API(ctx, id)
	if err != nil {
		return calllog.Stats{}, err
	}
	if days < 1 || days > 90 {
		return calllog.Stats{}, httpx.Invalid(httpx.FieldError{Field: "days", Code: "range", Message: "1–90"})
	}
	return s.calls.APIStats(ctx, x.Code, days, s.now())
}

// UsedBy counts data APIs per source (for the data-source list).
func (s *Service) UsedBy(ctx context.Context) (map[int64]int, error) { return s.store.UsedBy(ctx) }

// ---- writing ----

// Save creates (id 0) or edits a data API's draft.
func (s *Service) Save(ctx context.Context, id int64, in Input) (*DataAPI, error) {
	var c httpx.Checker
	c.Code("code", in.Code)
	c.Text("name", in.Name, true, 100)
	c.Text("description", in.Description, false, 1000)
	c.OneOf("method", in.Method, "GET", "POST")
	in.Path = NormalisePath(in.Path)
	if !pathRe.MatchString(in.Path) || strings.Contains(in.Path, "..") || len(in.Path) > 200 {
		c.Add("path", "format", "/gw/data/… with letters, digits, . _ ~ -")
	}
	checkDef(&c, &in.Draft)
	if err := c.Err(); err != nil {
		return nil, err
	}
	if _, err := compile(in.Draft); err != nil {
		return nil, problemFor(err)
	}
	if _, err := s.sqlSource(ctx, in.SourceID); err != nil {
		return nil, err
	}
	actor := audit.ActorFrom(ctx)
	x := &DataAPI{Status: StatusDraft, CreatedBy: actor.Name}
	var before *DataAPI
	if id != 0 {
		b, err := s.store.API(ctx, id)
		if err != nil {
			return nil, err
		}
		before = b
		cp := *b
		x = &cp
	}
	x.Code, x.Name, x.Description, x.SourceID, x.Method, x.Path, x.Draft = in.Code, strings.TrimSpace(in.Name), in.Description, in.SourceID, in.Method, in.Path, in.Draft
	x.UpdatedBy = actor.Name
	action := "data_api.update"
	if id == 0 {
		action = "data_api.create"
	}
	ev := audit.Event{Action: action, TargetType: "data_api", TargetID: x.Code, Before: audit.JSON(before), After: audit.JSON(x)}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveAPI(ctx, x); err != nil {
			return err
		}
		return s.audit.Record(ctx, ev)
	})
	if db.IsUniqueViolation(err) {
		return nil, httpx.NewProblem(http.StatusConflict, "conflict", "编码或路径已被其他数据API使用", "Another data API already uses this code or path")
	}
	if err != nil {
		return nil, err
	}
	return s.API(ctx, x.ID)
}

// Delete removes a data API that is not published (with its gateway API,
// if it was published once and taken offline).
func (s *Service) Delete(ctx context.Context, id int64) error {
	x, err := s.store.API(ctx, id)
	if err != nil {
		return err
	}
	if x.Status == StatusPublished {
		return errPublished
	}
	ev := audit.Event{Action: "data_api.delete", TargetType: "data_api", TargetID: x.Code, Before: audit.JSON(x)}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteAPI(ctx, id); err != nil {
			return err
		}
		if x.GatewayAPIID != nil {
			if err := s.consumers.DeleteManaged(ctx, *x.GatewayAPIID); err != nil && !errors.Is(err, db.ErrNotFound) {
				return err
			}
		}
		return s.audit.Record(ctx, ev)
	})
}

// Submit freezes the draft as a new version waiting for review.
func (s *Service) Submit(ctx context.Context, id int64, comment string) (*DataAPI, error) {
	var c httpx.Checker
	c.Text("comment", comment, false, 500)
	if err := c.Err(); err != nil {
		return nil, err
	}
	x, err := s.store.API(ctx, id)
	if err != nil {
		return nil, err
	}
	if x.PendingVersion != nil {
		return nil, errPending
	}
	if _, err := validDef(&x.Draft); err != nil {
		return nil, err
	}
	if len(x.Draft.Fields) == 0 {
		return nil, errNoFields
	}
	if _, err := s.sqlSource(ctx, x.SourceID); err != nil {
		return nil, err
	}
	actor := audit.ActorFrom(ctx)
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		n, err := s.store.NextVersion(ctx, id)
		if err != nil {
			return err
		}
		v := &Version{DataAPIID: id, Version: n, Status: VersionPending, SourceID: x.SourceID, Method: x.Method, Path: x.Path, Def: x.Draft,
			SubmittedByID: actor.ID, SubmittedBy: actor.Name, SubmittedAt: db.Now(), SubmitComment: comment}
		if err := s.store.AddVersion(ctx, v); err != nil {
			return err
		}
		x.PendingVersion = &n
		if x.Status != StatusPublished {
			x.Status = StatusPending
		}
		x.UpdatedBy = actor.Name
		if err := s.store.SaveAPI(ctx, x); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "data_api.submit", TargetType: "data_api", TargetID: x.Code + "@v" + strconv.Itoa(n), After: audit.JSON(v)})
	})
	if err != nil {
		return nil, err
	}
	return s.API(ctx, id)
}

// Review approves (and publishes) or rejects a pending version. Nobody
// reviews a version they submitted.
func (s *Service) Review(ctx context.Context, id int64, in ReviewInput) (*DataAPI, error) {
	var c httpx.Checker
	c.OneOf("decision", in.Decision, "approve", "reject")
	c.Text("comment", in.Comment, in.Decision == "reject", 500)
	if err := c.Err(); err != nil {
		return nil, err
	}
	x, err := s.store.API(ctx, id)
	if err != nil {
		return nil, err
	}
	v, err := s.store.Version(ctx, id, in.Version)
	if err != nil {
		return nil, err
	}
	if v.Status != VersionPending {
		return nil, errNotPending
	}
	actor := audit.ActorFrom(ctx)
	target := x.Code + "@v" + strconv.Itoa(v.Version)
	if actor.ID == 0 || v.SubmittedByID == actor.ID {
		// Recorded: an attempt to approve one's own work is what an auditor looks for.
		if err := s.audit.Record(ctx, audit.Event{Action: "data_api.review", TargetType: "data_api", TargetID: target, Result: audit.ResultDenied, Detail: "self-review"}); err != nil {
			return nil, err
		}
		return nil, errSelfReview
	}
	v.ReviewedBy, v.ReviewComment = actor.Name, in.Comment
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if in.Decision == "approve" {
			v.Status = VersionApproved
		} else {
			v.Status = VersionRejected
		}
		ok, err := s.store.Decide(ctx, v, actor.ID, db.Now())
		if err != nil {
			return err
		}
		if !ok {
			return errNotPending
		}
		x.PendingVersion = nil
		x.UpdatedBy = actor.Name
		if in.Decision == "approve" {
			if err := s.publish(ctx, x, v); err != nil {
				return err
			}
		} else if x.Status == StatusPending {
			x.Status = StatusRejected
		}
		if err := s.store.SaveAPI(ctx, x); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "data_api." + in.Decision, TargetType: "data_api", TargetID: target, After: audit.JSON(v)})
	})
	if err != nil {
		return nil, err
	}
	return s.API(ctx, id)
}

// publish makes v the gateway API of x (inside the caller's transaction).
func (s *Service) publish(ctx context.Context, x *DataAPI, v *Version) error {
	if _, err := validDef(&v.Def); err != nil {
		return err
	}
	fields := []gateway.FieldClass{}
	for _, f := range v.Def.Fields {
		if f.Category != "" {
			fields = append(fields, gateway.FieldClass{Path: "data[]." + f.Name, Category: f.Category})
		}
	}
	m := consumer.ManagedAPI{Code: x.Code, Name: x.Name, Method: v.Method, Path: v.Path, Fields: fields,
		// The query and, when paged, its count each get the statement timeout.
		TimeoutMS: 2*v.Def.TimeoutMS + 1000}
	if x.GatewayAPIID != nil {
		m.ID = *x.GatewayAPIID
	}
	apiID, err := s.consumers.PublishManaged(ctx, m)
	if err != nil {
		return err
	}
	n := v.Version
	x.GatewayAPIID, x.PublishedVersion, x.Status = &apiID, &n, StatusPublished
	return nil
}

// Rollback publishes an earlier approved version again.
func (s *Service) Rollback(ctx context.Context, id int64, version int) (*DataAPI, error) {
	x, err := s.store.API(ctx, id)
	if err != nil {
		return nil, err
	}
	v, err := s.store.Version(ctx, id, version)
	if err != nil {
		return nil, err
	}
	if v.Status != VersionApproved {
		return nil, errNotApproved
	}
	before := *x
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.publish(ctx, x, v); err != nil {
			return err
		}
		x.UpdatedBy = audit.ActorFrom(ctx).Name
		if err := s.store.SaveAPI(ctx, x); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "data_api.rollback", TargetType: "data_api", TargetID: x.Code + "@v" + strconv.Itoa(version),
			Before: audit.JSON(map[string]any{"published_version": before.PublishedVersion}), After: audit.JSON(map[string]any{"published_version": version})})
	})
	if err != nil {
		return nil, err
	}
	return s.API(ctx, id)
}

// Offline takes a published data API off the gateway; its grants stay for
// when it is published again.
func (s *Service) Offline(ctx context.Context, id int64) (*DataAPI, error) {
	x, err := s.store.API(ctx, id)
	if err != nil {
		return nil, err
	}
	if x.Status != StatusPublished || x.GatewayAPIID == nil {
		return nil, httpx.NewProblem(http.StatusConflict, "dataapi_not_published", "数据API未发布", "The data API is not published")
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.consumers.OfflineManaged(ctx, *x.GatewayAPIID); err != nil {
			return err
		}
		x.Status = StatusOffline
		x.UpdatedBy = audit.ActorFrom(ctx).Name
		if err := s.store.SaveAPI(ctx, x); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "data_api.offline", TargetType: "data_api", TargetID: x.Code})
	})
	if err != nil {
		return nil, err
	}
	return s.API(ctx, id)
}

// ---- trying ----

// Try runs a definition with sample values on its source, read-only, and
// shows the author the rows, the bound SQL and, on failure, the database's
// own message. Every try is audited with its values: it reads live data.
func (s *Service) Try(ctx context.Context, in TryInput) (*TryResult, error) {
	cp, err := validDef(&in.Draft)
	if err != nil {
		return nil, err
	}
	src, err := s.sqlSource(ctx, in.SourceID)
	if err != nil {
		return nil, err
	}
	values := map[string]string{}
	for k, v := range in.Values {
		values[k] = v
	}
	if in.Page > 0 {
		values[paramPage] = strconv.Itoa(in.Page)
	}
	if in.PageSize > 0 {
		values[paramPageSize] = strconv.Itoa(in.PageSize)
	}
	if in.Sort != "" {
		values[paramSort] = in.Sort
	}
	ev := audit.Event{Action: "data_api.try", TargetType: "datasource", TargetID: src.Code,
		After: audit.JSON(map[string]any{"sql": in.Draft.SQL, "values": in.Values})}
	p, err := s.runtime.pool(ctx, in.SourceID)
	if err != nil {
		ev.Result = audit.ResultFailed
		_ = s.audit.Record(ctx, ev)
		return nil, newProblem(http.StatusBadGateway, "dataapi_source_unavailable", "数据源无法打开，请先在数据源页面测试连接", "The data source cannot be opened; test its connection on the data sources page")
	}
	start := time.Now()
	res, err := cp.execute(ctx, p, values)
	if err != nil {
		ev.Result = audit.ResultFailed
		if aerr := s.audit.Record(ctx, ev); aerr != nil {
			return nil, aerr
		}
		pr := problemFor(err)
		var qe *queryError
		if errors.As(err, &qe) {
			pr.Status = http.StatusUnprocessableEntity
			pr.DBMessage = qe.msg
		}
		return nil, pr
	}
	if err := s.audit.Record(ctx, ev); err != nil {
		return nil, err
	}
	out := &TryResult{Columns: res.cols, Rows: make([]map[string]any, 0, len(res.rows)), Total: res.total, Truncated: res.truncated,
		ElapsedMS: time.Since(start).Milliseconds(), SQL: res.sql}
	for _, row := range res.rows {
		m := make(map[string]any, len(row))
		for i, v := range row {
			m[res.cols[i]] = v
		}
		out.Rows = append(out.Rows, m)
	}
	return out, nil
}

// SourceOption is a database source as the data-API editor offers it.
type SourceOption struct {
	ID          int64  `json:"id"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	KindLabel   string `json:"kind_label"`
	KindLabelEN string `json:"kind_label_en"`
}

// SourceOptions lists the database sources.
func (s *Service) SourceOptions(ctx context.Context) ([]SourceOption, error) {
	all, _, err := s.sources.Sources(ctx, datasource.Filter{})
	if err != nil {
		return nil, err
	}
	out := []SourceOption{}
	for _, x := range all {
		if k, ok := connect.Lookup(x.Kind); ok && k.Family == connect.FamilySQL {
			out = append(out, SourceOption{ID: x.ID, Code: x.Code, Name: x.Name, Kind: x.Kind, KindLabel: k.Label, KindLabelEN: k.LabelEN})
		}
	}
	return out, nil
}
