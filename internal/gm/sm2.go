package gm

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/emmansun/gmsm/pkcs8"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
)

// DefaultSignerID is the SM2 signer ID (ENTL/ID in ZA) xietong uses on both
// sides, the GB/T 35276 default. OpenSSL 3.0's default is empty, so partners
// using its CLI must pass -sigopt distid:1234567812345678.
const DefaultSignerID = "1234567812345678"

// GenerateSM2 makes a new SM2 key pair.
func GenerateSM2() (*sm2.PrivateKey, error) { return sm2.GenerateKey(rand.Reader) }

// SignSM2 signs msg (the message itself, hashed with SM3 over ZA ‖ msg
// using the default signer ID) and returns the ASN.1 DER signature.
func SignSM2(priv *sm2.PrivateKey, msg []byte) ([]byte, error) {
	// DefaultSM2SignerOpts makes Sign treat msg as the message; nil opts
	// would treat it as a precomputed digest.
	return priv.Sign(rand.Reader, msg, sm2.DefaultSM2SignerOpts)
}

// VerifySM2 checks an ASN.1 DER SM2 signature of msg with the default signer ID.
func VerifySM2(pub *ecdsa.PublicKey, msg, sig []byte) bool {
	return sm2.VerifyASN1WithSM2(pub, nil, msg, sig)
}

// EncryptSM2 encrypts msg to pub in the ASN.1 form of GM/T 0009 (C1, C3,
// C2 fields), which OpenSSL's pkeyutl reads.
func EncryptSM2(pub *ecdsa.PublicKey, msg []byte) ([]byte, error) {
	return sm2.EncryptASN1(rand.Reader, pub, msg)
}

// DecryptSM2 decrypts an ASN.1 or raw C1C3C2 ciphertext.
func DecryptSM2(priv *sm2.PrivateKey, ct []byte) ([]byte, error) {
	return sm2.Decrypt(priv, ct)
}

// PublicPEM encodes an SM2 public key as a PEM "PUBLIC KEY" (SPKI).
func PublicPEM(pub *ecdsa.PublicKey) (string, error) {
	der, err := smx509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), nil
}

// PrivatePEM encodes an SM2 private key as a PEM "PRIVATE KEY" (PKCS#8).
func PrivatePEM(priv *sm2.PrivateKey) (string, error) {
	der, err := smx509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

// ErrNotSM2 is returned for a key that is not on the SM2 curve.
var ErrNotSM2 = errors.New("gm: not an SM2 key")

// ParsePublicPEM reads an SM2 public key from a PEM SPKI block.
func ParsePublicPEM(s string) (*ecdsa.PublicKey, error) {
	b, _ := pem.Decode([]byte(s))
	if b == nil || b.Type != "PUBLIC KEY" {
		return nil, fmt.Errorf("gm: want a PEM \"PUBLIC KEY\" block")
	}
	k, err := smx509.ParsePKIXPublicKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("gm: public key: %w", err)
	}
	pub, ok := k.(*ecdsa.PublicKey)
	if !ok || !sm2.IsSM2PublicKey(pub) {
		return nil, ErrNotSM2
	}
	return pub, nil
}

// ParsePrivatePEM reads an SM2 private key from a PEM PKCS#8 block.
func ParsePrivatePEM(s string) (*sm2.PrivateKey, error) {
	b, _ := pem.Decode([]byte(s))
	if b == nil || b.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("gm: want a PEM \"PRIVATE KEY\" block")
	}
	k, err := smx509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		return nil, fmt.Errorf("gm: private key: %w", err)
	}
	priv, ok := k.(*sm2.PrivateKey)
	if !ok {
		return nil, ErrNotSM2
	}
	return priv, nil
}

// EncryptedPrivatePEM encodes an SM2 private key as a PKCS#8 "ENCRYPTED
// PRIVATE KEY" under the passphrase (PBES2), readable by OpenSSL with
// `openssl pkey -in key.pem -passin pass:…`.
func EncryptedPrivatePEM(priv *sm2.PrivateKey, passphrase string) (string, error) {
	der, err := pkcs8.MarshalPrivateKey(priv, []byte(passphrase), pkcs8.DefaultOpts)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der})), nil
}
