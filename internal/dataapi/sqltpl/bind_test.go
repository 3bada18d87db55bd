package sqltpl

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func mustParse(t testing.TB, sql string, params ...Param) *Template {
	t.Helper()
	tpl, err := Parse(sql, params)
	if err != nil {
		t.Fatalf("Parse(%q): %v", sql, err)
	}
	return tpl
}

func fieldCodes(err error) []string {
	var be *BindError
	if !errors.As(err, &be) {
		if err != nil {
			return []string{"?" + err.Error()}
		}
		return nil
	}
	out := make([]string, len(be.Fields))
	for i, f := range be.Fields {
		out[i] = f.Field + ":" + f.Code
	}
	return out
}

func TestBindTypes(t *testing.T) {
	day := time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		param Param
		raw   string
		code  string // "" when accepted
		arg   any
	}{
		{Param{Type: TypeString}, "张三", "", "张三"},
		{Param{Type: TypeString}, "' OR '1'='1", "", "' OR '1'='1"},
		{Param{Type: TypeString}, strings.Repeat("字", 4096), "", strings.Repeat("字", 4096)},
		{Param{Type: TypeString}, strings.Repeat("a", 4097), CodeTooLong, nil},
		{Param{Type: TypeString, Max: ptr(3)}, "abcd", CodeTooLong, nil},
		{Param{Type: TypeString, Min: ptr(2)}, "a", CodeRange, nil},
		{Param{Type: TypeString}, "a\x00b", CodeType, nil},
		{Param{Type: TypeString, Pattern: `[0-9]{6}`}, "110105", "", "110105"},
		{Param{Type: TypeString, Pattern: `[0-9]{6}`}, "110105' --", CodePattern, nil},
		{Param{Type: TypeString, Pattern: `a|b`}, "ab", CodePattern, nil}, // anchored as a whole
		{Param{Type: TypeString, Enum: []string{"1", "2"}}, "3", CodeEnum, nil},
		{Param{Type: TypeInteger}, "42", "", int64(42)},
		{Param{Type: TypeInteger}, "-7", "", int64(-7)},
		{Param{Type: TypeInteger}, "+7", CodeType, nil},
		{Param{Type: TypeInteger}, " 7", CodeType, nil},
		{Param{Type: TypeInteger}, "0x31", CodeType, nil},
		{Param{Type: TypeInteger}, "１", CodeType, nil},
		{Param{Type: TypeInteger}, "1 OR 1=1", CodeType, nil},
		{Param{Type: TypeInteger}, "1; DROP TABLE ac01", CodeType, nil},
		{Param{Type: TypeInteger}, "1.0", CodeType, nil},
		{Param{Type: TypeInteger}, "99999999999999999999", CodeRange, nil},
		{Param{Type: TypeInteger, Min: ptr(1), Max: ptr(10)}, "11", CodeRange, nil},
		{Param{Type: TypeInteger, Enum: []string{"1", "2"}}, "01", "", int64(1)},
		{Param{Type: TypeNumber}, "3.14", "", 3.14},
		{Param{Type: TypeNumber}, "-1e3", "", -1000.0},
		{Param{Type: TypeNumber}, ".5", "", 0.5},
		{Param{Type: TypeNumber}, "NaN", CodeType, nil},
		{Param{Type: TypeNumber}, "Inf", CodeType, nil},
		{Param{Type: TypeNumber}, "1e400", CodeRange, nil},
		{Param{Type: TypeNumber}, "0x1p3", CodeType, nil},
		{Param{Type: TypeNumber}, "1_000", CodeType, nil},
		{Param{Type: TypeNumber}, "1e", CodeType, nil},
		{Param{Type: TypeNumber, Max: ptr(100)}, "100.5", CodeRange, nil},
		{Param{Type: TypeBoolean}, "true", "", true},
		{Param{Type: TypeBoolean}, "0", "", false},
		{Param{Type: TypeBoolean}, "FALSE", "", false},
		{Param{Type: TypeBoolean}, "yes", CodeType, nil},
		{Param{Type: TypeDate}, "2024-02-29", "", day},
		{Param{Type: TypeDate}, "2023-02-29", CodeType, nil},
		{Param{Type: TypeDate}, "2024-2-29", CodeType, nil},
		{Param{Type: TypeDate}, "2024-02-29' --", CodeType, nil},
		{Param{Type: TypeDatetime}, "2024-02-29 08:30:00", "", day.Add(30 * time.Minute)},
		{Param{Type: TypeDatetime}, "2024-02-29T08:30:00+08:00", "", day.Add(30 * time.Minute)},
		{Param{Type: TypeDatetime}, "2024-02-29T00:30:00Z", "", day.Add(30 * time.Minute)},
		{Param{Type: TypeDatetime}, "2024-02-29 25:00:00", CodeType, nil},
		{Param{Type: TypeIDCard}, "11010519491231002X", "", "11010519491231002X"},
		{Param{Type: TypeIDCard}, "11010519491231002x", "", "11010519491231002X"},
		{Param{Type: TypeIDCard}, "110105194912310021", CodeIDCard, nil},
		{Param{Type: TypeIDCard}, "110101199003071234' --", CodeIDCard, nil},
		{Param{Type: TypeIDCard}, "110105491231002", CodeIDCard, nil},
		{Param{Type: TypeUSCC}, "91350100M000100Y43", "", "91350100M000100Y43"},
		{Param{Type: TypeUSCC}, "91350100m000100y43", "", "91350100M000100Y43"},
		{Param{Type: TypeUSCC}, "91350100M000100Y44", CodeUSCC, nil},
		{Param{Type: TypeUSCC}, "' OR 1=1 --", CodeUSCC, nil},
	} {
		tc.param.Name = "v"
		name := tc.param.Type + "/" + clip(tc.raw)
		t.Run(name, func(t *testing.T) {
			tpl := mustParse(t, "SELECT a FROM t WHERE x = ${v}", tc.param)
			q, err := tpl.Bind(Postgres, map[string]string{"v": tc.raw})
			if tc.code != "" {
				if got := fieldCodes(err); len(got) != 1 || got[0] != "v:"+tc.code {
					t.Fatalf("got %v, want %s", got, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if q.SQL != "SELECT a FROM t WHERE x = $1" || len(q.Args) != 1 {
				t.Fatalf("query %q %v", q.SQL, q.Args)
			}
			if !reflect.DeepEqual(q.Args[0], tc.arg) {
				t.Fatalf("arg %#v, want %#v", q.Args[0], tc.arg)
			}
		})
	}
}

// Injection attempts through every type are refused or end up in Args,
// with the SQL text that of the template.
func TestBindInjection(t *testing.T) {
	attempts := []string{
		"' OR '1'='1", "1; DROP TABLE ac01", "1 OR 1=1", "0x31", "１", "NaN", "1e400",
		"110101199003071234' --", "110105194912310021", "') UNION SELECT * FROM ac01 --",
		"${v}", "$1", "?", "*/ DROP TABLE x /*", "\\'; DROP TABLE x; --", "1e1; SELECT pg_sleep(10)",
	}
	types := []string{TypeString, TypeInteger, TypeNumber, TypeBoolean, TypeDate, TypeDatetime, TypeIDCard, TypeUSCC}
	for _, typ := range types {
		tpl := mustParse(t, "SELECT aac001 FROM ac01 WHERE aac002 = ${v} [[ AND aac004 = ${w} ]]",
			Param{Name: "v", Type: typ, Required: true}, Param{Name: "w", Type: typ})
		for _, d := range []Dialect{Postgres, MySQL, SQLite, DuckDB, Oracle, SQLServer} {
			want := map[Dialect]string{Postgres: "$1", MySQL: "?", SQLite: "?", DuckDB: "?", Oracle: ":1", SQLServer: "@p1"}[d]
			for _, raw := range attempts {
				q, err := tpl.Bind(d, map[string]string{"v": raw})
				if err != nil {
					var be *BindError
					if !errors.As(err, &be) {
						t.Fatalf("%s %s %q: %v", typ, d, raw, err)
					}
					continue
				}
				if q.SQL != "SELECT aac001 FROM ac01 WHERE aac002 = "+want {
					t.Errorf("%s %s %q: SQL %q", typ, d, raw, q.SQL)
				}
				if strings.Contains(q.SQL, raw) && !strings.Contains(want, raw) {
					t.Errorf("%s %s %q: value in SQL %q", typ, d, raw, q.SQL)
				}
				if typ == TypeString && q.Args[0] != raw {
					t.Errorf("%s %q: arg %#v", d, raw, q.Args[0])
				}
			}
		}
	}
}

func TestBindDialects(t *testing.T) {
	tpl := mustParse(t, "SELECT * FROM t WHERE a = ${a} AND (b = ${b} OR c = ${b}) AND d::text = ${c}",
		Param{Name: "a", Type: TypeInteger}, Param{Name: "b", Type: TypeString}, Param{Name: "c", Type: TypeBoolean})
	vals := map[string]string{"a": "1", "b": "x", "c": "true"}
	for d, want := range map[Dialect]string{
		Postgres:  "SELECT * FROM t WHERE a = $1 AND (b = $2 OR c = $3) AND d::text = $4",
		MySQL:     "SELECT * FROM t WHERE a = ? AND (b = ? OR c = ?) AND d::text = ?",
		SQLite:    "SELECT * FROM t WHERE a = ? AND (b = ? OR c = ?) AND d::text = ?",
		DuckDB:    "SELECT * FROM t WHERE a = ? AND (b = ? OR c = ?) AND d::text = ?",
		Oracle:    "SELECT * FROM t WHERE a = :1 AND (b = :2 OR c = :3) AND d::text = :4",
		SQLServer: "SELECT * FROM t WHERE a = @p1 AND (b = @p2 OR c = @p3) AND d::text = @p4",
	} {
		q, err := tpl.Bind(d, vals)
		if err != nil {
			t.Fatal(d, err)
		}
		if q.SQL != want || !reflect.DeepEqual(q.Args, []any{int64(1), "x", "x", true}) {
			t.Errorf("%s: %q %v", d, q.SQL, q.Args)
		}
	}
	if _, err := tpl.Bind("db2", vals); !strings.Contains(strings.Join(codes(err), ""), CodeDialect) {
		t.Errorf("unknown dialect: %v", err)
	}
}

func TestBindDatesPerDialect(t *testing.T) {
	tpl := mustParse(t, "SELECT * FROM t WHERE d = ${d} AND ts < ${ts}",
		Param{Name: "d", Type: TypeDate}, Param{Name: "ts", Type: TypeDatetime})
	vals := map[string]string{"d": "2024-01-31", "ts": "2024-01-31 08:00:01"}
	q, err := tpl.Bind(SQLite, vals)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(q.Args, []any{"2024-01-31", "2024-01-31 00:00:01"}) {
		t.Errorf("sqlite args %#v", q.Args)
	}
	q, err = tpl.Bind(MySQL, vals)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(q.Args, []any{time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC), time.Date(2024, 1, 31, 0, 0, 1, 0, time.UTC)}) {
		t.Errorf("mysql args %#v", q.Args)
	}
}

func TestBindBlocksAndDefaults(t *testing.T) {
	tpl := mustParse(t, "SELECT aac001 FROM ac01 WHERE aab301 = ${region} [[ AND aac004 = ${sex} ]] [[ AND aac006 BETWEEN ${from} AND ${to} ]] [[ AND aae140 = ${xz} ]] -- end",
		Param{Name: "region", Type: TypeString},
		Param{Name: "sex", Type: TypeString, Enum: []string{"1", "2"}},
		Param{Name: "from", Type: TypeDate},
		Param{Name: "to", Type: TypeDate},
		Param{Name: "xz", Type: TypeString, Default: "110"},
	)
	for _, tc := range []struct {
		name string
		vals map[string]string
		sql  string
		args []any
		errs []string
	}{
		{"blocks dropped", map[string]string{"region": "350100"}, "SELECT aac001 FROM ac01 WHERE aab301 = $1 AND aae140 = $2", []any{"350100", "110"}, nil},
		{"all given", map[string]string{"region": "350100", "sex": "1", "from": "2000-01-01", "to": "2000-12-31", "xz": "210"},
			"SELECT aac001 FROM ac01 WHERE aab301 = $1 AND aac004 = $2 AND aac006 BETWEEN $3 AND $4 AND aae140 = $5",
			[]any{"350100", "1", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2000, 12, 31, 0, 0, 0, 0, time.UTC), "210"}, nil},
		{"empty counts as absent", map[string]string{"region": "350100", "sex": ""}, "SELECT aac001 FROM ac01 WHERE aab301 = $1 AND aae140 = $2", []any{"350100", "110"}, nil},
		{"half a block", map[string]string{"region": "350100", "from": "2000-01-01"}, "", nil, []string{"to:" + CodeRequired}},
		{"region missing", map[string]string{"sex": "1"}, "", nil, []string{"region:" + CodeRequired}},
		{"unknown param", map[string]string{"region": "1", "regoin": "2"}, "", nil, []string{"regoin:" + CodeUnknown}},
		{"bad values", map[string]string{"sex": "3", "from": "2000-13-01"}, "", nil, []string{"region:" + CodeRequired, "sex:" + CodeEnum, "from:" + CodeType}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q, err := tpl.Bind(Postgres, tc.vals)
			if tc.errs != nil {
				if got := fieldCodes(err); !reflect.DeepEqual(got, tc.errs) {
					t.Fatalf("got %v, want %v", got, tc.errs)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if q.SQL != tc.sql || !reflect.DeepEqual(q.Args, tc.args) {
				t.Fatalf("got %q %v", q.SQL, q.Args)
			}
		})
	}
	// A block whose only parameter has a default is always kept.
	tpl = mustParse(t, "SELECT 1 FROM t WHERE 1=1 [[ AND s = ${s} ]]", Param{Name: "s", Type: TypeInteger, Default: "5"})
	if q, err := tpl.Bind(MySQL, nil); err != nil || q.SQL != "SELECT 1 FROM t WHERE 1=1 AND s = ?" || q.Args[0] != int64(5) {
		t.Errorf("default block: %v %v", q, err)
	}
	// Required inside a block is still required.
	tpl = mustParse(t, "SELECT 1 FROM t WHERE 1=1 [[ AND s = ${s} ]]", Param{Name: "s", Type: TypeInteger, Required: true})
	if got := fieldCodes(func() error { _, err := tpl.Bind(MySQL, nil); return err }()); !reflect.DeepEqual(got, []string{"s:" + CodeRequired}) {
		t.Errorf("required in block: %v", got)
	}
}

func TestBindPage(t *testing.T) {
	tpl := mustParse(t, "SELECT aac001, aac003 FROM ac01 WHERE aab301 = ${region} -- trailing comment", Param{Name: "region", Type: TypeString})
	vals := map[string]string{"region": "350100"}
	page := Page{Limit: 20, Offset: 40, Sort: []SortKey{{Column: "aac003", Desc: true}, {Column: "aac001"}}}
	sortable := []string{"aac001", "aac003"}
	inner := "SELECT aac001, aac003 FROM ac01 WHERE aab301 = "
	for d, want := range map[Dialect]string{
		Postgres:  "SELECT * FROM (" + inner + `$1) xt_q ORDER BY "aac003" DESC, "aac001" LIMIT $2 OFFSET $3`,
		MySQL:     "SELECT * FROM (" + inner + "?) xt_q ORDER BY `aac003` DESC, `aac001` LIMIT ? OFFSET ?",
		SQLite:    "SELECT * FROM (" + inner + `?) xt_q ORDER BY "aac003" DESC, "aac001" LIMIT ? OFFSET ?`,
		DuckDB:    "SELECT * FROM (" + inner + `?) xt_q ORDER BY "aac003" DESC, "aac001" LIMIT ? OFFSET ?`,
		Oracle:    "SELECT * FROM (" + inner + `:1) xt_q ORDER BY "aac003" DESC, "aac001" OFFSET :2 ROWS FETCH NEXT :3 ROWS ONLY`,
		SQLServer: "SELECT * FROM (" + inner + "@p1) xt_q ORDER BY [aac003] DESC, [aac001] OFFSET @p2 ROWS FETCH NEXT @p3 ROWS ONLY",
	} {
		q, err := tpl.BindPage(d, vals, page, sortable)
		if err != nil {
			t.Fatal(d, err)
		}
		wantArgs := []any{"350100", int64(20), int64(40)}
		if d == Oracle || d == SQLServer {
			wantArgs = []any{"350100", int64(40), int64(20)}
		}
		if q.SQL != want || !reflect.DeepEqual(q.Args, wantArgs) {
			t.Errorf("%s:\n got %q %v\nwant %q %v", d, q.SQL, q.Args, want, wantArgs)
		}
	}
	q, err := tpl.BindPage(SQLServer, vals, Page{Limit: 10}, nil)
	if err != nil || q.SQL != "SELECT * FROM ("+inner+"@p1) xt_q ORDER BY (SELECT NULL) OFFSET @p2 ROWS FETCH NEXT @p3 ROWS ONLY" {
		t.Errorf("sqlserver without sort: %v %v", q, err)
	}
	q, err = tpl.BindPage(Postgres, vals, Page{Limit: 10}, nil)
	if err != nil || q.SQL != "SELECT * FROM ("+inner+"$1) xt_q LIMIT $2 OFFSET $3" {
		t.Errorf("postgres without sort: %v %v", q, err)
	}
	for _, tc := range []struct {
		page Page
		want []string
	}{
		{Page{Limit: 0}, []string{"limit:" + CodeRange}},
		{Page{Limit: 1, Offset: -1}, []string{"offset:" + CodeRange}},
		{Page{Limit: 1, Sort: []SortKey{{Column: "aac002"}}}, []string{"sort:" + CodeSort}},
		{Page{Limit: 1, Sort: []SortKey{{Column: "AAC001"}}}, []string{"sort:" + CodeSort}},
		{Page{Limit: 1, Sort: []SortKey{{Column: `aac001" DESC; DROP TABLE x --`}}}, []string{"sort:" + CodeSort}},
	} {
		_, err := tpl.BindPage(Postgres, vals, tc.page, append(sortable, `aac001" DESC; DROP TABLE x --`))
		if got := fieldCodes(err); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%+v: got %v, want %v", tc.page, got, tc.want)
		}
	}
	// Value and page errors come back together.
	_, err = tpl.BindPage(Postgres, nil, Page{}, nil)
	if got := fieldCodes(err); !reflect.DeepEqual(got, []string{"region:" + CodeRequired, "limit:" + CodeRange}) {
		t.Errorf("combined: %v", got)
	}
}

func TestBindCount(t *testing.T) {
	tpl := mustParse(t, "SELECT * FROM ac01 WHERE aab301 = ${r};", Param{Name: "r", Type: TypeString})
	q, err := tpl.BindCount(Oracle, map[string]string{"r": "1"})
	if err != nil || q.SQL != "SELECT count(*) FROM (SELECT * FROM ac01 WHERE aab301 = :1) xt_q" || len(q.Args) != 1 {
		t.Errorf("%v %v", q, err)
	}
}

func TestCheckBrackets(t *testing.T) {
	tpl := mustParse(t, "SELECT tags[1] FROM t WHERE id = ${p}", Param{Name: "p", Type: TypeInteger})
	for d, ok := range map[Dialect]bool{Postgres: true, DuckDB: true, MySQL: false, SQLite: false, Oracle: false, SQLServer: false} {
		err := tpl.Check(d)
		if (err == nil) != ok {
			t.Errorf("%s: %v", d, err)
		}
		if _, err := tpl.Bind(d, map[string]string{"p": "1"}); (err == nil) != ok {
			t.Errorf("Bind %s: %v", d, err)
		}
	}
	// Block delimiters are not brackets.
	tpl = mustParse(t, "SELECT 1 FROM t WHERE 1=1 [[ AND id = ${p} ]]", Param{Name: "p", Type: TypeInteger})
	if err := tpl.Check(SQLServer); err != nil {
		t.Error(err)
	}
}

func TestNilTemplate(t *testing.T) {
	var tpl *Template
	if _, err := tpl.Bind(Postgres, nil); err == nil {
		t.Error("nil template bound")
	}
}
