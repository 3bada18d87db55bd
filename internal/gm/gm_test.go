package gm

import (
	"encoding/hex"
	"strings"
	"testing"
)

func TestSM3Vectors(t *testing.T) {
	// GB/T 32905 test vectors (DOMAIN.md).
	cases := map[string]string{
		"abc":                      "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
		strings.Repeat("abcd", 16): "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
	}
	for in, want := range cases {
		if got := SM3Hex([]byte(in)); got != want {
			t.Errorf("SM3(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestHMACSM3KnownAnswer(t *testing.T) {
	// Computed independently with OpenSSL 3.0:
	// printf 'The quick brown fox jumps over the lazy dog' | openssl dgst -sm3 -mac HMAC -macopt key:key
	const want = "bd4a34077888162b210645b8ebf74b9af357303789357a27c7fc457244ebd398"
	got := hex.EncodeToString(HMACSM3([]byte("key"), []byte("The quick brown fox jumps over the lazy dog")))
	if got != want {
		t.Fatalf("HMAC-SM3 = %s, want %s", got, want)
	}
}

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := HashPassword("Correct-Horse-9", 2000)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "pbkdf2-sm3$2000$") {
		t.Fatalf("unexpected encoding %q", h)
	}
	if ok, err := CheckPassword(h, "Correct-Horse-9"); !ok || err != nil {
		t.Fatalf("right password rejected: %v %v", ok, err)
	}
	if ok, _ := CheckPassword(h, "Correct-Horse-8"); ok {
		t.Fatal("wrong password accepted")
	}
	h2, _ := HashPassword("Correct-Horse-9", 2000)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
	for _, bad := range []string{"", "pbkdf2-sm3$x$a$b", "md5$1$a$b", "pbkdf2-sm3$1000$!!$!!"} {
		if _, err := CheckPassword(bad, "x"); err == nil {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
	if _, err := HashPassword("x", 10); err == nil {
		t.Error("too few iterations accepted")
	}
}
