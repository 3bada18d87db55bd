package connect

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestProbeBadTargets(t *testing.T) {
	cases := []struct {
		name string
		t    Target
		code string
	}{
		{"unknown kind", Target{Kind: "db2", Host: "127.0.0.1"}, CodeUnknownKind},
		{"empty kind", Target{}, CodeUnknownKind},
		{"negative port", Target{Kind: "postgres", Host: "127.0.0.1", Port: -1}, CodeBadTarget},
		{"port too big", Target{Kind: "mysql", Host: "127.0.0.1", Port: 70000}, CodeBadTarget},
		{"no host", Target{Kind: "sftp"}, CodeBadTarget},
		{"host with slash", Target{Kind: "ftp", Host: "a/b"}, CodeBadTarget},
		{"sqlite without path", Target{Kind: "sqlite"}, CodeBadTarget},
		{"rest without url", Target{Kind: "rest"}, CodeBadTarget},
		{"rest with ftp url", Target{Kind: "rest", Options: map[string]string{"url": "ftp://x/"}}, CodeBadTarget},
		{"bad tls_ca", Target{Kind: "postgres", Host: "127.0.0.1", Options: map[string]string{"tls_ca": "not pem"}}, CodeBadTarget},
		{"bad sftp key", Target{Kind: "sftp", Host: "127.0.0.1", Port: silentServer(t), PrivateKey: "-----BEGIN NONSENSE-----"}, ""},
		{"hdfs without user", Target{Kind: "hdfs", Host: "127.0.0.1"}, CodeBadTarget},
		{"ftp active mode", Target{Kind: "ftp", Host: "127.0.0.1", Options: map[string]string{"passive": "false"}}, CodeBadTarget},
		{"ftp bad tls", Target{Kind: "ftp", Host: "127.0.0.1", Options: map[string]string{"tls": "sometimes"}}, CodeBadTarget},
		{"mysql bad tls", Target{Kind: "mysql", Host: "127.0.0.1", Port: silentServer(t), Options: map[string]string{"tls": "sometimes"}}, CodeBadTarget},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := probe(t, c.t)
			code := c.code
			if code == "" {
				code = CodeBadTarget
			}
			wantFail(t, res, "target", code)
		})
	}
}

func TestProbeResolveFailure(t *testing.T) {
	res := probe(t, Target{Kind: "postgres", Host: "no-such-host.invalid", Timeout: 3 * time.Second})
	s := wantFail(t, res, "resolve", CodeResolveFailed)
	if !strings.Contains(s.Message, "无法解析主机名 no-such-host.invalid") && !strings.Contains(s.Message, "超时") {
		t.Errorf("message %q", s.Message)
	}
}

// Every network kind reports a refused port at the connect step, naming
// the port.
func TestProbeRefusedEveryKind(t *testing.T) {
	port := closedPort(t)
	for _, k := range Kinds() {
		if k.Kind == "sqlite" || k.Kind == "duckdb" {
			continue
		}
		t.Run(k.Kind, func(t *testing.T) {
			tg := Target{Kind: k.Kind, Host: "127.0.0.1", Port: port, Username: "u", Password: "Pw-refused-9", Database: "d"}
			if k.Family == FamilyAPI {
				tg = Target{Kind: k.Kind, Options: map[string]string{"url": "http://127.0.0.1:" + itoa(port) + "/x"}}
			}
			s := wantFail(t, probe(t, tg), "connect", CodeConnectRefused)
			if !strings.Contains(s.Message, "端口 "+itoa(port)+" 上没有服务在监听") {
				t.Errorf("message %q", s.Message)
			}
		})
	}
}

// A service that accepts and then never answers is reported as a timeout
// at the step that waited, within the step timeout.
func TestProbeHungServer(t *testing.T) {
	port := silentServer(t)
	for _, kind := range []string{"postgres", "mysql", "sftp", "ftp", "hdfs", "oracle", "sqlserver"} {
		t.Run(kind, func(t *testing.T) {
			start := time.Now()
			res := probe(t, Target{Kind: kind, Host: "127.0.0.1", Port: port, Username: "u", Password: "Pw-hung-42", Database: "d", Timeout: 500 * time.Millisecond})
			if res.OK {
				t.Fatalf("hung server passed:\n%s", dump(res))
			}
			if el := time.Since(start); el > 5*time.Second {
				t.Errorf("probe took %s with a 500ms step timeout", el)
			}
			t.Log("\n" + dump(res))
			last := res.Steps[len(res.Steps)-1]
			if last.Code != CodeTimeout {
				t.Errorf("want %s, got:\n%s", CodeTimeout, dump(res))
			}
		})
	}
}

// Services that answer with the wrong protocol fail cleanly, without a
// panic, at or after the connect step.
func TestProbeWrongProtocol(t *testing.T) {
	port := garbageServer(t)
	for _, k := range Kinds() {
		if k.Family == FamilyAPI || k.Kind == "sqlite" || k.Kind == "duckdb" {
			continue
		}
		t.Run(k.Kind, func(t *testing.T) {
			res := probe(t, Target{Kind: k.Kind, Host: "127.0.0.1", Port: port, Username: "u", Password: "Pw-garbage-7", Database: "d", Timeout: 2 * time.Second})
			if res.OK {
				t.Fatalf("garbage server passed:\n%s", dump(res))
			}
			t.Log("\n" + dump(res))
			if res.Steps[0].Step != "resolve" || !res.Steps[1].OK {
				t.Errorf("want resolve and connect to pass:\n%s", dump(res))
			}
		})
	}
}

func TestProbeCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := Probe(ctx, Target{Kind: "postgres", Host: "127.0.0.1", Port: silentServer(t)})
	if res.OK || res.Steps[len(res.Steps)-1].Code != CodeCanceled {
		t.Fatalf("cancelled probe:\n%s", dump(res))
	}
}

// The probe must never panic, whatever the form holds.
func TestProbeNoPanic(t *testing.T) {
	odd := []Target{
		{Kind: "postgres", Host: "[", Port: 1},
		{Kind: "postgres", Host: "::1", Port: closedPort(t)},
		{Kind: "mysql", Host: "127.0.0.1", Port: 65535, Username: "a'b\"c`d", Database: "x/y?z", Password: "@:/?#[]"},
		{Kind: "sqlite", Options: map[string]string{"path": "a?b"}},
		{Kind: "duckdb", Options: map[string]string{"path": "/"}},
		{Kind: "sqlite", Options: map[string]string{"path": "/dev/null"}},
		{Kind: "rest", Options: map[string]string{"url": "http://[::1"}},
		{Kind: "soap", Options: map[string]string{"url": "https://"}},
		{Kind: "sftp", Host: "127.0.0.1", Port: closedPort(t), Options: map[string]string{"host_key": "nonsense"}},
		{Kind: "hdfs", Host: "127.0.0.1", Port: garbageServer(t), Username: "u"},
		{Kind: "oracle", Host: "127.0.0.1", Port: garbageServer(t), Options: map[string]string{"ssl": "true"}},
		{Kind: "sqlserver", Host: "127.0.0.1", Port: garbageServer(t), Options: map[string]string{"encrypt": "strict"}},
	}
	for _, tg := range odd {
		tg.Timeout = time.Second
		res := probe(t, tg)
		if res.OK || len(res.Steps) == 0 {
			t.Errorf("%+v passed:\n%s", tg, dump(res))
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
