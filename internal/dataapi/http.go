package dataapi

import (
	"context"
	"net/http"
	"strconv"

	"github.com/xietong/xietong/internal/calllog"
	"github.com/xietong/xietong/internal/httpx"
)

// Handler serves the data-API console routes.
type Handler struct{ svc *Service }

// NewHandler returns the handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// APIs: GET /api/v1/data-apis?q=&status=&source_id=.
func (h *Handler) APIs(w http.ResponseWriter, r *http.Request) error {
	f := Filter{Status: r.URL.Query().Get("status")}
	if v := r.URL.Query().Get("source_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return httpx.Invalid(httpx.FieldError{Field: "source_id", Code: "format"})
		}
		f.SourceID = id
	}
	return httpx.Paged(w, r, func(ctx context.Context, pg httpx.Page) ([]*DataAPI, int, error) {
		f.Q, f.Limit, f.Offset = pg.Q, pg.PageSize, pg.Offset()
		return h.svc.APIs(ctx, f)
	})
}

// GetAPI: GET /api/v1/data-apis/{id}.
func (h *Handler) GetAPI(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.API)
}

// Save: POST /api/v1/data-apis and PUT …/{id}.
func (h *Handler) Save(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, h.svc.Save)
}

// Delete: DELETE /api/v1/data-apis/{id}.
func (h *Handler) Delete(w http.ResponseWriter, r *http.Request) error {
	return httpx.Done(w, r, h.svc.Delete)
}

// Try: POST /api/v1/data-apis/try.
func (h *Handler) Try(w http.ResponseWriter, r *http.Request) error {
	var in TryInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	res, err := h.svc.Try(r.Context(), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, res)
	return nil
}

type submitInput struct {
	Comment string `json:"comment"`
}

// Submit: POST /api/v1/data-apis/{id}/submit.
func (h *Handler) Submit(w http.ResponseWriter, r *http.Request) error {
	return httpx.Action(w, r, func(ctx context.Context, id int64, in submitInput) (*DataAPI, error) {
		return h.svc.Submit(ctx, id, in.Comment)
	})
}

// Reviews: GET /api/v1/data-apis/reviews.
func (h *Handler) Reviews(w http.ResponseWriter, r *http.Request) error {
	return httpx.Paged(w, r, h.svc.Reviews)
}

// Review: POST /api/v1/data-apis/{id}/review.
func (h *Handler) Review(w http.ResponseWriter, r *http.Request) error {
	return httpx.Action(w, r, h.svc.Review)
}

// Versions: GET /api/v1/data-apis/{id}/versions.
func (h *Handler) Versions(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.Versions)
}

type rollbackInput struct {
	Version int `json:"version"`
}

// Rollback: POST /api/v1/data-apis/{id}/rollback.
func (h *Handler) Rollback(w http.ResponseWriter, r *http.Request) error {
	return httpx.Action(w, r, func(ctx context.Context, id int64, in rollbackInput) (*DataAPI, error) {
		return h.svc.Rollback(ctx, id, in.Version)
	})
}

// Offline: POST /api/v1/data-apis/{id}/offline.
func (h *Handler) Offline(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.Offline)
}

// Stats: GET /api/v1/data-apis/{id}/stats?days=7.
func (h *Handler) Stats(w http.ResponseWriter, r *http.Request) error {
	days := 7
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return httpx.Invalid(httpx.FieldError{Field: "days", Code: "format"})
		}
		days = n
	}
	return httpx.One(w, r, func(ctx context.Context, id int64) (calllog.Stats, error) { return h.svc.Stats(ctx, id, days) })
}

// SourceOptions: GET /api/v1/data-apis/source-options — the database
// sources an author may pick, so writing a data API needs no access to the
// data-source page.
func (h *Handler) SourceOptions(w http.ResponseWriter, r *http.Request) error {
	return httpx.Whole(w, r, h.svc.SourceOptions)
}
