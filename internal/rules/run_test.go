package rules

import (
	"context"
	"strings"
	"testing"

	"github.com/xietong/xietong/internal/gendata"
	"github.com/xietong/xietong/internal/warehouse"
)

func generated(t *testing.T, persons int) *warehouse.Engine {
	t.Helper()
	eng, err := warehouse.OpenDuckDB("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	if _, err := gendata.Generate(context.Background(), eng, gendata.Options{Persons: persons, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	return eng
}

// A city's override (规则参数维护) applies to that city's hits only; the
// rest of the province keeps the default.
func TestCityOverrideRuns(t *testing.T) {
	ctx := context.Background()
	eng := generated(t, 2000)
	r17, _ := ByCode(Builtin(), "R17")
	count := func(q string, args ...any) int {
		var n int
		if err := eng.DB.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Normal workers start at 18–22: a minimum age of 20 in 贵阳 (5201)
	// flags some of them there and nowhere else.
	sets, err := Resolve(r17, map[string]map[string]string{"5201": {"min_age": "20"}})
	if err != nil {
		t.Fatal(err)
	}
	hits, err := RunSets(ctx, eng, r17, sets)
	if err != nil {
		t.Fatal(err)
	}
	in, out := 0, 0
	for _, h := range hits {
		if strings.HasPrefix(h.Region, "5201") {
			in++
		} else {
			out++
		}
	}
	wantIn := count(`SELECT count(*) FROM ac01 WHERE aab301 LIKE '5201%' AND aac007_mi - aac006_mi < 240`)
	wantOut := count(`SELECT count(*) FROM ac01 WHERE aab301 NOT LIKE '5201%' AND aac007_mi - aac006_mi < 192`)
	if in != wantIn || out != wantOut || wantIn <= count(`SELECT count(*) FROM ac01 WHERE aab301 LIKE '5201%' AND aac007_mi - aac006_mi < 192`) {
		t.Errorf("hits in 5201: %d (want %d), elsewhere %d (want %d)", in, wantIn, out, wantOut)
	}
	// RunAll takes the same overrides by rule code.
	res := RunAll(ctx, eng, []Rule{r17}, map[string]map[string]map[string]string{"R17": {"5201": {"min_age": "20"}}})
	if len(res) != 1 || res[0].Err != nil || len(res[0].Hits) != len(hits) {
		t.Errorf("RunAll: %+v", res)
	}
}

func TestDryRunAndHits(t *testing.T) {
	ctx := context.Background()
	eng := generated(t, 2000)
	r20, _ := ByCode(Builtin(), "R20")
	all, err := Run(ctx, eng, r20, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 4 {
		t.Fatalf("R20 found %d hits", len(all))
	}
	some, err := DryRun(ctx, eng, r20, nil, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(some) != 3 {
		t.Errorf("dry run gave %d hits, want 3", len(some))
	}
	if _, err := DryRun(ctx, eng, r20, nil, 0); err == nil {
		t.Error("a dry run of 0 hits was accepted")
	}
	for _, h := range all {
		if h.RuleCode != "R20" || len(h.Subject) != 18 || len(h.Region) != 6 || len(h.Period) != 6 || h.SubjectName == "" || h.Evidence == "" {
			t.Errorf("malformed hit %+v", h)
			break
		}
	}
	// Money comes back exact to the fen.
	r1, _ := ByCode(Builtin(), "R1")
	hits, err := Run(ctx, eng, r1, nil)
	if err != nil || len(hits) == 0 {
		t.Fatalf("R1: %v %v", hits, err)
	}
	for _, h := range hits {
		var sum float64
		if err := eng.DB.QueryRowContext(ctx, `SELECT CAST(SUM(p.aae019) AS DOUBLE) FROM pension_pay p JOIN ac01 a ON a.aac001 = p.aac001
			WHERE a.aac002 = ? AND p.aae003 >= ?`, h.Subject, h.Period).Scan(&sum); err != nil {
			t.Fatal(err)
		}
		if round2(sum) != h.Amount || h.Amount <= 0 {
			t.Errorf("R1 %s: amount %v, want %v", h.Subject, h.Amount, round2(sum))
		}
	}
	// A rule whose query does not return the hit columns is refused.
	bad := Rule{Code: "X", SQL: "SELECT aac002 FROM ac01"}
	if _, err := Run(ctx, eng, bad, nil); err == nil {
		t.Error("a rule with the wrong columns was accepted")
	}
}
