package gateway

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpguts"

	"github.com/xietong/xietong/internal/httpx"
)

// Server serves the gateway's listener: HTTP/1.1 with keep-alive, one
// goroutine per connection, the request read and the answer written on
// that goroutine. It exists because net/http's server costs more per call
// than the gateway can afford (docs/benchmarks.md): a request context and
// a background read per request (a second goroutine, an extra read
// system call and two deadline changes, so that a handler learns when its
// caller hangs up), fresh request, header and response structures, and a
// chunking writer. Here the request, its header map and the answer's
// buffers are reused from call to call on a connection, and an answer
// whose body fits the buffer leaves in one write with its Content-Length.
//
// What it serves is what the gateway needs: origin-form requests with
// Content-Length or chunked bodies (read whole before the handler runs,
// bounded by MaxBodyBytes), Expect: 100-continue, pipelining, HTTP/1.0
// with keep-alive. It refuses what could smuggle a request past it
// (Content-Length with Transfer-Encoding, differing Content-Lengths,
// codings other than chunked, malformed header names or values, obs-fold,
// a missing or repeated Host) with a problem+json answer and closes the
// connection. A caller that hangs up mid-call is noticed when the answer
// is written, not before: the upstream call runs to its own deadline.
type Server struct {
	Handler           http.Handler
	ReadHeaderTimeout time.Duration // from a request's first byte to the end of its header
	ReadTimeout       time.Duration // from a request's first byte to the end of its body
	WriteTimeout      time.Duration // writing one answer
	IdleTimeout       time.Duration // waiting for the next request on a connection
	MaxHeaderBytes    int           // request line and header
	MaxBodyBytes      int64
	Log               *slog.Logger

	once   sync.Once
	ctx    context.Context // ends at Shutdown's deadline: calls in flight see it
	cancel context.CancelFunc

	closing  atomic.Bool
	mu       sync.Mutex
	lns      map[net.Listener]struct{}
	conns    map[*srvConn]struct{}
	draining sync.WaitGroup
}

func (s *Server) init() {
	s.once.Do(func() {
		s.ctx, s.cancel = context.WithCancel(context.Background())
		s.lns = map[net.Listener]struct{}{}
		s.conns = map[*srvConn]struct{}{}
		if s.ReadHeaderTimeout == 0 {
			s.ReadHeaderTimeout = 10 * time.Second
		}
		if s.ReadTimeout == 0 {
			s.ReadTimeout = time.Minute
		}
		if s.WriteTimeout == 0 {
			s.WriteTimeout = 2 * time.Minute
		}
		if s.IdleTimeout == 0 {
			s.IdleTimeout = 2 * time.Minute
		}
		if s.MaxHeaderBytes == 0 {
			s.MaxHeaderBytes = 64 << 10
		}
		if s.MaxBodyBytes == 0 {
			s.MaxBodyBytes = MaxBodyBytes
		}
		if s.Log == nil {
			s.Log = slog.New(slog.DiscardHandler)
		}
	})
}

// Serve accepts connections on ln until Shutdown; it returns
// http.ErrServerClosed then.
func (s *Server) Serve(ln net.Listener) error {
	s.init()
	s.mu.Lock()
	if s.closing.Load() {
		s.mu.Unlock()
		ln.Close()
		return http.ErrServerClosed
	}
	s.lns[ln] = struct{}{}
	s.mu.Unlock()
	pause := time.Duration(0)
	for {
		c, err := ln.Accept()
		if err != nil {
			if s.closing.Load() {
				return http.ErrServerClosed
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			// Out of file descriptors and the like: wait and go on, as
			// net/http does.
			pause = min(max(2*pause, 5*time.Millisecond), time.Second)
			s.Log.Warn("gateway: accept failed; retrying", "err", err, "after", pause)
			time.Sleep(pause)
			continue
		}
		pause = 0
		sc := &srvConn{s: s, c: c}
		sc.idle.Store(true)
		s.mu.Lock()
		if s.closing.Load() {
			s.mu.Unlock()
			c.Close()
			return http.ErrServerClosed
		}
		s.conns[sc] = struct{}{}
		s.draining.Add(1)
		s.mu.Unlock()
		go sc.serve()
	}
}

// Shutdown stops accepting, closes idle connections, and waits for the
// calls in flight to be answered; at ctx's end it closes every connection
// (their calls' contexts end) and returns ctx's error.
func (s *Server) Shutdown(ctx context.Context) error {
	s.init()
	s.mu.Lock()
	s.closing.Store(true)
	for ln := range s.lns {
		ln.Close()
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.draining.Wait(); close(done) }()
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		s.closeConns(true)
		select {
		case <-done:
			return nil
		case <-ctx.Done():
			s.cancel()
			s.closeConns(false)
			<-done
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (s *Server) closeConns(idleOnly bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for sc := range s.conns {
		if !idleOnly || sc.idle.Load() {
			sc.c.Close()
		}
	}
}

// srvConn is one connection and what it reuses from call to call.
type srvConn struct {
	s    *Server
	c    net.Conn
	idle atomic.Bool // waiting for a request: Shutdown may close it

	br    *bufio.Reader
	req   *http.Request
	body  []byte
	names map[string]string // header names as sent → canonical, per connection
	w     respWriter
}

var (
	readers = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4096) }}
	writers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 4096) }}
)

func (sc *srvConn) serve() {
	s := sc.s
	defer func() {
		if p := recover(); p != nil {
			s.Log.Error("gateway: panic serving a call; connection closed", "panic", fmt.Sprint(p), "remote", sc.c.RemoteAddr().String())
		}
		sc.c.Close()
		s.mu.Lock()
		delete(s.conns, sc)
		s.mu.Unlock()
		s.draining.Done()
	}()
	sc.br = readers.Get().(*bufio.Reader)
	sc.br.Reset(sc.c)
	bw := writers.Get().(*bufio.Writer)
	bw.Reset(sc.c)
	defer func() {
		sc.br.Reset(nil)
		readers.Put(sc.br)
		bw.Reset(nil)
		writers.Put(bw)
	}()
	sc.req = (&http.Request{RemoteAddr: sc.c.RemoteAddr().String(), Header: http.Header{}}).WithContext(s.ctx)
	sc.names = map[string]string{}
	sc.w.hdr, sc.w.conn, sc.w.br, sc.w.bw = http.Header{}, sc.c, sc.br, bw
	for {
		sc.idle.Store(true)
		if s.closing.Load() {
			return
		}
		sc.c.SetReadDeadline(time.Now().Add(s.IdleTimeout))
		if _, err := sc.br.Peek(1); err != nil {
			return // closed, idle too long, or shut down
		}
		sc.idle.Store(false)
		start := time.Now()
		sc.c.SetReadDeadline(start.Add(s.ReadHeaderTimeout))
		if bad := sc.readRequest(bw, start); bad != nil {
			sc.refuse(bw, bad)
			return
		}
		keep := !sc.req.Close
		sc.w.reset(sc.req.Method == http.MethodHead, !keep)
		sc.w.noChunks = sc.req.ProtoMinor == 0
		sc.c.SetWriteDeadline(time.Now().Add(s.WriteTimeout)) // covers an answer streamed while the handler runs
		s.Handler.ServeHTTP(&sc.w, sc.req)
		if s.closing.Load() && !sc.w.streamed {
			keep, sc.w.closing = false, true // shutting down: this answer is the last
		}
		if err := sc.w.finish(); err != nil {
			return
		}
		if !keep {
			return
		}
		if cap(sc.body) > 64<<10 {
			sc.body = nil // a large body is not kept between calls
		}
	}
}

// badRequest is a request refused before the handler.
type badRequest struct {
	status int
	zh, en string
}

func refusal(status int, zh, en string) *badRequest { return &badRequest{status, zh, en} }

var (
	errLineTooLong = refusal(http.StatusRequestHeaderFieldsTooLarge, "请求行或请求头过大", "The request line or header is too large")
	errMalformed   = refusal(http.StatusBadRequest, "请求格式错误", "Malformed HTTP request")
)

// readLine returns the next line without its line ending, from the
// reader's buffer (valid until the next read); budget bounds the header.
func (sc *srvConn) readLine(budget *int) ([]byte, *badRequest) {
	line, err := sc.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		// Longer than the buffer: gather it (rare: a long query).
		long := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			if len(long) > *budget {
				return nil, errLineTooLong
			}
			line, err = sc.br.ReadSlice('\n')
			long = append(long, line...)
		}
		line = long
	}
	if err != nil {
		return nil, errMalformed
	}
	if *budget -= len(line); *budget < 0 {
		return nil, errLineTooLong
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

// readRequest reads a request line, header and body into sc.req.
func (sc *srvConn) readRequest(bw *bufio.Writer, start time.Time) *badRequest {
	s, r := sc.s, sc.req
	budget := s.MaxHeaderBytes
	line, bad := sc.readLine(&budget)
	for i := 0; bad == nil && len(line) == 0 && i < 4; i++ {
		line, bad = sc.readLine(&budget) // empty lines before a request are ignored (RFC 9112 §2.2)
	}
	if bad != nil {
		return bad
	}
	m, rest, ok1 := bytes.Cut(line, []byte(" "))
	target, proto, ok2 := bytes.Cut(rest, []byte(" "))
	if !ok1 || !ok2 || len(m) == 0 || len(target) == 0 || !validToken(m) {
		return errMalformed
	}
	r.Method = method(m)
	switch string(proto) {
	case "HTTP/1.1":
		r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/1.1", 1, 1
	case "HTTP/1.0":
		r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/1.0", 1, 0
	default:
		return refusal(http.StatusHTTPVersionNotSupported, "仅支持 HTTP/1.0 和 HTTP/1.1", "Only HTTP/1.0 and HTTP/1.1 are served")
	}
	if target[0] != '/' || r.Method == http.MethodConnect {
		return refusal(http.StatusBadRequest, "请求目标必须是以 / 开头的路径", "The request target must be a path starting with /")
	}
	r.RequestURI = string(target)
	u, err := url.ParseRequestURI(r.RequestURI)
	if err != nil {
		return errMalformed
	}
	r.URL = u

	h := r.Header
	for k, v := range h {
		h[k] = v[:0]
	}
	for {
		line, bad := sc.readLine(&budget)
		if bad != nil {
			return bad
		}
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			return refusal(http.StatusBadRequest, "不支持折叠的请求头", "Folded header lines (obs-fold) are refused")
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(name) == 0 || !validToken(name) {
			return refusal(http.StatusBadRequest, "请求头名称无效", "Invalid header name")
		}
		value = bytes.Trim(value, " \t")
		if !validValue(value) {
			return refusal(http.StatusBadRequest, "请求头的值含有非法字符", "A header value contains invalid characters")
		}
		key, ok := sc.names[string(name)]
		if !ok {
			key = http.CanonicalHeaderKey(string(name))
			if len(sc.names) < 64 {
				sc.names[key] = key
				sc.names[string(name)] = key
			}
		}
		h[key] = append(h[key], string(value))
	}
	for k, v := range h {
		if len(v) == 0 {
			delete(h, k)
		}
	}

	hosts := h["Host"]
	if len(hosts) > 1 || len(hosts) == 0 && r.ProtoMinor == 1 {
		return refusal(http.StatusBadRequest, "缺少 Host 请求头或出现多次", "The Host header is missing or repeated")
	}
	r.Host = ""
	if len(hosts) == 1 {
		r.Host = hosts[0]
	}
	conn := h["Connection"]
	r.Close = hasToken(conn, "close") || r.ProtoMinor == 0 && !hasToken(conn, "keep-alive")

	// The body, read whole (the gateway reads it whole anyway).
	te, cl := h["Transfer-Encoding"], h["Content-Length"]
	r.TransferEncoding = nil
	var n int64
	switch {
	case len(te) > 0 && len(cl) > 0:
		return refusal(http.StatusBadRequest, "不能同时使用 Content-Length 和 Transfer-Encoding", "Content-Length and Transfer-Encoding together are refused")
	case len(te) > 0:
		if len(te) != 1 || !strings.EqualFold(te[0], "chunked") || r.ProtoMinor == 0 {
			return refusal(http.StatusNotImplemented, "仅支持 chunked 传输编码", "Only the chunked transfer coding is served")
		}
		n = -1
	case len(cl) > 0:
		for _, v := range cl[1:] {
			if v != cl[0] {
				return refusal(http.StatusBadRequest, "Content-Length 不一致", "Differing Content-Length values")
			}
		}
		var err error
		if n, err = strconv.ParseInt(cl[0], 10, 64); err != nil || n < 0 || cl[0][0] == '+' {
			return refusal(http.StatusBadRequest, "Content-Length 无效", "Invalid Content-Length")
		}
	}
	if n > s.MaxBodyBytes {
		return refusal(http.StatusRequestEntityTooLarge, "请求体过大", "The body is too large")
	}
	r.ContentLength = max(n, 0)
	r.Body = http.NoBody
	if n == 0 {
		return nil
	}
	sc.c.SetReadDeadline(start.Add(s.ReadTimeout))
	if hasToken(h["Expect"], "100-continue") {
		if _, err := bw.WriteString("HTTP/1.1 100 Continue\r\n\r\n"); err != nil || bw.Flush() != nil {
			return errMalformed
		}
	}
	var body io.Reader = io.LimitReader(sc.br, n)
	if n < 0 {
		body = io.LimitReader(httputil.NewChunkedReader(sc.br), s.MaxBodyBytes+1)
	}
	buf := bytes.NewBuffer(sc.body[:0])
	if _, err := buf.ReadFrom(body); err != nil {
		return errMalformed
	}
	sc.body = buf.Bytes()
	if int64(len(sc.body)) > s.MaxBodyBytes {
		return refusal(http.StatusRequestEntityTooLarge, "请求体过大", "The body is too large")
	}
	if n > 0 && int64(len(sc.body)) != n {
		return errMalformed // the connection ended inside the body
	}
	if n < 0 {
		// The chunked reader stops after the last chunk's size line:
		// the trailer section (ignored) ends with an empty line.
		for {
			line, bad := sc.readLine(&budget)
			if bad != nil {
				return bad
			}
			if len(line) == 0 {
				break
			}
		}
		r.ContentLength = int64(len(sc.body))
	}
	r.Body = io.NopCloser(bytes.NewReader(sc.body))
	return nil
}

// refuse answers a request refused before the handler and ends the
// connection (what follows it on the connection cannot be trusted).
func (sc *srvConn) refuse(bw *bufio.Writer, bad *badRequest) {
	p := httpx.NewProblem(bad.status, "gw_bad_request", bad.zh, bad.en)
	body, _ := json.Marshal(p)
	sc.w.reset(false, true)
	sc.w.noChunks = false
	sc.w.hdr["Content-Type"] = []string{"application/problem+json"}
	sc.w.WriteHeader(bad.status)
	sc.w.Write(body)
	sc.c.SetWriteDeadline(time.Now().Add(sc.s.WriteTimeout))
	sc.w.finish()
}

// respWriter is the http.ResponseWriter of one call, reused on its
// connection. The body is buffered up to bufferedBody; beyond, the answer
// is sent chunked as it is written.
type respWriter struct {
	hdr         http.Header
	conn        net.Conn
	br          *bufio.Reader // the connection's
	bw          *bufio.Writer // the connection's
	status      int
	wroteHeader bool
	head        bool // a HEAD request: no body goes out
	closing     bool // the connection ends after this answer
	noChunks    bool // an HTTP/1.0 caller: the body is never sent chunked
	streamed    bool // the header is out; the body goes chunked
	body        []byte
}

// bufferedBody is the largest answer sent with a Content-Length.
const bufferedBody = 1 << 20

var _ http.ResponseWriter = (*respWriter)(nil)

func (w *respWriter) reset(head, closing bool) {
	clear(w.hdr)
	w.status, w.wroteHeader, w.head, w.closing, w.streamed = 0, false, head, closing, false
	if cap(w.body) > 64<<10 {
		w.body = nil
	}
	w.body = w.body[:0]
}

func (w *respWriter) Header() http.Header { return w.hdr }

// CallerGone reports whether the caller has hung up (see callerGone).
func (w *respWriter) CallerGone() bool { return w.br.Buffered() == 0 && peerGone(w.conn) }

func (w *respWriter) WriteHeader(code int) {
	if w.wroteHeader || code < 200 {
		return // 1xx interim answers are not sent by the gateway
	}
	w.status, w.wroteHeader = code, true
}

func (w *respWriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.head {
		return len(p), nil
	}
	if !w.streamed && !w.noChunks && len(w.body)+len(p) > bufferedBody {
		// Too large to hold: the header now, the body chunked.
		writeHead(w.bw, w, -1)
		w.streamed = true
		if err := writeChunk(w.bw, w.body); err != nil {
			return 0, err
		}
		w.body = w.body[:0]
	}
	if w.streamed {
		return len(p), writeChunk(w.bw, p)
	}
	w.body = append(w.body, p...)
	return len(p), nil
}

// finish sends the answer (or its end, when streamed).
func (w *respWriter) finish() error {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.streamed {
		w.bw.WriteString("0\r\n\r\n")
		return w.bw.Flush()
	}
	writeHead(w.bw, w, len(w.body))
	if w.status != http.StatusNoContent && w.status != http.StatusNotModified {
		w.bw.Write(w.body)
	}
	return w.bw.Flush()
}

func writeChunk(bw *bufio.Writer, p []byte) error {
	if len(p) == 0 {
		return nil
	}
	var b [20]byte
	bw.Write(strconv.AppendInt(b[:0], int64(len(p)), 16))
	bw.WriteString("\r\n")
	bw.Write(p)
	_, err := bw.WriteString("\r\n")
	return err
}

// writeHead writes the status line and header; length < 0: chunked.
func writeHead(bw *bufio.Writer, w *respWriter, length int) {
	var num [20]byte
	bw.WriteString("HTTP/1.1 ")
	bw.Write(strconv.AppendInt(num[:0], int64(w.status), 10))
	bw.WriteByte(' ')
	bw.WriteString(http.StatusText(w.status))
	bw.WriteString("\r\nDate: ")
	bw.Write(httpDate())
	for k, vs := range w.hdr {
		switch k {
		case "Content-Length", "Transfer-Encoding", "Connection", "Date":
			continue // this server's to set
		}
		for _, v := range vs {
			bw.WriteString(k)
			bw.WriteString(": ")
			writeValue(bw, v)
			bw.WriteString("\r\n")
		}
	}
	bodiless := w.status == http.StatusNoContent || w.status == http.StatusNotModified
	switch {
	case bodiless:
	case length >= 0 && !(w.head && length == 0):
		bw.WriteString("Content-Length: ")
		bw.Write(strconv.AppendInt(num[:0], int64(length), 10))
		bw.WriteString("\r\n")
	case length < 0:
		bw.WriteString("Transfer-Encoding: chunked\r\n")
	}
	if w.closing {
		bw.WriteString("Connection: close\r\n")
	}
	bw.WriteString("\r\n")
}

// writeValue writes a header value with any control character but tab
// as a space, so that no value can end the header line early (net/http
// does the same).
func writeValue(bw *bufio.Writer, v string) {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			b := []byte(v)
			for j := i; j < len(b); j++ {
				if b[j] < ' ' && b[j] != '\t' || b[j] == 0x7f {
					b[j] = ' '
				}
			}
			bw.Write(b)
			return
		}
	}
	bw.WriteString(v)
}

// httpDate is the current second in HTTP's date format with its line
// end, made once a second.
func httpDate() []byte {
	now := time.Now().Unix()
	if d := dateCache.Load(); d != nil && d.unix == now {
		return d.text
	}
	d := &cachedDate{unix: now, text: append(time.Unix(now, 0).UTC().AppendFormat(nil, http.TimeFormat), '\r', '\n')}
	dateCache.Store(d)
	return d.text
}

type cachedDate struct {
	unix int64
	text []byte
}

var dateCache atomic.Pointer[cachedDate]

// method returns common methods without allocating.
func method(b []byte) string {
	for _, m := range [...]string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodHead, http.MethodOptions, http.MethodPatch} {
		if string(b) == m {
			return m
		}
	}
	return string(b)
}

// validValue: no control characters but horizontal tab (RFC 9110 §5.5).
func validValue(b []byte) bool {
	for _, c := range b {
		if c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

func validToken(b []byte) bool {
	for _, c := range b {
		if !httpguts.IsTokenRune(rune(c)) {
			return false
		}
	}
	return true
}

// hasToken reports whether a comma-separated header holds tok (any case).
func hasToken(vals []string, tok string) bool {
	return len(vals) > 0 && httpguts.HeaderValuesContainsToken(vals, tok)
}
