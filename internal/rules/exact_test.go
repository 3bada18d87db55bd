package rules

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/gendata"
	"github.com/xietong/xietong/internal/warehouse"
	"github.com/xietong/xietong/internal/warehouse/whtest"
)

// Must-show 1: on generated data every built-in rule finds exactly the
// planted anomalies, on every engine.
func TestBuiltinRulesExact(t *testing.T) {
	const persons, seed, rate = 4000, 20240601, 0.02
	byEngine := map[warehouse.Dialect]map[hitKey]Hit{}
	for _, d := range whtest.Engines {
		t.Run(string(d), func(t *testing.T) {
			eng := whtest.Open(t, d)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			start := time.Now()
			gen, err := gendata.Generate(ctx, eng, gendata.Options{Persons: persons, Seed: seed, AnomalyRate: rate})
			if err != nil {
				t.Fatal(err)
			}
			genTime := time.Since(start)
			start = time.Now()
			list := Builtin()
			var found []gendata.Anomaly
			var codes []string
			all := map[hitKey]Hit{}
			for _, res := range RunAll(ctx, eng, list, nil) {
				if res.Err != nil {
					t.Errorf("%s: %v", res.Rule.Code, res.Err)
					continue
				}
				codes = append(codes, res.Rule.Code)
				for _, h := range res.Hits {
					if h.RuleCode != res.Rule.Code {
						t.Errorf("%s returned a hit of %q", res.Rule.Code, h.RuleCode)
					}
					found = append(found, gendata.Anomaly{Rule: h.RuleCode, Subject: h.Subject, Period: h.Period})
					all[hitKey{h.RuleCode, h.Subject, h.Period}] = h
				}
			}
			scores := gendata.Evaluate(codes, gen.Truth, found)
			t.Log("\n" + gendata.FormatScores(fmt.Sprintf("%s: %d persons, %d AC43 rows, generated in %s, rules in %s",
				d, persons, gen.Rows["ac43"], genTime.Round(time.Millisecond), time.Since(start).Round(time.Millisecond)), scores))
			for _, s := range scores {
				if s.Planted == 0 {
					t.Errorf("%s: nothing planted", s.Rule)
				}
				if s.Precision != 1 || s.Recall != 1 {
					t.Errorf("%s: precision %.3f recall %.3f; missing %v; extra %v", s.Rule, s.Precision, s.Recall, head(s.Missing), head(s.Extra))
				}
			}
			byEngine[d] = all
		})
	}
	// Pushdown: the same rule text means the same on every engine: same
	// hits, names, regions and amounts to the fen (evidence text may
	// format a date or decimal differently).
	base, ok := byEngine[warehouse.DuckDB]
	if !ok {
		return
	}
	for d, hits := range byEngine {
		if d == warehouse.DuckDB {
			continue
		}
		diff := 0
		for k, h := range base {
			o, ok := hits[k]
			o.Evidence, h.Evidence = "", ""
			if !ok || o != h {
				if diff++; diff <= 5 {
					t.Errorf("%s differs from duckdb: %+v vs %+v", d, o, h)
				}
			}
		}
		if len(hits) != len(base) || diff > 0 {
			t.Errorf("%s: %d hits, duckdb %d, %d differ", d, len(hits), len(base), diff)
		} else {
			t.Logf("%s: all %d hits equal DuckDB's, amounts included", d, len(hits))
		}
	}
}

type hitKey struct{ rule, subject, period string }

func head(a []gendata.Anomaly) []gendata.Anomaly {
	if len(a) > 5 {
		return a[:5]
	}
	return a
}
