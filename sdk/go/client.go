package xietong

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/emmansun/gmsm/sm2"
)

// Client calls the gateway. Set KeyID and one of HMACSecret or SM2Key;
// set DataKeyID, DataKey and Mode to encrypt; set PlatformKey to verify
// SM2-signed responses.
type Client struct {
	BaseURL     string
	KeyID       string
	HMACSecret  string
	SM2Key      *sm2.PrivateKey
	DataKeyID   string
	DataKey     []byte
	Mode        string // ModeGCM (default when DataKey is set) or ModeCBC
	PlatformKey *ecdsa.PublicKey
	HTTP        *http.Client
	// Now and Nonce may be replaced in tests.
	Now   func() time.Time
	Nonce func() string
}

// Result is a verified, decrypted response.
type Result struct {
	Status int
	Header http.Header
	Body   []byte
}

// ErrBadResponseSignature means the response was not signed by the gateway.
var ErrBadResponseSignature = errors.New("xietong: response signature does not verify")

func randomNonce() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Do sends method path?query with body, signed and (with a data key)
// encrypted, and returns the verified and decrypted response.
func (c *Client) Do(ctx context.Context, method, path string, query url.Values, body []byte) (*Result, error) {
	now, nonceFn := c.Now, c.Nonce
	if now == nil {
		now = time.Now
	}
	if nonceFn == nil {
		nonceFn = randomNonce
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	nonce := nonceFn()
	rawQuery := query.Encode()
	encryption := ""
	mode := c.Mode
	if c.DataKey != nil {
		if mode == "" {
			mode = ModeGCM
		}
		encryption = mode + ";" + c.DataKeyID
		aad := RequestAAD(c.KeyID, ts, nonce)
		if rawQuery != "" {
			sealed, err := Seal(mode, c.DataKey, []byte(rawQuery), aad)
			if err != nil {
				return nil, err
			}
			rawQuery = EncryptedQueryParam + "=" + base64.RawURLEncoding.EncodeToString(sealed)
		}
		if len(body) > 0 {
			sealed, err := Seal(mode, c.DataKey, body, aad)
			if err != nil {
				return nil, err
			}
			body = []byte(base64.StdEncoding.EncodeToString(sealed))
		}
	}
	target := c.BaseURL + path
	if rawQuery != "" {
		target += "?" + rawQuery
	}
	req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	toSign, err := Request{Method: method, Path: req.URL.EscapedPath(), RawQuery: rawQuery, KeyID: c.KeyID,
		Timestamp: ts, Nonce: nonce, Encryption: encryption, Body: body}.StringToSign()
	if err != nil {
		return nil, err
	}
	var sig []byte
	switch {
	case c.SM2Key != nil:
		if sig, err = SM2Sign(c.SM2Key, toSign); err != nil {
			return nil, err
		}
	case c.HMACSecret != "":
		sig = HMACSign(c.HMACSecret, toSign)
	default:
		return nil, errors.New("xietong: set HMACSecret or SM2Key")
	}
	req.Header.Set(HeaderKeyID, c.KeyID)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderNonce, nonce)
	req.Header.Set(HeaderSignature, base64.StdEncoding.EncodeToString(sig))
	if encryption != "" {
		req.Header.Set(HeaderEncryption, encryption)
		if len(body) > 0 {
			req.Header.Set("Content-Type", "text/plain")
			req.Header.Set(HeaderContentType, "application/json")
		}
	} else if len(body) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if err := c.verify(res, nonce, raw); err != nil {
		return &Result{Status: res.StatusCode, Header: res.Header, Body: raw}, err
	}
	out := &Result{Status: res.StatusCode, Header: res.Header, Body: raw}
	if enc := res.Header.Get(HeaderEncryption); enc != "" {
		m, _, err := ParseEncryption(enc)
		if err != nil {
			return out, err
		}
		sealed, err := base64.StdEncoding.DecodeString(string(raw))
		if err != nil {
			return out, ErrDecrypt
		}
		if out.Body, err = Open(m, c.DataKey, sealed, ResponseAAD(c.KeyID, nonce)); err != nil {
			return out, err
		}
	}
	return out, nil
}

func (c *Client) verify(res *http.Response, requestNonce string, body []byte) error {
	sigB64 := res.Header.Get(HeaderSignature)
	if sigB64 == "" {
		return fmt.Errorf("%w: unsigned %d response", ErrBadResponseSignature, res.StatusCode)
	}
	sig, err := base64.StdEncoding.DecodeString(sigB64)
	if err != nil {
		return ErrBadResponseSignature
	}
	if res.Header.Get(HeaderRequestNonce) != requestNonce {
		return fmt.Errorf("%w: answers another request", ErrBadResponseSignature)
	}
	msg := Response{Status: res.StatusCode, RequestNonce: requestNonce, Timestamp: res.Header.Get(HeaderTimestamp),
		Nonce: res.Header.Get(HeaderNonce), Encryption: res.Header.Get(HeaderEncryption), Body: body}.StringToSign()
	switch res.Header.Get(HeaderSignatureMethod) {
	case MethodHMAC:
		if c.HMACSecret == "" || !hmac.Equal(sig, HMACSign(c.HMACSecret, msg)) {
			return ErrBadResponseSignature
		}
	case MethodSM2:
		if c.PlatformKey == nil || !SM2Verify(c.PlatformKey, msg, sig) {
			return ErrBadResponseSignature
		}
	default:
		return ErrBadResponseSignature
	}
	return nil
}
