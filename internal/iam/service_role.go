package iam

import (
	"context"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/httpx"
)

// ManagementRoleInput is what a manager may set on a lower management role.
type ManagementRoleInput struct {
	ParentID        *int64  `json:"parent_id"`
	Code            string  `json:"code"`
	Name            string  `json:"name"`
	Description     string  `json:"description"`
	UseMenuIDs      []int64 `json:"use_menu_ids"`
	AssignMenuIDs   []int64 `json:"assign_menu_ids"`
	OrgIDs          []int64 `json:"org_ids"`
	BusinessRoleIDs []int64 `json:"business_role_ids"`
}

func checkRoleText(code, name, desc string) *httpx.Checker {
	var c httpx.Checker
	c.Code("code", code)
	c.Text("name", name, true, 50)
	c.Text("description", desc, false, 500)
	return &c
}

// ManagementRoleTree lists the management roles the caller holds or manages, as a forest.
func (s *Service) ManagementRoleTree(ctx context.Context, p *Principal) ([]*ManagementRole, error) {
	sc, err := s.scope(ctx, p)
	if err != nil {
		return nil, err
	}
	all, err := s.store.ManagementRoles(ctx)
	if err != nil {
		return nil, err
	}
	show := set(sc.Held)
	for id := range sc.Below {
		show[id] = true
	}
	byID := map[int64]*ManagementRole{}
	for _, r := range all {
		if show[r.ID] {
			byID[r.ID] = r
		}
	}
	roots := []*ManagementRole{}
	for _, r := range all {
		if !show[r.ID] {
			continue
		}
		if r.ParentID != nil && byID[*r.ParentID] != nil {
			byID[*r.ParentID].Children = append(byID[*r.ParentID].Children, r)
		} else {
			roots = append(roots, r)
		}
	}
	return roots, nil
}

// ManagementRole fetches a role the caller holds or manages.
func (s *Service) ManagementRole(ctx context.Context, p *Principal, id int64) (*ManagementRole, error) {
	sc, err := s.scope(ctx, p)
	if err != nil {
		return nil, err
	}
	if !sc.Below[id] && !set(sc.Held)[id] {
		return nil, httpx.ErrNotFound
	}
	return s.store.ManagementRole(ctx, id)
}

// SaveManagementRole creates (id 0) or edits a role strictly below the
// caller's; every set it grants must be within the caller's own.
func (s *Service) SaveManagementRole(ctx context.Context, p *Principal, id int64, in ManagementRoleInput) (*ManagementRole, error) {
	c := checkRoleText(in.Code, in.Name, in.Description)
	if in.ParentID == nil {
		c.Add("parent_id", "required", "")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	sc, err := s.scope(ctx, p)
	if err != nil {
		return nil, err
	}
	held := set(sc.Held)
	if !held[*in.ParentID] && !sc.Below[*in.ParentID] {
		return nil, errExceeds
	}
	if !subset(in.UseMenuIDs, sc.UseMenus) || !subset(in.AssignMenuIDs, sc.AssignMenus) ||
		!subset(in.OrgIDs, sc.Orgs) || !subset(in.BusinessRoleIDs, sc.BusinessRoles) {
		return nil, errExceeds
	}
	var before *ManagementRole
	r := &ManagementRole{}
	if id != 0 {
		if !sc.Below[id] {
			return nil, errExceeds
		}
		if before, err = s.store.ManagementRole(ctx, id); err != nil {
			return nil, err
		}
		if *in.ParentID == id || s.isBelow(ctx, *in.ParentID, id) {
			return nil, httpx.Invalid(httpx.FieldError{Field: "parent_id", Code: "cycle"})
		}
		copy := *before
		r = &copy
	} else {
		parent, err := s.store.ManagementRole(ctx, *in.ParentID)
		if err != nil {
			return nil, err
		}
		r.AdminKind = parent.AdminKind // a lower role stays on its side of 三员分立
		if r.AdminKind == "" {
			mroles, err := s.store.ManagementRoles(ctx)
			if err != nil {
				return nil, err
			}
			r.AdminKind = adminKindOf(indexMroles(mroles), parent.ID)
		}
	}
	r.ParentID, r.Code, r.Name, r.Description = in.ParentID, in.Code, in.Name, in.Description
	r.UseMenuIDs, r.AssignMenuIDs, r.OrgIDs, r.BusinessRoleIDs = uniq(in.UseMenuIDs), uniq(in.AssignMenuIDs), uniq(in.OrgIDs), uniq(in.BusinessRoleIDs)
	action := "mrole.create"
	if id != 0 {
		action = "mrole.update"
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveManagementRole(ctx, r); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: action, TargetType: "management_role", TargetID: r.Code, Before: audit.JSON(before), After: audit.JSON(r)})
	})
	if err != nil {
		return nil, err
	}
	return s.store.ManagementRole(ctx, r.ID)
}

// isBelow reports whether role a is a descendant of role b.
func (s *Service) isBelow(ctx context.Context, a, b int64) bool {
	all, err := s.store.ManagementRoles(ctx)
	if err != nil {
		return true // fail closed
	}
	byID := indexMroles(all)
	for i := 0; i <= len(all); i++ {
		r := byID[a]
		if r == nil || r.ParentID == nil {
			return false
		}
		if *r.ParentID == b {
			return true
		}
		a = *r.ParentID
	}
	return true
}

// DeleteManagementRole removes an unused role below the caller's.
func (s *Service) DeleteManagementRole(ctx context.Context, p *Principal, id int64) error {
	sc, err := s.scope(ctx, p)
	if err != nil {
		return err
	}
	before, err := s.store.ManagementRole(ctx, id)
	if err != nil {
		return err
	}
	if before.Builtin {
		return errBuiltin
	}
	if !sc.Below[id] {
		return errExceeds
	}
	n, err := s.store.ManagementRoleUsage(ctx, id)
	if err != nil {
		return err
	}
	if n > 0 {
		return inUse("该管理角色仍有下级角色、用户或所属业务角色", "The role still has lower roles, holders or owned business roles")
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteManagementRole(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "mrole.delete", TargetType: "management_role", TargetID: before.Code, Before: audit.JSON(before)})
	})
}

// BusinessRoleInput is what a manager may set on a business role.
type BusinessRoleInput struct {
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	Description string  `json:"description"`
	MenuIDs     []int64 `json:"menu_ids"`
}

// BusinessRoles lists the business roles the caller manages.
func (s *Service) BusinessRoles(ctx context.Context, p *Principal, pg httpx.Page) ([]*BusinessRole, int, error) {
	sc, err := s.scope(ctx, p)
	if err != nil {
		return nil, 0, err
	}
	return s.store.BusinessRoles(ctx, pg.Q, keys(sc.BusinessRoles), pg.PageSize, pg.Offset())
}

// BusinessRole fetches a business role the caller manages.
func (s *Service) BusinessRole(ctx context.Context, p *Principal, id int64) (*BusinessRole, error) {
	sc, err := s.scope(ctx, p)
	if err != nil {
		return nil, err
	}
	if !sc.BusinessRoles[id] {
		return nil, httpx.ErrNotFound
	}
	return s.store.BusinessRole(ctx, id)
}

// SaveBusinessRole creates (id 0) or edits a business role; its menus must
// be among those the caller may assign. A new role is owned by the caller's
// first management role, so the caller (and their superiors) manage it.
func (s *Service) SaveBusinessRole(ctx context.Context, p *Principal, id int64, in BusinessRoleInput) (*BusinessRole, error) {
	if err := checkRoleText(in.Code, in.Name, in.Description).Err(); err != nil {
		return nil, err
	}
	sc, err := s.scope(ctx, p)
	if err != nil {
		return nil, err
	}
	if !subset(in.MenuIDs, sc.AssignMenus) {
		return nil, errExceeds
	}
	var before *BusinessRole
	b := &BusinessRole{}
	if id != 0 {
		if !sc.BusinessRoles[id] {
			return nil, errExceeds
		}
		if before, err = s.store.BusinessRole(ctx, id); err != nil {
			return nil, err
		}
		copy := *before
		b = &copy
	} else {
		if len(sc.Held) == 0 {
			return nil, errExceeds
		}
		owner := sc.Held[0]
		b.OwnerRoleID = &owner
	}
	b.Code, b.Name, b.Description, b.MenuIDs = in.Code, in.Name, in.Description, uniq(in.MenuIDs)
	action := "brole.create"
	if id != 0 {
		action = "brole.update"
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveBusinessRole(ctx, b); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: action, TargetType: "business_role", TargetID: b.Code, Before: audit.JSON(before), After: audit.JSON(b)})
	})
	if err != nil {
		return nil, err
	}
	return s.store.BusinessRole(ctx, b.ID)
}

// DeleteBusinessRole removes a business role the caller manages; holders lose it.
func (s *Service) DeleteBusinessRole(ctx context.Context, p *Principal, id int64) error {
	sc, err := s.scope(ctx, p)
	if err != nil {
		return err
	}
	if !sc.BusinessRoles[id] {
		return errExceeds
	}
	before, err := s.store.BusinessRole(ctx, id)
	if err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteBusinessRole(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "brole.delete", TargetType: "business_role", TargetID: before.Code, Before: audit.JSON(before)})
	})
}
