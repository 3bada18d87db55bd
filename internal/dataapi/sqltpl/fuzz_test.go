package sqltpl

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

var fuzzTemplates = []string{
	"SELECT aac001, aac003 FROM ac01 WHERE aab301 = ${region} [[ AND aac004 = ${sex} ]]",
	"WITH t AS (SELECT aac001 FROM ac01 WHERE aae036 >= ${since}) SELECT * FROM t;",
	"SELECT a.aac001 FROM ac01 a JOIN ab01 b ON a.aab001 = b.aab001 WHERE a.aae036::date = ${d}::date -- c",
	"SELECT update_time, created_at, settlement, \"delete\", `update` FROM t /* x */ WHERE a = ${p}",
	"SELECT replace(a, '''', '') FROM t WHERE a IS DISTINCT FROM ${p} [[ AND b = ${q} ]] [[ AND c IN (${r}, ${s}) ]]",
	"SELECT 1; DROP TABLE x",
	"SELECT 1;;",
	"SELECT 1 /*;*/ ; DELETE FROM t",
	"SELECT /*! 1 */ 1",
	"SELECT $$x$$",
	"SELECT * FROM t WHERE a = ? AND b = $1",
	"SELECT * FROM t WHERE a = '${x}'",
	"SELECT * INTO t2 FROM t",
	"SELECT * FROM t FOR UPDATE",
	"WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x",
	"SELECT pg_sleep [[ ${p} ]] (1)",
	"SELECT ARRAY[[1,2],[3,4]] FROM t WHERE a = ${p}",
	"SELECT -[[${p}]]-1",
	"SELECT * FROM t WHERE a = ${p}0",
	"SELECT 'a\\' ; DROP TABLE x; -- '",
	"SELECT 1 --1",
	"SELECT \"x\"\"y\" FROM t -- ${",
	"SELECT * FROM 'data.csv'",
	"SELECT * FROM t WHERE a = ${p} [[ AND b = ${p} ]]",
}

var allDialects = []Dialect{Postgres, MySQL, SQLite, DuckDB, Oracle, SQLServer}

// FuzzParse: any text must be refused or accepted without panicking; an
// accepted template binds (with each parameter's default) to SQL that holds
// no ${.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzTemplates {
		f.Add(s)
	}
	paramRef := regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]{0,63})\}`)
	f.Fuzz(func(t *testing.T, text string) { fuzzParseOne(t, paramRef, text) })
}

// Inputs are capped at 512 bytes: the fuzzer's minimizer is cubic in the
// input length and would stall the run on long ones; the size limits have
// unit tests.
const fuzzMaxLen = 512

func fuzzParseOne(t *testing.T, paramRef *regexp.Regexp, text string) {
	if len(text) > fuzzMaxLen {
		return
	}
	if _, err := Parse(text, nil); err != nil {
		checkParseError(t, err)
	}
	var params []Param
	seen := map[string]bool{}
	for _, m := range paramRef.FindAllStringSubmatch(text, -1) {
		if !seen[m[1]] && len(params) < maxParams {
			seen[m[1]] = true
			params = append(params, Param{Name: m[1], Type: TypeString, Default: "d"})
		}
	}
	tpl, err := Parse(text, params)
	if err != nil {
		checkParseError(t, err)
		return
	}
	for _, d := range allDialects {
		q, err := tpl.Bind(d, nil)
		if err != nil {
			if tpl.Check(d) == nil {
				t.Fatalf("%s: Bind with defaults failed: %v", d, err)
			}
			continue
		}
		if strings.Contains(q.SQL, "${") {
			t.Fatalf("%s: %q left a parameter in %q", d, text, q.SQL)
		}
		if _, err := tpl.BindPage(d, nil, Page{Limit: 10, Offset: 5}, nil); err != nil {
			t.Fatalf("%s: BindPage: %v", d, err)
		}
		if _, err := tpl.BindCount(d, nil); err != nil {
			t.Fatalf("%s: BindCount: %v", d, err)
		}
	}
}

func checkParseError(t *testing.T, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code == "" || e.ZH == "" || e.EN == "" {
		t.Fatalf("Parse error without code and messages: %#v", err)
	}
}

// FuzzBind: any value of any type either comes back as a *BindError or is
// bound as an argument, the SQL text staying that of the template.
func FuzzBind(f *testing.F) {
	types := []string{TypeString, TypeInteger, TypeNumber, TypeBoolean, TypeDate, TypeDatetime, TypeIDCard, TypeUSCC}
	good := map[string]string{TypeString: "x", TypeInteger: "1", TypeNumber: "1.5", TypeBoolean: "true", TypeDate: "2024-01-01",
		TypeDatetime: "2024-01-01 00:00:00", TypeIDCard: "11010519491231002X", TypeUSCC: "91350100M000100Y43"}
	const text = "SELECT aac001 FROM ac01 WHERE aac002 = ${v} [[ AND aac004 = ${w} ]]"
	tpls := make([]*Template, len(types))
	for i, typ := range types {
		tpls[i] = mustParse(f, text, Param{Name: "v", Type: typ, Required: true}, Param{Name: "w", Type: typ, Pattern: `[^']*`})
	}
	for i := range types {
		for _, v := range []string{"' OR '1'='1", "1; DROP TABLE ac01", "1 OR 1=1", "0x31", "１", "NaN", "1e400",
			"110101199003071234' --", "110105194912310021", "11010519491231002x", "2024-02-30", "-0", "1e-400"} {
			f.Add(uint8(i), "v", v)
			f.Add(uint8(i), "w", v)
		}
	}
	f.Add(uint8(0), "x", "1")
	f.Fuzz(func(t *testing.T, kind uint8, key, value string) {
		if len(key)+len(value) > fuzzMaxLen {
			return
		}
		i := int(kind) % len(types)
		tpl := tpls[i]
		vals := map[string]string{"v": good[types[i]]}
		vals[key] = value
		for _, d := range []Dialect{Postgres, MySQL, SQLServer} {
			q, err := tpl.Bind(d, vals)
			if err != nil {
				var be *BindError
				if !errors.As(err, &be) || len(be.Fields) == 0 {
					t.Fatalf("%s: %#v", d, err)
				}
				continue
			}
			ph := map[Dialect][2]string{Postgres: {"$1", "$2"}, MySQL: {"?", "?"}, SQLServer: {"@p1", "@p2"}}[d]
			want := "SELECT aac001 FROM ac01 WHERE aac002 = " + ph[0]
			if len(q.Args) == 2 {
				want += " AND aac004 = " + ph[1]
			}
			if q.SQL != want {
				t.Fatalf("%s: %q gave %q", d, value, q.SQL)
			}
			if value != "" && strings.Contains(q.SQL, value) && !strings.Contains(text, value) && !strings.Contains(want, value) {
				t.Fatalf("%s: value %q in SQL %q", d, value, q.SQL)
			}
		}
	})
}
