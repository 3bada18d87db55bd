package gateway

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/calllog"
	"github.com/xietong/xietong/internal/gm"
	xt "github.com/xietong/xietong/sdk/go"
)

func fuzzGateway(t testing.TB) *Gateway {
	j, err := calllog.OpenJournal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	box, _ := gm.NewBox(make([]byte, 16))
	priv, _ := gm.GenerateSM2()
	cons := &Consumer{ID: 1, Code: "c", Active: true}
	up, _ := url.Parse("http://127.0.0.1:1/unused")
	snap := &Snapshot{
		Keys:     map[string]*Key{"ak_fuzz": {ID: "ak_fuzz", Consumer: cons, Kind: KindHMAC, Secret: "secret"}, "ak_sm2": {ID: "ak_sm2", Consumer: cons, Kind: KindSM2, Public: &priv.PublicKey}},
		DataKeys: map[string]*DataKey{"dk_fuzz": {ID: "dk_fuzz", ConsumerID: 1, Key: make([]byte, 16)}},
		APIs:     map[string]*API{"GET /gw/x": {ID: 1, Code: "x", Method: "GET", Path: "/gw/x", Upstream: up, Timeout: 50 * time.Millisecond}},
		Grants:   map[GrantKey]*Grant{{1, 1}: {ID: 1, Active: true, Plain: map[string]bool{}}},
		Platform: &PlatformKey{ID: "pk", Priv: priv},
	}
	g, err := New(context.Background(), Options{Load: func(context.Context) (*Snapshot, error) { return snap, nil }, State: NewMemoryState(),
		Journal: j, Box: box, IndexKey: []byte("k"), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// FuzzRequest feeds arbitrary headers, query and body to the request parser
// and the stages: the gateway must answer with a documented status and never
// panic or let an unsigned call reach the upstream.
func FuzzRequest(f *testing.F) {
	f.Add("ak_fuzz", "1700000000", "nonce-nonce-nonce-01", "", "AAAA", "a=1&b=%zz", []byte("{}"))
	f.Add("ak_sm2", "", "short", "SM4-GCM;dk_fuzz", "!!", "xt_q=AAAA", []byte("not base64"))
	f.Add("", "99999999999999999999", "nonce-nonce-nonce-02", "SM4-CBC;dk_x", "", "", []byte(nil))
	g := fuzzGateway(f)
	allowed := map[int]bool{400: true, 401: true, 403: true, 404: true, 413: true, 429: true}
	f.Fuzz(func(t *testing.T, key, ts, nonce, enc, sig, query string, body []byte) {
		r := httptest.NewRequest("GET", "/gw/x", strings.NewReader(string(body)))
		r.URL.RawQuery = query
		for h, v := range map[string]string{xt.HeaderKeyID: key, xt.HeaderTimestamp: ts, xt.HeaderNonce: nonce, xt.HeaderEncryption: enc, xt.HeaderSignature: sig} {
			if v != "" && !strings.ContainsAny(v, "\r\n\x00") {
				r.Header.Set(h, v)
			}
		}
		w := httptest.NewRecorder()
		g.ServeHTTP(w, r)
		if !allowed[w.Code] {
			t.Fatalf("status %d for an unsigned request: %s", w.Code, w.Body)
		}
		if w.Header().Get("Content-Type") != "application/problem+json" {
			t.Fatalf("refusal without a problem: %v", w.Header())
		}
	})
}
