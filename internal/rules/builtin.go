package rules

import "sort"

// Builtin returns the built-in rule library, ordered by rule number. They
// cover DOMAIN.md's R1–R25 and R27 (there is no R26).
func Builtin() []Rule {
	var out []Rule
	for _, group := range [][]Rule{pensionRules(), benefitRules(), baseRules(), coverageRules()} {
		for _, r := range group {
			r.Enabled, r.Builtin = true, true
			out = append(out, r)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return codeNumber(out[i].Code) < codeNumber(out[j].Code) })
	return out
}

// ByCode finds a rule in a list.
func ByCode(list []Rule, code string) (Rule, bool) {
	for _, r := range list {
		if r.Code == code {
			return r, true
		}
	}
	return Rule{}, false
}

// codeNumber is 12 for "R12" (so R2 sorts before R10), 0 when there is none.
func codeNumber(code string) int {
	n := 0
	for i := 1; i < len(code); i++ {
		c := code[i]
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}
