package connect

import (
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const wsdl11 = `<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" name="SiService" targetNamespace="urn:si"></wsdl:definitions>`

// GBK-declared WSDLs are common in Chinese services; the body is ASCII-only
// GBK here, which is the same bytes.
const wsdlGBK = `<?xml version="1.0" encoding="GBK"?>
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" name="Svc"></definitions>`

func apiServer(t *testing.T, tls bool) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) })
	mux.HandleFunc("/notfound", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) })
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); ok && u == "svc" && p == "Api-Secret-9" {
			w.WriteHeader(200)
			return
		}
		if r.Header.Get("Authorization") == "Bearer Tok-Secret-9" {
			w.WriteHeader(200)
			return
		}
		w.WriteHeader(401)
	})
	mux.HandleFunc("/forbidden", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(403) })
	mux.HandleFunc("/broken", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) })
	mux.HandleFunc("/soap", func(w http.ResponseWriter, r *http.Request) {
		if _, ok := r.URL.Query()["wsdl"]; !ok {
			w.WriteHeader(405)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(wsdl11))
	})
	mux.HandleFunc("/soap-gbk", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(wsdlGBK)) })
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("<html><body>hello</body></html>"))
	})
	var srv *httptest.Server
	if tls {
		srv = httptest.NewTLSServer(mux)
	} else {
		srv = httptest.NewServer(mux)
	}
	t.Cleanup(srv.Close)
	return srv
}

func TestProbeREST(t *testing.T) {
	srv := apiServer(t, false)
	rest := func(path string) Target {
		return Target{Kind: "rest", Options: map[string]string{"url": srv.URL + path}}
	}
	res := probe(t, rest("/ok"))
	wantOK(t, res)
	if got := stepNames(res); got != "resolve connect http" {
		t.Errorf("steps = %s", got)
	}
	// Any answer below 500 means the API is there.
	wantOK(t, probe(t, rest("/notfound")))

	fails := map[string]Step{
		"401":       wantFail(t, probe(t, rest("/login")), "auth", CodeAuthFailed),
		"403":       wantFail(t, probe(t, rest("/forbidden")), "permission", CodePermissionDenied),
		"500":       wantFail(t, probe(t, rest("/broken")), "http", CodeHTTPError),
		"wrongport": wantFail(t, probe(t, Target{Kind: "rest", Options: map[string]string{"url": "http://127.0.0.1:" + itoa(closedPort(t)) + "/"}}), "connect", CodeConnectRefused),
	}
	wantDistinct(t, fails)

	basic := rest("/login")
	basic.Username, basic.Password = "svc", "Api-Secret-9"
	wantOK(t, probe(t, basic))
	bearer := rest("/login")
	bearer.Password = "Tok-Secret-9"
	bearer.Options["auth"] = "bearer"
	wantOK(t, probe(t, bearer))
	basic.Password = "Api-Wrong-9"
	wantFail(t, probe(t, basic), "auth", CodeAuthFailed)
}

func TestProbeSOAP(t *testing.T) {
	srv := apiServer(t, false)
	soap := func(path string) Target {
		return Target{Kind: "soap", Options: map[string]string{"url": srv.URL + path, "soap_action": "urn:si#Query"}}
	}
	wantOK(t, probe(t, soap("/soap")))
	wantOK(t, probe(t, soap("/soap?wsdl")))
	wantOK(t, probe(t, soap("/soap-gbk")))
	wantFail(t, probe(t, soap("/html")), "http", CodeWSDLInvalid)
	wantFail(t, probe(t, soap("/notfound")), "http", CodeWSDLInvalid)
	wantFail(t, probe(t, soap("/broken")), "http", CodeHTTPError)
	wantFail(t, probe(t, soap("/login")), "auth", CodeAuthFailed)
}

func TestProbeHTTPS(t *testing.T) {
	srv := apiServer(t, true)
	tg := Target{Kind: "rest", Options: map[string]string{"url": srv.URL + "/ok"}}
	s := wantFail(t, probe(t, tg), "tls", CodeTLSFailed)
	if !strings.Contains(s.Message, "颁发机构未知") {
		t.Errorf("message %s", s.Message)
	}
	ca := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}))
	tg.Options["tls_ca"] = ca
	res := probe(t, tg)
	wantOK(t, res)
	if got := stepNames(res); got != "resolve connect tls http" {
		t.Errorf("steps = %s", got)
	}
	// httptest's certificate names 127.0.0.1 and example.com, not localhost.
	tg.Options["url"] = strings.Replace(srv.URL, "127.0.0.1", "localhost", 1) + "/ok"
	s = wantFail(t, probe(t, tg), "tls", CodeTLSFailed)
	if !strings.Contains(s.Message, "不匹配") {
		t.Errorf("hostname mismatch message %s", s.Message)
	}
}
