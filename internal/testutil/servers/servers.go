// Package servers starts real servers (PostgreSQL, sshd, vsftpd) on free
// loopback ports, and prepares users on the shared MariaDB, for tests that
// must see real authentication and permission failures. Everything is
// removed on t.Cleanup.
//
// With XIETONG_TEST_SERVERS=1 (CI) a missing binary or a server that does
// not start fails the test; otherwise the test is skipped with a notice.
package servers

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Environment variables read by the helpers.
const (
	EnvRequired = "XIETONG_TEST_SERVERS" // "1": unavailable servers fail the test instead of skipping it
	EnvMariaDB  = "XIETONG_TEST_MARIADB" // go-sql-driver DSN of an admin login, e.g. root@tcp(127.0.0.1:3306)/
)

// startTimeout bounds how long a server may take to become ready.
const startTimeout = 30 * time.Second

// unavailable fails the test when servers are required, else skips it
// with a notice printed even without -v, so a skipped suite is visible.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv(EnvRequired) == "1" {
		t.Fatalf("%s (%s=1 requires it)", msg, EnvRequired)
	}
	fmt.Printf("NOTICE: %s: %s; skipped (set %s=1 to make this an error)\n", t.Name(), msg, EnvRequired)
	t.Skip(msg)
}

// randomHex returns n random bytes as hex: safe inside SQL literals and
// config files without quoting.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// lookBin finds a server binary, or reports it unavailable with the Debian
// package that provides it.
func lookBin(t testing.TB, path, pkg string) string {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		unavailable(t, "%s not found (apt-get install %s)", path, pkg)
	}
	return path
}

// tail returns the last lines of a log file, for readiness errors.
func tail(path string, lines int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	all := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

// proc is a server process started by a helper.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	err  error
}

// start runs cmd with its output in logPath, in its own process group so
// that stop reaches the children it forks; stop is registered on cleanup.
func start(t testing.TB, name string, cmd *exec.Cmd, logPath string, stopSig syscall.Signal) *proc {
	t.Helper()
	lf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		unavailable(t, "%s: log file: %v", name, err)
	}
	cmd.Stdout, cmd.Stderr = lf, lf
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	// If the test binary dies, the kernel stops the server too.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	if err := cmd.Start(); err != nil {
		lf.Close()
		unavailable(t, "%s: start %s: %v", name, cmd.Path, err)
	}
	p := &proc{name: name, cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		lf.Close()
		close(p.done)
	}()
	t.Cleanup(func() { p.stop(t, stopSig) })
	return p
}

// stop asks the server to shut down, then kills its process group.
func (p *proc) stop(t testing.TB, sig syscall.Signal) {
	pgid := p.cmd.Process.Pid
	_ = syscall.Kill(p.cmd.Process.Pid, sig)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		t.Logf("%s did not stop on %v; killing it", p.name, sig)
	}
	// Forked session processes left in the group go too.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	<-p.done
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// waitReady polls ready until it succeeds, the process exits, or
// startTimeout passes; failures carry the server's log tail.
func (p *proc) waitReady(t testing.TB, ready func() error) {
	t.Helper()
	deadline := time.Now().Add(startTimeout)
	var last error
	for time.Now().Before(deadline) {
		if p.exited() {
			unavailable(t, "%s exited before it was ready (%v); log tail:\n%s", p.name, p.err, tail(p.log, 30))
			return
		}
		if last = ready(); last == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	unavailable(t, "%s not ready after %s (%v); log tail:\n%s", p.name, startTimeout, last, tail(p.log, 30))
}

// greeting dials addr and checks that the server's first line starts with
// prefix (an SSH banner, an FTP 220).
func greeting(addr, prefix string) error {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return fmt.Errorf("dial %s: %w", addr, err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, 64)
	n, err := c.Read(buf)
	if n == 0 && err != nil {
		return fmt.Errorf("read greeting: %w", err)
	}
	if !bytes.HasPrefix(buf[:n], []byte(prefix)) {
		return fmt.Errorf("unexpected greeting %q", buf[:n])
	}
	return nil
}

// run runs a setup command and returns its combined output on failure.
func run(cmd *exec.Cmd) error {
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", strings.Join(cmd.Args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}
