package sharing

import (
	"context"
	"net/http"

	"github.com/xietong/xietong/internal/httpx"
)

// Handler serves the sharing workflow's routes.
type Handler struct{ svc *Service }

// NewHandler returns the handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

func paged(w http.ResponseWriter, r *http.Request, fn func(context.Context, httpx.Page, string) ([]*Request, int, error)) error {
	status := r.URL.Query().Get("status")
	return httpx.Paged(w, r, func(ctx context.Context, pg httpx.Page) ([]*Request, int, error) { return fn(ctx, pg, status) })
}

// Apply: POST /api/v1/sharing/requests.
func (h *Handler) Apply(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, h.svc.Apply)
}

// Mine: GET /api/v1/sharing/requests/mine.
func (h *Handler) Mine(w http.ResponseWriter, r *http.Request) error { return paged(w, r, h.svc.Mine) }

// Get: GET /api/v1/sharing/requests/{id} (with the timeline).
func (h *Handler) Get(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.Request)
}

// Withdraw: POST /api/v1/sharing/requests/{id}/withdraw.
func (h *Handler) Withdraw(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.Withdraw)
}

// Resubmit: POST /api/v1/sharing/requests/{id}/resubmit.
func (h *Handler) Resubmit(w http.ResponseWriter, r *http.Request) error {
	return httpx.Action(w, r, h.svc.Resubmit)
}

// Todo: GET /api/v1/sharing/todo?done=1.
func (h *Handler) Todo(w http.ResponseWriter, r *http.Request) error {
	done := r.URL.Query().Get("done") == "1"
	return httpx.Paged(w, r, func(ctx context.Context, pg httpx.Page) ([]*Request, int, error) { return h.svc.Todo(ctx, pg, done) })
}

// Decide: POST /api/v1/sharing/requests/{id}/decide.
func (h *Handler) Decide(w http.ResponseWriter, r *http.Request) error {
	return httpx.Action(w, r, h.svc.Decide)
}

// All: GET /api/v1/sharing/requests.
func (h *Handler) All(w http.ResponseWriter, r *http.Request) error { return paged(w, r, h.svc.All) }

type revokeInput struct {
	Comment string `json:"comment"`
}

// Revoke: POST /api/v1/sharing/requests/{id}/revoke.
func (h *Handler) Revoke(w http.ResponseWriter, r *http.Request) error {
	return httpx.Action(w, r, func(ctx context.Context, id int64, in revokeInput) (*Request, error) {
		return h.svc.Revoke(ctx, id, in.Comment)
	})
}

// Demands: GET /api/v1/sharing/demands.
func (h *Handler) Demands(w http.ResponseWriter, r *http.Request) error {
	status := r.URL.Query().Get("status")
	return httpx.Paged(w, r, func(ctx context.Context, pg httpx.Page) ([]*Demand, int, error) {
		return h.svc.Demands(ctx, pg, status)
	})
}

// GetDemand: GET /api/v1/sharing/demands/{id}.
func (h *Handler) GetDemand(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.Demand)
}

// RegisterDemand: POST /api/v1/sharing/demands.
func (h *Handler) RegisterDemand(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, h.svc.RegisterDemand)
}

// StepDemand: POST /api/v1/sharing/demands/{id}/step.
func (h *Handler) StepDemand(w http.ResponseWriter, r *http.Request) error {
	return httpx.Action(w, r, h.svc.StepDemand)
}

// Notifications: GET /api/v1/me/notifications.
func (h *Handler) Notifications(w http.ResponseWriter, r *http.Request) error {
	pg, err := httpx.ParsePage(r)
	if err != nil {
		return err
	}
	out, err := h.svc.Notifications(r.Context(), pg)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// ReadNotification: POST /api/v1/me/notifications/{id}/read.
func (h *Handler) ReadNotification(w http.ResponseWriter, r *http.Request) error {
	return httpx.Done(w, r, h.svc.MarkRead)
}

// ReadAll: POST /api/v1/me/notifications/read-all.
func (h *Handler) ReadAll(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.MarkRead(r.Context(), 0); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// ConsumerOptions: GET /api/v1/sharing/consumer-options — the active
// consumers (接入方) a request can be for.
func (h *Handler) ConsumerOptions(w http.ResponseWriter, r *http.Request) error {
	cs, _, err := h.svc.consumers.Consumers(r.Context(), httpx.Page{Page: 1, PageSize: 10000})
	if err != nil {
		return err
	}
	type opt struct {
		ID      int64  `json:"id"`
		Code    string `json:"code"`
		Name    string `json:"name"`
		OrgName string `json:"org_name"`
	}
	out := []opt{}
	for _, c := range cs {
		if c.Status == "active" {
			out = append(out, opt{c.ID, c.Code, c.Name, c.OrgName})
		}
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}
