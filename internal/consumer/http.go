package consumer

import (
	"context"
	"net/http"
	"strconv"

	"github.com/xietong/xietong/internal/httpx"
)

// Handler serves the gateway's console routes.
type Handler struct{ svc *Service }

// NewHandler returns the handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Consumers: GET /api/v1/gateway/consumers.
func (h *Handler) Consumers(w http.ResponseWriter, r *http.Request) error {
	return httpx.Paged(w, r, h.svc.Consumers)
}

// GetConsumer: GET /api/v1/gateway/consumers/{id} (with keys and data keys).
func (h *Handler) GetConsumer(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.Consumer)
}

// SaveConsumer: POST /api/v1/gateway/consumers and PUT …/{id}.
func (h *Handler) SaveConsumer(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, h.svc.SaveConsumer)
}

// DeleteConsumer: DELETE /api/v1/gateway/consumers/{id}.
func (h *Handler) DeleteConsumer(w http.ResponseWriter, r *http.Request) error {
	return httpx.Done(w, r, h.svc.DeleteConsumer)
}

// IssueKey: POST /api/v1/gateway/consumers/{id}/keys.
func (h *Handler) IssueKey(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, h.svc.IssueKey)
}

type rotateInput struct {
	OverlapHours  int    `json:"overlap_hours"`
	PublicPEM     string `json:"public_pem"`
	Generate      bool   `json:"generate"`
	Passphrase    string `json:"passphrase"`
	ExpiresInDays int    `json:"expires_in_days"`
}

// RotateKey: POST /api/v1/gateway/keys/{id}/rotate.
func (h *Handler) RotateKey(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, func(ctx context.Context, id int64, in rotateInput) (*IssuedKey, error) {
		return h.svc.RotateKey(ctx, id, in.OverlapHours, KeyInput{PublicPEM: in.PublicPEM, Generate: in.Generate, Passphrase: in.Passphrase, ExpiresInDays: in.ExpiresInDays})
	})
}

// RevokeKey: POST /api/v1/gateway/keys/{id}/revoke.
func (h *Handler) RevokeKey(w http.ResponseWriter, r *http.Request) error {
	return httpx.Done(w, r, h.svc.RevokeKey)
}

type dataKeyInput struct {
	ExpiresInDays int `json:"expires_in_days"`
}

// IssueDataKey: POST /api/v1/gateway/consumers/{id}/data-keys.
func (h *Handler) IssueDataKey(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, func(ctx context.Context, id int64, in dataKeyInput) (*DataKey, error) {
		return h.svc.IssueDataKey(ctx, id, in.ExpiresInDays)
	})
}

// RevokeDataKey: POST /api/v1/gateway/data-keys/{id}/revoke.
func (h *Handler) RevokeDataKey(w http.ResponseWriter, r *http.Request) error {
	return httpx.Done(w, r, h.svc.RevokeDataKey)
}

// PlatformKeys: GET /api/v1/gateway/platform-keys.
func (h *Handler) PlatformKeys(w http.ResponseWriter, r *http.Request) error {
	return httpx.Whole(w, r, h.svc.PlatformKeys)
}

// RotatePlatformKey: POST /api/v1/gateway/platform-keys/rotate.
func (h *Handler) RotatePlatformKey(w http.ResponseWriter, r *http.Request) error {
	k, err := h.svc.RotatePlatformKey(r.Context())
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, k)
	return nil
}

// APIs: GET /api/v1/gateway/apis.
func (h *Handler) APIs(w http.ResponseWriter, r *http.Request) error {
	return httpx.Paged(w, r, h.svc.APIs)
}

// GetAPI: GET /api/v1/gateway/apis/{id}.
func (h *Handler) GetAPI(w http.ResponseWriter, r *http.Request) error {
	return httpx.One(w, r, h.svc.API)
}

// SaveAPI: POST /api/v1/gateway/apis and PUT …/{id}.
func (h *Handler) SaveAPI(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, h.svc.SaveAPI)
}

// DeleteAPI: DELETE /api/v1/gateway/apis/{id}.
func (h *Handler) DeleteAPI(w http.ResponseWriter, r *http.Request) error {
	return httpx.Done(w, r, h.svc.DeleteAPI)
}

// Grants: GET /api/v1/gateway/grants?consumer_id=&api_id=.
func (h *Handler) Grants(w http.ResponseWriter, r *http.Request) error {
	cid, _ := strconv.ParseInt(r.URL.Query().Get("consumer_id"), 10, 64)
	aid, _ := strconv.ParseInt(r.URL.Query().Get("api_id"), 10, 64)
	return httpx.Paged(w, r, func(ctx context.Context, pg httpx.Page) ([]*Grant, int, error) {
		return h.svc.Grants(ctx, pg, cid, aid)
	})
}

// GrantOptions: GET /api/v1/gateway/grant-options (and …/credential-options)
// — the consumers and APIs a grant or a credential can name, for the
// security admin's forms.
func (h *Handler) GrantOptions(w http.ResponseWriter, r *http.Request) error {
	cs, _, err := h.svc.store.Consumers(r.Context(), "", 10000, 0)
	if err != nil {
		return err
	}
	as, _, err := h.svc.store.APIs(r.Context(), "", 0, 0)
	if err != nil {
		return err
	}
	type opt struct {
		ID   int64  `json:"id"`
		Code string `json:"code"`
		Name string `json:"name"`
	}
	out := struct {
		Consumers  []opt    `json:"consumers"`
		APIs       []opt    `json:"apis"`
		Categories []string `json:"categories"`
	}{Consumers: []opt{}, APIs: []opt{}, Categories: Categories}
	for _, c := range cs {
		out.Consumers = append(out.Consumers, opt{c.ID, c.Code, c.Name})
	}
	for _, a := range as {
		out.APIs = append(out.APIs, opt{a.ID, a.Code, a.Name})
	}
	httpx.WriteJSON(w, http.StatusOK, out)
	return nil
}

// SaveGrant: POST /api/v1/gateway/grants and PUT …/{id}.
func (h *Handler) SaveGrant(w http.ResponseWriter, r *http.Request) error {
	return httpx.Save(w, r, h.svc.SaveGrant)
}

// DeleteGrant: DELETE /api/v1/gateway/grants/{id}.
func (h *Handler) DeleteGrant(w http.ResponseWriter, r *http.Request) error {
	return httpx.Done(w, r, h.svc.DeleteGrant)
}
