package testutil

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/xietong/xietong/internal/app"
	"github.com/xietong/xietong/internal/config"
)

// Server is a fresh xietong behind a real TLS listener on loopback.
type Server struct {
	App        *app.App
	URL        string
	GatewayURL string // the data plane, plain HTTP on loopback
	srv        *httptest.Server
}

// NewServer builds a fresh app on dialect d and serves it over TLS.
func NewServer(t testing.TB, d Dialect, opts ...func(*config.Config)) *Server {
	t.Helper()
	cfg := Config(t, d)
	for _, o := range opts {
		o(cfg)
	}
	a, err := app.New(context.Background(), cfg, Logger(), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(a.Handler())
	gw := httptest.NewServer(a.GatewayHandler())
	t.Cleanup(func() {
		gw.Close()
		srv.Close()
		a.Close()
	})
	return &Server{App: a, URL: srv.URL, GatewayURL: gw.URL, srv: srv}
}

// Client gives a new browser-like client of the server.
func (s *Server) Client(t testing.TB) *Client {
	return NewClient(t, s.URL, s.srv.Client().Transport)
}

// Admin logs in one of the three admins and changes the first password.
func (s *Server) Admin(t testing.TB, name string) *Client {
	c := s.Client(t)
	c.LoginChanging(name, BootstrapPassword, AdminPassword)
	return c
}

// AdminPassword is what tests change the admins' first password to.
const AdminPassword = "Changed#2026-xt!"
