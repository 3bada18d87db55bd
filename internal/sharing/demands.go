package sharing

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/httpx"
)

// Supply and demand (数据供需): a department registers a need; the
// information centre approves it (中心审批); the owning department reviews
// it and names who is responsible (部门审核, 责任归集); it supplies a catalog
// entry (供给); the requesting department accepts it (验收). Each step is
// taken by the organisation whose turn it is.

// Demands lists demands.
func (s *Service) Demands(ctx context.Context, pg httpx.Page, status string) ([]*Demand, int, error) {
	return s.store.Demands(ctx, pg.Q, status, pg.PageSize, pg.Offset())
}

// Demand fetches one demand with its timeline.
func (s *Service) Demand(ctx context.Context, id int64) (*Demand, error) {
	d, err := s.store.Demand(ctx, id)
	if err != nil {
		return nil, err
	}
	d.Events, err = s.store.DemandEvents(ctx, id)
	return d, err
}

// RegisterDemand records a need of the current user's department.
func (s *Service) RegisterDemand(ctx context.Context, _ int64, in DemandInput) (*Demand, error) {
	p := me(ctx)
	if p == nil {
		return nil, httpx.ErrUnauthenticated
	}
	var c httpx.Checker
	c.Text("title", in.Title, true, 100)
	c.Text("description", in.Description, false, 2000)
	if s.iam.OrgName(ctx, in.OwnerOrgID) == "" {
		c.Add("owner_org_id", "not_found", "")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	d := &Demand{Code: "XQ" + strings.TrimPrefix(requestCode(s.now()), "SQ"), Title: strings.TrimSpace(in.Title), Description: in.Description,
		RequesterID: p.User.ID, RequesterName: p.User.DisplayName, RequesterOrgID: p.User.OrgID, OwnerOrgID: in.OwnerOrgID, Status: DemandRegistered}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveDemand(ctx, d); err != nil {
			return err
		}
		if err := s.store.AddDemandEvent(ctx, d.ID, Event{Action: "register", ActorID: p.User.ID, ActorName: p.User.DisplayName, Comment: d.Title}); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "demand.register", TargetType: "demand", TargetID: d.Code, After: audit.JSON(d)})
	})
	if err != nil {
		return nil, err
	}
	return s.Demand(ctx, d.ID)
}

// StepDemand moves a demand on; the organisation whose turn it is acts.
func (s *Service) StepDemand(ctx context.Context, id int64, in DemandStep) (*Demand, error) {
	p := me(ctx)
	if p == nil {
		return nil, httpx.ErrUnauthenticated
	}
	d, err := s.store.Demand(ctx, id)
	if err != nil {
		return nil, err
	}
	centre, err := s.catalog.CentreOrg(ctx)
	if err != nil {
		return nil, err
	}
	type step struct {
		status, next string
		org          int64 // whose turn it is
	}
	turn := map[string]step{
		"approve": {DemandRegistered, DemandCentreApproved, centre},
		"review":  {DemandCentreApproved, DemandOwnerReviewed, d.OwnerOrgID},
		"supply":  {DemandOwnerReviewed, DemandSupplied, d.OwnerOrgID},
		"accept":  {DemandSupplied, DemandAccepted, d.RequesterOrgID},
	}
	var c httpx.Checker
	c.OneOf("action", in.Action, "approve", "review", "supply", "accept", "reject")
	c.Text("comment", in.Comment, in.Action == "reject", 500)
	if in.Action == "review" {
		c.Text("responsible", in.Responsible, true, 50)
	}
	if in.Action == "supply" && in.EntryID == nil {
		c.Add("entry_id", "required", "the catalog entry that supplies it")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	if in.Action == "reject" {
		switch d.Status {
		case DemandRegistered:
			in.Action = "reject_centre"
			turn[in.Action] = step{DemandRegistered, DemandRejected, centre}
		case DemandCentreApproved:
			in.Action = "reject_owner"
			turn[in.Action] = step{DemandCentreApproved, DemandRejected, d.OwnerOrgID}
		default:
			return nil, problem(http.StatusConflict, "demand_wrong_state", "当前状态不能驳回", "The demand cannot be rejected in its current state")
		}
	}
	t := turn[in.Action]
	if d.Status != t.status {
		return nil, problem(http.StatusConflict, "demand_wrong_state", "需求当前状态不允许该操作", fmt.Sprintf("The demand is %s; %s is not possible", d.Status, in.Action))
	}
	if p.User.OrgID != t.org {
		return nil, problem(http.StatusForbidden, "demand_not_your_turn", "该步骤应由其他部门办理", "Another department takes this step")
	}
	d.Status = t.next
	if in.Action == "review" {
		d.Responsible = in.Responsible
	}
	if in.Action == "supply" {
		if _, err := s.catalog.Published(ctx, *in.EntryID); err != nil {
			return nil, httpx.Invalid(httpx.FieldError{Field: "entry_id", Code: "not_published"})
		}
		d.EntryID = in.EntryID
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveDemand(ctx, d); err != nil {
			return err
		}
		if err := s.store.AddDemandEvent(ctx, d.ID, Event{Action: in.Action, ActorID: p.User.ID, ActorName: p.User.DisplayName, Comment: in.Comment}); err != nil {
			return err
		}
		if err := s.store.Notify(ctx, []int64{d.RequesterID}, "demand."+in.Action, "数据需求 "+d.Code+" 状态更新："+d.Status, fmt.Sprintf("/sharing/demands/%d", d.ID)); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "demand." + in.Action, TargetType: "demand", TargetID: d.Code, After: audit.JSON(d), Detail: in.Comment})
	})
	if err != nil {
		return nil, err
	}
	return s.Demand(ctx, id)
}
