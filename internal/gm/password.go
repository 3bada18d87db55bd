package gm

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/emmansun/gmsm/sm3"
)

// DefaultPasswordIterations is the PBKDF2 work factor for new hashes
// (about 40 ms on one core of the reference machine).
const DefaultPasswordIterations = 100_000

const passwordScheme = "pbkdf2-sm3"

// HashPassword derives a PBKDF2-HMAC-SM3 hash with a random 16-byte salt,
// encoded as pbkdf2-sm3$ITER$SALT$KEY (base64, no padding).
func HashPassword(password string, iterations int) (string, error) {
	if iterations < 1000 {
		return "", fmt.Errorf("gm: %d PBKDF2 iterations is too few", iterations)
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := pbkdf2.Key(sm3.New, password, salt, iterations, 32)
	if err != nil {
		return "", err
	}
	enc := base64.RawStdEncoding
	return fmt.Sprintf("%s$%d$%s$%s", passwordScheme, iterations, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// ErrBadHash is returned for a stored hash that cannot be parsed.
var ErrBadHash = errors.New("gm: malformed password hash")

// CheckPassword reports whether password matches the stored hash, in
// constant time with respect to the derived key.
func CheckPassword(stored, password string) (bool, error) {
	parts := strings.Split(stored, "$")
	if len(parts) != 4 || parts[0] != passwordScheme {
		return false, ErrBadHash
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1 {
		return false, ErrBadHash
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[2])
	want, err2 := enc.DecodeString(parts[3])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, ErrBadHash
	}
	got, err := pbkdf2.Key(sm3.New, password, salt, iter, len(want))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
