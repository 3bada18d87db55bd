package httpx

import (
	"errors"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestDecodeJSON(t *testing.T) {
	type in struct {
		Name string `json:"name"`
		N    int    `json:"n"`
	}
	cases := map[string]string{
		`{"name":"a","n":1}`:     "",
		`{"name":"a","extra":1}`: "unknown_field",
		`{"name":`:               "malformed_json",
		`{"n":"x"}`:              "malformed_json",
		`{"name":"a"} {}`:        "malformed_json",
		``:                       "malformed_json",
		`{"name":"` + strings.Repeat("x", MaxBodyBytes) + `"}`: "body_too_large",
	}
	for body, code := range cases {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var v in
		err := DecodeJSON(httptest.NewRecorder(), r, &v)
		var p *Problem
		switch {
		case code == "" && err != nil:
			t.Errorf("%.40q: %v", body, err)
		case code != "" && (!errors.As(err, &p) || p.Code != code):
			t.Errorf("%.40q: got %v, want %s", body, err, code)
		}
	}
	r := httptest.NewRequest("POST", "/", strings.NewReader(`{}`))
	r.Header.Set("Content-Type", "text/plain")
	if err := DecodeJSON(httptest.NewRecorder(), r, &struct{}{}); err == nil {
		t.Error("text/plain accepted")
	}
}

func TestParsePage(t *testing.T) {
	p, err := ParsePage(httptest.NewRequest("GET", "/?page=3&page_size=50&q=%20张%20", nil))
	if err != nil || p.Page != 3 || p.PageSize != 50 || p.Q != "张" || p.Offset() != 100 {
		t.Fatalf("%+v %v", p, err)
	}
	for _, q := range []string{"page=0", "page_size=201", "page=x", "q=" + strings.Repeat("长", 101)} {
		if _, err := ParsePage(httptest.NewRequest("GET", "/?"+q, nil)); err == nil {
			t.Errorf("%s accepted", q)
		}
	}
}

func TestClientIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "203.0.113.9:5000"
	r.Header.Set("X-Forwarded-For", "1.2.3.4")
	if got := ClientIP(r, trusted); got != "203.0.113.9" {
		t.Errorf("untrusted peer's header believed: %s", got)
	}
	r.RemoteAddr = "10.1.1.1:5000"
	r.Header.Set("X-Forwarded-For", "1.2.3.4, 198.51.100.7, 10.2.2.2")
	if got := ClientIP(r, trusted); got != "198.51.100.7" {
		t.Errorf("got %s, want the right-most untrusted hop", got)
	}
}
