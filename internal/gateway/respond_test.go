package gateway

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	xt "github.com/xietong/xietong/sdk/go"
)

func TestHeaderKeysAreCanonical(t *testing.T) {
	for k, want := range map[string]string{"X-XT-Call-Id": hCallID, xt.HeaderEncryption: hEncryption, xt.HeaderContentType: hXTContentType,
		"Content-Type": hContentType, "Cache-Control": hCacheControl, "X-Content-Type-Options": hNoSniff, xt.HeaderSignatureMethod: hSignatureMethod,
		xt.HeaderPlatformKeyID: hPlatformKeyID, xt.HeaderTimestamp: hTimestamp, xt.HeaderNonce: hNonce, xt.HeaderRequestNonce: hRequestNonce,
		xt.HeaderSignature: hSignature, xt.HeaderKeyID: hKeyID, "X-XT-Consumer": "X-Xt-Consumer", "X-Request-Id": "X-Request-Id", "Accept": "Accept"} {
		if got := http.CanonicalHeaderKey(k); got != want {
			t.Errorf("%s: canonical %s, used %s", k, got, want)
		}
	}
}

// The response string and the HMAC are byte for byte the SDK's.
func TestResponseStringMatchesSDK(t *testing.T) {
	sg := signers.Get().(*signer)
	var ms macs
	k := &Key{ID: "ak", Secret: "secret-secret-secret-secret-secret-secret-s"}
	long := &Key{ID: "ak2", Secret: strings.Repeat("long secret ", 10)} // longer than a block: hashed first
	for _, c := range []struct {
		status              int
		reqNonce, ts, nonce string
		enc                 string
		body                []byte
	}{
		{200, "nonce-nonce-nonce-01", "1700000000", "abcdefghijklmnopqrstuv", "", []byte(`{"a":1}`)},
		{401, "", "1", "n", "SM4-GCM;dk_1", nil},
		{0, "x", "2", "m", "", []byte{}},
		{-5, "x", "2", "m", "", bytes.Repeat([]byte("z"), 5000)},
		{499, "r", "9999999999", "q", "SM4-CBC;dk", []byte("\x00\xff")},
	} {
		want := xt.Response{Status: c.status, RequestNonce: c.reqNonce, Timestamp: c.ts, Nonce: c.nonce, Encryption: c.enc, Body: c.body}.StringToSign()
		for i := 0; i < 3; i++ { // reused state gives the same answer
			got := sg.responseString(c.status, c.reqNonce, []byte(c.ts), []byte(c.nonce), c.enc, c.body)
			if string(got) != want {
				t.Fatalf("got\n%q\nwant\n%q", got, want)
			}
			for _, key := range []*Key{k, long} {
				if mac := ms.sign(key, got, nil); !bytes.Equal(mac, xt.HMACSign(key.Secret, want)) {
					t.Fatalf("HMAC differs for %q", want)
				}
			}
		}
	}
	signers.Put(sg)
	if emptyBodyHash != xt.BodyHash(nil) {
		t.Fatal("empty body hash")
	}
}

func TestTokenAndReadBody(t *testing.T) {
	for _, n := range []int{12, 16} {
		tok := string(appendToken(nil, n))
		b, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(b) != n || tok == string(appendToken(nil, n)) {
			t.Fatalf("appendToken(%d) = %q", n, tok)
		}
	}
	src := bytes.Repeat([]byte("0123456789"), 1000)
	for _, c := range []struct {
		size  int64
		limit int
		want  int
	}{{-1, 1 << 20, 10000}, {10000, 1 << 20, 10000}, {5, 1 << 20, 10000}, {-1, 4096, 4096}, {10000, 4096, 4096}, {0, 1 << 20, 10000}} {
		got, err := readBody(nil, iotestHalf{bytes.NewReader(src)}, c.size, c.limit)
		if err != nil || !bytes.Equal(got, src[:c.want]) {
			t.Fatalf("%+v: %d bytes, %v", c, len(got), err)
		}
		got, err = readBody(make([]byte, 0, 7), bytes.NewReader(src), c.size, c.limit)
		if err != nil || !bytes.Equal(got, src[:c.want]) {
			t.Fatalf("%+v: %d bytes, %v", c, len(got), err)
		}
	}
}

// iotestHalf reads at most 1000 bytes at a time.
type iotestHalf struct{ r io.Reader }

func (h iotestHalf) Read(p []byte) (int, error) { return h.r.Read(p[:min(len(p), 1000)]) }

// TestConcurrentCalls: calls in parallel each get their own body and a
// signature over it (pooled buffers and HMAC states never shared).
func TestConcurrentCalls(t *testing.T) {
	g := benchGateway(t)
	const workers, each = 8, 100
	reqs := signedRequests(workers * each)
	errs := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func(rs []*http.Request) {
			for _, r := range rs {
				rec := httptest.NewRecorder()
				g.ServeHTTP(rec, r)
				h := rec.Header()
				msg := xt.Response{Status: rec.Code, RequestNonce: r.Header.Get(xt.HeaderNonce), Timestamp: h.Get(xt.HeaderTimestamp),
					Nonce: h.Get(xt.HeaderNonce), Body: rec.Body.Bytes()}.StringToSign()
				sig, _ := base64.StdEncoding.DecodeString(h.Get(xt.HeaderSignature))
				if rec.Code != 200 || !bytes.Contains(rec.Body.Bytes(), []byte(`"phone":"138****1234"`)) ||
					!bytes.Equal(sig, xt.HMACSign("secret-secret-secret-secret-secret-secret-s", msg)) {
					errs <- fmt.Errorf("%d %s %v", rec.Code, rec.Body, h)
					return
				}
			}
			errs <- nil
		}(reqs[w*each : (w+1)*each])
	}
	for w := 0; w < workers; w++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

func TestRuneCount(t *testing.T) {
	for _, s := range []string{"", "abc", "江苏省南通市崇川区青年中路1号江苏省南通市崇川区青年中路1号", "a\xff\xfe中\xe4\xb8", "\xe4\xb8\xad\xe6"} {
		if got, want := runeCount([]byte(s)), len([]rune(s)); got != want {
			t.Errorf("%q: %d, want %d", s, got, want)
		}
	}
	s := []byte("江苏省南通市崇川区青年中路1号")
	b := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(100, func() { b = appendMaskJSON(b[:0], "address", s) }); n != 0 {
		t.Errorf("appendMaskJSON allocates %v times", n)
	}
}
