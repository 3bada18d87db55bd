package gateway

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

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
		if !s.track(sc) {
			c.Close()
			return http.ErrServerClosed
		}
		go sc.serve()
	}
}

// track registers a connection that serve will end (and untrack); false
// once the server is shutting down.
func (s *Server) track(sc *srvConn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.Load() {
		return false
	}
	s.conns[sc] = struct{}{}
	s.draining.Add(1)
	return true
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
	if tc, ok := sc.c.(*tls.Conn); ok {
		// A TLS handshake gets the header's time, not the idle time: a
		// caller that opens connections and never finishes them holds
		// nothing for long.
		sc.c.SetDeadline(time.Now().Add(s.ReadHeaderTimeout))
		if err := tc.Handshake(); err != nil {
			return
		}
		sc.c.SetDeadline(time.Time{})
	}
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
		if bad := sc.readRequest(start); bad != nil {
			sc.refuse(bad)
			return
		}
		keep := !sc.req.Close
		sc.w.reset(sc.req.Method == http.MethodHead, !keep, sc.req.ProtoMinor == 0)
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

// refuse answers a request refused before the handler and ends the
// connection (what follows it on the connection cannot be trusted).
func (sc *srvConn) refuse(bad *badRequest) {
	sc.w.reset(false, true, false)
	sc.c.SetWriteDeadline(time.Now().Add(sc.s.WriteTimeout))
	httpx.WriteProblem(&sc.w, httpx.NewProblem(bad.status, "gw_bad_request", bad.zh, bad.en))
	sc.w.finish()
}
