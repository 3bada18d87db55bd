package app_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/xietong/xietong/internal/testutil"
	"github.com/xietong/xietong/internal/testutil/bizdb"
)

// reviewer makes a second system-side user holding the data-API pages and
// the review button through a business role, logged in.
func reviewer(t *testing.T, s *testServer, sys *testutil.Client, username string) *testutil.Client {
	t.Helper()
	var roots, menus []node
	sys.Do("GET", "/api/v1/orgs/tree", nil).Want(t, 200, "").JSON(t, &roots)
	sys.Do("GET", "/api/v1/menus/assignable", nil).Want(t, 200, "").JSON(t, &menus)
	m := flatten(menus)
	ids := []int64{m["data"].ID, m["data.apis"].ID, m["data.apis.review"].ID}
	for _, x := range ids {
		if x == 0 {
			t.Fatalf("data menus are not assignable by the system admin: %v", ids)
		}
	}
	role := id(t, sys.Do("POST", "/api/v1/business-roles", map[string]any{"code": "dapi-" + username, "name": "数据API审核 " + username, "menu_ids": ids}).Want(t, 201, ""))
	uid := id(t, sys.Do("POST", "/api/v1/users", map[string]any{"username": username, "display_name": "审核人", "org_id": roots[0].ID, "password": "Initial#2026pw"}).Want(t, 201, ""))
	sys.Do("PUT", fmt.Sprintf("/api/v1/users/%d/roles", uid), map[string]any{"business_role_ids": []int64{role}}).Want(t, 200, "")
	c := s.Client(t)
	c.LoginChanging(username, "Initial#2026pw", "Review#Pass-2026")
	return c
}

func personAPI(code, table string) map[string]any {
	return map[string]any{"code": code, "name": "按公民身份号码查询参保人", "method": "GET", "path": "/data/" + code,
		"draft": map[string]any{
			"sql": "SELECT aac001, aac002, aac003, aae005, aab301, salary FROM " + table + " WHERE aac002 = ${sfzh} [[ AND aab301 = ${region} ]]",
			"params": []map[string]any{
				{"name": "sfzh", "type": "id_card", "required": true, "description": "公民身份号码"},
				{"name": "region", "type": "string", "pattern": "[0-9]{6}"},
			},
			"fields": []map[string]any{
				{"name": "aac001", "type": "integer", "description": "个人编号"},
				{"name": "aac002", "type": "string", "description": "公民身份号码", "category": "id_number"},
				{"name": "aac003", "type": "string", "description": "姓名", "category": "name"},
				{"name": "aae005", "type": "string", "description": "联系电话", "category": "phone"},
				{"name": "aab301", "type": "string", "description": "参保地"},
			},
			"timeout_ms": 3000, "max_rows": 10}}
}

// TestDataAPIWorkflow is the data-API story over the real PostgreSQL and
// MariaDB: a source is registered and tested, a template is written,
// tried, refused when unsafe, submitted, refused to its own author's
// review, approved by another reviewer, published on the gateway, granted
// field by field, and called with the Go SDK: only the granted fields come
// back, the sensitive ones masked; injection attempts never reach the SQL.
func TestDataAPIWorkflow(t *testing.T) {
	backends := map[string]func(testing.TB, int) *bizdb.DB{"postgres": bizdb.Postgres, "mariadb": bizdb.MariaDB}
	for _, kind := range []string{"postgres", "mariadb"} {
		t.Run(kind, func(t *testing.T) {
			biz := backends[kind](t, 50)
			testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
				f := newGateway(t, d)
				sys := f.sys

				// The source: registered, secret never returned, tested.
				src := sys.Do("POST", "/api/v1/datasources", biz.SourceInput("biz")).Want(t, 201, "").Map(t)
				if _, leaked := src["password"]; leaked {
					t.Fatal("the source's password came back")
				}
				srcID := int64(src["id"].(float64))
				var probe struct {
					OK    bool `json:"ok"`
					Steps []struct {
						Step, Code string
						OK         bool
					} `json:"steps"`
				}
				sys.Do("POST", fmt.Sprintf("/api/v1/datasources/%d/test", srcID), nil).Want(t, 200, "").JSON(t, &probe)
				if !probe.OK {
					t.Fatalf("connectivity test failed: %+v", probe.Steps)
				}

				// Unsafe templates are refused when saved.
				for sql, want := range map[string]string{
					"DELETE FROM " + biz.Table:                                      "sql_not_a_query",
					"SELECT 1 FROM " + biz.Table + "; DROP TABLE " + biz.Table:      "sql_multiple_statements",
					"SELECT aac001 FROM " + biz.Table + " WHERE aac002 = '${sfzh}'": "",
					"SELECT sleep(10) FROM " + biz.Table:                            "sql_forbidden_function",
					"SELECT * FROM " + biz.Table + " FOR UPDATE":                    "sql_forbidden_keyword",
				} {
					in := personAPI("bad", biz.Table)
					in["source_id"] = srcID
					in["draft"].(map[string]any)["sql"] = sql
					in["draft"].(map[string]any)["params"] = []map[string]any{}
					r := sys.Do("POST", "/api/v1/data-apis", in)
					if r.Status != 422 || (want != "" && r.Code() != want) {
						t.Fatalf("%q: %d %s, want 422 %s", sql, r.Status, r.Code(), want)
					}
				}

				in := personAPI("person", biz.Table)
				in["source_id"] = srcID
				apiID := id(t, sys.Do("POST", "/api/v1/data-apis", in).Want(t, 201, ""))
				p := biz.Persons[7]

				// Try it: rows with sample values; bad values are refused per parameter.
				var tr struct {
					Columns []string         `json:"columns"`
					Rows    []map[string]any `json:"rows"`
					SQL     string           `json:"sql"`
				}
				try := map[string]any{"source_id": srcID, "draft": in["draft"], "values": map[string]string{"sfzh": p.AAC002}}
				sys.Do("POST", "/api/v1/data-apis/try", try).Want(t, 200, "").JSON(t, &tr)
				if len(tr.Rows) != 1 || tr.Rows[0]["aac003"] != p.AAC003 || strings.Contains(tr.SQL, p.AAC002) {
					t.Fatalf("try: %+v", tr)
				}
				for _, v := range []string{p.AAC002[:17] + "0", p.AAC002 + "' OR '1'='1", "1 OR 1=1"} {
					if p.AAC002[17] == '0' && v == p.AAC002[:17]+"0" {
						continue
					}
					try["values"] = map[string]string{"sfzh": v}
					r := sys.Do("POST", "/api/v1/data-apis/try", try).Want(t, 400, "dataapi_bad_params")
					var pr struct {
						Errors []struct{ Field, Code string } `json:"errors"`
					}
					r.JSON(t, &pr)
					if len(pr.Errors) != 1 || pr.Errors[0].Field != "sfzh" || pr.Errors[0].Code != "param_id_card" {
						t.Fatalf("%q: %+v", v, pr.Errors)
					}
				}
				// The database's own message reaches the author, not gateway callers.
				broken := personAPI("broken", biz.Table)
				broken["draft"].(map[string]any)["sql"] = "SELECT no_such_column FROM " + biz.Table + " WHERE aac002 = ${sfzh}"
				broken["draft"].(map[string]any)["params"] = []map[string]any{{"name": "sfzh", "type": "id_card", "required": true}}
				r := sys.Do("POST", "/api/v1/data-apis/try", map[string]any{"source_id": srcID, "draft": broken["draft"], "values": map[string]string{"sfzh": p.AAC002}}).Want(t, 422, "dataapi_query_failed")
				if !strings.Contains(strings.ToLower(r.Map(t)["db_message"].(string)), "no_such_column") {
					t.Fatalf("the author does not see the database's message: %s", r.Body)
				}

				// Submit; the author cannot approve; another reviewer does.
				sys.Do("POST", fmt.Sprintf("/api/v1/data-apis/%d/submit", apiID), map[string]any{"comment": "银行核验用"}).Want(t, 200, "")
				sys.Do("POST", fmt.Sprintf("/api/v1/data-apis/%d/submit", apiID), map[string]any{}).Want(t, 409, "dataapi_pending_exists")
				sys.Do("POST", fmt.Sprintf("/api/v1/data-apis/%d/review", apiID), map[string]any{"version": 1, "decision": "approve"}).Want(t, 403, "dataapi_self_review")
				rev := reviewer(t, f.s, sys, "shenhe")
				var queue struct {
					Items []struct {
						APICode string `json:"api_code"`
						Version int    `json:"version"`
					} `json:"items"`
				}
				rev.Do("GET", "/api/v1/data-apis/reviews", nil).Want(t, 200, "").JSON(t, &queue)
				if len(queue.Items) != 1 || queue.Items[0].APICode != "person" {
					t.Fatalf("review queue %+v", queue)
				}
				rev.Do("POST", "/api/v1/data-apis/try", try).Want(t, 403, "forbidden") // reviewing is not writing
				rev.Do("POST", fmt.Sprintf("/api/v1/data-apis/%d/review", apiID), map[string]any{"version": 1, "decision": "approve", "comment": "同意"}).Want(t, 200, "")
				var api struct {
					Status           string `json:"status"`
					PublishedVersion int    `json:"published_version"`
					GatewayAPIID     int64  `json:"gateway_api_id"`
					Path             string `json:"path"`
				}
				sys.Do("GET", fmt.Sprintf("/api/v1/data-apis/%d", apiID), nil).Want(t, 200, "").JSON(t, &api)
				if api.Status != "published" || api.PublishedVersion != 1 || api.Path != "/gw/data/person" {
					t.Fatalf("after approval: %+v", api)
				}
				// The gateway API is managed by the data API.
				sys.Do("DELETE", fmt.Sprintf("/api/v1/gateway/apis/%d", api.GatewayAPIID), nil).Want(t, 409, "api_managed_by_dataapi")

				// Grant two fields; call with the Go SDK.
				f.sec.Do("POST", "/api/v1/gateway/grants", map[string]any{"consumer_id": f.consumer, "api_id": api.GatewayAPIID,
					"fields": []string{"data[].aac002", "data[].aac003"}}).Want(t, 201, "")
				reload(t, f)
				res := call(t, f.client(), api.Path, url.Values{"sfzh": {p.AAC002}})
				if res.Status != 200 {
					t.Fatalf("call: %d %s", res.Status, res.Body)
				}
				var body struct {
					Data []map[string]any `json:"data"`
				}
				if err := json.Unmarshal(res.Body, &body); err != nil {
					t.Fatal(err)
				}
				if len(body.Data) != 1 || len(body.Data[0]) != 2 {
					t.Fatalf("granted fields only: %s", res.Body)
				}
				if got := body.Data[0]["aac002"]; got != p.AAC002[:6]+"********"+p.AAC002[14:] {
					t.Fatalf("id number not masked: %v", got)
				}
				if got := body.Data[0]["aac003"].(string); !strings.HasPrefix(got, p.AAC003[:3]) || !strings.HasSuffix(got, "*") {
					t.Fatalf("name not masked: %v", got)
				}
				// Injection through the gateway: refused, never run.
				for _, v := range []string{p.AAC002 + "' OR '1'='1", "' UNION SELECT 1,2,3,4,5,6 --"} {
					wantCode(t, call(t, f.client(), api.Path, url.Values{"sfzh": {v}}), 400, "dataapi_bad_params")
				}
				wantCode(t, call(t, f.client(), api.Path, url.Values{"sfzh": {p.AAC002}, "extra": {"1"}}), 400, "dataapi_bad_params")
				wantCode(t, call(t, f.client(), api.Path, url.Values{"sfzh": {p.AAC002}, "region": {"32060' OR 1=1"}}), 400, "dataapi_bad_params")
				// The optional block applies when its parameter is given.
				if res := call(t, f.client(), api.Path, url.Values{"sfzh": {p.AAC002}, "region": {"999999"}}); !strings.Contains(string(res.Body), `"data":[]`) {
					t.Fatalf("optional condition ignored: %s", res.Body)
				}

				// A second version, rollback to the first, offline.
				in["draft"].(map[string]any)["max_rows"] = 5
				sys.Do("PUT", fmt.Sprintf("/api/v1/data-apis/%d", apiID), in).Want(t, 200, "")
				sys.Do("POST", fmt.Sprintf("/api/v1/data-apis/%d/submit", apiID), map[string]any{"comment": "v2"}).Want(t, 200, "")
				rev.Do("POST", fmt.Sprintf("/api/v1/data-apis/%d/review", apiID), map[string]any{"version": 2, "decision": "reject"}).Want(t, 422, "validation_failed") // a rejection needs a reason
				rev.Do("POST", fmt.Sprintf("/api/v1/data-apis/%d/review", apiID), map[string]any{"version": 2, "decision": "approve", "comment": "ok"}).Want(t, 200, "")
				rev.Do("POST", fmt.Sprintf("/api/v1/data-apis/%d/rollback", apiID), map[string]any{"version": 1}).Want(t, 200, "")
				var versions []struct {
					Version   int    `json:"version"`
					Status    string `json:"status"`
					Published bool   `json:"published"`
				}
				sys.Do("GET", fmt.Sprintf("/api/v1/data-apis/%d/versions", apiID), nil).Want(t, 200, "").JSON(t, &versions)
				if len(versions) != 2 || versions[0].Published || !versions[1].Published {
					t.Fatalf("versions after rollback: %+v", versions)
				}
				var stats struct {
					Calls    int64 `json:"calls"`
					Failures int64 `json:"failures"`
				}
				f.s.App.Ingester.Once(t.Context())
				sys.Do("GET", fmt.Sprintf("/api/v1/data-apis/%d/stats", apiID), nil).Want(t, 200, "").JSON(t, &stats)
				if stats.Calls < 6 || stats.Failures < 4 {
					t.Fatalf("stats %+v", stats)
				}
				rev.Do("POST", fmt.Sprintf("/api/v1/data-apis/%d/offline", apiID), nil).Want(t, 200, "")
				reload(t, f)
				wantCode(t, call(t, f.client(), api.Path, url.Values{"sfzh": {p.AAC002}}), 404, "gw_no_such_api")
				sys.Do("DELETE", fmt.Sprintf("/api/v1/datasources/%d", srcID), nil).Want(t, 409, "datasource_in_use")
			})
		})
	}
}

func reload(t *testing.T, f *gwFixture) {
	t.Helper()
	if err := f.s.App.Gateway.Reload(t.Context()); err != nil {
		t.Fatal(err)
	}
}
