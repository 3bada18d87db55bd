package gateway

import (
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/sony/gobreaker/v2"
)

// metrics are the gateway's Prometheus series; nil when no registry is given.
type metrics struct {
	calls   *prometheus.CounterVec
	latency *prometheus.HistogramVec
	breaker *prometheus.GaugeVec

	// series caches the children of calls and latency by label values, so
	// a call looks them up in a plain map (no label hashing, validation,
	// locks or allocations); the map is copied on the rare miss.
	series atomic.Pointer[map[seriesKey]series]
	mu     sync.Mutex // serialises misses
}

type seriesKey struct {
	api    string
	status int
	code   string
}

type series struct {
	calls   prometheus.Counter
	latency prometheus.Observer
}

func newMetrics(reg prometheus.Registerer) *metrics {
	if reg == nil {
		return nil
	}
	m := &metrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "xietong_gateway_calls_total",
			Help: "Gateway calls by API, status and refusal code."}, []string{"api", "status", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "xietong_gateway_call_seconds",
			Help: "Gateway call latency by API.", Buckets: []float64{.001, .002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}}, []string{"api"}),
		breaker: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "xietong_gateway_breaker_state",
			Help: "Upstream circuit breaker: 0 closed, 1 half-open, 2 open."}, []string{"upstream"}),
	}
	reg.MustRegister(m.calls, m.latency, m.breaker)
	return m
}

func (m *metrics) observe(c *call) {
	if m == nil {
		return
	}
	k := seriesKey{c.rec.APICode, c.rec.Status, c.rec.Code}
	s, ok := series{}, false
	if cur := m.series.Load(); cur != nil {
		s, ok = (*cur)[k]
	}
	if !ok {
		s = m.add(k)
	}
	s.calls.Inc()
	s.latency.Observe(float64(c.rec.LatencyUS) / 1e6)
}

func (m *metrics) add(k seriesKey) series {
	m.mu.Lock()
	defer m.mu.Unlock()
	old := map[seriesKey]series{}
	if cur := m.series.Load(); cur != nil {
		old = *cur
	}
	if s, ok := old[k]; ok {
		return s
	}
	s := series{calls: m.calls.WithLabelValues(k.api, strconv.Itoa(k.status), k.code), latency: m.latency.WithLabelValues(k.api)}
	next := make(map[seriesKey]series, len(old)+1)
	for kk, v := range old {
		next[kk] = v
	}
	next[k] = s
	m.series.Store(&next)
	return s
}

func (m *metrics) breakerState(upstream string, s gobreaker.State) {
	if m == nil {
		return
	}
	v := 0.0
	switch s {
	case gobreaker.StateHalfOpen:
		v = 1
	case gobreaker.StateOpen:
		v = 2
	}
	m.breaker.WithLabelValues(upstream).Set(v)
}
