package gateway

// Reading a request for Server: the request line, the header and the
// body, with every refusal the protocol needs.

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"
)

// badRequest is a request refused before the handler.
type badRequest struct {
	status int
	zh, en string
}

func refusal(status int, zh, en string) *badRequest { return &badRequest{status, zh, en} }

var (
	errLineTooLong = refusal(http.StatusRequestHeaderFieldsTooLarge, "请求行或请求头过大", "The request line or header is too large")
	errMalformed   = refusal(http.StatusBadRequest, "请求格式错误", "Malformed HTTP request")
)

// readLine returns the next line without its line ending, from the
// reader's buffer (valid until the next read); budget bounds the header.
func (sc *srvConn) readLine(budget *int) ([]byte, *badRequest) {
	line, err := sc.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		// Longer than the buffer: gather it (rare: a long query).
		long := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			if len(long) > *budget {
				return nil, errLineTooLong
			}
			line, err = sc.br.ReadSlice('\n')
			long = append(long, line...)
		}
		line = long
	}
	if err != nil {
		return nil, errMalformed
	}
	if *budget -= len(line); *budget < 0 {
		return nil, errLineTooLong
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

// readRequest reads a request line, header and body into sc.req.
func (sc *srvConn) readRequest(start time.Time) *badRequest {
	s, r := sc.s, sc.req
	budget := s.MaxHeaderBytes
	line, bad := sc.readLine(&budget)
	for i := 0; bad == nil && len(line) == 0 && i < 4; i++ {
		line, bad = sc.readLine(&budget) // empty lines before a request are ignored (RFC 9112 §2.2)
	}
	if bad != nil {
		return bad
	}
	m, rest, ok1 := bytes.Cut(line, []byte(" "))
	target, proto, ok2 := bytes.Cut(rest, []byte(" "))
	if !ok1 || !ok2 || len(m) == 0 || len(target) == 0 || !validToken(m) {
		return errMalformed
	}
	r.Method = method(m)
	switch string(proto) {
	case "HTTP/1.1":
		r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/1.1", 1, 1
	case "HTTP/1.0":
		r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/1.0", 1, 0
	default:
		return refusal(http.StatusHTTPVersionNotSupported, "仅支持 HTTP/1.0 和 HTTP/1.1", "Only HTTP/1.0 and HTTP/1.1 are served")
	}
	if target[0] != '/' || r.Method == http.MethodConnect {
		return refusal(http.StatusBadRequest, "请求目标必须是以 / 开头的路径", "The request target must be a path starting with /")
	}
	r.RequestURI = string(target)
	u, err := url.ParseRequestURI(r.RequestURI)
	if err != nil {
		return errMalformed
	}
	r.URL = u

	h := r.Header
	for k, v := range h {
		h[k] = v[:0]
	}
	for {
		line, bad := sc.readLine(&budget)
		if bad != nil {
			return bad
		}
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			return refusal(http.StatusBadRequest, "不支持折叠的请求头", "Folded header lines (obs-fold) are refused")
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(name) == 0 || !validToken(name) {
			return refusal(http.StatusBadRequest, "请求头名称无效", "Invalid header name")
		}
		value = bytes.Trim(value, " \t")
		if !validValue(value) {
			return refusal(http.StatusBadRequest, "请求头的值含有非法字符", "A header value contains invalid characters")
		}
		key, ok := sc.names[string(name)]
		if !ok {
			key = http.CanonicalHeaderKey(string(name))
			if len(sc.names) < 64 {
				sc.names[key] = key
				sc.names[string(name)] = key
			}
		}
		h[key] = append(h[key], string(value))
	}
	for k, v := range h {
		if len(v) == 0 {
			delete(h, k)
		}
	}

	hosts := h["Host"]
	if len(hosts) > 1 || len(hosts) == 0 && r.ProtoMinor == 1 {
		return refusal(http.StatusBadRequest, "缺少 Host 请求头或出现多次", "The Host header is missing or repeated")
	}
	r.Host = ""
	if len(hosts) == 1 {
		r.Host = hosts[0]
	}
	conn := h["Connection"]
	r.Close = httpguts.HeaderValuesContainsToken(conn, "close") || r.ProtoMinor == 0 && !httpguts.HeaderValuesContainsToken(conn, "keep-alive")

	// The body, read whole (the gateway reads it whole anyway).
	te, cl := h["Transfer-Encoding"], h["Content-Length"]
	r.TransferEncoding = nil
	var n int64
	switch {
	case len(te) > 0 && len(cl) > 0:
		return refusal(http.StatusBadRequest, "不能同时使用 Content-Length 和 Transfer-Encoding", "Content-Length and Transfer-Encoding together are refused")
	case len(te) > 0:
		if len(te) != 1 || !strings.EqualFold(te[0], "chunked") || r.ProtoMinor == 0 {
			return refusal(http.StatusNotImplemented, "仅支持 chunked 传输编码", "Only the chunked transfer coding is served")
		}
		n = -1
	case len(cl) > 0:
		for _, v := range cl[1:] {
			if v != cl[0] {
				return refusal(http.StatusBadRequest, "Content-Length 不一致", "Differing Content-Length values")
			}
		}
		var err error
		if n, err = strconv.ParseInt(cl[0], 10, 64); err != nil || strings.Trim(cl[0], "0123456789") != "" { // digits only: no sign
			return refusal(http.StatusBadRequest, "Content-Length 无效", "Invalid Content-Length")
		}
	}
	if n > s.MaxBodyBytes {
		return refusal(http.StatusRequestEntityTooLarge, "请求体过大", "The body is too large")
	}
	r.ContentLength = max(n, 0)
	r.Body = http.NoBody
	if n == 0 {
		return nil
	}
	sc.c.SetReadDeadline(start.Add(s.ReadTimeout))
	if httpguts.HeaderValuesContainsToken(h["Expect"], "100-continue") {
		if _, err := sc.w.bw.WriteString("HTTP/1.1 100 Continue\r\n\r\n"); err != nil || sc.w.bw.Flush() != nil {
			return errMalformed
		}
	}
	var body io.Reader = io.LimitReader(sc.br, n)
	if n < 0 {
		body = io.LimitReader(httputil.NewChunkedReader(sc.br), s.MaxBodyBytes+1)
	}
	buf := bytes.NewBuffer(sc.body[:0])
	if _, err := buf.ReadFrom(body); err != nil {
		return errMalformed
	}
	sc.body = buf.Bytes()
	if int64(len(sc.body)) > s.MaxBodyBytes {
		return refusal(http.StatusRequestEntityTooLarge, "请求体过大", "The body is too large")
	}
	if n > 0 && int64(len(sc.body)) != n {
		return errMalformed // the connection ended inside the body
	}
	if n < 0 {
		// The chunked reader stops after the last chunk's size line:
		// the trailer section (ignored) ends with an empty line.
		for {
			line, bad := sc.readLine(&budget)
			if bad != nil {
				return bad
			}
			if len(line) == 0 {
				break
			}
		}
		r.ContentLength = int64(len(sc.body))
	}
	r.Body = io.NopCloser(bytes.NewReader(sc.body))
	return nil
}

// method returns common methods without allocating.
func method(b []byte) string {
	for _, m := range [...]string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodHead, http.MethodOptions, http.MethodPatch} {
		if string(b) == m {
			return m
		}
	}
	return string(b)
}

// validValue: no control characters but horizontal tab (RFC 9110 §5.5).
func validValue(b []byte) bool {
	for _, c := range b {
		if isCtl(c) {
			return false
		}
	}
	return true
}

// isCtl reports a control character other than horizontal tab: never in a
// header value, read or written.
func isCtl(c byte) bool { return c < ' ' && c != '\t' || c == 0x7f }

func validToken(b []byte) bool {
	for _, c := range b {
		if !httpguts.IsTokenRune(rune(c)) {
			return false
		}
	}
	return true
}
