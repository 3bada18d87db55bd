package iam

import (
	"context"
	"net/http"
	"sort"
	"strconv"

	"github.com/xietong/xietong/internal/httpx"
)

func sortStrings(s []string) { sort.Strings(s) }

func writeList[T any](w http.ResponseWriter, items []T, total int, pg httpx.Page) {
	httpx.WriteJSON(w, http.StatusOK, httpx.NewList(items, total, pg))
}

// ---- organisations ----

// OrgTree: GET /api/v1/orgs/tree.
func (h *Handler) OrgTree(w http.ResponseWriter, r *http.Request) error {
	t, err := h.svc.OrgTree(r.Context(), PrincipalFrom(r.Context()))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, t)
	return nil
}

// GetOrg: GET /api/v1/orgs/{id}.
func (h *Handler) GetOrg(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r)
	if err != nil {
		return err
	}
	o, err := h.svc.Org(r.Context(), PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, o)
	return nil
}

// CreateOrg: POST /api/v1/orgs.
func (h *Handler) CreateOrg(w http.ResponseWriter, r *http.Request) error {
	var in OrgInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	o, err := h.svc.CreateOrg(r.Context(), PrincipalFrom(r.Context()), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, o)
	return nil
}

// UpdateOrg: PUT /api/v1/orgs/{id}.
func (h *Handler) UpdateOrg(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r)
	if err != nil {
		return err
	}
	var in OrgInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	o, err := h.svc.UpdateOrg(r.Context(), PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, o)
	return nil
}

// DeleteOrg: DELETE /api/v1/orgs/{id}.
func (h *Handler) DeleteOrg(w http.ResponseWriter, r *http.Request) error {
	return h.noContent(w, r, h.svc.DeleteOrg)
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

// Users: GET /api/v1/users.
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
	pg, err := httpx.ParsePage(r)
	if err != nil {
		return err
	}
	users, total, err := h.svc.Users(r.Context(), PrincipalFrom(r.Context()), pg, f)
	if err != nil {
		return err
	}
	writeList(w, users, total, pg)
	return nil
}

// GetUser: GET /api/v1/users/{id}.
func (h *Handler) GetUser(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r)
	if err != nil {
		return err
	}
	u, err := h.svc.User(r.Context(), PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, u)
	return nil
}

// CreateUser: POST /api/v1/users.
func (h *Handler) CreateUser(w http.ResponseWriter, r *http.Request) error {
	var in UserInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	u, err := h.svc.CreateUser(r.Context(), PrincipalFrom(r.Context()), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusCreated, u)
	return nil
}

type userUpdate struct {
	DisplayName string `json:"display_name"`
	OrgID       int64  `json:"org_id"`
	Phone       string `json:"phone"`
	Email       string `json:"email"`
	Status      string `json:"status"`
}

// UpdateUser: PUT /api/v1/users/{id}.
func (h *Handler) UpdateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r)
	if err != nil {
		return err
	}
	var in userUpdate
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	u, err := h.svc.UpdateUser(r.Context(), PrincipalFrom(r.Context()), id, UserInput{DisplayName: in.DisplayName, OrgID: in.OrgID, Phone: in.Phone, Email: in.Email, Status: in.Status})
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, u)
	return nil
}

// DeleteUser: DELETE /api/v1/users/{id}.
func (h *Handler) DeleteUser(w http.ResponseWriter, r *http.Request) error {
	return h.noContent(w, r, h.svc.DeleteUser)
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
	id, err := httpx.PathID(r)
	if err != nil {
		return err
	}
	var in RolesInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	u, err := h.svc.SetUserRoles(r.Context(), PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, u)
	return nil
}

// ---- management roles ----

// ManagementRoleTree: GET /api/v1/management-roles/tree.
func (h *Handler) ManagementRoleTree(w http.ResponseWriter, r *http.Request) error {
	t, err := h.svc.ManagementRoleTree(r.Context(), PrincipalFrom(r.Context()))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, t)
	return nil
}

// GetManagementRole: GET /api/v1/management-roles/{id}.
func (h *Handler) GetManagementRole(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r)
	if err != nil {
		return err
	}
	m, err := h.svc.ManagementRole(r.Context(), PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, m)
	return nil
}

// SaveManagementRole: POST /api/v1/management-roles and PUT /api/v1/management-roles/{id}.
func (h *Handler) SaveManagementRole(w http.ResponseWriter, r *http.Request) error {
	id, status, err := idForSave(r)
	if err != nil {
		return err
	}
	var in ManagementRoleInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	m, err := h.svc.SaveManagementRole(r.Context(), PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, status, m)
	return nil
}

// idForSave gives 0 and 201 for a POST (create), the path id and 200 for a PUT.
func idForSave(r *http.Request) (int64, int, error) {
	if r.Method == http.MethodPost {
		return 0, http.StatusCreated, nil
	}
	id, err := httpx.PathID(r)
	return id, http.StatusOK, err
}

// DeleteManagementRole: DELETE /api/v1/management-roles/{id}.
func (h *Handler) DeleteManagementRole(w http.ResponseWriter, r *http.Request) error {
	return h.noContent(w, r, h.svc.DeleteManagementRole)
}

// ---- business roles ----

// BusinessRoles: GET /api/v1/business-roles.
func (h *Handler) BusinessRoles(w http.ResponseWriter, r *http.Request) error {
	pg, err := httpx.ParsePage(r)
	if err != nil {
		return err
	}
	items, total, err := h.svc.BusinessRoles(r.Context(), PrincipalFrom(r.Context()), pg)
	if err != nil {
		return err
	}
	writeList(w, items, total, pg)
	return nil
}

// GetBusinessRole: GET /api/v1/business-roles/{id}.
func (h *Handler) GetBusinessRole(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r)
	if err != nil {
		return err
	}
	b, err := h.svc.BusinessRole(r.Context(), PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, b)
	return nil
}

// SaveBusinessRole: POST /api/v1/business-roles and PUT /api/v1/business-roles/{id}.
func (h *Handler) SaveBusinessRole(w http.ResponseWriter, r *http.Request) error {
	id, status, err := idForSave(r)
	if err != nil {
		return err
	}
	var in BusinessRoleInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	b, err := h.svc.SaveBusinessRole(r.Context(), PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, status, b)
	return nil
}

// DeleteBusinessRole: DELETE /api/v1/business-roles/{id}.
func (h *Handler) DeleteBusinessRole(w http.ResponseWriter, r *http.Request) error {
	return h.noContent(w, r, h.svc.DeleteBusinessRole)
}

// ---- systems, menus, URL resources ----

// Systems: GET /api/v1/systems.
func (h *Handler) Systems(w http.ResponseWriter, r *http.Request) error {
	pg, err := httpx.ParsePage(r)
	if err != nil {
		return err
	}
	items, total, err := h.svc.Systems(r.Context(), pg)
	if err != nil {
		return err
	}
	writeList(w, items, total, pg)
	return nil
}

// GetSystem: GET /api/v1/systems/{id}.
func (h *Handler) GetSystem(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r)
	if err != nil {
		return err
	}
	x, err := h.svc.System(r.Context(), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, x)
	return nil
}

// SaveSystem: POST /api/v1/systems and PUT /api/v1/systems/{id}.
func (h *Handler) SaveSystem(w http.ResponseWriter, r *http.Request) error {
	id, status, err := idForSave(r)
	if err != nil {
		return err
	}
	var in SystemInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	x, err := h.svc.SaveSystem(r.Context(), id, in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, status, x)
	return nil
}

// DeleteSystem: DELETE /api/v1/systems/{id}.
func (h *Handler) DeleteSystem(w http.ResponseWriter, r *http.Request) error {
	return h.noContent(w, r, func(ctx context.Context, _ *Principal, id int64) error { return h.svc.DeleteSystem(ctx, id) })
}

// MenuTree: GET /api/v1/menus/tree.
func (h *Handler) MenuTree(w http.ResponseWriter, r *http.Request) error {
	t, err := h.svc.MenuTree(r.Context())
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, t)
	return nil
}

// AssignableMenus: GET /api/v1/menus/assignable.
func (h *Handler) AssignableMenus(w http.ResponseWriter, r *http.Request) error {
	t, err := h.svc.AssignableMenuTree(r.Context(), PrincipalFrom(r.Context()))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, t)
	return nil
}

// SaveMenu: POST /api/v1/menus and PUT /api/v1/menus/{id}.
func (h *Handler) SaveMenu(w http.ResponseWriter, r *http.Request) error {
	id, status, err := idForSave(r)
	if err != nil {
		return err
	}
	var in MenuInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	m, err := h.svc.SaveMenu(r.Context(), PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, status, m)
	return nil
}

// DeleteMenu: DELETE /api/v1/menus/{id}.
func (h *Handler) DeleteMenu(w http.ResponseWriter, r *http.Request) error {
	return h.noContent(w, r, func(ctx context.Context, _ *Principal, id int64) error { return h.svc.DeleteMenu(ctx, id) })
}

type menuResources struct {
	ResourceIDs []int64 `json:"resource_ids"`
}

// SetMenuResources: PUT /api/v1/menus/{id}/resources.
func (h *Handler) SetMenuResources(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r)
	if err != nil {
		return err
	}
	var in menuResources
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	m, err := h.svc.SetMenuResources(r.Context(), id, in.ResourceIDs)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, m)
	return nil
}

// Resources: GET /api/v1/url-resources.
func (h *Handler) Resources(w http.ResponseWriter, r *http.Request) error {
	pg, err := httpx.ParsePage(r)
	if err != nil {
		return err
	}
	items, total, err := h.svc.Resources(r.Context(), pg)
	if err != nil {
		return err
	}
	writeList(w, items, total, pg)
	return nil
}

// SaveResource: POST /api/v1/url-resources and PUT /api/v1/url-resources/{id}.
func (h *Handler) SaveResource(w http.ResponseWriter, r *http.Request) error {
	id, status, err := idForSave(r)
	if err != nil {
		return err
	}
	var in ResourceInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	x, err := h.svc.SaveResource(r.Context(), id, in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, status, x)
	return nil
}

// DeleteResource: DELETE /api/v1/url-resources/{id}.
func (h *Handler) DeleteResource(w http.ResponseWriter, r *http.Request) error {
	return h.noContent(w, r, func(ctx context.Context, _ *Principal, id int64) error { return h.svc.DeleteResource(ctx, id) })
}
