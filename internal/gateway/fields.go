package gateway

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// shape applies a grant to a JSON response: fields not granted are removed,
// classified fields are masked unless their category is granted in plain
// text. It returns the new body and the number of records (the length of
// the first list at the top or under data/items/list/records, else 1).
func shape(body []byte, api *API, g *Grant) ([]byte, int, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, 0, err
	}
	if len(g.Fields) > 0 {
		v = filter(v, "", g.Fields)
	}
	for _, fc := range api.Fields {
		if !g.Plain[fc.Category] {
			v = maskAt(v, splitPath(fc.Path), fc.Category)
		}
	}
	out, err := json.Marshal(v)
	return out, records(v), err
}

func records(v any) int {
	if a, ok := v.([]any); ok {
		return len(a)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return 1
	}
	for _, k := range []string{"data", "items", "list", "records"} {
		switch x := m[k].(type) {
		case []any:
			return len(x)
		case map[string]any:
			return records(x)
		}
	}
	return 1
}

func child(p, k string) string {
	if p == "" {
		return k
	}
	return p + "." + k
}

// keep reports whether the node at path p stays: it is granted, inside a
// granted subtree, or a container of a granted field.
func keep(p string, allowed []string) bool {
	for _, a := range allowed {
		if a == p || strings.HasPrefix(a, p+".") || strings.HasPrefix(a, p+"[]") ||
			strings.HasPrefix(p, a+".") || strings.HasPrefix(p, a+"[]") {
			return true
		}
	}
	return false
}

func filter(v any, p string, allowed []string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			cp := child(p, k)
			if !keep(cp, allowed) {
				delete(x, k)
				continue
			}
			x[k] = filter(val, cp, allowed)
		}
		return x
	case []any:
		for i := range x {
			x[i] = filter(x[i], p+"[]", allowed)
		}
		return x
	}
	return v
}

type seg struct {
	key   string
	array bool
}

func splitPath(p string) []seg {
	var out []seg
	for _, part := range strings.Split(p, ".") {
		s := seg{key: strings.TrimSuffix(part, "[]")}
		s.array = strings.HasSuffix(part, "[]")
		out = append(out, s)
	}
	return out
}

func maskAt(v any, path []seg, cat string) any {
	if len(path) == 0 {
		return maskValue(v, cat)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	val, ok := m[path[0].key]
	if !ok {
		return v
	}
	if path[0].array {
		if a, ok := val.([]any); ok {
			for i := range a {
				a[i] = maskAt(a[i], path[1:], cat)
			}
		}
		return v
	}
	m[path[0].key] = maskAt(val, path[1:], cat)
	return v
}

func maskValue(v any, cat string) any {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case json.Number:
		s = x.String()
	case nil:
		return nil
	default:
		return "******"
	}
	return Mask(cat, s)
}

// Mask masks s by its sensitive category (DOMAIN.md): a phone keeps the
// first 3 and last 4, a name its surname, an ID number the first 6 and last
// 4, a bank card the first 6 and last 4, an address up to the district;
// anything else is hidden.
func Mask(cat, s string) string {
	r := []rune(s)
	n := len(r)
	keepEnds := func(head, tail int) string {
		if n <= head+tail {
			return strings.Repeat("*", n)
		}
		return string(r[:head]) + strings.Repeat("*", n-head-tail) + string(r[n-tail:])
	}
	switch cat {
	case "phone":
		return keepEnds(3, 4)
	case "name":
		if n <= 1 {
			return "*"
		}
		return string(r[:1]) + strings.Repeat("*", n-1)
	case "id_number", "bank_card":
		return keepEnds(6, 4)
	case "address":
		for _, mark := range []string{"区", "县", "旗"} {
			if i := strings.Index(s, mark); i > 0 {
				cut := i + len(mark)
				if utf8.RuneCountInString(s[cut:]) == 0 {
					return s
				}
				return s[:cut] + "****"
			}
		}
		if n > 6 {
			return string(r[:6]) + "****"
		}
		return "****"
	}
	return "******"
}
