package gateway

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// echo answers with what it saw of the request, as the gateway would use it.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	switch r.URL.Path {
	case "/panic":
		panic("boom")
	case "/big":
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(strings.Repeat("x", bufferedBody)))
		w.Write([]byte("tail"))
		return
	case "/slow":
		time.Sleep(300 * time.Millisecond)
	case "/inject":
		w.Header().Set("X-Upstream", "a\r\nSet-Cookie: evil=1")
	case "/nocontent":
		w.WriteHeader(http.StatusNoContent)
		return
	}
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("X-Seen", fmt.Sprintf("%s %s q=%s key=%s host=%s len=%d ip=%s", r.Method, r.URL.EscapedPath(), r.URL.RawQuery,
		r.Header.Get("X-XT-Key-Id"), r.Host, r.ContentLength, ip))
	w.WriteHeader(http.StatusCreated)
	w.Write(body)
})

func startServer(t *testing.T, s *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve returned %v", err)
		}
	})
	return ln.Addr().String()
}

// exchange sends raw on one connection and reads answers until the server
// closes it or the deadline passes.
func exchange(t *testing.T, addr, raw string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(c)
	return string(out)
}

func TestServerExchanges(t *testing.T) {
	addr := startServer(t, &Server{Handler: echo, MaxBodyBytes: 64, MaxHeaderBytes: 1024, IdleTimeout: 300 * time.Millisecond})
	long := strings.Repeat("a", 2000)
	for _, c := range []struct {
		name, raw string
		want      []string // in order
		not       []string
	}{
		{"keep-alive, two requests, pipelined",
			"GET /gw/p?a=1 HTTP/1.1\r\nHost: x\r\nX-XT-Key-Id: k1\r\n\r\nPOST /gw/q HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
			[]string{"HTTP/1.1 201 Created\r\n", "X-Seen: GET /gw/p q=a=1 key=k1 host=x len=0 ip=127.0.0.1\r\n", "Content-Length: 0\r\n\r\n",
				"HTTP/1.1 201 Created\r\n", "X-Seen: POST /gw/q q= key= host=x len=5", "Connection: close\r\n\r\nhello"}, nil},
		{"header names in any case, escaped path kept",
			"GET /gw/a%2Fb HTTP/1.1\r\nhost: x\r\nx-xt-key-id: k2\r\nConnection: close\r\n\r\n",
			[]string{"X-Seen: GET /gw/a%2Fb q= key=k2 host=x"}, nil},
		{"chunked body with a trailer",
			"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n",
			[]string{"HTTP/1.1 201 Created", "len=5", "\r\n\r\nabcde"}, nil},
		{"expect 100-continue",
			"PUT /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
			[]string{"HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 201 Created", "\r\n\r\nok"}, nil},
		{"HTTP/1.0 closes after the answer", "GET /h HTTP/1.0\r\n\r\n",
			[]string{"HTTP/1.1 201 Created", "Connection: close"}, nil},
		{"HEAD has no body", "HEAD /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
			[]string{"HTTP/1.1 201 Created"}, []string{"Content-Length"}},
		{"a body too large", "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 65\r\n\r\n",
			[]string{"HTTP/1.1 413 Request Entity Too Large", "application/problem+json", "Connection: close", `"code":"gw_bad_request"`}, nil},
		{"a chunked body too large", "POST /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n41\r\n" + strings.Repeat("z", 65) + "\r\n0\r\n\r\n",
			[]string{"HTTP/1.1 413"}, nil},
		{"Content-Length and Transfer-Encoding", "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n",
			[]string{"HTTP/1.1 400 Bad Request", "Connection: close"}, []string{"smuggled", "201"}},
		{"differing Content-Lengths", "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
			[]string{"HTTP/1.1 400"}, []string{"201"}},
		{"a sign in Content-Length", "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc", []string{"HTTP/1.1 400"}, nil},
		{"a minus in Content-Length", "POST /s HTTP/1.1\r\nHost: x\r\nContent-Length: -0\r\n\r\n", []string{"HTTP/1.1 400"}, nil},
		{"other transfer codings", "POST /s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", []string{"HTTP/1.1 501"}, nil},
		{"no Host", "GET /h HTTP/1.1\r\n\r\n", []string{"HTTP/1.1 400", "Host"}, nil},
		{"two Hosts", "GET /h HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", []string{"HTTP/1.1 400"}, nil},
		{"folded header", "GET /h HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  2\r\n\r\n", []string{"HTTP/1.1 400", "obs-fold"}, nil},
		{"space before the colon", "GET /h HTTP/1.1\r\nHost : x\r\n\r\n", []string{"HTTP/1.1 400"}, nil},
		{"control character in a value", "GET /h HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n", []string{"HTTP/1.1 400"}, nil},
		{"header too large", "GET /h HTTP/1.1\r\nHost: x\r\nX-A: " + long + "\r\n\r\n", []string{"HTTP/1.1 431"}, nil},
		{"request line too large", "GET /" + long + " HTTP/1.1\r\nHost: x\r\n\r\n", []string{"HTTP/1.1 431"}, nil},
		{"unknown version", "GET /h HTTP/2.0\r\nHost: x\r\n\r\n", []string{"HTTP/1.1 505"}, nil},
		{"absolute-form target", "GET http://x/h HTTP/1.1\r\nHost: x\r\n\r\n", []string{"HTTP/1.1 400"}, nil},
		{"CONNECT", "CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\n", []string{"HTTP/1.1 400"}, nil},
		{"garbage", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", []string{"HTTP/1.1 400"}, nil},
		{"body cut short", "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc", nil, []string{"201"}},
		{"empty lines before a request are ignored", "\r\n\r\nGET /h HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", []string{"HTTP/1.1 201"}, nil},
		{"no header line injected by a value", "GET /inject HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
			[]string{"X-Upstream: a  Set-Cookie: evil=1\r\n"}, []string{"\nSet-Cookie"}},
		{"204 has neither length nor body", "GET /nocontent HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
			[]string{"HTTP/1.1 204 No Content"}, []string{"Content-Length"}},
		{"a panic closes the connection and nothing else", "GET /panic HTTP/1.1\r\nHost: x\r\n\r\n", nil, []string{"HTTP/1.1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := exchange(t, addr, c.raw)
			at := 0
			for _, w := range c.want {
				i := strings.Index(out[at:], w)
				if i < 0 {
					t.Fatalf("answer lacks %q (after byte %d):\n%s", w, at, out)
				}
				at += i + len(w)
			}
			for _, n := range c.not {
				if strings.Contains(out, n) {
					t.Fatalf("answer has %q:\n%s", n, out)
				}
			}
		})
	}
	// The server still serves after all that.
	if out := exchange(t, addr, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); !strings.HasPrefix(out, "HTTP/1.1 201") {
		t.Fatalf("after the refusals: %q", out)
	}
}

// A large answer goes out chunked, whole, and the connection stays usable;
// to an HTTP/1.0 caller it goes whole with its length.
func TestServerLargeAnswerIsChunked(t *testing.T) {
	addr := startServer(t, &Server{Handler: echo})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	for i := 0; i < 2; i++ {
		fmt.Fprintf(c, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
		res, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(res.Body)
		if err != nil || len(b) != bufferedBody+4 || !strings.HasSuffix(string(b), "xtail") || len(res.TransferEncoding) != 1 {
			t.Fatalf("call %d: %d bytes, %v, %v", i, len(b), res.TransferEncoding, err)
		}
	}
	out := exchange(t, addr, "GET /big HTTP/1.0\r\n\r\n")
	if !strings.Contains(out, fmt.Sprintf("Content-Length: %d\r\n", bufferedBody+4)) || strings.Contains(out, "chunked") || !strings.HasSuffix(out, "xtail") {
		t.Fatalf("HTTP/1.0: %q…", out[:200])
	}
}

// Shutdown closes idle connections at once, lets a call in flight finish
// and answer, and then Serve returns.
func TestServerShutdownWaitsForCallsInFlight(t *testing.T) {
	s := &Server{Handler: echo}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	idle, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	busy, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	fmt.Fprintf(busy, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
	time.Sleep(100 * time.Millisecond) // the call is in the handler
	var wg sync.WaitGroup
	wg.Add(1)
	var answer *http.Response
	go func() {
		defer wg.Done()
		answer, _ = http.ReadResponse(bufio.NewReader(busy), nil)
	}()
	start := time.Now()
	if err := s.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if answer == nil || answer.StatusCode != 201 || !answer.Close {
		t.Fatalf("the call in flight got %+v", answer)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Shutdown took %v", d)
	}
	idle.SetReadDeadline(time.Now().Add(time.Second))
	if n, err := idle.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Fatalf("the idle connection is still open: %d %v", n, err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Fatal("still accepting after Shutdown")
	}
}

// A connection that sends nothing is closed after IdleTimeout; one that
// stalls inside its header after ReadHeaderTimeout.
func TestServerTimeouts(t *testing.T) {
	addr := startServer(t, &Server{Handler: echo, IdleTimeout: 200 * time.Millisecond, ReadHeaderTimeout: 200 * time.Millisecond})
	for _, raw := range []string{"", "GET /h HTTP/1.1\r\nHost: x\r\n"} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(c, raw)
		c.SetReadDeadline(time.Now().Add(3 * time.Second))
		start := time.Now()
		out, _ := io.ReadAll(c)
		c.Close()
		if d := time.Since(start); d > 2*time.Second || strings.Contains(string(out), "201") {
			t.Fatalf("%q: closed after %v with %q", raw, d, out)
		}
	}
}

// FuzzServerRequest: whatever arrives on a connection, the server answers
// or closes, never panics, and goes on serving.
func FuzzServerRequest(f *testing.F) {
	for _, s := range []string{
		"GET /gw/p?a=1 HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
		"POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.0\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nz",
	} {
		f.Add(s)
	}
	// serve recovers a panic (one call must not take the process down) and
	// logs it: the log is where a panic shows.
	var logged lockedBuffer
	s := &Server{Handler: echo, MaxBodyBytes: 1 << 10, MaxHeaderBytes: 4 << 10, IdleTimeout: 50 * time.Millisecond, ReadHeaderTimeout: 50 * time.Millisecond, ReadTimeout: 50 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(&logged, nil))}
	s.init()
	f.Fuzz(func(t *testing.T, raw string) {
		if strings.Contains(raw, "/panic") || strings.Contains(raw, "/slow") {
			return
		}
		client, server := net.Pipe()
		sc := &srvConn{s: s, c: server}
		s.track(sc)
		done := make(chan struct{})
		go func() { sc.serve(); close(done) }()
		go func() { io.WriteString(client, raw) }()
		client.SetReadDeadline(time.Now().Add(time.Second))
		io.Copy(io.Discard, client)
		client.Close()
		<-done
		if out := logged.take(); strings.Contains(out, "panic") {
			t.Fatalf("serving %q panicked: %s", raw, out)
		}
	})
}

// lockedBuffer collects log output from the connections' goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// take returns what was written since the last take.
func (l *lockedBuffer) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.b.String()
	l.b.Reset()
	return s
}

// Over TLS: calls are served; a connection that never finishes its
// handshake is closed after ReadHeaderTimeout, not IdleTimeout.
func TestServerTLS(t *testing.T) {
	borrowed := httptest.NewTLSServer(http.NotFoundHandler()) // for its certificate and a client that trusts it
	defer borrowed.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Handler: echo, ReadHeaderTimeout: 200 * time.Millisecond, IdleTimeout: 10 * time.Second}
	go s.Serve(tls.NewListener(ln, borrowed.TLS.Clone()))
	defer s.Shutdown(context.Background())

	res, err := borrowed.Client().Post("https://"+ln.Addr().String()+"/gw/tls?x=1", "text/plain", strings.NewReader("over tls"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 201 || string(body) != "over tls" || !strings.HasPrefix(res.Header.Get("X-Seen"), "POST /gw/tls q=x=1") {
		t.Fatalf("%d %q %q", res.StatusCode, body, res.Header.Get("X-Seen"))
	}

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	io.ReadAll(c) // returns when the server closes the connection
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("a silent TLS connection stayed open %v", d)
	}
}
