package loadjob

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	_ "modernc.org/sqlite"

	"github.com/xietong/xietong/internal/datasource"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/testutil"
	"github.com/xietong/xietong/internal/warehouse/load"
)

const ac01Header = "aac001,aac002,aac003,aac004,aac006,aac007,aac008,aac084,aic162,aab301\n"

// Good rows load; each bad one is listed with its line and reason; the
// upload is removed; start and finish are audited.
func TestFileLoadReportsBadRows(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d)
		csv := ac01Header +
			"1," + id("19800517", 1) + ",张三,1,1980-05-17,2001-07-01,1,0,,520102\n" + // 2 good
			"2," + badID("19800517", 2) + ",李四,1,19800517,,1,0,,520102\n" + // 3 bad check character
			"3," + id("19900101", 3) + ",王五,2,1990-13-01,,1,0,,520102\n" + // 4 bad date
			"4," + id("19900101", 4) + ",赵六,2,1990-01-01,,1\n" + // 5 wrong column count
			"5," + id("19750203", 5) + ",钱七,1,1975/2/3,19950801,3,1,2035-02-01,520103\n" // 6 good
		j, err := f.loadFile(FileInput{Table: "ac01"}, "人员.csv", []byte(csv))
		if err != nil {
			t.Fatal(err)
		}
		if j.Status != StatusQueued || j.Mode != "append" || j.Encoding != "auto" || j.FileSize != int64(len(csv)) || j.CreatedBy != "jianguan" {
			t.Fatalf("queued %+v", j)
		}
		x := f.finished(j.ID)
		if x.Status != StatusSucceeded || x.Read != 5 || x.Loaded != 2 || x.Bad != 3 || x.EncodingUsed != load.EncUTF8 ||
			x.Bytes != int64(len(csv)) || x.TotalBytes != int64(len(csv)) || x.FinishedAt == nil || x.StartedAt == nil || x.Error != "" {
			t.Fatalf("finished %+v", x.Job)
		}
		want := []struct {
			line           int64
			column, reason string
		}{{3, "aac002", "id"}, {4, "aac006", "date"}, {5, "", "columns"}}
		if len(x.BadRows) != len(want) {
			t.Fatalf("bad rows %+v", x.BadRows)
		}
		for i, w := range want {
			if b := x.BadRows[i]; b.Line != w.line || b.Column != w.column || b.Reason != w.reason || b.ZH == "" {
				t.Errorf("bad row %d = %+v, want %+v", i, b, w)
			}
		}
		if n := f.count("ac01"); n != 2 {
			t.Errorf("ac01 rows %d", n)
		}
		if left := f.uploadsLeft(); len(left) != 0 {
			t.Errorf("uploads left %v", left)
		}
		if got := f.auditActions(j.ID); !reflect.DeepEqual(got, []string{"warehouse_load.start", "warehouse_load.finish"}) {
			t.Errorf("audit %v", got)
		}
		// The list: newest first, filtered; no bad rows in it.
		if _, err := f.loadFile(FileInput{Table: "death"}, "d.csv", deathCSV(3)); err != nil {
			t.Fatal(err)
		}
		f.svc.Wait()
		all, total, err := f.svc.Jobs(f.ctx, Filter{Limit: 10})
		if err != nil || total != 2 || all[0].Table != "death" || all[1].ID != j.ID {
			t.Fatalf("list %v %d %+v", err, total, all)
		}
		only, total, _ := f.svc.Jobs(f.ctx, Filter{Table: "ac01", Status: StatusSucceeded})
		if total != 1 || only[0].ID != j.ID || only[0].badRows != nil {
			t.Errorf("filtered %d %+v", total, only)
		}
		if _, total, _ := f.svc.Jobs(f.ctx, Filter{Status: StatusFailed}); total != 0 {
			t.Errorf("failed %d", total)
		}
	})
}

// A GBK file is detected and decoded; Replace empties the table first.
func TestGBKFileAndReplace(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d)
		utf := "aac002,aac003,death_date,source\n" + id("19400101", 1) + ",张三丰,2024-02-03,公安\n" + id("19400101", 2) + ",李秀英,20240204,民政\n"
		gbk, err := simplifiedchinese.GBK.NewEncoder().String(utf)
		if err != nil {
			t.Fatal(err)
		}
		j, err := f.loadFile(FileInput{Table: "death"}, "死亡.csv", []byte(gbk))
		if err != nil {
			t.Fatal(err)
		}
		x := f.finished(j.ID)
		if x.Status != StatusSucceeded || x.Loaded != 2 || x.EncodingUsed != load.EncGB18030 {
			t.Fatalf("gbk load %+v", x.Job)
		}
		var name string
		if err := f.eng.DB.QueryRow("SELECT aac003 FROM death WHERE aac002 = ?", id("19400101", 1)).Scan(&name); err != nil || name != "张三丰" {
			t.Fatalf("decoded name %q %v", name, err)
		}
		j, err = f.loadFile(FileInput{Table: "death", Mode: "replace", Encoding: "gbk"}, "死亡.csv", []byte(gbk))
		if err != nil {
			t.Fatal(err)
		}
		if x := f.finished(j.ID); x.Status != StatusSucceeded || f.count("death") != 2 {
			t.Fatalf("replace %+v rows %d", x.Job, f.count("death"))
		}
	})
}

// holdLoads makes every load stop at its first progress report until it
// is cancelled; reached receives the job id once per job.
func holdLoads(f *fixture) chan int64 {
	reached := make(chan int64, 4)
	var once sync.Map
	f.svc.progressHook = func(ctx context.Context, id int64, _ load.Progress) {
		if _, seen := once.LoadOrStore(id, true); !seen {
			reached <- id
		}
		<-ctx.Done()
	}
	return reached
}

// One load per table: a second is refused with 409 while the first runs;
// a cancel rolls back what the first wrote and frees the table.
func TestBusyTableAndCancel(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d)
		reached := holdLoads(f)
		big := deathCSV(12000) // past the loader's 10,000-row progress report
		j, err := f.loadFile(FileInput{Table: "death"}, "big.csv", big)
		if err != nil {
			t.Fatal(err)
		}
		if got := <-reached; got != j.ID {
			t.Fatalf("held %d, want %d", got, j.ID)
		}
		run, err := f.svc.Job(f.ctx, j.ID)
		if err != nil || run.Status != StatusRunning || run.Read == 0 || run.Loaded == 0 {
			t.Fatalf("running %v %+v", err, run.Job)
		}
		// Refused before the upload is received, and at the start.
		if _, err := f.svc.Receive(f.ctx, FileInput{Table: "death"}, "again.csv", strings.NewReader("x")); problemCode(err) != "load_table_busy" {
			t.Fatalf("receive while busy: %v", err)
		}
		up := f.upload(FileInput{}, "again.csv", deathCSV(2))
		if _, err := f.svc.StartFile(f.ctx, FileInput{Table: "death"}, up); problemCode(err) != "load_table_busy" {
			t.Fatalf("start while busy: %v", err)
		}
		if left := f.uploadsLeft(); len(left) != 1 { // the refused upload is gone, the running one stays
			t.Errorf("uploads %v", left)
		}
		if tables, err := f.svc.Tables(f.ctx); err != nil || !busyIn(tables, "death") || busyIn(tables, "ac01") {
			t.Errorf("tables busy flags %v", err)
		}
		x, err := f.svc.Cancel(f.ctx, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if x.Status != StatusCancelled || x.Loaded != 0 || x.FinishedAt == nil || x.Error != "" {
			t.Fatalf("cancelled %+v", x)
		}
		if n := f.count("death"); n != 0 {
			t.Fatalf("rows after cancel %d", n)
		}
		if left := f.uploadsLeft(); len(left) != 0 {
			t.Errorf("uploads after cancel %v", left)
		}
		if _, err := f.svc.Cancel(f.ctx, j.ID); problemCode(err) != "load_not_running" {
			t.Errorf("second cancel: %v", err)
		}
		if _, err := f.svc.Cancel(f.ctx, j.ID+100); err != db.ErrNotFound {
			t.Errorf("cancel unknown: %v", err)
		}
		if got := f.auditActions(j.ID); !reflect.DeepEqual(got, []string{"warehouse_load.start", "warehouse_load.finish", "warehouse_load.cancel"}) {
			t.Errorf("audit %v", got)
		}
		// The table is free again.
		f.svc.Wait()
		f.svc.progressHook = nil
		j, err = f.loadFile(FileInput{Table: "death"}, "small.csv", deathCSV(5))
		if err != nil {
			t.Fatal(err)
		}
		if x := f.finished(j.ID); x.Status != StatusSucceeded || f.count("death") != 5 {
			t.Fatalf("after cancel %+v", x.Job)
		}
	})
}

func busyIn(ts *Tables, name string) bool {
	for _, t := range ts.Tables {
		if t.Name == name {
			return t.Busy
		}
	}
	return false
}

// A queued job waits for a slot; cancelling it never starts it.
func TestQueuedCancel(t *testing.T) {
	f := newFixture(t, testutil.Dialects(t)[0])
	f.svc.slots = make(chan struct{}, 1)
	reached := holdLoads(f)
	first, err := f.loadFile(FileInput{Table: "death"}, "a.csv", deathCSV(12000))
	if err != nil {
		t.Fatal(err)
	}
	<-reached
	second, err := f.loadFile(FileInput{Table: "card_holder"}, "b.csv", []byte("aaz500,aac002,aac003\nC1,"+id("19500101", 1)+",张三\n"))
	if err != nil {
		t.Fatal(err)
	}
	if x, _ := f.svc.Job(f.ctx, second.ID); x.Status != StatusQueued {
		t.Fatalf("second %s", x.Status)
	}
	x, err := f.svc.Cancel(f.ctx, second.ID)
	if err != nil || x.Status != StatusCancelled || x.StartedAt != nil {
		t.Fatalf("queued cancel %v %+v", err, x)
	}
	if _, err := f.svc.Cancel(f.ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	if n := f.count("card_holder") + f.count("death"); n != 0 {
		t.Fatalf("rows %d", n)
	}
}

// A process that stopped under a load leaves it running: the next start
// marks it failed and removes its upload.
func TestRecover(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d)
		started := db.Now()
		j := &Job{Kind: KindFile, Table: "death", Mode: "append", Status: StatusRunning, CreatedBy: "x", QueuedAt: started, StartedAt: &started}
		if err := f.svc.store.Insert(context.Background(), j); err != nil {
			t.Fatal(err)
		}
		stale := filepath.Join(f.dir, "loads", uploadPrefix+"123.csv")
		os.MkdirAll(filepath.Dir(stale), 0o700)
		os.WriteFile(stale, []byte("x"), 0o600)
		if n, err := f.svc.Recover(context.Background()); err != nil || n != 1 {
			t.Fatalf("recover %d %v", n, err)
		}
		x, _ := f.svc.Job(f.ctx, j.ID)
		if x.Status != StatusFailed || !strings.HasPrefix(x.Error, "interrupted") || x.FinishedAt == nil {
			t.Fatalf("recovered %+v", x.Job)
		}
		if left := f.uploadsLeft(); len(left) != 0 {
			t.Errorf("left %v", left)
		}
	})
}

// Refusals name the field at fault.
func TestValidation(t *testing.T) {
	f := newFixture(t, testutil.Dialects(t)[0])
	cases := []struct {
		in   FileInput
		name string
		want []string
	}{
		{FileInput{Table: "nope"}, "a.csv", []string{"table:not_found"}},
		{FileInput{Table: "ac01", Mode: "merge", Encoding: "big5"}, "a.csv", []string{"mode:enum", "encoding:enum"}},
		{FileInput{Table: "ac01"}, "a.exe", []string{"file:type"}},
	}
	for _, c := range cases {
		_, err := f.svc.Receive(f.ctx, c.in, c.name, strings.NewReader("a\n"))
		if got := fieldErrors(err); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%+v %s: %v, want %v", c.in, c.name, got, c.want)
		}
	}
	// A missing table is only an error once every field has arrived.
	up := f.upload(FileInput{}, "a.csv", []byte("a\n"))
	if _, err := f.svc.StartFile(f.ctx, FileInput{}, up); !reflect.DeepEqual(fieldErrors(err), []string{"table:required"}) {
		t.Errorf("no table: %v", err)
	}
	if _, err := f.svc.StartFile(f.ctx, FileInput{Table: "ac01"}, nil); !reflect.DeepEqual(fieldErrors(err), []string{"file:required"}) {
		t.Errorf("no file: %v", err)
	}
	if _, err := f.svc.Receive(f.ctx, FileInput{Table: "ac01"}, "a.csv", strings.NewReader("")); !reflect.DeepEqual(fieldErrors(err), []string{"file:empty"}) {
		t.Errorf("empty: %v", err)
	}
	f.svc.opt.MaxFileBytes = 10
	if _, err := f.svc.Receive(f.ctx, FileInput{Table: "ac01"}, "a.csv", strings.NewReader(strings.Repeat("x", 11))); problemCode(err) != "load_file_too_large" {
		t.Errorf("too large: %v", err)
	}
	if left := f.uploadsLeft(); len(left) != 0 {
		t.Errorf("left %v", left)
	}
	_, err := f.svc.StartSource(f.ctx, SourceInput{DatasourceID: 0, SourceTable: "a;drop", Watermark: "", Table: "death"})
	if got := fieldErrors(err); !reflect.DeepEqual(got, []string{"datasource_id:required", "source_table:format", "watermark:required"}) {
		t.Errorf("source input: %v", got)
	}
	_, err = f.svc.StartSource(f.ctx, SourceInput{DatasourceID: 99, SourceTable: "deaths", Watermark: "updated_at", Table: "death"})
	if got := fieldErrors(err); !reflect.DeepEqual(got, []string{"datasource_id:not_found"}) {
		t.Errorf("unknown source: %v", got)
	}
}

// A failed load (a required column missing from the header) keeps nothing
// and says why, naming the user's file, not the stored path.
func TestFailedLoad(t *testing.T) {
	f := newFixture(t, testutil.Dialects(t)[0])
	j, err := f.loadFile(FileInput{Table: "death"}, "缺列.csv", []byte("aac002,aac003\n"+id("19400101", 1)+",张三\n"))
	if err != nil {
		t.Fatal(err)
	}
	x := f.finished(j.ID)
	if x.Status != StatusFailed || !strings.Contains(x.Error, "death_date") || strings.Contains(x.Error, f.dir) || x.Loaded != 0 {
		t.Fatalf("failed %+v", x.Job)
	}
}

// A data-source table loads incrementally by its watermark column.
func TestDatasourceLoad(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d)
		path := filepath.Join(t.TempDir(), "mz.db") // outside the data dir, as data sources must be
		src, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		if _, err := src.Exec("CREATE TABLE deaths (aac002 TEXT, aac003 TEXT, death_date TEXT, source TEXT, seq INTEGER)"); err != nil {
			t.Fatal(err)
		}
		add := func(from, to int) {
			for i := from; i < to; i++ {
				if _, err := src.Exec("INSERT INTO deaths VALUES (?, ?, '2024-03-01', '民政', ?)", id("19350101", i), "逝者", i); err != nil {
					t.Fatal(err)
				}
			}
		}
		ds, err := f.sources.SaveSource(f.ctx, 0, datasource.Input{Code: "mz", Name: "民政死亡库", Kind: "sqlite", Options: map[string]string{"path": path}})
		if err != nil {
			t.Fatal(err)
		}
		add(0, 4)
		in := SourceInput{DatasourceID: ds.ID, SourceTable: "deaths", Watermark: "seq", Table: "death"}
		j, err := f.svc.StartSource(f.ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		x := f.finished(j.ID)
		if x.Status != StatusSucceeded || x.Loaded != 4 || x.WatermarkAfter != "3" || x.DatasourceName != "民政死亡库" || x.Kind != KindDatasource {
			t.Fatalf("first %+v", x.Job)
		}
		add(4, 6)
		j, _ = f.svc.StartSource(f.ctx, in)
		if x := f.finished(j.ID); x.Status != StatusSucceeded || x.Read != 2 || x.WatermarkAfter != "5" || f.count("death") != 6 {
			t.Fatalf("second %+v", x.Job)
		}
		opts, err := f.svc.SourceOptions(f.ctx)
		if err != nil || len(opts) != 1 || opts[0].Code != "mz" {
			t.Errorf("options %v %+v", err, opts)
		}
		// A missing column fails the job with the loader's reason.
		j, _ = f.svc.StartSource(f.ctx, SourceInput{DatasourceID: ds.ID, SourceTable: "deaths", Watermark: "nope", Table: "death"})
		if x := f.finished(j.ID); x.Status != StatusFailed || !strings.Contains(x.Error, "nope") {
			t.Fatalf("bad watermark %+v", x.Job)
		}
	})
}

func TestScrub(t *testing.T) {
	for in, want := range map[string]string{
		"connect postgres://app:s3cret@db:5432/x failed": "connect postgres://app:******@db:5432/x failed",
		"user=app password=s3cret host=db":               "user=app password=****** host=db",
		"login failed for hunter2":                       "login failed for ******",
	} {
		if got := scrub(in, "hunter2"); got != want {
			t.Errorf("scrub(%q) = %q, want %q", in, got, want)
		}
	}
}
