package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/config"
	"github.com/xietong/xietong/internal/gm"
	"github.com/xietong/xietong/internal/testutil"
	xt "github.com/xietong/xietong/sdk/go"
)

// person is the upstream 社保 system: it answers a person's record and
// echoes the query it received, so a test can see what the gateway passed on.
func person(t *testing.T, failing *atomic.Bool) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failing != nil && failing.Load() {
			http.Error(w, "down", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"code":0,"query":%q,"consumer":%q,"data":{"items":[{"name":"张三","phone":"13812341234","aac002":"11010519491231002X","salary":9000}]}}`,
			r.URL.RawQuery, r.Header.Get("X-XT-Consumer"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

type gwFixture struct {
	s        *testServer
	sys, sec *testutil.Client
	consumer int64
	secret   string
	keyID    string
}

func newGateway(t *testing.T, d testutil.Dialect) *gwFixture { return newGatewayWith(t, d) }

// newGatewayWith is newGateway with configuration changes.
func newGatewayWith(t *testing.T, d testutil.Dialect, opts ...func(*config.Config)) *gwFixture {
	opts = append([]func(*config.Config){func(c *config.Config) { c.BreakerOpen = 300 * time.Millisecond }}, opts...)
	s := newTestServer(t, d, opts...)
	f := &gwFixture{s: s, sys: s.Admin(t, "sysadmin"), sec: s.Admin(t, "secadmin")}
	f.consumer = id(t, f.sys.Do("POST", "/api/v1/gateway/consumers", map[string]any{"code": "bank-a", "name": "某银行南通分行", "org_name": "某银行"}).Want(t, 201, ""))
	var k struct {
		KeyID  string `json:"key_id"`
		Secret string `json:"secret"`
	}
	f.sec.Do("POST", fmt.Sprintf("/api/v1/gateway/consumers/%d/keys", f.consumer), map[string]any{"kind": "hmac"}).Want(t, 201, "").JSON(t, &k)
	if len(k.Secret) != 43 || !strings.HasPrefix(k.KeyID, "ak_") {
		t.Fatalf("issued key %+v", k)
	}
	f.secret, f.keyID = k.Secret, k.KeyID
	return f
}

// api publishes an API on upstream and grants it to the consumer.
func (f *gwFixture) api(t *testing.T, code, path, upstream string, grant map[string]any) (apiID, grantID int64) {
	apiID = id(t, f.sys.Do("POST", "/api/v1/gateway/apis", map[string]any{"code": code, "name": code, "method": "GET", "path": path, "upstream_url": upstream,
		"timeout_ms": 2000, "retries": 0,
		"fields": []map[string]string{{"path": "data.items[].name", "category": "name"}, {"path": "data.items[].phone", "category": "phone"}, {"path": "data.items[].aac002", "category": "id_number"}}}).Want(t, 201, ""))
	if grant != nil {
		grant["consumer_id"], grant["api_id"] = f.consumer, apiID
		grantID = id(t, f.sec.Do("POST", "/api/v1/gateway/grants", grant).Want(t, 201, ""))
	}
	if err := f.s.App.Gateway.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	return apiID, grantID
}

func (f *gwFixture) client() *xt.Client {
	return &xt.Client{BaseURL: f.s.GatewayURL, KeyID: f.keyID, HMACSecret: f.secret}
}

func call(t *testing.T, c *xt.Client, path string, q url.Values) *xt.Result {
	t.Helper()
	res, err := c.Do(context.Background(), "GET", path, q, nil)
	if err != nil && res == nil {
		t.Fatal(err)
	}
	if res.Status < 400 && err != nil {
		t.Fatalf("%d: %v", res.Status, err)
	}
	return res
}

func code(r *xt.Result) string {
	var p struct{ Code string }
	_ = json.Unmarshal(r.Body, &p)
	return p.Code
}

func wantCode(t *testing.T, r *xt.Result, status int, c string) {
	t.Helper()
	if r.Status != status || code(r) != c {
		t.Fatalf("got %d %s, want %d %s", r.Status, r.Body, status, c)
	}
}

var subjectQuery = url.Values{"aac002": {"11010519491231002X"}}

func TestGatewaySecurity(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newGateway(t, d)
		up := person(t, nil)
		f.api(t, "person-info", "/gw/person/v1/info", up.URL+"/person", map[string]any{
			"fields": []string{"code", "query", "data.items[].name", "data.items[].phone", "data.items[].aac002"}, "plaintext_categories": []string{"name"}})
		c := f.client()

		// Allowed: fields not granted are gone, classified ones masked, the name in plain text; the response signature verified.
		r := call(t, c, "/gw/person/v1/info", subjectQuery)
		if r.Status != 200 {
			t.Fatalf("%d %s", r.Status, r.Body)
		}
		var body struct {
			Query string
			Data  struct{ Items []map[string]any }
		}
		json.Unmarshal(r.Body, &body)
		it := body.Data.Items[0]
		if it["phone"] != "138****1234" || it["aac002"] != "110105********002X" || it["name"] != "张三" {
			t.Fatalf("masking: %s", r.Body)
		}
		if _, ok := it["salary"]; ok || strings.Contains(string(r.Body), "consumer") {
			t.Fatalf("a field not granted was returned: %s", r.Body)
		}
		if body.Query != "aac002=11010519491231002X" {
			t.Fatalf("upstream got query %q", body.Query)
		}

		t.Run("replayed nonce", func(t *testing.T) {
			fixed := f.client()
			fixed.Nonce = func() string { return "replay-nonce-0123456789" }
			if r := call(t, fixed, "/gw/person/v1/info", nil); r.Status != 200 {
				t.Fatalf("first use: %d %s", r.Status, r.Body)
			}
			wantCode(t, call(t, fixed, "/gw/person/v1/info", nil), 401, "gw_replayed_nonce")
		})
		t.Run("stale timestamp", func(t *testing.T) {
			old := f.client()
			old.Now = func() time.Time { return time.Now().Add(-6 * time.Minute) }
			wantCode(t, call(t, old, "/gw/person/v1/info", nil), 401, "gw_stale_timestamp")
		})
		t.Run("query or body changed after signing", func(t *testing.T) {
			tampered := f.client()
			tampered.HTTP = &http.Client{Transport: rewrite(func(r *http.Request) { r.URL.RawQuery = "aac002=110105194912310021" })}
			wantCode(t, call(t, tampered, "/gw/person/v1/info", subjectQuery), 401, "gw_bad_signature")
			tampered.HTTP = &http.Client{Transport: rewrite(func(r *http.Request) {
				r.Body = ioNop(`{"x":2}`)
				r.ContentLength = 7
			})}
			res, _ := tampered.Do(context.Background(), "GET", "/gw/person/v1/info", nil, []byte(`{"x":1}`))
			wantCode(t, res, 401, "gw_bad_signature")
		})
		t.Run("unknown key", func(t *testing.T) {
			bad := f.client()
			bad.KeyID = "ak_doesnotexist000000"
			wantCode(t, call(t, bad, "/gw/person/v1/info", nil), 401, "gw_unknown_key")
		})
		t.Run("API not granted", func(t *testing.T) {
			f.api(t, "person-benefits", "/gw/person/v1/benefits", up.URL+"/benefits", nil)
			wantCode(t, call(t, c, "/gw/person/v1/benefits", nil), 403, "gw_not_granted")
		})
		t.Run("expired grant", func(t *testing.T) {
			past := time.Now().Add(-48 * time.Hour)
			f.api(t, "person-old", "/gw/person/v1/old", up.URL+"/old", map[string]any{"valid_from": past.Add(-time.Hour), "valid_to": past})
			wantCode(t, call(t, c, "/gw/person/v1/old", nil), 403, "gw_grant_expired")
		})
		t.Run("IP not allowed", func(t *testing.T) {
			f.api(t, "person-ip", "/gw/person/v1/ip", up.URL+"/ip", map[string]any{"ip_allowlist": []string{"10.0.0.0/8"}})
			wantCode(t, call(t, c, "/gw/person/v1/ip", nil), 403, "gw_ip_denied")
		})
		t.Run("daily quota exhausted", func(t *testing.T) {
			f.api(t, "person-quota", "/gw/person/v1/quota", up.URL+"/quota", map[string]any{"quota_day": 3, "quota_month": 100})
			for i := 0; i < 3; i++ {
				if r := call(t, c, "/gw/person/v1/quota", nil); r.Status != 200 {
					t.Fatalf("call %d: %d %s", i, r.Status, r.Body)
				}
			}
			r := call(t, c, "/gw/person/v1/quota", nil)
			wantCode(t, r, 429, "gw_quota_exhausted")
			var st struct {
				Limits []struct {
					API      string `json:"api_code"`
					DayUsed  int64  `json:"day_used"`
					DayLimit int64  `json:"day_limit"`
				}
			}
			f.sys.Do("GET", "/api/v1/gateway/status", nil).Want(t, 200, "").JSON(t, &st)
			seen := false
			for _, l := range st.Limits {
				if l.API == "person-quota" {
					seen = l.DayUsed == 3 && l.DayLimit == 3
				}
			}
			if !seen {
				t.Fatalf("quota state not shown: %+v", st.Limits)
			}
			if r.Header.Get("Retry-After") == "" {
				t.Fatal("no Retry-After to the next day")
			}
		})
		t.Run("rate-limit burst", func(t *testing.T) {
			f.api(t, "person-rate", "/gw/person/v1/rate", up.URL+"/rate", map[string]any{"rate_per_sec": 0.5, "burst": 2})
			call(t, c, "/gw/person/v1/rate", nil)
			call(t, c, "/gw/person/v1/rate", nil)
			r := call(t, c, "/gw/person/v1/rate", nil)
			wantCode(t, r, 429, "gw_rate_limited")
			if r.Header.Get("Retry-After") == "" {
				t.Fatal("no Retry-After")
			}
		})
		t.Run("upstream down: breaker opens, then recovers through half-open", func(t *testing.T) {
			var failing atomic.Bool
			failing.Store(true)
			down := person(t, &failing)
			f.api(t, "person-down", "/gw/person/v1/down", down.URL+"/x", map[string]any{})
			for i := 0; i < 5; i++ {
				if r := call(t, c, "/gw/person/v1/down", nil); r.Status != 500 {
					t.Fatalf("call %d through a failing upstream: %d", i, r.Status)
				}
			}
			wantCode(t, call(t, c, "/gw/person/v1/down", nil), 503, "gw_upstream_unavailable")
			failing.Store(false)
			time.Sleep(400 * time.Millisecond) // past gateway_breaker_open
			if r := call(t, c, "/gw/person/v1/down", nil); r.Status != 200 {
				t.Fatalf("half-open probe: %d %s", r.Status, r.Body)
			}
			var st struct {
				Breakers []struct{ Upstream, State string }
			}
			f.sys.Do("GET", "/api/v1/gateway/status", nil).Want(t, 200, "").JSON(t, &st)
			found := false
			for _, b := range st.Breakers {
				if strings.Contains(down.URL, b.Upstream) {
					found = true
				}
			}
			if !found {
				t.Fatalf("breaker not visible in status: %+v", st)
			}
			m := f.s.Client(t).Do("GET", "/metrics", nil).Want(t, 200, "")
			if !strings.Contains(string(m.Body), "xietong_gateway_breaker_state{upstream=") || !strings.Contains(string(m.Body), `code="gw_upstream_unavailable"`) {
				t.Fatal("breaker state or refusal codes missing from /metrics")
			}
		})
		t.Run("revoked key, effective within a second without restart", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			go f.s.App.Gateway.Watch(ctx, 100*time.Millisecond)
			var cons struct {
				Keys []struct {
					ID    int64  `json:"id"`
					KeyID string `json:"key_id"`
				}
			}
			f.sec.Do("GET", fmt.Sprintf("/api/v1/gateway/consumers/%d/credentials", f.consumer), nil).Want(t, 200, "").JSON(t, &cons)
			f.sec.Do("POST", fmt.Sprintf("/api/v1/gateway/keys/%d/revoke", cons.Keys[0].ID), nil).Want(t, 204, "")
			deadline := time.Now().Add(time.Second)
			for {
				r := call(t, c, "/gw/person/v1/info", nil)
				if code(r) == "gw_revoked_key" {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("revocation not effective within a second: %d %s", r.Status, r.Body)
				}
				time.Sleep(50 * time.Millisecond)
			}
		})

		// Every call, allowed or refused, is in the call log with its code;
		// the audit admin finds who looked up a person.
		if _, err := f.s.App.Ingester.Once(context.Background()); err != nil {
			t.Fatal(err)
		}
		aud := f.s.Admin(t, "auditadmin")
		for _, c := range []string{"gw_replayed_nonce", "gw_stale_timestamp", "gw_bad_signature", "gw_unknown_key", "gw_not_granted", "gw_grant_expired",
			"gw_ip_denied", "gw_quota_exhausted", "gw_rate_limited", "gw_upstream_unavailable", "gw_revoked_key"} {
			var l struct{ Total int }
			aud.Do("GET", "/api/v1/gateway/calls?code="+c, nil).Want(t, 200, "").JSON(t, &l)
			if l.Total < 1 {
				t.Errorf("no call-log row for %s", c)
			}
		}
		var who struct {
			Total int
			Items []struct {
				ConsumerCode string `json:"consumer_code"`
				Records      int    `json:"records"`
				Subject      string `json:"subject"`
				Status       int    `json:"status"`
			}
		}
		aud.Do("GET", "/api/v1/gateway/calls?subject=11010519491231002X&status=200", nil).Want(t, 200, "").JSON(t, &who)
		if who.Total != 1 || who.Items[0].ConsumerCode != "bank-a" || who.Items[0].Records != 1 || who.Items[0].Subject != "110105********002X" {
			t.Fatalf("who looked up the person: %+v", who)
		}
		aud.Do("GET", "/api/v1/gateway/calls?subject=123", nil).Want(t, 422, "validation_failed")
		var raw []byte
		if err := f.s.App.DB.QueryRow(context.Background(), "SELECT subject_sealed FROM gateway_calls WHERE status = 200 AND subject_index <> '' LIMIT 1").Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(raw), "11010519491231002X") {
			t.Fatal("the subject is stored in the clear")
		}
	})
}

// TestGatewayEncryptedSM2 is the SM2-SM3 + SM4 path: a consumer's own SM2
// key, a data key delivered in an envelope, encrypted query and response,
// the response signed by the platform key; GCM and legacy CBC.
func TestGatewayEncryptedSM2(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newGateway(t, d)
		up := person(t, nil)
		f.api(t, "person-info", "/gw/person/v1/info", up.URL+"/person", map[string]any{})
		priv, _ := gm.GenerateSM2()
		pubPEM, _ := gm.PublicPEM(&priv.PublicKey)
		var k struct {
			KeyID string `json:"key_id"`
		}
		f.sec.Do("POST", fmt.Sprintf("/api/v1/gateway/consumers/%d/keys", f.consumer), map[string]any{"kind": "sm2", "public_pem": pubPEM}).Want(t, 201, "").JSON(t, &k)
		f.sec.Do("POST", fmt.Sprintf("/api/v1/gateway/consumers/%d/keys", f.consumer), map[string]any{"kind": "sm2", "public_pem": "not a key"}).Want(t, 422, "validation_failed")
		var dk struct {
			KeyID    string `json:"key_id"`
			Envelope string `json:"envelope"`
		}
		f.sec.Do("POST", fmt.Sprintf("/api/v1/gateway/consumers/%d/data-keys", f.consumer), map[string]any{}).Want(t, 201, "").JSON(t, &dk)
		dataKey, err := xt.OpenEnvelope(priv, dk.Envelope)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.s.App.Gateway.Reload(context.Background()); err != nil {
			t.Fatal(err)
		}
		// The platform key is published on the gateway itself.
		res, err := http.Get(f.s.GatewayURL + "/gw/v1/platform-keys")
		if err != nil {
			t.Fatal(err)
		}
		var pks []struct {
			PublicPEM string `json:"public_pem"`
		}
		json.NewDecoder(res.Body).Decode(&pks)
		res.Body.Close()
		platform, err := gm.ParsePublicPEM(pks[0].PublicPEM)
		if err != nil {
			t.Fatal(err)
		}
		for _, mode := range []string{xt.ModeGCM, xt.ModeCBC} {
			c := &xt.Client{BaseURL: f.s.GatewayURL, KeyID: k.KeyID, SM2Key: priv, DataKeyID: dk.KeyID, DataKey: dataKey, Mode: mode, PlatformKey: platform}
			r, err := c.Do(context.Background(), "GET", "/gw/person/v1/info", subjectQuery, nil)
			if err != nil || r.Status != 200 {
				t.Fatalf("%s: %v %d %s", mode, err, r.Status, r.Body)
			}
			if r.Header.Get(xt.HeaderSignatureMethod) != xt.MethodSM2 || r.Header.Get(xt.HeaderEncryption) == "" {
				t.Fatalf("%s: response not SM2-signed and encrypted: %v", mode, r.Header)
			}
			var body struct{ Query string }
			json.Unmarshal(r.Body, &body)
			if body.Query != "aac002=11010519491231002X" {
				t.Fatalf("%s: the upstream got %q (the encrypted query was not opened)", mode, body.Query)
			}
			// A wrong platform key does not verify.
			other, _ := gm.GenerateSM2()
			c.PlatformKey = &other.PublicKey
			if _, err := c.Do(context.Background(), "GET", "/gw/person/v1/info", nil, nil); err == nil {
				t.Fatalf("%s: a response verified with the wrong platform key", mode)
			}
		}
		// A data key of another consumer, or garbage, is refused.
		c := &xt.Client{BaseURL: f.s.GatewayURL, KeyID: k.KeyID, SM2Key: priv, DataKeyID: "dk_nosuchkey000000000", DataKey: dataKey, PlatformKey: platform}
		r, _ := c.Do(context.Background(), "GET", "/gw/person/v1/info", subjectQuery, nil)
		wantCode(t, r, 400, "gw_bad_encryption")
	})
}

type rewrite func(*http.Request)

func (f rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	f(r)
	return http.DefaultTransport.RoundTrip(r)
}

func ioNop(s string) *nopCloser { return &nopCloser{strings.NewReader(s)} }

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }

// TestGatewayOnRedis: with redis_url set, the gateway keeps its state in
// Redis (so several nodes share it) and still enforces replay protection.
func TestGatewayOnRedis(t *testing.T) {
	url := os.Getenv("XIETONG_TEST_REDIS")
	if url == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but XIETONG_TEST_REDIS is not set")
		}
		t.Skip("NOTICE: XIETONG_TEST_REDIS not set")
	}
	s := newTestServer(t, testutil.Dialects(t)[0], func(c *config.Config) {
		c.RedisURL = url
		c.RedisPrefix = "xt-test-" + gm.Token(6) + ":" // a fresh database must not meet another run's counters
	})
	sys := s.Admin(t, "sysadmin")
	var st struct{ State string }
	sys.Do("GET", "/api/v1/gateway/status", nil).Want(t, 200, "").JSON(t, &st)
	if st.State != "redis" {
		t.Fatalf("state %q, want redis", st.State)
	}
	f := &gwFixture{s: s, sys: sys, sec: s.Admin(t, "secadmin")}
	f.consumer = id(t, f.sys.Do("POST", "/api/v1/gateway/consumers", map[string]any{"code": "bank-r", "name": "银行"}).Want(t, 201, ""))
	var k struct {
		KeyID  string `json:"key_id"`
		Secret string `json:"secret"`
	}
	f.sec.Do("POST", fmt.Sprintf("/api/v1/gateway/consumers/%d/keys", f.consumer), map[string]any{"kind": "hmac"}).Want(t, 201, "").JSON(t, &k)
	f.keyID, f.secret = k.KeyID, k.Secret
	up := person(t, nil)
	f.api(t, "p", "/gw/p", up.URL, map[string]any{"quota_day": 2})
	c := f.client()
	nonce := "redis-nonce-" + gm.Token(8)
	c.Nonce = func() string { return nonce }
	if r := call(t, c, "/gw/p", nil); r.Status != 200 {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
	wantCode(t, call(t, c, "/gw/p", nil), 401, "gw_replayed_nonce")
}
