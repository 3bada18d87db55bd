package testutil

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
)

// Client is a browser-like API client: a cookie jar and the CSRF token.
type Client struct {
	t    testing.TB
	base string
	http *http.Client
	CSRF string
	// Header is added to every request (e.g. a foreign Origin).
	Header http.Header
}

// NewClient makes a client for a TLS test server.
func NewClient(t testing.TB, base string, tr http.RoundTripper) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, base: base, http: &http.Client{Transport: tr, Jar: jar}}
}

// Response is a finished call.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into v.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Map decodes the body as an object.
func (r *Response) Map(t testing.TB) map[string]any {
	m := map[string]any{}
	r.JSON(t, &m)
	return m
}

// Code is the problem code of an error answer ("" when none).
func (r *Response) Code() string {
	var p struct{ Code string }
	_ = json.Unmarshal(r.Body, &p)
	return p.Code
}

// Do sends body (a string is sent raw; anything else as JSON) with the CSRF
// header on unsafe methods.
func (c *Client) Do(method, path string, body any) *Response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.Header {
		req.Header[k] = v
	}
	if c.CSRF != "" && method != http.MethodGet {
		req.Header.Set("X-CSRF-Token", c.CSRF)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return &Response{Status: res.StatusCode, Header: res.Header, Body: raw}
}

// Login logs in and keeps the CSRF token; it fails the test on error.
func (c *Client) Login(user, pass string) map[string]any {
	c.t.Helper()
	r := c.Do("POST", "/api/v1/auth/login", map[string]string{"username": user, "password": pass})
	if r.Status != 200 {
		c.t.Fatalf("login %s: %d %s", user, r.Status, r.Body)
	}
	m := r.Map(c.t)
	c.CSRF, _ = m["csrf_token"].(string)
	return m
}

// LoginChanging logs in with a first password and changes it to newPass.
func (c *Client) LoginChanging(user, first, newPass string) {
	c.t.Helper()
	c.Login(user, first)
	r := c.Do("POST", "/api/v1/me/password", map[string]string{"old_password": first, "new_password": newPass})
	if r.Status != 204 {
		c.t.Fatalf("change password of %s: %d %s", user, r.Status, r.Body)
	}
}

// Want fails the test unless the response has the status (and, when code
// is not empty, the problem code).
func (r *Response) Want(t testing.TB, status int, code string) *Response {
	t.Helper()
	if r.Status != status || (code != "" && r.Code() != code) {
		t.Fatalf("got %d %s, want %d %s", r.Status, r.Body, status, code)
	}
	if status >= 400 && !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("error without problem+json: %s", r.Header.Get("Content-Type"))
	}
	return r
}
