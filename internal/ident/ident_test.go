package ident

import "testing"

func TestValidID(t *testing.T) {
	for s, want := range map[string]bool{
		"11010519491231002X": true,  // DOMAIN.md example
		"11010519491231002x": false, // lower-case x
		"110105194912310021": false, // wrong check
		"11010519491331002X": false, // month 13 (check recomputed below would still fail the date)
		"1101051949123100":   false,
	} {
		if ValidID(s) != want {
			t.Errorf("%s: %v", s, !want)
		}
	}
	if got, ok := ID15To18("110105491231002"); !ok || got != "11010519491231002X" {
		t.Errorf("15→18: %s %v", got, ok)
	}
}

func TestValidUSCC(t *testing.T) {
	for s, want := range map[string]bool{
		"91350100M000100Y43": true, // DOMAIN.md examples
		"91512081MA62K0260E": true,
		"91350100M000100Y44": false,
		"9135010OM000100Y43": false, // O is not in the alphabet
	} {
		if ValidUSCC(s) != want {
			t.Errorf("%s: %v", s, !want)
		}
	}
}

func TestCompleteID(t *testing.T) {
	for _, want := range []string{"11010519491231002X", "440524188001010014"} {
		got, ok := CompleteID(want[:17])
		if !ok || got != want {
			t.Fatalf("CompleteID(%s) = %s, %v; want %s", want[:17], got, ok, want)
		}
	}
	if _, ok := CompleteID("1101051949123100A"); ok {
		t.Fatal("a letter in the body was accepted")
	}
	if _, ok := CompleteID("123"); ok {
		t.Fatal("a short body was accepted")
	}
}
