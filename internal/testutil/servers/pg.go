package servers

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// PG is a private PostgreSQL cluster. Logins over TCP use scram-sha-256,
// so a wrong password really fails (the machine's shared server trusts
// every local login and cannot show that).
type PG struct {
	Host     string
	Port     int
	Database string // has table items(id, name); User may SELECT and INSERT
	User     string // login role with CONNECT on Database
	Password string
	// NoConnectUser may log in but has no CONNECT privilege on Database.
	NoConnectUser     string
	NoConnectPassword string
	// AdminConn is a superuser keyword/value connection string over the
	// cluster's Unix socket, for tests that need to set things up.
	AdminConn string
}

// postgresBin finds the newest installed server binaries.
func postgresBin(t testing.TB) string {
	t.Helper()
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(found) == 0 {
		unavailable(t, "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)")
	}
	slices.SortFunc(found, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(a))))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(b))))
		return va - vb
	})
	return filepath.Dir(found[len(found)-1])
}

// PostgresCluster initialises and starts a cluster on a free loopback
// port, with a login role, a database, and a second role without CONNECT
// on it. As root the server runs as the postgres OS user (it refuses root).
func PostgresCluster(t testing.TB) *PG {
	t.Helper()
	bin := postgresBin(t)
	var cred *syscall.Credential
	uid, gid := os.Getuid(), os.Getgid()
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			unavailable(t, "running PostgreSQL as root needs the postgres OS user: %v", err)
		}
		uid, _ = strconv.Atoi(u.Uid)
		gid, _ = strconv.Atoi(u.Gid)
		cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	// Not t.TempDir: its parent is 0700 root and the postgres user could
	// not reach the data directory or the socket.
	dir, err := os.MkdirTemp("", "xt-pg-")
	if err != nil {
		t.Fatalf("temp dir: %v", err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chown(dir, uid, gid); err != nil {
		t.Fatalf("chown %s: %v", dir, err)
	}
	data := filepath.Join(dir, "data")
	asPG := func(name string, args ...string) *exec.Cmd {
		cmd := exec.Command(filepath.Join(bin, name), args...)
		cmd.Dir = dir
		cmd.Env = []string{"HOME=" + dir, "PATH=/usr/bin:/bin", "LANG=C.UTF-8"}
		if cred != nil {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		}
		return cmd
	}
	if err := run(asPG("initdb", "-D", data, "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync",
		"--auth-local=trust", "--auth-host=scram-sha-256")); err != nil {
		unavailable(t, "initdb: %v", err)
	}
	// Local socket: the superuser, for setup. TCP: passwords, for the tests.
	hba := "local all postgres trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
	if err := os.WriteFile(filepath.Join(data, "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		t.Fatalf("pg_hba.conf: %v", err)
	}
	_ = os.Chown(filepath.Join(data, "pg_hba.conf"), uid, gid)

	port := FreePort(t)
	cmd := asPG("postgres", "-D", data, "-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+dir,
		"-c", "password_encryption=scram-sha-256",
		"-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off",
		"-c", "shared_buffers=16MB", "-c", "max_connections=30",
		"-c", "log_connections=on")
	logPath := filepath.Join(dir, "postgres.log")
	// SIGINT is PostgreSQL's "fast shutdown".
	p := start(t, "postgres", cmd, logPath, syscall.SIGINT)
	admin := fmt.Sprintf("host=%s port=%d user=postgres dbname=postgres sslmode=disable connect_timeout=2", dir, port)
	p.waitReady(t, func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			return err
		}
		return c.Close(ctx)
	})

	pg := &PG{
		Host: "127.0.0.1", Port: port, Database: "xt_data",
		User: "xt_app", Password: "Pg-" + randomHex(12),
		NoConnectUser: "xt_noconn", NoConnectPassword: "Pg-" + randomHex(12),
		AdminConn: admin,
	}
	// Role names and passwords are ours (hex), so they are safe as literals;
	// these statements take no bind parameters.
	setup := func(conn string, stmts ...string) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, conn)
		if err != nil {
			unavailable(t, "postgres setup connect: %v", err)
		}
		defer c.Close(ctx)
		for _, s := range stmts {
			if _, err := c.Exec(ctx, s); err != nil {
				unavailable(t, "postgres setup %q: %v", s, err)
			}
		}
	}
	setup(admin,
		fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s'", pg.User, pg.Password),
		fmt.Sprintf("CREATE ROLE %s LOGIN PASSWORD '%s'", pg.NoConnectUser, pg.NoConnectPassword),
		"CREATE DATABASE "+pg.Database,
		"REVOKE CONNECT ON DATABASE "+pg.Database+" FROM PUBLIC",
		"GRANT CONNECT ON DATABASE "+pg.Database+" TO "+pg.User,
	)
	setup(fmt.Sprintf("host=%s port=%d user=postgres dbname=%s sslmode=disable", dir, port, pg.Database),
		"CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL)",
		"INSERT INTO items VALUES (1, '张三'), (2, '李四')",
		// Write privilege on purpose: a refused write then proves the
		// connection is read-only, not that the role lacks the grant.
		"GRANT SELECT, INSERT ON items TO "+pg.User,
	)
	return pg
}
