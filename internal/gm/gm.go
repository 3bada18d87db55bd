// Package gm holds the national-cryptography (国密) helpers xietong uses,
// over github.com/emmansun/gmsm: SM3 digests, HMAC-SM3, PBKDF2-HMAC-SM3
// password hashes and random tokens.
package gm

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"

	"github.com/emmansun/gmsm/sm3"
)

// SM3Hex is the lowercase hex SM3 digest of b.
func SM3Hex(b []byte) string {
	sum := sm3.Sum(b)
	return hex.EncodeToString(sum[:])
}

// HMACSM3 is HMAC-SM3(key, msg).
func HMACSM3(key, msg []byte) []byte {
	m := hmac.New(sm3.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

// Token is n random bytes, URL-safe base64 without padding.
func Token(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("gm: no randomness: " + err.Error()) // crypto/rand never fails on Linux
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
