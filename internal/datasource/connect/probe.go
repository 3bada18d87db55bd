package connect

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// Result is the outcome of a connectivity test (连通性测试).
type Result struct {
	OK          bool   `json:"ok"`
	Steps       []Step `json:"steps"`
	ElapsedMS   int64  `json:"elapsed_ms"`
	Fingerprint string `json:"fingerprint,omitempty"` // SFTP: the server's host key, "SHA256:…"
}

// Step is one stage of the test: resolve, connect, tls, auth, permission,
// query, list or http (and "target" when the form itself is wrong).
type Step struct {
	Step      string `json:"step"`
	OK        bool   `json:"ok"`
	Code      string `json:"code,omitempty"`
	Message   string `json:"message"` // zh
	MessageEN string `json:"message_en"`
	ElapsedMS int64  `json:"elapsed_ms"`
}

// Probe tests that t is reachable, step by step, stopping at the first
// failure, and says in Chinese and English where it failed and what to
// check. Each step has t's timeout; the whole probe stops when ctx does.
// It never panics and never reports the password or private key.
func Probe(ctx context.Context, t Target) (res Result) {
	start := time.Now()
	r := &run{ctx: ctx, t: t}
	defer func() {
		if p := recover(); p != nil {
			r.stop(fail(stepTarget, CodeInternal, "检测时发生内部错误，请联系管理员", "internal error while testing; contact the administrator"), 0)
		}
		res = r.result(time.Since(start))
	}()
	k, ok := Lookup(t.Kind)
	if !ok {
		r.stop(fail(stepTarget, CodeUnknownKind,
			fmt.Sprintf("不支持的数据源类型 %q", t.Kind), fmt.Sprintf("unsupported data source kind %q", t.Kind)), 0)
		return
	}
	if f := t.check(k); f != nil {
		r.stop(f, 0)
		return
	}
	switch k.Family {
	case FamilySQL:
		probeSQL(r, k)
	case FamilyFile:
		probeFile(r, k)
	case FamilyAPI:
		probeHTTP(r, k)
	}
	return
}

// run collects the steps of one probe.
type run struct {
	ctx         context.Context
	t           Target
	steps       []Step
	fingerprint string
	failed      bool
}

func (r *run) ok() bool { return !r.failed }

func (r *run) secs() int { return seconds(r.t.timeout()) }

// stepCtx bounds one step by the target's timeout, inside the probe's ctx.
func (r *run) stepCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.ctx, r.t.timeout())
}

func (r *run) pass(step, zh, en string, elapsed time.Duration) {
	r.steps = append(r.steps, Step{Step: step, OK: true, Message: zh, MessageEN: en, ElapsedMS: elapsed.Milliseconds()})
}

func (r *run) stop(f *failure, elapsed time.Duration) {
	r.failed = true
	r.steps = append(r.steps, Step{Step: f.step, Code: f.code, Message: f.zh, MessageEN: f.en, ElapsedMS: elapsed.Milliseconds()})
}

// stopAfter records f, first passing the steps of order that come before
// f's step: one driver call (a login) covers several steps, and the server
// only tells which one failed.
func (r *run) stopAfter(f *failure, order []string, passes map[string][2]string, elapsed time.Duration) {
	idx := -1
	for i, s := range order {
		if s == f.step {
			idx = i
			break
		}
	}
	for _, s := range order[:max(idx, 0)] {
		r.pass(s, passes[s][0], passes[s][1], 0)
	}
	r.stop(f, elapsed)
}

// step runs fn as one step with its own timeout unless the probe has
// already failed or been cancelled.
func (r *run) step(name string, fn func(ctx context.Context) (zh, en string, f *failure)) bool {
	if r.failed {
		return false
	}
	if err := r.ctx.Err(); err != nil {
		r.stop(ctxFailure(name, err, r.secs()), 0)
		return false
	}
	ctx, cancel := r.stepCtx()
	defer cancel()
	t0 := time.Now()
	zh, en, f := fn(ctx)
	if f != nil {
		r.stop(f, time.Since(t0))
		return false
	}
	r.pass(name, zh, en, time.Since(t0))
	return true
}

// resolve looks up host; an IP literal passes without a lookup.
func (r *run) resolve(host string) bool {
	return r.step(stepResolve, func(ctx context.Context) (string, string, *failure) {
		if net.ParseIP(host) != nil {
			return fmt.Sprintf("%s 是 IP 地址，无需解析", host), fmt.Sprintf("%s is an IP address; nothing to resolve", host), nil
		}
		addrs, err := (&net.Resolver{}).LookupHost(ctx, host)
		if err != nil {
			return "", "", resolveFailure(err, host, r.secs())
		}
		list := strings.Join(addrs, ", ")
		return fmt.Sprintf("主机名 %s 解析为 %s", host, list), fmt.Sprintf("host name %s resolves to %s", host, list), nil
	})
}

// connect opens a TCP connection to host:port. With keep the caller gets
// the connection (and must close it); otherwise it is closed at once.
func (r *run) connect(host string, port int, keep bool) net.Conn {
	var conn net.Conn
	addr := net.JoinHostPort(host, fmt.Sprint(port))
	r.step(stepConnect, func(ctx context.Context) (string, string, *failure) {
		c, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
		if err != nil {
			return "", "", connectFailure(err, host, port, r.secs())
		}
		if keep {
			conn = c
		} else {
			_ = c.Close()
		}
		return fmt.Sprintf("已连接 %s", addr), fmt.Sprintf("connected to %s", addr), nil
	})
	return conn
}

// within runs fn but returns when ctx ends, for client libraries whose
// calls take no context; fn's goroutine then ends by the library's own
// timeouts or when the caller closes the connection under it.
func within(ctx context.Context, fn func() error) error {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("client library panicked: %v", p)
			}
		}()
		done <- fn()
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// result finishes the probe: overall status, time, and secrets removed from
// every message (drivers sometimes echo connection strings).
func (r *run) result(elapsed time.Duration) Result {
	res := Result{OK: !r.failed && len(r.steps) > 0, Steps: r.steps, ElapsedMS: elapsed.Milliseconds(), Fingerprint: r.fingerprint}
	for i := range res.Steps {
		res.Steps[i].Message = redact(res.Steps[i].Message, r.t)
		res.Steps[i].MessageEN = redact(res.Steps[i].MessageEN, r.t)
	}
	return res
}

// minSecretLen is the shortest secret redacted from messages: replacing a
// one- or two-letter password would mangle every message while hiding
// nothing an attacker could not guess.
const minSecretLen = 3

func redact(s string, t Target) string {
	for _, secret := range []string{t.Password, t.PrivateKey} {
		if len(secret) < minSecretLen {
			continue
		}
		for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret), url.UserPassword("", secret).String()[1:]} {
			if len(form) >= minSecretLen {
				s = strings.ReplaceAll(s, form, "******")
			}
		}
	}
	return s
}
