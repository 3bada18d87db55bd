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
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/calllog"
	"github.com/xietong/xietong/internal/catalog"
	"github.com/xietong/xietong/internal/config"
	"github.com/xietong/xietong/internal/consumer"
	"github.com/xietong/xietong/internal/dataapi"
	"github.com/xietong/xietong/internal/datasource"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/gateway"
	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/iam"
	"github.com/xietong/xietong/internal/loadjob"
	"github.com/xietong/xietong/internal/sharing"
	"github.com/xietong/xietong/internal/supervision"
	"github.com/xietong/xietong/internal/warehouse"
)

// App is a running xietong instance's parts.
type App struct {
	Config    *config.Config
	DB        *db.DB
	Audit     *audit.Log
	IAM       *iam.Service
	Routes    []httpx.Route
	Bootstrap *iam.Bootstrap
	Consumers *consumer.Service
	Sources   *datasource.Service
	Catalog   *catalog.Service
	Sharing   *sharing.Service
	// Supervision screens the warehouse (DuckDB in the data dir) with the rule library.
	Supervision *supervision.Service
	Warehouse   *warehouse.Engine
	// Loads fills the warehouse from uploaded files and data-source tables (数据装载).
	Loads    *loadjob.Service
	DataAPIs *dataapi.Service
	Gateway  *gateway.Gateway
	Ingester *calllog.Ingester
	// IngestCommand runs the call-log ingester as a child process (argv of
	// `xietong ingest-calls`; see ingest.go). Empty: Serve ingests in process.
	IngestCommand []string
	journal       *calllog.Journal
	closeFns      []func()
	log           *slog.Logger
	handler       http.Handler
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
	fail := func(err error) (*App, error) {
		a.Close()
		return nil, err
	}
	a.closeFns = append(a.closeFns, func() { d.Close() })
	a.Audit = audit.New(d)
	a.IAM = iam.NewService(d, iam.NewStore(d), a.Audit, cfg.PasswordIterations)
	ih := iam.NewHandler(a.IAM, a.Audit, logger, !cfg.PlainHTTP, cfg.TrustedProxies)
	ops := &opsHandler{db: d, metricsToken: cfg.MetricsToken, registry: prometheus.NewRegistry()}

	box, indexKey, err := masterKey(cfg)
	if err != nil {
		return fail(err)
	}
	a.Consumers = consumer.NewService(d, consumer.NewStore(d), a.Audit, box)
	if err := a.Consumers.EnsurePlatformKey(ctx); err != nil {
		return fail(err)
	}
	if a.journal, err = calllog.OpenJournal(callDir(cfg.DataDir)); err != nil {
		return fail(err)
	}
	a.closeFns = append(a.closeFns, func() { a.journal.Sync(); a.journal.Close() })
	a.Sources = datasource.NewService(d, datasource.NewStore(d), a.Audit, box, cfg.DataDir)
	daStore := dataapi.NewStore(d)
	runtime := dataapi.NewRuntime(daStore, a.Sources, logger, ops.registry)
	a.closeFns = append(a.closeFns, runtime.Close)
	a.DataAPIs = dataapi.NewService(d, daStore, a.Audit, a.Sources, a.Consumers, runtime, calllog.NewReader(d))
	a.Sources.SetHooks(datasource.Hooks{UsedBy: a.DataAPIs.UsedBy, Changed: a.Consumers.BumpVersion})
	a.Catalog = catalog.NewService(d, catalog.NewStore(d), a.Audit, a.IAM, a.Consumers, calllog.NewReader(d), cfg.CentreOrg)
	shareStore := sharing.NewStore(d)
	a.Sharing = sharing.NewService(d, shareStore, a.Audit, a.IAM, a.Catalog, a.Consumers)
	if a.Warehouse, err = warehouse.OpenDuckDB(warehouse.DefaultDuckDBFile(cfg.DataDir)); err != nil {
		return fail(fmt.Errorf("app: open the warehouse: %w", err))
	}
	a.closeFns = append(a.closeFns, func() { a.Warehouse.Close() })
	if err := a.Warehouse.CreateSchema(ctx); err != nil {
		return fail(err)
	}
	a.Supervision = supervision.NewService(d, supervision.NewStore(d), a.Audit, a.IAM, a.Warehouse, filepath.Join(cfg.DataDir, "supervision-files"))
	a.Supervision.SetNotifier(shareStore) // dispatches reach the agency's notification bell
	a.closeFns = append(a.closeFns, a.Supervision.Shutdown)
	a.Loads = loadjob.NewService(d, loadjob.NewStore(d), a.Audit, a.Warehouse, a.Sources, loadjob.Options{Dir: filepath.Join(cfg.DataDir, "loads")})
	a.closeFns = append(a.closeFns, a.Loads.Shutdown) // before the warehouse closes (close functions run last first)
	// The gateway's snapshot: the consumers' configuration, with the data
	// APIs' backends attached.
	load := func(ctx context.Context) (*gateway.Snapshot, error) {
		snap, err := a.Consumers.Snapshot(ctx)
		if err != nil {
			return nil, err
		}
		return snap, runtime.Attach(ctx, snap)
	}
	state, closeState, err := gatewayState(ctx, cfg)
	if err != nil {
		return fail(err)
	}
	a.closeFns = append(a.closeFns, closeState)
	a.Gateway, err = gateway.New(ctx, gateway.Options{Load: load, Version: a.Consumers.Version, State: state,
		Journal: a.journal, Box: box, IndexKey: indexKey, Log: logger, TrustedProxies: cfg.TrustedProxies, BreakerOpen: cfg.BreakerOpen, Metrics: ops.registry})
	if err != nil {
		return fail(err)
	}
	// Serve runs it here, paced, or in a child (ingest.go); tests call Once.
	a.Ingester = calllog.NewIngester(d, callDir(cfg.DataDir), logger).WithPace(ingestPaceInline)
	a.closeFns = append(a.closeFns, a.Ingester.Close) // its connection, before the pool closes
	calls := calllog.NewHandler(d, box, func(s string) string { return gateway.SubjectIndex(indexKey, s) }, a.Audit, cfg.CallLogRetention)
	a.Routes = routes(ih, audit.NewHandler(a.Audit, logger), ops, consumer.NewHandler(a.Consumers), calls, a.Gateway,
		datasource.NewHandler(a.Sources), dataapi.NewHandler(a.DataAPIs), catalog.NewHandler(a.Catalog), sharing.NewHandler(a.Sharing),
		supervision.NewHandler(a.Supervision), loadjob.NewHandler(a.Loads))
	ops.routes = a.Routes
	specs := make([]iam.RouteSpec, 0, len(a.Routes))
	for _, r := range a.Routes {
		specs = append(specs, iam.RouteSpec{Method: r.Method, Pattern: r.Path, Name: r.Name, Menu: r.Menu})
	}
	if a.Bootstrap, err = a.IAM.Seed(ctx, specs, cfg.BootstrapPassword); err != nil {
		return fail(err)
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

// Close releases what New opened, in reverse order.
func (a *App) Close() error {
	for i := len(a.closeFns) - 1; i >= 0; i-- {
		a.closeFns[i]()
	}
	a.closeFns = nil
	return nil
}

// Serve listens on the console address and, when configured, the gateway
// address, until ctx ends; then it shuts both down gracefully, letting calls
// in flight finish (up to 15 s), and ingests the rest of the call journal.
func (a *App) Serve(ctx context.Context, ready func(console, gateway string)) error {
	console, err := a.listen(a.Config.Listen, a.Config.PlainHTTP)
	if err != nil {
		return err
	}
	servers := []server{a.server(a.handler, 5*time.Minute)}
	listeners := []net.Listener{console}
	gwAddr := ""
	if a.Config.GatewayListen != "" {
		gl, err := a.listen(a.Config.GatewayListen, a.Config.GatewayPlainHTTP)
		if err != nil {
			console.Close()
			return err
		}
		servers = append(servers, a.GatewayServer())
		listeners = append(listeners, gl)
		gwAddr = gl.Addr().String()
	}
	go a.sweepSessions(ctx)
	go a.keepCallLog(ctx)
	// Loads a crashed process left running are marked failed (their
	// transaction is gone with it).
	if _, err := a.Loads.Recover(ctx); err != nil {
		return err
	}
	sched := supervision.NewScheduler(a.Supervision, time.Minute, a.log)
	if err := sched.Start(ctx); err != nil {
		return err
	}
	defer sched.Stop()
	go a.Gateway.Watch(ctx, 500*time.Millisecond)
	// The ingester stops after the servers, so that its last round takes
	// the calls answered while they shut down.
	ingestCtx, stopIngest := context.WithCancel(context.WithoutCancel(ctx))
	defer stopIngest()
	ingestDone := make(chan struct{})
	go func() { a.runIngester(ingestCtx); close(ingestDone) }()
	if ready != nil {
		ready(console.Addr().String(), gwAddr)
	}
	errc := make(chan error, len(servers))
	for i, srv := range servers {
		go func(srv server, ln net.Listener) { errc <- srv.Serve(ln) }(srv, listeners[i])
	}
	var first error
	select {
	case first = <-errc:
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	for _, srv := range servers {
		if err := srv.Shutdown(shutdownCtx); err != nil && first == nil {
			first = err
		}
	}
	stopIngest()
	<-ingestDone
	if first != nil && !errors.Is(first, http.ErrServerClosed) {
		return first
	}
	return nil
}

// server is what Serve runs on a listener: net/http's for the console, the
// gateway's own for the data plane.
type server interface {
	Serve(net.Listener) error
	Shutdown(context.Context) error
}

// GatewayServer is the data plane's HTTP/1.1 server (gateway.Server, whose
// defaults are the console's timeouts and limits; a leaner loop per call).
func (a *App) GatewayServer() *gateway.Server {
	return &gateway.Server{Handler: a.Gateway, Log: a.log}
}

func (a *App) server(h http.Handler, writeTimeout time.Duration) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
	}
}

// listen opens addr, with TLS (the configured or self-signed certificate)
// unless plain is set.
func (a *App) listen(addr string, plain bool) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("app: listen %s: %w", addr, err)
	}
	if plain {
		return ln, nil
	}
	cert, err := loadOrCreateCert(a.Config)
	if err != nil {
		ln.Close()
		return nil, err
	}
	return tls.NewListener(ln, &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}), nil
}

// sweepSessions removes expired sessions and ends sharing requests whose
// period is over, every five minutes.
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
			if n, err := a.Sharing.ExpireDue(ctx); err != nil {
				a.log.Warn("sharing expiry sweep failed", "err", err)
			} else if n > 0 {
				a.log.Info("expired sharing requests ended", "count", n)
			}
		}
	}
}
