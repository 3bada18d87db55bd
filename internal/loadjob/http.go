package loadjob

// Proposed routes (all Permitted; the lead adds them to the route table and
// the menus). Menu codes: supervision.loads (view) and supervision.loads.write.
//
//	method path under /api/v1/warehouse          handler      menu
//	GET    /loads?status=&table=&page=&page_size= Jobs        supervision.loads
//	GET    /loads/{id}                            Job         supervision.loads
//	GET    /loads/{id}/bad-rows.csv               BadRowsCSV  supervision.loads
//	GET    /tables                                Tables      supervision.loads
//	POST   /loads/file (multipart: table, mode, encoding, sheet, then "file")
//	                                              StartFile   supervision.loads.write
//	POST   /loads/datasource                      StartSource supervision.loads.write
//	POST   /loads/{id}/cancel                     Cancel      supervision.loads.write
//	GET    /sources                               Sources     supervision.loads.write
//
// The starts answer 202 with the queued job; its progress is then read
// from the list or the detail.

import (
	"context"
	"encoding/csv"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/warehouse/load"
)

// Handler serves the warehouse-load routes.
type Handler struct{ svc *Service }

// NewHandler returns the handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// uploadTime bounds one upload: the server's read and write timeouts suit
// JSON bodies, not a 2 GiB file on a slow line.
const uploadTime = 2 * time.Hour

// Jobs: GET /api/v1/warehouse/loads?status=&table=.
func (h *Handler) Jobs(w http.ResponseWriter, r *http.Request) error {
	f := Filter{Status: r.URL.Query().Get("status"), Table: r.URL.Query().Get("table")}
	if f.Status != "" {
		var c httpx.Checker
		c.OneOf("status", f.Status, Statuses...)
		if err := c.Err(); err != nil {
			return err
		}
	}
	return httpx.Paged(w, r, func(ctx context.Context, pg httpx.Page) ([]*Job, int, error) {
		f.Limit, f.Offset = pg.PageSize, pg.Offset()
		return h.svc.Jobs(ctx, f)
	})
}

// Job: GET /api/v1/warehouse/loads/{id} — with the kept bad rows.
func (h *Handler) Job(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.Job)
}

// Tables: GET /api/v1/warehouse/tables — the tables, columns and row counts.
func (h *Handler) Tables(w http.ResponseWriter, r *http.Request) error {
	return httpx.Whole(w, r, h.svc.Tables)
}

// Sources: GET /api/v1/warehouse/sources — the database data sources.
func (h *Handler) Sources(w http.ResponseWriter, r *http.Request) error {
	return httpx.Whole(w, r, h.svc.SourceOptions)
}

// StartSource: POST /api/v1/warehouse/loads/datasource — answers 202.
func (h *Handler) StartSource(w http.ResponseWriter, r *http.Request) error {
	var in SourceInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	j, err := h.svc.StartSource(r.Context(), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusAccepted, j)
	return nil
}

// Cancel: POST /api/v1/warehouse/loads/{id}/cancel — answers the job once
// it has rolled back.
func (h *Handler) Cancel(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.Cancel)
}

// formField is the most a text field of the upload form may hold.
const formField = 1 << 10

// StartFile: POST /api/v1/warehouse/loads/file — a multipart form with the
// fields table, mode, encoding and sheet and one part named "file", which
// is streamed to disk (never held in memory). Fields sent before the file
// are checked before it is received; fields after it still count.
// Answers 202 with the queued job.
func (h *Handler) StartFile(w http.ResponseWriter, r *http.Request) error {
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(uploadTime)) // not every writer supports it (tests' recorder)
	_ = rc.SetWriteDeadline(time.Now().Add(uploadTime))
	r.Body = http.MaxBytesReader(w, r.Body, h.svc.MaxFileBytes()+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return httpx.NewProblem(http.StatusUnsupportedMediaType, "unsupported_media_type", "请以 multipart/form-data 上传文件", "Upload the file as multipart/form-data")
	}
	var in FileInput
	var up *Upload
	defer func() { up.Remove() }() // unless a job took it
	for parts := 0; ; parts++ {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil || parts > 20 {
			return errUploadBroken
		}
		switch name := part.FormName(); name {
		case "file":
			if up != nil {
				return httpx.Invalid(httpx.FieldError{Field: "file", Code: "too_many", Message: "one file per load"})
			}
			if up, err = h.svc.Receive(r.Context(), in, part.FileName(), part); err != nil {
				return err
			}
		case "table", "mode", "encoding", "sheet":
			b, err := io.ReadAll(io.LimitReader(part, formField+1))
			if err != nil {
				return errUploadBroken
			}
			if len(b) > formField {
				return httpx.Invalid(httpx.FieldError{Field: name, Code: "too_long"})
			}
			v := string(b)
			switch name {
			case "table":
				in.Table = v
			case "mode":
				in.Mode = v
			case "encoding":
				in.Encoding = v
			case "sheet":
				in.Sheet = v
			}
		}
		part.Close()
	}
	j, err := h.svc.StartFile(r.Context(), in, up)
	up = nil // StartFile owns it now, refused or not
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusAccepted, j)
	return nil
}

// BadRowsCSV: GET /api/v1/warehouse/loads/{id}/bad-rows.csv — the kept bad
// rows (UTF-8 with a BOM, for Excel). The export is audited.
func (h *Handler) BadRowsCSV(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r)
	if err != nil {
		return err
	}
	j, rows, err := h.svc.BadRows(r.Context(), id)
	if err != nil {
		return err
	}
	name := "load-" + strconv.FormatInt(j.ID, 10) + "-" + j.Table + "-bad-rows.csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	return WriteBadRows(w, rows)
}

// WriteBadRows writes bad rows as CSV: line, column, value, reason code
// and the reason in Chinese and English.
func WriteBadRows(w io.Writer, rows []load.BadRow) error {
	if _, err := io.WriteString(w, "\xEF\xBB\xBF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"行号 line", "列 column", "值 value", "原因代码 reason", "原因", "reason (en)"})
	for _, b := range rows {
		_ = cw.Write([]string{strconv.FormatInt(b.Line, 10), b.Column, defuse(b.Value), b.Reason, b.ZH, b.EN})
	}
	cw.Flush()
	return cw.Error()
}

// defuse keeps a spreadsheet from reading a value as a formula: the values
// come from the uploaded data, not from us.
func defuse(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
