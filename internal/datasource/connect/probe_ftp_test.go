package connect

import (
	"strings"
	"testing"

	"github.com/xietong/xietong/internal/testutil/servers"
)

func TestProbeFTP(t *testing.T) {
	srv := servers.FTP(t)
	base := Target{Kind: "ftp", Host: srv.Host, Port: srv.Port, Username: srv.User, Password: srv.Password,
		Options: map[string]string{"path": srv.ReadableDir}}
	with := func(kv ...string) Target {
		tg := base
		tg.Options = map[string]string{"path": srv.ReadableDir}
		for i := 0; i+1 < len(kv); i += 2 {
			tg.Options[kv[i]] = kv[i+1]
		}
		return tg
	}

	t.Run("success", func(t *testing.T) {
		res := probe(t, base)
		wantOK(t, res)
		if got := stepNames(res); got != "resolve connect auth list" {
			t.Errorf("steps = %s", got)
		}
		if !strings.Contains(res.Steps[len(res.Steps)-1].Message, "共 2 项") {
			t.Errorf("list message:\n%s", dump(res))
		}
	})
	t.Run("success with explicit TLS and the server's CA", func(t *testing.T) {
		res := probe(t, with("tls", "explicit", "tls_ca", srv.CACertPEM))
		wantOK(t, res)
		if got := stepNames(res); got != "resolve connect tls auth list" {
			t.Errorf("steps = %s", got)
		}
	})
	t.Run("login directory", func(t *testing.T) {
		tg := base
		tg.Options = nil
		wantOK(t, probe(t, tg))
	})

	fails := map[string]Step{}
	t.Run("failures", func(t *testing.T) {
		wrongPort := base
		wrongPort.Port = closedPort(t)
		fails["wrong port"] = wantFail(t, probe(t, wrongPort), "connect", CodeConnectRefused)

		wrongPW := base
		wrongPW.Password = "Wrong-" + srv.Password
		fails["wrong password"] = wantFail(t, probe(t, wrongPW), "auth", CodeAuthFailed)

		fails["forbidden"] = wantFail(t, probe(t, with("path", srv.ForbiddenDir)), "permission", CodePermissionDenied)
		fails["missing"] = wantFail(t, probe(t, with("path", srv.MissingDir)), "list", CodePathMissing)
		fails["file"] = wantFail(t, probe(t, with("path", srv.FilePath)), "list", CodeNotDirectory)

		s := wantFail(t, probe(t, with("tls", "explicit")), "tls", CodeTLSFailed)
		if !strings.Contains(s.Message, "颁发机构未知") {
			t.Errorf("untrusted certificate message: %s", s.Message)
		}
		fails["untrusted"] = s
	})
	wantDistinct(t, fails)
}
