package app

import (
	"context"
	"crypto/subtle"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/httpx"
)

// opsHandler serves health, readiness, metrics and the OpenAPI document.
type opsHandler struct {
	db           *db.DB
	metricsToken string
	registry     *prometheus.Registry
	routes       []httpx.Route
}

func (o *opsHandler) healthz(w http.ResponseWriter, r *http.Request) error {
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}

func (o *opsHandler) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := o.db.Ping(ctx); err != nil {
		httpx.WriteProblem(w, httpx.NewProblem(http.StatusServiceUnavailable, "not_ready", "元数据库不可用", "The metadata database does not answer"))
		return nil
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready", "db": string(o.db.Dialect)})
	return nil
}

func (o *opsHandler) openapi(w http.ResponseWriter, r *http.Request) error {
	httpx.WriteJSON(w, http.StatusOK, openAPI(o.routes))
	return nil
}

// metrics serves Prometheus text to a caller with the bearer token, or to
// loopback callers when no token is configured.
func (o *opsHandler) metrics() http.Handler {
	o.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	h := promhttp.HandlerFor(o.registry, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o.metricsToken != "" {
			got := r.Header.Get("Authorization")
			if subtle.ConstantTimeCompare([]byte(got), []byte("Bearer "+o.metricsToken)) != 1 {
				httpx.WriteProblem(w, httpx.ErrUnauthenticated)
				return
			}
		} else if !fromLoopback(r) {
			httpx.WriteProblem(w, httpx.ErrForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func fromLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

// httpMetrics counts requests and their latency per route pattern.
type httpMetrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "xietong_http_requests_total", Help: "Console and API requests by route and status."}, []string{"route", "status"}),
		latency:  prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "xietong_http_request_seconds", Help: "Console and API request latency by route.", Buckets: prometheus.DefBuckets}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.latency)
	return m
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

// Unwrap lets http.ResponseController reach the connection (an upload lifts
// its read deadline through it).
func (s *statusWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusWriter) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusWriter) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (m *httpMetrics) instrument(route string, next http.Handler) http.Handler {
	lat := m.latency.WithLabelValues(route)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		lat.Observe(time.Since(start).Seconds())
		m.requests.WithLabelValues(route, strconv.Itoa(sw.status)).Inc()
	})
}
