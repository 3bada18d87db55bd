package gendata

import (
	"fmt"
	"sort"
	"strings"
)

// Score compares one rule's hits with the planted truth.
type Score struct {
	Rule      string
	Planted   int // truth rows
	Found     int // hits
	Correct   int // hits that are truth rows
	Precision float64
	Recall    float64
	Missing   []Anomaly // planted, not found
	Extra     []Anomaly // found, not planted
}

// Evaluate scores found against truth per rule; rules lists the rule codes
// to report (each gets a Score even with nothing planted or found).
// Duplicated hits count once.
func Evaluate(rules []string, truth, found []Anomaly) []Score {
	want := map[Anomaly]bool{}
	for _, a := range truth {
		want[a] = true
	}
	got := map[Anomaly]bool{}
	for _, a := range found {
		got[a] = true
	}
	byRule := map[string]*Score{}
	for _, r := range rules {
		byRule[r] = &Score{Rule: r}
	}
	get := func(r string) *Score {
		if s, ok := byRule[r]; ok {
			return s
		}
		s := &Score{Rule: r}
		byRule[r] = s
		return s
	}
	for a := range want {
		s := get(a.Rule)
		s.Planted++
		if got[a] {
			s.Correct++
		} else {
			s.Missing = append(s.Missing, a)
		}
	}
	for a := range got {
		s := get(a.Rule)
		s.Found++
		if !want[a] {
			s.Extra = append(s.Extra, a)
		}
	}
	out := make([]Score, 0, len(byRule))
	for _, s := range byRule {
		s.Precision, s.Recall = ratio(s.Correct, s.Found), ratio(s.Correct, s.Planted)
		SortAnomalies(s.Missing)
		SortAnomalies(s.Extra)
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		if a, b := ruleNumber(out[i].Rule), ruleNumber(out[j].Rule); a != b {
			return a < b
		}
		return out[i].Rule < out[j].Rule
	})
	return out
}

// ratio is 1 when both are zero: nothing to find and nothing found is right.
func ratio(n, d int) float64 {
	if d == 0 {
		if n == 0 {
			return 1
		}
		return 0
	}
	return float64(n) / float64(d)
}

// FormatScores renders a table of scores.
func FormatScores(title string, scores []Score) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%-5s %8s %8s %8s %10s %8s\n", title, "rule", "planted", "found", "correct", "precision", "recall")
	for _, s := range scores {
		fmt.Fprintf(&b, "%-5s %8d %8d %8d %9.1f%% %7.1f%%\n", s.Rule, s.Planted, s.Found, s.Correct, 100*s.Precision, 100*s.Recall)
	}
	return b.String()
}
