package rules

import (
	"fmt"
	"strings"

	"github.com/xietong/xietong/internal/dataapi/sqltpl"
	"github.com/xietong/xietong/internal/warehouse"
)

// Compile binds a rule for a dialect ("" means DuckDB): the template is
// checked by sqltpl (one read-only query, no forbidden keywords or
// functions) and every parameter becomes a placeholder with its value in
// Args. values override the defaults; an empty value means "not given".
func Compile(r Rule, d warehouse.Dialect, values map[string]string) (*sqltpl.Query, error) {
	t, err := parse(r, r.SQL, nil)
	if err != nil {
		return nil, err
	}
	return bind(t, r, d, values)
}

// CompileCity is Compile restricted to the hits of one city: the rule's
// query becomes a derived table filtered on the first four digits of the
// region, with the city bound like any value.
func CompileCity(r Rule, d warehouse.Dialect, city string, values map[string]string) (*sqltpl.Query, error) {
	if !validCity(city) {
		return nil, fmt.Errorf("rules: %s: city %q: want a 4-digit city code", r.Code, city)
	}
	text := "SELECT * FROM (\n" + trimStatement(r.SQL) + "\n) xt_h WHERE SUBSTRING(xt_h.region, 1, 4) = ${xt_city}"
	t, err := parse(r, text, []sqltpl.Param{{Name: "xt_city", Type: sqltpl.TypeString, Required: true}})
	if err != nil {
		return nil, err
	}
	vals := map[string]string{"xt_city": city}
	for k, v := range values {
		vals[k] = v
	}
	return bind(t, r, d, vals)
}

// CompileLimit is Compile with at most n hits (a bound LIMIT), for DryRun.
func CompileLimit(r Rule, d warehouse.Dialect, values map[string]string, n int) (*sqltpl.Query, error) {
	t, err := parse(r, r.SQL, nil)
	if err != nil {
		return nil, err
	}
	q, err := t.BindPage(dialect(d), values, sqltpl.Page{Limit: n}, nil)
	if err != nil {
		return nil, fmt.Errorf("rules: %s: %w", r.Code, err)
	}
	return q, nil
}

func parse(r Rule, text string, extra []sqltpl.Param) (*sqltpl.Template, error) {
	if err := checkParams(r); err != nil {
		return nil, err
	}
	specs := make([]sqltpl.Param, 0, len(r.Params)+len(extra))
	for _, p := range r.Params {
		specs = append(specs, sqltpl.Param{Name: p.Name, Type: p.Type, Default: p.Default, Description: p.Description})
	}
	t, err := sqltpl.Parse(text, append(specs, extra...))
	if err != nil {
		return nil, fmt.Errorf("rules: %s: %w", r.Code, err)
	}
	return t, nil
}

func bind(t *sqltpl.Template, r Rule, d warehouse.Dialect, values map[string]string) (*sqltpl.Query, error) {
	q, err := t.Bind(dialect(d), values)
	if err != nil {
		return nil, fmt.Errorf("rules: %s: %w", r.Code, err)
	}
	return q, nil
}

func dialect(d warehouse.Dialect) sqltpl.Dialect {
	if d == "" {
		return sqltpl.DuckDB
	}
	return d.Template()
}

// trimStatement drops one trailing ";" so that the query can be nested.
func trimStatement(s string) string {
	s = strings.TrimRight(s, " \t\r\n")
	return strings.TrimRight(strings.TrimSuffix(s, ";"), " \t\r\n")
}
