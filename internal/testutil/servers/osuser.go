package servers

import (
	"errors"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestOSUser is the OS account the SSH and FTP servers authenticate; it is
// created once per machine and reused.
const TestOSUser = "xtsftp"

// OSUser is the test OS account with the password set for this run.
type OSUser struct {
	Name     string
	Password string
	UID, GID int
	Home     string
}

// lockBase names the lock and secret files that let several test
// processes (go test runs packages in parallel) share the account: the
// first sets a fresh random password, the others read it, and nobody
// changes it while another holds it.
func lockBase() string { return filepath.Join(os.TempDir(), "xietong-test-"+TestOSUser) }

// testOSUser ensures the account exists and has a password this run knows.
// The password is locked again when the last user releases it, so the
// account cannot be logged in to between test runs.
func testOSUser(t testing.TB) OSUser {
	t.Helper()
	if os.Geteuid() != 0 {
		unavailable(t, "creating and authenticating OS user %s needs root", TestOSUser)
	}
	base := lockBase()
	setup, err := flockOpen(base+".setup", syscall.LOCK_EX)
	if err != nil {
		unavailable(t, "lock %s.setup: %v", base, err)
	}
	defer setup.Close() // releases the setup lock

	if _, err := user.Lookup(TestOSUser); err != nil {
		var unknown user.UnknownUserError
		if !errors.As(err, &unknown) {
			unavailable(t, "look up user %s: %v", TestOSUser, err)
		}
		// /bin/sh because vsftpd's PAM stack (pam_shells) requires a shell
		// listed in /etc/shells; the test sshd forces internal-sftp.
		if err := run(exec.Command("useradd", "--create-home", "--shell", "/bin/sh", "--comment", "xietong test user", TestOSUser)); err != nil {
			unavailable(t, "create user %s: %v", TestOSUser, err)
		}
	}
	u, err := user.Lookup(TestOSUser)
	if err != nil {
		unavailable(t, "look up user %s: %v", TestOSUser, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.MkdirAll(u.HomeDir, 0o755); err == nil {
		_ = os.Chown(u.HomeDir, uid, gid) // vsftpd changes into the home after login
	}

	usage, err := os.OpenFile(base+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		unavailable(t, "open %s.lock: %v", base, err)
	}
	var password string
	if syscall.Flock(int(usage.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
		// Nobody else uses the account: give it a fresh password.
		password = "Xt-" + randomHex(12)
		cmd := exec.Command("chpasswd")
		cmd.Stdin = strings.NewReader(TestOSUser + ":" + password + "\n")
		if err := run(cmd); err != nil {
			usage.Close()
			unavailable(t, "set password of %s: %v", TestOSUser, err)
		}
		if err := os.WriteFile(base+".secret", []byte(password), 0o600); err != nil {
			usage.Close()
			unavailable(t, "store password of %s: %v", TestOSUser, err)
		}
		// Downgrading is not atomic, but every exclusive attempt happens
		// under the setup lock, which this process holds.
		_ = syscall.Flock(int(usage.Fd()), syscall.LOCK_SH)
	} else {
		_ = syscall.Flock(int(usage.Fd()), syscall.LOCK_SH)
		b, err := os.ReadFile(base + ".secret")
		if err != nil {
			usage.Close()
			unavailable(t, "read password of %s: %v", TestOSUser, err)
		}
		password = string(b)
	}
	t.Cleanup(func() { releaseOSUser(t, usage) })
	return OSUser{Name: TestOSUser, Password: password, UID: uid, GID: gid, Home: u.HomeDir}
}

// releaseOSUser gives up this holder's share and, if it was the last,
// locks the account's password.
func releaseOSUser(t testing.TB, usage *os.File) {
	base := lockBase()
	setup, err := flockOpen(base+".setup", syscall.LOCK_EX)
	if err != nil {
		usage.Close()
		t.Logf("lock %s.setup: %v", base, err)
		return
	}
	defer setup.Close()
	usage.Close()
	last, err := os.OpenFile(base+".lock", os.O_RDWR, 0o600)
	if err != nil {
		return
	}
	defer last.Close()
	if syscall.Flock(int(last.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
		if err := run(exec.Command("usermod", "--lock", TestOSUser)); err != nil {
			t.Logf("lock user %s: %v", TestOSUser, err)
		}
		_ = os.Remove(base + ".secret")
	}
}

func flockOpen(path string, how int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), how); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// fileTree is the directory layout both file servers expose.
type fileTree struct {
	Root      string // 0755, root-owned
	Readable  string // 0755, with two files
	Forbidden string // 0000, root-owned: listing it is a real permission failure
	Missing   string // does not exist
	File      string // a regular file, to show "not a directory"
}

// makeTree creates the tree under a fresh world-traversable temp dir
// (t.TempDir's parent is 0700 and would hide it from the test user).
func makeTree(t testing.TB, prefix string) fileTree {
	t.Helper()
	root, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatalf("temp dir: %v", err)
	}
	t.Cleanup(func() {
		_ = os.Chmod(filepath.Join(root, "forbidden"), 0o755)
		_ = os.RemoveAll(root)
	})
	ft := fileTree{
		Root:      root,
		Readable:  filepath.Join(root, "readable"),
		Forbidden: filepath.Join(root, "forbidden"),
		Missing:   filepath.Join(root, "missing"),
	}
	ft.File = filepath.Join(ft.Readable, "a.csv")
	must := func(err error) {
		if err != nil {
			t.Fatalf("file tree: %v", err)
		}
	}
	must(os.Chmod(root, 0o755))
	must(os.Mkdir(ft.Readable, 0o755))
	must(os.WriteFile(ft.File, []byte("id,name\n1,张三\n"), 0o644))
	must(os.WriteFile(filepath.Join(ft.Readable, "b.txt"), []byte("hello\n"), 0o644))
	must(os.Mkdir(ft.Forbidden, 0o755))
	must(os.WriteFile(filepath.Join(ft.Forbidden, "secret.txt"), []byte("no\n"), 0o600))
	must(os.Chmod(ft.Forbidden, 0o000))
	return ft
}
