package iam

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/httpx"
)

// ---- integrated systems (接入系统) ----

// SystemInput is what a client may set on an integrated system.
type SystemInput struct {
	Code            string `json:"code"`
	Name            string `json:"name"`
	IntegrationMode string `json:"integration_mode"`
	BaseURL         string `json:"base_url"`
	Description     string `json:"description"`
	Enabled         bool   `json:"enabled"`
}

func checkURL(c *httpx.Checker, field, v string, required bool) {
	if v == "" {
		if required {
			c.Add(field, "required", "")
		}
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(v) > 500 {
		c.Add(field, "format", "an http(s) URL, ≤ 500 characters")
	}
}

func (in SystemInput) check() error {
	var c httpx.Checker
	c.Code("code", in.Code)
	c.Text("name", in.Name, true, 100)
	c.OneOf("integration_mode", in.IntegrationMode, "menu", "system")
	checkURL(&c, "base_url", in.BaseURL, false)
	c.Text("description", in.Description, false, 500)
	return c.Err()
}

// Systems lists integrated systems.
func (s *Service) Systems(ctx context.Context, pg httpx.Page) ([]*System, int, error) {
	return s.store.Systems(ctx, pg.Q, pg.PageSize, pg.Offset())
}

// System fetches one integrated system.
func (s *Service) System(ctx context.Context, id int64) (*System, error) {
	return s.store.System(ctx, id)
}

// SaveSystem creates (id 0) or edits an integrated system.
func (s *Service) SaveSystem(ctx context.Context, id int64, in SystemInput) (*System, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	x := &System{}
	var before *System
	if id != 0 {
		b, err := s.store.System(ctx, id)
		if err != nil {
			return nil, err
		}
		before = b
		copy := *b
		x = &copy
	}
	x.Code, x.Name, x.IntegrationMode, x.BaseURL, x.Description, x.Enabled = in.Code, in.Name, in.IntegrationMode, in.BaseURL, in.Description, in.Enabled
	return x, s.db.WithTx(ctx, func(ctx context.Context) error {
		action := "system.update"
		var err error
		if id == 0 {
			action = "system.create"
			err = s.store.CreateSystem(ctx, x)
		} else {
			err = s.store.UpdateSystem(ctx, x)
		}
		if err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: action, TargetType: "system", TargetID: x.Code, Before: audit.JSON(before), After: audit.JSON(x)})
	})
}

// DeleteSystem removes an integrated system with no menus bound.
func (s *Service) DeleteSystem(ctx context.Context, id int64) error {
	before, err := s.store.System(ctx, id)
	if err != nil {
		return err
	}
	n, err := s.store.SystemMenuCount(ctx, id)
	if err != nil {
		return err
	}
	if n > 0 {
		return inUse("该接入系统仍绑定有菜单", "Menus are still bound to this system")
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteSystem(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "system.delete", TargetType: "system", TargetID: before.Code, Before: audit.JSON(before)})
	})
}

// ---- menus (菜单资源) ----

// MenuInput is what a client may set on a menu node.
type MenuInput struct {
	ParentID    *int64 `json:"parent_id"`
	SystemID    *int64 `json:"system_id"`
	Type        string `json:"type"`
	Code        string `json:"code"`
	NameZH      string `json:"name_zh"`
	NameEN      string `json:"name_en"`
	Path        string `json:"path"`
	ExternalURL string `json:"external_url"`
	Icon        string `json:"icon"`
	Sort        int    `json:"sort"`
}

func (in MenuInput) check() error {
	var c httpx.Checker
	c.OneOf("type", in.Type, "dir", "menu", "button")
	c.Code("code", in.Code)
	c.Text("name_zh", in.NameZH, true, 50)
	c.Text("name_en", in.NameEN, false, 100)
	c.Text("icon", in.Icon, false, 50)
	c.Text("path", in.Path, false, 200)
	if in.Path != "" && !strings.HasPrefix(in.Path, "/") {
		c.Add("path", "format", "starts with /")
	}
	// An external URL is absolute, or a path under the bound system's base URL.
	if strings.HasPrefix(in.ExternalURL, "/") {
		if in.SystemID == nil {
			c.Add("external_url", "needs_system", "a relative URL needs an integrated system")
		}
		c.Text("external_url", in.ExternalURL, false, 500)
	} else {
		checkURL(&c, "external_url", in.ExternalURL, false)
	}
	if in.Type == "menu" && in.Path == "" && in.ExternalURL == "" {
		c.Add("path", "required", "a menu needs a console path or an external URL")
	}
	if in.Sort < 0 || in.Sort > 1_000_000 {
		c.Add("sort", "range", "0–1000000")
	}
	return c.Err()
}

// MenuTree gives every menu node as a forest (menu administration).
func (s *Service) MenuTree(ctx context.Context) ([]*Menu, error) {
	all, err := s.store.Menus(ctx)
	if err != nil {
		return nil, err
	}
	return menuForest(all, nil, true), nil
}

// AssignableMenuTree gives the menus the caller may put into roles.
func (s *Service) AssignableMenuTree(ctx context.Context, p *Principal) ([]*Menu, error) {
	sc, err := s.scope(ctx, p)
	if err != nil {
		return nil, err
	}
	all, err := s.store.Menus(ctx)
	if err != nil {
		return nil, err
	}
	return menuForest(all, sc.AssignMenus, true), nil
}

// MyMenus gives the navigation of the caller: the menus their roles allow,
// with their ancestor directories, without buttons and without menus of a
// disabled integrated system.
func (s *Service) MyMenus(ctx context.Context, p *Principal) ([]*Menu, error) {
	all, err := s.store.Menus(ctx)
	if err != nil {
		return nil, err
	}
	systems, _, err := s.store.Systems(ctx, "", 10000, 0)
	if err != nil {
		return nil, err
	}
	sysByID := map[int64]*System{}
	for _, x := range systems {
		sysByID[x.ID] = x
	}
	byID := map[int64]*Menu{}
	for _, m := range all {
		byID[m.ID] = m
	}
	keep := map[int64]bool{}
	for _, id := range p.UseMenuIDs {
		m := byID[id]
		if m == nil || m.Type == "button" {
			continue
		}
		if m.SystemID != nil {
			x := sysByID[*m.SystemID]
			if x == nil || !x.Enabled {
				continue
			}
			if strings.HasPrefix(m.ExternalURL, "/") && x.BaseURL != "" {
				m.ExternalURL = strings.TrimRight(x.BaseURL, "/") + m.ExternalURL
			}
		}
		for cur := m; cur != nil && !keep[cur.ID]; {
			keep[cur.ID] = true
			if cur.ParentID == nil {
				break
			}
			cur = byID[*cur.ParentID]
		}
	}
	return pruneEmptyDirs(menuForest(all, keep, false)), nil
}

// pruneEmptyDirs drops directories left with nothing to open, e.g. when
// the only menu under them belongs to a disabled system.
func pruneEmptyDirs(ms []*Menu) []*Menu {
	out := ms[:0]
	for _, m := range ms {
		m.Children = pruneEmptyDirs(m.Children)
		if m.Type == "dir" && len(m.Children) == 0 {
			continue
		}
		out = append(out, m)
	}
	return out
}

// menuForest links the kept nodes (nil: all) into a forest; a node whose
// parent is not kept becomes a root.
func menuForest(all []*Menu, keep map[int64]bool, buttons bool) []*Menu {
	byID := map[int64]*Menu{}
	for _, m := range all {
		if (keep == nil || keep[m.ID]) && (buttons || m.Type != "button") {
			m.Children = nil
			byID[m.ID] = m
		}
	}
	roots := []*Menu{}
	for _, m := range all {
		if byID[m.ID] == nil {
			continue
		}
		if m.ParentID != nil && byID[*m.ParentID] != nil {
			byID[*m.ParentID].Children = append(byID[*m.ParentID].Children, m)
		} else {
			roots = append(roots, m)
		}
	}
	return roots
}

// SaveMenu creates (id 0) or edits a menu node. A new node is added to the
// usable and assignable menus of the creator's management roles. Built-in
// nodes keep their type, code, path and place.
func (s *Service) SaveMenu(ctx context.Context, p *Principal, id int64, in MenuInput) (*Menu, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	if in.ParentID != nil {
		parent, err := s.store.Menu(ctx, *in.ParentID)
		if err != nil {
			return nil, httpx.Invalid(httpx.FieldError{Field: "parent_id", Code: "not_found"})
		}
		if parent.Type == "button" {
			return nil, httpx.Invalid(httpx.FieldError{Field: "parent_id", Code: "button_parent", Message: "a button has no children"})
		}
		if id != 0 && (parent.ID == id || s.menuBelow(ctx, parent.ID, id)) {
			return nil, httpx.Invalid(httpx.FieldError{Field: "parent_id", Code: "cycle"})
		}
	}
	if in.SystemID != nil {
		if _, err := s.store.System(ctx, *in.SystemID); err != nil {
			return nil, httpx.Invalid(httpx.FieldError{Field: "system_id", Code: "not_found"})
		}
	}
	m := &Menu{}
	var before *Menu
	if id != 0 {
		b, err := s.store.Menu(ctx, id)
		if err != nil {
			return nil, err
		}
		before = b
		copy := *b
		m = &copy
		if b.Builtin && (in.Type != b.Type || in.Code != b.Code || in.Path != b.Path || !sameID(in.ParentID, b.ParentID) || in.SystemID != nil || in.ExternalURL != "") {
			return nil, errBuiltin
		}
	}
	m.ParentID, m.SystemID, m.Type, m.Code, m.NameZH, m.NameEN = in.ParentID, in.SystemID, in.Type, in.Code, in.NameZH, in.NameEN
	m.Path, m.ExternalURL, m.Icon, m.Sort = in.Path, in.ExternalURL, in.Icon, in.Sort
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		action := "menu.update"
		if id == 0 {
			action = "menu.create"
			if err := s.store.CreateMenu(ctx, m); err != nil {
				return err
			}
			for _, rid := range p.ManagementRoleIDs {
				if err := s.store.GrantMenuToManagementRole(ctx, rid, m.ID); err != nil {
					return err
				}
			}
		} else if err := s.store.UpdateMenu(ctx, m); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: action, TargetType: "menu", TargetID: m.Code, Before: audit.JSON(before), After: audit.JSON(m)})
	})
	if err != nil {
		return nil, err
	}
	return s.store.Menu(ctx, m.ID)
}

func sameID(a, b *int64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

func (s *Service) menuBelow(ctx context.Context, a, b int64) bool {
	all, err := s.store.Menus(ctx)
	if err != nil {
		return true
	}
	byID := map[int64]*Menu{}
	for _, m := range all {
		byID[m.ID] = m
	}
	for i := 0; i <= len(all); i++ {
		m := byID[a]
		if m == nil || m.ParentID == nil {
			return false
		}
		if *m.ParentID == b {
			return true
		}
		a = *m.ParentID
	}
	return true
}

// DeleteMenu removes an unused, non-built-in menu node.
func (s *Service) DeleteMenu(ctx context.Context, id int64) error {
	before, err := s.store.Menu(ctx, id)
	if err != nil {
		return err
	}
	if before.Builtin {
		return errBuiltin
	}
	children, err := s.store.count(ctx, "SELECT COUNT(*) FROM menus WHERE parent_id = ?", id)
	if err != nil {
		return err
	}
	if children > 0 {
		return inUse("该菜单下还有子菜单", "The menu still has children")
	}
	brUse, err := s.store.count(ctx, "SELECT COUNT(*) FROM brole_menus WHERE menu_id = ?", id)
	if err != nil {
		return err
	}
	if brUse > 0 {
		return inUse("该菜单仍被业务角色使用", "Business roles still use the menu")
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteMenu(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "menu.delete", TargetType: "menu", TargetID: before.Code, Before: audit.JSON(before)})
	})
}

// SetMenuResources binds URL resources to a menu node.
func (s *Service) SetMenuResources(ctx context.Context, id int64, resourceIDs []int64) (*Menu, error) {
	before, err := s.store.Menu(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, rid := range resourceIDs {
		if _, err := s.store.Resource(ctx, rid); err != nil {
			return nil, httpx.Invalid(httpx.FieldError{Field: "resource_ids", Code: "not_found", Message: strconv.FormatInt(rid, 10)})
		}
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SetMenuResources(ctx, id, resourceIDs); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "menu.set_resources", TargetType: "menu", TargetID: before.Code,
			Before: audit.JSON(before.ResourceIDs), After: audit.JSON(uniq(resourceIDs))})
	})
	if err != nil {
		return nil, err
	}
	return s.store.Menu(ctx, id)
}

// ---- URL resources (URL资源) ----

// ResourceInput is what a client may set on a URL resource.
type ResourceInput struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Method  string `json:"method"`
	Pattern string `json:"pattern"`
}

func (in ResourceInput) check() error {
	var c httpx.Checker
	c.Code("code", in.Code)
	c.Text("name", in.Name, true, 100)
	c.OneOf("method", in.Method, "GET", "POST", "PUT", "PATCH", "DELETE")
	c.Text("pattern", in.Pattern, true, 200)
	if !strings.HasPrefix(in.Pattern, "/") {
		c.Add("pattern", "format", "starts with /")
	}
	return c.Err()
}

// Resources lists URL resources.
func (s *Service) Resources(ctx context.Context, pg httpx.Page) ([]*URLResource, int, error) {
	return s.store.Resources(ctx, pg.Q, pg.PageSize, pg.Offset())
}

// Resource fetches one URL resource.
func (s *Service) Resource(ctx context.Context, id int64) (*URLResource, error) {
	return s.store.Resource(ctx, id)
}

// SaveResource creates (id 0) or edits a URL resource; built-in resources
// (xietong's own routes) keep code, method and pattern.
func (s *Service) SaveResource(ctx context.Context, id int64, in ResourceInput) (*URLResource, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	x := &URLResource{}
	var before *URLResource
	if id != 0 {
		b, err := s.store.Resource(ctx, id)
		if err != nil {
			return nil, err
		}
		if b.Builtin && (b.Code != in.Code || b.Method != in.Method || b.Pattern != in.Pattern) {
			return nil, errBuiltin
		}
		before = b
		copy := *b
		x = &copy
	}
	x.Code, x.Name, x.Method, x.Pattern = in.Code, in.Name, in.Method, in.Pattern
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		action := "resource.update"
		var err error
		if id == 0 {
			action = "resource.create"
			err = s.store.CreateResource(ctx, x)
		} else {
			err = s.store.UpdateResource(ctx, x)
		}
		if err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: action, TargetType: "url_resource", TargetID: x.Code, Before: audit.JSON(before), After: audit.JSON(x)})
	})
	if err != nil {
		return nil, err
	}
	return s.store.Resource(ctx, x.ID)
}

// DeleteResource removes a URL resource that is not built in.
func (s *Service) DeleteResource(ctx context.Context, id int64) error {
	before, err := s.store.Resource(ctx, id)
	if err != nil {
		return err
	}
	if before.Builtin {
		return errBuiltin
	}
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.DeleteResource(ctx, id); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "resource.delete", TargetType: "url_resource", TargetID: before.Code, Before: audit.JSON(before)})
	})
}
