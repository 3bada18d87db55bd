package iam

import (
	"context"
	"regexp"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/httpx"
)

// OrgInput is what a client may set on an organisation.
type OrgInput struct {
	ParentID   *int64 `json:"parent_id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	RegionCode string `json:"region_code"`
	Sort       int    `json:"sort"`
}

var regionRe = regexp.MustCompile(`^([0-9]{6}([0-9]{3,6})?)?$`)

func (in OrgInput) check() error {
	var c httpx.Checker
	c.Code("code", in.Code)
	c.Text("name", in.Name, true, 100)
	c.OneOf("kind", in.Kind, OrgKinds...)
	if !regionRe.MatchString(in.RegionCode) {
		c.Add("region_code", "format", "6-digit 行政区划代码 (optionally 9 or 12 digits)")
	}
	if in.ParentID == nil {
		c.Add("parent_id", "required", "")
	}
	if in.Sort < 0 || in.Sort > 1_000_000 {
		c.Add("sort", "range", "0–1000000")
	}
	return c.Err()
}

// OrgTree gives the organisations the caller may see, as a forest.
func (s *Service) OrgTree(ctx context.Context, p *Principal) ([]*Org, error) {
	vis, err := s.visibleOrgs(ctx, p)
	if err != nil {
		return nil, err
	}
	all, err := s.store.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*Org{}
	for _, o := range all {
		if vis[o.ID] {
			byID[o.ID] = o
		}
	}
	roots := []*Org{}
	for _, o := range all {
		if !vis[o.ID] {
			continue
		}
		if o.ParentID != nil && byID[*o.ParentID] != nil {
			parent := byID[*o.ParentID]
			parent.Children = append(parent.Children, o)
		} else {
			roots = append(roots, o)
		}
	}
	return roots, nil
}

// Org fetches an organisation the caller may see.
func (s *Service) Org(ctx context.Context, p *Principal, id int64) (*Org, error) {
	vis, err := s.visibleOrgs(ctx, p)
	if err != nil {
		return nil, err
	}
	if !vis[id] {
		return nil, httpx.ErrNotFound
	}
	return s.store.Org(ctx, id)
}

// CreateOrg adds an organisation under one the caller manages.
func (s *Service) CreateOrg(ctx context.Context, p *Principal, in OrgInput) (*Org, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	sc, err := s.scope(ctx, p)
	if err != nil {
		return nil, err
	}
	if !sc.Orgs[*in.ParentID] {
		return nil, errExceeds
	}
	o := &Org{ParentID: in.ParentID, Code: in.Code, Name: in.Name, Kind: in.Kind, RegionCode: in.RegionCode, Sort: in.Sort}
	return o, s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateOrg(ctx, o); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "org.create", TargetType: "org", TargetID: o.Code, After: audit.JSON(o)})
	})
}

// UpdateOrg edits an organisation the caller manages; a new parent must be
// managed too and must not be the organisation itself or below it.
func (s *Service) UpdateOrg(ctx context.Context, p *Principal, id int64, in OrgInput) (*Org, error) {
	sc, err := s.scope(ctx, p)
	if err != nil {
		return nil, err
	}
	before, err := s.store.Org(ctx, id)
	if err != nil {
		return nil, err
	}
	if !sc.Orgs[id] {
		return nil, errExceeds
	}
	if before.ParentID == nil {
		// The root keeps no parent.
		if in.ParentID != nil {
			return nil, httpx.Invalid(httpx.FieldError{Field: "parent_id", Code: "root", Message: "the root organisation has no parent"})
		}
		root := int64(0)
		in.ParentID = &root // satisfy check(); restored below
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	if before.ParentID == nil {
		in.ParentID = nil
	} else {
		all, err := s.store.Orgs(ctx)
		if err != nil {
			return nil, err
		}
		if subtrees(all, []int64{id})[*in.ParentID] {
			return nil, httpx.Invalid(httpx.FieldError{Field: "parent_id", Code: "cycle", Message: "cannot move under itself"})
		}
		if !sc.Orgs[*in.ParentID] {
			return nil, errExceeds
		}
	}
	o := *before
	o.ParentID, o.Code, o.Name, o.Kind, o.RegionCode, o.Sort = in.ParentID, in.Code, in.Name, in.Kind, in.RegionCode, in.Sort
	return &o, s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateOrg(ctx, &o); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "org.update", TargetType: "org", TargetID: o.Code, Before: audit.JSON(before), After: audit.JSON(&o)})
	})
}

// DeleteOrg removes an empty organisation the caller manages.
func (s *Service) DeleteOrg(ctx context.Context, p *Principal, id int64) error {
	sc, err := s.scope(ctx, p)
	if err != nil {
		return err
	}
	before, err := s.store.Org(ctx, id)
	if err != nil {
		return err
	}
	if !sc.Orgs[id] || before.ParentID == nil {
		return errExceeds
	}
	children, users, err := s.store.OrgUsage(ctx, id)
	if err != nil {
		return err
	}
	if children > 0 || users > 0 {
		return inUse("机构下还有下级机构或用户，不能删除", "The organisation still has sub-organisations or users")
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteOrg(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "org.delete", TargetType: "org", TargetID: before.Code, Before: audit.JSON(before)})
	})
}

// OrgByCode finds an organisation by its code, or the root organisation
// when code is empty (for features that name a fixed organisation, such as
// the information centre of the sharing workflow).
func (s *Service) OrgByCode(ctx context.Context, code string) (*Org, error) {
	orgs, err := s.store.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		if (code == "" && o.ParentID == nil) || (code != "" && o.Code == code) {
			return o, nil
		}
	}
	return nil, db.ErrNotFound
}

// OrgName names an organisation ("" when it does not exist).
func (s *Service) OrgName(ctx context.Context, id int64) string {
	o, err := s.store.Org(ctx, id)
	if err != nil {
		return ""
	}
	return o.Name
}

// AllOrgs lists every organisation, unscoped: for features that address
// organisations as such (the agency a supervision warning goes to, the
// region names of statistics), not for managing them.
func (s *Service) AllOrgs(ctx context.Context) ([]*Org, error) {
	return s.store.Orgs(ctx)
}
