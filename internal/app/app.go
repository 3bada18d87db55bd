// Package app wires xietong together: config → stores → services → HTTP.
// Dependencies point one way: cmd → app → feature http → service → store → db.
package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/config"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/iam"
)

// App is a running xietong instance's parts.
type App struct {
	Config    *config.Config
	DB        *db.DB
	Audit     *audit.Log
	IAM       *iam.Service
	Routes    []httpx.Route
	Bootstrap *iam.Bootstrap
	log       *slog.Logger
	handler   http.Handler
}

// New opens the metadata store, migrates it, seeds the built-in objects and
// builds the HTTP handler. console is the built web UI (nil: none).
func New(ctx context.Context, cfg *config.Config, logger *slog.Logger, console fs.FS) (*App, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("app: data dir: %w", err)
	}
	d, err := db.Open(ctx, db.Dialect(cfg.DBDriver), cfg.DBDSN)
	if err != nil {
		return nil, err
	}
	if err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	a := &App{Config: cfg, DB: d, log: logger}
	a.Audit = audit.New(d)
	a.IAM = iam.NewService(d, iam.NewStore(d), a.Audit, logger, cfg.PasswordIterations)
	ih := iam.NewHandler(a.IAM, a.Audit, logger, !cfg.PlainHTTP, cfg.TrustedProxies)
	ops := &opsHandler{db: d, metricsToken: cfg.MetricsToken, registry: prometheus.NewRegistry()}
	a.Routes = routes(ih, audit.NewHandler(a.Audit, logger), ops)
	ops.routes = a.Routes
	specs := make([]iam.RouteSpec, 0, len(a.Routes))
	for _, r := range a.Routes {
		specs = append(specs, iam.RouteSpec{Method: r.Method, Pattern: r.Path, Name: r.Name, Menu: r.Menu})
	}
	if a.Bootstrap, err = a.IAM.Seed(ctx, specs, cfg.BootstrapPassword); err != nil {
		d.Close()
		return nil, err
	}
	a.handler = a.buildHandler(ih, ops, console)
	return a, nil
}

// Handler is the console and API handler.
func (a *App) Handler() http.Handler { return a.handler }

func (a *App) buildHandler(ih *iam.Handler, ops *opsHandler, console fs.FS) http.Handler {
	mux := http.NewServeMux()
	m := newMetrics(ops.registry)
	for _, rt := range a.Routes {
		h := ih.Guard(rt, httpx.Handle(a.log, rt.Handler))
		mux.Handle(rt.Pattern(), m.instrument(rt.Pattern(), h))
	}
	mux.Handle("GET /metrics", ops.metrics())
	// Everything else: a JSON 404 under /api (never the console's index
	// page), the console for the rest.
	var ui http.Handler = http.NotFoundHandler()
	if console != nil {
		ui = spa(console)
	}
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(r.URL.Path, "/api/"):
			httpx.WriteProblem(w, httpx.ErrNotFound)
		case r.Method != http.MethodGet && r.Method != http.MethodHead:
			httpx.WriteProblem(w, httpx.NewProblem(http.StatusMethodNotAllowed, "method_not_allowed", "不支持该请求方法", "Method not allowed"))
		default:
			ui.ServeHTTP(w, r)
		}
	}))
	return httpx.SecurityHeaders(mux)
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

// Serve listens on the configured address until ctx ends, then shuts down
// gracefully, letting calls in flight finish (up to 15 s).
func (a *App) Serve(ctx context.Context, ready func(addr string)) error {
	srv := &http.Server{
		Handler:           a.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute, // exports stream for a while
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", a.Config.Listen)
	if err != nil {
		return fmt.Errorf("app: listen %s: %w", a.Config.Listen, err)
	}
	if !a.Config.PlainHTTP {
		cert, err := loadOrCreateCert(a.Config)
		if err != nil {
			ln.Close()
			return err
		}
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	go a.sweepSessions(ctx)
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func (a *App) sweepSessions(ctx context.Context) {
	t := time.NewTicker(5 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := a.IAM.Cleanup(ctx); err != nil {
				a.log.Warn("session sweep failed", "err", err)
			} else if n > 0 {
				a.log.Info("expired sessions removed", "count", n)
			}
		}
	}
}
