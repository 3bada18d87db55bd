package connect

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
)

// errHostKeyMismatch is returned by the host key callback when the server's
// key is not the pinned one.
var errHostKeyMismatch = errors.New("ssh host key does not match the pinned fingerprint")

// hostKeySeen records, from inside the SSH handshake, the server's key and
// whether it was accepted: an error after acceptance is an authentication
// failure, one before it is a transport failure. x/crypto/ssh has no typed
// authentication error, so the phase is how the two are told apart.
type hostKeySeen struct {
	mu          sync.Mutex
	fingerprint string
	accepted    bool
}

func (h *hostKeySeen) get() (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.fingerprint, h.accepted
}

// normalizeFingerprint accepts "SHA256:abc", "abc" and padded base64.
func normalizeFingerprint(s string) string {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	if s == "" {
		return ""
	}
	if !strings.HasPrefix(s, "SHA256:") {
		s = "SHA256:" + s
	}
	return s
}

// sshAuth builds the authentication methods: the private key when given
// (Password is then its passphrase if it is encrypted), otherwise the
// password, offered both as "password" and "keyboard-interactive" because
// PAM-only servers accept just the latter.
func sshAuth(t Target) ([]ssh.AuthMethod, *failure) {
	if strings.TrimSpace(t.PrivateKey) != "" {
		signer, err := ssh.ParsePrivateKey([]byte(t.PrivateKey))
		var missing *ssh.PassphraseMissingError
		if errors.As(err, &missing) {
			signer, err = ssh.ParsePrivateKeyWithPassphrase([]byte(t.PrivateKey), []byte(t.Password))
			if errors.Is(err, x509.IncorrectPasswordError) {
				return nil, fail(stepAuth, CodeAuthFailed, "私钥口令错误，无法解开私钥", "wrong passphrase for the private key")
			}
		}
		if err != nil {
			// The parse error is not shown: it could quote key material.
			return nil, fail(stepTarget, CodeBadTarget, "私钥无法解析，请提供 PEM/OpenSSH 格式的私钥", "the private key cannot be parsed; provide a PEM or OpenSSH private key")
		}
		return []ssh.AuthMethod{ssh.PublicKeys(signer)}, nil
	}
	pw := t.Password
	answer := func(_, _ string, questions []string, _ []bool) ([]string, error) {
		out := make([]string, len(questions))
		for i := range out {
			out[i] = pw
		}
		return out, nil
	}
	return []ssh.AuthMethod{ssh.Password(pw), ssh.KeyboardInteractive(answer)}, nil
}

// probeSFTP: resolve → connect → tls (SSH handshake, host key) → auth → list.
func probeSFTP(r *run, k Kind) {
	t := r.t
	host, port := t.host(), t.port(k)
	r.resolve(host)
	conn := r.connect(host, port, true)
	if !r.ok() {
		return
	}
	defer conn.Close()
	auth, f := sshAuth(t)
	if f != nil {
		r.stop(f, 0)
		return
	}
	client := sshLogin(r, conn, auth)
	if client == nil {
		return
	}
	defer client.Close()
	listSFTP(r, conn, client)
}

func sshLogin(r *run, conn net.Conn, auth []ssh.AuthMethod) *ssh.Client {
	t := r.t
	pin := normalizeFingerprint(t.opt(OptHostKey))
	seen := &hostKeySeen{}
	cfg := &ssh.ClientConfig{
		User: t.Username,
		Auth: auth,
		HostKeyCallback: func(_ string, _ net.Addr, key ssh.PublicKey) error {
			fp := ssh.FingerprintSHA256(key)
			seen.mu.Lock()
			defer seen.mu.Unlock()
			seen.fingerprint = fp
			if pin != "" && fp != pin {
				return errHostKeyMismatch
			}
			seen.accepted = true
			return nil
		},
		Timeout: t.timeout(),
	}
	// Handshake and authentication are one exchange; bound both.
	if r.ctx.Err() != nil {
		r.stop(ctxFailure(stepTLS, r.ctx.Err(), r.secs()), 0)
		return nil
	}
	ctx, cancel := r.stepCtx()
	defer cancel()
	_ = conn.SetDeadline(time.Now().Add(t.timeout()))
	t0 := time.Now()
	var client *ssh.Client
	err := within(ctx, func() error {
		c, chans, reqs, err := ssh.NewClientConn(conn, conn.RemoteAddr().String(), cfg)
		if err != nil {
			return err
		}
		client = ssh.NewClient(c, chans, reqs)
		return nil
	})
	el := time.Since(t0)
	fp, accepted := seen.get()
	r.fingerprint = fp
	tlsPass := [2]string{
		fmt.Sprintf("SSH 握手成功，服务器主机密钥指纹 %s（未固定：请核对后在 host_key 中固定）", fp),
		fmt.Sprintf("SSH handshake succeeded; server host key %s (not pinned: verify it and pin it in host_key)", fp),
	}
	if pin != "" {
		tlsPass = [2]string{
			fmt.Sprintf("SSH 握手成功，主机密钥与固定的指纹 %s 一致", fp),
			fmt.Sprintf("SSH handshake succeeded; the host key matches the pinned %s", fp),
		}
	}
	if err != nil {
		if client != nil {
			_ = client.Close()
		}
		var f *failure
		switch {
		case errors.Is(err, errHostKeyMismatch):
			f = fail(stepTLS, CodeHostKeyMismatch,
				fmt.Sprintf("服务器主机密钥 %s 与固定的指纹 %s 不符：服务器可能已重装或更换密钥，也可能遭到中间人攻击，请与对方管理员核实", fp, pin),
				fmt.Sprintf("the server host key %s does not match the pinned %s: the server may have been reinstalled or rekeyed, or the connection is being intercepted; check with its administrator", fp, pin))
		case accepted:
			if cf := ctxFailure(stepAuth, err, r.secs()); cf != nil {
				f = cf
			} else {
				f = fail(stepAuth, CodeAuthFailed,
					fmt.Sprintf("用户名、密码或密钥错误：用户 %s 无法登录（也可能该用户不允许通过 SSH/SFTP 登录）", t.Username),
					fmt.Sprintf("wrong user name, password or key: user %s cannot log in (or the user is not allowed to log in over SSH/SFTP)", t.Username))
			}
		default:
			if cf := ctxFailure(stepTLS, err, r.secs()); cf != nil {
				f = cf
			} else {
				f = fail(stepTLS, CodeHandshakeFailed, "SSH 握手失败：该端口上的服务可能不是 SSH/SFTP", "the SSH handshake failed: the service on this port may not be SSH/SFTP").withDetail(err)
			}
		}
		r.stopAfter(f, []string{stepTLS, stepAuth}, map[string][2]string{stepTLS: tlsPass}, el)
		return nil
	}
	r.pass(stepTLS, tlsPass[0], tlsPass[1], 0)
	r.pass(stepAuth, fmt.Sprintf("用户 %s 认证成功", t.Username), fmt.Sprintf("user %s authenticated", t.Username), el)
	return client
}

func listSFTP(r *run, conn net.Conn, client *ssh.Client) {
	t := r.t
	dir := t.opt(OptPath)
	shown := dir
	if dir == "" {
		dir, shown = ".", "（登录目录）"
	}
	r.step(stepList, func(ctx context.Context) (string, string, *failure) {
		_ = conn.SetDeadline(time.Now().Add(t.timeout()))
		var n int
		err := within(ctx, func() error {
			sc, err := sftp.NewClient(client)
			if err != nil {
				return fmt.Errorf("sftp subsystem: %w", errNoSubsystem)
			}
			defer sc.Close()
			entries, err := sc.ReadDir(dir)
			if err != nil {
				if fi, serr := sc.Stat(dir); serr == nil && !fi.IsDir() {
					return errNotDir
				}
				return err
			}
			n = len(entries)
			return nil
		})
		if err != nil {
			return "", "", listFailure(err, t, shown, r.secs())
		}
		return fmt.Sprintf("目录 %s 可以列出，共 %d 项", shown, n), fmt.Sprintf("directory %s listed: %d entries", shown, n), nil
	})
}
