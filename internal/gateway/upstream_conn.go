package gateway

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// upConn is a connection to an upstream with its buffers, which live as
// long as it does: a reused connection costs no allocation.
type upConn struct {
	w      wire
	raw    net.Conn // the TCP connection under TLS: what alive peeks at
	br     *bufio.Reader
	bw     *bufio.Writer
	expire func() // moves the deadline to the past: a caller went away
	idleAt time.Time
	reused bool // taken from the pool, not dialled for this call
}

func newUpConn(conn, raw net.Conn) *upConn {
	uc := &upConn{w: wire{conn: conn, limit: -1}, raw: raw}
	uc.br = bufio.NewReaderSize(&uc.w, 4096)
	uc.bw = bufio.NewWriterSize(&uc.w, 4096)
	uc.expire = func() { conn.SetDeadline(time.Unix(1, 0)) }
	return uc
}

func (uc *upConn) close() { uc.w.conn.Close() }

// wire is the connection as the buffers see it. It counts the bytes of
// the current attempt each way (a request of which no byte left may go
// again, whatever its method; an answer of which no byte came marks a
// connection the upstream had closed), and bounds the response header
// (limit ≥ 0: bytes left for it; -1 while reading a body).
type wire struct {
	conn          net.Conn
	read, written int64
	limit         int64
}

var (
	_ io.Reader = (*wire)(nil)
	_ io.Writer = (*wire)(nil)
)

func (w *wire) Read(p []byte) (int, error) {
	if w.limit == 0 {
		return 0, errHeaderTooLarge
	}
	if w.limit > 0 && int64(len(p)) > w.limit {
		p = p[:w.limit]
	}
	n, err := w.conn.Read(p)
	w.read += int64(n)
	if w.limit > 0 {
		w.limit -= int64(n)
	}
	return n, err
}

func (w *wire) Write(p []byte) (int, error) {
	n, err := w.conn.Write(p)
	w.written += int64(n)
	return n, err
}

// writeRequest writes the request line, the headers net/http's Transport
// sent for the gateway's requests, and the body, with one write for all
// but large bodies. r has passed checkRequest.
func (uc *upConn) writeRequest(r *upstreamRequest, path, host string, gzip bool) error {
	bw := uc.bw
	bw.WriteString(r.method)
	bw.WriteByte(' ')
	bw.WriteString(path)
	if r.query != "" {
		bw.WriteByte('?')
		bw.WriteString(r.query)
	}
	bw.WriteString(" HTTP/1.1\r\nHost: ")
	bw.WriteString(host)
	bw.WriteString("\r\nUser-Agent: Go-http-client/1.1\r\n")
	// net/http sends a length for any body, and a zero one for the
	// methods that are expected to have one.
	if len(r.body) > 0 || r.method == http.MethodPost || r.method == http.MethodPut || r.method == http.MethodPatch {
		bw.WriteString("Content-Length: ")
		bw.Write(strconv.AppendInt(bw.AvailableBuffer(), int64(len(r.body)), 10))
		bw.WriteString("\r\n")
	}
	bw.WriteString("Accept: application/json\r\n")
	if len(r.body) > 0 {
		bw.WriteString("Content-Type: ")
		bw.WriteString(r.bodyType)
		bw.WriteString("\r\n")
	}
	bw.WriteString("X-Request-Id: ")
	bw.WriteString(r.requestID)
	bw.WriteString("\r\nX-Xt-Consumer: ")
	bw.WriteString(r.consumer)
	if gzip {
		bw.WriteString("\r\nAccept-Encoding: gzip")
	}
	bw.WriteString("\r\n\r\n")
	bw.Write(r.body)
	return bw.Flush()
}

// checkRequest refuses control characters in the target or a header
// value, as net/http does: they could split the request.
func checkRequest(r *upstreamRequest, path string) error {
	if hasCTL(path, false) || hasCTL(r.query, false) || hasCTL(r.consumer, true) || hasCTL(r.requestID, true) || hasCTL(r.bodyType, true) {
		return errBadRequestLine
	}
	return nil
}

// requestPath is the request target without the query, as url.URL's
// RequestURI gives it.
func requestPath(r *upstreamRequest) string {
	u := r.url
	if u.Opaque != "" {
		if len(u.Opaque) > 1 && u.Opaque[0] == '/' && u.Opaque[1] == '/' {
			return u.Scheme + ":" + u.Opaque
		}
		return u.Opaque
	}
	if p := u.EscapedPath(); p != "" {
		return p
	}
	return "/"
}

// hasCTL reports an ASCII control character (a tab is allowed in header
// values, as httpguts.ValidHeaderFieldValue allows it).
func hasCTL(s string, header bool) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < ' ' && !(header && b == '\t') || b == 0x7f {
			return true
		}
	}
	return false
}

// readHead reads the status line and header of the answer, skipping
// informational (1xx) answers as net/http's Transport does; the body is
// left in res.Body, which reads from the connection's buffer without
// goroutines.
func (uc *upConn) readHead(method string, maxHeader int64) (*http.Response, error) {
	var req *http.Request // ReadResponse takes nil for a GET
	if method == http.MethodHead {
		req = &http.Request{Method: method}
	}
	uc.w.limit = maxHeader
	defer func() { uc.w.limit = -1 }()
	for {
		res, err := http.ReadResponse(uc.br, req)
		if err != nil {
			return nil, err
		}
		if res.StatusCode >= 200 || res.StatusCode == http.StatusSwitchingProtocols {
			return res, nil
		}
		uc.w.limit = maxHeader
	}
}
