package dataapi

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// runtimeMetrics are the data APIs' call statistics for Prometheus; the
// console's figures come from the call log.
type runtimeMetrics struct {
	calls   *prometheus.CounterVec
	seconds *prometheus.HistogramVec
}

func newRuntimeMetrics(reg prometheus.Registerer) *runtimeMetrics {
	m := &runtimeMetrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "xietong_dataapi_calls_total",
			Help: "Data API executions by API and result code (empty: success)."}, []string{"api", "code"}),
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "xietong_dataapi_seconds",
			Help: "Data API execution time, query and count included.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}, []string{"api"}),
	}
	if reg != nil {
		reg.MustRegister(m.calls, m.seconds)
	}
	return m
}

func (m *runtimeMetrics) observe(api, code string, d time.Duration) {
	m.calls.WithLabelValues(api, code).Inc()
	m.seconds.WithLabelValues(api).Observe(d.Seconds())
}
