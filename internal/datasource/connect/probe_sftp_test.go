package connect

import (
	"strings"
	"testing"

	"github.com/xietong/xietong/internal/testutil/servers"
)

func TestProbeSFTP(t *testing.T) {
	srv := servers.SFTP(t)
	base := Target{Kind: "sftp", Host: srv.Host, Port: srv.Port, Username: srv.User, Password: srv.Password,
		Options: map[string]string{"path": srv.ReadableDir}}
	with := func(key, value string) Target {
		tg := base
		tg.Options = map[string]string{"path": srv.ReadableDir, key: value}
		return tg
	}

	t.Run("success with password", func(t *testing.T) {
		res := probe(t, base)
		wantOK(t, res)
		if got := stepNames(res); got != "resolve connect tls auth list" {
			t.Errorf("steps = %s", got)
		}
		if res.Fingerprint != srv.HostKeyFingerprint {
			t.Errorf("fingerprint %q, want %q", res.Fingerprint, srv.HostKeyFingerprint)
		}
		if !strings.Contains(res.Steps[2].Message, "未固定") || !strings.Contains(res.Steps[4].Message, "共 2 项") {
			t.Errorf("messages:\n%s", dump(res))
		}
	})
	t.Run("success with key and pinned host key", func(t *testing.T) {
		tg := with("host_key", strings.TrimPrefix(srv.HostKeyFingerprint, "SHA256:"))
		tg.Password, tg.PrivateKey = "", srv.PrivateKey
		res := probe(t, tg)
		wantOK(t, res)
		if !strings.Contains(res.Steps[2].Message, "一致") {
			t.Errorf("pinned message:\n%s", dump(res))
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
		if want := "无权列出目录 " + srv.ForbiddenDir; !strings.Contains(fails["forbidden"].Message, want) {
			t.Errorf("message %q lacks %q", fails["forbidden"].Message, want)
		}
		fails["missing"] = wantFail(t, probe(t, with("path", srv.MissingDir)), "list", CodePathMissing)
		fails["file"] = wantFail(t, probe(t, with("path", srv.FilePath)), "list", CodeNotDirectory)

		res := probe(t, with("host_key", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"))
		fails["host key"] = wantFail(t, res, "tls", CodeHostKeyMismatch)
		if res.Fingerprint != srv.HostKeyFingerprint {
			t.Errorf("mismatch should still report the real fingerprint, got %q", res.Fingerprint)
		}
	})
	wantDistinct(t, fails)
}
