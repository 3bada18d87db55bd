package iam

import (
	"context"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/db"
)

// The operator methods serve `xietong user …` on the host. Whoever runs them
// already holds the data dir (or the database DSN), so they are not scoped
// by roles; they are audited with actor "cli".

func cliCtx(ctx context.Context) context.Context {
	return audit.WithActor(ctx, audit.Actor{Name: "cli", IP: "local"})
}

// OperatorCreateUser creates a user in the organisation with the given code
// (the root when empty); the password must follow the policy and be changed
// at first login.
func (s *Service) OperatorCreateUser(ctx context.Context, username, displayName, orgCode, password string) (*User, error) {
	ctx = cliCtx(ctx)
	orgs, err := s.store.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	var orgID int64
	for _, o := range orgs {
		if (orgCode == "" && o.ParentID == nil) || o.Code == orgCode {
			orgID = o.ID
			break
		}
	}
	if orgID == 0 {
		return nil, db.ErrNotFound
	}
	in := UserInput{Username: username, DisplayName: displayName, OrgID: orgID}
	if err := in.check(true); err != nil {
		return nil, err
	}
	u := &User{Username: username, DisplayName: displayName, OrgID: orgID, Status: "active", MustChangePassword: true}
	hash, err := s.checkNewPassword(ctx, u, password)
	if err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreateUser(ctx, u, hash); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "user.create", TargetType: "user", TargetID: username, After: audit.JSON(u)})
	})
	return u, err
}

// OperatorResetPassword sets a password that must be changed at next login,
// unlocks the account and ends its sessions.
func (s *Service) OperatorResetPassword(ctx context.Context, username, password string) error {
	ctx = cliCtx(ctx)
	u, err := s.store.UserByName(ctx, username)
	if err != nil {
		return err
	}
	hash, err := s.checkNewPassword(ctx, u, password)
	if err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SetPassword(ctx, u.ID, hash, true); err != nil {
			return err
		}
		if _, err := s.store.DeleteUserSessions(ctx, u.ID, ""); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "user.reset_password", TargetType: "user", TargetID: username})
	})
}

// OperatorUnlock clears a lockout.
func (s *Service) OperatorUnlock(ctx context.Context, username string) error {
	ctx = cliCtx(ctx)
	u, err := s.store.UserByName(ctx, username)
	if err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.Unlock(ctx, u.ID); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "user.unlock", TargetType: "user", TargetID: username})
	})
}
