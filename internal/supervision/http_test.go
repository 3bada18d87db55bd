package supervision

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/testutil"
)

// The handlers over a mux shaped like the proposed route table.
func TestHandlers(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		f := newFixture(t, d, nil)
		h := NewHandler(f.svc)
		var ctxOf func() context.Context
		mux := http.NewServeMux()
		route := func(pattern string, fn httpx.HandlerFunc) {
			mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if err := fn(w, r.WithContext(ctxOf())); err != nil {
					httpx.WriteError(testutil.Logger(), w, r, err)
				}
			}))
		}
		const p = "/api/v1/supervision"
		route("GET "+p+"/warnings", h.Warnings)
		route("GET "+p+"/warnings/export", h.ExportWarnings)
		route("GET "+p+"/warnings/{id}", h.GetWarning)
		route("POST "+p+"/warnings/{id}/dispatch", h.Dispatch)
		route("POST "+p+"/agency/warnings/{id}/files", h.Upload)
		route("POST "+p+"/agency/warnings/{id}/verify", h.Verify)
		route("GET "+p+"/agency/files/{id}", h.AgencyFile)
		route("GET "+p+"/stats", h.Stats)
		route("GET "+p+"/stats/export", h.ExportStats)
		route("GET "+p+"/rules", h.Rules)
		route("PUT "+p+"/rules/{code}/params", h.SetParams)
		do := func(ctx context.Context, method, path string, body any) *httptest.ResponseRecorder {
			t.Helper()
			ctxOf = func() context.Context { return ctx }
			var b bytes.Buffer
			ct := "application/json"
			switch x := body.(type) {
			case nil:
			case []byte:
				b.Write(x)
				ct = mpType
			default:
				json.NewEncoder(&b).Encode(x)
			}
			r := httptest.NewRequest(method, path, &b)
			r.Header.Set("Content-Type", ct)
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, r)
			return w
		}
		f.ingest(hit("520102199001011234", "520102", "202403", 88.5, "a"), hit("520201199001011234", "520201", "202403", 11.5, "b"))
		w := f.warning("520102199001011234", "202403")
		res := do(f.sup, "GET", p+"/warnings?region=5201&status=new", nil)
		var list httpx.List[Warning]
		json.Unmarshal(res.Body.Bytes(), &list)
		if res.Code != 200 || list.Total != 1 || list.Items[0].ID != w.ID {
			t.Fatalf("list %d %s", res.Code, res.Body)
		}
		if res := do(f.sup, "GET", p+"/warnings?region=520", nil); res.Code != 422 {
			t.Errorf("bad region prefix: %d", res.Code)
		}
		res = do(f.sup, "POST", fmt.Sprintf("%s/warnings/%d/dispatch", p, w.ID), map[string]any{"agency_id": f.agency, "deadline": f.clock.Add(72 * time.Hour)})
		if res.Code != 200 {
			t.Fatalf("dispatch %d %s", res.Code, res.Body)
		}
		// Upload as multipart, then verify with the file.
		body, typ := multipartFile(t, "照片.png", append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...))
		mpType = typ
		res = do(f.otherCx, "POST", fmt.Sprintf("%s/agency/warnings/%d/files", p, w.ID), body)
		if res.Code != 403 {
			t.Errorf("other agency upload: %d %s", res.Code, res.Body)
		}
		res = do(f.agencyCx, "POST", fmt.Sprintf("%s/agency/warnings/%d/files", p, w.ID), body)
		var file File
		json.Unmarshal(res.Body.Bytes(), &file)
		if res.Code != 201 || file.ID == 0 || file.ContentType != "image/png" {
			t.Fatalf("upload %d %s", res.Code, res.Body)
		}
		res = do(f.agencyCx, "GET", fmt.Sprintf("%s/agency/files/%d", p, file.ID), nil)
		if res.Code != 200 || res.Body.Len() != 72 || res.Header().Get("Content-Type") != "image/png" {
			t.Errorf("download %d %v", res.Code, res.Header())
		}
		res = do(f.agencyCx, "POST", fmt.Sprintf("%s/agency/warnings/%d/verify", p, w.ID),
			map[string]any{"findings": "属实", "problem_category": "overpayment", "rectified": true, "amount_involved": 88.5, "amount_recovered": 80, "file_ids": []int64{file.ID}})
		if res.Code != 200 {
			t.Fatalf("verify %d %s", res.Code, res.Body)
		}
		res = do(f.sup, "GET", p+"/stats?level=county&region=52", nil)
		var st struct {
			Level string
			Rows  []Stat
			Total Stat
		}
		json.Unmarshal(res.Body.Bytes(), &st)
		if res.Code != 200 || len(st.Rows) != 2 || st.Total.Found != 2 || st.Total.Verified != 1 || st.Total.AmountRecovered != 80 || st.Total.AmountInvolved != 100 {
			t.Errorf("stats %d %s", res.Code, res.Body)
		}
		res = do(f.sup, "GET", p+"/stats/export?level=province", nil)
		x, err := excelize.OpenReader(res.Body)
		if err != nil || res.Header().Get("Content-Type") != xlsxType {
			t.Fatalf("stats export: %v %v", err, res.Header())
		}
		if v, _ := x.GetCellValue("Sheet1", "G2"); v != "80" { // G: after the region and its name
			t.Errorf("exported recovered %q", v)
		}
		res = do(f.sup, "GET", p+"/warnings/export?region=52", nil)
		if x, err := excelize.OpenReader(res.Body); err != nil {
			t.Fatal(err)
		} else if rows, _ := x.GetRows("Sheet1"); len(rows) != 3 {
			t.Errorf("warnings export rows %d", len(rows))
		}
		res = do(f.sup, "PUT", p+"/rules/R17/params", map[string]any{"city": "5201", "values": map[string]string{"min_age": "x"}})
		if res.Code != 422 {
			t.Errorf("bad param %d %s", res.Code, res.Body)
		}
	})
}

var mpType string

func multipartFile(t *testing.T, name string, data []byte) ([]byte, string) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}
