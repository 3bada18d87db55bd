package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/testutil"
	xt "github.com/xietong/xietong/sdk/go"
)

// TestGeneratedKeyHandedOverEncrypted: xietong makes an SM2 pair and hands
// the private key over once, as an encrypted PKCS#8 that OpenSSL opens with
// the passphrase; the pair then signs calls the gateway accepts.
func TestGeneratedKeyHandedOverEncrypted(t *testing.T) {
	openssl := need(t, "openssl")
	f := newGateway(t, testutil.Dialects(t)[0])
	up := person(t, nil)
	f.api(t, "p", "/gw/p", up.URL, map[string]any{})
	f.sec.Do("POST", fmt.Sprintf("/api/v1/gateway/consumers/%d/keys", f.consumer), map[string]any{"kind": "sm2", "generate": true, "passphrase": "short"}).Want(t, 422, "validation_failed")
	var k struct {
		KeyID      string `json:"key_id"`
		PrivatePEM string `json:"private_pem"`
		PublicPEM  string `json:"public_pem"`
	}
	f.sec.Do("POST", fmt.Sprintf("/api/v1/gateway/consumers/%d/keys", f.consumer), map[string]any{"kind": "sm2", "generate": true, "passphrase": "Bank-A passphrase 2026"}).Want(t, 201, "").JSON(t, &k)
	if !strings.Contains(k.PrivatePEM, "ENCRYPTED PRIVATE KEY") {
		t.Fatalf("private key not encrypted: %.60s", k.PrivatePEM)
	}
	dir := t.TempDir()
	enc := filepath.Join(dir, "enc.pem")
	os.WriteFile(enc, []byte(k.PrivatePEM), 0o600)
	plain := filepath.Join(dir, "key.pem")
	run(t, openssl, "pkey", "-in", enc, "-passin", "pass:Bank-A passphrase 2026", "-out", plain)
	if err := exec.Command(openssl, "pkey", "-in", enc, "-passin", "pass:wrong", "-noout").Run(); err == nil {
		t.Fatal("the private key opened with a wrong passphrase")
	}
	pub := run(t, openssl, "pkey", "-in", plain, "-pubout")
	if strings.TrimSpace(pub) != strings.TrimSpace(k.PublicPEM) {
		t.Fatal("the handed-over private key does not match the registered public key")
	}
	// The key is not kept: the consumer's view shows only the public part.
	var cons struct {
		Keys []map[string]any `json:"keys"`
	}
	f.sec.Do("GET", fmt.Sprintf("/api/v1/gateway/consumers/%d/credentials", f.consumer), nil).Want(t, 200, "").JSON(t, &cons)
	for _, key := range cons.Keys {
		if _, ok := key["private_pem"]; ok {
			t.Fatal("a private key is shown again")
		}
		if _, ok := key["secret"]; ok {
			t.Fatal("a secret is shown again")
		}
	}
}

// TestKeyRotationWithOverlap: after rotation both keys work during the
// overlap; the new secret is shown once; revoking the old one stops it at once.
func TestKeyRotationWithOverlap(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newGateway(t, d)
		up := person(t, nil)
		f.api(t, "p", "/gw/p", up.URL, map[string]any{})
		var cons struct {
			Keys []struct {
				ID int64 `json:"id"`
			} `json:"keys"`
		}
		f.sec.Do("GET", fmt.Sprintf("/api/v1/gateway/consumers/%d/credentials", f.consumer), nil).Want(t, 200, "").JSON(t, &cons)
		oldID := cons.Keys[0].ID
		var nk struct {
			KeyID  string `json:"key_id"`
			Secret string `json:"secret"`
		}
		f.sec.Do("POST", fmt.Sprintf("/api/v1/gateway/keys/%d/rotate", oldID), map[string]any{"overlap_hours": 24}).Want(t, 201, "").JSON(t, &nk)
		if nk.Secret == "" || nk.KeyID == f.keyID {
			t.Fatalf("rotation: %+v", nk)
		}
		f.s.App.Gateway.Reload(context.Background())
		old, fresh := f.client(), &xt.Client{BaseURL: f.s.GatewayURL, KeyID: nk.KeyID, HMACSecret: nk.Secret}
		for name, c := range map[string]*xt.Client{"old": old, "new": fresh} {
			if r := call(t, c, "/gw/p", nil); r.Status != 200 {
				t.Fatalf("%s key during the overlap: %d %s", name, r.Status, r.Body)
			}
		}
		f.sec.Do("POST", fmt.Sprintf("/api/v1/gateway/keys/%d/revoke", oldID), nil).Want(t, 204, "")
		f.sec.Do("POST", fmt.Sprintf("/api/v1/gateway/keys/%d/rotate", oldID), map[string]any{"overlap_hours": 1}).Want(t, 409, "key_revoked")
		f.s.App.Gateway.Reload(context.Background())
		wantCode(t, call(t, old, "/gw/p", nil), 401, "gw_revoked_key")
		if r := call(t, fresh, "/gw/p", nil); r.Status != 200 {
			t.Fatalf("new key after revoking the old: %d", r.Status)
		}
	})
}

// TestSOAPPassThrough: an XML (SOAP) upstream with no classified fields is
// passed through untouched; with classified fields it is refused rather
// than leaked unmasked.
func TestSOAPPassThrough(t *testing.T) {
	f := newGateway(t, testutil.Dialects(t)[0])
	soap := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Write([]byte(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><r>ok</r></soap:Body></soap:Envelope>`))
	}))
	defer soap.Close()
	apiID := id(t, f.sys.Do("POST", "/api/v1/gateway/apis", map[string]any{"code": "soap", "name": "SOAP", "method": "POST", "path": "/gw/soap", "upstream_url": soap.URL}).Want(t, 201, ""))
	f.sec.Do("POST", "/api/v1/gateway/grants", map[string]any{"consumer_id": f.consumer, "api_id": apiID}).Want(t, 201, "")
	f.s.App.Gateway.Reload(context.Background())
	res, err := f.client().Do(context.Background(), "POST", "/gw/soap", nil, []byte(`<soap:Envelope/>`))
	if err != nil || res.Status != 200 || !strings.Contains(string(res.Body), "<r>ok</r>") {
		t.Fatalf("SOAP pass-through: %v %d %s", err, res.Status, res.Body)
	}
	f.api(t, "soap-classified", "/gw/soap2", soap.URL, map[string]any{})
	res, _ = f.client().Do(context.Background(), "GET", "/gw/soap2", nil, nil)
	wantCode(t, res, 502, "gw_upstream_error")
}

// TestReloadKeepsCallsInFlight: a call that started before a configuration
// change finishes normally.
func TestReloadKeepsCallsInFlight(t *testing.T) {
	f := newGateway(t, testutil.Dialects(t)[0])
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(400 * time.Millisecond)
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"code":0}`))
	}))
	defer slow.Close()
	f.api(t, "slow", "/gw/slow", slow.URL, map[string]any{})
	done := make(chan *xt.Result)
	go func() {
		r, _ := f.client().Do(context.Background(), "GET", "/gw/slow", nil, nil)
		done <- r
	}()
	time.Sleep(100 * time.Millisecond)
	f.sys.Do("POST", "/api/v1/gateway/consumers", map[string]any{"code": "bank-b", "name": "另一家银行"}).Want(t, 201, "")
	if err := f.s.App.Gateway.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if r := <-done; r == nil || r.Status != 200 {
		t.Fatalf("the call in flight did not finish: %+v", r)
	}
}

// TestCallerHangUpsDoNotTripTheBreaker: callers that give up on a slow
// upstream cancel their calls; that is not an upstream failure.
func TestCallerHangUpsDoNotTripTheBreaker(t *testing.T) {
	f := newGateway(t, testutil.Dialects(t)[0])
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(300 * time.Millisecond):
		case <-r.Context().Done():
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"code":0}`))
	}))
	defer slow.Close()
	f.api(t, "slow", "/gw/slow", slow.URL, map[string]any{})
	for i := 0; i < 8; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		f.client().Do(ctx, "GET", "/gw/slow", nil, nil)
		cancel()
	}
	time.Sleep(400 * time.Millisecond) // the abandoned calls' upstream answers arrive
	if r := call(t, f.client(), "/gw/slow", nil); r.Status != 200 {
		t.Fatalf("after callers hung up: %d %s (the breaker counted them against the upstream)", r.Status, r.Body)
	}
	// The call log says they were not answered: the audit must not claim a
	// caller got data it never read.
	if _, err := f.s.App.Ingester.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	var closed, ok200 int
	f.s.App.DB.QueryRow(context.Background(), "SELECT COUNT(*) FROM gateway_calls WHERE path = '/gw/slow' AND code = 'gw_client_closed' AND status = 499").Scan(&closed)
	f.s.App.DB.QueryRow(context.Background(), "SELECT COUNT(*) FROM gateway_calls WHERE path = '/gw/slow' AND status = 200").Scan(&ok200)
	if closed != 8 || ok200 != 1 {
		t.Fatalf("call log: %d calls logged gw_client_closed and %d answered, want 8 and 1", closed, ok200)
	}
}
