package iam

import (
	"context"
	"regexp"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/httpx"
)

// UserInput is what a manager may set on a user.
type UserInput struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	OrgID       int64  `json:"org_id"`
	Phone       string `json:"phone"`
	Email       string `json:"email"`
	Status      string `json:"status"`
	Password    string `json:"password"`
}

// ProfileInput is what users may change about themselves.
type ProfileInput struct {
	DisplayName string `json:"display_name"`
	Phone       string `json:"phone"`
	Email       string `json:"email"`
}

var usernameRe = regexp.MustCompile(`^[a-z][a-z0-9_.-]{2,31}$`)

func (in *UserInput) check(creating bool) error {
	var c httpx.Checker
	if creating {
		if !usernameRe.MatchString(in.Username) {
			c.Add("username", "format", "3–32 lower-case letters, digits, _ . -; starts with a letter")
		}
		if in.Status == "" {
			in.Status = "active"
		}
	}
	c.Text("display_name", in.DisplayName, true, 50)
	c.Phone("phone", in.Phone)
	c.Email("email", in.Email)
	c.OneOf("status", in.Status, "active", "disabled")
	if in.OrgID <= 0 {
		c.Add("org_id", "required", "")
	}
	return c.Err()
}

// UserListFilter narrows Users.
type UserListFilter struct {
	OrgID  int64
	Status string
	Locked bool
}

// Users lists users in organisations the caller may see (an org filter
// includes its subtree).
func (s *Service) Users(ctx context.Context, p *Principal, pg httpx.Page, f UserListFilter) ([]*User, int, error) {
	vis, err := s.visibleOrgs(ctx, p)
	if err != nil {
		return nil, 0, err
	}
	return s.listUsers(ctx, vis, pg, f)
}

func (s *Service) listUsers(ctx context.Context, orgs map[int64]bool, pg httpx.Page, f UserListFilter) ([]*User, int, error) {
	if f.OrgID != 0 {
		all, err := s.store.Orgs(ctx)
		if err != nil {
			return nil, 0, err
		}
		sub := subtrees(all, []int64{f.OrgID})
		for id := range sub {
			if !orgs[id] {
				delete(sub, id)
			}
		}
		orgs = sub
	}
	users, total, err := s.store.Users(ctx, UserFilter{Q: pg.Q, OrgIDs: keys(orgs), Status: f.Status, Locked: f.Locked, Limit: pg.PageSize, Offset: pg.Offset()})
	if err != nil {
		return nil, 0, err
	}
	for _, u := range users {
		if u.ManagementRoles, u.BusinessRoles, err = s.store.UserRoleRefs(ctx, u.ID); err != nil {
			return nil, 0, err
		}
	}
	return users, total, nil
}

// User fetches a user the caller may see.
func (s *Service) User(ctx context.Context, p *Principal, id int64) (*User, error) {
	vis, err := s.visibleOrgs(ctx, p)
	if err != nil {
		return nil, err
	}
	u, err := s.store.User(ctx, id)
	if err != nil {
		return nil, err
	}
	if !vis[u.OrgID] {
		return nil, httpx.ErrNotFound
	}
	u.ManagementRoles, u.BusinessRoles, err = s.store.UserRoleRefs(ctx, id)
	return u, err
}

// CreateUser adds a user to an organisation the caller manages. The user
// must change the initial password at first login.
func (s *Service) CreateUser(ctx context.Context, p *Principal, in UserInput) (*User, error) {
	if err := in.check(true); err != nil {
		return nil, err
	}
	sc, err := s.scope(ctx, p)
	if err != nil {
		return nil, err
	}
	if !sc.Orgs[in.OrgID] {
		return nil, errExceeds
	}
	u := &User{Username: in.Username, DisplayName: in.DisplayName, OrgID: in.OrgID, Phone: in.Phone, Email: in.Email, Status: in.Status, MustChangePassword: true}
	hash, err := s.checkNewPassword(ctx, u, in.Password)
	if err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateUser(ctx, u, hash); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "user.create", TargetType: "user", TargetID: u.Username, After: audit.JSON(u)})
	})
	if err != nil {
		return nil, err
	}
	return s.store.User(ctx, u.ID)
}

// UpdateUser edits a user the caller manages.
func (s *Service) UpdateUser(ctx context.Context, p *Principal, id int64, in UserInput) (*User, error) {
	if err := in.check(false); err != nil {
		return nil, err
	}
	before, sc, err := s.managedUser(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if !sc.Orgs[in.OrgID] {
		return nil, errExceeds
	}
	u := *before
	u.DisplayName, u.OrgID, u.Phone, u.Email, u.Status = in.DisplayName, in.OrgID, in.Phone, in.Email, in.Status
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateUser(ctx, &u); err != nil {
			return err
		}
		if u.Status != "active" {
			if _, err := s.store.DeleteUserSessions(ctx, id, ""); err != nil {
				return err
			}
		}
		return s.audit.Record(ctx, audit.Event{Action: "user.update", TargetType: "user", TargetID: u.Username, Before: audit.JSON(before), After: audit.JSON(&u)})
	})
	if err != nil {
		return nil, err
	}
	return s.User(ctx, p, id)
}

func (s *Service) managedUser(ctx context.Context, p *Principal, id int64) (*User, *Scope, error) {
	sc, err := s.scope(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	u, err := s.store.User(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := s.canManageUser(ctx, p, sc, u); err != nil {
		return nil, nil, err
	}
	u.ManagementRoles, u.BusinessRoles, err = s.store.UserRoleRefs(ctx, id)
	return u, sc, err
}

// DeleteUser removes a user the caller manages.
func (s *Service) DeleteUser(ctx context.Context, p *Principal, id int64) error {
	before, _, err := s.managedUser(ctx, p, id)
	if err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteUser(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "user.delete", TargetType: "user", TargetID: before.Username, Before: audit.JSON(before)})
	})
}

// ResetPassword sets a new password for a user the caller manages; the user
// must change it at next login and their sessions end.
func (s *Service) ResetPassword(ctx context.Context, p *Principal, id int64, pass string) error {
	u, _, err := s.managedUser(ctx, p, id)
	if err != nil {
		return err
	}
	hash, err := s.checkNewPassword(ctx, u, pass)
	if err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SetPassword(ctx, id, hash, true); err != nil {
			return err
		}
		if _, err := s.store.DeleteUserSessions(ctx, id, ""); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "user.reset_password", TargetType: "user", TargetID: u.Username})
	})
}

// RolesInput assigns roles to a user.
type RolesInput struct {
	ManagementRoleIDs []int64 `json:"management_role_ids"`
	BusinessRoleIDs   []int64 `json:"business_role_ids"`
}

// SetUserRoles replaces the roles within the caller's scope; roles the user
// holds outside it are kept. Three-admin separation is enforced.
func (s *Service) SetUserRoles(ctx context.Context, p *Principal, id int64, in RolesInput) (*User, error) {
	u, sc, err := s.managedUser(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if !subset(in.ManagementRoleIDs, sc.Below) || !subset(in.BusinessRoleIDs, sc.BusinessRoles) {
		return nil, errExceeds
	}
	curM, curB, err := s.store.UserRoleIDs(ctx, id)
	if err != nil {
		return nil, err
	}
	newM := append(outside(curM, sc.Below), in.ManagementRoleIDs...)
	newB := append(outside(curB, sc.BusinessRoles), in.BusinessRoleIDs...)
	mroles, err := s.store.ManagementRoles(ctx)
	if err != nil {
		return nil, err
	}
	byID := indexMroles(mroles)
	kinds := map[string]bool{}
	for _, rid := range newM {
		if k := adminKindOf(byID, rid); k != "" {
			kinds[k] = true
		}
	}
	if len(kinds) > 1 || ((kinds[AdminSecurity] || kinds[AdminAudit]) && len(newB) > 0) {
		return nil, errSeparation
	}
	before := RolesInput{ManagementRoleIDs: curM, BusinessRoleIDs: curB}
	after := RolesInput{ManagementRoleIDs: uniq(newM), BusinessRoleIDs: uniq(newB)}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SetUserRoles(ctx, id, after.ManagementRoleIDs, after.BusinessRoleIDs); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "user.set_roles", TargetType: "user", TargetID: u.Username, Before: audit.JSON(before), After: audit.JSON(after)})
	})
	if err != nil {
		return nil, err
	}
	return s.User(ctx, p, id)
}

func outside(ids []int64, scope map[int64]bool) []int64 {
	var out []int64
	for _, id := range ids {
		if !scope[id] {
			out = append(out, id)
		}
	}
	return out
}

// UpdateProfile lets users edit their own name and contacts.
func (s *Service) UpdateProfile(ctx context.Context, p *Principal, in ProfileInput) (*User, error) {
	var c httpx.Checker
	c.Text("display_name", in.DisplayName, true, 50)
	c.Phone("phone", in.Phone)
	c.Email("email", in.Email)
	if err := c.Err(); err != nil {
		return nil, err
	}
	before, err := s.store.User(ctx, p.User.ID)
	if err != nil {
		return nil, err
	}
	u := *before
	u.DisplayName, u.Phone, u.Email = in.DisplayName, in.Phone, in.Email
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.UpdateUser(ctx, &u); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "user.update_profile", TargetType: "user", TargetID: u.Username, Before: audit.JSON(before), After: audit.JSON(&u)})
	})
	if err != nil {
		return nil, err
	}
	u.ManagementRoles, u.BusinessRoles, err = s.store.UserRoleRefs(ctx, u.ID)
	return &u, err
}

// SecurityAccounts lists accounts for the security admin (账号安全).
func (s *Service) SecurityAccounts(ctx context.Context, p *Principal, pg httpx.Page, locked bool) ([]*User, int, error) {
	sc, err := s.scope(ctx, p)
	if err != nil {
		return nil, 0, err
	}
	return s.listUsers(ctx, sc.Orgs, pg, UserListFilter{Locked: locked})
}

// Unlock clears a lockout (security admin).
func (s *Service) Unlock(ctx context.Context, p *Principal, id int64) error {
	return s.accountAction(ctx, p, id, "user.unlock", func(ctx context.Context) error { return s.store.Unlock(ctx, id) })
}

// ForceLogout ends every session of a user (security admin).
func (s *Service) ForceLogout(ctx context.Context, p *Principal, id int64) error {
	return s.accountAction(ctx, p, id, "user.force_logout", func(ctx context.Context) error {
		_, err := s.store.DeleteUserSessions(ctx, id, "")
		return err
	})
}

func (s *Service) accountAction(ctx context.Context, p *Principal, id int64, action string, fn func(ctx context.Context) error) error {
	sc, err := s.scope(ctx, p)
	if err != nil {
		return err
	}
	u, err := s.store.User(ctx, id)
	if err != nil {
		return err
	}
	if !sc.Orgs[u.OrgID] || u.ID == p.User.ID {
		return errExceeds
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := fn(ctx); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: action, TargetType: "user", TargetID: u.Username})
	})
}
