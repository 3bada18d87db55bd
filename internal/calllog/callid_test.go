package calllog

import (
	"sort"
	"testing"
	"time"
)

// Call ids are 16 URL-safe characters, unique, and sort in the order they
// were made (millisecond by millisecond), also as the database compares
// text (bytewise).
func TestCallIDsSortByTime(t *testing.T) {
	start := time.Date(2026, 12, 7, 23, 59, 59, 0, time.UTC)
	var ids []string
	seen := map[string]bool{}
	for i := 0; i < 5000; i++ {
		id := NewCallID(start.Add(time.Duration(i) * 700 * time.Microsecond))
		if len(id) != CallIDLen || seen[id] || id[0] < 'A' || id[0] > 'Z' {
			t.Fatalf("id %d %q: wrong length, a repeat, or not starting with a capital letter", i, id)
		}
		for _, c := range id {
			if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				t.Fatalf("id %q has %q, not URL-safe", id, c)
			}
		}
		seen[id] = true
		ids = append(ids, id)
	}
	for i := 1; i < len(ids); i++ {
		ms := func(k int) int64 { return start.Add(time.Duration(k) * 700 * time.Microsecond).UnixMilli() }
		if ms(i) > ms(i-1) && ids[i] <= ids[i-1] {
			t.Fatalf("id %q made after %q sorts before it", ids[i], ids[i-1])
		}
	}
	// Across a far span, too: sorting the ids sorts the times.
	a, b := NewCallID(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)), NewCallID(time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC))
	s := []string{b, a}
	sort.Strings(s)
	if s[0] != a {
		t.Fatalf("%q (2099) sorts before %q (2020)", b, a)
	}
}
