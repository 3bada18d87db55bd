package app_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/config"
	"github.com/xietong/xietong/internal/testutil"
)

// sharingWorld is a bureau with departments, their people and roles, a
// published catalog entry with a mounted gateway API, and a consumer.
type sharingWorld struct {
	f                                 *gwFixture
	sys                               *testutil.Client
	orgs                              map[string]int64
	users                             map[string]*testutil.Client
	entryID, resourceID, apiID        int64
	applicant, dept, centre, owner    *testutil.Client
	outsider, cataloguer, catReviewer *testutil.Client
}

func newSharingWorld(t *testing.T, d testutil.Dialect) *sharingWorld {
	t.Helper()
	f := newGatewayWith(t, d, func(c *config.Config) { c.CentreOrg = "xxzx" })
	w := &sharingWorld{f: f, sys: f.sys, orgs: map[string]int64{}, users: map[string]*testutil.Client{}}
	var roots, menus []node
	w.sys.Do("GET", "/api/v1/orgs/tree", nil).Want(t, 200, "").JSON(t, &roots)
	for _, o := range []struct{ code, name string }{{"ybj", "医疗保障局"}, {"xxzx", "信息中心"}, {"ylc", "养老保险处"}, {"czj", "财政局"}} {
		w.orgs[o.code] = id(t, w.sys.Do("POST", "/api/v1/orgs", map[string]any{"parent_id": roots[0].ID, "code": o.code, "name": o.name, "kind": "department"}).Want(t, 201, ""))
	}
	w.sys.Do("GET", "/api/v1/menus/assignable", nil).Want(t, 200, "").JSON(t, &menus)
	m := flatten(menus)
	role := func(code string, menuCodes ...string) int64 {
		var ids []int64
		for _, c := range menuCodes {
			if m[c].ID == 0 {
				t.Fatalf("menu %s not assignable", c)
			}
			ids = append(ids, m[c].ID)
		}
		return id(t, w.sys.Do("POST", "/api/v1/business-roles", map[string]any{"code": code, "name": code, "menu_ids": ids}).Want(t, 201, ""))
	}
	user := role("dept-user", "catalog", "catalog.portal", "sharing", "sharing.mine")
	approver := role("approver", "catalog", "catalog.portal", "sharing", "sharing.mine", "sharing.todo")
	cataloguer := role("cataloguer", "catalog", "catalog.entries", "catalog.entries.write")
	catReviewer := role("cat-reviewer", "catalog", "catalog.entries", "catalog.entries.review")
	member := func(username, org string, roleID int64) *testutil.Client {
		uid := id(t, w.sys.Do("POST", "/api/v1/users", map[string]any{"username": username, "display_name": "用户" + username, "org_id": w.orgs[org], "password": "Initial#2026pw"}).Want(t, 201, ""))
		w.sys.Do("PUT", fmt.Sprintf("/api/v1/users/%d/roles", uid), map[string]any{"business_role_ids": []int64{roleID}}).Want(t, 200, "")
		c := f.s.Client(t)
		c.LoginChanging(username, "Initial#2026pw", "Sharing#Pass-2026")
		w.users[username] = c
		return c
	}
	w.applicant = member("shenqing", "ybj", user)
	w.dept = member("bumen", "ybj", approver)
	w.centre = member("zhongxin", "xxzx", approver)
	w.owner = member("shuyuan", "ylc", approver)
	w.outsider = member("caizheng", "czj", approver)
	w.cataloguer = member("bianmu", "ylc", cataloguer)
	w.catReviewer = member("mushen", "xxzx", catReviewer)

	// The owning department catalogues the entry; another person approves it
	// and the mounted API.
	w.apiID, _ = f.api(t, "person", "/gw/person", person(t, nil).URL, nil)
	entry := map[string]any{"code": "yl-person", "name": "养老保险参保人员信息", "description": "按公民身份号码查询参保人员基本信息", "keywords": "养老 参保 人员",
		"org_id": w.orgs["ylc"], "share_attr": "conditional", "open_attr": "closed", "update_frequency": "daily",
		"fields": []map[string]any{
			{"name": "name", "label": "姓名", "category": "name", "path": "data.items[].name"},
			{"name": "phone", "label": "联系电话", "category": "phone", "path": "data.items[].phone"},
			{"name": "aac002", "label": "公民身份号码", "category": "id_number", "path": "data.items[].aac002"},
			{"name": "salary", "label": "缴费工资", "path": "data.items[].salary"},
		}}
	w.entryID = id(t, w.cataloguer.Do("POST", "/api/v1/catalog/entries", entry).Want(t, 201, ""))
	w.cataloguer.Do("POST", fmt.Sprintf("/api/v1/catalog/entries/%d/submit", w.entryID), map[string]any{}).Want(t, 200, "")
	w.catReviewer.Do("POST", fmt.Sprintf("/api/v1/catalog/entries/%d/review", w.entryID), map[string]any{"decision": "approve"}).Want(t, 200, "")
	w.resourceID = id(t, w.cataloguer.Do("POST", fmt.Sprintf("/api/v1/catalog/entries/%d/resources", w.entryID), map[string]any{"kind": "gateway_api", "api_id": w.apiID, "name": "参保人员查询接口"}).Want(t, 201, ""))
	w.cataloguer.Do("POST", fmt.Sprintf("/api/v1/catalog/resources/%d/review", w.resourceID), map[string]any{"decision": "approve"}).Want(t, 403, "forbidden")
	// Someone holding both buttons still cannot approve their own submission.
	self := id(t, w.sys.Do("POST", "/api/v1/catalog/entries", map[string]any{"code": "self", "name": "自审", "org_id": w.orgs["ylc"], "share_attr": "conditional", "open_attr": "closed",
		"fields": []map[string]any{{"name": "x", "label": "x"}}}).Want(t, 201, ""))
	w.sys.Do("POST", fmt.Sprintf("/api/v1/catalog/entries/%d/submit", self), map[string]any{}).Want(t, 200, "")
	w.sys.Do("POST", fmt.Sprintf("/api/v1/catalog/entries/%d/review", self), map[string]any{"decision": "approve"}).Want(t, 403, "catalog_self_approval")
	w.catReviewer.Do("POST", fmt.Sprintf("/api/v1/catalog/resources/%d/review", w.resourceID), map[string]any{"decision": "approve"}).Want(t, 200, "")
	return w
}

type shareRequest struct {
	ID     int64  `json:"id"`
	Status string `json:"status"`
	Level  int    `json:"level"`
	Chain  []struct {
		Kind  string `json:"kind"`
		OrgID int64  `json:"org_id"`
	} `json:"chain"`
	Events []struct {
		Action    string    `json:"action"`
		Level     int       `json:"level"`
		ActorName string    `json:"actor_name"`
		At        time.Time `json:"at"`
	} `json:"events"`
	ValidTo *time.Time `json:"valid_to"`
}

// TestSharingWorkflow: a department user finds the resource by a Chinese
// keyword and applies for two fields for 30 days; the three levels approve
// in turn (and nobody else can); the consumer then gets exactly those two
// fields through the gateway; revocation ends it. Self-approval, approval
// out of order, by someone outside the chain, by the same person twice, and
// a request for negative-listed data are refused.
func TestSharingWorkflow(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		w := newSharingWorld(t, d)

		var found struct {
			Total int `json:"total"`
			Items []struct {
				ID        int64 `json:"id"`
				Resources []struct {
					ID int64 `json:"id"`
				} `json:"resources"`
			} `json:"items"`
		}
		w.applicant.Do("GET", "/api/v1/portal/entries?q="+url.QueryEscape("参保人员"), nil).Want(t, 200, "").JSON(t, &found)
		if found.Total != 1 || found.Items[0].ID != w.entryID || len(found.Items[0].Resources) != 1 {
			t.Fatalf("search by a Chinese keyword: %+v", found)
		}
		w.applicant.Do("GET", "/api/v1/portal/entries?q="+url.QueryEscape("工伤"), nil).Want(t, 200, "").JSON(t, &found)
		if found.Total != 0 {
			t.Fatalf("an unrelated keyword found %d", found.Total)
		}
		w.applicant.Do("GET", "/api/v1/catalog/entries", nil).Want(t, 403, "forbidden")

		apply := map[string]any{"resource_id": w.resourceID, "consumer_id": w.f.consumer, "fields": []string{"name", "salary"},
			"purpose": "核验贷款申请人参保缴费情况", "legal_basis": "《社会保险法》第七十四条", "period_days": 30, "expected_daily": 1000}
		var r shareRequest
		w.applicant.Do("POST", "/api/v1/sharing/requests", apply).Want(t, 201, "").JSON(t, &r)
		if r.Status != "pending" || len(r.Chain) != 3 || r.Chain[0].OrgID != w.orgs["ybj"] || r.Chain[1].OrgID != w.orgs["xxzx"] || r.Chain[2].OrgID != w.orgs["ylc"] {
			t.Fatalf("request %+v", r)
		}
		path := fmt.Sprintf("/api/v1/sharing/requests/%d/decide", r.ID)
		approve := func(level int) map[string]any {
			return map[string]any{"level": level, "decision": "approve", "comment": "同意"}
		}

		w.applicant.Do("POST", path, approve(0)).Want(t, 403, "forbidden") // no to-do permission at all
		w.owner.Do("POST", path, approve(0)).Want(t, 403, "sharing_out_of_order")
		w.centre.Do("POST", path, approve(0)).Want(t, 403, "sharing_out_of_order")
		w.outsider.Do("POST", path, approve(0)).Want(t, 403, "sharing_not_in_chain")
		w.outsider.Do("GET", fmt.Sprintf("/api/v1/sharing/requests/%d", r.ID), nil).Want(t, 403, "forbidden")

		var todo struct {
			Total int `json:"total"`
		}
		w.dept.Do("GET", "/api/v1/sharing/todo", nil).Want(t, 200, "").JSON(t, &todo)
		if todo.Total != 1 {
			t.Fatalf("the department's to-do list has %d", todo.Total)
		}
		w.dept.Do("POST", path, approve(0)).Want(t, 200, "")
		w.dept.Do("POST", path, approve(1)).Want(t, 403, "sharing_not_in_chain")
		w.centre.Do("POST", path, approve(0)).Want(t, 409, "sharing_stale_level")
		var notes struct {
			Unread int `json:"unread"`
		}
		w.centre.Do("GET", "/api/v1/me/notifications", nil).Want(t, 200, "").JSON(t, &notes)
		if notes.Unread != 1 {
			t.Fatalf("the centre was not notified: %+v", notes)
		}
		w.centre.Do("POST", path, approve(1)).Want(t, 200, "")

		// Not granted until the last level approves.
		wantCode(t, call(t, w.f.client(), "/gw/person", url.Values{"id": {"1"}}), 403, "gw_not_granted")
		w.owner.Do("POST", path, approve(2)).Want(t, 200, "").JSON(t, &r)
		if r.Status != "approved" || r.ValidTo == nil || r.ValidTo.Sub(time.Now()) < 29*24*time.Hour || r.ValidTo.Sub(time.Now()) > 31*24*time.Hour {
			t.Fatalf("after the last approval: %+v", r)
		}
		reload(t, w.f)
		res := call(t, w.f.client(), "/gw/person", url.Values{"id": {"1"}})
		var body struct {
			Data struct {
				Items []map[string]any `json:"items"`
			} `json:"data"`
		}
		if err := json.Unmarshal(res.Body, &body); err != nil || res.Status != 200 {
			t.Fatalf("call: %d %s", res.Status, res.Body)
		}
		if len(body.Data.Items) != 1 || len(body.Data.Items[0]) != 2 || body.Data.Items[0]["name"] != "张*" || body.Data.Items[0]["salary"] != 9000.0 {
			t.Fatalf("the consumer must get exactly the two approved fields: %s", res.Body)
		}

		// The timeline: every step, who and when.
		w.applicant.Do("GET", fmt.Sprintf("/api/v1/sharing/requests/%d", r.ID), nil).Want(t, 200, "").JSON(t, &r)
		want := []struct {
			action, actor string
		}{{"submit", "用户shenqing"}, {"approve", "用户bumen"}, {"approve", "用户zhongxin"}, {"approve", "用户shuyuan"}, {"grant", "用户shuyuan"}}
		if len(r.Events) != len(want) {
			t.Fatalf("timeline %+v", r.Events)
		}
		for i, e := range want {
			if r.Events[i].Action != e.action || r.Events[i].ActorName != e.actor || r.Events[i].At.IsZero() {
				t.Fatalf("timeline step %d: %+v, want %+v", i, r.Events[i], e)
			}
		}

		// Negative list: the 公民身份号码 field must not be shared.
		w.sys.Do("POST", "/api/v1/catalog/negative-list", map[string]any{"entry_id": w.entryID, "field": "aac002", "reason": "身份证件号码不对外共享"}).Want(t, 201, "")
		apply["fields"] = []string{"name", "aac002"}
		w.applicant.Do("POST", "/api/v1/sharing/requests", apply).Want(t, 409, "sharing_negative_listed")

		// Revocation removes the grant: the call is refused.
		w.sys.Do("POST", fmt.Sprintf("/api/v1/sharing/requests/%d/revoke", r.ID), map[string]any{"comment": "业务终止"}).Want(t, 200, "")
		reload(t, w.f)
		wantCode(t, call(t, w.f.client(), "/gw/person", url.Values{"id": {"1"}}), 403, "gw_not_granted")

		// Self-approval: an approver applying cannot approve their own request.
		apply["fields"] = []string{"salary"}
		var own shareRequest
		w.dept.Do("POST", "/api/v1/sharing/requests", apply).Want(t, 201, "").JSON(t, &own)
		w.dept.Do("POST", fmt.Sprintf("/api/v1/sharing/requests/%d/decide", own.ID), approve(0)).Want(t, 403, "sharing_self_approval")

		// Return and resubmit; a rejection needs a reason.
		var ret shareRequest
		w.applicant.Do("POST", "/api/v1/sharing/requests", apply).Want(t, 201, "").JSON(t, &ret)
		rp := fmt.Sprintf("/api/v1/sharing/requests/%d/decide", ret.ID)
		w.dept.Do("POST", rp, map[string]any{"level": 0, "decision": "reject"}).Want(t, 422, "validation_failed")
		w.dept.Do("POST", rp, map[string]any{"level": 0, "decision": "return", "comment": "请补充法律依据"}).Want(t, 200, "")
		apply["legal_basis"] = "《社会保险法》第七十四条；《个人信息保护法》第十三条"
		w.applicant.Do("POST", fmt.Sprintf("/api/v1/sharing/requests/%d/resubmit", ret.ID), apply).Want(t, 200, "").JSON(t, &ret)
		if ret.Status != "pending" || ret.Level != 0 {
			t.Fatalf("after resubmission: %+v", ret)
		}

		// One person cannot decide two levels (a chain whose levels are the same department).
		twice := map[string]any{"code": "twice", "name": "同部门两级审批", "org_id": w.orgs["ylc"], "share_attr": "conditional", "open_attr": "closed",
			"fields": []map[string]any{{"name": "salary", "label": "缴费工资", "path": "data.items[].salary"}},
			"chain":  []map[string]any{{"kind": "org", "org_id": w.orgs["ylc"], "name": "一级"}, {"kind": "org", "org_id": w.orgs["ylc"], "name": "二级"}}}
		eid := id(t, w.cataloguer.Do("POST", "/api/v1/catalog/entries", twice).Want(t, 201, ""))
		w.cataloguer.Do("POST", fmt.Sprintf("/api/v1/catalog/entries/%d/submit", eid), map[string]any{}).Want(t, 200, "")
		w.catReviewer.Do("POST", fmt.Sprintf("/api/v1/catalog/entries/%d/review", eid), map[string]any{"decision": "approve"}).Want(t, 200, "")
		rid := id(t, w.cataloguer.Do("POST", fmt.Sprintf("/api/v1/catalog/entries/%d/resources", eid), map[string]any{"kind": "gateway_api", "api_id": w.apiID, "name": "接口"}).Want(t, 201, ""))
		w.catReviewer.Do("POST", fmt.Sprintf("/api/v1/catalog/resources/%d/review", rid), map[string]any{"decision": "approve"}).Want(t, 200, "")
		apply["resource_id"] = rid
		var tw shareRequest
		w.applicant.Do("POST", "/api/v1/sharing/requests", apply).Want(t, 201, "").JSON(t, &tw)
		tp := fmt.Sprintf("/api/v1/sharing/requests/%d/decide", tw.ID)
		w.owner.Do("POST", tp, approve(0)).Want(t, 200, "")
		w.owner.Do("POST", tp, approve(1)).Want(t, 403, "sharing_same_approver")
	})
}
