package iam

import (
	"context"
	"net/http"
	"strconv"

	"github.com/xietong/xietong/internal/httpx"
)

// ---- organisations ----

// OrgTree: GET /api/v1/orgs/tree.
func (h *Handler) OrgTree(w http.ResponseWriter, r *http.Request) error {
	return whole(w, r, h.svc.OrgTree)
}

// GetOrg: GET /api/v1/orgs/{id}.
func (h *Handler) GetOrg(w http.ResponseWriter, r *http.Request) error { return one(w, r, h.svc.Org) }

// SaveOrg: POST /api/v1/orgs and PUT /api/v1/orgs/{id}.
func (h *Handler) SaveOrg(w http.ResponseWriter, r *http.Request) error {
	return save(w, r, func(ctx context.Context, p *Principal, id int64, in OrgInput) (*Org, error) {
		if id == 0 {
			return h.svc.CreateOrg(ctx, p, in)
		}
		return h.svc.UpdateOrg(ctx, p, id, in)
	})
}

// DeleteOrg: DELETE /api/v1/orgs/{id}.
func (h *Handler) DeleteOrg(w http.ResponseWriter, r *http.Request) error {
	return done(w, r, h.svc.DeleteOrg)
}

// OrgUsers: GET /api/v1/orgs/{id}/users.
func (h *Handler) OrgUsers(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r)
	if err != nil {
		return err
	}
	return h.listUsers(w, r, UserListFilter{OrgID: id})
}

// ---- users ----

// Users: GET /api/v1/users?org_id=&status=&q=.
func (h *Handler) Users(w http.ResponseWriter, r *http.Request) error {
	f := UserListFilter{Status: r.URL.Query().Get("status")}
	if v := r.URL.Query().Get("org_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return httpx.Invalid(httpx.FieldError{Field: "org_id", Code: "type"})
		}
		f.OrgID = id
	}
	if f.Status != "" && f.Status != "active" && f.Status != "disabled" {
		return httpx.Invalid(httpx.FieldError{Field: "status", Code: "enum", Message: "active|disabled"})
	}
	return h.listUsers(w, r, f)
}

func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request, f UserListFilter) error {
	return paged(w, r, func(ctx context.Context, p *Principal, pg httpx.Page) ([]*User, int, error) {
		return h.svc.Users(ctx, p, pg, f)
	})
}

// GetUser: GET /api/v1/users/{id}.
func (h *Handler) GetUser(w http.ResponseWriter, r *http.Request) error { return one(w, r, h.svc.User) }

// userUpdate is what PUT /users/{id} accepts: no username, no password.
type userUpdate struct {
	DisplayName string `json:"display_name"`
	OrgID       int64  `json:"org_id"`
	Phone       string `json:"phone"`
	Email       string `json:"email"`
	Status      string `json:"status"`
}

// CreateUser: POST /api/v1/users.
func (h *Handler) CreateUser(w http.ResponseWriter, r *http.Request) error {
	return save(w, r, func(ctx context.Context, p *Principal, _ int64, in UserInput) (*User, error) {
		return h.svc.CreateUser(ctx, p, in)
	})
}

// UpdateUser: PUT /api/v1/users/{id}.
func (h *Handler) UpdateUser(w http.ResponseWriter, r *http.Request) error {
	return save(w, r, func(ctx context.Context, p *Principal, id int64, in userUpdate) (*User, error) {
		return h.svc.UpdateUser(ctx, p, id, UserInput{DisplayName: in.DisplayName, OrgID: in.OrgID, Phone: in.Phone, Email: in.Email, Status: in.Status})
	})
}

// DeleteUser: DELETE /api/v1/users/{id}.
func (h *Handler) DeleteUser(w http.ResponseWriter, r *http.Request) error {
	return done(w, r, h.svc.DeleteUser)
}

type passwordReset struct {
	Password string `json:"password"`
}

// ResetPassword: POST /api/v1/users/{id}/password.
func (h *Handler) ResetPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r)
	if err != nil {
		return err
	}
	var in passwordReset
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := h.svc.ResetPassword(r.Context(), PrincipalFrom(r.Context()), id, in.Password); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// SetUserRoles: PUT /api/v1/users/{id}/roles.
func (h *Handler) SetUserRoles(w http.ResponseWriter, r *http.Request) error {
	return save(w, r, h.svc.SetUserRoles)
}

// ---- roles ----

// ManagementRoleTree: GET /api/v1/management-roles/tree.
func (h *Handler) ManagementRoleTree(w http.ResponseWriter, r *http.Request) error {
	return whole(w, r, h.svc.ManagementRoleTree)
}

// GetManagementRole: GET /api/v1/management-roles/{id}.
func (h *Handler) GetManagementRole(w http.ResponseWriter, r *http.Request) error {
	return one(w, r, h.svc.ManagementRole)
}

// SaveManagementRole: POST /api/v1/management-roles and PUT /api/v1/management-roles/{id}.
func (h *Handler) SaveManagementRole(w http.ResponseWriter, r *http.Request) error {
	return save(w, r, h.svc.SaveManagementRole)
}

// DeleteManagementRole: DELETE /api/v1/management-roles/{id}.
func (h *Handler) DeleteManagementRole(w http.ResponseWriter, r *http.Request) error {
	return done(w, r, h.svc.DeleteManagementRole)
}

// BusinessRoles: GET /api/v1/business-roles.
func (h *Handler) BusinessRoles(w http.ResponseWriter, r *http.Request) error {
	return paged(w, r, h.svc.BusinessRoles)
}

// GetBusinessRole: GET /api/v1/business-roles/{id}.
func (h *Handler) GetBusinessRole(w http.ResponseWriter, r *http.Request) error {
	return one(w, r, h.svc.BusinessRole)
}

// SaveBusinessRole: POST /api/v1/business-roles and PUT /api/v1/business-roles/{id}.
func (h *Handler) SaveBusinessRole(w http.ResponseWriter, r *http.Request) error {
	return save(w, r, h.svc.SaveBusinessRole)
}

// DeleteBusinessRole: DELETE /api/v1/business-roles/{id}.
func (h *Handler) DeleteBusinessRole(w http.ResponseWriter, r *http.Request) error {
	return done(w, r, h.svc.DeleteBusinessRole)
}

// ---- systems, menus, URL resources ----

// Systems: GET /api/v1/systems.
func (h *Handler) Systems(w http.ResponseWriter, r *http.Request) error {
	return paged(w, r, func(ctx context.Context, _ *Principal, pg httpx.Page) ([]*System, int, error) {
		return h.svc.Systems(ctx, pg)
	})
}

// GetSystem: GET /api/v1/systems/{id}.
func (h *Handler) GetSystem(w http.ResponseWriter, r *http.Request) error {
	return one(w, r, func(ctx context.Context, _ *Principal, id int64) (*System, error) { return h.svc.System(ctx, id) })
}

// SaveSystem: POST /api/v1/systems and PUT /api/v1/systems/{id}.
func (h *Handler) SaveSystem(w http.ResponseWriter, r *http.Request) error {
	return save(w, r, func(ctx context.Context, _ *Principal, id int64, in SystemInput) (*System, error) {
		return h.svc.SaveSystem(ctx, id, in)
	})
}

// DeleteSystem: DELETE /api/v1/systems/{id}.
func (h *Handler) DeleteSystem(w http.ResponseWriter, r *http.Request) error {
	return done(w, r, func(ctx context.Context, _ *Principal, id int64) error { return h.svc.DeleteSystem(ctx, id) })
}

// MenuTree: GET /api/v1/menus/tree.
func (h *Handler) MenuTree(w http.ResponseWriter, r *http.Request) error {
	return whole(w, r, func(ctx context.Context, _ *Principal) ([]*Menu, error) { return h.svc.MenuTree(ctx) })
}

// AssignableMenus: GET /api/v1/menus/assignable.
func (h *Handler) AssignableMenus(w http.ResponseWriter, r *http.Request) error {
	return whole(w, r, h.svc.AssignableMenuTree)
}

// SaveMenu: POST /api/v1/menus and PUT /api/v1/menus/{id}.
func (h *Handler) SaveMenu(w http.ResponseWriter, r *http.Request) error {
	return save(w, r, h.svc.SaveMenu)
}

// DeleteMenu: DELETE /api/v1/menus/{id}.
func (h *Handler) DeleteMenu(w http.ResponseWriter, r *http.Request) error {
	return done(w, r, func(ctx context.Context, _ *Principal, id int64) error { return h.svc.DeleteMenu(ctx, id) })
}

type menuResources struct {
	ResourceIDs []int64 `json:"resource_ids"`
}

// SetMenuResources: PUT /api/v1/menus/{id}/resources.
func (h *Handler) SetMenuResources(w http.ResponseWriter, r *http.Request) error {
	return save(w, r, func(ctx context.Context, _ *Principal, id int64, in menuResources) (*Menu, error) {
		return h.svc.SetMenuResources(ctx, id, in.ResourceIDs)
	})
}

// Resources: GET /api/v1/url-resources.
func (h *Handler) Resources(w http.ResponseWriter, r *http.Request) error {
	return paged(w, r, func(ctx context.Context, _ *Principal, pg httpx.Page) ([]*URLResource, int, error) {
		return h.svc.Resources(ctx, pg)
	})
}

// SaveResource: POST /api/v1/url-resources and PUT /api/v1/url-resources/{id}.
func (h *Handler) SaveResource(w http.ResponseWriter, r *http.Request) error {
	return save(w, r, func(ctx context.Context, _ *Principal, id int64, in ResourceInput) (*URLResource, error) {
		return h.svc.SaveResource(ctx, id, in)
	})
}

// DeleteResource: DELETE /api/v1/url-resources/{id}.
func (h *Handler) DeleteResource(w http.ResponseWriter, r *http.Request) error {
	return done(w, r, func(ctx context.Context, _ *Principal, id int64) error { return h.svc.DeleteResource(ctx, id) })
}
