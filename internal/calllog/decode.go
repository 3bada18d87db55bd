package calllog

import (
	"encoding/base64"
	"encoding/json"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeRecord reads one journal line into r, as json.Unmarshal would. The
// fast path reads what appendRecord writes (any key order, the usual
// escapes) without reflection; anything else — an unknown key, null, a
// number json.Unmarshal would refuse, an odd escape, invalid UTF-8 — goes to
// encoding/json, so lines written by earlier versions read as before.
func decodeRecord(line []byte, r *Record, in *interner) error {
	*r = Record{}
	if decodeFast(line, r, in) {
		return nil
	}
	*r = Record{}
	return json.Unmarshal(line, r)
}

// interner shares the strings that repeat from record to record (consumer,
// key, API, method, path, address, code), so a batch allocates them once.
type interner struct{ m map[string]string }

func (in *interner) get(b []byte) string {
	if in == nil {
		return string(b)
	}
	if s, ok := in.m[string(b)]; ok {
		return s
	}
	if in.m == nil || len(in.m) >= 4096 { // bounded: paths can be anything a caller sends
		in.m = make(map[string]string, 64)
	}
	s := string(b)
	in.m[s] = s
	return s
}

type decoder struct {
	b   []byte
	pos int
	tmp []byte // unescaped string, when it had escapes
}

func (d *decoder) ws() {
	for d.pos < len(d.b) {
		switch d.b[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) byte(c byte) bool {
	d.ws()
	if d.pos < len(d.b) && d.b[d.pos] == c {
		d.pos++
		return true
	}
	return false
}

// str reads a JSON string and gives its content: a slice of the line when
// it has no escapes, else the unescaped copy in d.tmp; raw reports which.
// It refuses (ok false) what it does not handle exactly as encoding/json.
func (d *decoder) str() (s []byte, raw bool, ok bool) {
	if !d.byte('"') {
		return nil, false, false
	}
	start := d.pos
	ascii := true
	for i, c := range d.b[start:] {
		if !special[c] {
			continue
		}
		switch {
		case c == '"':
			s = d.b[start : start+i]
			d.pos = start + i + 1
			if !ascii && !utf8.Valid(s) {
				return nil, false, false
			}
			return s, true, true
		case c == '\\':
			d.pos = start + i
			return d.escaped(start)
		case c < 0x20:
			return nil, false, false
		default:
			ascii = false
		}
	}
	return nil, false, false
}

// special marks the bytes str must look at: the quote, the backslash,
// control characters and non-ASCII bytes.
var special = func() (t [256]bool) {
	for c := range t {
		t[c] = c == '"' || c == '\\' || c < 0x20 || c >= utf8.RuneSelf
	}
	return t
}()

func hexVal(b []byte) (rune, bool) {
	var r rune
	for _, c := range b {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// escaped finishes a string with escapes from start (its first byte after
// the quote).
func (d *decoder) escaped(start int) ([]byte, bool, bool) {
	t := append(d.tmp[:0], d.b[start:d.pos]...)
	valid := utf8.Valid(t)
	for d.pos < len(d.b) {
		c := d.b[d.pos]
		switch {
		case c == '"':
			d.pos++
			d.tmp = t
			if !valid {
				return nil, false, false
			}
			return t, false, true
		case c < 0x20:
			return nil, false, false
		case c != '\\':
			if c >= utf8.RuneSelf {
				r, size := utf8.DecodeRune(d.b[d.pos:])
				if r == utf8.RuneError && size == 1 {
					return nil, false, false
				}
				t = append(t, d.b[d.pos:d.pos+size]...)
				d.pos += size
				continue
			}
			t = append(t, c)
			d.pos++
			continue
		}
		if d.pos+1 >= len(d.b) {
			return nil, false, false
		}
		e := d.b[d.pos+1]
		d.pos += 2
		switch e {
		case '"', '\\', '/':
			t = append(t, e)
		case 'b':
			t = append(t, '\b')
		case 'f':
			t = append(t, '\f')
		case 'n':
			t = append(t, '\n')
		case 'r':
			t = append(t, '\r')
		case 't':
			t = append(t, '\t')
		case 'u':
			if d.pos+4 > len(d.b) {
				return nil, false, false
			}
			r, ok := hexVal(d.b[d.pos : d.pos+4])
			if !ok {
				return nil, false, false
			}
			d.pos += 4
			if utf16.IsSurrogate(r) {
				// Only a well-formed pair here; a lone half goes to encoding/json.
				if d.pos+6 > len(d.b) || d.b[d.pos] != '\\' || d.b[d.pos+1] != 'u' {
					return nil, false, false
				}
				r2, ok := hexVal(d.b[d.pos+2 : d.pos+6])
				if !ok {
					return nil, false, false
				}
				if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
					return nil, false, false
				}
				d.pos += 6
			}
			t = utf8.AppendRune(t, r)
		default:
			return nil, false, false
		}
	}
	return nil, false, false
}

// int reads a JSON integer that fits an int64 (json.Unmarshal refuses
// fractions and exponents for integer fields too).
func (d *decoder) int() (int64, bool) {
	d.ws()
	neg := false
	if d.pos < len(d.b) && d.b[d.pos] == '-' {
		neg = true
		d.pos++
	}
	start := d.pos
	var n uint64
	for d.pos < len(d.b) && '0' <= d.b[d.pos] && d.b[d.pos] <= '9' {
		if n > (1<<63)/10 {
			return 0, false
		}
		n = n*10 + uint64(d.b[d.pos]-'0')
		d.pos++
	}
	digits := d.pos - start
	if digits == 0 || digits > 1 && d.b[start] == '0' || n > 1<<63 || !neg && n == 1<<63 {
		return 0, false
	}
	if d.pos < len(d.b) {
		switch d.b[d.pos] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	if neg {
		return -int64(n), true
	}
	return int64(n), true
}

func decodeFast(line []byte, r *Record, in *interner) bool {
	d := decoder{b: line}
	if !d.byte('{') {
		return false
	}
	if d.byte('}') {
		return d.end()
	}
	for {
		key, raw, ok := d.str()
		if !ok || !raw || !d.byte(':') {
			return false
		}
		switch string(key) {
		case "call_id":
			s, _, ok := d.str()
			if !ok {
				return false
			}
			r.CallID = string(s)
		case "at":
			s, raw, ok := d.str()
			if !ok || !raw || r.At.UnmarshalText(s) != nil {
				return false
			}
		case "consumer_code", "key_id", "api_code", "method", "path", "client_ip", "code", "subject_index":
			s, _, ok := d.str()
			if !ok {
				return false
			}
			switch string(key) {
			case "consumer_code":
				r.ConsumerCode = in.get(s)
			case "key_id":
				r.KeyID = in.get(s)
			case "api_code":
				r.APICode = in.get(s)
			case "method":
				r.Method = in.get(s)
			case "path":
				r.Path = in.get(s)
			case "client_ip":
				r.ClientIP = in.get(s)
			case "code":
				r.Code = in.get(s)
			case "subject_index":
				r.SubjectIndex = string(s)
			}
		case "consumer_id", "latency_us", "bytes_in", "bytes_out":
			n, ok := d.int()
			if !ok {
				return false
			}
			switch string(key) {
			case "consumer_id":
				r.ConsumerID = n
			case "latency_us":
				r.LatencyUS = n
			case "bytes_in":
				r.BytesIn = n
			case "bytes_out":
				r.BytesOut = n
			}
		case "status", "records":
			n, ok := d.int()
			if !ok || int64(int(n)) != n {
				return false
			}
			if key[0] == 's' {
				r.Status = int(n)
			} else {
				r.Records = int(n)
			}
		case "subject_sealed":
			s, raw, ok := d.str()
			if !ok || !raw {
				return false
			}
			b := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
			n, err := base64.StdEncoding.Decode(b, s)
			if err != nil {
				return false
			}
			r.SubjectSealed = b[:n]
		default:
			return false
		}
		if d.byte(',') {
			continue
		}
		if d.byte('}') {
			return d.end()
		}
		return false
	}
}

func (d *decoder) end() bool {
	d.ws()
	return d.pos == len(d.b)
}
