package gateway

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/sony/gobreaker/v2"
)

// metrics are the gateway's Prometheus series; nil when no registry is given.
type metrics struct {
	calls   *prometheus.CounterVec
	latency *prometheus.HistogramVec
	breaker *prometheus.GaugeVec
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
	m.calls.WithLabelValues(c.rec.APICode, strconv.Itoa(c.rec.Status), c.rec.Code).Inc()
	m.latency.WithLabelValues(c.rec.APICode).Observe(float64(c.rec.LatencyUS) / 1e6)
}

func (m *metrics) breakerState(upstream string, s gobreaker.State) {
	if m == nil {
		return
	}
	v := map[gobreaker.State]float64{gobreaker.StateClosed: 0, gobreaker.StateHalfOpen: 1, gobreaker.StateOpen: 2}[s]
	m.breaker.WithLabelValues(upstream).Set(v)
}
