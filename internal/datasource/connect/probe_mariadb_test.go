package connect

import (
	"strings"
	"testing"

	"github.com/xietong/xietong/internal/testutil/servers"
)

func TestProbeMariaDB(t *testing.T) {
	my := servers.MariaDB(t)
	base := Target{Kind: "mariadb", Host: my.Host, Port: my.Port, Database: my.Database, Username: my.User, Password: my.Password}

	t.Run("success", func(t *testing.T) {
		res := probe(t, base)
		wantOK(t, res)
		if got := stepNames(res); got != "resolve connect auth permission query" {
			t.Errorf("steps = %s", got)
		}
	})
	fails := map[string]Step{}
	t.Run("failures", func(t *testing.T) {
		wrongPort := base
		wrongPort.Port = closedPort(t)
		fails["wrong port"] = wantFail(t, probe(t, wrongPort), "connect", CodeConnectRefused)

		wrongPW := base
		wrongPW.Password = "Wrong-" + my.Password
		fails["wrong password"] = wantFail(t, probe(t, wrongPW), "auth", CodeAuthFailed)

		noPriv := base
		noPriv.Username, noPriv.Password = my.NoPrivUser, my.NoPrivPassword
		fails["no privilege"] = wantFail(t, probe(t, noPriv), "permission", CodePermissionDenied)
		if want := "用户 " + my.NoPrivUser + " 无权访问数据库 " + my.Database; !strings.Contains(fails["no privilege"].Message, want) {
			t.Errorf("permission message %q lacks %q", fails["no privilege"].Message, want)
		}

		missing := base
		missing.Database = my.MissingDatabase
		fails["missing db"] = wantFail(t, probe(t, missing), "permission", CodeDatabaseMissing)

		// The same server under every MySQL-protocol kind.
		for _, kind := range []string{"mysql", "oceanbase", "tidb", "doris", "starrocks"} {
			k := base
			k.Kind = kind
			wantOK(t, probe(t, k))
		}
	})
	wantDistinct(t, fails)
}
