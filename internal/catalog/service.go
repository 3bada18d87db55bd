package catalog

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/calllog"
	"github.com/xietong/xietong/internal/consumer"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/iam"
)

// Service manages the catalog. Every change is audited in its transaction
// and put on the entry's timeline.
type Service struct {
	db        *db.DB
	store     *Store
	audit     *audit.Log
	iam       *iam.Service
	consumers *consumer.Service
	calls     *calllog.Reader
	centre    string // code of the information centre's organisation ('' : the root)
	now       func() time.Time
}

// NewService wires the service; centre is the organisation code of the
// information centre (信息中心), the default chain's middle level.
func NewService(d *db.DB, s *Store, a *audit.Log, i *iam.Service, c *consumer.Service, calls *calllog.Reader, centre string) *Service {
	return &Service{db: d, store: s, audit: a, iam: i, consumers: c, calls: calls, centre: centre, now: time.Now}
}

var (
	errSelfApproval = httpx.NewProblem(http.StatusForbidden, "catalog_self_approval", "不能审批自己提交的内容", "You cannot approve what you submitted")
	errNotSubmitted = httpx.NewProblem(http.StatusConflict, "catalog_not_submitted", "没有待审批的内容", "Nothing is waiting for approval")
	errNotDraft     = httpx.NewProblem(http.StatusConflict, "catalog_not_draft", "只能删除草稿状态的目录", "Only a draft entry can be deleted")
	errInUse        = httpx.NewProblem(http.StatusConflict, "in_use", "分类下还有子分类或目录", "The category still holds categories or entries")
)

func actor(ctx context.Context) audit.Actor { return audit.ActorFrom(ctx) }

// ---- categories ----

// Categories is the classification tree.
func (s *Service) Categories(ctx context.Context) ([]*Category, error) {
	all, err := s.store.Categories(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*Category{}
	for _, c := range all {
		byID[c.ID] = c
	}
	roots := []*Category{}
	for _, c := range all {
		if c.ParentID != nil && byID[*c.ParentID] != nil {
			p := byID[*c.ParentID]
			p.Children = append(p.Children, c)
		} else {
			roots = append(roots, c)
		}
	}
	return roots, nil
}

// CategoryInput is what a cataloguer sets on a category.
type CategoryInput struct {
	ParentID *int64 `json:"parent_id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	Sort     int    `json:"sort"`
}

// SaveCategory creates (id 0) or edits a category.
func (s *Service) SaveCategory(ctx context.Context, id int64, in CategoryInput) (*Category, error) {
	var c httpx.Checker
	c.Code("code", in.Code)
	c.Text("name", in.Name, true, 50)
	if in.ParentID != nil && *in.ParentID == id && id != 0 {
		c.Add("parent_id", "cycle", "")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	cat := &Category{ID: id, ParentID: in.ParentID, Code: in.Code, Name: strings.TrimSpace(in.Name), Sort: in.Sort}
	action := "catalog_category.update"
	if id == 0 {
		action = "catalog_category.create"
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveCategory(ctx, cat); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: action, TargetType: "catalog_category", TargetID: cat.Code, After: audit.JSON(cat)})
	})
	if db.IsForeignKeyViolation(err) {
		return nil, httpx.Invalid(httpx.FieldError{Field: "parent_id", Code: "not_found"})
	}
	return cat, err
}

// DeleteCategory removes an empty category.
func (s *Service) DeleteCategory(ctx context.Context, id int64) error {
	used, err := s.store.CategoryInUse(ctx, id)
	if err != nil {
		return err
	}
	if used {
		return errInUse
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteCategory(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "catalog_category.delete", TargetType: "catalog_category", TargetID: strconv.FormatInt(id, 10)})
	})
}

// subtree lists a category and its descendants.
func (s *Service) subtree(ctx context.Context, id int64) ([]int64, error) {
	all, err := s.store.Categories(ctx)
	if err != nil {
		return nil, err
	}
	out := []int64{id}
	for i := 0; i < len(out); i++ {
		for _, c := range all {
			if c.ParentID != nil && *c.ParentID == out[i] {
				out = append(out, c.ID)
			}
		}
	}
	return out, nil
}

// ---- entries ----

var (
	fieldNameRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)
	fieldPathRe = regexp.MustCompile(`^(\[\]\.)?[A-Za-z0-9_]+(\[\])?(\.[A-Za-z0-9_]+(\[\])?)*$`)
)

func validCategory(c string) bool {
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

// check validates an entry input and fills defaults (field paths, the
// default approval chain).
func (s *Service) check(ctx context.Context, in *Input) error {
	var c httpx.Checker
	c.Code("code", in.Code)
	c.Text("name", in.Name, true, 100)
	c.Text("description", in.Description, false, 2000)
	c.Text("keywords", in.Keywords, false, 200)
	for f, v := range map[string]string{"source_system": in.SourceSystem, "industry": in.Industry, "domain": in.Domain} {
		c.Text(f, v, false, 100)
	}
	if in.UpdateFrequency != "" {
		c.OneOf("update_frequency", in.UpdateFrequency, "realtime", "daily", "weekly", "monthly", "quarterly", "yearly", "irregular")
	}
	c.OneOf("share_attr", in.ShareAttr, ShareUnconditional, ShareConditional, ShareNone)
	c.OneOf("open_attr", in.OpenAttr, "open", "conditional", "closed")
	if in.OrgID <= 0 {
		c.Add("org_id", "required", "")
	}
	if len(in.Fields) > 300 {
		c.Add("fields", "too_many", "≤ 300")
	}
	seen := map[string]bool{}
	for i := range in.Fields {
		f := &in.Fields[i]
		at := "fields[" + strconv.Itoa(i) + "]"
		if !fieldNameRe.MatchString(f.Name) || seen[f.Name] {
			c.Add(at+".name", "format", "a field name, once")
		}
		seen[f.Name] = true
		c.Text(at+".label", f.Label, true, 50)
		c.Text(at+".type", f.Type, false, 32)
		c.Text(at+".description", f.Description, false, 200)
		if !validCategory(f.Category) {
			c.Add(at+".category", "enum", strings.Join(consumer.Categories, "|"))
		}
		if f.Path == "" {
			f.Path = "data[]." + f.Name
		}
		if !fieldPathRe.MatchString(f.Path) {
			c.Add(at+".path", "format", "a.b[].c")
		}
	}
	if in.Fields == nil {
		in.Fields = []Field{}
	}
	if len(in.Chain) == 0 {
		centre, err := s.iam.OrgByCode(ctx, s.centre)
		if err != nil {
			return err
		}
		in.Chain = []Level{
			{Kind: LevelApplicantDept, Name: "申请部门审核"},
			{Kind: LevelCentre, OrgID: centre.ID, Name: "信息中心审核"},
			{Kind: LevelOwnerDept, Name: "数源部门审核"},
		}
	}
	if len(in.Chain) > 6 {
		c.Add("chain", "too_many", "≤ 6")
	}
	for i, l := range in.Chain {
		at := "chain[" + strconv.Itoa(i) + "]"
		c.OneOf(at+".kind", l.Kind, LevelApplicantDept, LevelCentre, LevelOwnerDept, LevelOrg)
		c.Text(at+".name", l.Name, true, 50)
		if (l.Kind == LevelCentre || l.Kind == LevelOrg) && s.iam.OrgName(ctx, l.OrgID) == "" {
			c.Add(at+".org_id", "not_found", "")
		}
	}
	return c.Err()
}

// searchText is what keyword search matches: every word a user might type.
func searchText(e *Entry) string {
	parts := []string{e.Code, e.Name, e.Description, e.Keywords, e.OrgName, e.CategoryName, e.SourceSystem, e.Industry, e.Domain}
	for _, f := range e.Fields {
		parts = append(parts, f.Name, f.Label)
	}
	return strings.ToLower(strings.Join(parts, " "))
}

func apply(e *Entry, in *Input) {
	e.Code, e.Name, e.Description, e.Keywords, e.OrgID, e.CategoryID = in.Code, strings.TrimSpace(in.Name), in.Description, in.Keywords, in.OrgID, in.CategoryID
	e.SourceSystem, e.Industry, e.Domain, e.UpdateFrequency = in.SourceSystem, in.Industry, in.Domain, in.UpdateFrequency
	e.ShareAttr, e.OpenAttr, e.Fields, e.Chain = in.ShareAttr, in.OpenAttr, in.Fields, in.Chain
}

// save writes e with its search text, names refreshed.
func (s *Service) save(ctx context.Context, e *Entry) error {
	e.OrgName = s.iam.OrgName(ctx, e.OrgID)
	e.CategoryName = ""
	if e.CategoryID != nil {
		cats, err := s.store.Categories(ctx)
		if err != nil {
			return err
		}
		for _, c := range cats {
			if c.ID == *e.CategoryID {
				e.CategoryName = c.Name
			}
		}
	}
	err := s.store.SaveEntry(ctx, e, searchText(e))
	if db.IsForeignKeyViolation(err) {
		return httpx.Invalid(httpx.FieldError{Field: "org_id", Code: "not_found"}, httpx.FieldError{Field: "category_id", Code: "not_found"})
	}
	return err
}

// Entries lists entries for the cataloguers (every status).
func (s *Service) Entries(ctx context.Context, q Query) ([]*Entry, int, error) {
	return s.store.Entries(ctx, q)
}

// Entry fetches one entry with its resources, negative list and timeline.
func (s *Service) Entry(ctx context.Context, id int64) (*Entry, error) {
	e, err := s.store.Entry(ctx, id)
	if err != nil {
		return nil, err
	}
	return e, s.decorate(ctx, []*Entry{e}, false)
}

// decorate adds resources (mounted only when onlyMounted) and the negative list.
func (s *Service) decorate(ctx context.Context, es []*Entry, onlyMounted bool) error {
	ids := make([]int64, len(es))
	byID := map[int64]*Entry{}
	for i, e := range es {
		ids[i], byID[e.ID] = e.ID, e
		e.Resources = []Resource{}
	}
	res, err := s.store.Resources(ctx, ids)
	if err != nil {
		return err
	}
	for _, r := range res {
		if onlyMounted && r.Status != "mounted" {
			continue
		}
		byID[r.EntryID].Resources = append(byID[r.EntryID].Resources, *r)
	}
	negs, err := s.store.NegativesOf(ctx, ids)
	if err != nil {
		return err
	}
	for _, n := range negs {
		e := byID[n.EntryID]
		if n.Field == "" {
			e.Negative = n.Reason
		} else {
			e.NegativeFields = append(e.NegativeFields, n.Field)
		}
	}
	return nil
}

// Save creates (id 0) or edits an entry. A published entry keeps serving
// while its change waits: the edit goes into Pending.
func (s *Service) Save(ctx context.Context, id int64, in Input) (*Entry, error) {
	if err := s.check(ctx, &in); err != nil {
		return nil, err
	}
	a := actor(ctx)
	e := &Entry{Status: StatusDraft, CreatedBy: a.Name}
	var before *Entry
	if id != 0 {
		b, err := s.store.Entry(ctx, id)
		if err != nil {
			return nil, err
		}
		before = b
		cp := *b
		e = &cp
	}
	action := "catalog_entry.create"
	switch {
	case id == 0:
		apply(e, &in)
	case e.Status == StatusPublished || (e.Status == StatusSubmitted && e.Version > 0):
		in2 := in
		e.Pending, e.submittedByID, e.Status = &in2, nil, StatusPublished
		action = "catalog_entry.change"
	default:
		apply(e, &in)
		e.Status, e.submittedByID = StatusDraft, nil
		action = "catalog_entry.update"
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.save(ctx, e); err != nil {
			return err
		}
		if err := s.store.AddEvent(ctx, e.ID, nil, strings.TrimPrefix(action, "catalog_entry."), a.ID, a.Name, ""); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: action, TargetType: "catalog_entry", TargetID: e.Code, Before: audit.JSON(before), After: audit.JSON(e)})
	})
	if db.IsUniqueViolation(err) {
		return nil, httpx.ErrConflict
	}
	if err != nil {
		return nil, err
	}
	return s.Entry(ctx, e.ID)
}

// Delete removes a draft entry.
func (s *Service) Delete(ctx context.Context, id int64) error {
	e, err := s.store.Entry(ctx, id)
	if err != nil {
		return err
	}
	if e.Status != StatusDraft || e.Version > 0 {
		return errNotDraft
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteEntry(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "catalog_entry.delete", TargetType: "catalog_entry", TargetID: e.Code, Before: audit.JSON(e)})
	})
}

// Submit sends a draft, or a published entry's change, for publish
// approval (目录发布审批).
func (s *Service) Submit(ctx context.Context, id int64, comment string) (*Entry, error) {
	e, err := s.store.Entry(ctx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case e.Status == StatusDraft, e.Status == StatusOffline:
		e.Status = StatusSubmitted
	case e.Status == StatusPublished && e.Pending != nil && e.submittedByID == nil:
	default:
		return nil, httpx.NewProblem(http.StatusConflict, "catalog_nothing_to_submit", "没有可提交的草稿或变更", "There is no draft or change to submit")
	}
	if len(e.Fields) == 0 && e.Pending == nil {
		return nil, httpx.NewProblem(http.StatusUnprocessableEntity, "catalog_no_fields", "请先填写目录的信息项", "Describe the entry's fields first")
	}
	a := actor(ctx)
	e.submittedByID = &a.ID
	return s.step(ctx, e, "submit", comment)
}

func (s *Service) step(ctx context.Context, e *Entry, action, comment string) (*Entry, error) {
	a := actor(ctx)
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.save(ctx, e); err != nil {
			return err
		}
		if err := s.store.AddEvent(ctx, e.ID, nil, action, a.ID, a.Name, comment); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "catalog_entry." + action, TargetType: "catalog_entry", TargetID: e.Code, After: audit.JSON(e), Detail: comment})
	})
	if err != nil {
		return nil, err
	}
	return s.Entry(ctx, e.ID)
}

// Reviews lists what waits for publish or mount approval.
func (s *Service) Reviews(ctx context.Context) (map[string]any, error) {
	subm, _, err := s.store.Entries(ctx, Query{Status: StatusSubmitted})
	if err != nil {
		return nil, err
	}
	pub, _, err := s.store.Entries(ctx, Query{Status: StatusPublished})
	if err != nil {
		return nil, err
	}
	changes := []*Entry{}
	for _, e := range pub {
		if e.Pending != nil && e.submittedByID != nil {
			changes = append(changes, e)
		}
	}
	res, err := s.store.PendingResources(ctx)
	if err != nil {
		return nil, err
	}
	if subm == nil {
		subm = []*Entry{}
	}
	if res == nil {
		res = []*Resource{}
	}
	return map[string]any{"entries": subm, "changes": changes, "resources": res}, nil
}

// Review approves or rejects a submitted entry or change; nobody approves
// what they submitted.
func (s *Service) Review(ctx context.Context, id int64, d Decision) (*Entry, error) {
	var c httpx.Checker
	c.OneOf("decision", d.Decision, "approve", "reject")
	c.Text("comment", d.Comment, d.Decision == "reject", 500)
	if err := c.Err(); err != nil {
		return nil, err
	}
	e, err := s.store.Entry(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.submittedByID == nil || (e.Status != StatusSubmitted && e.Pending == nil) {
		return nil, errNotSubmitted
	}
	a := actor(ctx)
	if *e.submittedByID == a.ID {
		_ = s.audit.Record(ctx, audit.Event{Action: "catalog_entry.review", TargetType: "catalog_entry", TargetID: e.Code, Result: audit.ResultDenied, Detail: "self-approval"})
		return nil, errSelfApproval
	}
	now := s.now().UTC()
	switch {
	case d.Decision == "reject" && e.Status == StatusSubmitted:
		e.Status = StatusDraft
		if e.Version > 0 {
			e.Status = StatusOffline
		}
	case d.Decision == "reject":
		e.Pending = nil
	case e.Status == StatusSubmitted:
		e.Status, e.Version, e.PublishedAt = StatusPublished, e.Version+1, &now
	default: // a change of a published entry
		apply(e, e.Pending)
		e.Pending, e.Version = nil, e.Version+1
	}
	e.submittedByID = nil
	return s.step(ctx, e, d.Decision, d.Comment)
}

// Offline takes a published entry out of the portal.
func (s *Service) Offline(ctx context.Context, id int64) (*Entry, error) {
	e, err := s.store.Entry(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Status != StatusPublished {
		return nil, httpx.NewProblem(http.StatusConflict, "catalog_not_published", "目录未发布", "The entry is not published")
	}
	e.Status, e.Pending, e.submittedByID = StatusOffline, nil, nil
	return s.step(ctx, e, "offline", "")
}

// Events is an entry's timeline.
func (s *Service) Events(ctx context.Context, id int64) ([]*Event, error) {
	if _, err := s.store.Entry(ctx, id); err != nil {
		return nil, err
	}
	return s.store.Events(ctx, id)
}

// ---- resources ----

// Mount asks to mount a resource on an entry (目录资源挂载), for approval.
func (s *Service) Mount(ctx context.Context, entryID int64, in ResourceInput) (*Resource, error) {
	var c httpx.Checker
	c.OneOf("kind", in.Kind, KindGatewayAPI, KindDataAPI, KindTable, KindFile)
	c.Text("name", in.Name, true, 100)
	c.Text("description", in.Description, false, 500)
	if (in.Kind == KindGatewayAPI || in.Kind == KindDataAPI) && in.APIID == nil {
		c.Add("api_id", "required", "the gateway API this resource is")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	e, err := s.store.Entry(ctx, entryID)
	if err != nil {
		return nil, err
	}
	if in.APIID != nil {
		api, err := s.consumers.API(ctx, *in.APIID)
		if errors.Is(err, db.ErrNotFound) {
			return nil, httpx.Invalid(httpx.FieldError{Field: "api_id", Code: "not_found"})
		}
		if err != nil {
			return nil, err
		}
		if (in.Kind == KindDataAPI) != (api.Kind == consumer.KindDataAPI) {
			return nil, httpx.Invalid(httpx.FieldError{Field: "kind", Code: "mismatch", Message: "the API's kind is " + api.Kind})
		}
	}
	a := actor(ctx)
	r := &Resource{EntryID: entryID, Kind: in.Kind, APIID: in.APIID, Name: strings.TrimSpace(in.Name), Description: in.Description, Status: "pending", submittedByID: &a.ID}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveResource(ctx, r); err != nil {
			return err
		}
		if err := s.store.AddEvent(ctx, entryID, &r.ID, "mount_submit", a.ID, a.Name, r.Name); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "catalog_resource.mount", TargetType: "catalog_entry", TargetID: e.Code, After: audit.JSON(r)})
	})
	if err != nil {
		return nil, err
	}
	return s.store.Resource(ctx, r.ID)
}

// ReviewResource approves or rejects a mount; nobody approves their own.
func (s *Service) ReviewResource(ctx context.Context, id int64, d Decision) (*Resource, error) {
	var c httpx.Checker
	c.OneOf("decision", d.Decision, "approve", "reject")
	c.Text("comment", d.Comment, d.Decision == "reject", 500)
	if err := c.Err(); err != nil {
		return nil, err
	}
	r, err := s.store.Resource(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Status != "pending" {
		return nil, errNotSubmitted
	}
	a := actor(ctx)
	if r.submittedByID != nil && *r.submittedByID == a.ID {
		return nil, errSelfApproval
	}
	r.Status = "mounted"
	if d.Decision == "reject" {
		r.Status = "rejected"
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveResource(ctx, r); err != nil {
			return err
		}
		if err := s.store.AddEvent(ctx, r.EntryID, &r.ID, "mount_"+d.Decision, a.ID, a.Name, d.Comment); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "catalog_resource." + d.Decision, TargetType: "catalog_resource", TargetID: strconv.FormatInt(r.ID, 10), After: audit.JSON(r)})
	})
	return r, err
}

// Resource fetches one resource (for the sharing workflow).
func (s *Service) Resource(ctx context.Context, id int64) (*Resource, error) {
	return s.store.Resource(ctx, id)
}

// ---- negative list (负面清单) ----

// NegativeInput puts an entry or one field on the negative list.
type NegativeInput struct {
	EntryID int64  `json:"entry_id"`
	Field   string `json:"field"`
	Reason  string `json:"reason"`
}

// Negatives lists the negative list.
func (s *Service) Negatives(ctx context.Context) ([]*Negative, error) {
	return s.store.Negatives(ctx, 0)
}

// AddNegative adds to the negative list.
func (s *Service) AddNegative(ctx context.Context, _ int64, in NegativeInput) (*Negative, error) {
	var c httpx.Checker
	c.Text("reason", in.Reason, true, 500)
	if err := c.Err(); err != nil {
		return nil, err
	}
	e, err := s.store.Entry(ctx, in.EntryID)
	if errors.Is(err, db.ErrNotFound) {
		return nil, httpx.Invalid(httpx.FieldError{Field: "entry_id", Code: "not_found"})
	}
	if err != nil {
		return nil, err
	}
	if in.Field != "" {
		found := false
		for _, f := range e.Fields {
			found = found || f.Name == in.Field
		}
		if !found {
			return nil, httpx.Invalid(httpx.FieldError{Field: "field", Code: "not_found"})
		}
	}
	n := &Negative{EntryID: e.ID, EntryCode: e.Code, EntryName: e.Name, Field: in.Field, Reason: in.Reason, CreatedBy: actor(ctx).Name}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.AddNegative(ctx, n); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "negative_list.add", TargetType: "catalog_entry", TargetID: e.Code, After: audit.JSON(n)})
	})
	if db.IsUniqueViolation(err) {
		return nil, httpx.ErrConflict
	}
	return n, err
}

// DeleteNegative takes an entry off the negative list.
func (s *Service) DeleteNegative(ctx context.Context, id int64) error {
	n, err := s.store.Negative(ctx, id)
	if err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteNegative(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "negative_list.remove", TargetType: "catalog_entry", TargetID: n.EntryCode, Before: audit.JSON(n)})
	})
}

// Blocked says why an entry, or some of the fields asked for, must not be
// shared (” when nothing blocks).
func (s *Service) Blocked(ctx context.Context, e *Entry, fields []string) (zh, en string, err error) {
	if e.ShareAttr == ShareNone {
		return "该目录的共享属性为不予共享", "The entry's share attribute is not-to-be-shared", nil
	}
	negs, err := s.store.Negatives(ctx, e.ID)
	if err != nil {
		return "", "", err
	}
	for _, n := range negs {
		if n.Field == "" {
			return "该目录已列入负面清单：" + n.Reason, "The entry is on the negative list: " + n.Reason, nil
		}
		for _, f := range fields {
			if f == n.Field {
				return "信息项 " + f + " 已列入负面清单：" + n.Reason, "The field " + f + " is on the negative list: " + n.Reason, nil
			}
		}
	}
	return "", "", nil
}

// ---- the portal (数据门户) ----

// Published fetches a published entry with its mounted resources.
func (s *Service) Published(ctx context.Context, id int64) (*Entry, error) {
	e, err := s.store.Entry(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Status != StatusPublished {
		return nil, db.ErrNotFound
	}
	e.Pending = nil
	return e, s.decorate(ctx, []*Entry{e}, true)
}

// Search finds published entries: every word must appear (Chinese text is
// matched as typed; no word splitting is needed for substrings).
func (s *Service) Search(ctx context.Context, q Query, categoryID int64) ([]*Entry, int, error) {
	q.Status = StatusPublished
	if categoryID != 0 {
		ids, err := s.subtree(ctx, categoryID)
		if err != nil {
			return nil, 0, err
		}
		q.CategoryIDs = ids
	}
	out, total, err := s.store.Entries(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	for _, e := range out {
		e.Pending = nil
	}
	return out, total, s.decorate(ctx, out, true)
}

// Words splits a search box into lower-cased words.
func Words(q string) []string {
	var out []string
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if len(out) < 8 {
			out = append(out, w)
		}
	}
	return out
}

// Overview is the portal's front page: totals per resource kind, the
// newest and the most used entries (calls in the last 30 days).
func (s *Service) Overview(ctx context.Context) (*Overview, error) {
	ov := &Overview{}
	newest, total, err := s.store.Entries(ctx, Query{Status: StatusPublished, Newest: true, Limit: 8})
	if err != nil {
		return nil, err
	}
	ov.Entries, ov.Newest = total, newest
	if ov.Resources, err = s.store.CountResources(ctx); err != nil {
		return nil, err
	}
	if ov.ByShare, err = s.store.CountBy(ctx, "share_attr"); err != nil {
		return nil, err
	}
	byOrg, err := s.store.CountBy(ctx, "org")
	if err != nil {
		return nil, err
	}
	ov.ByOrg = []map[string]any{}
	for k, v := range byOrg {
		ov.ByOrg = append(ov.ByOrg, map[string]any{"org": k, "entries": v})
	}
	sort.Slice(ov.ByOrg, func(i, j int) bool { return ov.ByOrg[i]["entries"].(int) > ov.ByOrg[j]["entries"].(int) })
	calls, err := s.calls.CallsByAPI(ctx, s.now().AddDate(0, 0, -30))
	if err != nil {
		return nil, err
	}
	res, err := s.store.Resources(ctx, nil)
	if err != nil {
		return nil, err
	}
	byEntry := map[int64]int64{}
	for _, r := range res {
		if r.Status == "mounted" && r.APICode != "" {
			byEntry[r.EntryID] += calls[r.APICode]
		}
	}
	type used struct {
		id    int64
		calls int64
	}
	var us []used
	for id, n := range byEntry {
		if n > 0 {
			us = append(us, used{id, n})
		}
	}
	sort.Slice(us, func(i, j int) bool { return us[i].calls > us[j].calls })
	ov.MostUsed = []*Entry{}
	for _, u := range us {
		if len(ov.MostUsed) == 8 {
			break
		}
		e, err := s.store.Entry(ctx, u.id)
		if err != nil || e.Status != StatusPublished {
			continue
		}
		e.Calls, e.Pending = u.calls, nil
		ov.MostUsed = append(ov.MostUsed, e)
	}
	for _, e := range ov.Newest {
		e.Pending = nil
		e.Calls = byEntry[e.ID]
	}
	return ov, nil
}

// CentreOrg is the information centre's organisation (信息中心), which
// takes the middle level of the default chain and approves demands.
func (s *Service) CentreOrg(ctx context.Context) (int64, error) {
	o, err := s.iam.OrgByCode(ctx, s.centre)
	if err != nil {
		return 0, err
	}
	return o.ID, nil
}
