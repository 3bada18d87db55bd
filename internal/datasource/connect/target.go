package connect

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// errBadTarget marks a Target that cannot describe a reachable source.
var errBadTarget = errors.New("bad target")

// host returns the host without IPv6 brackets and surrounding space.
func (t Target) host() string {
	h := strings.TrimSpace(t.Host)
	return strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
}

// port returns the effective port: the given one, or the kind's default.
func (t Target) port(k Kind) int {
	if t.Port == 0 {
		return k.DefaultPort
	}
	return t.Port
}

func (t Target) address(k Kind) string {
	return net.JoinHostPort(t.host(), strconv.Itoa(t.port(k)))
}

func (t Target) timeout() time.Duration {
	if t.Timeout <= 0 {
		return DefaultTimeout
	}
	return t.Timeout
}

// opt reads an option, trimmed; a nil map reads as empty.
func (t Target) opt(name string) string {
	return strings.TrimSpace(t.Options[name])
}

// rootCAs returns the pool built from the tls_ca option, or nil (system roots).
func (t Target) rootCAs() (*x509.CertPool, error) {
	pem := t.opt(OptTLSCA)
	if pem == "" {
		return nil, nil
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM([]byte(pem)) {
		return nil, fmt.Errorf("%w: option tls_ca holds no PEM certificate", errBadTarget)
	}
	return pool, nil
}

// endpoint parses the url option of an API kind.
func (t Target) endpoint() (*url.URL, error) {
	raw := t.opt(OptURL)
	if raw == "" {
		return nil, fmt.Errorf("%w: option url is empty", errBadTarget)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%w: url: %w", errBadTarget, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%w: url scheme must be http or https", errBadTarget)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%w: url has no host", errBadTarget)
	}
	return u, nil
}

// check validates the parts of t that every kind of k needs, so that the
// probe can say what is wrong before touching the network.
func (t Target) check(k Kind) *failure {
	if t.Port < 0 || t.Port > 65535 {
		return fail(stepTarget, CodeBadTarget,
			fmt.Sprintf("端口 %d 超出范围（1–65535）", t.Port),
			fmt.Sprintf("port %d is out of range (1-65535)", t.Port))
	}
	switch {
	case k.Kind == "sqlite" || k.Kind == "duckdb":
		if t.opt(OptPath) == "" {
			return fail(stepTarget, CodeBadTarget, "未填写数据库文件路径（path）", "the database file path (option path) is empty")
		}
	case k.Kind == "oracle" && t.opt(OptServiceName) == "" && strings.TrimSpace(t.Database) == "":
		return fail(stepTarget, CodeBadTarget, "请填写 Oracle 服务名（service_name）", "enter the Oracle service name (service_name)")
	case k.Family == FamilyAPI:
		if _, err := t.endpoint(); err != nil {
			return fail(stepTarget, CodeBadTarget, "接口地址无效，需要 http:// 或 https:// 开头的完整 URL", "the API url is invalid: "+err.Error())
		}
	default:
		h := t.host()
		if h == "" {
			return fail(stepTarget, CodeBadTarget, "未填写主机地址", "the host is empty")
		}
		if strings.ContainsAny(h, " \t\r\n/?#@") {
			return fail(stepTarget, CodeBadTarget, fmt.Sprintf("主机地址 %q 含有非法字符", h), fmt.Sprintf("the host %q contains invalid characters", h))
		}
		if t.port(k) == 0 {
			return fail(stepTarget, CodeBadTarget, "未填写端口", "the port is empty")
		}
	}
	if _, err := t.rootCAs(); err != nil {
		return fail(stepTarget, CodeBadTarget, "tls_ca 不是有效的 PEM 证书", "option tls_ca holds no valid PEM certificate")
	}
	return nil
}
