package load

import (
	"bufio"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/xietong/xietong/internal/warehouse"
	"github.com/xietong/xietong/internal/warehouse/whtest"
)

func TestMain(m *testing.M) {
	if os.Getenv("XIETONG_LOAD_CHILD") != "" {
		os.Exit(child())
	}
	os.Exit(m.Run())
}

// child loads the file named in the environment and, once 20,000 rows are
// written in its transaction, says so and waits to be killed.
func child() int {
	ctx := context.Background()
	d, _ := warehouse.ParseDialect(os.Getenv("XIETONG_LOAD_DIALECT"))
	e, err := warehouse.Open(ctx, d, os.Getenv("XIETONG_LOAD_DSN"))
	if err != nil {
		fmt.Println("ERROR", err)
		return 1
	}
	_, err = CSVFile(ctx, e, os.Getenv("XIETONG_LOAD_FILE"), Options{Table: "ac01", Progress: func(p Progress) {
		if p.Loaded >= 20000 {
			fmt.Printf("LOADED %d\n", p.Loaded)
			time.Sleep(time.Hour)
		}
	}})
	fmt.Println("FINISHED", err)
	return 0
}

// runAndKill starts the child and SIGKILLs it mid-load; it returns the
// rows the child had written.
func runAndKill(t *testing.T, dialect, dsn, file string) int64 {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "XIETONG_LOAD_CHILD=1", "XIETONG_LOAD_DIALECT="+dialect,
		"XIETONG_LOAD_DSN="+dsn, "XIETONG_LOAD_FILE="+file)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var loaded int64
	select {
	case l, ok := <-lines:
		if !ok || !strings.HasPrefix(l, "LOADED ") {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child said %q", l)
		}
		loaded, _ = strconv.ParseInt(strings.TrimPrefix(l, "LOADED "), 10, 64)
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("child did not reach the middle of its load")
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for range lines {
	}
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, not SIGKILL", err)
	}
	// The server notices the dropped connection and rolls back; give it
	// a moment before counting.
	if dialect != string(warehouse.DuckDB) {
		time.Sleep(500 * time.Millisecond)
	}
	return loaded
}

// childDSN names the fresh schema (PostgreSQL) or database (MariaDB)
// whtest made for e, for another process.
func childDSN(t *testing.T, e *warehouse.Engine) string {
	t.Helper()
	switch e.Dialect {
	case warehouse.Postgres:
		var schema string
		if err := e.DB.QueryRow("SELECT current_schema()").Scan(&schema); err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(os.Getenv(whtest.EnvPostgres))
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	case warehouse.MySQL:
		var db string
		if err := e.DB.QueryRow("SELECT DATABASE()").Scan(&db); err != nil {
			t.Fatal(err)
		}
		cfg, err := mysql.ParseDSN(os.Getenv(whtest.EnvMariaDB))
		if err != nil {
			t.Fatal(err)
		}
		cfg.DBName = db
		cfg.ParseTime = true
		return cfg.FormatDSN()
	}
	t.Fatalf("no child DSN for %s", e.Dialect)
	return ""
}
