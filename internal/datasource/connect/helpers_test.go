package connect

import (
	"context"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"
)

// probe runs Probe with a test deadline.
func probe(t *testing.T, tg Target) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res := Probe(ctx, tg)
	assertNoSecret(t, res, tg.Password)
	assertNoSecret(t, res, tg.PrivateKey)
	return res
}

// wantOK asserts every step passed.
func wantOK(t *testing.T, res Result) {
	t.Helper()
	if !res.OK {
		t.Fatalf("probe failed, want OK:\n%s", dump(res))
	}
	for _, s := range res.Steps {
		if !s.OK || s.Code != "" || s.Message == "" || s.MessageEN == "" {
			t.Fatalf("step %s not a clean pass:\n%s", s.Step, dump(res))
		}
	}
}

// wantFail asserts the probe stopped at a step with code, after passes
// only, and returns that step.
func wantFail(t *testing.T, res Result, step, code string) Step {
	t.Helper()
	if res.OK || len(res.Steps) == 0 {
		t.Fatalf("probe passed, want %s at %s:\n%s", code, step, dump(res))
	}
	t.Log("\n" + dump(res))
	last := res.Steps[len(res.Steps)-1]
	if last.OK || last.Code != code || (step != "" && last.Step != step) {
		t.Fatalf("want failure %s at step %s, got:\n%s", code, step, dump(res))
	}
	for _, s := range res.Steps[:len(res.Steps)-1] {
		if !s.OK {
			t.Fatalf("a failed step before the last:\n%s", dump(res))
		}
	}
	if last.Message == "" || last.MessageEN == "" {
		t.Fatalf("failure without both messages:\n%s", dump(res))
	}
	return last
}

// wantDistinct asserts that failure modes give distinct codes and messages.
func wantDistinct(t *testing.T, fails map[string]Step) {
	t.Helper()
	codes, zh, en := map[string]string{}, map[string]string{}, map[string]string{}
	for name, s := range fails {
		for _, m := range []struct {
			seen map[string]string
			key  string
		}{{codes, s.Code}, {zh, s.Message}, {en, s.MessageEN}} {
			if other, dup := m.seen[m.key]; dup {
				t.Errorf("%s and %s share %q", name, other, m.key)
			}
			m.seen[m.key] = name
		}
	}
}

func dump(res Result) string {
	var b strings.Builder
	for _, s := range res.Steps {
		mark := "ok  "
		if !s.OK {
			mark = "FAIL"
		}
		b.WriteString("  " + mark + " " + s.Step + " " + s.Code + ": " + s.Message + " | " + s.MessageEN + "\n")
	}
	if res.Fingerprint != "" {
		b.WriteString("  fingerprint " + res.Fingerprint + "\n")
	}
	return b.String()
}

// assertNoSecret fails if the secret, in any usual encoding, is in a message.
func assertNoSecret(t *testing.T, res Result, secret string) {
	t.Helper()
	if len(secret) < minSecretLen {
		return
	}
	for _, s := range res.Steps {
		for _, m := range []string{s.Message, s.MessageEN, s.Code} {
			for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret)} {
				if strings.Contains(m, form) {
					t.Fatalf("step %s reveals the secret: %q", s.Step, m)
				}
			}
		}
	}
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// silentServer accepts connections and never answers, like a firewall
// that lets the SYN through and a hung service behind it.
func silentServer(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().(*net.TCPAddr).Port
}

// garbageServer answers every connection with a line of noise and closes.
func garbageServer(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			_, _ = c.Write([]byte("HTTP/1.0 400 nonsense\r\n\r\nthis is not the protocol you want\r\n"))
			c.Close()
		}
	}()
	t.Cleanup(func() { l.Close(); <-done })
	return l.Addr().(*net.TCPAddr).Port
}
