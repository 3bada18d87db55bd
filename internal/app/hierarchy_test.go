package app_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/xietong/xietong/internal/testutil"
)

// TestManagementHierarchy: the system admin makes a city admin role below
// its own, limited to the city's subtree; the city admin manages only there
// and can never pass on more than it was given.
func TestManagementHierarchy(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		s := newTestServer(t, d)
		sys := s.Admin(t, "sysadmin")
		var roots []node
		sys.Do("GET", "/api/v1/orgs/tree", nil).Want(t, 200, "").JSON(t, &roots)
		root := roots[0].ID
		city := id(t, sys.Do("POST", "/api/v1/orgs", map[string]any{"parent_id": root, "code": "gy", "name": "贵阳市人社局", "kind": "city", "region_code": "520100"}).Want(t, 201, ""))
		county := id(t, sys.Do("POST", "/api/v1/orgs", map[string]any{"parent_id": city, "code": "gy-ny", "name": "南明区", "kind": "county"}).Want(t, 201, ""))
		other := id(t, sys.Do("POST", "/api/v1/orgs", map[string]any{"parent_id": root, "code": "zy", "name": "遵义市人社局", "kind": "city"}).Want(t, 201, ""))

		var all []node
		sys.Do("GET", "/api/v1/menus/tree", nil).Want(t, 200, "").JSON(t, &all)
		m := flatten(all)
		var mtree []node
		sys.Do("GET", "/api/v1/management-roles/tree", nil).Want(t, 200, "").JSON(t, &mtree)
		sysRole := mtree[0].ID

		role := map[string]any{"parent_id": sysRole, "code": "city-admin", "name": "市级管理员",
			"use_menu_ids":    []int64{m["system"].ID, m["system.users"].ID, m["system.users.write"].ID, m["system.users.roles"].ID, m["system.orgs"].ID},
			"assign_menu_ids": []int64{m["system.orgs"].ID},
			"org_ids":         []int64{city}}
		bad := map[string]any{}
		for k, v := range role {
			bad[k] = v
		}
		bad["use_menu_ids"] = []int64{m["security.policy"].ID}
		sys.Do("POST", "/api/v1/management-roles", bad).Want(t, 403, "exceeds_own_privilege")
		cityRole := id(t, sys.Do("POST", "/api/v1/management-roles", role).Want(t, 201, ""))

		cadm := id(t, sys.Do("POST", "/api/v1/users", map[string]any{"username": "gyadmin", "display_name": "贵阳管理员", "org_id": city, "password": "Initial#2026pw"}).Want(t, 201, ""))
		sys.Do("PUT", fmt.Sprintf("/api/v1/users/%d/roles", cadm), map[string]any{"management_role_ids": []int64{cityRole}}).Want(t, 200, "")
		sys.Do("POST", "/api/v1/users", map[string]any{"username": "zyuser", "display_name": "遵义用户", "org_id": other, "password": "Initial#2026pw"}).Want(t, 201, "")

		c := s.Client(t)
		c.LoginChanging("gyadmin", "Initial#2026pw", "Guiyang#Admin-2026")
		c.Do("POST", "/api/v1/users", map[string]any{"username": "nmuser", "display_name": "南明经办", "org_id": county, "password": "Initial#2026pw"}).Want(t, 201, "")
		c.Do("POST", "/api/v1/users", map[string]any{"username": "outside", "display_name": "越界", "org_id": other, "password": "Initial#2026pw"}).Want(t, 403, "exceeds_own_privilege")
		var list struct {
			Total int
			Items []struct{ Username string }
		}
		c.Do("GET", "/api/v1/users?page_size=200", nil).Want(t, 200, "").JSON(t, &list)
		for _, u := range list.Items {
			if u.Username == "zyuser" || u.Username == "sysadmin" {
				t.Fatalf("city admin sees %s outside its subtree", u.Username)
			}
		}
		if list.Total != 2 { // gyadmin and nmuser
			t.Fatalf("city admin sees %d users, want 2", list.Total)
		}
		// No business-role page, and cannot edit its own or its superior's account.
		c.Do("GET", "/api/v1/business-roles", nil).Want(t, 403, "forbidden")
		c.Do("PUT", fmt.Sprintf("/api/v1/users/%d", cadm), map[string]any{"display_name": "x", "org_id": city, "status": "active"}).Want(t, 403, "exceeds_own_privilege")
		// The city admin holds no lower management role, so it can assign none.
		var users struct {
			Items []struct {
				ID       int64
				Username string
			}
		}
		c.Do("GET", "/api/v1/users?q=nmuser", nil).Want(t, 200, "").JSON(t, &users)
		c.Do("PUT", fmt.Sprintf("/api/v1/users/%d/roles", users.Items[0].ID), map[string]any{"management_role_ids": []int64{cityRole}}).Want(t, 403, "exceeds_own_privilege")

		// A role in use cannot be deleted.
		sys.Do("DELETE", fmt.Sprintf("/api/v1/management-roles/%d", cityRole), nil).Want(t, 409, "in_use")
		sys.Do("DELETE", fmt.Sprintf("/api/v1/management-roles/%d", sysRole), nil).Want(t, 409, "builtin")
	})
}

// TestSeparationOfDuties: even a manager whose scope spans two of the three
// admin trees cannot give one account roles from both.
func TestSeparationOfDuties(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		s := newTestServer(t, d)
		sys := s.Admin(t, "sysadmin")
		var roots []node
		sys.Do("GET", "/api/v1/orgs/tree", nil).Want(t, 200, "").JSON(t, &roots)
		root := roots[0].ID
		over := id(t, sys.Do("POST", "/api/v1/users", map[string]any{"username": "overseer", "display_name": "总管", "org_id": root, "password": "Initial#2026pw"}).Want(t, 201, ""))
		target := id(t, sys.Do("POST", "/api/v1/users", map[string]any{"username": "target", "display_name": "目标", "org_id": root, "password": "Initial#2026pw"}).Want(t, 201, ""))

		// Set up by hand what the API never allows: a role above two admin trees.
		ctx := context.Background()
		db := s.App.DB
		var topID int64
		if err := db.QueryRow(ctx, "INSERT INTO management_roles (code, name, created_at, updated_at) VALUES ('overseer', '总管', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP) RETURNING id").Scan(&topID); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			"UPDATE management_roles SET parent_id = ? WHERE code IN ('system-admin', 'audit-admin')",
			"INSERT INTO mrole_use_menus (role_id, menu_id) SELECT ?, id FROM menus WHERE code IN ('system', 'system.users', 'system.users.roles')",
			"INSERT INTO mrole_orgs (role_id, org_id) SELECT ?, id FROM orgs WHERE parent_id IS NULL",
		} {
			if _, err := db.Exec(ctx, q, topID); err != nil {
				t.Fatal(q, err)
			}
		}
		if _, err := db.Exec(ctx, "INSERT INTO user_management_roles (user_id, role_id) VALUES (?, ?)", over, topID); err != nil {
			t.Fatal(err)
		}
		var sysRole, auditRole int64
		db.QueryRow(ctx, "SELECT id FROM management_roles WHERE code = 'system-admin'").Scan(&sysRole)
		db.QueryRow(ctx, "SELECT id FROM management_roles WHERE code = 'audit-admin'").Scan(&auditRole)

		c := s.Client(t)
		c.LoginChanging("overseer", "Initial#2026pw", "Supervise#Pass-2026")
		path := fmt.Sprintf("/api/v1/users/%d/roles", target)
		c.Do("PUT", path, map[string]any{"management_role_ids": []int64{sysRole, auditRole}}).Want(t, 409, "separation_of_duties")
		c.Do("PUT", path, map[string]any{"management_role_ids": []int64{sysRole}}).Want(t, 200, "")
		c.Do("PUT", path, map[string]any{"management_role_ids": []int64{sysRole, auditRole}}).Want(t, 409, "separation_of_duties")
		c.Do("PUT", path, map[string]any{"management_role_ids": []int64{auditRole}}).Want(t, 200, "")
	})
}
