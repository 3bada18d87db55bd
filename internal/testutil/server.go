package testutil

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/xietong/xietong/internal/app"
)

// Server is a fresh xietong behind a real TLS listener on loopback.
type Server struct {
	App *app.App
	URL string
	srv *httptest.Server
}

// NewServer builds a fresh app on dialect d and serves it over TLS.
func NewServer(t testing.TB, d Dialect) *Server {
	t.Helper()
	a, err := app.New(context.Background(), Config(t, d), Logger(), nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewTLSServer(a.Handler())
	t.Cleanup(func() {
		srv.Close()
		a.Close()
	})
	return &Server{App: a, URL: srv.URL, srv: srv}
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
