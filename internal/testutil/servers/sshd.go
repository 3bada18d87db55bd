package servers

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// SSH is a private OpenSSH server offering only SFTP to the test OS user.
type SSH struct {
	Host     string
	Port     int
	User     string
	Password string
	// PrivateKey is an OpenSSH private key whose public half is authorized
	// for User.
	PrivateKey string
	// HostKeyFingerprint is the server's host key, "SHA256:…".
	HostKeyFingerprint string
	ReadableDir        string // listable, holds a.csv and b.txt
	ForbiddenDir       string // mode 000, root-owned
	MissingDir         string // does not exist
	FilePath           string // a regular file
}

// SFTP starts Debian's /usr/sbin/sshd on a free loopback port with its own
// config, host key and PID file, password and key authentication for the
// test OS user, and the internal SFTP server only.
func SFTP(t testing.TB) *SSH {
	t.Helper()
	sshd := lookBin(t, "/usr/sbin/sshd", "openssh-server")
	u := testOSUser(t)
	tree := makeTree(t, "xt-sftp-")
	dir := filepath.Join(tree.Root, "sshd") // root-only files: config, host key
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatalf("sshd dir: %v", err)
	}
	// sshd refuses to start without its privilege separation directory.
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
		unavailable(t, "create /run/sshd: %v", err)
	}
	hostKey := newSSHKey(t)
	clientKey := newSSHKey(t)
	hostKeyPath := filepath.Join(dir, "host_ed25519")
	if err := os.WriteFile(hostKeyPath, []byte(hostKey.PrivatePEM), 0o600); err != nil {
		t.Fatalf("host key: %v", err)
	}
	// sshd reads authorized keys as the user, so this file is world-readable.
	authKeys := filepath.Join(tree.Root, "authorized_keys")
	if err := os.WriteFile(authKeys, []byte(clientKey.Authorized), 0o644); err != nil {
		t.Fatalf("authorized_keys: %v", err)
	}
	port := FreePort(t)
	cfg := strings.Join([]string{
		"Port " + strconv.Itoa(port),
		"ListenAddress 127.0.0.1",
		"HostKey " + hostKeyPath,
		"PidFile " + filepath.Join(dir, "sshd.pid"),
		"UsePAM no", // shadow passwords directly: no PAM session noise
		"PasswordAuthentication yes",
		"KbdInteractiveAuthentication no",
		"PubkeyAuthentication yes",
		"AuthorizedKeysFile " + authKeys,
		"StrictModes no", // the temp dir is not the user's home
		"PermitRootLogin no",
		"AllowUsers " + u.Name,
		"UseDNS no",
		"PrintMotd no",
		"AllowTcpForwarding no",
		"AllowAgentForwarding no",
		"X11Forwarding no",
		"Subsystem sftp internal-sftp",
		"ForceCommand internal-sftp",
		"LogLevel VERBOSE",
		"",
	}, "\n")
	cfgPath := filepath.Join(dir, "sshd_config")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatalf("sshd_config: %v", err)
	}
	// sshd re-executes itself, so it needs the absolute config path.
	cmd := exec.Command(sshd, "-D", "-e", "-f", cfgPath)
	p := start(t, "sshd", cmd, filepath.Join(dir, "sshd.log"), syscall.SIGTERM)
	p.waitReady(t, func() error { return greeting(addr(port), "SSH-") })
	return &SSH{
		Host: "127.0.0.1", Port: port,
		User: u.Name, Password: u.Password,
		PrivateKey:         clientKey.PrivatePEM,
		HostKeyFingerprint: hostKey.Fingerprint,
		ReadableDir:        tree.Readable,
		ForbiddenDir:       tree.Forbidden,
		MissingDir:         tree.Missing,
		FilePath:           tree.File,
	}
}
