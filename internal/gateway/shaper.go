package gateway

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
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
	w := walker{in: body, out: make([]byte, 0, len(body)), s: s, records: -1}
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

type walker struct {
	in      []byte
	pos     int
	out     []byte
	path    []byte
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
	for _, part := range strings.Split(string(p), ".") {
		switch part {
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
		for w.pos < len(w.in) && !strings.ContainsRune(",}] \t\n\r", rune(w.in[w.pos])) {
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
	var text string
	switch {
	case isString:
		if err := json.Unmarshal(raw, &text); err != nil {
			return errBadJSON
		}
	case string(raw) == "null":
		w.out = append(w.out, raw...)
		return nil
	default:
		text = string(raw)
	}
	w.out = strconv.AppendQuote(w.out, Mask(cat, text))
	return nil
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
		if strings.IndexByte(string(key), '\\') >= 0 {
			var k string
			if err := json.Unmarshal(rawKey, &k); err != nil {
				return errBadJSON
			}
			key = []byte(k)
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
		p := string(w.path)
		emit, below := inside || w.s.keep[p], inside || w.s.keep[p]
		if !emit && w.s.inner[p] {
			emit = true
		}
		if emit {
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
		if err := w.value(inside || w.s.keep[string(w.path)]); err != nil {
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

func (w *walker) skipString() error {
	w.pos++ // opening quote
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
