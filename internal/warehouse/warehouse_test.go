package warehouse_test

import (
	"context"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/warehouse"
	"github.com/xietong/xietong/internal/warehouse/whtest"
)

func TestMonthHelpers(t *testing.T) {
	if got := warehouse.MonthIndex(2024, time.March); got != 2024*12+2 {
		t.Errorf("MonthIndex = %d", got)
	}
	for _, ym := range []int{202201, 202212, 199901, 202406} {
		if got := warehouse.IndexToYM(warehouse.YMToIndex(ym)); got != ym {
			t.Errorf("round trip %d → %d", ym, got)
		}
	}
	if warehouse.YMToIndex(202301)-warehouse.YMToIndex(202212) != 1 {
		t.Error("December to January is not one month")
	}
}

func TestParseDialect(t *testing.T) {
	for in, want := range map[string]warehouse.Dialect{"": warehouse.DuckDB, "pg": warehouse.Postgres, "mariadb": warehouse.MySQL, "doris": warehouse.MySQL} {
		if got, err := warehouse.ParseDialect(in); err != nil || got != want {
			t.Errorf("ParseDialect(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := warehouse.ParseDialect("oracle"); err == nil {
		t.Error("oracle accepted")
	}
}

// The schema creates twice (idempotent), takes rows, copies across engines
// exactly (decimals, dates, NULLs) and empties.
func TestSchemaOnEveryEngine(t *testing.T) {
	ctx := context.Background()
	src := whtest.Open(t, warehouse.DuckDB)
	if err := src.CreateSchema(ctx); err != nil {
		t.Fatal(err)
	}
	in, err := src.NewInserter(ctx, "ac01", []string{"aac001", "aac002", "aac003", "aac004", "aac006", "aac006_ymd", "aac006_mi",
		"aac007", "aac007_mi", "aac007_ym", "aac008", "aac084", "aic162", "aic162_mi", "aab301"})
	if err != nil {
		t.Fatal(err)
	}
	born := time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC)
	for i := int64(1); i <= 2500; i++ { // more than one batch
		if err := in.Add(ctx, i, "11010519491231002X", "张三", "1", born, "19491231", 1949*12+11, nil, nil, nil, "1", "0", nil, nil, "110105"); err != nil {
			t.Fatal(err)
		}
	}
	if err := in.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := src.DB.ExecContext(ctx, `INSERT INTO ac43 VALUES (1, 7, '110', 202401, 5123.40, 819.74, 409.87, '1', '1')`); err != nil {
		t.Fatal(err)
	}
	for _, d := range whtest.Engines {
		t.Run(string(d), func(t *testing.T) {
			dst := whtest.Open(t, d)
			for i := 0; i < 2; i++ {
				if err := dst.CreateSchema(ctx); err != nil {
					t.Fatalf("create (round %d): %v", i+1, err)
				}
			}
			for _, table := range []string{"ac01", "ac43"} {
				if _, err := warehouse.CopyTable(ctx, dst, src, table, nil); err != nil {
					t.Fatal(err)
				}
			}
			if n, err := dst.Count(ctx, "ac01"); err != nil || n != 2500 {
				t.Fatalf("ac01 has %d rows, %v", n, err)
			}
			var name, ymd string
			var birth time.Time
			var work *int64
			if err := dst.DB.QueryRowContext(ctx, "SELECT aac003, aac006_ymd, aac006, aac007_mi FROM ac01 WHERE aac001 = 2500").Scan(&name, &ymd, &birth, &work); err != nil {
				t.Fatal(err)
			}
			if name != "张三" || ymd != "19491231" || !birth.Equal(born) || work != nil {
				t.Errorf("row changed in the copy: %q %q %v %v", name, ymd, birth, work)
			}
			var exact int
			if err := dst.DB.QueryRowContext(ctx, "SELECT count(*) FROM ac43 WHERE aae022 = 409.87 AND aic020 = 5123.40 AND aae020 = 819.74").Scan(&exact); err != nil || exact != 1 {
				t.Errorf("decimals changed in the copy: %d %v", exact, err)
			}
			if err := dst.Truncate(ctx); err != nil {
				t.Fatal(err)
			}
			if n, _ := dst.Count(ctx, "ac43"); n != 0 {
				t.Errorf("%d rows after Truncate", n)
			}
			if err := dst.DropSchema(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := dst.Count(ctx, "ac01"); err == nil {
				t.Error("ac01 still there after DropSchema")
			}
		})
	}
	if _, err := src.Count(ctx, "no_such_table"); err == nil {
		t.Error("Count accepted an unknown table")
	}
}

func TestDuckDBRefusesFiles(t *testing.T) {
	e := whtest.Open(t, warehouse.DuckDB)
	if _, err := e.DB.Exec("SELECT * FROM read_csv_auto('/etc/passwd')"); err == nil {
		t.Error("the warehouse DuckDB read a file")
	}
}
