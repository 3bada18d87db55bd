package gateway

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// Shaper is a grant compiled against its API's field classification: one
// pass over the upstream's JSON bytes removes fields not granted and masks
// classified ones, without building a tree. The snapshot compiles one per
// grant, so calls only look paths up in maps.
type Shaper struct {
	all   bool              // no field list: every field stays
	keep  map[string]bool   // granted paths: kept with everything below
	inner map[string]bool   // ancestors of granted paths: descended into
	mask  map[string]string // path → category for fields masked under this grant
}

// NewShaper compiles grant g for api.
func NewShaper(api *API, g *Grant) *Shaper {
	s := &Shaper{all: len(g.Fields) == 0, keep: map[string]bool{}, inner: map[string]bool{}, mask: map[string]string{}}
	for _, f := range g.Fields {
		s.keep[f] = true
		for i := 0; i < len(f); i++ {
			switch {
			case f[i] == '.':
				s.inner[f[:i]] = true
			case f[i] == '[' && strings.HasPrefix(f[i:], "[]"):
				s.inner[f[:i]] = true
				s.inner[f[:i+2]] = true
			}
		}
	}
	if !s.all {
		for _, p := range api.Always {
			s.keep[p] = true
		}
	}
	for _, fc := range api.Fields {
		if !g.Plain[fc.Category] {
			s.mask[fc.Path] = fc.Category
		}
	}
	return s
}

var errBadJSON = errors.New("gateway: the upstream's JSON cannot be parsed")

// Shape applies the grant to body and counts the records: the elements of
// the first array at the top or under keys data/items/list/records only,
// else 1.
func (s *Shaper) Shape(body []byte) ([]byte, int, error) {
	return s.ShapeTo(make([]byte, 0, len(body)), body)
}

// ShapeTo is Shape appending to dst (which must not overlap body).
func (s *Shaper) ShapeTo(dst, body []byte) ([]byte, int, error) {
	w := walkers.Get().(*walker)
	defer walkers.Put(w)
	*w = walker{in: body, out: dst, s: s, records: -1, path: w.path[:0], tmp: w.tmp[:0]}
	defer func() { w.in, w.out, w.s = nil, nil, nil }()
	w.ws()
	if err := w.value(s.all); err != nil {
		return nil, 0, err
	}
	w.ws()
	if w.pos != len(w.in) {
		return nil, 0, errBadJSON
	}
	if w.records < 0 {
		w.records = 1
	}
	return w.out, w.records, nil
}

// walkers keep their path and unescape buffers from call to call.
var walkers = sync.Pool{New: func() any { return &walker{path: make([]byte, 0, 64)} }}

type walker struct {
	in      []byte
	pos     int
	out     []byte
	path    []byte
	tmp     []byte // an unescaped string
	s       *Shaper
	records int
}

func (w *walker) ws() {
	for w.pos < len(w.in) {
		switch w.in[w.pos] {
		case ' ', '\t', '\n', '\r':
			w.pos++
		default:
			return
		}
	}
}

// recordPath reports whether the current path is made of data/items/list/records only.
func recordPath(p []byte) bool {
	for len(p) > 0 {
		part := p
		if i := bytes.IndexByte(p, '.'); i >= 0 {
			part, p = p[:i], p[i+1:]
		} else {
			p = nil
		}
		switch string(part) {
		case "", "data", "items", "list", "records":
		default:
			return false
		}
	}
	return true
}

// value copies (or masks) the value at w.pos; inside means an ancestor was
// granted whole.
func (w *walker) value(inside bool) error {
	if w.pos >= len(w.in) {
		return errBadJSON
	}
	switch c := w.in[w.pos]; {
	case c == '{':
		return w.object(inside)
	case c == '[':
		return w.array(inside)
	case c == '"':
		start := w.pos
		if err := w.skipString(); err != nil {
			return err
		}
		return w.scalar(w.in[start:w.pos], true)
	default:
		start := w.pos
	scan:
		for w.pos < len(w.in) {
			switch w.in[w.pos] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				break scan
			}
			w.pos++
		}
		if start == w.pos {
			return errBadJSON
		}
		return w.scalar(w.in[start:w.pos], false)
	}
}

func (w *walker) scalar(raw []byte, isString bool) error {
	cat, masked := w.s.mask[string(w.path)]
	if !masked {
		w.out = append(w.out, raw...)
		return nil
	}
	text := raw
	switch {
	case isString:
		var ok bool
		if text, ok = w.unquote(raw); !ok {
			return errBadJSON
		}
	case string(raw) == "null":
		w.out = append(w.out, raw...)
		return nil
	}
	w.out = appendMaskJSON(w.out, cat, text)
	return nil
}

// unquote gives the text of the JSON string raw (quotes included) as
// json.Unmarshal reads it: invalid UTF-8 and lone surrogates become U+FFFD,
// a malformed escape or a control character is an error. Without escapes
// it is a slice of raw; else it lives in w.tmp until the next call.
func (w *walker) unquote(raw []byte) ([]byte, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return nil, false
	}
	s := raw[1 : len(raw)-1]
	clean, ascii := true, true
	for _, c := range s {
		if c < 0x20 || c == '\\' || c == '"' {
			clean = false
			break
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if clean && (ascii || utf8.Valid(s)) {
		return s, true
	}
	t := w.tmp[:0]
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < 0x20 || c == '"':
			return nil, false
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(s[i:])
			i += size
			t = utf8.AppendRune(t, r) // RuneError for an invalid byte, as encoding/json
		case c != '\\':
			t = append(t, c)
			i++
		default:
			if i+1 >= len(s) {
				return nil, false
			}
			e := s[i+1]
			i += 2
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
				r, ok := hex4(s[i:])
				if !ok {
					return nil, false
				}
				i += 4
				if utf16.IsSurrogate(r) {
					r2, ok := rune(0), false
					if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
						r2, ok = hex4(s[i+2:])
					}
					if d := utf16.DecodeRune(r, r2); ok && d != utf8.RuneError {
						r = d
						i += 6
					} else {
						r = utf8.RuneError
					}
				}
				t = utf8.AppendRune(t, r)
			default:
				return nil, false
			}
		}
	}
	w.tmp = t
	return t, true
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
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

func (w *walker) object(inside bool) error {
	w.pos++ // {
	w.out = append(w.out, '{')
	base := len(w.path)
	first := true
	for {
		w.ws()
		if w.pos < len(w.in) && w.in[w.pos] == '}' {
			w.pos++
			w.out = append(w.out, '}')
			return nil
		}
		if w.pos >= len(w.in) || w.in[w.pos] != '"' {
			return errBadJSON
		}
		kStart := w.pos
		if err := w.skipString(); err != nil {
			return err
		}
		rawKey := w.in[kStart:w.pos]
		key := rawKey[1 : len(rawKey)-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			var ok bool
			if key, ok = w.unquote(rawKey); !ok {
				return errBadJSON
			}
		}
		w.ws()
		if w.pos >= len(w.in) || w.in[w.pos] != ':' {
			return errBadJSON
		}
		w.pos++
		w.ws()
		if base > 0 {
			w.path = append(w.path, '.')
		}
		w.path = append(w.path, key...)
		below := inside || w.s.keep[string(w.path)]
		if below || w.s.inner[string(w.path)] {
			if !first {
				w.out = append(w.out, ',')
			}
			first = false
			w.out = append(w.out, rawKey...)
			w.out = append(w.out, ':')
			if err := w.value(below); err != nil {
				return err
			}
		} else if err := w.skip(); err != nil {
			return err
		}
		w.path = w.path[:base]
		w.ws()
		if w.pos < len(w.in) && w.in[w.pos] == ',' {
			w.pos++
			continue
		}
		if w.pos < len(w.in) && w.in[w.pos] == '}' {
			continue
		}
		return errBadJSON
	}
}

func (w *walker) array(inside bool) error {
	w.pos++ // [
	w.out = append(w.out, '[')
	count := w.records < 0 && recordPath(w.path)
	base := len(w.path)
	w.path = append(w.path, "[]"...)
	below := inside || w.s.keep[string(w.path)]
	n := 0
	for {
		w.ws()
		if w.pos < len(w.in) && w.in[w.pos] == ']' {
			w.pos++
			w.out = append(w.out, ']')
			w.path = w.path[:base]
			if count && w.records < 0 {
				w.records = n
			}
			return nil
		}
		if n > 0 {
			w.out = append(w.out, ',')
		}
		if err := w.value(below); err != nil {
			return err
		}
		n++
		w.ws()
		if w.pos < len(w.in) && w.in[w.pos] == ',' {
			w.pos++
			continue
		}
		if w.pos < len(w.in) && w.in[w.pos] == ']' {
			continue
		}
		return errBadJSON
	}
}

// skipString passes over the string at w.pos (its opening quote).
func (w *walker) skipString() error {
	w.pos++ // opening quote
	// Fast path: the next quote, with no backslash before it.
	if q := bytes.IndexByte(w.in[w.pos:], '"'); q >= 0 && bytes.IndexByte(w.in[w.pos:w.pos+q], '\\') < 0 {
		w.pos += q + 1
		return nil
	}
	for w.pos < len(w.in) {
		switch w.in[w.pos] {
		case '\\':
			w.pos += 2
		case '"':
			w.pos++
			return nil
		default:
			w.pos++
		}
	}
	return errBadJSON
}

// skip passes over one value without copying it.
func (w *walker) skip() error {
	depth := 0
	for w.pos < len(w.in) {
		switch c := w.in[w.pos]; c {
		case '"':
			if err := w.skipString(); err != nil {
				return err
			}
			if depth == 0 {
				return nil
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				return nil // the end of the enclosing container: an empty value
			}
			depth--
			if depth == 0 {
				w.pos++
				return nil
			}
		case ',':
			if depth == 0 {
				return nil
			}
		}
		w.pos++
	}
	if depth == 0 {
		return nil
	}
	return errBadJSON
}
