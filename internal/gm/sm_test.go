package gm

import (
	"bytes"
	"encoding/hex"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm4"

	xt "github.com/xietong/xietong/sdk/go"
)

func unhex(t *testing.T, s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSM4Vectors(t *testing.T) {
	// GB/T 32907 A.1 and A.2 (DOMAIN.md).
	key := unhex(t, "0123456789abcdeffedcba9876543210")
	c, _ := sm4.NewCipher(key)
	block := bytes.Clone(key)
	c.Encrypt(block, block)
	if hex.EncodeToString(block) != "681edf34d206965e86b3e94f536e4246" {
		t.Fatalf("one block: %x", block)
	}
	block = bytes.Clone(key)
	for i := 0; i < 1_000_000; i++ {
		c.Encrypt(block, block)
	}
	if hex.EncodeToString(block) != "595298c7c6fd271f0402f804c33d3f66" {
		t.Fatalf("a million times: %x", block)
	}
}

func TestSM2SignatureVector(t *testing.T) {
	// GM/T 0003.5 A.2: verify the published (r, s) for "message digest".
	priv, err := sm2.NewPrivateKey(unhex(t, "3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8"))
	if err != nil {
		t.Fatal(err)
	}
	r, _ := new(big.Int).SetString("F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3", 16)
	s, _ := new(big.Int).SetString("B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA", 16)
	digest, err := sm2.CalculateSM2Hash(&priv.PublicKey, []byte("message digest"), []byte(DefaultSignerID))
	if err != nil {
		t.Fatal(err)
	}
	if !sm2.Verify(&priv.PublicKey, digest, r, s) {
		t.Fatal("the standard's signature does not verify")
	}
	sig, err := SignSM2(priv, []byte("message digest"))
	if err != nil || !VerifySM2(&priv.PublicKey, []byte("message digest"), sig) {
		t.Fatalf("sign/verify round trip: %v", err)
	}
	if VerifySM2(&priv.PublicKey, []byte("message digesT"), sig) {
		t.Fatal("a changed message verifies")
	}
}

func TestBox(t *testing.T) {
	b, err := NewBox(unhex(t, "0123456789abcdeffedcba9876543210"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 1, 16, 1000} {
		pt := bytes.Repeat([]byte("a"), n)
		sealed, err := b.Seal(pt, "key:ak_1")
		if err != nil {
			t.Fatal(err)
		}
		if out, err := b.Open(sealed, "key:ak_1"); err != nil || !bytes.Equal(out, pt) {
			t.Fatalf("%d: %v", n, err)
		}
		if _, err := b.Open(sealed, "key:ak_2"); err != ErrDecrypt {
			t.Fatal("a sealed value opened for another record")
		}
	}
	if _, err := NewBox(make([]byte, 8)); err == nil {
		t.Fatal("short master key accepted")
	}
}

// TestOpenSSLInterop checks against an implementation no one here wrote:
// OpenSSL 3 verifies our SM2 signature (with distid), decrypts our SM2
// ciphertext, and we verify OpenSSL's signature and decrypt its SM4-CBC.
func TestOpenSSLInterop(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("openssl is missing in CI: the interop check would be skipped")
		}
		t.Skip("NOTICE: openssl not installed; interop not checked")
	}
	dir := t.TempDir()
	priv, _ := GenerateSM2()
	privPEM, _ := PrivatePEM(priv)
	pubPEM, _ := PublicPEM(&priv.PublicKey)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	openssl := func(args ...string) []byte {
		out, err := exec.Command("openssl", args...).CombinedOutput()
		if err != nil {
			t.Fatalf("openssl %v: %v\n%s", args, err, out)
		}
		return out
	}
	keyFile, pubFile := write("key.pem", []byte(privPEM)), write("pub.pem", []byte(pubPEM))
	msg := write("msg.bin", []byte("POST\n/gw/person\n\n1700000000\nnonce\n"))
	sig, _ := SignSM2(priv, []byte("POST\n/gw/person\n\n1700000000\nnonce\n"))
	sigFile := write("sig.der", sig)
	openssl("dgst", "-sm3", "-verify", pubFile, "-signature", sigFile, "-sigopt", "distid:"+DefaultSignerID, msg)

	openssl("dgst", "-sm3", "-sign", keyFile, "-sigopt", "distid:"+DefaultSignerID, "-out", filepath.Join(dir, "osig.der"), msg)
	osig, _ := os.ReadFile(filepath.Join(dir, "osig.der"))
	if !VerifySM2(&priv.PublicKey, []byte("POST\n/gw/person\n\n1700000000\nnonce\n"), osig) {
		t.Fatal("OpenSSL's signature does not verify here")
	}

	key := unhex(t, "00112233445566778899aabbccddeeff")
	ct, _ := EncryptSM2(&priv.PublicKey, key)
	ctFile := write("ct.der", ct)
	got := openssl("pkeyutl", "-decrypt", "-inkey", keyFile, "-in", ctFile)
	if !bytes.Equal(got, key) {
		t.Fatalf("OpenSSL decrypted %x", got)
	}

	// OpenSSL SM4-CBC (PKCS#7) → the protocol's SM4-CBC (sdk/go).
	iv := "0f0e0d0c0b0a09080706050403020100"
	pt := write("pt.txt", []byte("公民身份号码 11010519491231002X"))
	out := openssl("enc", "-sm4-cbc", "-K", hex.EncodeToString(key), "-iv", iv, "-in", pt)
	dec, err := xt.Open(xt.ModeCBC, key, append(unhex(t, iv), out...), nil)
	if err != nil || string(dec) != "公民身份号码 11010519491231002X" {
		t.Fatalf("OpenSSL SM4-CBC: %v %q", err, dec)
	}
}
