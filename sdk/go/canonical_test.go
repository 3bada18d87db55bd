package xietong

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"testing"

	"github.com/emmansun/gmsm/sm2"
)

func TestCanonicalQuery(t *testing.T) {
	cases := map[string]string{
		"":                         "",
		"b=2&a=1":                  "a=1&b=2",
		"a=2&a=1&&":                "a=1&a=2",
		"name=%E5%BC%A0+%E4%B8%89": "name=%E5%BC%A0%20%E4%B8%89",
		"x=a%2fb&flag":             "flag=&x=a%2Fb",
		"k=~-._":                   "k=~-._",
		"q=1%2B1%3D2":              "q=1%2B1%3D2",
		"z=%7e":                    "z=~",
	}
	for in, want := range cases {
		got, err := CanonicalQuery(in)
		if err != nil || got != want {
			t.Errorf("%q: got %q %v, want %q", in, got, err, want)
		}
	}
	if _, err := CanonicalQuery("a=%zz"); err == nil {
		t.Error("bad escape accepted")
	}
}

func TestEmptyBodyHash(t *testing.T) {
	if BodyHash(nil) != "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b" {
		t.Fatal(BodyHash(nil))
	}
}

// TestHMACExample pins the worked example of docs/gateway-protocol.md §5.
func TestHMACExample(t *testing.T) {
	r := Request{Method: "GET", Path: "/gw/person/v1/info", RawQuery: "aac002=11010519491231002X&fields=name,phone",
		KeyID: "ak_exampleexampleexam", Timestamp: "1763884800", Nonce: "n0nce-2026-11-23-0001"}
	s, err := r.StringToSign()
	if err != nil {
		t.Fatal(err)
	}
	want := "XT1-REQUEST\nGET\n/gw/person/v1/info\naac002=11010519491231002X&fields=name%2Cphone\nak_exampleexampleexam\n1763884800\nn0nce-2026-11-23-0001\n\n1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b\n"
	if s != want {
		t.Fatalf("string to sign:\n%q\nwant\n%q", s, want)
	}
	// Computed independently: openssl dgst -sm3 -mac HMAC -macopt key:S3cr3t-… tosign.txt
	sig := hex.EncodeToString(HMACSign("S3cr3t-example-secret-of-43-characters-xyz0", s))
	if sig != "ada535ca8a8bd2b595a22864e1613d6da8e38aad90c8b2c51edf62d1d2d87021" {
		t.Fatalf("HMAC-SM3 = %s", sig)
	}
}

func TestSealOpen(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 16)
	for _, mode := range []string{ModeGCM, ModeCBC} {
		for _, n := range []int{0, 5, 16, 100} {
			pt := bytes.Repeat([]byte("x"), n)
			s, err := Seal(mode, key, pt, []byte("aad"))
			if err != nil {
				t.Fatal(err)
			}
			got, err := Open(mode, key, s, []byte("aad"))
			if err != nil || !bytes.Equal(got, pt) {
				t.Fatalf("%s %d: %v", mode, n, err)
			}
		}
	}
	if _, _, err := ParseEncryption("SM4-ECB;dk_x"); err == nil {
		t.Fatal("ECB accepted")
	}
}

func FuzzCanonicalQuery(f *testing.F) {
	for _, s := range []string{"", "a=1&b=2", "name=%E5%BC%A0+x", "a=%zz", "&&=&", "x=%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := CanonicalQuery(raw)
		if err != nil {
			return
		}
		// Canonical form is a fixed point: canonicalising it again changes nothing.
		again, err := CanonicalQuery(c)
		if err != nil || again != c {
			t.Fatalf("not idempotent: %q → %q → %q (%v)", raw, c, again, err)
		}
	})
}

// FuzzOpen feeds arbitrary sealed data and encryption headers to the
// decoders: they must fail cleanly, never panic.
func FuzzOpen(f *testing.F) {
	key := bytes.Repeat([]byte{1}, 16)
	sealed, _ := Seal(ModeGCM, key, []byte("hello"), []byte("aad"))
	f.Add("SM4-GCM;dk_x", bytes.Clone(sealed))
	f.Add("SM4-CBC;dk_y", bytes.Repeat([]byte{2}, 32))
	f.Add("SM4-XYZ", []byte{})
	f.Fuzz(func(t *testing.T, header string, data []byte) {
		mode, _, err := ParseEncryption(header)
		if err != nil {
			return
		}
		if _, err := Open(mode, key, data, []byte("aad")); err == nil && mode == ModeGCM {
			// Whatever opens must stop opening when any byte changes.
			for i := range data {
				d := bytes.Clone(data)
				d[i] ^= 0x01
				if _, err := Open(mode, key, d, []byte("aad")); err == nil {
					t.Fatalf("GCM data still opens with byte %d changed", i)
				}
			}
		}
	})
}

// FuzzOpenEnvelope feeds arbitrary text to the envelope decoder.
func FuzzOpenEnvelope(f *testing.F) {
	priv, _ := sm2.GenerateKey(rand.Reader)
	ct, _ := sm2.EncryptASN1(rand.Reader, &priv.PublicKey, bytes.Repeat([]byte{3}, 16))
	f.Add(base64.StdEncoding.EncodeToString(ct))
	f.Add("MAA=")
	f.Add("%%%")
	f.Fuzz(func(t *testing.T, b64 string) {
		if key, err := OpenEnvelope(priv, b64); err == nil && len(key) != 16 {
			t.Fatalf("envelope gave %d bytes", len(key))
		}
	})
}
