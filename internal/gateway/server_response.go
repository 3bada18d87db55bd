package gateway

// Writing an answer for Server.

import (
	"bufio"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// respWriter is the http.ResponseWriter of one call, reused on its
// connection. The body is buffered up to bufferedBody; beyond, the answer
// is sent chunked as it is written.
type respWriter struct {
	hdr         http.Header
	conn        net.Conn
	br          *bufio.Reader // the connection's
	bw          *bufio.Writer // the connection's
	status      int
	wroteHeader bool
	head        bool // a HEAD request: no body goes out
	closing     bool // the connection ends after this answer
	noChunks    bool // an HTTP/1.0 caller: the body is never sent chunked
	streamed    bool // the header is out; the body goes chunked
	body        []byte
}

// bufferedBody is the largest answer sent with a Content-Length.
const bufferedBody = 1 << 20

var _ http.ResponseWriter = (*respWriter)(nil)

func (w *respWriter) reset(head, closing, noChunks bool) {
	clear(w.hdr)
	w.status, w.wroteHeader, w.head, w.closing, w.noChunks, w.streamed = 0, false, head, closing, noChunks, false
	if cap(w.body) > 64<<10 {
		w.body = nil
	}
	w.body = w.body[:0]
}

func (w *respWriter) Header() http.Header { return w.hdr }

// CallerGone reports whether the caller has hung up (see callerGone).
func (w *respWriter) CallerGone() bool { return w.br.Buffered() == 0 && peerGone(w.conn) }

func (w *respWriter) WriteHeader(code int) {
	if w.wroteHeader || code < 200 {
		return // 1xx interim answers are not sent by the gateway
	}
	w.status, w.wroteHeader = code, true
}

func (w *respWriter) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.head {
		return len(p), nil
	}
	if !w.streamed && !w.noChunks && len(w.body)+len(p) > bufferedBody {
		// Too large to hold: the header now, the body chunked.
		writeHead(w.bw, w, -1)
		w.streamed = true
		if err := writeChunk(w.bw, w.body); err != nil {
			return 0, err
		}
		w.body = w.body[:0]
	}
	if w.streamed {
		return len(p), writeChunk(w.bw, p)
	}
	w.body = append(w.body, p...)
	return len(p), nil
}

// finish sends the answer (or its end, when streamed).
func (w *respWriter) finish() error {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.streamed {
		w.bw.WriteString("0\r\n\r\n")
		return w.bw.Flush()
	}
	writeHead(w.bw, w, len(w.body))
	if !w.bodiless() {
		w.bw.Write(w.body)
	}
	return w.bw.Flush()
}

// bodiless: answers that carry neither a body nor its length.
func (w *respWriter) bodiless() bool {
	return w.status == http.StatusNoContent || w.status == http.StatusNotModified
}

func writeChunk(bw *bufio.Writer, p []byte) error {
	if len(p) == 0 {
		return nil
	}
	var b [20]byte
	bw.Write(strconv.AppendInt(b[:0], int64(len(p)), 16))
	bw.WriteString("\r\n")
	bw.Write(p)
	_, err := bw.WriteString("\r\n")
	return err
}

// writeHead writes the status line and header; length < 0: chunked.
func writeHead(bw *bufio.Writer, w *respWriter, length int) {
	var num [20]byte
	bw.WriteString("HTTP/1.1 ")
	bw.Write(strconv.AppendInt(num[:0], int64(w.status), 10))
	bw.WriteByte(' ')
	bw.WriteString(http.StatusText(w.status))
	bw.WriteString("\r\nDate: ")
	bw.Write(httpDate())
	for k, vs := range w.hdr {
		switch k {
		case "Content-Length", "Transfer-Encoding", "Connection", "Date":
			continue // this server's to set
		}
		for _, v := range vs {
			bw.WriteString(k)
			bw.WriteString(": ")
			writeValue(bw, v)
			bw.WriteString("\r\n")
		}
	}
	switch {
	case w.bodiless():
	case length >= 0 && !(w.head && length == 0):
		bw.WriteString("Content-Length: ")
		bw.Write(strconv.AppendInt(num[:0], int64(length), 10))
		bw.WriteString("\r\n")
	case length < 0:
		bw.WriteString("Transfer-Encoding: chunked\r\n")
	}
	if w.closing {
		bw.WriteString("Connection: close\r\n")
	}
	bw.WriteString("\r\n")
}

// writeValue writes a header value with any control character but tab
// as a space, so that no value can end the header line early (net/http
// does the same).
func writeValue(bw *bufio.Writer, v string) {
	for i := 0; i < len(v); i++ {
		if isCtl(v[i]) {
			b := []byte(v)
			for j := i; j < len(b); j++ {
				if isCtl(b[j]) {
					b[j] = ' '
				}
			}
			bw.Write(b)
			return
		}
	}
	bw.WriteString(v)
}

// httpDate is the current second in HTTP's date format with its line
// end, made once a second.
func httpDate() []byte {
	now := time.Now().Unix()
	if d := dateCache.Load(); d != nil && d.unix == now {
		return d.text
	}
	d := &cachedDate{unix: now, text: append(time.Unix(now, 0).UTC().AppendFormat(nil, http.TimeFormat), '\r', '\n')}
	dateCache.Store(d)
	return d.text
}

type cachedDate struct {
	unix int64
	text []byte
}

var dateCache atomic.Pointer[cachedDate]
