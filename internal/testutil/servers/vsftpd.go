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

// FTPServer is a private vsftpd for the test OS user, with plain FTP and
// explicit FTPS (AUTH TLS) under a self-signed certificate.
type FTPServer struct {
	Host     string
	Port     int
	User     string
	Password string
	// CACertPEM is the server's self-signed certificate, to trust as tls_ca.
	CACertPEM    string
	ReadableDir  string // listable, holds a.csv and b.txt
	ForbiddenDir string // mode 000, root-owned
	MissingDir   string // does not exist
	FilePath     string // a regular file
}

// pasvPorts is the size of the passive data port range.
const pasvPorts = 20

// FTP starts Debian's vsftpd on a free loopback port (passive mode on a
// free port range), authenticating the test OS user through PAM.
func FTP(t testing.TB) *FTPServer {
	t.Helper()
	vsftpd := lookBin(t, "/usr/sbin/vsftpd", "vsftpd")
	u := testOSUser(t)
	tree := makeTree(t, "xt-ftp-")
	dir := filepath.Join(tree.Root, "vsftpd")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatalf("vsftpd dir: %v", err)
	}
	// vsftpd chroots its unprivileged helper here: root-owned, not writable.
	empty := filepath.Join(tree.Root, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatalf("vsftpd empty dir: %v", err)
	}
	certPath, keyPath := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	ca := selfSigned(t, certPath, keyPath)
	port := FreePort(t)
	pasv := FreePortRange(t, pasvPorts)
	cfg := strings.Join([]string{
		"listen=YES",
		"listen_ipv6=NO",
		"listen_address=127.0.0.1",
		"listen_port=" + strconv.Itoa(port),
		"background=NO",
		"anonymous_enable=NO",
		"local_enable=YES",
		"write_enable=NO",
		"pam_service_name=vsftpd",
		"userlist_enable=NO",
		"seccomp_sandbox=NO",
		"secure_chroot_dir=" + empty,
		"pasv_enable=YES",
		"pasv_min_port=" + strconv.Itoa(pasv),
		"pasv_max_port=" + strconv.Itoa(pasv+pasvPorts-1),
		"connect_from_port_20=NO",
		"delay_failed_login=0",
		"ssl_enable=YES",
		"rsa_cert_file=" + certPath,
		"rsa_private_key_file=" + keyPath,
		"allow_anon_ssl=NO",
		"force_local_logins_ssl=NO",
		"force_local_data_ssl=NO",
		// The Go client does not resume the control session's TLS
		// session on data connections.
		"require_ssl_reuse=NO",
		"xferlog_enable=YES",
		"xferlog_std_format=NO",
		"log_ftp_protocol=YES",
		"vsftpd_log_file=" + filepath.Join(dir, "vsftpd.log"),
		"",
	}, "\n")
	cfgPath := filepath.Join(dir, "vsftpd.conf")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatalf("vsftpd.conf: %v", err)
	}
	cmd := exec.Command(vsftpd, cfgPath)
	p := start(t, "vsftpd", cmd, filepath.Join(dir, "stderr.log"), syscall.SIGTERM)
	p.waitReady(t, func() error { return greeting(addr(port), "220") })
	return &FTPServer{
		Host: "127.0.0.1", Port: port,
		User: u.Name, Password: u.Password,
		CACertPEM:    ca,
		ReadableDir:  tree.Readable,
		ForbiddenDir: tree.Forbidden,
		MissingDir:   tree.Missing,
		FilePath:     tree.File,
	}
}
