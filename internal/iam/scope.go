package iam

import (
	"context"
	"slices"
)

// Scope is what a manager may manage, derived from the management roles
// they hold (管理角色: 可使用菜单, 可分配菜单, 可管理机构, 可管理业务角色).
type Scope struct {
	// Held are the management roles the manager holds.
	Held []int64
	// Below are the management roles strictly below the held ones: the
	// only management roles the manager may create, edit or assign.
	Below map[int64]bool
	// UseMenus are the menus the manager may use (from management roles).
	UseMenus map[int64]bool
	// AssignMenus are the menus the manager may put into roles.
	AssignMenus map[int64]bool
	// Orgs are the organisations the manager manages, subtrees included.
	Orgs map[int64]bool
	// BusinessRoles are the business roles the manager may edit and assign:
	// the listed ones and those owned by held or lower management roles.
	BusinessRoles map[int64]bool
}

func set(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func keys(m map[int64]bool) []int64 {
	out := make([]int64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func subset(ids []int64, of map[int64]bool) bool {
	for _, id := range ids {
		if !of[id] {
			return false
		}
	}
	return true
}

// scope computes the manager's scope.
func (s *Service) scope(ctx context.Context, p *Principal) (*Scope, error) {
	sc := &Scope{Held: p.ManagementRoleIDs}
	mroles, err := s.store.ManagementRoles(ctx)
	if err != nil {
		return nil, err
	}
	children := map[int64][]int64{}
	for _, r := range mroles {
		if r.ParentID != nil {
			children[*r.ParentID] = append(children[*r.ParentID], r.ID)
		}
	}
	sc.Below = map[int64]bool{}
	var walk func(id int64)
	walk = func(id int64) {
		for _, c := range children[id] {
			if !sc.Below[c] {
				sc.Below[c] = true
				walk(c)
			}
		}
	}
	for _, id := range sc.Held {
		walk(id)
	}
	use, err := s.store.unionLinked(ctx, linkUseMenus, sc.Held)
	if err != nil {
		return nil, err
	}
	sc.UseMenus = set(use)
	assign, err := s.store.unionLinked(ctx, linkAssignMenus, sc.Held)
	if err != nil {
		return nil, err
	}
	sc.AssignMenus = set(assign)
	roots, err := s.store.unionLinked(ctx, linkMroleOrgs, sc.Held)
	if err != nil {
		return nil, err
	}
	orgs, err := s.store.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	sc.Orgs = subtrees(orgs, roots)
	listed, err := s.store.unionLinked(ctx, linkMroleBroles, sc.Held)
	if err != nil {
		return nil, err
	}
	owners := append(slices.Clone(sc.Held), keys(sc.Below)...)
	owned, err := s.store.BusinessRoleIDsOwnedBy(ctx, owners)
	if err != nil {
		return nil, err
	}
	sc.BusinessRoles = set(append(listed, owned...))
	return sc, nil
}

// subtrees gives the ids of the roots and everything below them.
func subtrees(orgs []*Org, roots []int64) map[int64]bool {
	children := map[int64][]int64{}
	for _, o := range orgs {
		if o.ParentID != nil {
			children[*o.ParentID] = append(children[*o.ParentID], o.ID)
		}
	}
	out := map[int64]bool{}
	var walk func(id int64)
	walk = func(id int64) {
		if out[id] {
			return
		}
		out[id] = true
		for _, c := range children[id] {
			walk(c)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	return out
}

// visibleOrgs are the organisations a user may see: those they manage and
// their own organisation's subtree.
func (s *Service) visibleOrgs(ctx context.Context, p *Principal) (map[int64]bool, error) {
	sc, err := s.scope(ctx, p)
	if err != nil {
		return nil, err
	}
	orgs, err := s.store.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	vis := subtrees(orgs, []int64{p.User.OrgID})
	for id := range sc.Orgs {
		vis[id] = true
	}
	return vis, nil
}

// canManageUser: the target is in a managed organisation, is not the
// manager, and holds no management role outside the manager's lower roles
// (so a manager never edits a peer, a superior, or another of the 三员).
func (s *Service) canManageUser(ctx context.Context, p *Principal, sc *Scope, u *User) error {
	if u.ID == p.User.ID || !sc.Orgs[u.OrgID] {
		return errExceeds
	}
	mroles, _, err := s.store.UserRoleIDs(ctx, u.ID)
	if err != nil {
		return err
	}
	for _, id := range mroles {
		if !sc.Below[id] {
			return errExceeds
		}
	}
	return nil
}
