package app_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/xietong/xietong/internal/testutil"
)

func TestOperationsAndHeaders(t *testing.T) {
	s := newTestServer(t, testutil.Dialects(t)[0])
	c := s.Client(t)
	c.Do("GET", "/healthz", nil).Want(t, 200, "")
	r := c.Do("GET", "/readyz", nil).Want(t, 200, "")
	if r.Map(t)["db"] != "sqlite" {
		t.Fatalf("readyz: %s", r.Body)
	}
	// Loopback callers may scrape metrics when no token is configured; the
	// route counters are there after a request.
	m := c.Do("GET", "/metrics", nil).Want(t, 200, "")
	if !bytes.Contains(m.Body, []byte(`xietong_http_requests_total{route="GET /healthz",status="200"} 1`)) {
		t.Fatalf("metrics lack the request counter:\n%.2000s", m.Body)
	}
	for h, want := range map[string]string{
		"Strict-Transport-Security": "max-age=31536000",
		"X-Content-Type-Options":    "nosniff",
		"X-Frame-Options":           "SAMEORIGIN",
		"Content-Security-Policy":   "script-src 'self'",
	} {
		if !strings.Contains(r.Header.Get(h), want) {
			t.Errorf("%s = %q, want %q", h, r.Header.Get(h), want)
		}
	}
	login := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": "sysadmin", "password": testutil.BootstrapPassword}).Want(t, 200, "")
	cookie := login.Header.Get("Set-Cookie")
	for _, attr := range []string{"HttpOnly", "Secure", "SameSite=Strict"} {
		if !strings.Contains(cookie, attr) {
			t.Errorf("session cookie lacks %s: %s", attr, cookie)
		}
	}
	if strings.Contains(string(login.Body), "password") && strings.Contains(string(login.Body), "pbkdf2") {
		t.Fatal("login answer leaks the password hash")
	}
	// A login posted from another origin is refused, and so is a write
	// carrying the right CSRF token from another origin.
	evil := s.Client(t)
	evil.Header = map[string][]string{"Origin": {"https://evil.example"}}
	evil.Do("POST", "/api/v1/auth/login", map[string]string{"username": "sysadmin", "password": testutil.BootstrapPassword}).Want(t, 403, "csrf_invalid")
	c.CSRF = login.Map(t)["csrf_token"].(string)
	c.Header = evil.Header
	c.Do("POST", "/api/v1/auth/logout", nil).Want(t, 403, "csrf_invalid")
	c.Header = nil
	c.Do("POST", "/api/v1/auth/logout", nil).Want(t, 204, "")
}

func TestProfileAndExport(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		s := newTestServer(t, d)
		sys := s.Admin(t, "sysadmin")
		sys.Do("PUT", "/api/v1/me", map[string]string{"display_name": "系统管理员（信息中心）", "phone": "025-83270000", "email": "sys@hrss.example.cn"}).Want(t, 200, "")
		sys.Do("PUT", "/api/v1/me", map[string]string{"display_name": "", "phone": "call me", "email": "x"}).Want(t, 422, "validation_failed")
		var me struct {
			User struct {
				DisplayName string `json:"display_name"`
				Email       string `json:"email"`
			} `json:"user"`
		}
		sys.Do("GET", "/api/v1/me", nil).Want(t, 200, "").JSON(t, &me)
		if me.User.DisplayName != "系统管理员（信息中心）" || me.User.Email != "sys@hrss.example.cn" {
			t.Fatalf("profile not saved: %+v", me.User)
		}

		aud := s.Admin(t, "auditadmin")
		r := aud.Do("GET", "/api/v1/audit/events/export?format=csv&action=user.", nil).Want(t, 200, "")
		if !bytes.HasPrefix(r.Body, []byte("\xEF\xBB\xBF")) || !strings.Contains(r.Header.Get("Content-Disposition"), ".csv") {
			t.Fatalf("csv export lacks BOM or file name: %q", r.Header.Get("Content-Disposition"))
		}
		rows, err := csv.NewReader(bytes.NewReader(r.Body[3:])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if rows[0][0] != "seq" || len(rows) < 5 {
			t.Fatalf("csv export: %v", rows)
		}
		for _, row := range rows[1:] {
			if !strings.HasPrefix(row[4], "user.") {
				t.Fatalf("filter ignored: %v", row)
			}
		}
		found := false
		for _, row := range rows {
			if row[4] == "user.update_profile" && strings.Contains(row[11], "信息中心") {
				found = true
			}
		}
		if !found {
			t.Fatal("profile change missing from the export")
		}

		x := aud.Do("GET", "/api/v1/audit/events/export?format=xlsx", nil).Want(t, 200, "")
		f, err := excelize.OpenReader(bytes.NewReader(x.Body))
		if err != nil {
			t.Fatalf("xlsx export unreadable: %v", err)
		}
		sheet, err := f.GetRows("Sheet1")
		if err != nil || len(sheet) < 5 || sheet[0][4] != "action" {
			t.Fatalf("xlsx rows %v %v", len(sheet), err)
		}
		aud.Do("GET", "/api/v1/audit/events/export?format=pdf", nil).Want(t, 422, "validation_failed")
		aud.Do("GET", "/api/v1/audit/events?from=yesterday", nil).Want(t, 422, "validation_failed")
		// The export itself is audited.
		var ev struct{ Total int }
		aud.Do("GET", "/api/v1/audit/events?action=audit.export", nil).Want(t, 200, "").JSON(t, &ev)
		if ev.Total != 2 {
			t.Fatalf("%d exports audited, want 2", ev.Total)
		}
	})
}
