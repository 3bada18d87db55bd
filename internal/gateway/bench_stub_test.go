package gateway

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/xietong/xietong/internal/calllog"
	"github.com/xietong/xietong/internal/gm"
	xt "github.com/xietong/xietong/sdk/go"
)

// benchDoc is the benchmark's upstream answer: the shape of
// bench/gateway/upstream's person list, with a masked phone and ID number.
var benchDoc = `{"code":0,"msg":"ok","data":{"items":[{"name":"张三","phone":"13812341234","aac002":"11010519491231002X","salary":9000,"addr":"江苏省南通市崇川区青年中路1号","unit":"南通某某科技有限公司","aab001":"32060000000123","aae140":"110","aic020":"8000.00","aae003":"202611","request_id":"r-1","note":"` + strings.Repeat("x", 500) + `"}]}}`

// pipeUpstream is a dial function for the upstream client whose
// connections are answered in process over net.Pipe, each request with
// answer (a whole HTTP/1.1 response): the client's real code without
// sockets. It reads requests without parsing them into net/http's types,
// so that the benchmark counts the gateway's allocations only; it
// understands Content-Length bodies, not chunked ones.
func pipeUpstream(answer string) func(context.Context, string, string) (net.Conn, error) {
	return func(context.Context, string, string) (net.Conn, error) {
		client, server := net.Pipe()
		go func() {
			defer server.Close()
			br := bufio.NewReader(server)
			for {
				n := 0
				for {
					line, err := br.ReadSlice('\n')
					if err != nil {
						return
					}
					if len(line) <= 2 {
						break
					}
					if v, ok := bytes.CutPrefix(line, []byte("Content-Length: ")); ok {
						n, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
					}
				}
				if _, err := br.Discard(n); err != nil {
					return
				}
				if _, err := io.WriteString(server, answer); err != nil {
					return
				}
			}
		}()
		return client, nil
	}
}

// benchGateway is a gateway with one HMAC key and one API whose grant
// filters and masks benchDoc, answered by pipeUpstream.
func benchGateway(tb testing.TB) *Gateway {
	j, err := calllog.OpenJournal(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { j.Close() })
	box, _ := gm.NewBox(make([]byte, 16))
	priv, _ := gm.GenerateSM2()
	u, _ := url.Parse("http://upstream.invalid/p")
	cons := &Consumer{ID: 1, Code: "bank", Active: true}
	api := &API{ID: 1, Code: "p", Method: "GET", Path: "/gw/p", Upstream: u, Timeout: 5 * time.Second,
		Fields: []FieldClass{{Path: "data.items[].phone", Category: "phone"}, {Path: "data.items[].aac002", Category: "id_number"},
			{Path: "data.items[].addr", Category: "address"}}}
	grant := &Grant{ID: 1, Active: true, Plain: map[string]bool{"name": true}, Fields: []string{"code", "msg", "data.items[].name", "data.items[].phone",
		"data.items[].aac002", "data.items[].addr", "data.items[].unit", "data.items[].aab001", "data.items[].aae140", "data.items[].aic020",
		"data.items[].aae003", "data.items[].note"}}
	grant.Shaper = NewShaper(api, grant)
	snap := &Snapshot{
		Keys:     map[string]*Key{"ak_b": {ID: "ak_b", Consumer: cons, Kind: KindHMAC, Secret: "secret-secret-secret-secret-secret-secret-s"}},
		APIs:     map[string]*API{"GET /gw/p": api},
		Grants:   map[GrantKey]*Grant{{1, 1}: grant},
		Platform: &PlatformKey{ID: "pk", Priv: priv},
	}
	g, err := New(context.Background(), Options{Load: func(context.Context) (*Snapshot, error) { return snap, nil }, State: NewMemoryState(),
		Journal: j, Box: box, IndexKey: []byte("k"), Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: prometheus.NewRegistry()})
	if err != nil {
		tb.Fatal(err)
	}
	g.upstream.dial = pipeUpstream("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(benchDoc)) + "\r\n\r\n" + benchDoc)
	return g
}

// signedRequests pre-signs n HMAC calls (distinct nonces).
func signedRequests(n int) []*http.Request {
	reqs := make([]*http.Request, n)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	for i := range reqs {
		nonce := fmt.Sprintf("bench-nonce-%012d", i)
		q := "aac002=11010519491231002X"
		msg, _ := xt.Request{Method: "GET", Path: "/gw/p", RawQuery: q, KeyID: "ak_b", Timestamp: ts, Nonce: nonce}.StringToSign()
		reqs[i] = &http.Request{Method: "GET", URL: &url.URL{Path: "/gw/p", RawQuery: q}, RequestURI: "/gw/p?" + q, Proto: "HTTP/1.1",
			ProtoMajor: 1, ProtoMinor: 1, Host: "example.com", RemoteAddr: "192.0.2.1:1234", Body: http.NoBody, Header: http.Header{}}
		h := reqs[i].Header
		h.Set(xt.HeaderKeyID, "ak_b")
		h.Set(xt.HeaderTimestamp, ts)
		h.Set(xt.HeaderNonce, nonce)
		h.Set(xt.HeaderSignature, base64.StdEncoding.EncodeToString(xt.HMACSign("secret-secret-secret-secret-secret-secret-s", msg)))
	}
	return reqs
}

// discardWriter is a ResponseWriter that keeps only the status, with a
// header map reset per call (as net/http gives each request a fresh one).
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(s int)           { w.status = s }
func (w *discardWriter) Write(b []byte) (int, error) { w.n += len(b); return len(b), nil }

// BenchmarkServeHTTPStub runs HMAC calls through ServeHTTP against an
// in-process upstream over net.Pipe (no sockets): the gateway's own CPU
// and allocations per call, the upstream client's included. For
// instruction counts, see BenchmarkServeHTTP, with '^BenchmarkServeHTTPStub$'
// and '^BenchmarkServeHTTPStubSetup$'.
func BenchmarkServeHTTPStub(b *testing.B) {
	g := benchGateway(b)
	reqs := signedRequests(b.N)
	w := &discardWriter{}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.h, w.status, w.n = make(http.Header, 12), 0, 0
		g.ServeHTTP(w, reqs[i])
		if w.status != 200 {
			b.Fatalf("status %d", w.status)
		}
	}
}

// BenchmarkServeHTTPStubSetup is BenchmarkServeHTTPStub's setup alone
// (gateway, pre-signed requests): subtract its instruction count from the
// benchmark's to get the calls' own.
func BenchmarkServeHTTPStubSetup(b *testing.B) {
	benchGateway(b)
	reqs := signedRequests(b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if reqs[i] == nil {
			b.Fatal("no request")
		}
	}
}

// TestStubCall checks the benchmark's call: answered, signed, filtered and
// masked as the grant says.
func TestStubCall(t *testing.T) {
	g := benchGateway(t)
	r := signedRequests(1)[0]
	w := httptest.NewRecorder()
	g.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	want := `{"code":0,"msg":"ok","data":{"items":[{"name":"张三","phone":"138****1234","aac002":"110105********002X","addr":"江苏省南通市崇川区****","unit":"南通某某科技有限公司","aab001":"32060000000123","aae140":"110","aic020":"8000.00","aae003":"202611","note":"` + strings.Repeat("x", 500) + `"}]}}`
	if w.Body.String() != want {
		t.Fatalf("body\n%s\nwant\n%s", w.Body, want)
	}
	h := w.Header()
	msg := xt.Response{Status: 200, RequestNonce: r.Header.Get(xt.HeaderNonce), Timestamp: h.Get(xt.HeaderTimestamp), Nonce: h.Get(xt.HeaderNonce),
		Body: w.Body.Bytes()}.StringToSign()
	sig, _ := base64.StdEncoding.DecodeString(h.Get(xt.HeaderSignature))
	if !bytes.Equal(sig, xt.HMACSign("secret-secret-secret-secret-secret-secret-s", msg)) {
		t.Fatalf("response signature does not verify: %v", h)
	}
	for k, v := range map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
		xt.HeaderSignatureMethod: xt.MethodHMAC, xt.HeaderRequestNonce: r.Header.Get(xt.HeaderNonce)} {
		if h.Get(k) != v {
			t.Errorf("%s: %q, want %q", k, h.Get(k), v)
		}
	}
	if len(h.Get("X-XT-Call-Id")) != 16 || len(h.Get(xt.HeaderNonce)) != 22 {
		t.Errorf("call id / nonce: %v", h)
	}
}
