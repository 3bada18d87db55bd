package datasource

import (
	"context"
	"net/http"
	"strconv"

	"github.com/xietong/xietong/internal/httpx"
)

// Handler serves the data-source console routes.
type Handler struct{ svc *Service }

// NewHandler returns the handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Kinds: GET /api/v1/datasources/kinds.
func (h *Handler) Kinds(w http.ResponseWriter, r *http.Request) error {
	return httpx.Whole(w, r, h.svc.Kinds)
}

// Groups: GET /api/v1/datasource-groups.
func (h *Handler) Groups(w http.ResponseWriter, r *http.Request) error {
	return httpx.Whole(w, r, h.svc.Groups)
}

// SaveGroup: POST /api/v1/datasource-groups and PUT …/{id}.
func (h *Handler) SaveGroup(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, h.svc.SaveGroup)
}

// DeleteGroup: DELETE /api/v1/datasource-groups/{id}.
func (h *Handler) DeleteGroup(w http.ResponseWriter, r *http.Request) error {
	return httpx.Done(w, r, h.svc.DeleteGroup)
}

// Sources: GET /api/v1/datasources?q=&kind=&group_id= (group_id=0: ungrouped).
func (h *Handler) Sources(w http.ResponseWriter, r *http.Request) error {
	f := Filter{Kind: r.URL.Query().Get("kind")}
	if g := r.URL.Query().Get("group_id"); g != "" {
		id, err := strconv.ParseInt(g, 10, 64)
		if err != nil || id < 0 {
			return httpx.Invalid(httpx.FieldError{Field: "group_id", Code: "format"})
		}
		f.GroupID = &id
	}
	return httpx.Paged(w, r, func(ctx context.Context, pg httpx.Page) ([]*Source, int, error) {
		f.Q, f.Limit, f.Offset = pg.Q, pg.PageSize, pg.Offset()
		return h.svc.Sources(ctx, f)
	})
}

// GetSource: GET /api/v1/datasources/{id}.
func (h *Handler) GetSource(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.Source)
}

// SaveSource: POST /api/v1/datasources and PUT …/{id}.
func (h *Handler) SaveSource(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, h.svc.SaveSource)
}

// DeleteSource: DELETE /api/v1/datasources/{id}.
func (h *Handler) DeleteSource(w http.ResponseWriter, r *http.Request) error {
	return httpx.Done(w, r, h.svc.DeleteSource)
}

// Move: POST /api/v1/datasources/move.
func (h *Handler) Move(w http.ResponseWriter, r *http.Request) error {
	var in MoveInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := h.svc.Move(r.Context(), in); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Test: POST /api/v1/datasources/{id}/test.
func (h *Handler) Test(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.Test)
}

// TestInput: POST /api/v1/datasources/test — the unsaved form.
func (h *Handler) TestInput(w http.ResponseWriter, r *http.Request) error {
	var in Input
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	res, err := h.svc.TestInput(r.Context(), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, res)
	return nil
}
