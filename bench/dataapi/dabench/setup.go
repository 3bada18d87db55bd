package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	xt "github.com/xietong/xietong/sdk/go"
)

// Creds is what setup writes for the signer, the load generator and the report.
type Creds struct {
	GatewayURL   string `json:"gateway_url"`
	Path         string `json:"path"`
	KeyID        string `json:"hmac_key_id"`
	Secret       string `json:"hmac_secret"`
	SQL          string `json:"sql"`
	PoolMaxOpen  int    `json:"pool_max_open"`
	PoolMaxIdle  int    `json:"pool_max_idle"`
	CacheSeconds int    `json:"cache_seconds"`
}

const (
	apiCode     = "person"
	apiPath     = "/gw/data/person"
	adminPass   = "Bench#2026-da-xt!"
	reviewerPW1 = "Initial#2026pw-da"
	reviewerPW2 = "Review#Pass-2026-da"
	tries       = 100 // bounded waits: 100 × 100 ms
)

type console struct {
	base string
	hc   *http.Client
	csrf string
}

func (c *console) do(method, path string, in any, want int, out any) []byte {
	var rd io.Reader
	if in != nil {
		raw, _ := json.Marshal(in)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		log.Fatal(err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" && method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		log.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		log.Fatalf("%s %s: got %d %s, want %d", method, path, res.StatusCode, body, want)
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			log.Fatalf("%s %s: decode %s: %v", method, path, body, err)
		}
	}
	return body
}

// login logs a user in and changes the first password, as every first
// login must.
func login(base, user, first, next string) *console {
	jar, _ := cookiejar.New(nil)
	c := &console{base: base, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	var l struct {
		CSRF string `json:"csrf_token"`
	}
	c.do("POST", "/api/v1/auth/login", map[string]string{"username": user, "password": first}, 200, &l)
	c.csrf = l.CSRF
	c.do("POST", "/api/v1/me/password", map[string]string{"old_password": first, "new_password": next}, 204, nil)
	return c
}

type menuNode struct {
	ID       int64      `json:"id"`
	Code     string     `json:"code"`
	Children []menuNode `json:"children"`
}

func flattenMenus(ns []menuNode, out map[string]int64) map[string]int64 {
	for _, n := range ns {
		out[n.Code] = n.ID
		flattenMenus(n.Children, out)
	}
	return out
}

func setupCmd(args []string) {
	fs := flag.NewFlagSet("setup", flag.ExitOnError)
	consoleURL := fs.String("console", "", "console base URL (http://127.0.0.1:…)")
	gatewayURL := fs.String("gateway", "", "gateway base URL (http://127.0.0.1:…)")
	dsn := fs.String("dsn", "", "the PostgreSQL the data source points at")
	schema := schemaFlag(fs)
	idsFile := fs.String("ids", "", "the persons' 公民身份号码 (fixture -ids)")
	bootstrap := fs.String("bootstrap", os.Getenv("XIETONG_BOOTSTRAP_PASSWORD"), "first password of the admins")
	maxOpen := fs.Int("pool-max-open", 0, "data source pool max_open (0: xietong's default)")
	maxIdle := fs.Int("pool-max-idle", 0, "data source pool max_idle (used with -pool-max-open > 0)")
	out := fs.String("out", "", "credentials file to write")
	fs.Parse(args)
	loopback("-console", *consoleURL)
	loopback("-gateway", *gatewayURL)
	loopback("-dsn", *dsn)
	if !schemaRe.MatchString(*schema) || *out == "" || *bootstrap == "" || *idsFile == "" {
		log.Fatal("-schema, -ids, -out and -bootstrap (or XIETONG_BOOTSTRAP_PASSWORD) are required")
	}
	ids := readIDs(*idsFile)
	sample := ids[len(ids)/3]
	waitReady(*consoleURL)

	// The data source, as the system admin registers it, and its connectivity test.
	sys := login(*consoleURL, "sysadmin", *bootstrap, adminPass)
	u, _ := url.Parse(*dsn)
	port, _ := strconv.Atoi(u.Port())
	if port == 0 {
		port = 5432
	}
	pw, _ := u.User.Password()
	opts := map[string]string{"sslmode": "disable"}
	if m := u.Query().Get("sslmode"); m != "" {
		opts["sslmode"] = m
	}
	srcIn := map[string]any{"code": "bench_pg", "name": "业务库（压测）", "kind": "postgres", "host": u.Hostname(), "port": port,
		"database": strings.TrimPrefix(u.Path, "/"), "username": u.User.Username(), "password": pw, "options": opts}
	if *maxOpen > 0 {
		srcIn["pool"] = map[string]int{"max_open": *maxOpen, "max_idle": *maxIdle, "lifetime_seconds": 1800}
	}
	var src struct {
		ID   int64 `json:"id"`
		Pool struct {
			MaxOpen int `json:"max_open"`
			MaxIdle int `json:"max_idle"`
		} `json:"pool"`
	}
	sys.do("POST", "/api/v1/datasources", srcIn, 201, &src)
	var probe struct {
		OK    bool            `json:"ok"`
		Steps json.RawMessage `json:"steps"`
	}
	sys.do("POST", fmt.Sprintf("/api/v1/datasources/%d/test", src.ID), nil, 200, &probe)
	if !probe.OK {
		log.Fatalf("the data source's connectivity test failed: %s", probe.Steps)
	}

	// The data API: written, tried, submitted by the system admin.
	sql := "SELECT aac001, aac002, aac003, aae005, aab301, salary FROM " + *schema + ".ac01 WHERE aac002 = ${sfzh}"
	draft := map[string]any{
		"sql":    sql,
		"params": []map[string]any{{"name": "sfzh", "type": "id_card", "required": true, "description": "公民身份号码"}},
		"fields": []map[string]any{
			{"name": "aac001", "type": "integer", "description": "个人编号"},
			{"name": "aac002", "type": "string", "description": "公民身份号码", "category": "id_number"},
			{"name": "aac003", "type": "string", "description": "姓名", "category": "name"},
			{"name": "aae005", "type": "string", "description": "联系电话", "category": "phone"},
			{"name": "aab301", "type": "string", "description": "参保地行政区划"},
			{"name": "salary", "type": "number", "description": "缴费工资"},
		},
		"cache_seconds": 0, // every call runs the query on PostgreSQL
		"timeout_ms":    3000,
		"max_rows":      10,
	}
	var api struct {
		ID int64 `json:"id"`
	}
	sys.do("POST", "/api/v1/data-apis", map[string]any{"code": apiCode, "name": "按公民身份号码查询参保人（压测）", "method": "GET",
		"path": "/data/" + apiCode, "source_id": src.ID, "draft": draft}, 201, &api)
	var tr struct {
		Rows []map[string]any `json:"rows"`
	}
	sys.do("POST", "/api/v1/data-apis/try", map[string]any{"source_id": src.ID, "draft": draft, "values": map[string]string{"sfzh": sample}}, 200, &tr)
	if len(tr.Rows) != 1 || tr.Rows[0]["aac002"] != sample {
		log.Fatalf("try with %s: %+v", sample, tr.Rows)
	}
	sys.do("POST", fmt.Sprintf("/api/v1/data-apis/%d/submit", api.ID), map[string]any{"comment": "压测"}, 200, nil)
	sys.do("POST", fmt.Sprintf("/api/v1/data-apis/%d/review", api.ID), map[string]any{"version": 1, "decision": "approve"}, 403, nil) // not one's own

	// The reviewer: another user holding the data-API pages and the review
	// button through a business role; approves, which publishes.
	var roots, menus []menuNode
	sys.do("GET", "/api/v1/orgs/tree", nil, 200, &roots)
	sys.do("GET", "/api/v1/menus/assignable", nil, 200, &menus)
	if len(roots) == 0 {
		log.Fatal("no organisation")
	}
	m := flattenMenus(menus, map[string]int64{})
	mids := []int64{m["data"], m["data.apis"], m["data.apis.review"]}
	for _, x := range mids {
		if x == 0 {
			log.Fatalf("the data menus are not assignable: %v", mids)
		}
	}
	var role, user struct {
		ID int64 `json:"id"`
	}
	sys.do("POST", "/api/v1/business-roles", map[string]any{"code": "dapi-review", "name": "数据API审核", "menu_ids": mids}, 201, &role)
	sys.do("POST", "/api/v1/users", map[string]any{"username": "shenhe", "display_name": "审核人", "org_id": roots[0].ID, "password": reviewerPW1}, 201, &user)
	sys.do("PUT", fmt.Sprintf("/api/v1/users/%d/roles", user.ID), map[string]any{"business_role_ids": []int64{role.ID}}, 200, nil)
	rev := login(*consoleURL, "shenhe", reviewerPW1, reviewerPW2)
	rev.do("POST", fmt.Sprintf("/api/v1/data-apis/%d/review", api.ID), map[string]any{"version": 1, "decision": "approve", "comment": "同意（压测）"}, 200, nil)
	var pub struct {
		Status       string `json:"status"`
		GatewayAPIID int64  `json:"gateway_api_id"`
		Path         string `json:"path"`
	}
	sys.do("GET", fmt.Sprintf("/api/v1/data-apis/%d", api.ID), nil, 200, &pub)
	if pub.Status != "published" || pub.Path != apiPath || pub.GatewayAPIID == 0 {
		log.Fatalf("after approval: %+v", pub)
	}

	// The consumer (system admin); its HMAC key and the grant of every
	// field, sensitive ones masked (security admin).
	var cons struct {
		ID int64 `json:"id"`
	}
	sys.do("POST", "/api/v1/gateway/consumers", map[string]any{"code": "bench-bank", "name": "压测银行南通分行", "org_name": "压测银行"}, 201, &cons)
	sec := login(*consoleURL, "secadmin", *bootstrap, adminPass)
	var hk struct {
		KeyID  string `json:"key_id"`
		Secret string `json:"secret"`
	}
	sec.do("POST", fmt.Sprintf("/api/v1/gateway/consumers/%d/keys", cons.ID), map[string]any{"kind": "hmac"}, 201, &hk)
	sec.do("POST", "/api/v1/gateway/grants", map[string]any{"consumer_id": cons.ID, "api_id": pub.GatewayAPIID,
		"fields":       []string{"data[].aac001", "data[].aac002", "data[].aac003", "data[].aae005", "data[].aab301", "data[].salary"},
		"rate_per_sec": 0, "quota_day": 0, "quota_month": 0}, 201, nil)

	// The gateway polls the configuration version: wait (bounded) until the
	// grant is live, then check one call end to end.
	hc := &http.Client{Timeout: 10 * time.Second}
	cl := &xt.Client{BaseURL: *gatewayURL, KeyID: hk.KeyID, HMACSecret: hk.Secret, HTTP: hc}
	var r *xt.Result
	var err error
	for i := 0; ; i++ {
		r, err = cl.Do(context.Background(), "GET", apiPath, url.Values{"sfzh": {sample}}, nil)
		if err == nil && r.Status == 200 {
			break
		}
		if i >= tries {
			if r != nil {
				log.Fatalf("the gateway did not serve the data API in time: %d %s (%v)", r.Status, r.Body, err)
			}
			log.Fatalf("the gateway did not answer: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	checkAnswer(r.Body, sample)
	// A bad 公民身份号码 is refused before any SQL.
	bad := sample[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", sample[17])+1)%11])
	if r, err := cl.Do(context.Background(), "GET", apiPath, url.Values{"sfzh": {bad}}, nil); err != nil || r.Status != 400 {
		log.Fatalf("a bad check character was not refused: %v %v", err, r)
	}

	c := Creds{GatewayURL: *gatewayURL, Path: apiPath, KeyID: hk.KeyID, Secret: hk.Secret, SQL: strings.ReplaceAll(sql, "${sfzh}", "$1"),
		PoolMaxOpen: src.Pool.MaxOpen, PoolMaxIdle: src.Pool.MaxIdle, CacheSeconds: 0}
	raw, _ := json.MarshalIndent(c, "", "  ")
	if err := os.WriteFile(*out, raw, 0o600); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "setup: source %d (pool max_open %d, max_idle %d), data API %d published by a second user as gateway API %d, consumer %d, HMAC key %s\n",
		src.ID, src.Pool.MaxOpen, src.Pool.MaxIdle, api.ID, pub.GatewayAPIID, cons.ID, hk.KeyID)
}

// checkAnswer: one row, the person asked for, sensitive fields masked.
func checkAnswer(body []byte, id string) {
	var v struct {
		Data []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(body, &v); err != nil || len(v.Data) != 1 {
		log.Fatalf("the answer is not one row: %s", body)
	}
	row := v.Data[0]
	name, _ := row["aac003"].(string)
	phone, _ := row["aae005"].(string)
	if row["aac002"] != id[:6]+"********"+id[14:] || !strings.HasSuffix(name, "*") || utf8.RuneCountInString(name) < 2 ||
		len(phone) != 11 || phone[3:7] != "****" || row["aac001"] == nil || row["salary"] == nil || row["aab301"] != id[:6] {
		log.Fatalf("the answer is not masked as granted: %s", body)
	}
	fmt.Fprintf(os.Stderr, "setup: end-to-end call verified: 200, one row, %s\n", body)
}

func waitReady(base string) {
	for i := 0; i < tries; i++ {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	log.Fatalf("xietong console at %s not ready after %d tries", base, tries)
}
