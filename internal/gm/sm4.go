package gm

import (
	"bytes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/emmansun/gmsm/sm4"
)

// SM4KeySize is the size of an SM4 key in bytes.
const SM4KeySize = 16

// ErrDecrypt hides why a decryption failed (tag, padding or length), so
// that an attacker learns nothing from the error.
var ErrDecrypt = errors.New("gm: decryption failed")

// SealGCM encrypts with SM4-GCM under a fresh 12-byte nonce and returns
// nonce ‖ ciphertext ‖ tag.
func SealGCM(key, plaintext, aad []byte) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, plaintext, aad), nil
}

// OpenGCM reverses SealGCM.
func OpenGCM(key, sealed, aad []byte) ([]byte, error) {
	aead, err := newGCM(key)
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
}

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

// EncryptCBC encrypts with SM4-CBC and PKCS#7 padding under a fresh IV and
// returns iv ‖ ciphertext. CBC has no integrity of its own: the gateway
// protocol signs the ciphertext.
func EncryptCBC(key, plaintext []byte) ([]byte, error) {
	if len(key) != SM4KeySize {
		return nil, fmt.Errorf("gm: SM4 key must be %d bytes", SM4KeySize)
	}
	b, err := sm4.NewCipher(key)
	if err != nil {
		return nil, err
	}
	pad := sm4.BlockSize - len(plaintext)%sm4.BlockSize
	buf := make([]byte, sm4.BlockSize+len(plaintext)+pad)
	if _, err := rand.Read(buf[:sm4.BlockSize]); err != nil {
		return nil, err
	}
	copy(buf[sm4.BlockSize:], plaintext)
	copy(buf[sm4.BlockSize+len(plaintext):], bytes.Repeat([]byte{byte(pad)}, pad))
	cipher.NewCBCEncrypter(b, buf[:sm4.BlockSize]).CryptBlocks(buf[sm4.BlockSize:], buf[sm4.BlockSize:])
	return buf, nil
}

// DecryptCBC reverses EncryptCBC.
func DecryptCBC(key, data []byte) ([]byte, error) {
	if len(key) != SM4KeySize {
		return nil, fmt.Errorf("gm: SM4 key must be %d bytes", SM4KeySize)
	}
	if len(data) < 2*sm4.BlockSize || len(data)%sm4.BlockSize != 0 {
		return nil, ErrDecrypt
	}
	b, err := sm4.NewCipher(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(data)-sm4.BlockSize)
	cipher.NewCBCDecrypter(b, data[:sm4.BlockSize]).CryptBlocks(out, data[sm4.BlockSize:])
	pad := int(out[len(out)-1])
	if pad == 0 || pad > sm4.BlockSize {
		return nil, ErrDecrypt
	}
	for _, c := range out[len(out)-pad:] {
		if int(c) != pad {
			return nil, ErrDecrypt
		}
	}
	return out[:len(out)-pad], nil
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
