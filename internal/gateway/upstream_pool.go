package gateway

import (
	"context"
	"crypto/tls"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpguts"
	"golang.org/x/net/idna"
)

// hostPool holds one upstream host's idle connections, the most recently
// used last (taken first: the warmest, and the least likely closed by the
// upstream's idle timeout).
type hostPool struct {
	addr string      // dial address, host:port (IDNA hosts in ASCII)
	host string      // Host header
	tls  *tls.Config // nil: plain http

	max         int
	idleTimeout time.Duration

	mu       sync.Mutex
	idle     []*upConn
	sweeping bool // a sweep of expired idle connections is scheduled
}

// host returns the pool of u's scheme and host, made on first use.
func (cl *upstreamClient) host(u *url.URL) (*hostPool, error) {
	k := hostKey{https: u.Scheme == "https", host: u.Host}
	cl.mu.RLock()
	hp := cl.hosts[k]
	cl.mu.RUnlock()
	if hp != nil {
		return hp, nil
	}
	hp, err := cl.newHostPool(u)
	if err != nil {
		return nil, err
	}
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if old := cl.hosts[k]; old != nil {
		return old, nil
	}
	cl.hosts[k] = hp
	return hp, nil
}

// newHostPool works out the address, Host header and TLS name as net/http's
// Transport does: default ports per scheme, IDNA names in ASCII.
func (cl *upstreamClient) newHostPool(u *url.URL) (*hostPool, error) {
	name := u.Hostname()
	if a, err := idna.Lookup.ToASCII(name); err == nil {
		name = a
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	host, err := httpguts.PunycodeHostPort(strings.TrimSuffix(u.Host, ":"))
	if err != nil {
		return nil, err
	}
	// No IPv6 zone in the Host header (net/http's removeZone).
	if i := strings.LastIndex(host, "]"); strings.HasPrefix(host, "[") && i > 0 {
		if j := strings.LastIndex(host[:i], "%"); j > 0 {
			host = host[:j] + host[i:]
		}
	}
	hp := &hostPool{addr: net.JoinHostPort(name, port), host: host, max: cl.maxIdle, idleTimeout: cl.idleTimeout}
	if u.Scheme == "https" {
		if cl.tls != nil {
			hp.tls = cl.tls.Clone()
		} else {
			hp.tls = &tls.Config{}
		}
		hp.tls.ServerName = name
		hp.tls.NextProtos = []string{"http/1.1"}
	}
	return hp, nil
}

// connect dials a new connection (and does the TLS handshake) within the
// call's deadline.
func (cl *upstreamClient) connect(ctx context.Context, hp *hostPool, deadline time.Time) (*upConn, error) {
	var conn net.Conn
	var err error
	if cl.dial != nil {
		conn, err = cl.dial(ctx, "tcp", hp.addr)
	} else {
		d := net.Dialer{Deadline: deadline}
		conn, err = d.DialContext(ctx, "tcp", hp.addr)
	}
	if err != nil {
		return nil, err
	}
	raw := conn
	if hp.tls != nil {
		tc := tls.Client(conn, hp.tls)
		conn.SetDeadline(deadline)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return nil, err
		}
		conn = tc
	}
	return newUpConn(conn, raw), nil
}

// get takes the most recently used idle connection that has not expired.
func (p *hostPool) get(now time.Time) *upConn {
	p.mu.Lock()
	defer p.mu.Unlock()
	for n := len(p.idle); n > 0; n-- {
		uc := p.idle[n-1]
		p.idle[n-1] = nil
		p.idle = p.idle[:n-1]
		if now.Sub(uc.idleAt) < p.idleTimeout {
			uc.reused = true
			return uc
		}
		uc.close()
	}
	return nil
}

// put keeps uc for the next call (idle since now), or closes it when the
// pool is full.
func (p *hostPool) put(uc *upConn, now time.Time) {
	uc.idleAt = now
	p.mu.Lock()
	if len(p.idle) >= p.max {
		p.mu.Unlock()
		uc.close()
		return
	}
	p.idle = append(p.idle, uc)
	if !p.sweeping {
		p.sweeping = true
		time.AfterFunc(p.idleTimeout, p.sweep)
	}
	p.mu.Unlock()
}

// dropOlder closes the idle connections idle since t or before.
func (p *hostPool) dropOlder(t time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keep(func(uc *upConn) bool { return uc.idleAt.After(t) })
}

// sweep closes the connections that expired while idle, so that an
// upstream no longer called does not keep them open; it runs while the
// pool holds any.
func (p *hostPool) sweep() {
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.keep(func(uc *upConn) bool { return now.Sub(uc.idleAt) < p.idleTimeout })
	if len(p.idle) == 0 {
		p.sweeping = false
		return
	}
	oldest := p.idle[0].idleAt
	for _, uc := range p.idle[1:] {
		if uc.idleAt.Before(oldest) {
			oldest = uc.idleAt
		}
	}
	time.AfterFunc(oldest.Add(p.idleTimeout).Sub(now), p.sweep)
}

// keep closes the idle connections ok rejects; p.mu is held.
func (p *hostPool) keep(ok func(*upConn) bool) {
	kept := p.idle[:0]
	for _, uc := range p.idle {
		if ok(uc) {
			kept = append(kept, uc)
		} else {
			uc.close()
		}
	}
	clear(p.idle[len(kept):])
	p.idle = kept
}
