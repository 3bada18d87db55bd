package audit

import (
	"encoding/csv"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/xietong/xietong/internal/httpx"
)

// MaxExportRows bounds one export; a larger result asks for a narrower filter.
const MaxExportRows = 200_000

// Handler serves the audit admin's routes.
type Handler struct {
	log    *Log
	logger *slog.Logger
}

// NewHandler returns the audit handler.
func NewHandler(l *Log, logger *slog.Logger) *Handler { return &Handler{log: l, logger: logger} }

func parseFilter(r *http.Request) (Filter, error) {
	q := r.URL.Query()
	f := Filter{Actor: q.Get("actor"), Action: q.Get("action"), Target: q.Get("target"), Result: q.Get("result")}
	var errs []httpx.FieldError
	for _, x := range []struct {
		name string
		dst  *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(x.name); v != "" {
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				errs = append(errs, httpx.FieldError{Field: x.name, Code: "format", Message: "RFC 3339, e.g. 2026-11-23T00:00:00+08:00"})
			}
			*x.dst = t
		}
	}
	if f.Result != "" && f.Result != ResultOK && f.Result != ResultDenied && f.Result != ResultFailed {
		errs = append(errs, httpx.FieldError{Field: "result", Code: "enum", Message: "ok|denied|failed"})
	}
	for name, v := range map[string]string{"actor": f.Actor, "action": f.Action, "target": f.Target} {
		if len(v) > 100 {
			errs = append(errs, httpx.FieldError{Field: name, Code: "too_long", Message: "≤ 100"})
		}
	}
	if len(errs) > 0 {
		return f, httpx.Invalid(errs...)
	}
	return f, nil
}

// Search: GET /api/v1/audit/events.
func (h *Handler) Search(w http.ResponseWriter, r *http.Request) error {
	pg, err := httpx.ParsePage(r)
	if err != nil {
		return err
	}
	f, err := parseFilter(r)
	if err != nil {
		return err
	}
	f.Limit, f.Offset = pg.PageSize, pg.Offset()
	items, total, err := h.log.Search(r.Context(), f)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, httpx.NewList(items, total, pg))
	return nil
}

var exportHeader = []string{"seq", "at", "actor_id", "actor_name", "action", "target_type", "target_id", "result", "client_ip", "detail", "before", "after", "hash"}

func exportRow(e Event) []string {
	actor := ""
	if e.ActorID != nil {
		actor = strconv.FormatInt(*e.ActorID, 10)
	}
	return []string{strconv.FormatInt(e.Seq, 10), e.At.Format(time.RFC3339Nano), actor, e.ActorName, e.Action, e.TargetType, e.TargetID,
		e.Result, e.ClientIP, e.Detail, e.Before, e.After, e.Hash}
}

// Export: GET /api/v1/audit/events/export?format=csv|xlsx. The export
// itself is audited.
func (h *Handler) Export(w http.ResponseWriter, r *http.Request) error {
	f, err := parseFilter(r)
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	if format != "csv" && format != "xlsx" {
		return httpx.Invalid(httpx.FieldError{Field: "format", Code: "enum", Message: "csv|xlsx"})
	}
	f.Limit = MaxExportRows
	if err := h.log.Record(r.Context(), Event{Action: "audit.export", TargetType: "audit_log", Detail: format + " " + r.URL.RawQuery}); err != nil {
		return err
	}
	name := "xietong-audit-" + time.Now().UTC().Format("20060102-150405") + "." + format
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Write([]byte("\xEF\xBB\xBF")) // BOM so that Excel reads the Chinese text as UTF-8
		cw := csv.NewWriter(w)
		_ = cw.Write(exportHeader)
		err := h.log.Each(r.Context(), f, func(e Event) error { return cw.Write(exportRow(e)) })
		cw.Flush()
		if err != nil {
			h.logger.Error("audit export interrupted", "err", err)
		}
		return nil
	}
	x := excelize.NewFile()
	defer x.Close()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	row := 1
	writeRow := func(cells []string) error {
		vals := make([]any, len(cells))
		for i, c := range cells {
			vals[i] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		row++
		return sw.SetRow(cell, vals)
	}
	if err := writeRow(exportHeader); err != nil {
		return err
	}
	if err := h.log.Each(r.Context(), f, func(e Event) error { return writeRow(exportRow(e)) }); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	if _, err := x.WriteTo(w); err != nil {
		return fmt.Errorf("audit: write xlsx: %w", err)
	}
	return nil
}

// Verify: GET /api/v1/audit/verify.
func (h *Handler) Verify(w http.ResponseWriter, r *http.Request) error {
	res, err := h.log.Verify(r.Context())
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, res)
	return nil
}
