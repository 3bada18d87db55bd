package connect

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/xietong/xietong/internal/testutil/servers"
)

func TestProbePostgres(t *testing.T) {
	pg := servers.PostgresCluster(t)
	base := Target{Kind: "postgres", Host: pg.Host, Port: pg.Port, Database: pg.Database, Username: pg.User, Password: pg.Password}

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
		wrongPW.Password = "Wrong-" + pg.Password
		fails["wrong password"] = wantFail(t, probe(t, wrongPW), "auth", CodeAuthFailed)
		if !strings.Contains(fails["wrong password"].Message, "用户名或密码错误") {
			t.Errorf("wrong password message: %s", fails["wrong password"].Message)
		}

		noConnect := base
		noConnect.Username, noConnect.Password = pg.NoConnectUser, pg.NoConnectPassword
		fails["no connect"] = wantFail(t, probe(t, noConnect), "permission", CodePermissionDenied)
		if want := "用户 " + pg.NoConnectUser + " 无权访问数据库 " + pg.Database; !strings.Contains(fails["no connect"].Message, want) {
			t.Errorf("permission message %q lacks %q", fails["no connect"].Message, want)
		}

		missing := base
		missing.Database = "xt_no_such_db"
		fails["missing db"] = wantFail(t, probe(t, missing), "permission", CodeDatabaseMissing)

		// The cluster has no certificate: asking for TLS fails at the tls step.
		tlsReq := base
		tlsReq.Options = map[string]string{"sslmode": "require"}
		fails["tls"] = wantFail(t, probe(t, tlsReq), "tls", CodeTLSFailed)
	})
	wantDistinct(t, fails)

	t.Run("read-only handle", func(t *testing.T) {
		db, dialect, err := OpenSQL(base)
		if err != nil || dialect != DialectPostgres {
			t.Fatalf("OpenSQL: %v %s", err, dialect)
		}
		defer db.Close()
		ctx := context.Background()
		var n int
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM items").Scan(&n); err != nil || n != 2 {
			t.Fatalf("read: %d %v", n, err)
		}
		// The role may INSERT: only the handle's read-only default stops it.
		_, err = db.ExecContext(ctx, "INSERT INTO items VALUES (3, 'x')")
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "25006" {
			t.Fatalf("write through the read-only handle: %v, want SQLSTATE 25006", err)
		}
	})
}

func stepNames(res Result) string {
	var names []string
	for _, s := range res.Steps {
		names = append(names, s.Step)
	}
	return strings.Join(names, " ")
}
