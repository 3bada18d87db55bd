package gateway

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// The shaper before it unquoted and masked in place (encoding/json per
// string, Mask, then quoting), kept as the reference its replacement must
// match: same output, same records, same refusals. Only the quoting of a
// masked value is today's (strconv.AppendQuote could emit \x escapes, which
// are not JSON).

var errRef = errors.New("ref: bad JSON")

func refShape(s *Shaper, body []byte) ([]byte, int, error) {
	w := refWalker{in: body, out: make([]byte, 0, len(body)), s: s, records: -1}
	w.ws()
	if err := w.value(s.all); err != nil {
		return nil, 0, err
	}
	w.ws()
	if w.pos != len(w.in) {
		return nil, 0, errRef
	}
	if w.records < 0 {
		w.records = 1
	}
	return w.out, w.records, nil
}

func refQuote(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendJSONText(b, []byte(s))
	return append(b, '"')
}

type refWalker struct {
	in      []byte
	pos     int
	out     []byte
	path    []byte
	s       *Shaper
	records int
}

func (w *refWalker) ws() {
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
func refRecordPath(p []byte) bool {
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
func (w *refWalker) value(inside bool) error {
	if w.pos >= len(w.in) {
		return errRef
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
			return errRef
		}
		return w.scalar(w.in[start:w.pos], false)
	}
}

func (w *refWalker) scalar(raw []byte, isString bool) error {
	cat, masked := w.s.mask[string(w.path)]
	if !masked {
		w.out = append(w.out, raw...)
		return nil
	}
	var text string
	switch {
	case isString:
		if err := json.Unmarshal(raw, &text); err != nil {
			return errRef
		}
	case string(raw) == "null":
		w.out = append(w.out, raw...)
		return nil
	default:
		text = string(raw)
	}
	w.out = refQuote(w.out, Mask(cat, text))
	return nil
}

func (w *refWalker) object(inside bool) error {
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
			return errRef
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
				return errRef
			}
			key = []byte(k)
		}
		w.ws()
		if w.pos >= len(w.in) || w.in[w.pos] != ':' {
			return errRef
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
		return errRef
	}
}

func (w *refWalker) array(inside bool) error {
	w.pos++ // [
	w.out = append(w.out, '[')
	count := w.records < 0 && refRecordPath(w.path)
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
		return errRef
	}
}

func (w *refWalker) skipString() error {
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
	return errRef
}

// skip passes over one value without copying it.
func (w *refWalker) skip() error {
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
	return errRef
}

func checkShapeRef(t *testing.T, s *Shaper, body []byte) {
	t.Helper()
	want, wn, werr := refShape(s, body)
	got, n, err := s.Shape(body)
	if (err != nil) != (werr != nil) || string(got) != string(want) || n != wn {
		t.Fatalf("%q:\n got %q %d %v\nwant %q %d %v", body, got, n, err, want, wn, werr)
	}
}

var refShapers = func() []*Shaper {
	api := &API{Fields: []FieldClass{{Path: "data.items[].phone", Category: "phone"}, {Path: "data.items[].name", Category: "name"},
		{Path: "data.items[].aac002", Category: "id_number"}, {Path: "data.items[].addr", Category: "address"}, {Path: "phone", Category: "phone"},
		{Path: "n", Category: "id_number"}, {Path: "[].phone", Category: "phone"}, {Path: "a\"b", Category: "bank_card"}, {Path: "x", Category: "secret"}}}
	return []*Shaper{
		NewShaper(api, &Grant{Plain: map[string]bool{}}),
		NewShaper(api, &Grant{Plain: map[string]bool{"name": true}, Fields: []string{"code", "data.items[].name", "data.items[].phone", "data.items[].addr", "data.total", "a\"b", "[]"}}),
		NewShaper(api, &Grant{Plain: map[string]bool{}, Fields: []string{"data.items[].phone", "n", "x", "phone"}}),
	}
}()

var refBodies = []string{
	`{"code":0,"data":{"items":[{"name":"张三","phone":"13812341234","aac002":"11010519491231002X","addr":"江苏省南通市崇川区青年中路1号","salary":9000}],"total":1}}`,
	`{"phone":"138\u00001234\"5678","n":110105194912310021,"x":null,"a\"b":"6228880000005676","a\u0022b":"6228\n880000005676"}`,
	`[{"phone":"\ud83d\ude00\ud83d1234567\udc00"},{"phone":"` + "\xff\xfe" + `12345678"},{"phone":"\/\b\f\r\t1234567"}]`,
	`{"data":{"items":[{"addr":"北京市朝阳区"},{"addr":"某县"},{"addr":"某地某某某某某某"},{"addr":"` + "\x01" + `区x"},{"name":"\u5f20"}]}}`,
	`{"phone":"\x"}`, `{"phone":"\u12"}`, `{"phone":"` + "\x01" + `"}`, `{"phone":tru` + "\xff" + `e}`, `{"a\u0062":1}`, `{"a\q":1}`, ` [ ] `, `{`, `"x"`,
}

func TestShapeMatchesReference(t *testing.T) {
	for _, s := range refShapers {
		for _, b := range refBodies {
			checkShapeRef(t, s, []byte(b))
		}
	}
}

func FuzzShapeRef(f *testing.F) {
	for _, b := range refBodies {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, s := range refShapers {
			checkShapeRef(t, s, body)
		}
	})
}

// appendMaskJSON reads back as Mask of the same text.
func FuzzMaskJSON(f *testing.F) {
	for _, s := range []string{"13812341234", "张三丰", "江苏省南通市崇川区青年中路1号", "某县", "\xff\xfe区\"\\\n", "12"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, cat := range []string{"phone", "name", "id_number", "bank_card", "address", "other"} {
			out := appendMaskJSON(nil, cat, []byte(s))
			var back string
			if err := json.Unmarshal(out, &back); err != nil {
				t.Fatalf("%s %q: %s is not JSON: %v", cat, s, out, err)
			}
			want := Mask(cat, string([]rune(s)))
			if back != want || !utf8.ValidString(back) {
				t.Fatalf("%s %q: %q, want %q", cat, s, back, want)
			}
		}
	})
}
