package supervision

// Proposed routes (all Permitted; the lead adds them to the route table and
// the menus). Menu codes: supervision (directory) and
//
//	method path under /api/v1/supervision          handler         menu
//	GET    /rules                                  Rules           supervision.rules
//	GET    /rules/{code}                           GetRule         supervision.rules
//	GET    /rules/{code}/versions                  Versions        supervision.rules
//	POST   /rules/dry-run                          DryRun          supervision.rules
//	PUT    /rules/{code}/enabled                   SetEnabled      supervision.rules.write
//	PUT    /rules/{code}/params                    SetParams       supervision.rules.write
//	POST   /custom-rules                           SaveRule        supervision.rules.write
//	POST   /rules/{code}/versions/{version}/activate Activate      supervision.rules.write
//	GET    /groups                                 Groups          supervision.runs
//	GET    /groups/{id}                            GetGroup        supervision.runs
//	POST   /groups                                 SaveGroup       supervision.runs.write
//	PUT    /groups/{id}                            SaveGroup       supervision.runs.write
//	DELETE /groups/{id}                            DeleteGroup     supervision.runs.write
//	GET    /runs?group_id=&status=                 Runs            supervision.runs
//	GET    /runs/{id}                              GetRun          supervision.runs
//	POST   /runs                                   StartRun        supervision.runs.write
//	POST   /runs/{id}/cancel                       CancelRun       supervision.runs.write
//	GET    /warnings?rule=&status=&region=&agency_id=&insurance=&period_from=&period_to=&run_id=&overdue=1&recheck=&q=
//	                                               Warnings        supervision.warnings
//	GET    /warnings/export (same filters, .xlsx)  ExportWarnings  supervision.warnings
//	GET    /warnings/{id}                          GetWarning      supervision.warnings
//	GET    /files/{id}                             File            supervision.warnings
//	GET    /agency-options?region=&q=              AgencyOptions   supervision.warnings.dispatch
//	POST   /warnings/{id}/dispatch                 Dispatch        supervision.warnings.dispatch
//	POST   /warnings/{id}/review                   Review          supervision.warnings.review
//	POST   /warnings/{id}/feedback                 Feedback        supervision.warnings.feedback
//	GET    /samples                                Samples         supervision.warnings.feedback
//	POST   /samples                                DrawSample      supervision.warnings.feedback
//	POST   /warnings/{id}/recheck                  Recheck         supervision.warnings.feedback
//	GET    /agency/warnings (same filters)         AgencyWarnings  supervision.verify
//	GET    /agency/warnings/{id}                   AgencyWarning   supervision.verify
//	POST   /agency/warnings/{id}/files (multipart "file") Upload   supervision.verify
//	POST   /agency/warnings/{id}/verify            Verify          supervision.verify
//	GET    /agency/files/{id}                      AgencyFile      supervision.verify
//	GET    /stats?level=province|city|county&region=&period_from=&period_to=&rule=&insurance=
//	                                               Stats           supervision.stats
//	GET    /stats/export (same filters, .xlsx)     ExportStats     supervision.stats
//
// The verify step is also checked in the service: only a user of the
// organisation the warning was dispatched to (403 supervision_not_your_agency).

import (
	"context"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/httpx"
)

// Handler serves the supervision routes.
type Handler struct{ svc *Service }

// NewHandler returns the handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// warningFilters reads the warning list filters.
func warningFilters(r *http.Request) (Query, error) {
	v := r.URL.Query()
	q := Query{RuleCode: v.Get("rule"), Status: v.Get("status"), Region: v.Get("region"), Insurance: v.Get("insurance"),
		PeriodMin: v.Get("period_from"), PeriodMax: v.Get("period_to"), Recheck: v.Get("recheck"), Overdue: v.Get("overdue") == "1" || v.Get("overdue") == "true"}
	var c httpx.Checker
	if n := len(q.Region); n != 0 && n != 2 && n != 4 && n != 6 {
		c.Add("region", "format", "2, 4 or 6 digits")
	}
	if q.Status != "" {
		c.OneOf("status", q.Status, StatusNew, StatusDispatched, StatusVerified, StatusReviewed, StatusClosed)
	}
	if err := c.Err(); err != nil {
		return q, err
	}
	var err error
	if q.AgencyID, err = httpx.QueryID(r, "agency_id"); err != nil {
		return q, err
	}
	q.RunID, err = httpx.QueryID(r, "run_id")
	return q, err
}

func statsFilters(r *http.Request) StatsQuery {
	v := r.URL.Query()
	return StatsQuery{Level: v.Get("level"), Region: v.Get("region"), PeriodMin: v.Get("period_from"), PeriodMax: v.Get("period_to"),
		RuleCode: v.Get("rule"), Insurance: v.Get("insurance")}
}

func writeFile(w http.ResponseWriter, name, contentType string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// ---- rules ----

// Rules: GET /api/v1/supervision/rules.
func (h *Handler) Rules(w http.ResponseWriter, r *http.Request) error {
	return httpx.Whole(w, r, h.svc.Rules)
}

// GetRule: GET /api/v1/supervision/rules/{code}.
func (h *Handler) GetRule(w http.ResponseWriter, r *http.Request) error {
	v, err := h.svc.Rule(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, v)
	return nil
}

// Versions: GET /api/v1/supervision/rules/{code}/versions.
func (h *Handler) Versions(w http.ResponseWriter, r *http.Request) error {
	v, err := h.svc.Versions(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	if v == nil {
		v = []*Version{}
	}
	httpx.WriteJSON(w, http.StatusOK, v)
	return nil
}

type enabledInput struct {
	Enabled bool `json:"enabled"`
}

// SetEnabled: PUT /api/v1/supervision/rules/{code}/enabled.
func (h *Handler) SetEnabled(w http.ResponseWriter, r *http.Request) error {
	var in enabledInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	v, err := h.svc.SetEnabled(r.Context(), r.PathValue("code"), in.Enabled)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, v)
	return nil
}

// SetParams: PUT /api/v1/supervision/rules/{code}/params.
func (h *Handler) SetParams(w http.ResponseWriter, r *http.Request) error {
	var in ParamsInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	v, err := h.svc.SetParams(r.Context(), r.PathValue("code"), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, v)
	return nil
}

// SaveRule: POST /api/v1/supervision/custom-rules — a new version.
func (h *Handler) SaveRule(w http.ResponseWriter, r *http.Request) error {
	var in RuleInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	v, err := h.svc.SaveRule(r.Context(), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, v)
	return nil
}

// Activate: POST /api/v1/supervision/rules/{code}/versions/{version}/activate.
func (h *Handler) Activate(w http.ResponseWriter, r *http.Request) error {
	n, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || n < 1 {
		return httpx.ErrNotFound
	}
	v, err := h.svc.Activate(r.Context(), r.PathValue("code"), n)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, v)
	return nil
}

// DryRun: POST /api/v1/supervision/rules/dry-run.
func (h *Handler) DryRun(w http.ResponseWriter, r *http.Request) error {
	var in DryRunInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	hits, err := h.svc.DryRun(r.Context(), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, hits)
	return nil
}

// ---- task groups and runs ----

// Groups: GET /api/v1/supervision/groups.
func (h *Handler) Groups(w http.ResponseWriter, r *http.Request) error {
	return httpx.Whole(w, r, h.svc.Groups)
}

// GetGroup: GET /api/v1/supervision/groups/{id}.
func (h *Handler) GetGroup(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.Group)
}

// SaveGroup: POST /api/v1/supervision/groups and PUT …/{id}.
func (h *Handler) SaveGroup(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, h.svc.SaveGroup)
}

// DeleteGroup: DELETE /api/v1/supervision/groups/{id}.
func (h *Handler) DeleteGroup(w http.ResponseWriter, r *http.Request) error {
	return httpx.Done(w, r, h.svc.DeleteGroup)
}

// Runs: GET /api/v1/supervision/runs?group_id=&status= — the run history.
func (h *Handler) Runs(w http.ResponseWriter, r *http.Request) error {
	group, err := httpx.QueryID(r, "group_id")
	if err != nil {
		return err
	}
	status := r.URL.Query().Get("status")
	return httpx.Paged(w, r, func(ctx context.Context, pg httpx.Page) ([]*Run, int, error) {
		return h.svc.Runs(ctx, group, status, pg)
	})
}

// GetRun: GET /api/v1/supervision/runs/{id} — progress and hits per rule.
func (h *Handler) GetRun(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.RunByID)
}

// StartRun: POST /api/v1/supervision/runs — answers 202 with the queued run.
func (h *Handler) StartRun(w http.ResponseWriter, r *http.Request) error {
	var in RunInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	x, err := h.svc.StartRun(r.Context(), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusAccepted, x)
	return nil
}

// CancelRun: POST /api/v1/supervision/runs/{id}/cancel.
func (h *Handler) CancelRun(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.CancelRun)
}

// ---- warnings ----

// Warnings: GET /api/v1/supervision/warnings with the list filters.
func (h *Handler) Warnings(w http.ResponseWriter, r *http.Request) error {
	q, err := warningFilters(r)
	if err != nil {
		return err
	}
	return httpx.Paged(w, r, func(ctx context.Context, pg httpx.Page) ([]*Warning, int, error) {
		q.Words, q.Limit, q.Offset = pg.Q, pg.PageSize, pg.Offset()
		return h.svc.Warnings(ctx, q)
	})
}

// ExportWarnings: GET /api/v1/supervision/warnings/export — .xlsx.
func (h *Handler) ExportWarnings(w http.ResponseWriter, r *http.Request) error {
	q, err := warningFilters(r)
	if err != nil {
		return err
	}
	q.Words = r.URL.Query().Get("q")
	b, err := h.svc.ExportWarnings(r.Context(), q)
	if err != nil {
		return err
	}
	writeFile(w, "warnings-"+time.Now().In(shanghai).Format("20060102")+".xlsx", xlsxType, b)
	return nil
}

// GetWarning: GET /api/v1/supervision/warnings/{id} — with events and files.
func (h *Handler) GetWarning(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.Warning)
}

// Dispatch: POST /api/v1/supervision/warnings/{id}/dispatch.
func (h *Handler) Dispatch(w http.ResponseWriter, r *http.Request) error {
	return httpx.Action(w, r, h.svc.Dispatch)
}

// Review: POST /api/v1/supervision/warnings/{id}/review.
func (h *Handler) Review(w http.ResponseWriter, r *http.Request) error {
	return httpx.Action(w, r, h.svc.Review)
}

// Feedback: POST /api/v1/supervision/warnings/{id}/feedback.
func (h *Handler) Feedback(w http.ResponseWriter, r *http.Request) error {
	return httpx.Action(w, r, h.svc.Feedback)
}

// Recheck: POST /api/v1/supervision/warnings/{id}/recheck.
func (h *Handler) Recheck(w http.ResponseWriter, r *http.Request) error {
	return httpx.Action(w, r, h.svc.Recheck)
}

// Samples: GET /api/v1/supervision/samples.
func (h *Handler) Samples(w http.ResponseWriter, r *http.Request) error {
	return httpx.Whole(w, r, h.svc.Samples)
}

// DrawSample: POST /api/v1/supervision/samples.
func (h *Handler) DrawSample(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, func(ctx context.Context, _ int64, in SampleInput) (*Sample, error) { return h.svc.DrawSample(ctx, in) })
}

func (h *Handler) file(w http.ResponseWriter, r *http.Request, agencyOnly bool) error {
	id, err := httpx.PathID(r)
	if err != nil {
		return err
	}
	f, b, err := h.svc.FileContent(r.Context(), id, agencyOnly)
	if err != nil {
		return err
	}
	writeFile(w, f.Name, f.ContentType, b)
	return nil
}

// File: GET /api/v1/supervision/files/{id} — an evidence file, for supervisors.
func (h *Handler) File(w http.ResponseWriter, r *http.Request) error { return h.file(w, r, false) }

// ---- the agency's side (核查) ----

// AgencyWarnings: GET /api/v1/supervision/agency/warnings — dispatched to my organisation.
func (h *Handler) AgencyWarnings(w http.ResponseWriter, r *http.Request) error {
	q, err := warningFilters(r)
	if err != nil {
		return err
	}
	return httpx.Paged(w, r, func(ctx context.Context, pg httpx.Page) ([]*Warning, int, error) {
		q.Words, q.Limit, q.Offset = pg.Q, pg.PageSize, pg.Offset()
		return h.svc.AgencyWarnings(ctx, q)
	})
}

// AgencyWarning: GET /api/v1/supervision/agency/warnings/{id}.
func (h *Handler) AgencyWarning(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.AgencyWarning)
}

// Verify: POST /api/v1/supervision/agency/warnings/{id}/verify.
func (h *Handler) Verify(w http.ResponseWriter, r *http.Request) error {
	return httpx.Action(w, r, h.svc.Verify)
}

// AgencyFile: GET /api/v1/supervision/agency/files/{id}.
func (h *Handler) AgencyFile(w http.ResponseWriter, r *http.Request) error { return h.file(w, r, true) }

// Upload: POST /api/v1/supervision/agency/warnings/{id}/files — multipart
// form with one part named "file" (≤ 10 MB); answers 201 with the file.
func (h *Handler) Upload(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxFileBytes+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return httpx.NewProblem(http.StatusUnsupportedMediaType, "unsupported_media_type", "请以 multipart/form-data 上传文件", "Upload the file as multipart/form-data")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return httpx.Invalid(httpx.FieldError{Field: "file", Code: "required"})
		}
		if err != nil {
			return errFileTooLarge
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, MaxFileBytes+1))
		if err != nil {
			return errFileTooLarge
		}
		name := part.FileName()
		if u, err := url.PathUnescape(name); err == nil {
			name = u
		}
		f, err := h.svc.Upload(r.Context(), id, name, b)
		if err != nil {
			return err
		}
		httpx.WriteJSON(w, http.StatusCreated, f)
		return nil
	}
}

// AgencyOptions: GET /api/v1/supervision/agency-options?region=&q= — the
// organisations a warning can be dispatched to, the region's own first.
func (h *Handler) AgencyOptions(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	opts, err := h.svc.AgencyOptions(r.Context(), v.Get("region"), strings.TrimSpace(v.Get("q")))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, opts)
	return nil
}

// ---- statistics ----

// Stats: GET /api/v1/supervision/stats.
func (h *Handler) Stats(w http.ResponseWriter, r *http.Request) error {
	q := statsFilters(r)
	if q.Level == "" {
		q.Level = "city"
	}
	rows, err := h.svc.Stats(r.Context(), q)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, map[string]any{"level": q.Level, "rows": rows, "total": Total(rows)})
	return nil
}

// ExportStats: GET /api/v1/supervision/stats/export — .xlsx.
func (h *Handler) ExportStats(w http.ResponseWriter, r *http.Request) error {
	b, err := h.svc.ExportStats(r.Context(), statsFilters(r))
	if err != nil {
		return err
	}
	writeFile(w, "supervision-stats-"+time.Now().In(shanghai).Format("20060102")+".xlsx", xlsxType, b)
	return nil
}
