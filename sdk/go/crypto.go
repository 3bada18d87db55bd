package xietong

import (
	"bytes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

// Encryption modes.
const (
	ModeGCM = "SM4-GCM"
	ModeCBC = "SM4-CBC"
)

// ErrDecrypt hides why decryption failed.
var ErrDecrypt = errors.New("xietong: decryption failed")

// HMACSign is HMAC-SM3(secret, msg).
func HMACSign(secret, msg string) []byte {
	m := hmac.New(sm3.New, []byte(secret))
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// SM2Sign signs msg with the protocol's signer ID; DER output.
func SM2Sign(priv *sm2.PrivateKey, msg string) ([]byte, error) {
	return priv.Sign(rand.Reader, []byte(msg), sm2.DefaultSM2SignerOpts)
}

// SM2Verify checks a DER SM2 signature of msg with the protocol's signer ID.
func SM2Verify(pub *ecdsa.PublicKey, msg string, sig []byte) bool {
	return sm2.VerifyASN1WithSM2(pub, []byte(SignerID), []byte(msg), sig)
}

// Seal encrypts plaintext with the data key in the given mode (§2.3).
func Seal(mode string, key, plaintext, aad []byte) ([]byte, error) {
	block, err := sm4.NewCipher(key)
	if err != nil {
		return nil, err
	}
	switch mode {
	case ModeGCM:
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		nonce := make([]byte, aead.NonceSize())
		if _, err := rand.Read(nonce); err != nil {
			return nil, err
		}
		return aead.Seal(nonce, nonce, plaintext, aad), nil
	case ModeCBC:
		pad := sm4.BlockSize - len(plaintext)%sm4.BlockSize
		out := make([]byte, sm4.BlockSize, sm4.BlockSize+len(plaintext)+pad)
		if _, err := rand.Read(out); err != nil {
			return nil, err
		}
		out = append(out, plaintext...)
		out = append(out, bytes.Repeat([]byte{byte(pad)}, pad)...)
		cipher.NewCBCEncrypter(block, out[:sm4.BlockSize]).CryptBlocks(out[sm4.BlockSize:], out[sm4.BlockSize:])
		return out, nil
	}
	return nil, fmt.Errorf("xietong: unknown encryption mode %q", mode)
}

// Open decrypts what Seal made.
func Open(mode string, key, sealed, aad []byte) ([]byte, error) {
	block, err := sm4.NewCipher(key)
	if err != nil {
		return nil, err
	}
	switch mode {
	case ModeGCM:
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		if len(sealed) < aead.NonceSize()+aead.Overhead() {
			return nil, ErrDecrypt
		}
		pt, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], aad)
		if err != nil {
			return nil, ErrDecrypt
		}
		return pt, nil
	case ModeCBC:
		if len(sealed) < 2*sm4.BlockSize || len(sealed)%sm4.BlockSize != 0 {
			return nil, ErrDecrypt
		}
		out := make([]byte, len(sealed)-sm4.BlockSize)
		cipher.NewCBCDecrypter(block, sealed[:sm4.BlockSize]).CryptBlocks(out, sealed[sm4.BlockSize:])
		pad := int(out[len(out)-1])
		if pad == 0 || pad > sm4.BlockSize || pad > len(out) {
			return nil, ErrDecrypt
		}
		for _, c := range out[len(out)-pad:] {
			if int(c) != pad {
				return nil, ErrDecrypt
			}
		}
		return out[:len(out)-pad], nil
	}
	return nil, fmt.Errorf("xietong: unknown encryption mode %q", mode)
}

// ParseEncryption splits an X-XT-Encryption value into mode and data key id.
func ParseEncryption(v string) (mode, keyID string, err error) {
	mode, keyID, ok := strings.Cut(v, ";")
	if !ok || (mode != ModeGCM && mode != ModeCBC) || !strings.HasPrefix(keyID, "dk_") || len(keyID) > 64 {
		return "", "", fmt.Errorf("xietong: bad %s %q", HeaderEncryption, v)
	}
	return mode, keyID, nil
}

// OpenEnvelope decrypts a data key delivered as base64 of an ASN.1 SM2
// ciphertext to the consumer's key.
func OpenEnvelope(priv *sm2.PrivateKey, b64 string) ([]byte, error) {
	ct, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
	if err != nil {
		return nil, fmt.Errorf("xietong: envelope: %w", err)
	}
	key, err := sm2.Decrypt(priv, ct)
	if err != nil {
		return nil, fmt.Errorf("xietong: envelope: %w", err)
	}
	if len(key) != 16 {
		return nil, fmt.Errorf("xietong: envelope holds %d bytes, want a 16-byte SM4 key", len(key))
	}
	return key, nil
}
