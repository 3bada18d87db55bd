package gateway

import (
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
