package calllog

import (
	"context"
	"database/sql"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/gm"
	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/ident"
)

// Call is a call-log row as the console shows it; the subject appears
// masked, never in the clear.
type Call struct {
	CallID       string    `json:"call_id"`
	At           time.Time `json:"at"`
	ConsumerCode string    `json:"consumer_code"`
	KeyID        string    `json:"key_id"`
	APICode      string    `json:"api_code"`
	Method       string    `json:"method"`
	Path         string    `json:"path"`
	ClientIP     string    `json:"client_ip"`
	Status       int       `json:"status"`
	Code         string    `json:"code"`
	LatencyUS    int64     `json:"latency_us"`
	BytesIn      int64     `json:"bytes_in"`
	BytesOut     int64     `json:"bytes_out"`
	Records      int       `json:"records"`
	Subject      string    `json:"subject"`
}

// Index computes the subject index for a search.
type Index func(subject string) string

// Handler serves call-log search and export.
type Handler struct {
	db        *db.DB
	box       *gm.Box
	index     Index
	audit     *audit.Log
	retention int // days a call is kept (calllog_retention_days); 0: forever
}

// NewHandler returns the handler; retentionDays is calllog_retention_days.
func NewHandler(d *db.DB, box *gm.Box, index Index, a *audit.Log, retentionDays int) *Handler {
	return &Handler{db: d, box: box, index: index, audit: a, retention: retentionDays}
}

// Retention answers GET /api/v1/gateway/calls/retention: how many days the
// call log keeps a call (0: forever), for the console to say so.
func (h *Handler) Retention(w http.ResponseWriter, r *http.Request) error {
	httpx.WriteJSON(w, http.StatusOK, map[string]int{"retention_days": h.retention})
	return nil
}

type filter struct {
	where string
	args  []any
}

func (h *Handler) parse(r *http.Request) (filter, error) {
	q := r.URL.Query()
	f := filter{where: " WHERE 1 = 1"}
	var errs []httpx.FieldError
	for _, x := range []struct{ name, col string }{{"consumer", "consumer_code"}, {"api", "api_code"}, {"code", "code"}, {"client_ip", "client_ip"}} {
		if v := q.Get(x.name); v != "" {
			f.where += " AND " + x.col + " = ?"
			f.args = append(f.args, v)
		}
	}
	if v := q.Get("status"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			errs = append(errs, httpx.FieldError{Field: "status", Code: "type"})
		}
		f.where += " AND status = ?"
		f.args = append(f.args, n)
	}
	for _, x := range []struct{ name, op string }{{"from", ">="}, {"to", "<"}} {
		if v := q.Get(x.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				errs = append(errs, httpx.FieldError{Field: x.name, Code: "format", Message: "RFC 3339"})
			}
			f.where += " AND at " + x.op + " ?"
			f.args = append(f.args, t.UTC())
		}
	}
	if v := strings.ToUpper(strings.TrimSpace(q.Get("subject"))); v != "" {
		if !ident.ValidID(v) && !ident.ValidUSCC(v) {
			errs = append(errs, httpx.FieldError{Field: "subject", Code: "checksum", Message: "公民身份号码 (GB 11643) or 统一社会信用代码 (GB 32100)"})
		}
		f.where += " AND subject_index = ?"
		f.args = append(f.args, h.index(v))
	}
	if len(errs) > 0 {
		return f, httpx.Invalid(errs...)
	}
	return f, nil
}

const cols = "call_id, at, consumer_code, key_id, api_code, method, path, client_ip, status, code, latency_us, bytes_in, bytes_out, records, subject_sealed"

func (h *Handler) scan(rows *sql.Rows) (Call, error) {
	var c Call
	var sealed []byte
	if err := rows.Scan(&c.CallID, &c.At, &c.ConsumerCode, &c.KeyID, &c.APICode, &c.Method, &c.Path, &c.ClientIP, &c.Status, &c.Code,
		&c.LatencyUS, &c.BytesIn, &c.BytesOut, &c.Records, &sealed); err != nil {
		return c, err
	}
	c.At = c.At.UTC()
	if len(sealed) > 0 {
		if s, err := h.box.Open(sealed, "subject:"+c.CallID); err == nil {
			c.Subject = maskSubject(string(s))
		}
	}
	return c, nil
}

func maskSubject(s string) string {
	if len(s) != 18 {
		return "******"
	}
	return s[:6] + "********" + s[14:]
}

// Search: GET /api/v1/gateway/calls.
func (h *Handler) Search(w http.ResponseWriter, r *http.Request) error {
	pg, err := httpx.ParsePage(r)
	if err != nil {
		return err
	}
	f, err := h.parse(r)
	if err != nil {
		return err
	}
	var total int
	if err := h.db.QueryRow(r.Context(), "SELECT COUNT(*) FROM gateway_calls"+f.where, f.args...).Scan(&total); err != nil {
		return err
	}
	rows, err := h.db.Query(r.Context(), "SELECT "+cols+" FROM gateway_calls"+f.where+" ORDER BY id DESC LIMIT ? OFFSET ?", append(f.args, pg.PageSize, pg.Offset())...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var out []Call
	for rows.Next() {
		c, err := h.scan(rows)
		if err != nil {
			return err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, httpx.NewList(out, total, pg))
	return nil
}

// Export: GET /api/v1/gateway/calls/export (CSV; the export is audited).
func (h *Handler) Export(w http.ResponseWriter, r *http.Request) error {
	f, err := h.parse(r)
	if err != nil {
		return err
	}
	if err := h.audit.Record(r.Context(), audit.Event{Action: "calllog.export", TargetType: "gateway_calls", Detail: r.URL.RawQuery}); err != nil {
		return err
	}
	rows, err := h.db.Query(context.WithoutCancel(r.Context()), "SELECT "+cols+" FROM gateway_calls"+f.where+" ORDER BY id LIMIT 200000", f.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="xietong-calls-`+time.Now().UTC().Format("20060102-150405")+`.csv"`)
	w.Write([]byte("\xEF\xBB\xBF"))
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"call_id", "at", "consumer", "key_id", "api", "method", "path", "client_ip", "status", "code", "latency_us", "bytes_in", "bytes_out", "records", "subject"})
	for rows.Next() {
		c, err := h.scan(rows)
		if err != nil {
			return nil // the header is out; stop the file where it is
		}
		_ = cw.Write([]string{c.CallID, c.At.Format(time.RFC3339Nano), c.ConsumerCode, c.KeyID, c.APICode, c.Method, c.Path, c.ClientIP,
			strconv.Itoa(c.Status), c.Code, strconv.FormatInt(c.LatencyUS, 10), strconv.FormatInt(c.BytesIn, 10), strconv.FormatInt(c.BytesOut, 10),
			strconv.Itoa(c.Records), c.Subject})
	}
	cw.Flush()
	return nil
}
