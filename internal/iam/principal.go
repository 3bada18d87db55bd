package iam

import (
	"context"
	"time"
)

// Principal is the logged-in user of a request with what they may do.
type Principal struct {
	User               *User
	CSRFToken          string
	MustChangePassword bool
	AdminKind          string
	ManagementRoleIDs  []int64
	BusinessRoleIDs    []int64
	// UseMenuIDs are the menus the user may use (buttons included).
	UseMenuIDs []int64
	// Permissions are the "METHOD pattern" keys of the URL resources bound
	// to UseMenuIDs; the router checks every permission-level route here.
	Permissions map[string]bool

	sessionHash string
}

// Can reports whether the principal holds the route permission key.
func (p *Principal) Can(key string) bool { return p.Permissions[key] }

// everyoneMenus are given to every logged-in user: the home page and the
// user's own profile (用户信息查看).
var everyoneMenus = []string{"home", "profile"}

func (s *Service) principal(ctx context.Context, se *Session, policy Policy) (*Principal, error) {
	u, err := s.store.User(ctx, se.UserID)
	if err != nil {
		return nil, err
	}
	if u.Status != "active" {
		return nil, errDisabled
	}
	p := &Principal{User: u, CSRFToken: se.CSRFToken, sessionHash: se.IDHash}
	p.MustChangePassword = u.MustChangePassword ||
		(policy.MaxAgeDays > 0 && s.now().Sub(u.passwordChangedAt) > time.Duration(policy.MaxAgeDays)*24*time.Hour)
	if u.ManagementRoles, u.BusinessRoles, err = s.store.UserRoleRefs(ctx, u.ID); err != nil {
		return nil, err
	}
	if err := s.grantsOf(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// grantsOf fills what p.User may do: roles, admin kind, menus and
// permission keys.
func (s *Service) grantsOf(ctx context.Context, p *Principal) (err error) {
	if p.ManagementRoleIDs, p.BusinessRoleIDs, err = s.store.UserRoleIDs(ctx, p.User.ID); err != nil {
		return err
	}
	mroles, err := s.store.ManagementRoles(ctx)
	if err != nil {
		return err
	}
	byID := indexMroles(mroles)
	for _, id := range p.ManagementRoleIDs {
		if k := adminKindOf(byID, id); k != "" {
			p.AdminKind = k
		}
	}
	use, err := s.store.unionLinked(ctx, linkUseMenus, p.ManagementRoleIDs)
	if err != nil {
		return err
	}
	bmenus, err := s.store.MenuIDsOfBusinessRoles(ctx, p.BusinessRoleIDs)
	if err != nil {
		return err
	}
	use = append(use, bmenus...)
	for _, code := range everyoneMenus {
		if m, err := s.store.MenuByCode(ctx, code); err == nil {
			use = append(use, m.ID)
		}
	}
	p.UseMenuIDs = uniq(use)
	keys, err := s.store.PermissionKeys(ctx, p.UseMenuIDs)
	if err != nil {
		return err
	}
	p.Permissions = make(map[string]bool, len(keys))
	for _, k := range keys {
		p.Permissions[k] = true
	}
	return nil
}

// UsersWithPermission lists the active users of an organisation who hold
// the route permission key ("METHOD pattern"): whom to notify of work
// waiting for them.
func (s *Service) UsersWithPermission(ctx context.Context, orgID int64, key string) ([]*User, error) {
	users, _, err := s.store.Users(ctx, UserFilter{OrgIDs: []int64{orgID}, Status: "active", Limit: 10000})
	if err != nil {
		return nil, err
	}
	var out []*User
	for _, u := range users {
		p := &Principal{User: u}
		if err := s.grantsOf(ctx, p); err != nil {
			return nil, err
		}
		if p.Can(key) {
			out = append(out, u)
		}
	}
	return out, nil
}

func indexMroles(all []*ManagementRole) map[int64]*ManagementRole {
	m := make(map[int64]*ManagementRole, len(all))
	for _, r := range all {
		m[r.ID] = r
	}
	return m
}

// adminKindOf is the admin kind of a role or of its nearest ancestor that has one.
func adminKindOf(byID map[int64]*ManagementRole, id int64) string {
	for seen := 0; seen < len(byID)+1; seen++ {
		r := byID[id]
		if r == nil {
			return ""
		}
		if r.AdminKind != "" {
			return r.AdminKind
		}
		if r.ParentID == nil {
			return ""
		}
		id = *r.ParentID
	}
	return "" // a cycle; the service never creates one
}
