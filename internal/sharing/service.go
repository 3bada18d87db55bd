package sharing

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/catalog"
	"github.com/xietong/xietong/internal/consumer"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/iam"
)

// Permission keys this workflow looks at beyond its routes: who may decide
// (to notify them) and who manages every request (may read any).
const (
	KeyDecide = "POST /api/v1/sharing/requests/{id}/decide"
	KeyManage = "GET /api/v1/sharing/requests"
)

// Service runs the sharing workflow. Every step is audited and put on the
// request's timeline in one transaction.
type Service struct {
	db        *db.DB
	store     *Store
	audit     *audit.Log
	iam       *iam.Service
	catalog   *catalog.Service
	consumers *consumer.Service
	now       func() time.Time
}

// NewService wires the service.
func NewService(d *db.DB, s *Store, a *audit.Log, i *iam.Service, c *catalog.Service, cs *consumer.Service) *Service {
	return &Service{db: d, store: s, audit: a, iam: i, catalog: c, consumers: cs, now: time.Now}
}

func problem(status int, code, zh, en string) *httpx.Problem {
	return httpx.NewProblem(status, code, zh, en)
}

var (
	errSelf        = problem(http.StatusForbidden, "sharing_self_approval", "不能审批自己提交的申请", "You cannot approve your own request")
	errNotInChain  = problem(http.StatusForbidden, "sharing_not_in_chain", "您所在的部门不在该申请的审批链上", "Your department is not on this request's approval chain")
	errOutOfOrder  = problem(http.StatusForbidden, "sharing_out_of_order", "尚未轮到您所在部门审批，请等待前一级审批完成", "It is not yet your department's turn; an earlier level has not decided")
	errSameTwice   = problem(http.StatusForbidden, "sharing_same_approver", "同一人不能审批同一申请的两个层级", "One person cannot decide two levels of the same request")
	errNotPending  = problem(http.StatusConflict, "sharing_not_pending", "该申请当前不在审批中", "This request is not waiting for a decision")
	errStaleLevel  = problem(http.StatusConflict, "sharing_stale_level", "该申请的审批进度已变化，请刷新后再操作", "The request has moved on; reload it")
	errNotYours    = problem(http.StatusForbidden, "forbidden", "只能查看与您相关的申请", "You can only see requests that concern you")
	errNotAPI      = problem(http.StatusUnprocessableEntity, "sharing_not_api", "该资源不是接口，不能通过网关授权共享", "This resource is not an API; it cannot be granted through the gateway")
	errNotApproved = problem(http.StatusConflict, "sharing_not_approved", "只能撤销已批准的申请", "Only an approved request can be revoked")
)

func requestCode(now time.Time) string {
	b := make([]byte, 3)
	rand.Read(b)
	return "SQ" + now.In(time.FixedZone("CST", 8*3600)).Format("20060102") + strings.ToUpper(hex.EncodeToString(b))
}

func me(ctx context.Context) *iam.Principal {
	if p := iam.PrincipalFrom(ctx); p != nil && p.User != nil {
		return p
	}
	return nil
}

// checkApply validates what an applicant fills in (apply and resubmit alike).
func checkApply(in ApplyInput) error {
	var c httpx.Checker
	c.Text("purpose", in.Purpose, true, 1000)
	c.Text("legal_basis", in.LegalBasis, true, 500)
	if in.PeriodDays < 1 || in.PeriodDays > 1095 {
		c.Add("period_days", "range", "1–1095")
	}
	if in.ExpectedDaily < 0 || in.ExpectedDaily > 100000000 {
		c.Add("expected_daily", "range", "0–100000000")
	}
	if len(in.Fields) == 0 || len(in.Fields) > 300 {
		c.Add("fields", "required", "one or more fields of the entry")
	}
	return c.Err()
}

// Apply submits a request for a mounted API resource of a published entry.
func (s *Service) Apply(ctx context.Context, _ int64, in ApplyInput) (*Request, error) {
	p := me(ctx)
	if p == nil {
		return nil, httpx.ErrUnauthenticated
	}
	if err := checkApply(in); err != nil {
		return nil, err
	}
	res, err := s.catalog.Resource(ctx, in.ResourceID)
	if errors.Is(err, db.ErrNotFound) {
		return nil, httpx.Invalid(httpx.FieldError{Field: "resource_id", Code: "not_found"})
	}
	if err != nil {
		return nil, err
	}
	entry, err := s.catalog.Published(ctx, res.EntryID)
	if errors.Is(err, db.ErrNotFound) || (err == nil && res.Status != "mounted") {
		return nil, httpx.Invalid(httpx.FieldError{Field: "resource_id", Code: "not_published"})
	}
	if err != nil {
		return nil, err
	}
	if res.APIID == nil {
		return nil, errNotAPI
	}
	known := map[string]bool{}
	for _, f := range entry.Fields {
		known[f.Name] = true
	}
	for _, f := range in.Fields {
		if !known[f] {
			return nil, httpx.Invalid(httpx.FieldError{Field: "fields", Code: "not_found", Message: f})
		}
	}
	if zh, en, err := s.catalog.Blocked(ctx, entry, in.Fields); err != nil {
		return nil, err
	} else if zh != "" {
		_ = s.audit.Record(ctx, audit.Event{Action: "share_request.apply", TargetType: "catalog_entry", TargetID: entry.Code, Result: audit.ResultDenied, Detail: en})
		return nil, problem(http.StatusConflict, "sharing_negative_listed", "不能申请："+zh, "Cannot be requested: "+en)
	}
	cons, err := s.consumers.Consumer(ctx, in.ConsumerID)
	if errors.Is(err, db.ErrNotFound) || (err == nil && cons.Status != "active") {
		return nil, httpx.Invalid(httpx.FieldError{Field: "consumer_id", Code: "not_found"})
	}
	if err != nil {
		return nil, err
	}
	r := &Request{Code: requestCode(s.now()), ApplicantID: p.User.ID, ApplicantName: p.User.DisplayName, ApplicantOrgID: p.User.OrgID,
		ConsumerID: cons.ID, EntryID: entry.ID, ResourceID: res.ID, Fields: in.Fields, Purpose: in.Purpose, LegalBasis: in.LegalBasis,
		PeriodDays: in.PeriodDays, ExpectedDaily: in.ExpectedDaily, Status: StatusPending}
	for _, l := range entry.Chain {
		lv := Level{Kind: l.Kind, Name: l.Name, OrgID: l.OrgID}
		switch l.Kind {
		case catalog.LevelApplicantDept:
			lv.OrgID = p.User.OrgID
		case catalog.LevelOwnerDept:
			lv.OrgID = entry.OrgID
		}
		lv.OrgName = s.iam.OrgName(ctx, lv.OrgID)
		r.Chain = append(r.Chain, lv)
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveRequest(ctx, r, &r.Chain[0].OrgID); err != nil {
			return err
		}
		if err := s.store.AddEvent(ctx, r.ID, Event{Action: "submit", Level: -1, ActorID: p.User.ID, ActorName: p.User.DisplayName, Comment: in.Purpose}); err != nil {
			return err
		}
		if err := s.notifyLevel(ctx, r); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "share_request.apply", TargetType: "share_request", TargetID: r.Code, After: audit.JSON(r)})
	})
	if err != nil {
		return nil, err
	}
	return s.get(ctx, r.ID)
}

// notifyLevel tells the deciders of the current level that work waits.
func (s *Service) notifyLevel(ctx context.Context, r *Request) error {
	lv := r.Chain[r.Level]
	users, err := s.iam.UsersWithPermission(ctx, lv.OrgID, KeyDecide)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(users))
	for _, u := range users {
		if u.ID != r.ApplicantID {
			ids = append(ids, u.ID)
		}
	}
	title := fmt.Sprintf("待审批：%s 申请「%s」（%s）", r.ApplicantName, r.EntryName, lv.Name)
	if r.EntryName == "" {
		title = fmt.Sprintf("待审批：资源申请 %s（%s）", r.Code, lv.Name)
	}
	return s.store.Notify(ctx, ids, "share_request.todo", title, fmt.Sprintf("/sharing/requests/%d", r.ID))
}

func (s *Service) get(ctx context.Context, id int64) (*Request, error) {
	r, err := s.store.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Events, err = s.store.Events(ctx, id); err != nil {
		return nil, err
	}
	return r, nil
}

// Request shows a request with its timeline to those it concerns: the
// applicant, the departments on its chain, and request managers.
func (s *Service) Request(ctx context.Context, id int64) (*Request, error) {
	r, err := s.get(ctx, id)
	if err != nil {
		return nil, err
	}
	p := me(ctx)
	if p == nil {
		return nil, httpx.ErrUnauthenticated
	}
	if r.ApplicantID == p.User.ID || p.Can(KeyManage) {
		return r, nil
	}
	for _, l := range r.Chain {
		if l.OrgID == p.User.OrgID {
			return r, nil
		}
	}
	return nil, errNotYours
}

// Mine lists the current user's requests.
func (s *Service) Mine(ctx context.Context, pg httpx.Page, status string) ([]*Request, int, error) {
	p := me(ctx)
	if p == nil {
		return nil, 0, httpx.ErrUnauthenticated
	}
	return s.store.Requests(ctx, RequestFilter{Q: pg.Q, Status: status, ApplicantID: p.User.ID, Limit: pg.PageSize, Offset: pg.Offset()})
}

// Todo lists the requests waiting for the current user's department;
// done=true lists those the user has decided.
func (s *Service) Todo(ctx context.Context, pg httpx.Page, done bool) ([]*Request, int, error) {
	p := me(ctx)
	if p == nil {
		return nil, 0, httpx.ErrUnauthenticated
	}
	f := RequestFilter{Q: pg.Q, Limit: pg.PageSize, Offset: pg.Offset()}
	if done {
		f.ApprovedBy = p.User.ID
	} else {
		f.Status, f.CurrentOrgID = StatusPending, p.User.OrgID
	}
	out, total, err := s.store.Requests(ctx, f)
	if err != nil || done {
		return out, total, err
	}
	// Hide one's own requests from one's to-do list: one cannot decide them.
	kept := out[:0]
	for _, r := range out {
		if r.ApplicantID != p.User.ID {
			kept = append(kept, r)
		} else {
			total--
		}
	}
	return kept, total, nil
}

// All lists every request (request managers).
func (s *Service) All(ctx context.Context, pg httpx.Page, status string) ([]*Request, int, error) {
	return s.store.Requests(ctx, RequestFilter{Q: pg.Q, Status: status, Limit: pg.PageSize, Offset: pg.Offset()})
}

// Decide records an approver's decision at the current level. Nobody
// decides their own request, a level out of turn, a level of another
// department, or two levels of one request. The last approval creates the
// grant with exactly the approved fields, quota and period.
func (s *Service) Decide(ctx context.Context, id int64, d Decision) (*Request, error) {
	p := me(ctx)
	if p == nil {
		return nil, httpx.ErrUnauthenticated
	}
	var c httpx.Checker
	c.OneOf("decision", d.Decision, "approve", "reject", "return")
	c.Text("comment", d.Comment, d.Decision != "approve", 500)
	if err := c.Err(); err != nil {
		return nil, err
	}
	var out *Request
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		r, err := s.get(ctx, id)
		if err != nil {
			return err
		}
		if err := s.mayDecide(p, r, d.Level); err != nil {
			return err
		}
		actor := Event{Action: d.Decision, Level: r.Level, ActorID: p.User.ID, ActorName: p.User.DisplayName, Comment: d.Comment}
		if err := s.store.AddEvent(ctx, r.ID, actor); err != nil {
			return err
		}
		var current *int64
		switch d.Decision {
		case "reject":
			r.Status = StatusRejected
			err = s.store.Notify(ctx, []int64{r.ApplicantID}, "share_request.rejected", "申请 "+r.Code+" 被驳回："+d.Comment, fmt.Sprintf("/sharing/requests/%d", r.ID))
		case "return":
			r.Status = StatusReturned
			err = s.store.Notify(ctx, []int64{r.ApplicantID}, "share_request.returned", "申请 "+r.Code+" 被退回修改："+d.Comment, fmt.Sprintf("/sharing/requests/%d", r.ID))
		default:
			r.Level++
			if r.Level < len(r.Chain) {
				current = &r.Chain[r.Level].OrgID
				err = s.notifyLevel(ctx, r)
			} else {
				err = s.grant(ctx, r, p)
			}
		}
		if err != nil {
			return err
		}
		if err := s.store.SaveRequest(ctx, r, current); err != nil {
			return err
		}
		out = r
		return s.audit.Record(ctx, audit.Event{Action: "share_request." + d.Decision, TargetType: "share_request", TargetID: r.Code, After: audit.JSON(r), Detail: d.Comment})
	})
	var pr *httpx.Problem
	if errors.As(err, &pr) && pr.Status == http.StatusForbidden {
		// A refused decision is what an auditor looks for.
		_ = s.audit.Record(ctx, audit.Event{Action: "share_request.decide", TargetType: "share_request", TargetID: fmt.Sprint(id), Result: audit.ResultDenied, Detail: pr.Code})
	}
	if err != nil {
		return nil, err
	}
	return s.get(ctx, out.ID)
}

// mayDecide checks who may decide the current level.
func (s *Service) mayDecide(p *iam.Principal, r *Request, level int) error {
	if r.Status != StatusPending {
		return errNotPending
	}
	if r.ApplicantID == p.User.ID {
		return errSelf
	}
	if r.Chain[r.Level].OrgID != p.User.OrgID {
		for i := r.Level + 1; i < len(r.Chain); i++ {
			if r.Chain[i].OrgID == p.User.OrgID {
				return errOutOfOrder
			}
		}
		return errNotInChain
	}
	if level != r.Level {
		return errStaleLevel
	}
	for _, e := range r.Events {
		if e.ActorID == p.User.ID && e.Action == "approve" && e.Level < r.Level {
			return errSameTwice
		}
	}
	return nil
}

// grant turns the approved request into the gateway grant: the approved
// fields (as the entry maps them to the API's answer), the expected daily
// volume as the daily quota, and the period from today.
func (s *Service) grant(ctx context.Context, r *Request, p *iam.Principal) error {
	entry, err := s.catalog.Published(ctx, r.EntryID)
	if err != nil {
		return err
	}
	res, err := s.catalog.Resource(ctx, r.ResourceID)
	if err != nil {
		return err
	}
	paths := []string{}
	for _, name := range r.Fields {
		for _, f := range entry.Fields {
			if f.Name == name {
				paths = append(paths, f.Path)
			}
		}
	}
	from := s.now().UTC().Truncate(time.Second)
	to := from.AddDate(0, 0, r.PeriodDays)
	g, err := s.consumers.GrantForRequest(ctx, r.ID, consumer.GrantInput{ConsumerID: r.ConsumerID, APIID: *res.APIID, Fields: paths,
		QuotaDay: r.ExpectedDaily, ValidFrom: &from, ValidTo: &to, Status: "active"})
	if err != nil {
		return err
	}
	r.Status, r.GrantID, r.ValidFrom, r.ValidTo = StatusApproved, &g.ID, &from, &to
	if err := s.store.AddEvent(ctx, r.ID, Event{Action: "grant", Level: -1, ActorID: p.User.ID, ActorName: p.User.DisplayName,
		Comment: fmt.Sprintf("grant %d: %s, %s – %s", g.ID, strings.Join(paths, ", "), from.Format("2006-01-02"), to.Format("2006-01-02"))}); err != nil {
		return err
	}
	return s.store.Notify(ctx, []int64{r.ApplicantID}, "share_request.approved", "申请 "+r.Code+" 已批准，授权已生效", fmt.Sprintf("/sharing/requests/%d", r.ID))
}

// Resubmit sends a returned request back to the first level, with the
// applicant's changes.
func (s *Service) Resubmit(ctx context.Context, id int64, in ApplyInput) (*Request, error) {
	p := me(ctx)
	if p == nil {
		return nil, httpx.ErrUnauthenticated
	}
	r, err := s.store.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.ApplicantID != p.User.ID {
		return nil, errNotYours
	}
	if r.Status != StatusReturned {
		return nil, problem(http.StatusConflict, "sharing_not_returned", "只有被退回的申请可以重新提交", "Only a returned request can be resubmitted")
	}
	in.ResourceID = r.ResourceID
	if in.ConsumerID == 0 {
		in.ConsumerID = r.ConsumerID
	}
	if err := checkApply(in); err != nil {
		return nil, err
	}
	entry, err := s.catalog.Published(ctx, r.EntryID)
	if err != nil {
		return nil, err
	}
	if zh, en, err := s.catalog.Blocked(ctx, entry, in.Fields); err != nil {
		return nil, err
	} else if zh != "" {
		return nil, problem(http.StatusConflict, "sharing_negative_listed", "不能申请："+zh, "Cannot be requested: "+en)
	}
	r.Fields, r.Purpose, r.LegalBasis, r.PeriodDays, r.ExpectedDaily, r.ConsumerID = in.Fields, in.Purpose, in.LegalBasis, in.PeriodDays, in.ExpectedDaily, in.ConsumerID
	r.Level, r.Status = 0, StatusPending
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveRequest(ctx, r, &r.Chain[0].OrgID); err != nil {
			return err
		}
		if err := s.store.AddEvent(ctx, r.ID, Event{Action: "resubmit", Level: -1, ActorID: p.User.ID, ActorName: p.User.DisplayName}); err != nil {
			return err
		}
		if err := s.notifyLevel(ctx, r); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "share_request.resubmit", TargetType: "share_request", TargetID: r.Code, After: audit.JSON(r)})
	})
	if err != nil {
		return nil, err
	}
	return s.get(ctx, id)
}

// Withdraw lets the applicant take back a request not yet approved.
func (s *Service) Withdraw(ctx context.Context, id int64) (*Request, error) {
	p := me(ctx)
	if p == nil {
		return nil, httpx.ErrUnauthenticated
	}
	r, err := s.store.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.ApplicantID != p.User.ID {
		return nil, errNotYours
	}
	if r.Status != StatusPending && r.Status != StatusReturned {
		return nil, errNotPending
	}
	r.Status = StatusWithdrawn
	return s.close(ctx, r, "withdraw", "", p.User.ID, p.User.DisplayName)
}

// Revoke ends an approved request early and removes its grant.
func (s *Service) Revoke(ctx context.Context, id int64, comment string) (*Request, error) {
	p := me(ctx)
	if p == nil {
		return nil, httpx.ErrUnauthenticated
	}
	var c httpx.Checker
	c.Text("comment", comment, true, 500)
	if err := c.Err(); err != nil {
		return nil, err
	}
	r, err := s.store.Request(ctx, id)
	if err != nil {
		return nil, err
	}
	if r.Status != StatusApproved {
		return nil, errNotApproved
	}
	r.Status = StatusRevoked
	return s.close(ctx, r, "revoke", comment, p.User.ID, p.User.DisplayName)
}

// close ends a request, removing its grant if it has one.
func (s *Service) close(ctx context.Context, r *Request, action, comment string, actorID int64, actor string) (*Request, error) {
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if r.GrantID != nil {
			if err := s.consumers.DeleteGrant(ctx, *r.GrantID); err != nil && !errors.Is(err, db.ErrNotFound) {
				return err
			}
		}
		if err := s.store.SaveRequest(ctx, r, nil); err != nil {
			return err
		}
		if err := s.store.AddEvent(ctx, r.ID, Event{Action: action, Level: -1, ActorID: actorID, ActorName: actor, Comment: comment}); err != nil {
			return err
		}
		if action != "withdraw" {
			why := map[string]string{"revoke": "已撤销", "expire": "已到期"}[action]
			if err := s.store.Notify(ctx, []int64{r.ApplicantID}, "share_request."+action, "申请 "+r.Code+" 的授权"+why, fmt.Sprintf("/sharing/requests/%d", r.ID)); err != nil {
				return err
			}
		}
		return s.audit.Record(ctx, audit.Event{Action: "share_request." + action, TargetType: "share_request", TargetID: r.Code, After: audit.JSON(r), Detail: comment})
	})
	if err != nil {
		return nil, err
	}
	return s.get(ctx, r.ID)
}

// ExpireDue ends approved requests whose period is over and removes their
// grants (the gateway already refuses after valid_to; this tidies up and
// records it). It returns how many it ended.
func (s *Service) ExpireDue(ctx context.Context) (int, error) {
	due, err := s.store.Expiring(ctx, s.now())
	if err != nil {
		return 0, err
	}
	for _, r := range due {
		r.Status = StatusExpired
		if _, err := s.close(audit.WithActor(ctx, audit.Actor{Name: "system"}), r, "expire", "", 0, "system"); err != nil {
			return 0, err
		}
	}
	return len(due), nil
}

// ---- notifications ----

// Notifications lists the current user's notifications.
func (s *Service) Notifications(ctx context.Context, pg httpx.Page) (map[string]any, error) {
	p := me(ctx)
	if p == nil {
		return nil, httpx.ErrUnauthenticated
	}
	items, total, unread, err := s.store.Notifications(ctx, p.User.ID, pg.PageSize, pg.Offset())
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []*Notification{}
	}
	return map[string]any{"items": items, "total": total, "unread": unread, "page": pg.Page, "page_size": pg.PageSize}, nil
}

// MarkRead marks one (id) or every (0) notification of the current user read.
func (s *Service) MarkRead(ctx context.Context, id int64) error {
	p := me(ctx)
	if p == nil {
		return httpx.ErrUnauthenticated
	}
	return s.store.MarkRead(ctx, p.User.ID, id)
}
