package connect

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	mssql "github.com/microsoft/go-mssqldb"
	"github.com/sijms/go-ora/v2/network"
)

// Step names, in the order a probe runs them. "target" is the check of the
// form itself, before anything is contacted. For SSH the "tls" step is the
// transport handshake (key exchange and host key check), SSH's counterpart
// of TLS. For databases "permission" is access to the named database and
// for file servers access to the directory; a missing database or
// directory fails there too, because that is where the server says so.
const (
	stepTarget     = "target"
	stepResolve    = "resolve"
	stepConnect    = "connect"
	stepTLS        = "tls"
	stepAuth       = "auth"
	stepPermission = "permission"
	stepQuery      = "query"
	stepList       = "list"
	stepHTTP       = "http"
)

// Codes a failed step carries; stable, for the console and the API.
const (
	CodeUnknownKind      = "ds_unknown_kind"
	CodeBadTarget        = "ds_bad_target"
	CodeResolveFailed    = "ds_resolve_failed"
	CodeConnectRefused   = "ds_connect_refused"
	CodeConnectTimeout   = "ds_connect_timeout"
	CodeConnectFailed    = "ds_connect_failed"
	CodeHandshakeFailed  = "ds_handshake_failed"
	CodeTLSFailed        = "ds_tls_failed"
	CodeHostKeyMismatch  = "ds_hostkey_mismatch"
	CodeAuthFailed       = "ds_auth_failed"
	CodePermissionDenied = "ds_permission_denied"
	CodeDatabaseMissing  = "ds_database_missing"
	CodePathMissing      = "ds_path_missing"
	CodeNotDirectory     = "ds_not_directory"
	CodeBadFile          = "ds_bad_file"
	CodeLoginFailed      = "ds_login_failed"
	CodeQueryFailed      = "ds_query_failed"
	CodeListFailed       = "ds_list_failed"
	CodeHTTPError        = "ds_http_error"
	CodeWSDLInvalid      = "ds_wsdl_invalid"
	CodeTimeout          = "ds_timeout"
	CodeCanceled         = "ds_canceled"
	CodeInternal         = "ds_internal_error"
)

// failure is a failed step before it is timed and redacted.
type failure struct {
	step, code string
	zh, en     string
}

func fail(step, code, zh, en string) *failure {
	return &failure{step: step, code: code, zh: zh, en: en}
}

// maxDetail bounds the detail quoted from a server, in characters.
const maxDetail = 300

// withDetail appends what the server or library said, so an engineer can
// search it; the probe redacts secrets from every message afterwards.
func (f *failure) withDetail(err error) *failure {
	if f == nil || err == nil {
		return f
	}
	// One line, bounded: drivers put multi-line reports in their errors.
	d := strings.Join(strings.Fields(err.Error()), " ")
	if d == "" {
		return f
	}
	if r := []rune(d); len(r) > maxDetail {
		d = string(r[:maxDetail]) + "…"
	}
	f.zh += "（详情：" + d + "）"
	f.en += " (detail: " + d + ")"
	return f
}

// ctxFailure reports a cancelled probe or a step that ran out of time.
func ctxFailure(step string, err error, secs int) *failure {
	switch {
	case errors.Is(err, context.Canceled):
		return fail(step, CodeCanceled, "检测已取消", "the test was cancelled")
	case isTimeout(err):
		return fail(step, CodeTimeout,
			fmt.Sprintf("此步骤在 %d 秒内没有完成：服务器无响应或过慢，请检查网络、防火墙与服务器负载", secs),
			fmt.Sprintf("this step did not finish within %d s: the server did not answer or is too slow; check the network, firewall and server load", secs))
	}
	return nil
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, syscall.ETIMEDOUT) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// resolveFailure explains a failed name lookup.
func resolveFailure(err error, host string, secs int) *failure {
	if errors.Is(err, context.Canceled) {
		return ctxFailure(stepResolve, err, secs)
	}
	var de *net.DNSError
	if errors.As(err, &de) && de.IsTimeout || isTimeout(err) {
		return fail(stepResolve, CodeResolveFailed,
			fmt.Sprintf("解析主机名 %s 超时：DNS 服务器无响应，请检查本机 DNS 配置", host),
			fmt.Sprintf("looking up host name %s timed out: the DNS server did not answer; check this machine's DNS settings", host))
	}
	return fail(stepResolve, CodeResolveFailed,
		fmt.Sprintf("无法解析主机名 %s：请检查主机名拼写，或改填 IP 地址", host),
		fmt.Sprintf("cannot resolve host name %s: check its spelling or use an IP address", host)).withDetail(err)
}

// connectFailure explains a failed TCP connection to addr.
func connectFailure(err error, host string, port, secs int) *failure {
	addr := net.JoinHostPort(host, fmt.Sprint(port))
	switch {
	case errors.Is(err, context.Canceled):
		return ctxFailure(stepConnect, err, secs)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fail(stepConnect, CodeConnectRefused,
			fmt.Sprintf("无法连接 %s：端口 %d 上没有服务在监听，请检查端口", addr, port),
			fmt.Sprintf("cannot connect to %s: nothing is listening on port %d; check the port", addr, port))
	case isTimeout(err):
		return fail(stepConnect, CodeConnectTimeout,
			fmt.Sprintf("连接 %s 超时（%d 秒）：数据包可能被防火墙或安全组丢弃，或主机不可达，请检查防火墙与网络", addr, secs),
			fmt.Sprintf("connecting to %s timed out after %d s: a firewall or security group may be dropping packets, or the host is unreachable; check the firewall and the network", addr, secs))
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return fail(stepConnect, CodeConnectFailed,
			fmt.Sprintf("无法连接 %s：网络或主机不可达，请检查路由与网络配置", addr),
			fmt.Sprintf("cannot connect to %s: the network or host is unreachable; check routing and the network", addr)).withDetail(err)
	case errors.Is(err, syscall.ECONNRESET):
		return fail(stepConnect, CodeConnectFailed,
			fmt.Sprintf("连接 %s 被对方重置：可能被防火墙或访问控制拒绝", addr),
			fmt.Sprintf("the connection to %s was reset: a firewall or access control may be refusing it", addr))
	}
	return fail(stepConnect, CodeConnectFailed,
		fmt.Sprintf("无法连接 %s", addr), fmt.Sprintf("cannot connect to %s", addr)).withDetail(err)
}

// tlsFailure explains a TLS failure, or returns nil when err is not one.
func tlsFailure(err error, host string) *failure {
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		record   tls.RecordHeaderError
		alert    tls.AlertError
	)
	switch {
	case errors.As(err, &unknown):
		return fail(stepTLS, CodeTLSFailed,
			"TLS 握手失败：服务器证书不受信任（颁发机构未知），请在 tls_ca 中提供签发该证书的 CA 证书",
			"TLS handshake failed: the server certificate is signed by an unknown authority; put the issuing CA certificate in tls_ca")
	case errors.As(err, &hostname):
		return fail(stepTLS, CodeTLSFailed,
			fmt.Sprintf("TLS 握手失败：服务器证书与主机名 %s 不匹配，请使用证书中的主机名连接", host),
			fmt.Sprintf("TLS handshake failed: the server certificate does not match host name %s; connect using a name in the certificate", host)).withDetail(err)
	case errors.As(err, &invalid):
		if invalid.Reason == x509.Expired {
			return fail(stepTLS, CodeTLSFailed, "TLS 握手失败：服务器证书已过期或尚未生效", "TLS handshake failed: the server certificate has expired or is not yet valid").withDetail(err)
		}
		return fail(stepTLS, CodeTLSFailed, "TLS 握手失败：服务器证书无效", "TLS handshake failed: the server certificate is invalid").withDetail(err)
	case errors.As(err, &record):
		return fail(stepTLS, CodeTLSFailed, "TLS 握手失败：对方没有以 TLS 应答，该端口可能不支持 TLS", "TLS handshake failed: the peer did not answer with TLS; this port may not speak TLS")
	case errors.As(err, &alert):
		return fail(stepTLS, CodeTLSFailed, "TLS 握手被服务器拒绝", "the server rejected the TLS handshake").withDetail(err)
	case errors.Is(err, mysql.ErrNoTLS):
		return fail(stepTLS, CodeTLSFailed, "服务器未启用 TLS，请在服务器端启用或关闭 tls 选项", "the server does not support TLS; enable it there or turn off the tls option")
	case err != nil && strings.Contains(err.Error(), "server refused TLS connection"):
		// pgconn reports this without a typed error or SQLSTATE.
		return fail(stepTLS, CodeTLSFailed, "服务器未启用 SSL，请在服务器端启用或把 sslmode 改为 prefer/disable", "the server does not accept SSL; enable it there or set sslmode to prefer/disable")
	}
	return nil
}

// sqlFailure classifies an error from logging in to or querying a
// database by the server's error code, never by its message text.
func sqlFailure(err error, t Target, during string) *failure {
	if f := ctxFailure(during, err, seconds(t.timeout())); f != nil {
		return f
	}
	k, _ := Lookup(t.Kind)
	// Without TLS asked for, drivers that merely try it (sslmode=prefer)
	// fall back to plain text; their TLS errors are not the cause.
	if tlsConfigured(t, k) {
		if f := tlsFailure(err, t.host()); f != nil {
			return f
		}
	}
	u, d := t.Username, t.Database
	auth := func(zh, en string) *failure { return fail(stepAuth, CodeAuthFailed, zh, en) }
	perm := func() *failure {
		return fail(stepPermission, CodePermissionDenied,
			fmt.Sprintf("用户 %s 无权访问数据库 %s，请让数据库管理员授予连接/访问权限", u, d),
			fmt.Sprintf("user %s may not access database %s; ask the DBA to grant connect/access", u, d))
	}
	missing := func() *failure {
		return fail(stepPermission, CodeDatabaseMissing,
			fmt.Sprintf("数据库 %s 不存在，请检查数据库名", d),
			fmt.Sprintf("database %s does not exist; check the database name", d))
	}
	wrongPassword := func() *failure {
		return auth(fmt.Sprintf("用户名或密码错误：用户 %s 认证失败", u), fmt.Sprintf("wrong user name or password: authentication failed for user %s", u))
	}

	var (
		pgErr *pgconn.PgError
		myErr *mysql.MySQLError
		msErr mssql.Error
		orErr *network.OracleError
	)
	// Details quote the server's own error, not the driver's whole chain
	// of connection attempts.
	switch {
	case errors.As(err, &pgErr):
		switch pgErr.Code {
		case "28P01":
			return wrongPassword().withDetail(pgErr)
		case "28000":
			return auth(fmt.Sprintf("服务器拒绝用户 %s 从本机登录（认证方式或 pg_hba.conf 访问规则不允许）", u),
				fmt.Sprintf("the server refused login for user %s from this machine (its authentication method or pg_hba.conf rules do not allow it)", u)).withDetail(pgErr)
		case "42501":
			if during == stepQuery {
				return fail(stepQuery, CodePermissionDenied, "测试查询被拒绝：权限不足", "the test query was refused: permission denied").withDetail(pgErr)
			}
			return perm().withDetail(pgErr)
		case "3D000":
			return missing()
		}
	case errors.As(err, &myErr):
		switch myErr.Number {
		case 1045:
			return wrongPassword().withDetail(myErr)
		case 1044, 1142, 1227:
			return perm().withDetail(myErr)
		case 1049:
			return missing()
		}
	case errors.As(err, &msErr):
		switch msErr.Number {
		case 18456, 18452:
			return wrongPassword().withDetail(msErr)
		case 229, 230, 262, 300:
			return perm().withDetail(msErr)
		case 4060:
			// SQL Server gives one number for both; say so.
			return fail(stepPermission, CodeDatabaseMissing,
				fmt.Sprintf("无法打开数据库 %s：数据库不存在，或用户 %s 无权访问", d, u),
				fmt.Sprintf("cannot open database %s: it does not exist, or user %s may not access it", d, u)).withDetail(msErr)
		}
	case errors.As(err, &orErr):
		switch orErr.ErrCode {
		case 1017:
			return wrongPassword()
		case 28000:
			return auth(fmt.Sprintf("用户 %s 已被锁定", u), fmt.Sprintf("user %s is locked", u))
		case 28001:
			return auth(fmt.Sprintf("用户 %s 的密码已过期", u), fmt.Sprintf("the password of user %s has expired", u))
		case 1045:
			return fail(stepPermission, CodePermissionDenied,
				fmt.Sprintf("用户 %s 缺少 CREATE SESSION 权限，无法登录", u),
				fmt.Sprintf("user %s lacks the CREATE SESSION privilege", u))
		case 12514, 12505:
			return fail(stepPermission, CodeDatabaseMissing,
				"监听器不认识该服务名/SID，请检查 service_name",
				"the listener does not know this service name or SID; check service_name").withDetail(orErr)
		}
	}
	if during == stepQuery {
		return fail(stepQuery, CodeQueryFailed, "测试查询执行失败", "the test query failed").withDetail(err)
	}
	var ne net.Error
	if errors.Is(err, syscall.ECONNRESET) || errors.As(err, &ne) {
		return fail(stepAuth, CodeLoginFailed, "登录过程中连接中断：端口上的服务可能不是该类型的数据库，或被防火墙中断",
			"the connection broke while logging in: the service on this port may not be this kind of database, or a firewall cut it").withDetail(err)
	}
	return fail(stepAuth, CodeLoginFailed,
		fmt.Sprintf("登录数据库失败：请确认该端口上运行的是 %s", k.Label),
		fmt.Sprintf("logging in to the database failed: check that %s runs on this port", k.LabelEN)).withDetail(err)
}
