package gateway

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/sony/gobreaker/v2"

	"github.com/xietong/xietong/internal/calllog"
	"github.com/xietong/xietong/internal/gm"
	"github.com/xietong/xietong/internal/httpx"
	xt "github.com/xietong/xietong/sdk/go"
)

// Options configure a gateway.
type Options struct {
	Load           func(ctx context.Context) (*Snapshot, error)
	Version        func(ctx context.Context) (int64, error)
	State          State
	Journal        *calllog.Journal
	Box            *gm.Box // seals the subject of a lookup in the call log
	IndexKey       []byte  // keys the subject index (HMAC-SM3)
	Log            *slog.Logger
	TrustedProxies []netip.Prefix
	// BreakerOpen is how long a tripped breaker stays open before half-open
	// probes (default 10 s).
	BreakerOpen time.Duration
	Now         func() time.Time
	// Metrics receives the gateway's Prometheus series (nil: none).
	Metrics prometheus.Registerer
}

// Gateway serves consumer calls from the current snapshot.
type Gateway struct {
	o        Options
	snap     atomic.Pointer[Snapshot]
	breakers sync.Map // upstream host → *breaker
	upstream *upstreamClient
	stages   []Stage
	metrics  *metrics
	macs     macs     // HMAC-SM3 states per key: request signatures and answers
	index    *indexer // the subject index of the call log
}

// MaxBodyBytes bounds a request body.
const MaxBodyBytes = 8 << 20

// New loads the first snapshot and compiles the stages.
func New(ctx context.Context, o Options) (*Gateway, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.BreakerOpen == 0 {
		o.BreakerOpen = 10 * time.Second
	}
	g := &Gateway{o: o, upstream: newUpstreamClient(), index: newIndexer(o.IndexKey)}
	if err := g.Reload(ctx); err != nil {
		return nil, err
	}
	g.metrics = newMetrics(o.Metrics)
	g.stages = []Stage{authenticate{g}, replay{g}, route{}, authorise{g}, decrypt{}, limit{g}, quota{g}}
	return g, nil
}

// Reload builds a new snapshot and swaps it in; calls in flight keep the
// one they started with.
func (g *Gateway) Reload(ctx context.Context) error {
	s, err := g.o.Load(ctx)
	if err != nil {
		return fmt.Errorf("gateway: load configuration: %w", err)
	}
	g.snap.Store(s)
	g.macs.m.Clear() // keys may have been revoked or changed
	return nil
}

// Watch polls the configuration version and reloads on change.
func (g *Gateway) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			v, err := g.o.Version(ctx)
			if err != nil {
				g.o.Log.Warn("gateway: version poll failed", "err", err)
				continue
			}
			if v != g.snap.Load().Version {
				if err := g.Reload(ctx); err != nil {
					g.o.Log.Error("gateway: reload failed; keeping the previous configuration", "err", err)
				}
			}
		}
	}
}

// call is one request moving through the stages.
type call struct {
	r         *http.Request
	start     time.Time
	snap      *Snapshot
	ip        netip.Addr
	ipText    string
	body      []byte // as received
	ts, nonce string
	key       *Key
	encHeader string
	mode      string
	dataKey   *DataKey
	api       *API
	grant     *Grant
	query     string // plaintext query for the upstream
	plain     []byte // plaintext body for the upstream
	plainType string
	rec       calllog.Record
}

// Stage is one step of the pipeline before the upstream; a denial stops the call.
type Stage interface {
	Check(c *call) *Denial
}

// Denial is a refused call: status, stable code and explanations.
type Denial struct {
	Status     int
	Code       string
	ZH, EN     string
	RetryAfter time.Duration
}

func deny(status int, code, zh, en string) *Denial {
	return &Denial{Status: status, Code: code, ZH: zh, EN: en}
}

// ServeHTTP runs a call through the stages, the upstream and the response steps.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == "/gw/v1/platform-keys" {
		g.platformKeys(w)
		return
	}
	c := &call{r: r, start: g.o.Now(), snap: g.snap.Load()}
	c.ipText = httpx.ClientIP(r, g.o.TrustedProxies)
	c.ip, _ = netip.ParseAddr(c.ipText)
	c.rec = calllog.Record{CallID: calllog.NewCallID(c.start), At: c.start.UTC(), Method: r.Method, Path: r.URL.Path, ClientIP: c.ipText}
	if r.Body != nil && r.Body != http.NoBody {
		body, err := readBody(nil, http.MaxBytesReader(w, r.Body, MaxBodyBytes), r.ContentLength, MaxBodyBytes+1)
		if err != nil {
			g.refuse(w, c, deny(http.StatusRequestEntityTooLarge, "gw_bad_request", "请求体过大", "The body is too large"))
			return
		}
		c.body = body
	}
	body := c.body
	c.rec.BytesIn = int64(len(body))
	for _, s := range g.stages {
		if d := s.Check(c); d != nil {
			g.refuse(w, c, d)
			return
		}
	}
	g.forward(w, c)
}

func (g *Gateway) platformKeys(w http.ResponseWriter) {
	p := g.snap.Load().Platform
	pem, err := gm.PublicPEM(&p.Priv.PublicKey)
	if err != nil {
		httpx.WriteProblem(w, httpx.NewProblem(500, "internal", "内部错误", "Internal error"))
		return
	}
	httpx.WriteJSON(w, http.StatusOK, []map[string]string{{"key_id": p.ID, "public_pem": pem, "status": "active"}})
}

// refuse answers a denial as a signed problem and logs the call.
func (g *Gateway) refuse(w http.ResponseWriter, c *call, d *Denial) {
	p := httpx.NewProblem(d.Status, d.Code, d.ZH, d.EN)
	body, _ := json.Marshal(p)
	if d.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((d.RetryAfter+time.Second-1)/time.Second)))
	}
	c.rec.Code = d.Code
	g.respond(w, c, d.Status, "application/problem+json", body, false)
}

// respond signs (when the key is known), encrypts (sealed), logs the call
// durably, then writes.
func (g *Gateway) respond(w http.ResponseWriter, c *call, status int, contentType string, body []byte, sealed bool) {
	hv := headerValues{h: w.Header(), vals: make([]string, 0, 12)}
	hv.set(hCallID, c.rec.CallID)
	enc := ""
	if sealed {
		enc = c.encHeader
		hv.set(hEncryption, enc)
		if contentType != "" {
			hv.set(hXTContentType, contentType)
		}
		contentType = "text/plain; charset=utf-8"
	}
	hv.set(hContentType, contentType)
	hv.set(hCacheControl, "no-store")
	hv.set(hNoSniff, "nosniff")
	if c.key != nil {
		// The timestamp, the nonce and the signature share one string.
		var buf [192]byte
		b := strconv.AppendInt(buf[:0], g.o.Now().Unix(), 10)
		tsEnd := len(b)
		b = appendToken(b, 16)
		nonceEnd := len(b)
		sg := signers.Get().(*signer)
		msg := sg.responseString(status, c.nonce, b[:tsEnd], b[tsEnd:nonceEnd], enc, body)
		var sig []byte
		var err error
		if c.key.Kind == KindHMAC {
			sig = g.macs.sign(c.key, msg, sg.mac[:0])
			hv.set(hSignatureMethod, xt.MethodHMAC)
		} else {
			sig, err = xt.SM2Sign(c.snap.Platform.Priv, string(msg))
			hv.set(hSignatureMethod, xt.MethodSM2)
			hv.set(hPlatformKeyID, c.snap.Platform.ID)
		}
		if err == nil {
			b = base64.StdEncoding.AppendEncode(b, sig)
		}
		signers.Put(sg)
		if err == nil {
			vals := string(b)
			hv.set(hTimestamp, vals[:tsEnd])
			hv.set(hNonce, vals[tsEnd:nonceEnd])
			hv.set(hRequestNonce, c.nonce)
			hv.set(hSignature, vals[nonceEnd:])
		}
	}
	c.rec.Status = status
	c.rec.BytesOut = int64(len(body))
	c.rec.LatencyUS = g.o.Now().Sub(c.start).Microseconds()
	if err := g.o.Journal.Append(&c.rec); err != nil {
		// Without its call-log record a call must not be answered.
		g.o.Log.Error("gateway: call log append failed; refusing", "err", err)
		httpx.WriteProblem(w, httpx.NewProblem(http.StatusServiceUnavailable, "gw_log_unavailable", "调用日志不可写，暂停服务", "The call log cannot be written; calls are paused"))
		return
	}
	w.WriteHeader(status)
	w.Write(body)
	g.metrics.observe(c)
}

// ---- the upstream ----

type breaker struct {
	cb   *gobreaker.TwoStepCircuitBreaker[struct{}]
	host string
}

func (g *Gateway) breaker(host string) *breaker {
	if b, ok := g.breakers.Load(host); ok {
		return b.(*breaker)
	}
	b := &breaker{host: host, cb: gobreaker.NewTwoStepCircuitBreaker[struct{}](gobreaker.Settings{
		Name:        host,
		MaxRequests: 2,                // half-open probes
		Interval:    10 * time.Second, // closed-state counting window
		Timeout:     g.o.BreakerOpen,
		// A caller that hangs up cancels its call: that says nothing about the upstream.
		IsExcluded: func(err error) bool { return errors.Is(err, errCallerGone) },
		ReadyToTrip: func(c gobreaker.Counts) bool {
			return c.ConsecutiveFailures >= 5 || (c.Requests >= 20 && c.TotalFailures*2 >= c.Requests)
		},
		OnStateChange: func(name string, from, to gobreaker.State) {
			g.o.Log.Warn("gateway: breaker", "upstream", name, "from", from.String(), "to", to.String())
			g.metrics.breakerState(name, to)
		},
	})}
	g.metrics.breakerState(host, gobreaker.StateClosed)
	actual, _ := g.breakers.LoadOrStore(host, b)
	return actual.(*breaker)
}

// BreakerState is a breaker as the console shows it.
type BreakerState struct {
	Upstream            string `json:"upstream"`
	State               string `json:"state"`
	Requests            uint32 `json:"requests"`
	TotalFailures       uint32 `json:"total_failures"`
	ConsecutiveFailures uint32 `json:"consecutive_failures"`
}

// Breakers lists every upstream's breaker.
func (g *Gateway) Breakers() []BreakerState {
	var out []BreakerState
	g.breakers.Range(func(k, v any) bool {
		b := v.(*breaker)
		c := b.cb.Counts()
		out = append(out, BreakerState{Upstream: b.host, State: b.cb.State().String(), Requests: c.Requests, TotalFailures: c.TotalFailures, ConsecutiveFailures: c.ConsecutiveFailures})
		return true
	})
	return out
}

// errUpstream marks a failed or slow upstream call for the breaker;
// errCallerGone a call the caller abandoned, which the breaker ignores.
var (
	errUpstream   = errors.New("gateway: upstream failed")
	errCallerGone = errors.New("gateway: caller closed the connection")
)

func idempotent(m string) bool {
	return m == http.MethodGet || m == http.MethodPut || m == http.MethodDelete
}

func (g *Gateway) forward(w http.ResponseWriter, c *call) {
	b := g.breaker(c.api.Upstream.Host)
	done, err := b.cb.Allow()
	if err != nil {
		g.refuse(w, c, deny(http.StatusServiceUnavailable, "gw_upstream_unavailable", "上游服务熔断中，请稍后重试", "The upstream is unavailable (circuit open); retry later"))
		return
	}
	attempts := 1
	if idempotent(c.api.Method) {
		attempts += c.api.Retries
	}
	var res *http.Response
	var body []byte
	var raw *[]byte // pooled buffer holding body, if any
	defer func() { putBody(raw) }()
	started := time.Now()
	for i := 0; i < attempts; i++ {
		putBody(raw)
		res, body, raw, err = g.send(c)
		if err == nil && res.StatusCode < 500 || errors.Is(err, errAnswerTooLarge) {
			break
		}
	}
	slow := time.Since(started) > c.api.Timeout/2
	switch {
	case c.r.Context().Err() != nil || callerGone(w):
		done(errCallerGone)
		g.refuse(w, c, deny(499, "gw_client_closed", "调用方已断开连接", "The caller closed the connection"))
		return
	case errors.Is(err, errAnswerTooLarge):
		// As an answer that cannot be parsed: refused, but the upstream is
		// up, so the breaker is not told of a failure.
		done(nil)
		g.refuse(w, c, deny(http.StatusBadGateway, "gw_upstream_error", "上游返回内容过大", "The upstream's answer is too large"))
		return
	case isTimeout(err):
		done(errUpstream)
		g.refuse(w, c, deny(http.StatusGatewayTimeout, "gw_upstream_timeout", "上游服务响应超时", "The upstream did not answer in time"))
		return
	case err != nil:
		done(errUpstream)
		g.refuse(w, c, deny(http.StatusBadGateway, "gw_upstream_error", "上游服务调用失败", "The upstream call failed"))
		return
	}
	if res.StatusCode >= 500 || slow {
		done(errUpstream) // a server error or a slow call counts against the upstream
	} else {
		done(nil)
	}
	ct := res.Header.Get("Content-Type")
	c.rec.Records = 0
	if res.StatusCode < 300 && isJSON(ct) {
		sh := c.grant.Shaper
		if sh == nil {
			sh = NewShaper(c.api, c.grant)
		}
		out := getBody()
		defer putBody(out)
		shaped, n, err := sh.ShapeTo((*out)[:0], body)
		if err != nil {
			g.refuse(w, c, deny(http.StatusBadGateway, "gw_upstream_error", "上游返回的 JSON 无法解析", "The upstream's JSON cannot be parsed"))
			return
		}
		*out = shaped[:0]
		body, c.rec.Records = shaped, n
	} else if res.StatusCode < 300 && len(c.api.Fields) > 0 {
		// Classified fields cannot be masked in a body we cannot parse: refuse
		// rather than leak.
		g.refuse(w, c, deny(http.StatusBadGateway, "gw_upstream_error", "上游返回了非 JSON 内容，无法按授权脱敏", "The upstream answered non-JSON; it cannot be masked per the grant"))
		return
	}
	if c.dataKey != nil {
		sealed, err := xt.Seal(c.mode, c.dataKey.Key, body, xt.ResponseAAD(c.key.ID, c.nonce))
		if err != nil {
			g.refuse(w, c, deny(http.StatusInternalServerError, "gw_internal", "加密失败", "Encryption failed"))
			return
		}
		enc := getBody()
		defer putBody(enc)
		*enc = base64.StdEncoding.AppendEncode((*enc)[:0], sealed)
		g.respond(w, c, res.StatusCode, ct, *enc, true)
		return
	}
	g.respond(w, c, res.StatusCode, ct, body, false)
}

// callerGone reports whether the caller hung up while the upstream was
// answering: net/http's server tells through the request's context, the
// gateway's own Server (which runs no background read per call) when asked.
func callerGone(w http.ResponseWriter) bool {
	g, ok := w.(interface{ CallerGone() bool })
	return ok && g.CallerGone()
}

func isJSON(ct string) bool {
	return len(ct) >= 16 && ct[:16] == "application/json" || strings.Contains(ct, "+json")
}

// send calls the upstream once. The answer's body is in a pooled buffer
// (raw, nil for a backend's answer), to be given back once written.
func (g *Gateway) send(c *call) (res *http.Response, body []byte, raw *[]byte, err error) {
	if b := c.api.Backend; b != nil {
		ctx, cancel := context.WithTimeout(c.r.Context(), c.api.Timeout)
		defer cancel()
		out := b.Serve(ctx, BackendRequest{Method: c.api.Method, Query: c.query, Body: c.plain, ContentType: c.plainType,
			Consumer: c.key.Consumer.Code, CallID: c.rec.CallID})
		c.rec.Code = out.Code
		return &http.Response{StatusCode: out.Status, Header: http.Header{"Content-Type": {out.ContentType}}}, out.Body, nil, nil
	}
	return g.upstream.do(c.r.Context(), &upstreamRequest{method: c.api.Method, url: c.api.Upstream, query: c.query, body: c.plain,
		bodyType: c.plainType, consumer: c.key.Consumer.Code, requestID: c.rec.CallID, timeout: c.api.Timeout})
}

// Status: GET /api/v1/gateway/status — breakers and configuration version.
func (g *Gateway) Status(w http.ResponseWriter, r *http.Request) error {
	s := g.snap.Load()
	state := "memory"
	if _, ok := g.o.State.(*RedisState); ok {
		state = "redis"
	}
	br := g.Breakers()
	if br == nil {
		br = []BreakerState{}
	}
	type limits struct {
		GrantID    int64   `json:"grant_id"`
		Consumer   string  `json:"consumer_code"`
		API        string  `json:"api_code"`
		RatePerSec float64 `json:"rate_per_sec"`
		Burst      int     `json:"burst"`
		DayUsed    int64   `json:"day_used"`
		DayLimit   int64   `json:"day_limit"`
		MonthUsed  int64   `json:"month_used"`
		MonthLimit int64   `json:"month_limit"`
	}
	var ls []limits
	for _, gr := range s.Grants {
		ps := quotaPeriods(gr, g.o.Now())
		l := limits{GrantID: gr.ID, Consumer: gr.ConsumerCode, API: gr.APICode, RatePerSec: gr.Rate, Burst: gr.Burst, MonthLimit: ps[0].limit, DayLimit: ps[1].limit}
		var err error
		if l.MonthUsed, err = g.o.State.Used(r.Context(), ps[0].key); err != nil {
			return err
		}
		if l.DayUsed, err = g.o.State.Used(r.Context(), ps[1].key); err != nil {
			return err
		}
		ls = append(ls, l)
	}
	sort.Slice(ls, func(i, j int) bool { return ls[i].GrantID < ls[j].GrantID })
	if ls == nil {
		ls = []limits{}
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"version": s.Version, "apis": len(s.APIs), "keys": len(s.Keys), "grants": len(s.Grants), "state": state, "breakers": br, "limits": ls})
	return nil
}
