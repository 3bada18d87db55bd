package load

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/xietong/xietong/internal/ident"
	"github.com/xietong/xietong/internal/warehouse"
	"github.com/xietong/xietong/internal/warehouse/whtest"
)

// forEngines runs fn on a fresh warehouse (schema created) of each engine.
func forEngines(t *testing.T, fn func(t *testing.T, e *warehouse.Engine)) {
	for _, d := range whtest.Engines {
		t.Run(string(d), func(t *testing.T) {
			e := whtest.Open(t, d)
			if err := e.CreateSchema(context.Background()); err != nil {
				t.Fatal(err)
			}
			fn(t, e)
		})
	}
}

// id makes a valid 公民身份号码 born on ymd with sequence n.
func id(ymd string, n int) string {
	s, ok := ident.CompleteID(fmt.Sprintf("520102%s%03d", ymd, n%1000))
	if !ok {
		panic(ymd)
	}
	return s
}

// badID breaks the check character.
func badID(ymd string, n int) string {
	s := id(ymd, n)
	c := byte('0')
	if s[17] == '0' {
		c = '1'
	}
	return s[:17] + string(c)
}

func count(t *testing.T, e *warehouse.Engine, table string) int64 {
	t.Helper()
	n, err := e.Count(context.Background(), table)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

type want struct {
	line   int64
	column string
	reason string
}

func checkBad(t *testing.T, rep *Report, ws []want) {
	t.Helper()
	if rep.Bad != int64(len(ws)) || len(rep.BadRows) != len(ws) {
		t.Fatalf("bad = %d (%d kept), want %d: %+v", rep.Bad, len(rep.BadRows), len(ws), rep.BadRows)
	}
	for i, w := range ws {
		b := rep.BadRows[i]
		if b.Line != w.line || b.Column != w.column || b.Reason != w.reason || b.ZH == "" || b.EN == "" {
			t.Errorf("bad row %d = %+v, want line %d column %q reason %s", i, b, w.line, w.column, w.reason)
		}
	}
}

const ac01Header = "AAC001,aac002,aac003,aac004,aac006,aac007,aac008,aac084,aic162,aab301\n"

func TestCSVMalformedRows(t *testing.T) {
	forEngines(t, func(t *testing.T, e *warehouse.Engine) {
		ctx := context.Background()
		bad := badID("19800517", 2)
		csv := ac01Header +
			"1," + id("19800517", 1) + ",张三,1,1980-05-17,2001-07-01,1,0,,520102\n" + // 2 good
			"2," + bad + ",李四,1,19800517,,1,0,,520102\n" + // 3 bad check character
			"3," + id("19900101", 3) + ",王五,2,1990-13-01,,1,0,,520102\n" + // 4 bad date
			"4," + id("19900101", 4) + ",赵六,2,1990-01-01,,1\n" + // 5 wrong column count
			"5," + id("19900101", 5) + ",,2,1990/01/01,,1,0,,520102\n" + // 6 required empty
			"6," + id("19750203", 6) + ",钱七,1,1975/2/3,19950801,3,1,2035-02-01,520103\n" + // 7 good
			"7x," + id("19750203", 7) + ",孙八,1,19750203,,1,0,,520103\n" + // 8 bad number
			"1," + id("19750203", 8) + ",周九,1,19750203,,1,0,,520103\n" + // 9 duplicate key
			"9," + strings.ToLower(id("19661231", 9)) + ",吴十,2,19661231,,1,0,,520103\n" // 10 good (x folded)
		var last Progress
		rep, err := CSV(ctx, e, strings.NewReader(csv), int64(len(csv)), Options{Table: "ac01", Progress: func(p Progress) { last = p }})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Read != 9 || rep.Loaded != 3 || rep.Encoding != EncUTF8 {
			t.Fatalf("report %+v", rep)
		}
		checkBad(t, rep, []want{
			{3, "aac002", "id"}, {4, "aac006", "date"}, {5, "", "columns"},
			{6, "aac003", "required"}, {8, "aac001", "number"}, {9, "aac001", "duplicate"},
		})
		if v := rep.BadRows[0].Value; v != bad[:6]+"********"+bad[14:] {
			t.Errorf("masked id = %q", v)
		}
		if last.Read != 9 || last.Loaded != 3 || last.Bad != 6 || last.Bytes != int64(len(csv)) || last.TotalBytes != int64(len(csv)) {
			t.Errorf("last progress %+v", last)
		}
		if n := count(t, e, "ac01"); n != 3 {
			t.Fatalf("rows = %d", n)
		}
		// Helper columns as gendata fills them.
		var ymd, name string
		var mi, wmi, wym, rmi sql.NullInt64
		if err := e.DB.QueryRowContext(ctx, "SELECT aac003, aac006_ymd, aac006_mi, aac007_mi, aac007_ym, aic162_mi FROM ac01 WHERE aac001 = 6").
			Scan(&name, &ymd, &mi, &wmi, &wym, &rmi); err != nil {
			t.Fatal(err)
		}
		if name != "钱七" || ymd != "19750203" || mi.Int64 != 1975*12+1 || wmi.Int64 != 1995*12+7 || wym.Int64 != 199508 || rmi.Int64 != 2035*12+1 {
			t.Errorf("helpers: %s %s %v %v %v %v", name, ymd, mi, wmi, wym, rmi)
		}
		var nulls int
		e.DB.QueryRowContext(ctx, "SELECT count(*) FROM ac01 WHERE aac007 IS NULL AND aac007_mi IS NULL AND aic162_mi IS NULL").Scan(&nulls)
		if nulls != 1 {
			t.Errorf("NULL helpers: %d rows", nulls)
		}
		var upper string
		e.DB.QueryRowContext(ctx, "SELECT aac002 FROM ac01 WHERE aac001 = 9").Scan(&upper)
		if upper != id("19661231", 9) {
			t.Errorf("id stored as %q", upper)
		}

		// Tab-separated periods and money; replace mode empties the table
		// in the same transaction.
		tsv := "aac001\taab001\taae140\taae003\taic020\taae020\taae022\taae078\tpayer\n" +
			"1\t10\t110\t202401\t5000.00\t800\t400.5\t1\t1\n" +
			"1\t10\t110\t202413\t5000.00\t800\t400\t1\t1\n" + // bad period
			"1\t10\t110\t202402\t5000.001\t800\t400\t1\t1\n" + // too many decimals
			"1\t10\t110\t2024-03\t12345678901.00\t800\t400\t1\t1\n" + // too many digits
			"1\t0\t110\t202404\t5000\t0\t-1.5\t1\t2\n"
		rep, err = CSV(ctx, e, strings.NewReader(tsv), 0, Options{Table: "ac43"})
		if err != nil {
			t.Fatal(err)
		}
		checkBad(t, rep, []want{{3, "aae003", "period"}, {4, "aic020", "number"}, {5, "aic020", "number"}})
		var sum string
		e.DB.QueryRowContext(ctx, "SELECT CAST(sum(aae022) AS VARCHAR(20)) FROM ac43").Scan(&sum)
		if rep.Loaded != 2 || count(t, e, "ac43") != 2 || sum != "399.00" {
			t.Errorf("ac43: loaded %d, sum %q", rep.Loaded, sum)
		}
		semi := "aac001;aab001;aae140;aae003;aic020;aae020;aae022;aae078;payer\n1;10;110;202405;1;1;1;1;1\n"
		rep, err = CSV(ctx, e, strings.NewReader(semi), 0, Options{Table: "ac43", Mode: Replace})
		if err != nil || rep.Loaded != 1 || count(t, e, "ac43") != 1 {
			t.Fatalf("replace: %v %+v, %d rows", err, rep, count(t, e, "ac43"))
		}

		// A header without a required column fails before loading anything.
		if _, err := CSV(ctx, e, strings.NewReader("aac001,aac003\n1,x\n"), 0, Options{Table: "ac01"}); err == nil || !strings.Contains(err.Error(), "aac002") {
			t.Errorf("missing column: %v", err)
		}
		if _, err := CSV(ctx, e, strings.NewReader(ac01Header), 0, Options{Table: "nope"}); !errors.Is(err, ErrNoTable) {
			t.Errorf("unknown table: %v", err)
		}
	})
}

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEncodings(t *testing.T) {
	forEngines(t, func(t *testing.T, e *warehouse.Engine) {
		ctx := context.Background()
		dir := t.TempDir()
		// A GBK file, read with auto detection: names intact.
		text := "aac002,aac003,death_date,source\n" +
			id("19400101", 1) + ",欧阳修,2024-01-05,公安\n" +
			id("19400101", 2) + ",李清照,2024-02-06,民政\n"
		p := filepath.Join(dir, "gbk.csv")
		b := gbk(t, text)
		// Line 4: invalid GBK (0xFF is never a GBK byte).
		b = append(b, gbk(t, id("19400101", 3)+",")...)
		b = append(b, 0xFF, 0xFE)
		b = append(b, gbk(t, ",2024-03-07,卫健\n")...)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		rep, err := File(ctx, e, p, Options{Table: "death"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Encoding != EncGB18030 || rep.Loaded != 2 {
			t.Fatalf("report %+v", rep)
		}
		checkBad(t, rep, []want{{4, "aac003", "encoding"}})
		var names []string
		rows, err := e.DB.QueryContext(ctx, "SELECT aac003, source FROM death ORDER BY death_date")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var n, s string
			rows.Scan(&n, &s)
			names = append(names, n+"/"+s)
		}
		rows.Close()
		if strings.Join(names, " ") != "欧阳修/公安 李清照/民政" {
			t.Errorf("names %q", names)
		}
		var ym, mi int
		e.DB.QueryRowContext(ctx, "SELECT death_ym, death_mi FROM death WHERE aac003 = '欧阳修'").Scan(&ym, &mi)
		if ym != 202401 || mi != 2024*12 {
			t.Errorf("death helpers %d %d", ym, mi)
		}

		// Forced GBK reads the same file the same way.
		rep, err = CSVFile(ctx, e, p, Options{Table: "death", Encoding: "gbk", Mode: Replace})
		if err != nil || rep.Loaded != 2 || rep.Bad != 1 {
			t.Fatalf("gbk: %v %+v", err, rep)
		}

		// A UTF-8 file with one GBK line: UTF-8 wins, the line is bad.
		u := []byte(text)
		u = append(u, gbk(t, id("19400101", 4)+",苏轼,2024-04-08,公安\n")...)
		p2 := filepath.Join(dir, "mixed.csv")
		os.WriteFile(p2, u, 0o600)
		rep, err = File(ctx, e, p2, Options{Table: "death", Mode: Replace})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Encoding != EncUTF8 || rep.Loaded != 2 {
			t.Fatalf("mixed: %+v", rep)
		}
		checkBad(t, rep, []want{{4, "aac003", "encoding"}})

		// Forcing UTF-8 on the GBK file: every Chinese row is bad, none loads garbage.
		rep, err = CSVFile(ctx, e, p, Options{Table: "death", Encoding: EncUTF8, Mode: Replace})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Loaded != 0 || rep.Bad != 3 || count(t, e, "death") != 0 {
			t.Errorf("utf-8 on gbk: %+v", rep)
		}
	})
}

func TestExcel(t *testing.T) {
	forEngines(t, func(t *testing.T, e *warehouse.Engine) {
		ctx := context.Background()
		f := excelize.NewFile()
		f.SetSheetName("Sheet1", "名单")
		f.NewSheet("其他")
		rows := [][]any{
			{"aac002", "aac003", "kind", "begin_date", "aab301"},
			{id("19600101", 1), "张三", "1", time.Date(2023, 3, 15, 0, 0, 0, 0, time.UTC), "520102"}, // a real date cell
			{badID("19600101", 2), "李四", "2", "2023-04-01", "520102"},                              // bad id
			{id("19600101", 3), "王五", "3", "20230501", "520103"},
			{},
			{id("19600101", 4), "赵六", "1", "2023-02-30", "520103"}, // bad date, line 6
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			if len(r) > 0 {
				if err := f.SetSheetRow("名单", cell, &r); err != nil {
					t.Fatal(err)
				}
			}
		}
		f.SetSheetRow("其他", "A1", &[]any{"aac002", "aac003", "kind", "begin_date", "aab301"})
		f.SetSheetRow("其他", "A2", &[]any{id("19600101", 5), "钱七", "1", "2020-01-01", "520102"})
		p := filepath.Join(t.TempDir(), "sg.xlsx")
		if err := f.SaveAs(p); err != nil {
			t.Fatal(err)
		}
		rep, err := File(ctx, e, p, Options{Table: "special_group"})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Read != 4 || rep.Loaded != 2 {
			t.Fatalf("report %+v", rep)
		}
		checkBad(t, rep, []want{{3, "aac002", "id"}, {6, "begin_date", "date"}})
		var d time.Time
		var ym, mi, bmi int
		if err := e.DB.QueryRowContext(ctx, "SELECT begin_date, begin_ym, begin_mi, aac006_mi FROM special_group WHERE aac003 = '张三'").Scan(&d, &ym, &mi, &bmi); err != nil {
			t.Fatal(err)
		}
		if d.Format("2006-01-02") != "2023-03-15" || ym != 202303 || mi != 2023*12+2 || bmi != 1960*12 {
			t.Errorf("row: %v %d %d %d", d, ym, mi, bmi)
		}
		rep, err = Excel(ctx, e, p, Options{Table: "special_group", Sheet: "其他", Mode: Replace})
		if err != nil || rep.Loaded != 1 || count(t, e, "special_group") != 1 {
			t.Fatalf("named sheet: %v %+v", err, rep)
		}
		if _, err := Excel(ctx, e, p, Options{Table: "special_group", Sheet: "无"}); err == nil {
			t.Error("missing sheet accepted")
		}
	})
}

func TestParquet(t *testing.T) {
	p := filepath.Join(t.TempDir(), "x.parquet")
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`COPY (SELECT * FROM (VALUES
		(CAST(1 AS BIGINT), '` + id("19500101", 1) + `', '张三', DATE '2022-05-06', 'R', CAST(1234.5 AS DECIMAL(10,2))),
		(2, '` + badID("19500101", 2) + `', '李四', DATE '2022-05-07', 'R', 1.25),
		(3, '` + id("19500101", 3) + `', NULL, DATE '2022-05-08', 'R', 2)
	) v(n, AAC002, aac003, death_date, source, extra)) TO '` + p + `' (FORMAT parquet)`)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	forEngines(t, func(t *testing.T, e *warehouse.Engine) {
		ctx := context.Background()
		var last Progress
		rep, err := File(ctx, e, p, Options{Table: "death", Progress: func(pr Progress) { last = pr }})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Read != 3 || rep.Loaded != 1 || strings.Join(rep.Ignored, ",") != "n,extra" {
			t.Fatalf("report %+v", rep)
		}
		checkBad(t, rep, []want{{3, "aac002", "id"}, {4, "aac003", "required"}})
		if last.Bytes != last.TotalBytes || last.TotalBytes == 0 {
			t.Errorf("progress %+v", last)
		}
		var mi int
		e.DB.QueryRowContext(ctx, "SELECT death_mi FROM death").Scan(&mi)
		if mi != 2022*12+4 {
			t.Errorf("death_mi %d", mi)
		}
	})
}

// bigCSV writes n good ac01 rows.
func bigCSV(t testing.TB, path string, n int) {
	var b bytes.Buffer
	b.WriteString(ac01Header)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%d,%s,某人%d,1,1980-01-01,,1,0,,520102\n", 1000+i, id("19800101", i), i)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestCancelLeavesNothing(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.csv")
	bigCSV(t, p, 60000)
	forEngines(t, func(t *testing.T, e *warehouse.Engine) {
		seed := ac01Header + "1," + id("19800101", 999) + ",旧,1,1980-01-01,,1,0,,520102\n"
		if _, err := CSV(context.Background(), e, strings.NewReader(seed), 0, Options{Table: "ac01"}); err != nil {
			t.Fatal(err)
		}
		for _, mode := range []Mode{Append, Replace} {
			ctx, cancel := context.WithCancel(context.Background())
			var seen int64
			rep, err := CSVFile(ctx, e, p, Options{Table: "ac01", Mode: mode, Progress: func(pr Progress) {
				seen = pr.Loaded
				if pr.Loaded >= 20000 {
					cancel()
				}
			}})
			cancel()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("%s: err = %v", mode, err)
			}
			if seen < 20000 || rep.Loaded != 0 {
				t.Errorf("%s: cancelled after %d rows written, report loaded %d", mode, seen, rep.Loaded)
			}
			if n := count(t, e, "ac01"); n != 1 {
				t.Fatalf("%s: %d rows after a cancelled load, want the 1 old row", mode, n)
			}
		}
	})
}

// TestKilledLeavesNothing re-runs this test binary as a child that loads
// a big file and blocks mid-load; the parent SIGKILLs it and checks the
// table has only its old rows.
func TestKilledLeavesNothing(t *testing.T) {
	if os.Getenv("XIETONG_LOAD_CHILD") != "" {
		return // the child's work is done in TestMain
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "big.csv")
	bigCSV(t, p, 60000)
	for _, d := range whtest.Engines {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			var dsn string
			var e *warehouse.Engine
			switch d {
			case warehouse.DuckDB:
				dsn = filepath.Join(dir, "wh.duckdb")
				var err error
				if e, err = warehouse.OpenDuckDB(dsn); err != nil {
					t.Fatal(err)
				}
			default:
				e = whtest.Open(t, d)
				dsn = childDSN(t, e)
			}
			if err := e.CreateSchema(ctx); err != nil {
				t.Fatal(err)
			}
			seed := ac01Header + "1," + id("19800101", 999) + ",旧,1,1980-01-01,,1,0,,520102\n" +
				"2," + id("19800101", 998) + ",旧,1,1980-01-01,,1,0,,520102\n"
			if _, err := CSV(ctx, e, strings.NewReader(seed), 0, Options{Table: "ac01"}); err != nil {
				t.Fatal(err)
			}
			if d == warehouse.DuckDB {
				e.Close() // one process at a time holds the file
			}
			loaded := runAndKill(t, string(d), dsn, p)
			if d == warehouse.DuckDB {
				var err error
				if e, err = warehouse.OpenDuckDB(dsn); err != nil {
					t.Fatal(err)
				}
				defer e.Close()
			}
			if n := count(t, e, "ac01"); n != 2 {
				t.Fatalf("%d rows after the child was killed with %d rows written, want the 2 old rows", n, loaded)
			}
			t.Logf("child killed with %d rows written in its transaction; table has its 2 old rows", loaded)
		})
	}
}
