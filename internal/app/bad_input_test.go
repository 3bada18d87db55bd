package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/testutil"
)

// TestBadInput: every kind of bad input gets a problem+json with a stable
// code, and nothing is written.
func TestBadInput(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		s := newTestServer(t, d)
		sys := s.Admin(t, "sysadmin")
		var roots []node
		sys.Do("GET", "/api/v1/orgs/tree", nil).Want(t, 200, "").JSON(t, &roots)
		root := roots[0].ID
		counts := func() (users, orgs, audit int) {
			ctx := context.Background()
			db := s.App.DB
			_ = db.QueryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&users)
			_ = db.QueryRow(ctx, "SELECT COUNT(*) FROM orgs").Scan(&orgs)
			_ = db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log").Scan(&audit)
			return
		}
		u0, o0, _ := counts()

		long := strings.Repeat("长", 101)
		cases := []struct {
			name, method, path string
			body               any
			status             int
			code               string
		}{
			{"malformed JSON", "POST", "/api/v1/orgs", `{"parent_id": 1, "code": `, 400, "malformed_json"},
			{"not an object", "POST", "/api/v1/orgs", `[1,2]`, 400, "malformed_json"},
			{"two objects", "POST", "/api/v1/orgs", `{"code":"a"} {"code":"b"}`, 400, "malformed_json"},
			{"wrong type", "POST", "/api/v1/orgs", `{"parent_id": "one"}`, 400, "malformed_json"},
			{"unknown field", "POST", "/api/v1/orgs", map[string]any{"parent_id": root, "code": "x1", "name": "x", "kind": "city", "admin": true}, 400, "unknown_field"},
			{"over-long name", "POST", "/api/v1/orgs", map[string]any{"parent_id": root, "code": "x2", "name": long, "kind": "city"}, 422, "validation_failed"},
			{"bad kind and region", "POST", "/api/v1/orgs", map[string]any{"parent_id": root, "code": "x3", "name": "x", "kind": "planet", "region_code": "12"}, 422, "validation_failed"},
			{"huge body", "POST", "/api/v1/orgs", `{"name":"` + strings.Repeat("a", 2<<20) + `"}`, 413, "body_too_large"},
			{"weak password", "POST", "/api/v1/users", map[string]any{"username": "lisi", "display_name": "李四", "org_id": root, "password": "abc12345"}, 422, "password_weak"},
			{"bad username", "POST", "/api/v1/users", map[string]any{"username": "Li Si!", "display_name": "李四", "org_id": root, "password": "Strong#Pass-2026"}, 422, "validation_failed"},
			{"bad email", "POST", "/api/v1/users", map[string]any{"username": "lisi", "display_name": "李四", "org_id": root, "email": "not-mail", "password": "Strong#Pass-2026"}, 422, "validation_failed"},
			{"unknown route", "GET", "/api/v1/nothing-here", nil, 404, "not_found"},
			{"bad id", "GET", "/api/v1/orgs/abc", nil, 404, "not_found"},
			{"bad page size", "GET", "/api/v1/users?page_size=5000", nil, 422, "validation_failed"},
			{"bad org filter", "GET", "/api/v1/users?org_id=x", nil, 422, "validation_failed"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				sys.Do(c.method, c.path, c.body).Want(t, c.status, c.code)
			})
		}
		r := sys.Do("POST", "/api/v1/orgs", map[string]any{"parent_id": root, "code": "x2", "name": long, "kind": "city"})
		var p struct {
			Detail   string `json:"detail"`
			DetailEN string `json:"detail_en"`
			Errors   []struct{ Field, Code string }
		}
		r.JSON(t, &p)
		if len(p.Errors) != 1 || p.Errors[0].Field != "name" || p.Errors[0].Code != "too_long" {
			t.Fatalf("field errors %+v", p.Errors)
		}
		if u, o, _ := counts(); u != u0 || o != o0 {
			t.Fatalf("bad input wrote rows: users %d→%d orgs %d→%d", u0, u, o0, o)
		}

		// Missing and wrong CSRF tokens.
		token := sys.CSRF
		sys.CSRF = ""
		sys.Do("POST", "/api/v1/orgs", map[string]any{"parent_id": root, "code": "c1", "name": "x", "kind": "city"}).Want(t, 403, "csrf_missing")
		sys.CSRF = "forged"
		sys.Do("POST", "/api/v1/orgs", map[string]any{"parent_id": root, "code": "c1", "name": "x", "kind": "city"}).Want(t, 403, "csrf_invalid")
		sys.CSRF = token

		// A change and its audit row commit together: with the audit table
		// unusable, the change is refused and not written.
		_, o1, _ := counts()
		if _, err := s.App.DB.Exec(context.Background(), "ALTER TABLE audit_log RENAME TO audit_log_away"); err != nil {
			t.Fatal(err)
		}
		sys.Do("POST", "/api/v1/orgs", map[string]any{"parent_id": root, "code": "atomic", "name": "原子性", "kind": "city"}).Want(t, 500, "internal")
		if _, err := s.App.DB.Exec(context.Background(), "ALTER TABLE audit_log_away RENAME TO audit_log"); err != nil {
			t.Fatal(err)
		}
		if _, o, _ := counts(); o != o1 {
			t.Fatal("an organisation was written without its audit row")
		}
	})
}

// TestLockoutAndSessions: repeated failures lock the account (423) until the
// security admin unlocks it; an idle session expires (401 session_expired);
// logout-all ends every session.
func TestLockoutAndSessions(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		s := newTestServer(t, d)
		sys := s.Admin(t, "sysadmin")
		var roots []node
		sys.Do("GET", "/api/v1/orgs/tree", nil).Want(t, 200, "").JSON(t, &roots)
		uid := id(t, sys.Do("POST", "/api/v1/users", map[string]any{"username": "wangwu", "display_name": "王五", "org_id": roots[0].ID, "password": "Initial#2026pw"}).Want(t, 201, ""))

		c := s.Client(t)
		for i := 0; i < 4; i++ {
			c.Do("POST", "/api/v1/auth/login", map[string]string{"username": "wangwu", "password": "wrong"}).Want(t, 401, "bad_credentials")
		}
		c.Do("POST", "/api/v1/auth/login", map[string]string{"username": "wangwu", "password": "wrong"}).Want(t, 423, "account_locked")
		c.Do("POST", "/api/v1/auth/login", map[string]string{"username": "wangwu", "password": "Initial#2026pw"}).Want(t, 423, "account_locked")
		c.Do("POST", "/api/v1/auth/login", map[string]string{"username": "ghost", "password": "whatever"}).Want(t, 401, "bad_credentials")

		sec := s.Admin(t, "secadmin")
		var locked struct{ Total int }
		sec.Do("GET", "/api/v1/security/accounts?locked=true", nil).Want(t, 200, "").JSON(t, &locked)
		if locked.Total != 1 {
			t.Fatalf("%d locked accounts listed, want 1", locked.Total)
		}
		sec.Do("POST", fmt.Sprintf("/api/v1/security/accounts/%d/unlock", uid), nil).Want(t, 204, "")
		c.LoginChanging("wangwu", "Initial#2026pw", "Later#Pass-2026")

		// Idle past the policy's timeout (30 min by default).
		if _, err := s.App.DB.Exec(context.Background(), "UPDATE sessions SET last_seen_at = ? WHERE user_id = ?", time.Now().UTC().Add(-31*time.Minute), uid); err != nil {
			t.Fatal(err)
		}
		c.Do("GET", "/api/v1/me", nil).Want(t, 401, "session_expired")
		c.Do("GET", "/api/v1/me", nil).Want(t, 401, "unauthenticated")

		// Two sessions; logout-all from one ends both.
		a, b := s.Client(t), s.Client(t)
		a.Login("wangwu", "Later#Pass-2026")
		b.Login("wangwu", "Later#Pass-2026")
		a.Do("POST", "/api/v1/auth/logout-all", nil).Want(t, 204, "")
		b.Do("GET", "/api/v1/me", nil).Want(t, 401, "unauthenticated")

		// The security admin can shorten the idle timeout; out-of-range values are refused.
		sec.Do("PUT", "/api/v1/security/policy", map[string]int{"min_length": 4, "min_classes": 3, "history": 5, "max_failures": 5, "lockout_minutes": 15, "idle_timeout_minutes": 30, "max_age_days": 90}).Want(t, 422, "validation_failed")
		sec.Do("PUT", "/api/v1/security/policy", map[string]int{"min_length": 14, "min_classes": 3, "history": 5, "max_failures": 3, "lockout_minutes": 15, "idle_timeout_minutes": 10, "max_age_days": 90}).Want(t, 200, "")
		var pol struct {
			MinLength int `json:"min_length"`
		}
		c.Login("wangwu", "Later#Pass-2026")
		c.Do("GET", "/api/v1/me/password-policy", nil).Want(t, 200, "").JSON(t, &pol)
		if pol.MinLength != 14 {
			t.Fatalf("policy not applied: %+v", pol)
		}
		c.Do("POST", "/api/v1/me/password", map[string]string{"old_password": "Later#Pass-2026", "new_password": "Short#Pw-26"}).Want(t, 422, "password_weak")
		c.Do("POST", "/api/v1/me/password", map[string]string{"old_password": "wrong", "new_password": "Longer#Pass-20261"}).Want(t, 422, "bad_old_password")
	})
}
