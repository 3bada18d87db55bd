package gateway

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingServer is an httptest server that counts the connections it
// accepted.
func countingServer(t *testing.T, tlsOn bool, h http.HandlerFunc) (*httptest.Server, *atomic.Int64) {
	var conns atomic.Int64
	s := httptest.NewUnstartedServer(h)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	if tlsOn {
		s.StartTLS()
	} else {
		s.Start()
	}
	t.Cleanup(s.Close)
	return s, &conns
}

func upReq(t *testing.T, rawURL, method string, body []byte) *upstreamRequest {
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return &upstreamRequest{method: method, url: u, query: "a=1", body: body, bodyType: "application/json",
		consumer: "bank", requestID: "call-1", timeout: 5 * time.Second}
}

// upCall runs one request and returns the body as a string.
func upCall(t *testing.T, cl *upstreamClient, r *upstreamRequest) (*http.Response, string) {
	t.Helper()
	res, body, raw, err := cl.do(context.Background(), r)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.url, err)
	}
	defer putBody(raw)
	return res, string(body)
}

func idle(cl *upstreamClient, u *url.URL) int {
	hp, _ := cl.host(u)
	hp.mu.Lock()
	defer hp.mu.Unlock()
	return len(hp.idle)
}

func TestUpstreamKeepAlive(t *testing.T) {
	s, conns := countingServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"n":%q}`, r.URL.RawQuery)
	})
	cl := newUpstreamClient()
	for i := 0; i < 5; i++ {
		res, body := upCall(t, cl, upReq(t, s.URL+"/p", "GET", nil))
		if res.StatusCode != 200 || body != `{"n":"a=1"}` || res.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("%d %q %v", res.StatusCode, body, res.Header)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("%d connections for 5 sequential calls, want 1", n)
	}
}

// TestUpstreamRequestFormat: the request line, Host and the headers the
// gateway sends (as net/http's Transport sent them), bodies and their length.
func TestUpstreamRequestFormat(t *testing.T) {
	got := make(chan *http.Request, 3)
	bodies := make(chan string, 3)
	s, _ := countingServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- r
		bodies <- string(b)
	})
	cl := newUpstreamClient()
	upCall(t, cl, upReq(t, s.URL+"/a%20b/c", "GET", nil))
	r := <-got
	<-bodies
	if r.RequestURI != "/a%20b/c?a=1" || r.Host != strings.TrimPrefix(s.URL, "http://") || r.Proto != "HTTP/1.1" {
		t.Fatalf("request line / host: %q %q %q", r.RequestURI, r.Host, r.Proto)
	}
	want := map[string]string{"Accept": "application/json", "X-Xt-Consumer": "bank", "X-Request-Id": "call-1",
		"Accept-Encoding": "gzip", "User-Agent": "Go-http-client/1.1"}
	for k, v := range want {
		if r.Header.Get(k) != v {
			t.Errorf("%s: %q, want %q", k, r.Header.Get(k), v)
		}
	}
	if len(r.Header) != len(want) || r.ContentLength != 0 || len(r.TransferEncoding) > 0 {
		t.Errorf("a GET without body: %v, length %d", r.Header, r.ContentLength)
	}

	upCall(t, cl, upReq(t, s.URL+"/p", "POST", []byte(`{"x":1}`)))
	r = <-got
	if b := <-bodies; b != `{"x":1}` || r.ContentLength != 7 || r.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("POST body %q, length %d, type %q", b, r.ContentLength, r.Header.Get("Content-Type"))
	}
	upCall(t, cl, upReq(t, s.URL+"/p", "POST", nil))
	r = <-got
	if <-bodies; r.Header.Get("Content-Length") != "0" || r.Header.Get("Content-Type") != "" {
		t.Fatalf("an empty POST: %v", r.Header)
	}

	bad := upReq(t, s.URL+"/p", "GET", nil)
	bad.query = "a=1 HTTP/1.1\r\nX-Evil: 1"
	if _, _, _, err := cl.do(context.Background(), bad); !errors.Is(err, errBadRequestLine) {
		t.Fatalf("a query with CR LF: %v", err)
	}
	bad = upReq(t, s.URL+"/p", "POST", []byte("x"))
	bad.bodyType = "text/plain\r\nX-Evil: 1"
	if _, _, _, err := cl.do(context.Background(), bad); !errors.Is(err, errBadRequestLine) {
		t.Fatalf("a header value with CR LF: %v", err)
	}
}

func TestUpstreamChunked(t *testing.T) {
	s, conns := countingServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < 3; i++ {
			fmt.Fprintf(w, "part%d;", i)
			w.(http.Flusher).Flush()
		}
	})
	cl := newUpstreamClient()
	for i := 0; i < 2; i++ {
		res, body := upCall(t, cl, upReq(t, s.URL, "GET", nil))
		if body != "part0;part1;part2;" || len(res.TransferEncoding) == 0 {
			t.Fatalf("%q %v", body, res.TransferEncoding)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("%d connections, want 1 (a chunked answer ends where its last chunk says)", n)
	}
}

// rawUpstream accepts connections and runs serve on each; it returns the
// base URL and the number of connections accepted.
func rawUpstream(t *testing.T, serve func(c net.Conn, br *bufio.Reader)) (string, *atomic.Int64) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var n atomic.Int64
	var wg sync.WaitGroup
	var mu sync.Mutex
	var open []net.Conn
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range open {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			mu.Lock()
			open = append(open, c)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				serve(c, bufio.NewReader(c))
			}()
		}
	}()
	return "http://" + l.Addr().String(), &n
}

// readRequests reads requests from br until an error, calling answer for each.
func readRequests(br *bufio.Reader, answer func(*http.Request) bool) {
	for {
		r, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		io.Copy(io.Discard, r.Body)
		if !answer(r) {
			return
		}
	}
}

func TestUpstreamCloseDelimited(t *testing.T) {
	base, conns := rawUpstream(t, func(c net.Conn, br *bufio.Reader) {
		readRequests(br, func(*http.Request) bool {
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end")
			return false // closes: the end of the body
		})
	})
	cl := newUpstreamClient()
	u := upReq(t, base, "GET", nil)
	for i := 0; i < 2; i++ {
		if _, body := upCall(t, cl, u); body != "until the end" {
			t.Fatalf("%q", body)
		}
	}
	if n, i := conns.Load(), idle(cl, u.url); n != 2 || i != 0 {
		t.Fatalf("%d connections, %d idle: a close-delimited answer's connection is not reused", n, i)
	}
}

func TestUpstreamConnectionClose(t *testing.T) {
	s, conns := countingServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		io.WriteString(w, "bye")
	})
	cl := newUpstreamClient()
	u := upReq(t, s.URL, "GET", nil)
	for i := 0; i < 3; i++ {
		if _, body := upCall(t, cl, u); body != "bye" {
			t.Fatalf("%q", body)
		}
	}
	if n, i := conns.Load(), idle(cl, u.url); n != 3 || i != 0 {
		t.Fatalf("%d connections, %d idle, want 3 and 0 after Connection: close", n, i)
	}
}

func TestUpstreamHTTP10NotReused(t *testing.T) {
	base, conns := rawUpstream(t, func(c net.Conn, br *bufio.Reader) {
		readRequests(br, func(*http.Request) bool {
			io.WriteString(c, "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok")
			return true
		})
	})
	cl := newUpstreamClient()
	u := upReq(t, base, "GET", nil)
	upCall(t, cl, u)
	upCall(t, cl, u)
	if n := conns.Load(); n != 2 {
		t.Fatalf("%d connections, want 2 (only HTTP/1.1 connections are kept)", n)
	}
}

// TestUpstreamInformational: 1xx answers before the final one are skipped.
func TestUpstreamInformational(t *testing.T) {
	base, _ := rawUpstream(t, func(c net.Conn, br *bufio.Reader) {
		readRequests(br, func(*http.Request) bool {
			io.WriteString(c, "HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone")
			return true
		})
	})
	res, body := upCall(t, newUpstreamClient(), upReq(t, base, "GET", nil))
	if res.StatusCode != 201 || body != "done" {
		t.Fatalf("%d %q", res.StatusCode, body)
	}
}

// idleClosingUpstream answers each connection's first request, keeping it
// alive, then closes it (an upstream's idle timeout), reset says how.
func idleClosingUpstream(t *testing.T, reset bool) (string, *atomic.Int64, chan struct{}) {
	closed := make(chan struct{}, 8)
	base, conns := rawUpstream(t, func(c net.Conn, br *bufio.Reader) {
		r, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		io.Copy(io.Discard, r.Body)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		time.Sleep(20 * time.Millisecond) // the client has the answer and pools the connection
		if reset {
			c.(*net.TCPConn).SetLinger(0)
		}
		c.Close()
		closed <- struct{}{}
	})
	return base, conns, closed
}

// waitClosed waits until the pooled connection sees its upstream's close.
func waitClosed(t *testing.T, cl *upstreamClient, u *url.URL) {
	hp, _ := cl.host(u)
	for i := 0; i < 500; i++ {
		hp.mu.Lock()
		open := len(hp.idle) == 1 && alive(hp.idle[0].raw)
		hp.mu.Unlock()
		if !open {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("the pooled connection still looks open")
}

// TestUpstreamStaleIdle: a GET on a pooled connection the upstream closed
// meanwhile goes again on a new one; so does a POST, whose pooled
// connection is checked before any byte is sent.
func TestUpstreamStaleIdle(t *testing.T) {
	for _, reset := range []bool{false, true} {
		for _, method := range []string{"GET", "POST", "PUT"} {
			t.Run(fmt.Sprintf("%s reset=%v", method, reset), func(t *testing.T) {
				base, conns, closed := idleClosingUpstream(t, reset)
				cl := newUpstreamClient()
				u := upReq(t, base, method, []byte("{}"))
				upCall(t, cl, u)
				<-closed
				if method == "POST" {
					waitClosed(t, cl, u.url)
				}
				if _, body := upCall(t, cl, u); body != "ok" {
					t.Fatalf("%q", body)
				}
				if n := conns.Load(); n != 2 {
					t.Fatalf("%d connections, want 2", n)
				}
			})
		}
	}
}

// TestUpstreamStalePOSTNotResent: a POST whose bytes left on a pooled
// connection that then failed without answer is not sent again (the
// upstream may have acted on it).
func TestUpstreamStalePOSTNotResent(t *testing.T) {
	var requests atomic.Int64
	base, conns := rawUpstream(t, func(c net.Conn, br *bufio.Reader) {
		readRequests(br, func(*http.Request) bool {
			if requests.Add(1) == 2 {
				return false // took the request, closed without answer
			}
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
			return true
		})
	})
	cl := newUpstreamClient()
	u := upReq(t, base, "POST", []byte("{}"))
	upCall(t, cl, u)
	if _, _, _, err := cl.do(context.Background(), u); err == nil {
		t.Fatal("a POST lost on a pooled connection was sent again")
	}
	if n, r := conns.Load(), requests.Load(); n != 1 || r != 2 {
		t.Fatalf("%d connections, %d requests; want 1 and 2", n, r)
	}
}

func TestUpstreamTimeout(t *testing.T) {
	release := make(chan struct{})
	var slow atomic.Bool
	slow.Store(true)
	s, conns := countingServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		if slow.Load() {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		io.WriteString(w, "late")
	})
	defer close(release)
	cl := newUpstreamClient()
	u := upReq(t, s.URL, "GET", nil)
	u.timeout = 50 * time.Millisecond
	_, _, _, err := cl.do(context.Background(), u)
	if !isTimeout(err) {
		t.Fatalf("a slow upstream: %v, want a timeout", err)
	}
	if i := idle(cl, u.url); i != 0 {
		t.Fatalf("%d idle connections after a timeout, want 0", i)
	}
	slow.Store(false)
	upCall(t, cl, u)
	if n := conns.Load(); n != 2 {
		t.Fatalf("%d connections, want 2 (the timed-out one is not reused)", n)
	}
}

// TestUpstreamCallerGone: a caller that goes away ends the upstream call.
func TestUpstreamCallerGone(t *testing.T) {
	started := make(chan struct{}, 1)
	s, _ := countingServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		started <- struct{}{}
		<-r.Context().Done()
	})
	cl := newUpstreamClient()
	u := upReq(t, s.URL, "GET", nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	_, _, _, err := cl.do(ctx, u)
	if err == nil || ctx.Err() == nil {
		t.Fatalf("%v", err)
	}
	if i := idle(cl, u.url); i != 0 {
		t.Fatalf("%d idle connections after an abandoned call, want 0", i)
	}
}

func TestUpstreamBodyLimit(t *testing.T) {
	s, conns := countingServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		if r.URL.Query().Get("chunked") == "" {
			w.Header().Set("Content-Length", strconv.Itoa(n))
		}
		w.Write(bytes.Repeat([]byte("x"), n))
	})
	cl := newUpstreamClient()
	cl.maxBody = 1000
	u := upReq(t, s.URL, "GET", nil)
	for _, q := range []string{"n=1000", "n=1000&chunked=1"} {
		u.query = q
		if _, body := upCall(t, cl, u); len(body) != 1000 {
			t.Fatalf("%s: %d bytes", q, len(body))
		}
	}
	for _, q := range []string{"n=1001", "n=5000&chunked=1"} {
		u.query = q
		if _, _, _, err := cl.do(context.Background(), u); !errors.Is(err, errAnswerTooLarge) {
			t.Fatalf("%s: %v, want errAnswerTooLarge", q, err)
		}
		if i := idle(cl, u.url); i != 0 {
			t.Fatalf("%s: the connection of an answer not read to its end was kept", q)
		}
	}
	if n := conns.Load(); n != 2 { // the first too large answer ends the first connection
		t.Fatalf("%d connections, want 2", n)
	}
}

func TestUpstreamHeaderLimit(t *testing.T) {
	s, _ := countingServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Big", strings.Repeat("y", 4000))
	})
	cl := newUpstreamClient()
	cl.maxHeader = 2000
	if _, _, _, err := cl.do(context.Background(), upReq(t, s.URL, "GET", nil)); err == nil {
		t.Fatal("a header over the limit was accepted")
	}
}

// TestUpstreamGzip: a gzip answer (asked for, as net/http's Transport did)
// is decoded, and its encoding headers removed.
func TestUpstreamGzip(t *testing.T) {
	doc := strings.Repeat(`{"a":"b"}`, 100)
	s, _ := countingServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "gzip" {
			io.WriteString(w, doc)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, doc)
		zw.Close()
	})
	cl := newUpstreamClient()
	for i := 0; i < 2; i++ {
		res, body := upCall(t, cl, upReq(t, s.URL, "GET", nil))
		if body != doc || res.Header.Get("Content-Encoding") != "" || !res.Uncompressed {
			t.Fatalf("%d bytes, %v", len(body), res.Header)
		}
	}
}

func TestUpstreamTLS(t *testing.T) {
	s, conns := countingServer(t, true, func(w http.ResponseWriter, r *http.Request) {
		if r.TLS == nil || r.ProtoMajor != 1 {
			w.WriteHeader(500)
		}
		io.WriteString(w, "secret")
	})
	untrusted := newUpstreamClient()
	if _, _, _, err := untrusted.do(context.Background(), upReq(t, s.URL, "GET", nil)); err == nil {
		t.Fatal("an upstream certificate from an unknown CA was accepted")
	}
	cl := newUpstreamClient()
	cl.tls = s.Client().Transport.(*http.Transport).TLSClientConfig
	for i := 0; i < 3; i++ {
		if res, body := upCall(t, cl, upReq(t, s.URL, "POST", []byte("{}"))); res.StatusCode != 200 || body != "secret" {
			t.Fatalf("%d %q", res.StatusCode, body)
		}
	}
	if n := conns.Load(); n != 2 { // the untrusted attempt and one kept connection
		t.Fatalf("%d connections, want 2", n)
	}
	hp, _ := cl.host(upReq(t, s.URL, "GET", nil).url)
	if hp.tls.ServerName != "127.0.0.1" || hp.tls.RootCAs == nil || cl.tls.ServerName != "" {
		t.Fatalf("TLS config: server name %q", hp.tls.ServerName)
	}
}

func TestUpstreamConcurrent(t *testing.T) {
	s, conns := countingServer(t, false, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s %s", r.Header.Get("X-Request-Id"), r.URL.RawQuery, b)
	})
	cl := newUpstreamClient()
	cl.maxIdle = 4
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				u := upReq(t, s.URL, []string{"GET", "POST"}[i%2], []byte(strconv.Itoa(i)))
				u.requestID, u.query = fmt.Sprintf("g%d-%d", g, i), "i="+strconv.Itoa(i)
				res, body, raw, err := cl.do(context.Background(), u)
				if err != nil {
					t.Error(err)
					return
				}
				want := fmt.Sprintf("%s i=%d %d", u.requestID, i, i)
				if res.StatusCode != 200 || string(body) != want {
					t.Errorf("%q, want %q", body, want)
				}
				putBody(raw)
			}
		}()
	}
	wg.Wait()
	if n, i := conns.Load(), idle(cl, upReq(t, s.URL, "GET", nil).url); n > 8+8*50/2 || i > 4 {
		t.Fatalf("%d connections, %d idle", n, i)
	}
}

// TestUpstreamIdleExpiry: connections idle past the timeout are closed,
// on use and by the sweep.
func TestUpstreamIdleExpiry(t *testing.T) {
	s, conns := countingServer(t, false, func(w http.ResponseWriter, r *http.Request) {})
	cl := newUpstreamClient()
	cl.idleTimeout = 30 * time.Millisecond
	u := upReq(t, s.URL, "GET", nil)
	upCall(t, cl, u)
	for i := 0; i < 500 && idle(cl, u.url) > 0; i++ {
		time.Sleep(5 * time.Millisecond)
	}
	if i := idle(cl, u.url); i != 0 {
		t.Fatalf("%d idle connections after the idle timeout", i)
	}
	upCall(t, cl, u)
	if n := conns.Load(); n != 2 {
		t.Fatalf("%d connections, want 2", n)
	}
}
