package calllog

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"time"
)

// sortable is base64 with its 64 digits in ASCII order, so that encoded
// ids sort as their bytes do.
var sortable = base64.NewEncoding("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz").WithPadding(base64.NoPadding)

// CallIDLen is the length of a call id.
const CallIDLen = 16

// AppendCallID appends a new call id to b: 16 characters of URL-safe
// base64 (in an ASCII-ordered alphabet) over 6 bytes of milliseconds since
// 1970 (plus 2⁴⁶) and 6 random bytes. Ids made later sort later, so the call log's
// unique index grows at its right edge instead of at random places: a
// random id made every insert read and split pages all over the index,
// which took most of the ingester's time (BenchmarkIngest).
func AppendCallID(b []byte, now time.Time) []byte {
	var raw [12]byte
	var ms [8]byte
	// 2⁴⁶ added: the first character is then a letter ('F' until the year
	// 2109), not '-', which command-line tools would take for an option.
	binary.BigEndian.PutUint64(ms[:], uint64(now.UnixMilli())+1<<46)
	copy(raw[:6], ms[2:])
	if _, err := rand.Read(raw[6:]); err != nil {
		panic("calllog: no randomness: " + err.Error()) // crypto/rand never fails on Linux
	}
	return sortable.AppendEncode(b, raw[:])
}

// NewCallID is AppendCallID as a string.
func NewCallID(now time.Time) string {
	var b [CallIDLen]byte
	return string(AppendCallID(b[:0], now))
}
