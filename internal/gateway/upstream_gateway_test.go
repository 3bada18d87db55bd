package gateway

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestForwardOutcomes: the upstream client's failures as the caller and
// the breaker see them.
func TestForwardOutcomes(t *testing.T) {
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(2 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"code":0,"msg":"`+strings.Repeat("x", 2000)+`"}`)
	}))
	defer huge.Close()
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	refused := "http://" + l.Addr().String()
	l.Close()

	for _, tc := range []struct {
		name, upstream string
		status         int
		code           string
		failures       uint32 // counted by the breaker
	}{
		{"slow", slow.URL, 504, "gw_upstream_timeout", 1},
		{"refused", refused, 502, "gw_upstream_error", 1},
		{"too large", huge.URL, 502, "gw_upstream_error", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := benchGateway(t)
			g.upstream.dial = nil
			g.upstream.maxBody = 1000
			api := g.snap.Load().APIs["GET /gw/p"]
			api.Upstream, _ = url.Parse(tc.upstream + "/p")
			api.Timeout = 100 * time.Millisecond
			w := httptest.NewRecorder()
			g.ServeHTTP(w, signedRequests(1)[0])
			var p struct{ Code string }
			json.Unmarshal(w.Body.Bytes(), &p)
			if w.Code != tc.status || p.Code != tc.code {
				t.Fatalf("%d %s, want %d %s", w.Code, w.Body, tc.status, tc.code)
			}
			c := g.breaker(api.Upstream.Host).cb.Counts()
			if c.Requests != 1 || c.TotalFailures != tc.failures {
				t.Fatalf("breaker counts %+v, want %d failures", c, tc.failures)
			}
		})
	}
}
