package calllog

import (
	"encoding/base64"
	"strconv"
	"time"
	"unicode/utf8"
)

// appendRecord writes r as the same JSON object json.Marshal would make of
// it, without reflection: this runs once per gateway call. The ingester
// reads it back with decodeRecord (json.Unmarshal semantics).
func appendRecord(b []byte, r *Record) []byte {
	b = append(b, `{"call_id":`...)
	b = appendString(b, r.CallID)
	b = append(b, `,"at":"`...)
	b = r.At.AppendFormat(b, time.RFC3339Nano)
	b = append(b, '"')
	if r.ConsumerID != 0 {
		b = append(b, `,"consumer_id":`...)
		b = strconv.AppendInt(b, r.ConsumerID, 10)
	}
	for _, f := range [...]struct {
		name, v string
		always  bool
	}{{"consumer_code", r.ConsumerCode, false}, {"key_id", r.KeyID, false}, {"api_code", r.APICode, false},
		{"method", r.Method, true}, {"path", r.Path, true}, {"client_ip", r.ClientIP, true}} {
		if f.v == "" && !f.always {
			continue
		}
		b = append(b, ',', '"')
		b = append(b, f.name...)
		b = append(b, '"', ':')
		b = appendString(b, f.v)
	}
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(r.Status), 10)
	if r.Code != "" {
		b = append(b, `,"code":`...)
		b = appendString(b, r.Code)
	}
	b = append(b, `,"latency_us":`...)
	b = strconv.AppendInt(b, r.LatencyUS, 10)
	b = append(b, `,"bytes_in":`...)
	b = strconv.AppendInt(b, r.BytesIn, 10)
	b = append(b, `,"bytes_out":`...)
	b = strconv.AppendInt(b, r.BytesOut, 10)
	b = append(b, `,"records":`...)
	b = strconv.AppendInt(b, int64(r.Records), 10)
	if r.SubjectIndex != "" {
		b = append(b, `,"subject_index":`...)
		b = appendString(b, r.SubjectIndex)
	}
	if len(r.SubjectSealed) > 0 {
		b = append(b, `,"subject_sealed":"`...)
		b = base64.StdEncoding.AppendEncode(b, r.SubjectSealed)
		b = append(b, '"')
	}
	return append(b, '}')
}

// appendString quotes s as a JSON string: quotes, backslashes and control
// characters escaped, invalid UTF-8 replaced (as encoding/json does). Runs
// of bytes that need nothing are copied whole.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if plain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			if c == '"' || c == '\\' {
				b = append(b, '\\', c)
			} else {
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			start = i + 1
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plain marks the ASCII bytes appendString copies as they are.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()
