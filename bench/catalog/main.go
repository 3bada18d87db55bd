// Command catalog measures keyword search of the data asset catalog: it
// starts xietong in process on its embedded defaults (SQLite) behind a real
// loopback HTTP listener, catalogues and publishes N entries (default
// 10,000) through the catalog service — each approved by a second person,
// as in production — then searches the portal over HTTP with Chinese
// keywords as a logged-in user, and reports p50/p95/p99 of the answer time.
// The anchor, measured in the same run, is the same search SQL run directly
// on the same SQLite file with database/sql. Target: p95 under 100 ms.
//
//	go run ./bench/catalog [-entries 10000] [-searches 2000] [-out bench/catalog/results/latest.json]
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	_ "modernc.org/sqlite"

	"github.com/xietong/xietong/internal/app"
	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/catalog"
	"github.com/xietong/xietong/internal/config"
	"github.com/xietong/xietong/internal/db"
)

// The vocabulary entries are named from, and searches are drawn from.
var (
	domains  = []string{"养老保险", "失业保险", "工伤保险", "医疗保险", "生育保险", "就业服务", "人才引进", "劳动关系", "社会保障卡", "职业培训"}
	subjects = []string{"参保人员", "参保单位", "缴费明细", "待遇发放", "资格认证", "稽核结果", "转移接续", "欠费记录", "补贴申领", "业务经办"}
	forms    = []string{"信息", "台账", "明细", "汇总", "统计", "名单", "档案", "凭证", "清单", "目录"}
	places   = []string{"南通", "崇川", "海门", "如东", "启东", "如皋", "海安", "通州", "贵阳", "遵义"}
)

func main() {
	entries := flag.Int("entries", 10000, "catalog entries to publish")
	searches := flag.Int("searches", 2000, "searches to time (after 200 warm-up)")
	out := flag.String("out", "bench/catalog/results/latest.json", "result JSON")
	flag.Parse()
	if *entries < 1 || *entries > 200000 || *searches < 1 || *searches > 100000 {
		log.Fatal("catalog: 1 ≤ -entries ≤ 200000, 1 ≤ -searches ≤ 100000")
	}
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "xt-catbench")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	const password = "Bench#Catalog-2026!"
	cfg, err := config.Load("", nil)
	if err != nil {
		log.Fatal(err)
	}
	cfg.DataDir, cfg.PlainHTTP, cfg.BootstrapPassword = dir, true, password
	if err := cfg.Validate(); err != nil {
		log.Fatal(err)
	}
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()

	start := time.Now()
	orgs := seedOrgs(ctx, a)
	publish(ctx, a, *entries, orgs)
	seedTime := time.Since(start)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Handler: a.Handler()}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	c := login(base, "sysadmin", password)

	rng := rand.New(rand.NewPCG(7, 11))
	queries := make([]string, 200+*searches)
	for i := range queries {
		queries[i] = query(rng)
	}
	// Through xietong: HTTP, session, permission check, search, JSON.
	var httpLat []time.Duration
	var hits int
	for i, q := range queries {
		t0 := time.Now()
		var page struct {
			Total int `json:"total"`
		}
		c.get(base+"/api/v1/portal/entries?page_size=20&q="+url.QueryEscape(q), &page)
		if i >= 200 {
			httpLat = append(httpLat, time.Since(t0))
			hits += page.Total
		}
	}
	// The anchor: the same page and count SQL straight on the SQLite file.
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "xietong.db")+"?mode=ro")
	if err != nil {
		log.Fatal(err)
	}
	defer raw.Close()
	var rawLat []time.Duration
	for i, q := range queries {
		t0 := time.Now()
		rawSearch(ctx, raw, q)
		if i >= 200 {
			rawLat = append(rawLat, time.Since(t0))
		}
	}
	r := result{Entries: *entries, Searches: *searches, SeedSeconds: seedTime.Seconds(), MeanHits: float64(hits) / float64(*searches),
		HTTP: summarise(httpLat), Raw: summarise(rawLat)}
	r.RatioP95 = r.HTTP.P95MS / r.Raw.P95MS
	r.Pass = r.HTTP.P95MS < 100
	b, _ := json.MarshalIndent(r, "", "  ")
	fmt.Println(string(b))
	if *out != "" {
		os.MkdirAll(filepath.Dir(*out), 0o755)
		os.WriteFile(*out, b, 0o644)
	}
	fmt.Printf("\ncatalog search over %d entries: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms through xietong (raw SQLite p95 %.2f ms, ratio %.2f×) — target p95 < 100 ms: %v\n",
		r.Entries, r.HTTP.P50MS, r.HTTP.P95MS, r.HTTP.P99MS, r.Raw.P95MS, r.RatioP95, map[bool]string{true: "PASS", false: "FAIL"}[r.Pass])
}

type latency struct {
	P50MS, P95MS, P99MS, MaxMS float64
}

type result struct {
	Entries     int     `json:"entries"`
	Searches    int     `json:"searches"`
	SeedSeconds float64 `json:"seed_seconds"`
	MeanHits    float64 `json:"mean_hits_per_search"`
	HTTP        latency `json:"through_xietong"`
	Raw         latency `json:"raw_sqlite"`
	RatioP95    float64 `json:"ratio_p95"`
	Pass        bool    `json:"pass"`
}

func summarise(ds []time.Duration) latency {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	at := func(p float64) float64 { return float64(ds[int(p*float64(len(ds)-1))]) / 1e6 }
	return latency{at(0.5), at(0.95), at(0.99), at(1)}
}

// query is one or two words a user would type.
func query(rng *rand.Rand) string {
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	switch rng.IntN(4) {
	case 0:
		return pick(domains)
	case 1:
		return pick(subjects)
	case 2:
		return pick(domains) + " " + pick(forms)
	default:
		return pick(places) + " " + pick(subjects)
	}
}

func seedOrgs(ctx context.Context, a *app.App) []int64 {
	root, err := a.IAM.OrgByCode(ctx, "")
	if err != nil {
		log.Fatal(err)
	}
	var ids []int64
	for i, name := range []string{"养老保险处", "失业保险处", "工伤保险处", "医疗保障局", "就业促进处", "信息中心"} {
		id, err := a.DB.InsertID(ctx, "INSERT INTO orgs (parent_id, code, name, kind, created_at, updated_at) VALUES (?, ?, ?, 'department', ?, ?)",
			root.ID, fmt.Sprintf("dept%d", i), name, db.Now(), db.Now())
		if err != nil {
			log.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// publish catalogues n entries as a cataloguer and approves each as a
// reviewer, through the catalog service (the same code the console calls).
func publish(ctx context.Context, a *app.App, n int, orgs []int64) {
	writer := audit.WithActor(ctx, audit.Actor{ID: 1001, Name: "bench-cataloguer"})
	reviewer := audit.WithActor(ctx, audit.Actor{ID: 1002, Name: "bench-reviewer"})
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < n; i++ {
		d, s, f, p := domains[rng.IntN(len(domains))], subjects[rng.IntN(len(subjects))], forms[rng.IntN(len(forms))], places[rng.IntN(len(places))]
		in := catalog.Input{Code: fmt.Sprintf("E%06d", i), Name: p + d + s + f, Description: "用于" + d + "业务的" + s + f + "，按日更新",
			Keywords: d + " " + s, OrgID: orgs[rng.IntN(len(orgs)-1)], ShareAttr: catalog.ShareConditional, OpenAttr: "closed", UpdateFrequency: "daily",
			Fields: []catalog.Field{{Name: "aac002", Label: "公民身份号码", Category: "id_number"}, {Name: "aac003", Label: "姓名", Category: "name"}, {Name: "aae003", Label: "所属期"}}}
		e, err := a.Catalog.Save(writer, 0, in)
		if err != nil {
			log.Fatalf("entry %d: %v", i, err)
		}
		if _, err := a.Catalog.Submit(writer, e.ID, ""); err != nil {
			log.Fatal(err)
		}
		if _, err := a.Catalog.Review(reviewer, e.ID, catalog.Decision{Decision: "approve"}); err != nil {
			log.Fatal(err)
		}
		if (i+1)%2000 == 0 {
			fmt.Fprintf(os.Stderr, "published %d/%d\n", i+1, n)
		}
	}
}

// rawSearch is the portal's page and count query, without xietong.
func rawSearch(ctx context.Context, d *sql.DB, q string) {
	words := catalog.Words(q)
	where := "WHERE e.status = 'published'"
	var args []any
	for _, w := range words {
		where += ` AND instr(e.search_text, ?) > 0`
		args = append(args, w)
	}
	var n int
	if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM catalog_entries e "+where, args...).Scan(&n); err != nil {
		log.Fatal(err)
	}
	rows, err := d.QueryContext(ctx, "SELECT e.id, e.code, e.name, e.description, e.fields_json FROM catalog_entries e "+where+" ORDER BY e.code LIMIT 20", args...)
	if err != nil {
		log.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var code, name, desc, fields string
		rows.Scan(&id, &code, &name, &desc, &fields)
	}
	rows.Close()
}

// client is a logged-in console session.
type client struct {
	hc   *http.Client
	csrf string
}

func login(base, user, password string) *client {
	jar, _ := cookiejar.New(nil)
	c := &client{hc: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
	var me struct {
		CSRFToken string `json:"csrf_token"`
	}
	c.post(base+"/api/v1/auth/login", map[string]string{"username": user, "password": password}, &me)
	c.csrf = me.CSRFToken
	c.post(base+"/api/v1/me/password", map[string]string{"old_password": password, "new_password": "Bench#Search-2026!"}, nil)
	c.post(base+"/api/v1/auth/login", map[string]string{"username": user, "password": "Bench#Search-2026!"}, &me)
	c.csrf = me.CSRFToken
	return c
}

func (c *client) post(u string, body, out any) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", u, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	req.Header.Set("Origin", strings.TrimSuffix(strings.SplitN(u, "/api/", 2)[0], "/"))
	c.do(req, out)
}

func (c *client) get(u string, out any) { req, _ := http.NewRequest("GET", u, nil); c.do(req, out) }

func (c *client) do(req *http.Request, out any) {
	res, err := c.hc.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 && res.StatusCode != http.StatusNoContent {
		log.Fatalf("%s %s: %d %s", req.Method, req.URL.Path, res.StatusCode, b)
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			log.Fatalf("%s: %v", req.URL.Path, err)
		}
	}
}
