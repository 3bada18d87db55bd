package catalog

import (
	"context"
	"net/http"

	"github.com/xietong/xietong/internal/httpx"
)

// Handler serves the catalog's console and portal routes.
type Handler struct{ svc *Service }

// NewHandler returns the handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// filters reads the list filters shared by the catalogue and the portal.
func filters(r *http.Request) (Query, int64, error) {
	q := Query{Status: r.URL.Query().Get("status"), ShareAttr: r.URL.Query().Get("share_attr"), Kind: r.URL.Query().Get("kind"),
		Newest: r.URL.Query().Get("sort") == "newest"}
	var err error
	if q.OrgID, err = httpx.QueryID(r, "org_id"); err != nil {
		return q, 0, err
	}
	cat, err := httpx.QueryID(r, "category_id")
	return q, cat, err
}

// Categories: GET /api/v1/catalog/categories (and the portal's).
func (h *Handler) Categories(w http.ResponseWriter, r *http.Request) error {
	return httpx.Whole(w, r, h.svc.Categories)
}

// SaveCategory: POST /api/v1/catalog/categories and PUT …/{id}.
func (h *Handler) SaveCategory(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, h.svc.SaveCategory)
}

// DeleteCategory: DELETE /api/v1/catalog/categories/{id}.
func (h *Handler) DeleteCategory(w http.ResponseWriter, r *http.Request) error {
	return httpx.Done(w, r, h.svc.DeleteCategory)
}

// Entries: GET /api/v1/catalog/entries — every status, for cataloguers.
func (h *Handler) Entries(w http.ResponseWriter, r *http.Request) error {
	q, cat, err := filters(r)
	if err != nil {
		return err
	}
	return httpx.Paged(w, r, func(ctx context.Context, pg httpx.Page) ([]*Entry, int, error) {
		q.Words, q.Limit, q.Offset = Words(pg.Q), pg.PageSize, pg.Offset()
		if cat != 0 {
			ids, err := h.svc.subtree(ctx, cat)
			if err != nil {
				return nil, 0, err
			}
			q.CategoryIDs = ids
		}
		return h.svc.Entries(ctx, q)
	})
}

// GetEntry: GET /api/v1/catalog/entries/{id}.
func (h *Handler) GetEntry(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.Entry)
}

// Events: GET /api/v1/catalog/entries/{id}/events.
func (h *Handler) Events(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.Events)
}

// SaveEntry: POST /api/v1/catalog/entries and PUT …/{id}.
func (h *Handler) SaveEntry(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, h.svc.Save)
}

// DeleteEntry: DELETE /api/v1/catalog/entries/{id}.
func (h *Handler) DeleteEntry(w http.ResponseWriter, r *http.Request) error {
	return httpx.Done(w, r, h.svc.Delete)
}

type commentInput struct {
	Comment string `json:"comment"`
}

// Submit: POST /api/v1/catalog/entries/{id}/submit.
func (h *Handler) Submit(w http.ResponseWriter, r *http.Request) error {
	return httpx.Action(w, r, func(ctx context.Context, id int64, in commentInput) (*Entry, error) {
		return h.svc.Submit(ctx, id, in.Comment)
	})
}

// Reviews: GET /api/v1/catalog/reviews — entries, changes and mounts waiting.
func (h *Handler) Reviews(w http.ResponseWriter, r *http.Request) error {
	return httpx.Whole(w, r, h.svc.Reviews)
}

// Review: POST /api/v1/catalog/entries/{id}/review.
func (h *Handler) Review(w http.ResponseWriter, r *http.Request) error {
	return httpx.Action(w, r, h.svc.Review)
}

// Offline: POST /api/v1/catalog/entries/{id}/offline.
func (h *Handler) Offline(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.Offline)
}

// Mount: POST /api/v1/catalog/entries/{id}/resources.
func (h *Handler) Mount(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, h.svc.Mount)
}

// ReviewResource: POST /api/v1/catalog/resources/{id}/review.
func (h *Handler) ReviewResource(w http.ResponseWriter, r *http.Request) error {
	return httpx.Action(w, r, h.svc.ReviewResource)
}

// Negatives: GET /api/v1/catalog/negative-list.
func (h *Handler) Negatives(w http.ResponseWriter, r *http.Request) error {
	return httpx.Whole(w, r, h.svc.Negatives)
}

// AddNegative: POST /api/v1/catalog/negative-list.
func (h *Handler) AddNegative(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, h.svc.AddNegative)
}

// DeleteNegative: DELETE /api/v1/catalog/negative-list/{id}.
func (h *Handler) DeleteNegative(w http.ResponseWriter, r *http.Request) error {
	return httpx.Done(w, r, h.svc.DeleteNegative)
}

// Overview: GET /api/v1/portal/overview.
func (h *Handler) Overview(w http.ResponseWriter, r *http.Request) error {
	return httpx.Whole(w, r, h.svc.Overview)
}

// Search: GET /api/v1/portal/entries?q=&category_id=&org_id=&share_attr=&kind=&sort=newest.
func (h *Handler) Search(w http.ResponseWriter, r *http.Request) error {
	q, cat, err := filters(r)
	if err != nil {
		return err
	}
	return httpx.Paged(w, r, func(ctx context.Context, pg httpx.Page) ([]*Entry, int, error) {
		q.Words, q.Limit, q.Offset = Words(pg.Q), pg.PageSize, pg.Offset()
		return h.svc.Search(ctx, q, cat)
	})
}

// Published: GET /api/v1/portal/entries/{id}.
func (h *Handler) Published(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.Published)
}

// APIOptions: GET /api/v1/catalog/api-options — the gateway APIs a
// resource can be (for the mount form).
func (h *Handler) APIOptions(w http.ResponseWriter, r *http.Request) error {
	apis, _, err := h.svc.consumers.APIs(r.Context(), httpx.Page{Page: 1, PageSize: 10000})
	if err != nil {
		return err
	}
	type opt struct {
		ID   int64  `json:"id"`
		Code string `json:"code"`
		Name string `json:"name"`
		Kind string `json:"kind"`
		Path string `json:"path"`
	}
	out := []opt{}
	for _, a := range apis {
		out = append(out, opt{a.ID, a.Code, a.Name, a.Kind, a.Path})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}
