package app_test

import (
	"fmt"
	"testing"

	"github.com/xietong/xietong/internal/testutil"
)

// TestPortalIntegration (统一门户): an integrated system with menu-level
// integration, a menu bound to it, a URL resource bound to the menu; a user
// whose business role grants the menu sees it with the system's URL, and no
// longer once the system is disabled. Built-in menus and resources are protected.
func TestPortalIntegration(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		s := newTestServer(t, d)
		sys := s.Admin(t, "sysadmin")
		var roots []node
		sys.Do("GET", "/api/v1/orgs/tree", nil).Want(t, 200, "").JSON(t, &roots)

		sb := map[string]any{"code": "sbjb", "name": "社保经办系统", "integration_mode": "menu", "base_url": "https://sb.example.gov.cn", "enabled": true}
		sys.Do("POST", "/api/v1/systems", map[string]any{"code": "bad", "name": "x", "integration_mode": "iframe", "base_url": "ftp://x"}).Want(t, 422, "validation_failed")
		sysID := id(t, sys.Do("POST", "/api/v1/systems", sb).Want(t, 201, ""))
		dir := id(t, sys.Do("POST", "/api/v1/menus", map[string]any{"type": "dir", "code": "biz", "name_zh": "业务经办", "name_en": "Business"}).Want(t, 201, ""))
		menu := id(t, sys.Do("POST", "/api/v1/menus", map[string]any{"parent_id": dir, "system_id": sysID, "type": "menu", "code": "biz.enrol", "name_zh": "参保登记", "external_url": "/enrol"}).Want(t, 201, ""))
		sys.Do("POST", "/api/v1/menus", map[string]any{"parent_id": menu, "type": "button", "code": "biz.enrol.x", "name_zh": "按钮"}).Want(t, 201, "")
		sys.Do("DELETE", fmt.Sprintf("/api/v1/systems/%d", sysID), nil).Want(t, 409, "in_use")

		res := id(t, sys.Do("POST", "/api/v1/url-resources", map[string]any{"code": "sb.enrol.post", "name": "参保登记提交", "method": "POST", "pattern": "/sb/enrol"}).Want(t, 201, ""))
		sys.Do("PUT", fmt.Sprintf("/api/v1/menus/%d/resources", menu), map[string]any{"resource_ids": []int64{res}}).Want(t, 200, "")
		sys.Do("PUT", fmt.Sprintf("/api/v1/menus/%d/resources", menu), map[string]any{"resource_ids": []int64{999999}}).Want(t, 422, "validation_failed")

		// A menu the admin created is theirs to assign.
		var assignable []node
		sys.Do("GET", "/api/v1/menus/assignable", nil).Want(t, 200, "").JSON(t, &assignable)
		if _, ok := flatten(assignable)["biz.enrol"]; !ok {
			t.Fatal("a new menu is not assignable by its creator")
		}
		role := id(t, sys.Do("POST", "/api/v1/business-roles", map[string]any{"code": "jb", "name": "经办", "menu_ids": []int64{dir, menu}}).Want(t, 201, ""))
		uid := id(t, sys.Do("POST", "/api/v1/users", map[string]any{"username": "jingban", "display_name": "经办员", "org_id": roots[0].ID, "password": "Initial#2026pw"}).Want(t, 201, ""))
		sys.Do("PUT", fmt.Sprintf("/api/v1/users/%d/roles", uid), map[string]any{"business_role_ids": []int64{role}}).Want(t, 200, "")

		u := s.Client(t)
		u.LoginChanging("jingban", "Initial#2026pw", "Portal#User-2026")
		type navNode struct {
			Code        string    `json:"code"`
			ExternalURL string    `json:"external_url"`
			Children    []navNode `json:"children"`
		}
		var nav []navNode
		u.Do("GET", "/api/v1/me/menus", nil).Want(t, 200, "").JSON(t, &nav)
		var enrol *navNode
		for i := range nav {
			if nav[i].Code == "biz" && len(nav[i].Children) == 1 {
				enrol = &nav[i].Children[0]
			}
		}
		if enrol == nil || enrol.ExternalURL != "https://sb.example.gov.cn/enrol" || len(enrol.Children) != 0 {
			t.Fatalf("navigation %+v lacks the integrated menu with its resolved URL (buttons excluded)", nav)
		}
		var me struct{ Permissions []string }
		u.Do("GET", "/api/v1/me", nil).Want(t, 200, "").JSON(t, &me)
		if fmt.Sprint(me.Permissions) != "[POST /sb/enrol]" {
			t.Fatalf("permissions %v, want the bound URL resource only", me.Permissions)
		}

		sb["enabled"] = false
		sys.Do("PUT", fmt.Sprintf("/api/v1/systems/%d", sysID), sb).Want(t, 200, "")
		nav = nil
		u.Do("GET", "/api/v1/me/menus", nil).Want(t, 200, "").JSON(t, &nav)
		for _, n := range nav {
			if n.Code == "biz" {
				t.Fatalf("a disabled system's menu is still shown: %+v", n)
			}
		}

		// Built-in objects keep their key attributes.
		var all []node
		sys.Do("GET", "/api/v1/menus/tree", nil).Want(t, 200, "").JSON(t, &all)
		users := flatten(all)["system.users"]
		sys.Do("DELETE", fmt.Sprintf("/api/v1/menus/%d", users.ID), nil).Want(t, 409, "builtin")
		sys.Do("PUT", fmt.Sprintf("/api/v1/menus/%d", users.ID), map[string]any{"parent_id": flatten(all)["system"].ID, "type": "menu", "code": "renamed", "name_zh": "用户", "path": "/system/users"}).Want(t, 409, "builtin")
		sys.Do("PUT", fmt.Sprintf("/api/v1/menus/%d", users.ID), map[string]any{"parent_id": flatten(all)["system"].ID, "type": "menu", "code": "system.users", "name_zh": "人员管理", "name_en": "People", "path": "/system/users", "sort": 5}).Want(t, 200, "")
		var list struct {
			Items []struct {
				ID      int64  `json:"id"`
				Builtin bool   `json:"builtin"`
				Pattern string `json:"pattern"`
			} `json:"items"`
		}
		sys.Do("GET", "/api/v1/url-resources?q=/api/v1/users&page_size=200", nil).Want(t, 200, "").JSON(t, &list)
		if len(list.Items) == 0 || !list.Items[0].Builtin {
			t.Fatalf("built-in resources not listed: %+v", list)
		}
		sys.Do("DELETE", fmt.Sprintf("/api/v1/url-resources/%d", list.Items[0].ID), nil).Want(t, 409, "builtin")
	})
}
