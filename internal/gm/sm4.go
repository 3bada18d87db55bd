package gm

import (
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/emmansun/gmsm/sm4"
)

// SM4 modes for the gateway protocol (GCM and CBC) live in sdk/go, the
// protocol's one implementation; this file keeps the at-rest box.

// SM4KeySize is the size of an SM4 key in bytes.
const SM4KeySize = 16

// ErrDecrypt hides why a decryption failed (tag, padding or length), so
// that an attacker learns nothing from the error.
var ErrDecrypt = errors.New("gm: decryption failed")

func newGCM(key []byte) (cipher.AEAD, error) {
	if len(key) != SM4KeySize {
		return nil, fmt.Errorf("gm: SM4 key must be %d bytes, not %d", SM4KeySize, len(key))
	}
	b, err := sm4.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// Box encrypts secrets at rest (consumer secrets, data keys, private keys)
// with SM4-GCM under the master key; the record's identity is the AAD, so a
// sealed value cannot be moved to another record.
// The AEAD is built once: the gateway seals a subject on every call.
type Box struct{ aead cipher.AEAD }

// NewBox makes a box from a 16-byte master key.
func NewBox(master []byte) (*Box, error) {
	if len(master) != SM4KeySize {
		return nil, fmt.Errorf("gm: master key must be %d bytes", SM4KeySize)
	}
	aead, err := newGCM(master)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// Seal encrypts v for the record named by aad: nonce ‖ ciphertext ‖ tag.
func (b *Box) Seal(v []byte, aad string) ([]byte, error) {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(v)+b.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return b.aead.Seal(nonce, nonce, v, []byte(aad)), nil
}

// Open decrypts what Seal made for the same aad.
func (b *Box) Open(v []byte, aad string) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(v) < n+b.aead.Overhead() {
		return nil, ErrDecrypt
	}
	pt, err := b.aead.Open(nil, v[:n], v[n:], []byte(aad))
	if err != nil {
		return nil, ErrDecrypt
	}
	return pt, nil
}
