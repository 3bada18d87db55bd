package rules

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/xietong/xietong/internal/dataapi/sqltpl"
	"github.com/xietong/xietong/internal/warehouse"
)

func TestBuiltinCatalogue(t *testing.T) {
	list := Builtin()
	if len(list) < 25 {
		t.Fatalf("%d built-in rules, want at least 25", len(list))
	}
	seen := map[string]bool{}
	scopes := map[string]bool{ScopeGeneral: true, ScopeSingle: true, ScopeLocal: true, ScopeNational: true}
	sev := map[string]bool{SeverityHigh: true, SeverityMedium: true, SeverityLow: true}
	for _, r := range list {
		if seen[r.Code] {
			t.Errorf("duplicate code %s", r.Code)
		}
		seen[r.Code] = true
		if r.Name == "" || r.Description == "" || r.LegalBasis == "" || !scopes[r.Scope] || !sev[r.Severity] || !r.Enabled || !r.Builtin {
			t.Errorf("%s: incomplete metadata %+v", r.Code, r)
		}
		for _, d := range []warehouse.Dialect{warehouse.DuckDB, warehouse.Postgres, warehouse.MySQL} {
			q, err := Compile(r, d, nil)
			if err != nil {
				t.Errorf("%s on %s: %v", r.Code, d, err)
				continue
			}
			if d == warehouse.Postgres && strings.Contains(q.SQL, "${") {
				t.Errorf("%s: unbound parameter left in %s", r.Code, q.SQL)
			}
		}
	}
}

func TestResolveDefaultsAndOverrides(t *testing.T) {
	r18, _ := ByCode(Builtin(), "R18")
	sets, err := Resolve(r18, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(sets) != 1 || sets[0].City != "" || !reflect.DeepEqual(sets[0].Values, map[string]string{"rate": "0.08", "tolerance": "0.01"}) {
		t.Fatalf("defaults: %+v", sets)
	}
	sets, err = Resolve(r18, map[string]map[string]string{"5203": {"rate": "0.1"}, "5201": {"tolerance": "0.05"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []ParamSet{
		{Values: map[string]string{"rate": "0.08", "tolerance": "0.01"}},
		{City: "5201", Values: map[string]string{"rate": "0.08", "tolerance": "0.05"}},
		{City: "5203", Values: map[string]string{"rate": "0.1", "tolerance": "0.01"}},
	}
	if !reflect.DeepEqual(sets, want) {
		t.Fatalf("overrides:\n got %+v\nwant %+v", sets, want)
	}
	// The override changes the bound value, never the SQL text.
	a, _ := Compile(r18, warehouse.Postgres, sets[0].Values)
	b, _ := Compile(r18, warehouse.Postgres, sets[2].Values)
	if a.SQL != b.SQL || reflect.DeepEqual(a.Args, b.Args) {
		t.Errorf("override should change only the arguments: %v vs %v", a.Args, b.Args)
	}
	for name, bad := range map[string]map[string]map[string]string{
		"unknown parameter": {"5201": {"ratee": "0.1"}},
		"bad city":          {"52A1": {"rate": "0.1"}},
		"county not city":   {"520102": {"rate": "0.1"}},
		"not a number":      {"5201": {"rate": "eight percent"}},
	} {
		if _, err := Resolve(r18, bad); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	// An optional parameter (no default) is absent unless a city sets it.
	r13, _ := ByCode(Builtin(), "R13")
	sets, err = Resolve(r13, map[string]map[string]string{"5202": {"year": "2023"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := sets[0].Values["year"]; ok || sets[1].Values["year"] != "2023" {
		t.Errorf("optional parameter: %+v", sets)
	}
	all, _ := Compile(r13, warehouse.DuckDB, sets[0].Values)
	one, _ := Compile(r13, warehouse.DuckDB, sets[1].Values)
	if len(all.Args) != 0 || len(one.Args) != 1 || one.Args[0] != int64(2023) {
		t.Errorf("optional block: %q %v / %q %v", all.SQL, all.Args, one.SQL, one.Args)
	}
}

// A value that holds SQL never changes the query: it is refused by its
// type, or bound as an argument and compared as data.
func TestValuesAreBound(t *testing.T) {
	r := Rule{Code: "X1", Name: "test", SQL: `SELECT 'X1' AS rule_code, a.aac002 AS subject, a.aac003 AS subject_name, a.aab301 AS region,
	'' AS insurance, a.aac006_ymd AS period, 0 AS amount, '' AS evidence
FROM ac01 a WHERE a.aac003 = ${name} AND a.aac007_mi - a.aac006_mi < ${min_age} * 12`,
		Params: []Param{{Name: "name", Type: TypeString, Default: "张三"}, {Name: "min_age", Type: TypeInteger, Default: "16"}}}
	evil := []string{"x' OR '1'='1", "'; DROP TABLE ac01; --", "张三\x27) UNION SELECT * FROM death --"}
	for _, d := range []warehouse.Dialect{warehouse.DuckDB, warehouse.Postgres, warehouse.MySQL} {
		plain, err := Compile(r, d, map[string]string{"name": "abc"})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range evil {
			q, err := Compile(r, d, map[string]string{"name": v})
			if err != nil {
				t.Fatalf("%s: %v", d, err)
			}
			if q.SQL != plain.SQL {
				t.Errorf("%s: the value changed the SQL:\n%s", d, q.SQL)
			}
			if q.Args[0] != v {
				t.Errorf("%s: argument %v, want %q", d, q.Args[0], v)
			}
		}
		if _, err := Compile(r, d, map[string]string{"min_age": "16 OR 1=1"}); err == nil {
			t.Errorf("%s: a non-integer for an integer parameter was accepted", d)
		}
		var be *sqltpl.BindError
		if _, err := Compile(r, d, map[string]string{"unknown": "1"}); !errors.As(err, &be) {
			t.Errorf("%s: an unknown parameter: %v", d, err)
		}
		if _, err := CompileCity(r, d, "52' OR '1'='1", nil); err == nil {
			t.Errorf("%s: a city with SQL was accepted", d)
		}
		q, err := CompileCity(r, d, "5201", nil)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(q.SQL, "5201") {
			t.Errorf("%s: the city was spliced into %s", d, q.SQL)
		}
	}
}

// Rules written by users pass the same template checks as data APIs.
func TestUnsafeRulesRefused(t *testing.T) {
	for _, sql := range []string{
		"DELETE FROM ac01",
		"SELECT 1; DROP TABLE ac01",
		"SELECT * FROM read_csv_auto('/etc/passwd')",
		"SELECT * FROM ac01 WHERE aac002 = '${x}'",
		"SELECT * INTO x FROM ac01",
	} {
		if _, err := Compile(Rule{Code: "X", SQL: sql}, warehouse.DuckDB, nil); err == nil {
			t.Errorf("accepted: %s", sql)
		}
	}
	if _, err := Compile(Rule{Code: "X", SQL: "SELECT 1", Params: []Param{{Name: "xt_city", Type: TypeString}}}, warehouse.DuckDB, nil); err == nil {
		t.Error("a reserved parameter name was accepted")
	}
}
