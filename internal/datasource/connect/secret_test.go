package connect

import (
	"strings"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/testutil/servers"
)

// distinctive is a password no message could contain by chance, with the
// characters that URL and DSN encodings change.
const distinctive = "Zq7#Pw@Leak/Test?x%3A:S3cr3t&!"

// secretFree asserts that no message of res holds the password in any
// encoding (probe() already checks each result; this names the case).
func secretFree(t *testing.T, name string, res Result) {
	t.Helper()
	for _, s := range res.Steps {
		for _, m := range []string{s.Message, s.MessageEN} {
			if strings.Contains(m, "Zq7") || strings.Contains(m, "S3cr3t") {
				t.Errorf("%s: step %s reveals the password: %q", name, s.Step, m)
			}
		}
	}
}

func TestProbeNeverRevealsPassword(t *testing.T) {
	refused, garbage, silent := closedPort(t), garbageServer(t), silentServer(t)
	for _, k := range Kinds() {
		for name, port := range map[string]int{"refused": refused, "garbage": garbage, "silent": silent} {
			tg := Target{Kind: k.Kind, Host: "127.0.0.1", Port: port, Database: "d", Username: "u", Password: distinctive,
				Timeout: 300 * time.Millisecond}
			switch k.Family {
			case FamilyAPI:
				tg.Options = map[string]string{"url": "http://127.0.0.1:" + itoa(port) + "/x", "auth": "bearer"}
			case FamilySQL:
				if k.Dialect == DialectSQLite || k.Dialect == DialectDuckDB {
					tg.Options = map[string]string{"path": "/nonexistent/" + distinctive}
				}
			}
			secretFree(t, k.Kind+"/"+name, probe(t, tg))
		}
	}
	// An unparseable private key is reported without quoting it.
	key := "-----BEGIN OPENSSH PRIVATE KEY-----\n" + distinctive + "\n-----END OPENSSH PRIVATE KEY-----\n"
	secretFree(t, "bad key", probe(t, Target{Kind: "sftp", Host: "127.0.0.1", Port: silent, PrivateKey: key}))

	// OpenSQL's errors leave the password out too.
	for _, tg := range []Target{
		{Kind: "postgres", Host: "127.0.0.1", Password: distinctive, Options: map[string]string{"sslmode": "bogus"}},
		{Kind: "mysql", Host: "127.0.0.1", Password: distinctive, Options: map[string]string{"tls": "bogus"}},
		{Kind: "sqlserver", Host: "127.0.0.1", Password: distinctive, Options: map[string]string{"encrypt": "bogus"}},
	} {
		if _, _, err := OpenSQL(tg); err == nil || strings.Contains(err.Error(), "S3cr3t") {
			t.Errorf("OpenSQL(%s): %v", tg.Kind, err)
		}
	}
}

// Against the real servers the distinctive password is a wrong one: the
// servers' own error texts must not echo it either.
func TestProbeNeverRevealsPasswordToServers(t *testing.T) {
	pg := servers.PostgresCluster(t)
	my := servers.MariaDB(t)
	sftp := servers.SFTP(t)
	ftp := servers.FTP(t)
	for _, tg := range []Target{
		{Kind: "postgres", Host: pg.Host, Port: pg.Port, Database: pg.Database, Username: pg.User},
		{Kind: "mariadb", Host: my.Host, Port: my.Port, Database: my.Database, Username: my.User},
		{Kind: "sftp", Host: sftp.Host, Port: sftp.Port, Username: sftp.User},
		{Kind: "ftp", Host: ftp.Host, Port: ftp.Port, Username: ftp.User},
	} {
		tg.Password = distinctive
		res := probe(t, tg)
		wantFail(t, res, "auth", CodeAuthFailed)
		secretFree(t, tg.Kind, res)
	}
}
