package connect

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/html/charset"
)

// maxWSDLBytes bounds how much of an answer the probe reads.
const maxWSDLBytes = 4 << 20

// probeHTTP: resolve → connect → [tls] → http. For rest any answer below
// 500 means reachable (401 and 403 are reported as authentication and
// permission failures); for soap the WSDL (url?wsdl) must be XML whose root
// is a WSDL 1.1 definitions or WSDL 2.0 description element.
func probeHTTP(r *run, k Kind) {
	t := r.t
	u, _ := t.endpoint() // checked by Target.check
	host := u.Hostname()
	port, _ := strconv.Atoi(u.Port())
	if port == 0 {
		port = 80
		if u.Scheme == "https" {
			port = 443
		}
	}
	r.resolve(host)
	r.connect(host, port, false)
	pool, _ := t.rootCAs()
	tlsCfg := &tls.Config{ServerName: host, RootCAs: pool, MinVersion: tls.VersionTLS12}
	if u.Scheme == "https" {
		r.step(stepTLS, func(ctx context.Context) (string, string, *failure) {
			d := tls.Dialer{Config: tlsCfg}
			c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(port)))
			if err != nil {
				if f := tlsFailure(err, host); f != nil {
					return "", "", f
				}
				if f := ctxFailure(stepTLS, err, r.secs()); f != nil {
					return "", "", f
				}
				return "", "", fail(stepTLS, CodeTLSFailed, "TLS 握手失败", "the TLS handshake failed").withDetail(err)
			}
			defer c.Close()
			certs := c.(*tls.Conn).ConnectionState().PeerCertificates
			if len(certs) == 0 {
				return "TLS 握手成功", "TLS handshake succeeded", nil
			}
			leaf := certs[0]
			exp := leaf.NotAfter.UTC().Format("2006-01-02")
			return fmt.Sprintf("TLS 握手成功，证书颁发给 %s，有效期至 %s", leaf.Subject.CommonName, exp),
				fmt.Sprintf("TLS handshake succeeded; certificate for %s, valid until %s", leaf.Subject.CommonName, exp), nil
		})
	}
	if !r.ok() {
		return
	}
	// No proxy from the environment: the connect step above tested the
	// direct route, and the probe must report on that same route.
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           (&net.Dialer{}).DialContext,
		TLSClientConfig:       tlsCfg,
		TLSHandshakeTimeout:   t.timeout(),
		ResponseHeaderTimeout: t.timeout(),
		DisableKeepAlives:     true,
		ForceAttemptHTTP2:     true,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{
		Transport: transport,
		CheckRedirect: func(_ *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("stopped after 5 redirects")
			}
			return nil
		},
	}
	r.step(stepHTTP, func(ctx context.Context) (string, string, *failure) {
		return httpCheck(ctx, r, k, client, u)
	})
}

// wsdlURL adds the wsdl query parameter unless the url already has it.
func wsdlURL(u *url.URL) *url.URL {
	w := *u
	for key := range u.Query() {
		if strings.EqualFold(key, "wsdl") {
			return &w
		}
	}
	if w.RawQuery == "" {
		w.RawQuery = "wsdl"
	} else {
		w.RawQuery += "&wsdl"
	}
	return &w
}

func httpCheck(ctx context.Context, r *run, k Kind, client *http.Client, u *url.URL) (string, string, *failure) {
	t := r.t
	target := u
	if k.Kind == "soap" {
		target = wsdlURL(u)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target.String(), nil)
	if err != nil {
		return "", "", fail(stepTarget, CodeBadTarget, "接口地址无效", "the API url is invalid").withDetail(err)
	}
	req.Header.Set("User-Agent", "xietong-probe/1")
	switch {
	case strings.EqualFold(t.opt(OptAuth), "bearer"):
		req.Header.Set("Authorization", "Bearer "+t.Password)
	case t.Username != "" && !strings.EqualFold(t.opt(OptAuth), "none"):
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(t.Username+":"+t.Password)))
	}
	resp, err := client.Do(req)
	if err != nil {
		if f := ctxFailure(stepHTTP, err, r.secs()); f != nil {
			return "", "", f
		}
		if f := tlsFailure(err, u.Hostname()); f != nil {
			return "", "", f
		}
		return "", "", fail(stepHTTP, CodeHTTPError, "请求接口失败：服务器没有返回有效的 HTTP 响应", "the request failed: the server gave no valid HTTP answer").withDetail(err)
	}
	defer resp.Body.Close()
	status := fmt.Sprintf("HTTP %d", resp.StatusCode)
	switch code := resp.StatusCode; {
	case code == http.StatusUnauthorized:
		return "", "", fail(stepAuth, CodeAuthFailed,
			fmt.Sprintf("接口要求认证，或用户名/密码/令牌错误（%s）", status),
			fmt.Sprintf("the API requires authentication, or the user name, password or token is wrong (%s)", status))
	case code == http.StatusForbidden:
		return "", "", fail(stepPermission, CodePermissionDenied,
			fmt.Sprintf("无权访问该接口（%s）：凭据有效但未获授权，或本机地址不在对方白名单中", status),
			fmt.Sprintf("access to the API is forbidden (%s): the credentials lack permission, or this address is not allow-listed", status))
	case code >= 500:
		return "", "", fail(stepHTTP, CodeHTTPError,
			fmt.Sprintf("接口服务器内部错误（%s），请联系接口提供方", status),
			fmt.Sprintf("the API server failed (%s); contact the API provider", status))
	}
	if k.Kind != "soap" {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxWSDLBytes))
		return fmt.Sprintf("接口可达（%s）", status), fmt.Sprintf("the API is reachable (%s)", status), nil
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return "", "", fail(stepHTTP, CodeWSDLInvalid,
			fmt.Sprintf("获取 WSDL 失败（%s），请检查服务地址", status),
			fmt.Sprintf("fetching the WSDL failed (%s); check the service url", status))
	}
	root, err := xmlRoot(io.LimitReader(resp.Body, maxWSDLBytes))
	if err != nil || (root.Local != "definitions" && root.Local != "description") {
		return "", "", fail(stepHTTP, CodeWSDLInvalid, "返回内容不是有效的 WSDL 文档（缺少 definitions 元素）", "the answer is not a valid WSDL document (no definitions element)")
	}
	return "WSDL 文档有效，服务可达", "the WSDL document is valid; the service is reachable", nil
}

// xmlRoot returns the name of the document's root element. Declared
// encodings such as GBK, common in Chinese services, are decoded.
func xmlRoot(body io.Reader) (xml.Name, error) {
	dec := xml.NewDecoder(body)
	dec.CharsetReader = charset.NewReaderLabel
	for {
		tok, err := dec.Token()
		if err != nil {
			return xml.Name{}, fmt.Errorf("wsdl: %w", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name, nil
		}
	}
}
