package rules

import "sort"

// Builtin returns the built-in rule library, ordered by rule number. They
// cover DOMAIN.md's R1–R25 and R27 (there is no R26). Parts of the
// catalogue's conditions are not covered, for want of data:
//
//   - R10 stops unemployment benefit on pension start, custody, emigration
//     and enlistment (户籍 cancellations); re-employment is R9.
//   - R12 knows "able to work" only as the 完全丧失劳动能力 flag of the
//     dependant; there is no 劳动能力鉴定 table.
//   - R15 checks tenure at the certifying employer and the minimum age per
//     category; "unusual employer" (one employer certifying many early
//     retirements) needs a statistical baseline and is left to a local rule.
//   - R20 checks the 60%–300% band; the "sharp jump before retirement"
//     condition needs contributions up to the retirement month, which the
//     generated window does not hold for its retirees.
//   - R23 covers resume-after-retirement and resume-before-stop; duplicate
//     enrolment is R8; "transfer in progress" needs the transfer (转移接续)
//     tables, which the warehouse does not have yet.
//   - R21 measures "dead more than a year" against CURRENT_DATE (the
//     only clock-dependent rule): correct for screening today, and stable
//     on the generated data, whose deaths are all before 2025.
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
