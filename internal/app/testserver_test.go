package app_test

import (
	"context"
	"net"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/app"
	"github.com/xietong/xietong/internal/config"
	"github.com/xietong/xietong/internal/testutil"
)

// testServer is a fresh xietong behind a real TLS listener on loopback.
type testServer struct {
	App        *app.App
	URL        string
	GatewayURL string // the data plane, plain HTTP on loopback
	srv        *httptest.Server
}

// newTestServer builds a fresh app on dialect d and serves it over TLS.
func newTestServer(t testing.TB, d testutil.Dialect, opts ...func(*config.Config)) *testServer {
	t.Helper()
	cfg := testutil.Config(t, d)
	for _, o := range opts {
		o(cfg)
	}
	a, err := app.New(context.Background(), cfg, testutil.Logger(), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(a.Handler())
	// The gateway through its own server, as serve runs it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gw := a.GatewayServer()
	go gw.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		gw.Shutdown(ctx)
		srv.Close()
		a.Close()
	})
	return &testServer{App: a, URL: srv.URL, GatewayURL: "http://" + ln.Addr().String(), srv: srv}
}

// Client gives a new browser-like client of the server.
func (s *testServer) Client(t testing.TB) *testutil.Client {
	return testutil.NewClient(t, s.URL, s.srv.Client().Transport)
}

// Admin logs in one of the three admins and changes the first password.
func (s *testServer) Admin(t testing.TB, name string) *testutil.Client {
	c := s.Client(t)
	c.LoginChanging(name, testutil.BootstrapPassword, testutil.AdminPassword)
	return c
}
