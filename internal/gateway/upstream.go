package gateway

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"
)

// upstreamClient forwards calls to HTTP/1.1 upstreams on the calling
// goroutine: the request is written and the answer read on a pooled
// keep-alive connection, with the call's deadline on the connection itself.
// net/http's Transport did the same with a context and a request per call
// and two goroutine hand-offs to its connection loops, about a quarter of
// the gateway's CPU (docs/benchmarks.md, "Where the time goes").
type upstreamClient struct {
	// dial opens a connection (nil: a net.Dialer bounded by the call's
	// deadline). Tests and the stub benchmark give fake upstreams here.
	dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// tls is the base configuration for https upstreams (nil: system
	// roots), cloned per host with its ServerName.
	tls *tls.Config

	maxIdle     int           // idle connections kept per upstream host
	idleTimeout time.Duration // an idle connection older than this is closed
	maxBody     int           // an answer's body beyond this is refused
	maxHeader   int64         // bound on an answer's status line and header

	mu    sync.RWMutex
	hosts map[hostKey]*hostPool
	gz    sync.Pool // *gzip.Reader for gzip-encoded answers
}

// hostKey names an upstream host's pool (scheme and URL host as
// configured, so "h" and "h:80" are two pools of the same host).
type hostKey struct {
	https bool
	host  string
}

func newUpstreamClient() *upstreamClient {
	return &upstreamClient{maxIdle: 256, idleTimeout: 90 * time.Second, maxBody: 64 << 20, maxHeader: 10 << 20,
		hosts: map[hostKey]*hostPool{}}
}

// upstreamRequest is one call as the upstream gets it.
type upstreamRequest struct {
	method    string
	url       *url.URL // scheme, host and path; its query is not used
	query     string   // raw query, without '?'
	body      []byte
	bodyType  string // Content-Type of body, sent when body is not empty
	consumer  string // X-Xt-Consumer
	requestID string // X-Request-Id: the call id
	timeout   time.Duration
}

var (
	errAnswerTooLarge = errors.New("gateway: the upstream's answer is larger than the gateway accepts")
	errHeaderTooLarge = errors.New("gateway: the upstream's response header is too large")
	errStaleConn      = errors.New("gateway: the upstream closed the idle connection")
	errBadRequestLine = errors.New("gateway: control character in the upstream request")
)

// replayable methods may be sent again after a pooled connection failed
// before any byte of its answer came back (RFC 9110 §9.2.2; net/http's
// Transport retries the same way).
func replayable(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// isTimeout reports whether err is the call's deadline passing (or the
// connection's deadline moved to the past by a caller that went away).
func isTimeout(err error) bool {
	if err == nil {
		return false
	}
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// do sends r and reads the answer. The body is in a pooled buffer (raw) to
// give back with putBody once used; res.Body is empty.
//
// A pooled connection the upstream closed while idle is found on use. The
// call then goes once more on a new connection when that is safe: when no
// byte of the request was written (any method), or when the method is
// replayable and no byte of an answer came back. Non-replayable methods
// take a pooled connection only after a non-blocking peek finds it still
// open (alive), which leaves the same small window as net/http's
// Transport: an upstream closing it in the microseconds before our write.
func (cl *upstreamClient) do(ctx context.Context, r *upstreamRequest) (res *http.Response, body []byte, raw *[]byte, err error) {
	path := requestPath(r)
	if err := checkRequest(r, path); err != nil {
		return nil, nil, nil, err
	}
	hp, err := cl.host(r.url)
	if err != nil {
		return nil, nil, nil, err
	}
	start := time.Now()
	deadline := start.Add(r.timeout)
	replay := replayable(r.method)
	uc := hp.get(start)
	for {
		if uc == nil {
			if uc, err = cl.connect(ctx, hp, deadline); err != nil {
				return nil, nil, nil, err
			}
		}
		var reuse bool
		res, raw, reuse, err = cl.roundTrip(ctx, hp, uc, r, path, deadline, replay)
		if err == nil {
			if reuse {
				hp.put(uc, start)
			} else {
				uc.close()
			}
			return res, *raw, raw, nil
		}
		uc.close()
		stale := uc.reused && ctx.Err() == nil && !isTimeout(err) &&
			(uc.w.written == 0 || replay && uc.w.read == 0)
		if !stale {
			return nil, nil, nil, err
		}
		// Idle connections older than this one are likely closed too (an
		// upstream idle timeout or restart): drop them rather than find
		// each on a call. The next attempt dials, so it is the last.
		hp.dropOlder(uc.idleAt)
		uc = nil
	}
}

// roundTrip is one attempt on uc, within the call's deadline and for as
// long as the caller waits. reuse: uc may serve the next call.
func (cl *upstreamClient) roundTrip(ctx context.Context, hp *hostPool, uc *upConn, r *upstreamRequest, path string, deadline time.Time, replay bool) (res *http.Response, raw *[]byte, reuse bool, err error) {
	uc.w.read, uc.w.written = 0, 0
	if err = uc.w.conn.SetDeadline(deadline); err != nil {
		return nil, nil, false, err
	}
	if uc.reused && !replay && !alive(uc.raw) {
		return nil, nil, false, errStaleConn
	}
	// A caller that hangs up ends the call: its context moves the
	// deadline to the past. Cheaper than a context per call: one small
	// registration, no timer (the deadline is the connection's).
	var stop func() bool
	if ctx.Done() != nil {
		stop = context.AfterFunc(ctx, uc.expire)
	}
	res, raw, reuse, err = cl.exchange(hp, uc, r, path)
	if stop != nil && !stop() {
		reuse = false // the deadline was moved (or is being moved)
	}
	return res, raw, reuse, err
}

// exchange writes the request and reads the whole answer.
func (cl *upstreamClient) exchange(hp *hostPool, uc *upConn, r *upstreamRequest, path string) (res *http.Response, raw *[]byte, reuse bool, err error) {
	gz := r.method != http.MethodHead // as net/http's Transport: ask for gzip, decode it
	if err = uc.writeRequest(r, path, hp.host, gz); err != nil {
		return nil, nil, false, err
	}
	if res, err = uc.readHead(r.method, cl.maxHeader); err != nil {
		return nil, nil, false, err
	}
	raw = getBody()
	*raw, err = readBody((*raw)[:0], res.Body, res.ContentLength, cl.maxBody+1)
	if err == nil && len(*raw) > cl.maxBody {
		err = errAnswerTooLarge
	}
	if err != nil {
		putBody(raw)
		return nil, nil, false, err
	}
	// Reused only when the answer ended where HTTP/1.1 says it does and
	// nothing else came after it.
	reuse = !res.Close && res.ProtoAtLeast(1, 1) && res.StatusCode != http.StatusSwitchingProtocols && uc.br.Buffered() == 0
	res.Body = http.NoBody
	if gz && len(res.Header["Content-Encoding"]) > 0 && strings.EqualFold(res.Header.Get("Content-Encoding"), "gzip") {
		if raw, err = cl.gunzip(raw); err != nil {
			return nil, nil, false, err
		}
		res.Header.Del("Content-Encoding")
		res.Header.Del("Content-Length")
		res.ContentLength, res.Uncompressed = -1, true
	}
	return res, raw, reuse, nil
}

// gunzip decodes a gzip-encoded answer into a new pooled buffer, within
// the same limit; an empty body stays empty (as net/http's gzipReader).
func (cl *upstreamClient) gunzip(raw *[]byte) (*[]byte, error) {
	if len(*raw) == 0 {
		return raw, nil
	}
	src := bytes.NewReader(*raw)
	zr, _ := cl.gz.Get().(*gzip.Reader)
	var err error
	if zr == nil {
		zr, err = gzip.NewReader(src)
	} else {
		err = zr.Reset(src)
	}
	out := getBody()
	if err == nil {
		*out, err = readBody((*out)[:0], zr, -1, cl.maxBody+1)
		if err == nil && len(*out) > cl.maxBody {
			err = errAnswerTooLarge
		}
		cl.gz.Put(zr)
	}
	putBody(raw)
	if err != nil {
		putBody(out)
		return nil, err
	}
	return out, nil
}
