package sqltpl

import (
	"errors"
	"strings"
	"testing"
)

func ptr(f float64) *float64 { return &f }

func str(names ...string) []Param {
	ps := make([]Param, len(names))
	for i, n := range names {
		ps[i] = Param{Name: n, Type: TypeString}
	}
	return ps
}

// codes lists the error codes in err (an *Error or an *Errors).
func codes(err error) []string {
	var list *Errors
	if errors.As(err, &list) {
		out := make([]string, len(list.List))
		for i, e := range list.List {
			out[i] = e.Code
		}
		return out
	}
	var e *Error
	if errors.As(err, &e) {
		return []string{e.Code}
	}
	if err != nil {
		return []string{"?" + err.Error()}
	}
	return nil
}

func TestParseAccepts(t *testing.T) {
	for _, tc := range []struct {
		name, sql string
		params    []Param
	}{
		{"block", "SELECT aac001, aac003 FROM ac01 WHERE aab301 = ${region} [[ AND aac004 = ${sex} ]]", str("region", "sex")},
		{"cte", "WITH t AS (SELECT aac001 FROM ac01 WHERE aae036 >= ${since}) SELECT * FROM t;", []Param{{Name: "since", Type: TypeDate}}},
		{"recursive cte", "with recursive r(n) as (select 1 union all select n + 1 from r where n < ${n}) select n from r", []Param{{Name: "n", Type: TypeInteger}}},
		{"join and casts", "SELECT a.aac001, b.aab004 FROM ac01 a JOIN ab01 b ON a.aab001 = b.aab001 LEFT JOIN ac02 c USING (aac001) WHERE a.aae036::date = ${d}::date", []Param{{Name: "d", Type: TypeDate}}},
		{"comments", "-- 查询参保人\nSELECT /* 列 */ aac001 FROM ac01 -- 条件\nWHERE aac001 = ${id} ; -- done\n/* end */", []Param{{Name: "id", Type: TypeIDCard}}},
		{"tricky identifiers", "SELECT update_time, created_at, settlement, deleted, \"delete\", `update`, \"FOR UPDATE\", t.insert_by FROM t WHERE \"select\" = ${p}", str("p")},
		{"replace and truncate functions", "SELECT replace(aac003, ' ', ''), REPLACE (x, 'a', 'b'), truncate(aae019, 2) FROM ac01 WHERE aac001 = ${p}", str("p")},
		{"arrays", "SELECT ARRAY[1,2][1], tags[2], a <@ ARRAY[1] FROM t WHERE a @> ARRAY[${p}]", []Param{{Name: "p", Type: TypeInteger}}},
		{"from inside functions", "SELECT x IS DISTINCT FROM 'a', EXTRACT(YEAR FROM '2020-01-01'::date), substring('abc' FROM 2), trim(BOTH FROM ' x ') FROM t WHERE a = ${p}", str("p")},
		{"oracle hierarchy", "SELECT org_id FROM org START WITH parent_id = ${root} CONNECT BY PRIOR org_id = parent_id", str("root")},
		{"chinese alias", "SELECT aac003 AS 姓名, '全角　空格' AS 备注 FROM ac01 WHERE aac001 = ${id}", str("id")},
		{"question mark in literal", "SELECT '是否?' AS q, '$1' AS d, ':x' AS c, '#' AS h, '--' AS m FROM t WHERE a = ${p}", str("p")},
		{"json operators", "SELECT data->>'name', data -> 'a' FROM t WHERE id = ${p}", str("p")},
		{"double minus with space", "SELECT 1 - -1, 2 - - 2, a FROM t WHERE b = ${p}", str("p")},
		{"numbers", "SELECT 1.5e3, .5, 10E-2, 0.1 FROM t WHERE a > ${p}", []Param{{Name: "p", Type: TypeNumber}}},
		{"param used twice", "SELECT * FROM t WHERE a = ${p} OR b = ${p}", str("p")},
		{"escaped quotes", "SELECT 'it''s', \"a\"\"b\", `c``d` FROM t WHERE a = ${p}", str("p")},
		{"no params", "SELECT 1", nil},
		{"block with two params", "SELECT * FROM t WHERE 1 = 1 [[ AND a BETWEEN ${lo} AND ${hi} ]] [[ AND b = ${b} ]]", str("lo", "hi", "b")},
		{"upper case and crlf", "SELECT\r\n  A\r\nFROM T\r\nWHERE B = ${P}", str("P")},
		{"window and fetch", "SELECT a, row_number() OVER (PARTITION BY b ORDER BY c) FROM t WHERE d = ${p} ORDER BY a FETCH FIRST 10 ROWS ONLY", str("p")},
		{"empty comment", "SELECT/**/1/**/FROM t", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Parse(tc.sql, tc.params); err != nil {
				t.Fatalf("Parse(%q): %v", tc.sql, err)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	p := str("p")
	for _, tc := range []struct {
		name, sql string
		params    []Param
		code      string
	}{
		{"second statement", "SELECT 1; DROP TABLE x", nil, CodeMultiple},
		{"double semicolon", "SELECT 1;;", nil, CodeMultiple},
		{"semicolon hidden after comment", "SELECT 1 /*;*/ ; DELETE FROM t", nil, CodeMultiple},
		{"semicolon after line comment", "SELECT 1 -- ;\n; DELETE FROM t", nil, CodeMultiple},
		{"stacked select", "SELECT 1; SELECT 2", nil, CodeMultiple},
		{"t-sql batch without semicolon", "SELECT 1 DROP TABLE x", nil, CodeForbiddenKeyword},
		{"keyword glued to number", "SELECT 1DROP TABLE x", nil, CodeForbiddenKeyword},
		{"keyword glued to string", "SELECT 'a'DELETE FROM x", nil, CodeForbiddenKeyword},
		{"not a query", "DELETE FROM t", nil, CodeNotQuery},
		{"explain", "EXPLAIN ANALYZE SELECT 1", nil, CodeNotQuery},
		{"values", "VALUES (1)", nil, CodeNotQuery},
		{"parenthesised", "(SELECT 1)", nil, CodeNotQuery},
		{"block first", "[[ ${p} ]] SELECT 1", p, CodeNotQuery},
		{"empty", "", nil, CodeEmpty},
		{"only comment", "  -- nothing\n", nil, CodeEmpty},
		{"only semicolon", ";", nil, CodeEmpty},
		{"select into", "SELECT * INTO t2 FROM t", nil, CodeForbiddenKeyword},
		{"into outfile", "SELECT * FROM t INTO OUTFILE '/tmp/x'", nil, CodeForbiddenKeyword},
		{"for update", "SELECT * FROM t FOR UPDATE", nil, CodeForbiddenKeyword},
		{"for share", "SELECT * FROM t FOR SHARE", nil, CodeForbiddenKeyword},
		{"for key share", "SELECT * FROM t FOR KEY SHARE", nil, CodeForbiddenKeyword},
		{"for no key update", "SELECT * FROM t FOR NO KEY UPDATE", nil, CodeForbiddenKeyword},
		{"lock in share mode", "SELECT * FROM t LOCK IN SHARE MODE", nil, CodeForbiddenKeyword},
		{"lock hint", "SELECT * FROM t WITH (UPDLOCK)", nil, CodeForbiddenKeyword},
		{"writable cte", "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x", nil, CodeForbiddenKeyword},
		{"replace into", "SELECT 1 REPLACE INTO t VALUES (1)", nil, CodeForbiddenKeyword},
		{"replace dropped block call", "SELECT 1 REPLACE [[ ( ${p} ) ]] INTO t", p, CodeForbiddenKeyword},
		{"start transaction", "SELECT 1 START TRANSACTION", nil, CodeForbiddenKeyword},
		{"set", "SELECT CAST(a AS CHAR CHARACTER SET utf8) FROM t", nil, CodeForbiddenKeyword},
		{"waitfor", "SELECT 1 WAITFOR DELAY '0:0:10'", nil, CodeForbiddenKeyword},
		{"lower case", "select * from t where a in (select 1) union select * from u for update", nil, CodeForbiddenKeyword},
		{"pg_sleep", "SELECT pg_sleep(10)", nil, CodeForbiddenFunction},
		{"qualified", "SELECT pg_catalog.pg_sleep (10)", nil, CodeForbiddenFunction},
		{"quoted name", "SELECT \"pg_sleep\"(10)", nil, CodeForbiddenFunction},
		{"comment before paren", "SELECT PG_SLEEP/* x */(10)", nil, CodeForbiddenFunction},
		{"call through dropped block", "SELECT pg_sleep [[ ${p} ]] (10)", p, CodeForbiddenFunction},
		{"call across blocks", "SELECT 1 [[ , ${p} , pg_sleep ]] [[ ${q} ]] [[ (${r}) ]]", str("p", "q", "r"), CodeForbiddenFunction},
		{"oracle package", "SELECT sys.dbms_lock.sleep(5) FROM dual", nil, CodeForbiddenFunction},
		{"oracle package member", "SELECT DBMS_PIPE.RECEIVE_MESSAGE('x', 10) FROM dual", nil, CodeForbiddenFunction},
		{"duckdb file", "SELECT * FROM read_csv_auto('/etc/passwd')", nil, CodeForbiddenFunction},
		{"dynamic sql", "SELECT query_to_xml('delete from t', true, true, '')", nil, CodeForbiddenFunction},
		{"mysql sleep", "SELECT SLEEP (5)", nil, CodeForbiddenFunction},
		{"sequence", "SELECT nextval('s')", nil, CodeForbiddenFunction},
		{"large object", "SELECT lo_import('/etc/passwd')", nil, CodeForbiddenFunction},
		{"file as table", "SELECT * FROM 'data.csv'", nil, CodeFileReference},
		{"file joined", "SELECT * FROM t JOIN '/etc/passwd' p ON true", nil, CodeFileReference},
		{"quoted file in list", "SELECT * FROM t, \"x.parquet\"", nil, CodeFileReference},
		{"parameter as table", "SELECT * FROM ${p}", p, CodeFileReference},
		{"file after lateral", "SELECT * FROM t JOIN LATERAL 'x.csv' ON true", nil, CodeFileReference},
		{"file in from-first subquery", "SELECT * FROM t WHERE a IN (FROM 'x.csv')", nil, CodeFileReference},
		{"file in subquery", "SELECT * FROM (SELECT * FROM 'x.csv') s", nil, CodeFileReference},
		{"mysql executable comment", "SELECT /*! 1 */ 1", nil, CodeExecComment},
		{"mariadb executable comment", "SELECT /*M! 1 */ 1", nil, CodeExecComment},
		{"hint", "SELECT /*+ INDEX(t i) */ * FROM t", nil, CodeExecComment},
		{"nested comment", "SELECT 1 /* /* */ ; DROP TABLE x; /* */", nil, CodeNestedComment},
		{"nested comment sharing star", "SELECT 1 /* a /*/ FROM t", nil, CodeNestedComment},
		{"unterminated comment", "SELECT 1 /* x", nil, CodeUnterminated},
		{"unterminated string", "SELECT 'x", nil, CodeUnterminated},
		{"unterminated identifier", "SELECT \"x", nil, CodeUnterminated},
		{"dollar quote", "SELECT $$x$$", nil, CodeDollarQuote},
		{"tagged dollar quote", "SELECT $tag$x$tag$", nil, CodeDollarQuote},
		{"question mark", "SELECT * FROM t WHERE a = ?", nil, CodeUserPlaceholder},
		{"dollar number", "SELECT * FROM t WHERE a = $1", nil, CodeUserPlaceholder},
		{"colon name", "SELECT * FROM t WHERE a = :a", nil, CodeUserPlaceholder},
		{"at name", "SELECT * FROM t WHERE a = @a", nil, CodeUserPlaceholder},
		{"system variable", "SELECT @@version", nil, CodeUserPlaceholder},
		{"assignment", "SELECT a := 1", nil, CodeUnsupported},
		{"hash comment", "SELECT 1 # '\n; DROP TABLE x; -- '", nil, CodeUnsupported},
		{"backslash outside", "SELECT \\N", nil, CodeUnsupported},
		{"oracle q quote", "SELECT q'[it's]' FROM dual", nil, CodeUnsupported},
		{"mysql backslash escape", "SELECT 'a\\' ; DROP TABLE x; -- '", nil, CodeBackslash},
		{"backslash in identifier", "SELECT \"a\\\"\" ; DROP TABLE x; \"", nil, CodeBackslash},
		{"e string", "SELECT E'\\''", nil, CodeBackslash},
		{"minus minus", "SELECT 1 --1", nil, CodeAmbiguousComment},
		{"param in literal", "SELECT * FROM t WHERE a = '${p}'", p, CodeParamInLiteral},
		{"param in identifier", "SELECT \"${p}\" FROM t", p, CodeParamInLiteral},
		{"param in line comment", "SELECT 1 -- ${p}\n", p, CodeParamInLiteral},
		{"param in block comment", "SELECT 1 /* ${p} */", p, CodeParamInLiteral},
		{"bad param name", "SELECT ${1x}", nil, CodeBadParameter},
		{"unclosed param", "SELECT ${p", p, CodeBadParameter},
		{"long param name", "SELECT ${" + strings.Repeat("a", 65) + "}", nil, CodeBadParameter},
		{"param before digit", "SELECT * FROM t WHERE a = ${p}0", p, CodeParamAdjacent},
		{"param after word", "SELECT * FROM t WHERE a = x${p}", p, CodeParamAdjacent},
		{"params touching", "SELECT ${p}${q}", str("p", "q"), CodeParamAdjacent},
		{"nested block", "SELECT 1 [[ AND a = ${p} [[ AND b = ${q} ]] ]]", str("p", "q"), CodeBlockNested},
		{"unclosed block", "SELECT 1 [[ AND a = ${p}", p, CodeBlockUnbalanced},
		{"stray block close", "SELECT 1 ]] AND a = ${p}", p, CodeBlockUnbalanced},
		{"empty block", "SELECT 1 [[ AND 1 = 1 ]] WHERE a = ${p}", p, CodeBlockEmpty},
		{"too many blocks", "SELECT 1 " + strings.Repeat("[[ AND a = ${p} ]]", 65), p, CodeBlockTooMany},
		{"unknown param", "SELECT * FROM t WHERE a = ${q}", nil, CodeUnknownParameter},
		{"unused param", "SELECT 1", p, CodeUnusedParameter},
		{"nul", "SELECT 1\x00", nil, CodeBadCharacter},
		{"lone cr", "SELECT 1 -- x\r; DROP TABLE t", nil, CodeBadCharacter},
		{"line separator", "SELECT 1 -- x\u2028DROP TABLE t", nil, CodeBadCharacter},
		{"ideographic space", "SELECT 1\u3000FROM t", nil, CodeBadCharacter},
		{"zero width space", "SELECT a\u200b FROM t", nil, CodeBadCharacter},
		{"invalid utf8", "SELECT '\xff'", nil, CodeBadCharacter},
		{"too large", "SELECT 1 " + strings.Repeat(" ", 64<<10), nil, CodeTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.sql, tc.params)
			got := codes(err)
			if len(got) == 0 || got[0] != tc.code {
				t.Fatalf("Parse(%q) = %v, want %s", tc.sql, got, tc.code)
			}
			var e *Error
			if !errors.As(err, &e) || e.ZH == "" || e.EN == "" {
				t.Fatalf("error without messages: %#v", err)
			}
		})
	}
}

// Every forbidden keyword and function, one by one.
func TestParseRefusesEveryListedWord(t *testing.T) {
	for w := range forbiddenWords {
		for _, sql := range []string{"SELECT a FROM t " + w + " x", "select a from t " + strings.ToLower(w) + " x"} {
			if got := codes(mustFail(t, sql)); got[0] != CodeForbiddenKeyword {
				t.Errorf("%q: %v", sql, got)
			}
		}
	}
	for _, f := range forbiddenFuncs {
		name, _ := strings.CutSuffix(f.name, "*")
		if strings.HasSuffix(f.name, "*") {
			name += "x"
		}
		for _, sql := range []string{"SELECT " + name + "(1)", "SELECT s." + strings.ToUpper(name) + " (1)"} {
			if got := codes(mustFail(t, sql)); got[0] != CodeForbiddenFunction {
				t.Errorf("%q: %v", sql, got)
			}
		}
	}
	// The same names as plain columns are fine.
	for _, sql := range []string{"SELECT sleep, edit, query, glob FROM t", "SELECT t.http, lastval FROM t"} {
		if _, err := Parse(sql, nil); err != nil {
			t.Errorf("%q: %v", sql, err)
		}
	}
}

func mustFail(t *testing.T, sql string) error {
	t.Helper()
	_, err := Parse(sql, nil)
	if err == nil {
		t.Fatalf("Parse(%q) accepted", sql)
	}
	return err
}

func TestParseDeclarations(t *testing.T) {
	for _, tc := range []struct {
		name  string
		param Param
		code  string
	}{
		{"bad name", Param{Name: "1a", Type: TypeString}, CodeParamBadName},
		{"bad type", Param{Name: "p", Type: "text"}, CodeParamBadType},
		{"bad pattern", Param{Name: "p", Type: TypeString, Pattern: "(["}, CodeParamBadPattern},
		{"enum not integer", Param{Name: "p", Type: TypeInteger, Enum: []string{"1", "x"}}, CodeParamBadEnum},
		{"enum empty value", Param{Name: "p", Type: TypeString, Enum: []string{""}}, CodeParamBadEnum},
		{"min above max", Param{Name: "p", Type: TypeInteger, Min: ptr(5), Max: ptr(1)}, CodeParamBadRange},
		{"range on date", Param{Name: "p", Type: TypeDate, Min: ptr(1)}, CodeParamBadRange},
		{"negative length", Param{Name: "p", Type: TypeString, Min: ptr(-1)}, CodeParamBadRange},
		{"default wrong type", Param{Name: "p", Type: TypeInteger, Default: "x"}, CodeParamBadDefault},
		{"default out of range", Param{Name: "p", Type: TypeInteger, Default: "9", Max: ptr(5)}, CodeParamBadDefault},
		{"default not in enum", Param{Name: "p", Type: TypeString, Default: "c", Enum: []string{"a", "b"}}, CodeParamBadDefault},
		{"required with default", Param{Name: "p", Type: TypeString, Required: true, Default: "a"}, CodeParamBadDefault},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := tc.param.Name
			if !validName(name) {
				name = "p"
			}
			_, err := Parse("SELECT * FROM t WHERE a = ${"+name+"}", []Param{tc.param})
			if got := codes(err); len(got) == 0 || got[0] != tc.code {
				t.Fatalf("got %v, want %s", got, tc.code)
			}
		})
	}
	// Several problems are reported together.
	_, err := Parse("SELECT ${a}, ${b}, ${zz}", []Param{{Name: "a", Type: TypeString}, {Name: "a", Type: TypeString}, {Name: "b", Type: "x"}, {Name: "c", Type: TypeString}})
	got := strings.Join(codes(err), ",")
	for _, want := range []string{CodeParamDuplicate, CodeParamBadType, CodeUnknownParameter, CodeUnusedParameter} {
		if !strings.Contains(got, want) {
			t.Errorf("%s missing from %s", want, got)
		}
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("errors.As(*Error) failed on %T", err)
	}
	many := make([]Param, 65)
	for i := range many {
		many[i] = Param{Name: "p" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Type: TypeString}
	}
	if got := codes(func() error { _, err := Parse("SELECT 1", many); return err }()); got[0] != CodeParamTooMany {
		t.Errorf("65 params: %v", got)
	}
}

func TestParamsCopy(t *testing.T) {
	ps := []Param{{Name: "p", Type: TypeString, Enum: []string{"a", "b"}, Max: ptr(3)}}
	tpl, err := Parse("SELECT ${p}", ps)
	if err != nil {
		t.Fatal(err)
	}
	ps[0].Enum[0] = "z"
	got := tpl.Params()
	got[0].Enum[1] = "y"
	*got[0].Max = 9
	again := tpl.Params()
	if again[0].Enum[0] != "a" || again[0].Enum[1] != "b" || *again[0].Max != 3 {
		t.Errorf("declarations leaked: %+v", again[0])
	}
}
