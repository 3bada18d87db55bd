package gateway

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

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

// appendMaskJSON appends Mask(cat, string(s)) to b as a JSON string,
// without allocating: the shaper's form of Mask.
func appendMaskJSON(b []byte, cat string, s []byte) []byte {
	b = append(b, '"')
	n := runeCount(s)
	switch cat {
	case "phone":
		b = appendKeepEnds(b, s, n, 3, 4)
	case "name":
		if n <= 1 {
			b = append(b, '*')
		} else {
			b = appendJSONText(b, s[:runeOffset(s, 1)])
			b = appendStars(b, n-1)
		}
	case "id_number", "bank_card":
		b = appendKeepEnds(b, s, n, 6, 4)
	case "address":
		done := false
		for _, mark := range addressMarks {
			if i := bytes.Index(s, mark); i > 0 {
				cut := i + len(mark)
				b = appendJSONText(b, s[:cut])
				if cut < len(s) {
					b = append(b, "****"...)
				}
				done = true
				break
			}
		}
		if !done {
			if n > 6 {
				b = appendJSONText(b, s[:runeOffset(s, 6)])
			}
			b = append(b, "****"...)
		}
	default:
		b = append(b, "******"...)
	}
	return append(b, '"')
}

// appendKeepEnds is Mask's keepEnds: s of n runes with all but the first
// head and the last tail runes starred.
func appendKeepEnds(b, s []byte, n, head, tail int) []byte {
	if n <= head+tail {
		return appendStars(b, n)
	}
	b = appendJSONText(b, s[:runeOffset(s, head)])
	b = appendStars(b, n-head-tail)
	return appendJSONText(b, s[runeOffset(s, n-tail):])
}

var addressMarks = [][]byte{[]byte("区"), []byte("县"), []byte("旗")}

// runeCount is utf8.RuneCount, which in Go 1.26 copies a non-ASCII tail
// longer than 32 bytes into a new string to count it.
func runeCount(s []byte) int {
	n := 0
	for i := 0; i < len(s); n++ {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		_, size := utf8.DecodeRune(s[i:])
		i += size
	}
	return n
}

// runeOffset is the byte offset of rune k of s (an invalid byte is a rune,
// as in []rune(s)).
func runeOffset(s []byte, k int) int {
	off := 0
	for ; k > 0 && off < len(s); k-- {
		_, size := utf8.DecodeRune(s[off:])
		off += size
	}
	return off
}

func appendStars(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, '*')
	}
	return b
}

// appendJSONText appends s escaped for the inside of a JSON string:
// quotes, backslashes and control characters escaped, invalid UTF-8 as
// U+FFFD (what []rune and string conversions make of it).
func appendJSONText(b, s []byte) []byte {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, "\uFFFD"...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}
