package servers

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// My is a fresh database and two users on the shared MariaDB/MySQL server.
type My struct {
	Host     string
	Port     int
	Database string // has table items(id, name)
	// MissingDatabase does not exist, but User's grant covers its name, so
	// the server answers "unknown database" rather than "access denied".
	MissingDatabase string
	User            string // may SELECT on Database
	Password        string
	// NoPrivUser may log in but has no privilege on Database.
	NoPrivUser     string
	NoPrivPassword string
}

// MariaDB prepares a database and users on the server named by
// XIETONG_TEST_MARIADB (an admin DSN such as root@tcp(127.0.0.1:3306)/),
// and drops them on cleanup.
func MariaDB(t testing.TB) *My {
	t.Helper()
	dsn := os.Getenv(EnvMariaDB)
	if dsn == "" {
		unavailable(t, "%s is not set (e.g. root@tcp(127.0.0.1:3306)/)", EnvMariaDB)
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("%s: %v", EnvMariaDB, err)
	}
	host, portS, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		t.Fatalf("%s: address %q: %v", EnvMariaDB, cfg.Addr, err)
	}
	port, _ := strconv.Atoi(portS)
	cfg.MultiStatements = false
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		t.Fatalf("%s: %v", EnvMariaDB, err)
	}
	admin := sql.OpenDB(conn)
	t.Cleanup(func() { admin.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		unavailable(t, "MariaDB at %s is unreachable: %v", cfg.Addr, err)
	}

	suffix := randomHex(4)
	m := &My{
		Host: host, Port: port,
		Database: "xt_t_" + suffix, MissingDatabase: "xt_t_" + suffix + "_missing",
		User: "xt_u_" + suffix, Password: "My-" + randomHex(12),
		NoPrivUser: "xt_n_" + suffix, NoPrivPassword: "My-" + randomHex(12),
	}
	// Identifiers and passwords are generated hex; account management
	// statements take no bind parameters.
	exec := func(stmts ...string) error {
		for _, s := range stmts {
			if _, err := admin.ExecContext(context.Background(), s); err != nil {
				return fmt.Errorf("%s: %w", s, err)
			}
		}
		return nil
	}
	t.Cleanup(func() {
		if err := exec(
			fmt.Sprintf("DROP USER IF EXISTS '%s'@'%%'", m.User), // drops its grants too
			fmt.Sprintf("DROP USER IF EXISTS '%s'@'%%'", m.NoPrivUser),
			"DROP DATABASE IF EXISTS "+m.Database,
		); err != nil {
			t.Errorf("MariaDB cleanup: %v", err)
		}
	})
	if err := exec(
		"CREATE DATABASE "+m.Database+" CHARACTER SET utf8mb4",
		"CREATE TABLE "+m.Database+".items (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL)",
		"INSERT INTO "+m.Database+".items VALUES (1, '张三'), (2, '李四')",
		fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", m.User, m.Password),
		// A pattern grant (\_ is a literal underscore) that also covers
		// MissingDatabase.
		fmt.Sprintf("GRANT SELECT ON `xt\\_t\\_%s%%`.* TO '%s'@'%%'", suffix, m.User),
		fmt.Sprintf("CREATE USER '%s'@'%%' IDENTIFIED BY '%s'", m.NoPrivUser, m.NoPrivPassword),
	); err != nil {
		unavailable(t, "MariaDB setup: %v", err)
	}
	return m
}
