// Package xietong is the Go client of the xietong gateway protocol XT1
// (docs/gateway-protocol.md): it signs requests with HMAC-SM3 or SM2-SM3,
// encrypts parameters and bodies with SM4, and verifies and decrypts
// responses. The gateway uses the same canonicalisation code.
package xietong

import (
	"encoding/hex"
	"errors"
	"net/url"
	"sort"
	"strings"

	"github.com/emmansun/gmsm/sm3"
)

// Headers of the protocol.
const (
	HeaderKeyID           = "X-XT-Key-Id"
	HeaderTimestamp       = "X-XT-Timestamp"
	HeaderNonce           = "X-XT-Nonce"
	HeaderEncryption      = "X-XT-Encryption"
	HeaderContentType     = "X-XT-Content-Type"
	HeaderSignature       = "X-XT-Signature"
	HeaderSignatureMethod = "X-XT-Signature-Method"
	HeaderRequestNonce    = "X-XT-Request-Nonce"
	HeaderPlatformKeyID   = "X-XT-Platform-Key-Id"
)

// Signature methods.
const (
	MethodHMAC = "HMAC-SM3"
	MethodSM2  = "SM2-SM3"
)

// SignerID is the SM2 signer ID used in ZA on both sides.
const SignerID = "1234567812345678"

// EncryptedQueryParam carries the sealed query string.
const EncryptedQueryParam = "xt_q"

// emptyBodyHash is SM3 of nothing, the hash of every GET.
const emptyBodyHash = "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"

// BodyHash is the lower-case hex SM3 of the body as sent.
func BodyHash(body []byte) string {
	if len(body) == 0 {
		return emptyBodyHash
	}
	sum := sm3.Sum(body)
	return hex.EncodeToString(sum[:])
}

// ErrBadQuery is returned for a query that cannot be percent-decoded.
var ErrBadQuery = errors.New("xietong: malformed query string")

// CanonicalQuery sorts and re-encodes a raw query string as §2.2 says.
func CanonicalQuery(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	type pair struct{ k, v string }
	var pairs []pair
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		dk, err := url.QueryUnescape(k)
		if err != nil {
			return "", ErrBadQuery
		}
		dv, err := url.QueryUnescape(v)
		if err != nil {
			return "", ErrBadQuery
		}
		pairs = append(pairs, pair{encode(dk), encode(dv)})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.k)
		b.WriteByte('=')
		b.WriteString(p.v)
	}
	return b.String(), nil
}

// encode percent-encodes every byte outside the RFC 3986 unreserved set,
// with upper-case hex.
func encode(s string) string {
	const hexd = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexd[c>>4])
		b.WriteByte(hexd[c&15])
	}
	return b.String()
}

// Request is what the request signature covers.
type Request struct {
	Method, Path, RawQuery, KeyID, Timestamp, Nonce, Encryption string
	Body                                                        []byte
}

// StringToSign builds the XT1-REQUEST string of §2.2.
func (r Request) StringToSign() (string, error) {
	q, err := CanonicalQuery(r.RawQuery)
	if err != nil {
		return "", err
	}
	return "XT1-REQUEST\n" + r.Method + "\n" + r.Path + "\n" + q + "\n" + r.KeyID + "\n" +
		r.Timestamp + "\n" + r.Nonce + "\n" + r.Encryption + "\n" + BodyHash(r.Body) + "\n", nil
}

// Response is what the response signature covers.
type Response struct {
	Status                                     int
	RequestNonce, Timestamp, Nonce, Encryption string
	Body                                       []byte
}

// StringToSign builds the XT1-RESPONSE string of §3.
func (r Response) StringToSign() string {
	return "XT1-RESPONSE\n" + itoa(r.Status) + "\n" + r.RequestNonce + "\n" + r.Timestamp + "\n" + r.Nonce + "\n" +
		r.Encryption + "\n" + BodyHash(r.Body) + "\n"
}

func itoa(n int) string {
	if n <= 0 {
		return "0"
	}
	var b [12]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// RequestAAD is the GCM additional data of a request's sealed parts.
func RequestAAD(keyID, timestamp, nonce string) []byte {
	return []byte(keyID + "\n" + timestamp + "\n" + nonce)
}

// ResponseAAD is the GCM additional data of a response body.
func ResponseAAD(keyID, requestNonce string) []byte {
	return []byte(keyID + "\n" + requestNonce + "\nRESPONSE")
}
