// Command setup configures a freshly started xietong for the gateway
// benchmark through the console API, exactly as the admins would: the
// system admin creates a consumer and publishes GET /gw/bench/person on the
// upstream with its field classification; the security admin issues an
// HMAC key, registers an SM2 key this program generates, issues a data key
// (opened here from its SM2 envelope) and grants the API with a field list
// and masking, without rate limit or quota. It then waits until the gateway
// has picked the configuration up, checks one call of each kind end to end
// (signature, masking, encryption, response signature), and writes the
// credentials the signer needs as JSON.
package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	xt "github.com/xietong/xietong/sdk/go"
)

// Creds is what the signer and the load generators read.
type Creds struct {
	GatewayURL     string `json:"gateway_url"`
	Path           string `json:"path"`
	Query          string `json:"query"`
	HMACKeyID      string `json:"hmac_key_id"`
	HMACSecret     string `json:"hmac_secret"`
	SM2KeyID       string `json:"sm2_key_id"`
	SM2PrivatePEM  string `json:"sm2_private_pem"`
	DataKeyID      string `json:"data_key_id"`
	DataKeyHex     string `json:"data_key_hex"`
	PlatformKeyPEM string `json:"platform_key_pem"`
}

const (
	apiPath  = "/gw/bench/person"
	subject  = "aac002=11010519491231002X"
	newPass  = "Bench#2026-gw-xt!"
	attempts = 100 // bounded waits: 100 × 100 ms
)

type console struct {
	base string
	hc   *http.Client
	csrf string
}

func (c *console) do(method, path string, in any, want int, out any) {
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
}

// admin logs in with the bootstrap password and changes it, as every first
// login must.
func admin(base, user, bootstrap string) *console {
	jar, _ := cookiejar.New(nil)
	c := &console{base: base, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	var login struct {
		CSRF string `json:"csrf_token"`
	}
	c.do("POST", "/api/v1/auth/login", map[string]string{"username": user, "password": bootstrap}, 200, &login)
	c.csrf = login.CSRF
	c.do("POST", "/api/v1/me/password", map[string]string{"old_password": bootstrap, "new_password": newPass}, 204, nil)
	return c
}

func waitReady(base string) {
	for i := 0; i < attempts; i++ {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	log.Fatalf("xietong console at %s not ready after %d tries", base, attempts)
}

func main() {
	consoleURL := flag.String("console", "", "console base URL (http://127.0.0.1:…)")
	gatewayURL := flag.String("gateway", "", "gateway base URL (http://127.0.0.1:…)")
	upstream := flag.String("upstream", "", "upstream URL the API forwards to (http://127.0.0.1:…/person)")
	bootstrap := flag.String("bootstrap", os.Getenv("XIETONG_BOOTSTRAP_PASSWORD"), "first password of the admins")
	out := flag.String("out", "", "credentials file to write")
	flag.Parse()
	for _, u := range []string{*consoleURL, *gatewayURL, *upstream} {
		p, err := url.Parse(u)
		if err != nil || p.Hostname() != "127.0.0.1" {
			log.Fatalf("setup: every address must be on 127.0.0.1, not %q", u)
		}
	}
	if *out == "" || *bootstrap == "" {
		log.Fatal("setup: -out and -bootstrap (or XIETONG_BOOTSTRAP_PASSWORD) are required")
	}
	waitReady(*consoleURL)

	// The system admin: the consumer and the API with its field classification.
	sys := admin(*consoleURL, "sysadmin", *bootstrap)
	var consumer, api struct {
		ID int64 `json:"id"`
	}
	sys.do("POST", "/api/v1/gateway/consumers", map[string]any{"code": "bench-bank", "name": "压测银行南通分行", "org_name": "压测银行"}, 201, &consumer)
	sys.do("POST", "/api/v1/gateway/apis", map[string]any{"code": "bench-person", "name": "参保人员查询（压测）", "method": "GET",
		"path": apiPath, "upstream_url": *upstream, "timeout_ms": 5000, "retries": 0,
		"fields": []map[string]string{
			{"path": "data.items[].name", "category": "name"},
			{"path": "data.items[].phone", "category": "phone"},
			{"path": "data.items[].aac002", "category": "id_number"},
			{"path": "data.items[].address", "category": "address"},
			{"path": "data.items[].bank_card", "category": "bank_card"},
		}}, 201, &api)

	// The security admin: keys, data key, grant.
	sec := admin(*consoleURL, "secadmin", *bootstrap)
	var hk struct {
		KeyID  string `json:"key_id"`
		Secret string `json:"secret"`
	}
	sec.do("POST", fmt.Sprintf("/api/v1/gateway/consumers/%d/keys", consumer.ID), map[string]any{"kind": "hmac"}, 201, &hk)
	priv, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	pubDER, _ := smx509.MarshalPKIXPublicKey(&priv.PublicKey)
	privDER, _ := smx509.MarshalPKCS8PrivateKey(priv)
	var sk struct {
		KeyID string `json:"key_id"`
	}
	sec.do("POST", fmt.Sprintf("/api/v1/gateway/consumers/%d/keys", consumer.ID), map[string]any{"kind": "sm2",
		"public_pem": string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}))}, 201, &sk)
	var dk struct {
		KeyID    string `json:"key_id"`
		Envelope string `json:"envelope"`
	}
	sec.do("POST", fmt.Sprintf("/api/v1/gateway/consumers/%d/data-keys", consumer.ID), map[string]any{}, 201, &dk)
	dataKey, err := xt.OpenEnvelope(priv, dk.Envelope)
	if err != nil {
		log.Fatal(err)
	}
	// Granted: the envelope and most person fields; not granted (removed):
	// salary and request_id. Name in plain text; phone, 身份号码, address
	// and bank card masked.
	sec.do("POST", "/api/v1/gateway/grants", map[string]any{"consumer_id": consumer.ID, "api_id": api.ID,
		"fields": []string{"code", "message", "data.total", "data.page", "data.page_size",
			"data.items[].name", "data.items[].phone", "data.items[].aac002", "data.items[].aac003", "data.items[].aac004",
			"data.items[].aac006", "data.items[].aab001", "data.items[].aab004", "data.items[].aae140", "data.items[].aac008",
			"data.items[].aac031", "data.items[].aae030", "data.items[].aic020", "data.items[].aab301", "data.items[].aae036",
			"data.items[].aae041", "data.items[].aae042", "data.items[].address", "data.items[].bank_card"},
		"plaintext_categories": []string{"name"}, "rate_per_sec": 0, "quota_day": 0, "quota_month": 0}, 201, nil)

	// The platform key, from the gateway itself.
	var pks []struct {
		PublicPEM string `json:"public_pem"`
	}
	res, err := http.Get(*gatewayURL + "/gw/v1/platform-keys")
	if err != nil {
		log.Fatal(err)
	}
	json.NewDecoder(res.Body).Decode(&pks)
	res.Body.Close()
	if len(pks) == 0 {
		log.Fatal("setup: the gateway publishes no platform key")
	}
	b, _ := pem.Decode([]byte(pks[0].PublicPEM))
	if b == nil {
		log.Fatal("setup: bad platform key PEM")
	}
	pk, err := smx509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		log.Fatal(err)
	}
	platform, ok := pk.(*ecdsa.PublicKey)
	if !ok {
		log.Fatal("setup: the platform key is not an EC key")
	}

	// The gateway polls the configuration version; wait (bounded) until the
	// grant is live, then check both paths end to end.
	q, _ := url.ParseQuery(subject)
	hc := &http.Client{Timeout: 10 * time.Second}
	hm := &xt.Client{BaseURL: *gatewayURL, KeyID: hk.KeyID, HMACSecret: hk.Secret, HTTP: hc}
	var r *xt.Result
	for i := 0; ; i++ {
		r, err = hm.Do(context.Background(), "GET", apiPath, q, nil)
		if err == nil && r.Status == 200 {
			break
		}
		if i >= attempts {
			if r != nil {
				log.Fatalf("setup: the gateway did not accept the grant in time: %d %s (%v)", r.Status, r.Body, err)
			}
			log.Fatalf("setup: the gateway did not answer: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	check(r.Body, "HMAC-SM3")
	sc := &xt.Client{BaseURL: *gatewayURL, KeyID: sk.KeyID, SM2Key: priv, DataKeyID: dk.KeyID, DataKey: dataKey, Mode: xt.ModeGCM,
		PlatformKey: platform, HTTP: hc}
	r, err = sc.Do(context.Background(), "GET", apiPath, q, nil)
	if err != nil || r.Status != 200 {
		log.Fatalf("setup: SM2-SM3 + SM4-GCM call: %v %v", err, r)
	}
	if r.Header.Get(xt.HeaderSignatureMethod) != xt.MethodSM2 || !strings.HasPrefix(r.Header.Get(xt.HeaderEncryption), xt.ModeGCM) {
		log.Fatalf("setup: SM2 path answer not SM2-signed and SM4-GCM-encrypted: %v", r.Header)
	}
	check(r.Body, "SM2-SM3 + SM4-GCM")

	c := Creds{GatewayURL: *gatewayURL, Path: apiPath, Query: subject, HMACKeyID: hk.KeyID, HMACSecret: hk.Secret,
		SM2KeyID: sk.KeyID, SM2PrivatePEM: string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privDER})),
		DataKeyID: dk.KeyID, DataKeyHex: hex.EncodeToString(dataKey), PlatformKeyPEM: pks[0].PublicPEM}
	raw, _ := json.MarshalIndent(c, "", "  ")
	if err := os.WriteFile(*out, raw, 0o600); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "setup: consumer %d, API %d, HMAC key %s, SM2 key %s, data key %s; both paths answer 200 with masking\n",
		consumer.ID, api.ID, hk.KeyID, sk.KeyID, dk.KeyID)
}

// check makes sure the answer went through the grant: masked phone and
// 身份号码, plain name, salary removed.
func check(body []byte, path string) {
	var v struct {
		Data struct {
			Items []map[string]any `json:"items"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &v); err != nil || len(v.Data.Items) == 0 {
		log.Fatalf("setup: %s answer is not the person list: %s", path, body)
	}
	it := v.Data.Items[0]
	if it["phone"] != "138****1234" || it["aac002"] != "110105********002X" || it["name"] != "张三" {
		log.Fatalf("setup: %s answer not masked per the grant: %s", path, body)
	}
	if _, ok := it["salary"]; ok {
		log.Fatalf("setup: %s answer kept a field not granted: %s", path, body)
	}
	fmt.Fprintf(os.Stderr, "setup: %s call verified (%d bytes, phone %v, aac002 %v)\n", path, len(body), it["phone"], it["aac002"])
}
