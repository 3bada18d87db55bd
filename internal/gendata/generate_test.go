package gendata

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xietong/xietong/internal/ident"
	"github.com/xietong/xietong/internal/warehouse"
)

func generate(t *testing.T, persons int, seed int64, dir string) (*warehouse.Engine, *Result) {
	t.Helper()
	eng, err := warehouse.OpenDuckDB("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	res, err := Generate(context.Background(), eng, Options{Persons: persons, Seed: seed, AnomalyRate: 0.01, OutDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return eng, res
}

func TestGenerateShape(t *testing.T) {
	dir := t.TempDir()
	eng, res := generate(t, 3000, 7, dir)
	ctx := context.Background()
	for _, tb := range warehouse.Tables() {
		if res.Rows[tb.Name] == 0 {
			t.Errorf("table %s is empty", tb.Name)
		}
	}
	perPerson := float64(res.Rows["ac43"]) / 3000
	t.Logf("rows: %v; ac43 per person %.1f; %s", res.Rows, perPerson, res.Elapsed)
	if perPerson < 50 || perPerson > 70 {
		t.Errorf("AC43 rows per person = %.1f, want about 60", perPerson)
	}
	byRule := map[string]int{}
	for _, a := range res.Truth {
		byRule[a.Rule]++
	}
	t.Logf("truth per rule: %v", byRule)
	for _, r := range []string{"R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15",
		"R16", "R17", "R18", "R19", "R20", "R21", "R22", "R23", "R24", "R25", "R27"} {
		if byRule[r] == 0 {
			t.Errorf("no anomaly planted for %s", r)
		}
	}
	checkIDs := func(q string, valid func(string) bool) {
		rows, err := eng.DB.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			n++
			if !valid(s) {
				t.Errorf("%s: invalid %q", q, s)
				return
			}
		}
		if n == 0 {
			t.Errorf("%s: no rows", q)
		}
	}
	for _, q := range []string{"SELECT aac002 FROM ac01", "SELECT aac002 FROM injury_dep", "SELECT aac002 FROM card_holder",
		"SELECT aac002 FROM special_group", "SELECT aac002 FROM death"} {
		checkIDs(q, ident.ValidID)
	}
	checkIDs("SELECT aab003 FROM ab01", ident.ValidUSCC)
	checkIDs("SELECT aab003 FROM ent_reg", ident.ValidUSCC)
	// The birth date inside the number is AAC006 except for R16 plants.
	var mismatch int
	eng.DB.QueryRowContext(ctx, "SELECT count(*) FROM ac01 WHERE substr(aac002, 7, 8) <> aac006_ymd").Scan(&mismatch)
	if mismatch != byRule["R16"] {
		t.Errorf("birth mismatches %d, want the %d R16 plants", mismatch, byRule["R16"])
	}
	csv, err := os.ReadFile(filepath.Join(dir, "truth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(string(csv), "\n"); lines != len(res.Truth)+1 || !strings.HasPrefix(string(csv), "rule,subject,period\n") {
		t.Errorf("truth.csv has %d lines for %d anomalies", lines, len(res.Truth))
	}
}

func TestGenerateDeterministic(t *testing.T) {
	_, a := generate(t, 1500, 42, "")
	_, b := generate(t, 1500, 42, "")
	_, c := generate(t, 1500, 43, "")
	if len(a.Truth) != len(b.Truth) {
		t.Fatalf("same seed, %d vs %d anomalies", len(a.Truth), len(b.Truth))
	}
	for i := range a.Truth {
		if a.Truth[i] != b.Truth[i] {
			t.Fatalf("same seed, different truth at %d: %v vs %v", i, a.Truth[i], b.Truth[i])
		}
	}
	for k, v := range a.Rows {
		if b.Rows[k] != v {
			t.Errorf("same seed, table %s has %d vs %d rows", k, v, b.Rows[k])
		}
	}
	same := 0
	for i := range a.Truth {
		if i < len(c.Truth) && a.Truth[i] == c.Truth[i] {
			same++
		}
	}
	if same == len(a.Truth) {
		t.Error("another seed gave the same truth")
	}
}

func TestOptionsRefused(t *testing.T) {
	eng, err := warehouse.OpenDuckDB("")
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close()
	for _, o := range []Options{{Persons: 10}, {Persons: 2000, AnomalyRate: 0.5}, {Persons: 2000, Province: "5x"}} {
		if _, err := Generate(context.Background(), eng, o); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}
