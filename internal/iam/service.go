package iam

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/gm"
	"github.com/xietong/xietong/internal/httpx"
)

// Service is identity and access: logins, sessions, the management of
// organisations, users, roles, menus and resources, with the scope checks
// that keep a manager within what they hold.
type Service struct {
	db         *db.DB
	store      *Store
	audit      *audit.Log
	iterations int
	now        func() time.Time
}

// NewService wires the service. iterations is the PBKDF2 work factor.
func NewService(d *db.DB, store *Store, log *audit.Log, iterations int) *Service {
	return &Service{db: d, store: store, audit: log, iterations: iterations, now: db.Now}
}

// Problems specific to identity and access.
var (
	errBadCredentials = httpx.NewProblem(http.StatusUnauthorized, "bad_credentials", "用户名或密码错误", "Wrong username or password")
	errLocked         = httpx.NewProblem(http.StatusLocked, "account_locked", "账号因多次登录失败已被锁定，请稍后再试或联系安全管理员解锁", "The account is locked after repeated failed logins; try later or ask the security admin to unlock it")
	errDisabled       = httpx.NewProblem(http.StatusForbidden, "account_disabled", "账号已停用", "The account is disabled")
	errSessionExpired = httpx.NewProblem(http.StatusUnauthorized, "session_expired", "会话已超时，请重新登录", "The session has expired; please log in again")
	errMustChange     = httpx.NewProblem(http.StatusForbidden, "password_change_required", "首次登录或密码已过期，请先修改密码", "Change your password before continuing")
	errExceeds        = httpx.NewProblem(http.StatusForbidden, "exceeds_own_privilege", "不能授予或管理超出自身权限范围的内容", "You cannot grant or manage more than you hold")
	errSeparation     = httpx.NewProblem(http.StatusConflict, "separation_of_duties", "三员分立：系统管理员、安全管理员、审计管理员角色不能由同一账号兼任", "Three-admin separation: one account cannot hold two of the system, security and audit admin roles")
	errBuiltin        = httpx.NewProblem(http.StatusConflict, "builtin", "系统内置对象不能删除或修改其关键属性", "Built-in objects cannot be deleted or have their key attributes changed")
	errWrongOldPass   = httpx.NewProblem(http.StatusUnprocessableEntity, "bad_old_password", "原密码不正确", "The current password is wrong")
	errPasswordReused = httpx.NewProblem(http.StatusUnprocessableEntity, "password_reused", "新密码不能与最近使用过的密码相同", "The new password was used recently")
)

func inUse(zh, en string) *httpx.Problem {
	return httpx.NewProblem(http.StatusConflict, "in_use", zh, en)
}

const policyKey = "password_policy"

// Policy reads the password and session policy.
func (s *Service) Policy(ctx context.Context) (Policy, error) {
	v, ok, err := s.store.Setting(ctx, policyKey)
	if err != nil || !ok {
		return DefaultPolicy, err
	}
	p := DefaultPolicy
	if err := json.Unmarshal([]byte(v), &p); err != nil {
		return DefaultPolicy, fmt.Errorf("iam: stored policy: %w", err)
	}
	return p, nil
}

// SetPolicy validates and saves the policy (security admin).
func (s *Service) SetPolicy(ctx context.Context, p Policy) (Policy, error) {
	var c httpx.Checker
	rng := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			c.Add(field, "range", fmt.Sprintf("%d–%d", lo, hi))
		}
	}
	rng("min_length", p.MinLength, 8, 64)
	rng("min_classes", p.MinClasses, 2, 4)
	rng("history", p.History, 0, 24)
	rng("max_failures", p.MaxFailures, 3, 10)
	rng("lockout_minutes", p.LockoutMinutes, 1, 1440)
	rng("idle_timeout_minutes", p.IdleTimeoutMinutes, 5, 120)
	rng("max_age_days", p.MaxAgeDays, 0, 365)
	if err := c.Err(); err != nil {
		return p, err
	}
	before, err := s.Policy(ctx)
	if err != nil {
		return p, err
	}
	return p, s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SetSetting(ctx, policyKey, audit.JSON(p)); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "policy.update", TargetType: "policy", TargetID: policyKey, Before: audit.JSON(before), After: audit.JSON(p)})
	})
}

// dummyHash makes a login for an unknown user cost what a real one costs,
// so response time does not reveal which usernames exist.
var dummyHash = "pbkdf2-sm3$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

// Login checks a password and opens a session. It returns the session token
// (for the cookie) and the principal.
func (s *Service) Login(ctx context.Context, username, password, ip, userAgent string) (string, *Principal, error) {
	policy, err := s.Policy(ctx)
	if err != nil {
		return "", nil, err
	}
	ctx = audit.WithActor(ctx, audit.Actor{Name: username, IP: ip})
	fail := func(result, detail string, p *httpx.Problem, u *User) (string, *Principal, error) {
		ev := audit.Event{Action: "auth.login", TargetType: "user", TargetID: username, Result: result, Detail: detail}
		if u != nil {
			id := u.ID
			ev.ActorID = &id
		}
		if err := s.audit.Record(ctx, ev); err != nil {
			return "", nil, err
		}
		return "", nil, p
	}
	if len(username) > 64 || len(password) > 128 || username == "" || password == "" {
		return fail(audit.ResultFailed, "malformed credentials", errBadCredentials, nil)
	}
	u, err := s.store.UserByName(ctx, username)
	if errors.Is(err, db.ErrNotFound) {
		_, _ = gm.CheckPassword(dummyHash, password)
		return fail(audit.ResultFailed, "unknown user", errBadCredentials, nil)
	}
	if err != nil {
		return "", nil, err
	}
	if u.Locked {
		return fail(audit.ResultDenied, "account locked", errLocked, u)
	}
	if u.Status != "active" {
		return fail(audit.ResultDenied, "account disabled", errDisabled, u)
	}
	ok, err := gm.CheckPassword(u.passwordHash, password)
	if err != nil {
		return "", nil, err
	}
	if !ok {
		var locked bool
		err := s.db.WithTx(ctx, func(ctx context.Context) error {
			n, err := s.store.RecordFailedLogin(ctx, u.ID, policy.MaxFailures, s.now().Add(time.Duration(policy.LockoutMinutes)*time.Minute))
			if err != nil {
				return err
			}
			if n >= policy.MaxFailures {
				locked = true
				return s.audit.Record(ctx, audit.Event{Action: "auth.lockout", TargetType: "user", TargetID: username, Result: audit.ResultDenied,
					Detail: fmt.Sprintf("%d failed logins; locked for %d minutes", n, policy.LockoutMinutes)})
			}
			return nil
		})
		if err != nil {
			return "", nil, err
		}
		if locked {
			return fail(audit.ResultFailed, "wrong password; account now locked", errLocked, u)
		}
		return fail(audit.ResultFailed, "wrong password", errBadCredentials, u)
	}
	token := gm.Token(32)
	now := s.now()
	se := &Session{IDHash: gm.SM3Hex([]byte(token)), UserID: u.ID, CSRFToken: gm.Token(24), ClientIP: ip, UserAgent: truncate(userAgent, 256),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(12 * time.Hour)}
	ctx = audit.WithActor(ctx, audit.Actor{ID: u.ID, Name: u.Username, IP: ip})
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.RecordLogin(ctx, u.ID); err != nil {
			return err
		}
		if err := s.store.CreateSession(ctx, se); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "auth.login", TargetType: "user", TargetID: u.Username})
	})
	if err != nil {
		return "", nil, err
	}
	p, err := s.principal(ctx, se, policy)
	return token, p, err
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// Authenticate resolves a session token to its principal, ending sessions
// that are idle or past their absolute lifetime.
func (s *Service) Authenticate(ctx context.Context, token string) (*Principal, error) {
	if token == "" || len(token) > 128 {
		return nil, httpx.ErrUnauthenticated
	}
	se, err := s.store.Session(ctx, gm.SM3Hex([]byte(token)))
	if errors.Is(err, db.ErrNotFound) {
		return nil, httpx.ErrUnauthenticated
	}
	if err != nil {
		return nil, err
	}
	policy, err := s.Policy(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if now.After(se.ExpiresAt) || now.Sub(se.LastSeenAt) > time.Duration(policy.IdleTimeoutMinutes)*time.Minute {
		if err := s.store.DeleteSession(ctx, se.IDHash); err != nil {
			return nil, err
		}
		return nil, errSessionExpired
	}
	// Touch at most every 30 s: one write per half-minute, not per request.
	if now.Sub(se.LastSeenAt) > 30*time.Second {
		if err := s.store.TouchSession(ctx, se.IDHash, now); err != nil {
			return nil, err
		}
	}
	return s.principal(ctx, se, policy)
}

// Logout ends the principal's session; all ends every session of the user.
func (s *Service) Logout(ctx context.Context, p *Principal, all bool) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		action := "auth.logout"
		if all {
			action = "auth.logout_all"
			if _, err := s.store.DeleteUserSessions(ctx, p.User.ID, ""); err != nil {
				return err
			}
		} else if err := s.store.DeleteSession(ctx, p.sessionHash); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: action, TargetType: "user", TargetID: p.User.Username})
	})
}

// ChangeOwnPassword changes the caller's password after checking the old
// one; the caller's other sessions end.
func (s *Service) ChangeOwnPassword(ctx context.Context, p *Principal, oldPass, newPass string) error {
	u, err := s.store.User(ctx, p.User.ID)
	if err != nil {
		return err
	}
	if ok, err := gm.CheckPassword(u.passwordHash, oldPass); err != nil {
		return err
	} else if !ok {
		_ = s.audit.Record(ctx, audit.Event{Action: "user.change_password", TargetType: "user", TargetID: u.Username, Result: audit.ResultFailed, Detail: "wrong current password"})
		return errWrongOldPass
	}
	if oldPass == newPass {
		return errPasswordReused
	}
	hash, err := s.checkNewPassword(ctx, u, newPass)
	if err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SetPassword(ctx, u.ID, hash, false); err != nil {
			return err
		}
		if _, err := s.store.DeleteUserSessions(ctx, u.ID, p.sessionHash); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "user.change_password", TargetType: "user", TargetID: u.Username})
	})
}

// checkNewPassword applies the policy and history and returns the new hash.
func (s *Service) checkNewPassword(ctx context.Context, u *User, pass string) (string, error) {
	policy, err := s.Policy(ctx)
	if err != nil {
		return "", err
	}
	if err := checkStrength(policy, u.Username, pass); err != nil {
		return "", err
	}
	if u.ID != 0 && policy.History > 0 {
		hist, err := s.store.PasswordHistory(ctx, u.ID, policy.History)
		if err != nil {
			return "", err
		}
		for _, h := range hist {
			if ok, _ := gm.CheckPassword(h, pass); ok {
				return "", errPasswordReused
			}
		}
	}
	return gm.HashPassword(pass, s.iterations)
}

// Cleanup removes expired sessions; the app runs it periodically.
func (s *Service) Cleanup(ctx context.Context) (int64, error) {
	policy, err := s.Policy(ctx)
	if err != nil {
		return 0, err
	}
	return s.store.DeleteExpiredSessions(ctx, s.now(), time.Duration(policy.IdleTimeoutMinutes)*time.Minute)
}
