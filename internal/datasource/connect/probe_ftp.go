package connect

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"path"
	"strings"
	"sync"

	"github.com/jlaffaye/ftp"
)

// ftpTLSMode reads the tls option: "" (plain FTP), "explicit" (AUTH TLS on
// the control port, FTPES) or "implicit" (TLS from the first byte, FTPS).
func ftpTLSMode(t Target) (string, bool) {
	switch m := strings.ToLower(t.opt(OptTLS)); m {
	case "", "false", "off", "none":
		return "", true
	case "explicit", "true", "on":
		return "explicit", true
	case "implicit":
		return "implicit", true
	default:
		return m, false
	}
}

func ftpCode(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

// probeFTP: resolve → connect → [tls] → auth → list.
func probeFTP(r *run, k Kind) {
	t := r.t
	host, port := t.host(), t.port(k)
	if p := strings.ToLower(t.opt(OptPassive)); p == "false" || p == "no" || p == "off" || p == "0" {
		r.stop(fail(stepTarget, CodeBadTarget,
			"不支持主动模式（PORT）：本系统只使用被动模式（PASV/EPSV），请在服务器端启用被动模式并放通其端口范围",
			"active mode (PORT) is not supported: only passive mode (PASV/EPSV) is used; enable passive mode on the server and open its port range"), 0)
		return
	}
	mode, ok := ftpTLSMode(t)
	if !ok {
		r.stop(fail(stepTarget, CodeBadTarget, "tls 选项只能是 explicit 或 implicit", "option tls must be explicit or implicit"), 0)
		return
	}
	r.resolve(host)
	r.connect(host, port, false)
	if !r.ok() {
		return
	}
	pool, _ := t.rootCAs() // checked by Target.check
	opts := []ftp.DialOption{ftp.DialWithTimeout(t.timeout()), ftp.DialWithShutTimeout(t.timeout())}
	tlsCfg := &tls.Config{ServerName: host, RootCAs: pool, MinVersion: tls.VersionTLS12}
	switch mode {
	case "explicit":
		opts = append(opts, ftp.DialWithExplicitTLS(tlsCfg))
	case "implicit":
		opts = append(opts, ftp.DialWithTLS(tlsCfg))
	}
	sess := &ftpSession{}
	defer sess.close()
	dial := func(ctx context.Context) error {
		c, err := ftp.Dial(t.address(k), append(opts, ftp.DialWithContext(ctx))...)
		sess.set(c)
		return err
	}
	greetingFailure := func(err error) *failure {
		if f := ctxFailure(stepConnect, err, r.secs()); f != nil {
			return f
		}
		return fail(stepConnect, CodeHandshakeFailed, "未收到 FTP 服务的欢迎信息：该端口上的服务可能不是 FTP", "no FTP greeting: the service on this port may not be FTP").withDetail(err)
	}
	if mode != "" {
		r.step(stepTLS, func(ctx context.Context) (string, string, *failure) {
			err := sess.run(ctx, func() error {
				if err := dial(ctx); err != nil {
					return err
				}
				// The library defers the handshake to the first command;
				// NOOP forces it here so TLS problems show in this step.
				if err := sess.get().NoOp(); err != nil && ftpCode(err) == 0 {
					return err
				}
				return nil
			})
			if err != nil {
				if f := tlsFailure(err, host); f != nil {
					return "", "", f
				}
				if code := ftpCode(err); code != 0 {
					return "", "", fail(stepTLS, CodeTLSFailed, "服务器不支持 FTPS（拒绝了 AUTH TLS）", "the server does not support FTPS (it refused AUTH TLS)").withDetail(err)
				}
				return "", "", greetingFailure(err)
			}
			return "TLS 加密连接已建立", "TLS connection established", nil
		})
	}
	r.step(stepAuth, func(ctx context.Context) (string, string, *failure) {
		err := sess.run(ctx, func() error {
			if sess.get() == nil {
				if err := dial(ctx); err != nil {
					return fmt.Errorf("%w: %w", errNoGreeting, err)
				}
			}
			return sess.get().Login(t.Username, t.Password)
		})
		if err == nil {
			return fmt.Sprintf("用户 %s 登录成功", t.Username), fmt.Sprintf("user %s logged in", t.Username), nil
		}
		if errors.Is(err, errNoGreeting) {
			return "", "", greetingFailure(err)
		}
		if f := ctxFailure(stepAuth, err, r.secs()); f != nil {
			return "", "", f
		}
		if f := tlsFailure(err, host); f != nil {
			return "", "", f
		}
		switch code := ftpCode(err); {
		case code == ftp.StatusNotLoggedIn:
			return "", "", fail(stepAuth, CodeAuthFailed,
				fmt.Sprintf("用户名或密码错误：用户 %s 无法登录（服务器答复 530）", t.Username),
				fmt.Sprintf("wrong user name or password: user %s cannot log in (server replied 530)", t.Username))
		case code == ftp.StatusNotAvailable:
			return "", "", fail(stepAuth, CodeLoginFailed, "服务器拒绝服务（421）：连接数过多，或不允许本机地址", "the server refused service (421): too many connections, or this address is not allowed").withDetail(err)
		case code != 0:
			return "", "", fail(stepAuth, CodeLoginFailed, "登录过程中服务器返回错误", "the server returned an error while logging in").withDetail(err)
		}
		var ne net.Error
		if errors.As(err, &ne) {
			return "", "", fail(stepAuth, CodeLoginFailed, "登录过程中连接中断", "the connection broke while logging in").withDetail(err)
		}
		// The library turns an unexpected reply to USER into a plain error.
		return "", "", fail(stepAuth, CodeAuthFailed, fmt.Sprintf("服务器不接受用户 %s 登录", t.Username), fmt.Sprintf("the server does not accept user %s", t.Username)).withDetail(err)
	})
	r.step(stepList, func(ctx context.Context) (string, string, *failure) {
		return listFTP(ctx, r, sess)
	})
}

var errNoGreeting = errors.New("no FTP greeting")

// ftpSession holds the control connection, which a step's timeout closes
// from another goroutine so that a blocked library call returns.
type ftpSession struct {
	mu sync.Mutex
	c  *ftp.ServerConn
}

func (s *ftpSession) set(c *ftp.ServerConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.c = c
}

func (s *ftpSession) get() *ftp.ServerConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.c
}

func (s *ftpSession) close() {
	if c := s.get(); c != nil {
		_ = c.Quit()
	}
}

// run runs fn within ctx; when ctx ends first, the connection is closed.
func (s *ftpSession) run(ctx context.Context, fn func() error) error {
	stop := context.AfterFunc(ctx, s.close)
	defer stop()
	return within(ctx, fn)
}

func listFTP(ctx context.Context, r *run, sess *ftpSession) (string, string, *failure) {
	t := r.t
	dir, shown := t.opt(OptPath), t.opt(OptPath)
	if dir == "" {
		shown = "（登录目录）"
	}
	var (
		n      int
		cwdErr error
		f      *failure
	)
	err := sess.run(ctx, func() error {
		c := sess.get()
		if dir != "" {
			if cwdErr = c.ChangeDir(dir); cwdErr != nil {
				f = explainCWD(c, cwdErr, t, dir)
				return nil
			}
		}
		entries, err := c.List("")
		n = len(entries)
		return err
	})
	if f != nil {
		return "", "", f
	}
	if err != nil {
		if cf := ctxFailure(stepList, err, r.secs()); cf != nil {
			return "", "", cf
		}
		switch code := ftpCode(err); {
		case code == ftp.StatusFileUnavailable:
			return "", "", fail(stepPermission, CodePermissionDenied,
				fmt.Sprintf("用户 %s 无权列出目录 %s", t.Username, shown), fmt.Sprintf("user %s may not list directory %s", t.Username, shown)).withDetail(err)
		case code == ftp.StatusCanNotOpenDataConnection, code == ftp.StatusTransfertAborted, code == 0:
			return "", "", fail(stepList, CodeListFailed,
				"数据连接失败：被动模式的数据端口可能被防火墙拦截，或服务器通告了错误的被动地址",
				"the data connection failed: a firewall may block the passive data ports, or the server announces a wrong passive address").withDetail(err)
		}
		return "", "", fail(stepList, CodeListFailed, fmt.Sprintf("无法列出目录 %s", shown), fmt.Sprintf("cannot list directory %s", shown)).withDetail(err)
	}
	return fmt.Sprintf("目录 %s 可以列出，共 %d 项", shown, n), fmt.Sprintf("directory %s listed: %d entries", shown, n), nil
}

// explainCWD tells a missing directory from a forbidden one. Servers such
// as vsftpd answer 550 "Failed to change directory." to both, so the parent
// listing decides: the name is there (forbidden), or not (missing). When
// the parent cannot be listed either, both possibilities are named.
func explainCWD(c *ftp.ServerConn, err error, t Target, dir string) *failure {
	if ftpCode(err) != ftp.StatusFileUnavailable {
		return fail(stepList, CodeListFailed, fmt.Sprintf("无法进入目录 %s", dir), fmt.Sprintf("cannot change to directory %s", dir)).withDetail(err)
	}
	clean := path.Clean(dir)
	parent, base := path.Dir(clean), path.Base(clean)
	entries, lerr := c.List(parent)
	if lerr != nil || base == "/" || base == "." {
		return fail(stepList, CodeListFailed,
			fmt.Sprintf("目录 %s 不存在，或用户 %s 无权访问（服务器答复 550，无法进一步区分）", dir, t.Username),
			fmt.Sprintf("directory %s does not exist or user %s may not access it (the server replied 550; the two cannot be told apart)", dir, t.Username)).withDetail(err)
	}
	for _, e := range entries {
		if e.Name != base {
			continue
		}
		if e.Type == ftp.EntryTypeFile {
			return fail(stepList, CodeNotDirectory, fmt.Sprintf("%s 是文件，不是目录，请填写目录路径", dir), fmt.Sprintf("%s is a file, not a directory; enter a directory path", dir))
		}
		return fail(stepPermission, CodePermissionDenied,
			fmt.Sprintf("用户 %s 无权进入或列出目录 %s，请让对方授予权限", t.Username, dir),
			fmt.Sprintf("user %s may not enter or list directory %s; ask for permission", t.Username, dir))
	}
	return fail(stepList, CodePathMissing, fmt.Sprintf("目录 %s 不存在，请检查路径", dir), fmt.Sprintf("directory %s does not exist; check the path", dir))
}
