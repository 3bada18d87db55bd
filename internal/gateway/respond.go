package gateway

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"strconv"
	"sync"

	"github.com/emmansun/gmsm/sm3"
)

// What every answer costs besides its signature, done without the
// allocations of the general-purpose helpers: header keys in canonical
// form assigned directly, one backing array for the header values, one
// string for the generated ones, pooled SM3 and HMAC-SM3 states and
// pooled body buffers.

// Canonical forms of the headers an answer carries (http.CanonicalHeaderKey
// of the xt.Header* names).
const (
	hCallID          = "X-Xt-Call-Id"
	hEncryption      = "X-Xt-Encryption"
	hXTContentType   = "X-Xt-Content-Type"
	hContentType     = "Content-Type"
	hCacheControl    = "Cache-Control"
	hNoSniff         = "X-Content-Type-Options"
	hSignatureMethod = "X-Xt-Signature-Method"
	hPlatformKeyID   = "X-Xt-Platform-Key-Id"
	hTimestamp       = "X-Xt-Timestamp"
	hNonce           = "X-Xt-Nonce"
	hRequestNonce    = "X-Xt-Request-Nonce"
	hSignature       = "X-Xt-Signature"
	hKeyID           = "X-Xt-Key-Id"
)

// headerValues hands out one-element value slices from one backing array,
// so an answer's headers cost one allocation instead of one each.
type headerValues struct {
	h    http.Header
	vals []string
}

func (hv *headerValues) set(k, v string) {
	if len(hv.vals) == cap(hv.vals) {
		hv.vals = make([]string, 0, 4)
	}
	hv.vals = append(hv.vals, v)
	n := len(hv.vals)
	hv.h[k] = hv.vals[n-1 : n : n]
}

// appendToken appends n random bytes as URL-safe base64 without padding:
// gm.Token's format.
func appendToken(b []byte, n int) []byte {
	var r [32]byte
	if _, err := rand.Read(r[:n]); err != nil {
		panic("gateway: no randomness: " + err.Error()) // crypto/rand never fails on Linux
	}
	return base64.RawURLEncoding.AppendEncode(b, r[:n])
}

// signer builds the XT1-RESPONSE string to sign (xt.Response.StringToSign)
// in a reused buffer, with a reused SM3 state for the body hash.
type signer struct {
	sm3 hash.Hash
	msg []byte
	sum [sm3.Size]byte
	mac [sm3.Size]byte
}

var signers = sync.Pool{New: func() any { return &signer{sm3: sm3.New(), msg: make([]byte, 0, 256)} }}

// emptyBodyHash is SM3 of nothing (xt.BodyHash of an empty body).
const emptyBodyHash = "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"

// responseString is xt.Response{…}.StringToSign() in s.msg.
func (s *signer) responseString(status int, requestNonce string, ts, nonce []byte, enc string, body []byte) []byte {
	m := append(s.msg[:0], "XT1-RESPONSE\n"...)
	if status <= 0 {
		m = append(m, '0')
	} else {
		m = strconv.AppendInt(m, int64(status), 10)
	}
	m = append(m, '\n')
	m = append(m, requestNonce...)
	m = append(m, '\n')
	m = append(m, ts...)
	m = append(m, '\n')
	m = append(m, nonce...)
	m = append(m, '\n')
	m = append(m, enc...)
	m = append(m, '\n')
	if len(body) == 0 {
		m = append(m, emptyBodyHash...)
	} else {
		s.sm3.Reset()
		s.sm3.Write(body)
		m = hex.AppendEncode(m, s.sm3.Sum(s.sum[:0]))
	}
	m = append(m, '\n')
	s.msg = m
	return m
}

// macs holds, per HMAC key, a pool of HMAC-SM3 states keyed with its
// secret: after the first use a state restarts from its precomputed inner
// and outer pads (crypto/hmac saves them on Reset), saving two SM3 blocks
// and five allocations per signature. Emptied when the snapshot changes.
type macs struct{ m sync.Map } // *Key → *sync.Pool of hash.Hash

func (ms *macs) sign(k *Key, msg []byte, out []byte) []byte {
	p, ok := ms.m.Load(k)
	if !ok {
		secret := []byte(k.Secret)
		p, _ = ms.m.LoadOrStore(k, &sync.Pool{New: func() any { return hmac.New(sm3.New, secret) }})
	}
	pool := p.(*sync.Pool)
	h := pool.Get().(hash.Hash)
	h.Reset()
	h.Write(msg)
	out = h.Sum(out)
	pool.Put(h)
	return out
}

// Body buffers: the upstream's answer and the shaped answer of a call,
// reused once the answer is written (a ResponseWriter does not keep what
// it is given). Very large ones are left to the GC.
var bodies = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

const maxPooledBody = 1 << 20

func getBody() *[]byte { return bodies.Get().(*[]byte) }

func putBody(b *[]byte) {
	if b == nil || cap(*b) > maxPooledBody {
		return
	}
	*b = (*b)[:0]
	bodies.Put(b)
}

// readBody reads r to its end, at most limit bytes (like io.ReadAll of an
// io.LimitReader), into b; size, when known, is the expected length.
func readBody(b []byte, r io.Reader, size int64, limit int) ([]byte, error) {
	if cap(b) == 0 && size <= 0 {
		b = make([]byte, 0, 512)
	}
	if size > 0 && size < int64(limit) && int(size)+1 > cap(b)-len(b) {
		nb := make([]byte, len(b), len(b)+int(size)+1)
		copy(nb, b)
		b = nb
	}
	for len(b) < limit {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		end := min(cap(b), limit)
		n, err := r.Read(b[len(b):end])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
	return b, nil
}
