package gateway

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/calllog"
	"github.com/xietong/xietong/internal/gm"
	xt "github.com/xietong/xietong/sdk/go"
)

// loopbackGateway is a gateway with one HMAC key and one API whose grant
// filters and masks a ~1 KB answer from a loopback upstream, and n
// pre-signed calls to it.
func loopbackGateway(b *testing.B, n int) (*Gateway, []*http.Request) {
	doc := `{"code":0,"data":{"items":[{"name":"张三","phone":"13812341234","aac002":"11010519491231002X","salary":9000,"addr":"江苏省南通市崇川区青年中路1号","unit":"南通某某科技有限公司","aab001":"32060000000123","aae140":"110","aic020":"8000.00","aae003":"202611","note":"` + strings.Repeat("x", 600) + `"}]}}`
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, doc)
	}))
	b.Cleanup(up.Close)
	j, _ := calllog.OpenJournal(b.TempDir())
	b.Cleanup(func() { j.Close() })
	box, _ := gm.NewBox(make([]byte, 16))
	priv, _ := gm.GenerateSM2()
	u, _ := url.Parse(up.URL + "/p")
	cons := &Consumer{ID: 1, Code: "bank", Active: true}
	snap := &Snapshot{
		Keys: map[string]*Key{"ak_b": {ID: "ak_b", Consumer: cons, Kind: KindHMAC, Secret: "secret-secret-secret"}},
		APIs: map[string]*API{"GET /gw/p": {ID: 1, Code: "p", Method: "GET", Path: "/gw/p", Upstream: u, Timeout: 5 * time.Second,
			Fields: []FieldClass{{Path: "data.items[].phone", Category: "phone"}, {Path: "data.items[].aac002", Category: "id_number"}}}},
		Grants:   map[GrantKey]*Grant{{1, 1}: {ID: 1, Active: true, Plain: map[string]bool{}, Fields: []string{"code", "data.items[].name", "data.items[].phone", "data.items[].aac002", "data.items[].addr"}}},
		Platform: &PlatformKey{ID: "pk", Priv: priv},
	}
	g, err := New(context.Background(), Options{Load: func(context.Context) (*Snapshot, error) { return snap, nil }, State: NewMemoryState(),
		Journal: j, Box: box, IndexKey: []byte("k"), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	reqs := make([]*http.Request, n)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	for i := range reqs {
		nonce := fmt.Sprintf("bench-nonce-%012d", i)
		q := "aac002=11010519491231002X"
		msg, _ := xt.Request{Method: "GET", Path: "/gw/p", RawQuery: q, KeyID: "ak_b", Timestamp: ts, Nonce: nonce}.StringToSign()
		r := httptest.NewRequest("GET", "/gw/p?"+q, nil)
		r.Header.Set(xt.HeaderKeyID, "ak_b")
		r.Header.Set(xt.HeaderTimestamp, ts)
		r.Header.Set(xt.HeaderNonce, nonce)
		r.Header.Set(xt.HeaderSignature, base64.StdEncoding.EncodeToString(xt.HMACSign("secret-secret-secret", msg)))
		// A context of its own, cancelled when done, as net/http's server
		// gives each request.
		ctx, cancel := context.WithCancel(context.Background())
		b.Cleanup(cancel)
		reqs[i] = r.WithContext(ctx)
	}
	return g, reqs
}

// BenchmarkServeHTTP measures one HMAC-SM3 call through every stage with a
// grant that filters and masks a ~1 KB answer, against a loopback upstream
// (its CPU counts too). It is a profiling aid (go test -bench ServeHTTP
// -cpuprofile …); the figures that count come from bench/gateway. For
// instruction counts: callgrind aborts on a cgo binary's preemption
// signals, and counts the runtime's idle spinning unless there is one P
// and valgrind schedules threads fairly; then the totals repeat within
// about 2 %:
//
//	CGO_ENABLED=0 go test -c -o /tmp/gw.test ./internal/gateway
//	GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --fair-sched=yes \
//	  /tmp/gw.test -test.run '^$' -test.bench '^BenchmarkServeHTTP$' -test.benchtime 2000x
//
// and subtract the count of the same with BenchmarkServeHTTPSetup, a
// separate run; divide by 2001 (the benchmark runs once with b.N = 1).
func BenchmarkServeHTTP(b *testing.B) {
	g, reqs := loopbackGateway(b, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := httptest.NewRecorder()
		g.ServeHTTP(w, reqs[i])
		if w.Code != 200 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}

// BenchmarkServeHTTPSetup is BenchmarkServeHTTP's setup alone (gateway,
// upstream, pre-signed requests).
func BenchmarkServeHTTPSetup(b *testing.B) {
	_, reqs := loopbackGateway(b, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if reqs[i] == nil {
			b.Fatal("no request")
		}
	}
}

// BenchmarkServeHTTPParallel is BenchmarkServeHTTP with 32 calls in flight
// per core, the way a loaded gateway runs: ns/op is the inverse of the
// throughput, the upstream's CPU included.
func BenchmarkServeHTTPParallel(b *testing.B) {
	g, reqs := loopbackGateway(b, b.N)
	var next atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w := httptest.NewRecorder()
			g.ServeHTTP(w, reqs[next.Add(1)-1])
			if w.Code != 200 {
				b.Errorf("%d %s", w.Code, w.Body)
				return
			}
		}
	})
}
