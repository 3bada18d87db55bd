package app_test

import (
	"fmt"
	"testing"

	"github.com/xietong/xietong/internal/testutil"
)

type node struct {
	ID       int64  `json:"id"`
	Code     string `json:"code"`
	Type     string `json:"type"`
	Children []node `json:"children"`
}

func flatten(ns []node) map[string]node {
	out := map[string]node{}
	var walk func([]node)
	walk = func(ns []node) {
		for _, n := range ns {
			out[n.Code] = n
			walk(n.Children)
		}
	}
	walk(ns)
	return out
}

func id(t *testing.T, r *testutil.Response) int64 {
	t.Helper()
	return int64(r.Map(t)["id"].(float64))
}

// TestManagerFlow is the console story at API level: the system admin makes
// an organisation, a user and a business role, assigns it; the user sees only
// that role's menus and may call only its routes.
func TestManagerFlow(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		s := newTestServer(t, d)
		sys := s.Admin(t, "sysadmin")
		var roots []node
		sys.Do("GET", "/api/v1/orgs/tree", nil).Want(t, 200, "").JSON(t, &roots)
		rootID := roots[0].ID

		city := id(t, sys.Do("POST", "/api/v1/orgs", map[string]any{"parent_id": rootID, "code": "nt", "name": "南通市人社局", "kind": "city", "region_code": "320600"}).Want(t, 201, ""))
		sys.Do("POST", "/api/v1/orgs", map[string]any{"parent_id": rootID, "code": "nt", "name": "重复", "kind": "city"}).Want(t, 409, "conflict")
		county := id(t, sys.Do("POST", "/api/v1/orgs", map[string]any{"parent_id": city, "code": "nt-cc", "name": "崇川区", "kind": "county", "region_code": "320602"}).Want(t, 201, ""))

		uid := id(t, sys.Do("POST", "/api/v1/users", map[string]any{"username": "zhangsan", "display_name": "张三", "org_id": county, "phone": "13800001234", "password": "Initial#2026pw"}).Want(t, 201, ""))

		var menus []node
		sys.Do("GET", "/api/v1/menus/assignable", nil).Want(t, 200, "").JSON(t, &menus)
		assignable := flatten(menus)
		if _, ok := assignable["security.policy"]; ok {
			t.Fatal("system admin may assign a security-admin menu")
		}
		if _, ok := assignable["system.mroles"]; ok {
			t.Fatal("system admin may assign management-role administration")
		}
		orgMenu := assignable["system.orgs"]
		role := id(t, sys.Do("POST", "/api/v1/business-roles", map[string]any{"code": "jbr", "name": "经办人员", "menu_ids": []int64{orgMenu.ID}}).Want(t, 201, ""))

		// A manager cannot grant more than they hold.
		var all []node
		sys.Do("GET", "/api/v1/menus/tree", nil).Want(t, 200, "").JSON(t, &all)
		audit := flatten(all)["audit.events"]
		sys.Do("POST", "/api/v1/business-roles", map[string]any{"code": "spy", "name": "越权", "menu_ids": []int64{audit.ID}}).Want(t, 403, "exceeds_own_privilege")
		var mtree []node
		sys.Do("GET", "/api/v1/management-roles/tree", nil).Want(t, 200, "").JSON(t, &mtree)
		if len(mtree) != 1 || mtree[0].Code != "system-admin" {
			t.Fatalf("system admin sees management roles %+v", mtree)
		}
		// Only roles strictly below one's own may be assigned.
		sys.Do("PUT", fmt.Sprintf("/api/v1/users/%d/roles", uid), map[string]any{"management_role_ids": []int64{mtree[0].ID}}).Want(t, 403, "exceeds_own_privilege")

		sys.Do("PUT", fmt.Sprintf("/api/v1/users/%d/roles", uid), map[string]any{"business_role_ids": []int64{role}}).Want(t, 200, "")

		u := s.Client(t)
		u.Login("zhangsan", "Initial#2026pw")
		u.Do("GET", "/api/v1/me/menus", nil).Want(t, 403, "password_change_required")
		u.Do("POST", "/api/v1/me/password", map[string]string{"old_password": "Initial#2026pw", "new_password": "weak"}).Want(t, 422, "password_weak")
		u.Do("POST", "/api/v1/me/password", map[string]string{"old_password": "Initial#2026pw", "new_password": "Initial#2026pw"}).Want(t, 422, "password_reused")
		u.Do("POST", "/api/v1/me/password", map[string]string{"old_password": "Initial#2026pw", "new_password": "Zhangsan#Own-2026"}).Want(t, 422, "password_weak") // contains the username
		u.Do("POST", "/api/v1/me/password", map[string]string{"old_password": "Initial#2026pw", "new_password": "Nantong#Own-2026"}).Want(t, 204, "")

		var mine []node
		u.Do("GET", "/api/v1/me/menus", nil).Want(t, 200, "").JSON(t, &mine)
		got := flatten(mine)
		for _, want := range []string{"home", "system", "system.orgs", "profile"} {
			if _, ok := got[want]; !ok {
				t.Errorf("menu %s missing from %v", want, keysOf(got))
			}
		}
		if len(got) != 4 {
			t.Errorf("user sees menus %v, want only home, system, system.orgs, profile", keysOf(got))
		}
		// The org page works, limited to the user's own organisation; writes do not.
		var own []node
		u.Do("GET", "/api/v1/orgs/tree", nil).Want(t, 200, "").JSON(t, &own)
		if len(own) != 1 || own[0].ID != county {
			t.Fatalf("user sees orgs %+v, want only the county", own)
		}
		u.Do("GET", fmt.Sprintf("/api/v1/orgs/%d", rootID), nil).Want(t, 404, "not_found")
		u.Do("POST", "/api/v1/orgs", map[string]any{"parent_id": county, "code": "x", "name": "x", "kind": "department"}).Want(t, 403, "forbidden")
		u.Do("GET", "/api/v1/users", nil).Want(t, 403, "forbidden")

		// Deleting a used organisation is refused; an empty one goes.
		sys.Do("DELETE", fmt.Sprintf("/api/v1/orgs/%d", county), nil).Want(t, 409, "in_use")
		dept := id(t, sys.Do("POST", "/api/v1/orgs", map[string]any{"parent_id": city, "code": "nt-d1", "name": "办公室", "kind": "department"}).Want(t, 201, ""))
		sys.Do("DELETE", fmt.Sprintf("/api/v1/orgs/%d", dept), nil).Want(t, 204, "")
		sys.Do("PUT", fmt.Sprintf("/api/v1/orgs/%d", city), map[string]any{"parent_id": county, "code": "nt", "name": "南通", "kind": "city"}).Want(t, 422, "validation_failed")

		// The system admin cannot touch the other admins.
		secadm := s.Admin(t, "secadmin")
		var accounts struct {
			Items []struct {
				ID       int64
				Username string
			}
		}
		secadm.Do("GET", "/api/v1/security/accounts?q=admin", nil).Want(t, 200, "").JSON(t, &accounts)
		found := false
		for _, a := range accounts.Items {
			if a.Username == "auditadmin" {
				found = true
				sys.Do("POST", fmt.Sprintf("/api/v1/users/%d/password", a.ID), map[string]string{"password": "Takeover#2026x"}).Want(t, 403, "exceeds_own_privilege")
				sys.Do("DELETE", fmt.Sprintf("/api/v1/users/%d", a.ID), nil).Want(t, 403, "exceeds_own_privilege")
			}
		}
		if !found {
			t.Fatal("security admin's account list lacks auditadmin")
		}

		// Logout ends the session.
		u.Do("POST", "/api/v1/auth/logout", nil).Want(t, 204, "")
		u.Do("GET", "/api/v1/me", nil).Want(t, 401, "unauthenticated")

		// The audit admin sees all of it.
		aud := s.Admin(t, "auditadmin")
		for _, action := range []string{"org.create", "user.create", "brole.create", "user.set_roles", "user.change_password", "auth.login", "auth.logout", "access.denied"} {
			r := aud.Do("GET", "/api/v1/audit/events?action="+action, nil).Want(t, 200, "")
			if r.Map(t)["total"].(float64) < 1 {
				t.Errorf("no audit row for %s", action)
			}
		}
		var ev struct {
			Items []struct {
				Before    string `json:"before"`
				After     string `json:"after"`
				ActorName string `json:"actor_name"`
				ClientIP  string `json:"client_ip"`
			}
		}
		aud.Do("GET", "/api/v1/audit/events?action=user.set_roles", nil).Want(t, 200, "").JSON(t, &ev)
		if ev.Items[0].ActorName != "sysadmin" || ev.Items[0].ClientIP != "127.0.0.1" || ev.Items[0].Before == "" || ev.Items[0].After == "" {
			t.Fatalf("set_roles audit row lacks actor, IP or before/after: %+v", ev.Items[0])
		}
		var v struct {
			OK      bool
			Checked int
		}
		aud.Do("GET", "/api/v1/audit/verify", nil).Want(t, 200, "").JSON(t, &v)
		if !v.OK || v.Checked < 20 {
			t.Fatalf("verify: %+v", v)
		}
	})
}

func keysOf(m map[string]node) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
