package loadjob

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/testutil"
)

// api is the handler over a mux shaped like the proposed route table.
type api struct {
	t   *testing.T
	mux *http.ServeMux
	ctx context.Context
}

func newAPI(t *testing.T, f *fixture) *api {
	h := NewHandler(f.svc)
	a := &api{t: t, mux: http.NewServeMux(), ctx: f.ctx}
	route := func(pattern string, fn httpx.HandlerFunc) {
		a.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := fn(w, r.WithContext(a.ctx)); err != nil {
				httpx.WriteError(testutil.Logger(), w, r, err)
			}
		}))
	}
	const p = "/api/v1/warehouse"
	route("GET "+p+"/loads", h.Jobs)
	route("GET "+p+"/loads/{id}", h.Job)
	route("GET "+p+"/loads/{id}/bad-rows.csv", h.BadRowsCSV)
	route("POST "+p+"/loads/file", h.StartFile)
	route("POST "+p+"/loads/datasource", h.StartSource)
	route("POST "+p+"/loads/{id}/cancel", h.Cancel)
	route("GET "+p+"/tables", h.Tables)
	route("GET "+p+"/sources", h.Sources)
	return a
}

func (a *api) do(method, path, contentType string, body []byte) *httptest.ResponseRecorder {
	a.t.Helper()
	r := httptest.NewRequest(method, "/api/v1/warehouse"+path, bytes.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	w := httptest.NewRecorder()
	a.mux.ServeHTTP(w, r)
	return w
}

// form builds a multipart body: the fields in order, then the file, then
// the fields in after.
func form(t *testing.T, fields [][2]string, name string, content []byte, after ...[2]string) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, kv := range fields {
		mw.WriteField(kv[0], kv[1])
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(content)
	}
	for _, kv := range after {
		mw.WriteField(kv[0], kv[1])
	}
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("%d %s: %v", w.Code, w.Body, err)
	}
	return v
}

func TestHTTP(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d)
		a := newAPI(t, f)
		// Upload: fields first, the file, and a field after it that still counts.
		csvText := "aac002,aac003,death_date,source\n" + id("19400101", 1) + ",张三,2024-02-30,公安\n" + id("19400101", 2) + ",=HYPERLINK(1),2024-02-03,公安\n"
		body, ct := form(t, [][2]string{{"table", "death"}, {"encoding", "utf-8"}}, "死亡 名单.csv", []byte(csvText), [2]string{"mode", "replace"})
		res := a.do("POST", "/loads/file", ct, body)
		if res.Code != http.StatusAccepted {
			t.Fatalf("upload %d %s", res.Code, res.Body)
		}
		j := decode[Job](t, res)
		if j.FileName != "死亡 名单.csv" || j.Mode != "replace" || j.Encoding != "utf-8" || j.Status != StatusQueued {
			t.Fatalf("queued %+v", j)
		}
		f.svc.Wait()
		// List, filtered.
		res = a.do("GET", "/loads?table=death&status=succeeded&page_size=5", "", nil)
		list := decode[httpx.List[Job]](t, res)
		if res.Code != 200 || list.Total != 1 || list.Items[0].ID != j.ID || list.Items[0].Loaded != 1 || list.Items[0].Bad != 1 {
			t.Fatalf("list %d %s", res.Code, res.Body)
		}
		if strings.Contains(res.Body.String(), "bad_rows") {
			t.Errorf("the list carries bad rows: %s", res.Body)
		}
		if res := a.do("GET", "/loads?status=done", "", nil); res.Code != 422 || !strings.Contains(res.Body.String(), `"field":"status"`) {
			t.Errorf("bad status filter %d %s", res.Code, res.Body)
		}
		// Detail with the bad rows.
		res = a.do("GET", fmt.Sprintf("/loads/%d", j.ID), "", nil)
		det := decode[struct {
			Job
			BadRows []struct {
				Line           int64
				Column, Reason string
			} `json:"bad_rows"`
		}](t, res)
		if res.Code != 200 || len(det.BadRows) != 1 || det.BadRows[0].Line != 2 || det.BadRows[0].Column != "death_date" || det.BadRows[0].Reason != "date" {
			t.Fatalf("detail %d %s", res.Code, res.Body)
		}
		if res := a.do("GET", "/loads/999", "", nil); res.Code != 404 {
			t.Errorf("unknown job %d", res.Code)
		}
		// The CSV export: a BOM, a header, one row.
		res = a.do("GET", fmt.Sprintf("/loads/%d/bad-rows.csv", j.ID), "", nil)
		if res.Code != 200 || !strings.HasPrefix(res.Header().Get("Content-Type"), "text/csv") || !strings.Contains(res.Header().Get("Content-Disposition"), "bad-rows.csv") {
			t.Fatalf("export %d %v", res.Code, res.Header())
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body.String(), "\xEF\xBB\xBF"))).ReadAll()
		if err != nil || len(rows) != 2 || rows[1][0] != "2" || rows[1][1] != "death_date" || rows[1][3] != "date" {
			t.Fatalf("export rows %v %v", err, rows)
		}
		if got := f.auditActions(j.ID); len(got) != 3 || got[2] != "warehouse_load.export_bad_rows" {
			t.Errorf("audit %v", got)
		}
		// Refusals.
		body, ct = form(t, [][2]string{{"table", "nope"}, {"mode", "merge"}}, "a.csv", []byte("x"))
		res = a.do("POST", "/loads/file", ct, body)
		p := decode[httpx.Problem](t, res)
		if res.Code != 422 || p.Code != "validation_failed" || len(p.Errors) != 2 || p.Errors[0].Field != "table" || p.Errors[1].Field != "mode" {
			t.Errorf("invalid form %d %s", res.Code, res.Body)
		}
		body, ct = form(t, [][2]string{{"table", "death"}}, "", nil)
		if res := a.do("POST", "/loads/file", ct, body); res.Code != 422 || !strings.Contains(res.Body.String(), `"field":"file"`) {
			t.Errorf("no file %d %s", res.Code, res.Body)
		}
		if res := a.do("POST", "/loads/file", "application/json", []byte(`{}`)); res.Code != 415 {
			t.Errorf("json upload %d", res.Code)
		}
		res = a.do("POST", "/loads/datasource", "application/json", []byte(`{"datasource_id":7,"source_table":"t","watermark":"w","table":"x"}`))
		if p := decode[httpx.Problem](t, res); res.Code != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "table" || p.Errors[0].Code != "not_found" {
			t.Errorf("datasource %d %s", res.Code, res.Body)
		}
		if res := a.do("POST", fmt.Sprintf("/loads/%d/cancel", j.ID), "", nil); res.Code != 409 || decode[httpx.Problem](t, res).Code != "load_not_running" {
			t.Errorf("cancel finished %d %s", res.Code, res.Body)
		}
		if left := f.uploadsLeft(); len(left) != 0 {
			t.Errorf("uploads left %v", left)
		}
		// The form's choices.
		res = a.do("GET", "/tables", "", nil)
		tables := decode[Tables](t, res)
		if res.Code != 200 || tables.MaxFileBytes != DefaultMaxFileBytes || len(tables.Tables) < 10 {
			t.Fatalf("tables %d", res.Code)
		}
		for _, tb := range tables.Tables {
			if tb.Name != "death" {
				continue
			}
			cols := map[string]ColumnInfo{}
			for _, c := range tb.Columns {
				cols[c.Name] = c
			}
			if tb.Rows != 1 || !cols["aac002"].Required || !cols["death_ym"].Computed || cols["death_ym"].Required {
				t.Errorf("death %+v", tb)
			}
		}
		if res := a.do("GET", "/sources", "", nil); res.Code != 200 || strings.TrimSpace(res.Body.String()) != "[]" {
			t.Errorf("sources %d %s", res.Code, res.Body)
		}
	})
}

// A table busy with a load refuses an upload before reading it.
func TestHTTPBusy(t *testing.T) {
	f := newFixture(t, testutil.Dialects(t)[0])
	a := newAPI(t, f)
	reached := holdLoads(f)
	body, ct := form(t, [][2]string{{"table", "death"}}, "big.csv", deathCSV(12000))
	res := a.do("POST", "/loads/file", ct, body)
	if res.Code != 202 {
		t.Fatalf("first %d %s", res.Code, res.Body)
	}
	j := decode[Job](t, res)
	<-reached
	res = a.do("POST", "/loads/file", ct, body)
	if p := decode[httpx.Problem](t, res); res.Code != 409 || p.Code != "load_table_busy" || p.Detail == "" || p.DetailEN == "" {
		t.Fatalf("second %d %s", res.Code, res.Body)
	}
	res = a.do("GET", fmt.Sprintf("/loads/%d", j.ID), "", nil)
	if x := decode[Job](t, res); x.Status != StatusRunning || x.Read == 0 || x.TotalBytes != int64(len(deathCSV(12000))) {
		t.Errorf("running %+v", x)
	}
	res = a.do("POST", fmt.Sprintf("/loads/%d/cancel", j.ID), "", nil)
	if x := decode[Job](t, res); res.Code != 200 || x.Status != StatusCancelled {
		t.Fatalf("cancel %d %s", res.Code, res.Body)
	}
	if f.count("death") != 0 {
		t.Fatal("rows after cancel")
	}
}

func TestDefuse(t *testing.T) {
	for in, want := range map[string]string{"=1+1": "'=1+1", "-5": "'-5", "张三": "张三", "": ""} {
		if got := defuse(in); got != want {
			t.Errorf("defuse(%q) = %q", in, got)
		}
	}
}
