package iam

import (
	"context"

	"github.com/xietong/xietong/internal/db"
)

// ---- systems (接入系统) ----

const systemCols = "id, code, name, integration_mode, base_url, description, enabled, created_at, updated_at"

func scanSystem(r scanner) (*System, error) {
	var x System
	err := r.Scan(&x.ID, &x.Code, &x.Name, &x.IntegrationMode, &x.BaseURL, &x.Description, &x.Enabled, &x.CreatedAt, &x.UpdatedAt)
	return &x, db.NotFound(err)
}

// Systems lists a page of integrated systems.
func (s *Store) Systems(ctx context.Context, q string, limit, offset int) ([]*System, int, error) {
	where, args := "", []any{}
	if q != "" {
		where = ` WHERE code LIKE ? ESCAPE '\' OR name LIKE ? ESCAPE '\'`
		args = append(args, db.Contains(q), db.Contains(q))
	}
	total, err := s.count(ctx, "SELECT COUNT(*) FROM systems"+where, args...)
	if err != nil {
		return nil, 0, err
	}
	out, err := db.All(ctx, s.db, scanSystem, "SELECT "+systemCols+" FROM systems"+where+" ORDER BY id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	return out, total, err
}

// System fetches one integrated system.
func (s *Store) System(ctx context.Context, id int64) (*System, error) {
	return scanSystem(s.db.QueryRow(ctx, "SELECT "+systemCols+" FROM systems WHERE id = ?", id))
}

// CreateSystem inserts x.
func (s *Store) CreateSystem(ctx context.Context, x *System) (err error) {
	now := db.Now()
	x.CreatedAt, x.UpdatedAt = now, now
	x.ID, err = s.db.InsertID(ctx, "INSERT INTO systems (code, name, integration_mode, base_url, description, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		x.Code, x.Name, x.IntegrationMode, x.BaseURL, x.Description, x.Enabled, now, now)
	return err
}

// UpdateSystem saves x.
func (s *Store) UpdateSystem(ctx context.Context, x *System) error {
	x.UpdatedAt = db.Now()
	_, err := s.db.Exec(ctx, "UPDATE systems SET code = ?, name = ?, integration_mode = ?, base_url = ?, description = ?, enabled = ?, updated_at = ? WHERE id = ?",
		x.Code, x.Name, x.IntegrationMode, x.BaseURL, x.Description, x.Enabled, x.UpdatedAt, x.ID)
	return err
}

// DeleteSystem removes an integrated system.
func (s *Store) DeleteSystem(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "DELETE FROM systems WHERE id = ?", id)
	return err
}

// ---- menus (菜单资源) ----

const menuCols = "id, parent_id, system_id, type, code, name_zh, name_en, path, external_url, icon, sort, builtin, created_at, updated_at"

func scanMenu(r scanner) (*Menu, error) {
	var m Menu
	err := r.Scan(&m.ID, &m.ParentID, &m.SystemID, &m.Type, &m.Code, &m.NameZH, &m.NameEN, &m.Path, &m.ExternalURL, &m.Icon, &m.Sort, &m.Builtin, &m.CreatedAt, &m.UpdatedAt)
	return &m, db.NotFound(err)
}

// Menus lists every menu node with its bound resource ids.
func (s *Store) Menus(ctx context.Context) ([]*Menu, error) {
	rows, err := s.db.Query(ctx, "SELECT "+menuCols+" FROM menus ORDER BY sort, id")
	if err != nil {
		return nil, err
	}
	var out []*Menu
	byID := map[int64]*Menu{}
	for rows.Next() {
		m, err := scanMenu(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		m.ResourceIDs = []int64{}
		out = append(out, m)
		byID[m.ID] = m
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	links, err := s.db.Query(ctx, "SELECT menu_id, resource_id FROM menu_resources ORDER BY resource_id")
	if err != nil {
		return nil, err
	}
	defer links.Close()
	for links.Next() {
		var m, r int64
		if err := links.Scan(&m, &r); err != nil {
			return nil, err
		}
		if x := byID[m]; x != nil {
			x.ResourceIDs = append(x.ResourceIDs, r)
		}
	}
	return out, links.Err()
}

// Menu fetches one menu node with its resource ids.
func (s *Store) Menu(ctx context.Context, id int64) (*Menu, error) {
	m, err := scanMenu(s.db.QueryRow(ctx, "SELECT "+menuCols+" FROM menus WHERE id = ?", id))
	if err != nil {
		return nil, err
	}
	m.ResourceIDs, err = s.linked(ctx, linkMenuResource, id)
	return m, err
}

// MenuByCode fetches a menu node by its code.
func (s *Store) MenuByCode(ctx context.Context, code string) (*Menu, error) {
	return scanMenu(s.db.QueryRow(ctx, "SELECT "+menuCols+" FROM menus WHERE code = ?", code))
}

// CreateMenu inserts m.
func (s *Store) CreateMenu(ctx context.Context, m *Menu) (err error) {
	now := db.Now()
	m.CreatedAt, m.UpdatedAt = now, now
	m.ID, err = s.db.InsertID(ctx, `INSERT INTO menus (parent_id, system_id, type, code, name_zh, name_en, path, external_url, icon, sort, builtin, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ParentID, m.SystemID, m.Type, m.Code, m.NameZH, m.NameEN, m.Path, m.ExternalURL, m.Icon, m.Sort, m.Builtin, now, now)
	return err
}

// UpdateMenu saves m.
func (s *Store) UpdateMenu(ctx context.Context, m *Menu) error {
	m.UpdatedAt = db.Now()
	_, err := s.db.Exec(ctx, `UPDATE menus SET parent_id = ?, system_id = ?, type = ?, code = ?, name_zh = ?, name_en = ?, path = ?, external_url = ?, icon = ?, sort = ?, updated_at = ? WHERE id = ?`,
		m.ParentID, m.SystemID, m.Type, m.Code, m.NameZH, m.NameEN, m.Path, m.ExternalURL, m.Icon, m.Sort, m.UpdatedAt, m.ID)
	return err
}

// DeleteMenu removes a menu node.
func (s *Store) DeleteMenu(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "DELETE FROM menus WHERE id = ?", id)
	return err
}

// SetMenuResources binds URL resources to a menu node.
func (s *Store) SetMenuResources(ctx context.Context, menuID int64, ids []int64) error {
	return s.setLinks(ctx, linkMenuResource, menuID, ids)
}

// MenuUsage counts what refers to a menu: children and roles.
func (s *Store) MenuUsage(ctx context.Context, id int64) (int, error) {
	return s.count(ctx, `SELECT (SELECT COUNT(*) FROM menus WHERE parent_id = ?) + (SELECT COUNT(*) FROM brole_menus WHERE menu_id = ?)
		+ (SELECT COUNT(*) FROM mrole_use_menus WHERE menu_id = ?) + (SELECT COUNT(*) FROM mrole_assign_menus WHERE menu_id = ?)`, id, id, id, id)
}

// SystemMenuCount counts menus bound to a system.
func (s *Store) SystemMenuCount(ctx context.Context, id int64) (int, error) {
	return s.count(ctx, "SELECT COUNT(*) FROM menus WHERE system_id = ?", id)
}

// ---- URL resources (URL资源) ----

const resourceCols = "id, code, name, method, pattern, builtin, created_at, updated_at"

func scanResource(r scanner) (*URLResource, error) {
	var x URLResource
	err := r.Scan(&x.ID, &x.Code, &x.Name, &x.Method, &x.Pattern, &x.Builtin, &x.CreatedAt, &x.UpdatedAt)
	return &x, db.NotFound(err)
}

// Resources lists a page of URL resources with the menus they are bound to.
func (s *Store) Resources(ctx context.Context, q string, limit, offset int) ([]*URLResource, int, error) {
	where, args := "", []any{}
	if q != "" {
		where = ` WHERE code LIKE ? ESCAPE '\' OR name LIKE ? ESCAPE '\' OR pattern LIKE ? ESCAPE '\'`
		args = append(args, db.Contains(q), db.Contains(q), db.Contains(q))
	}
	total, err := s.count(ctx, "SELECT COUNT(*) FROM url_resources"+where, args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.db.Query(ctx, "SELECT "+resourceCols+" FROM url_resources"+where+" ORDER BY pattern, method LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	var out []*URLResource
	for rows.Next() {
		x, err := scanResource(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for _, x := range out {
		if x.MenuIDs, err = s.linkedReverse(ctx, linkMenuResource, x.ID); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// Resource fetches one URL resource.
func (s *Store) Resource(ctx context.Context, id int64) (*URLResource, error) {
	x, err := scanResource(s.db.QueryRow(ctx, "SELECT "+resourceCols+" FROM url_resources WHERE id = ?", id))
	if err != nil {
		return nil, err
	}
	x.MenuIDs, err = s.linkedReverse(ctx, linkMenuResource, id)
	return x, err
}

// ResourceByRoute fetches the URL resource of a method and pattern.
func (s *Store) ResourceByRoute(ctx context.Context, method, pattern string) (*URLResource, error) {
	return scanResource(s.db.QueryRow(ctx, "SELECT "+resourceCols+" FROM url_resources WHERE method = ? AND pattern = ?", method, pattern))
}

// CreateResource inserts x.
func (s *Store) CreateResource(ctx context.Context, x *URLResource) (err error) {
	now := db.Now()
	x.CreatedAt, x.UpdatedAt = now, now
	x.ID, err = s.db.InsertID(ctx, "INSERT INTO url_resources (code, name, method, pattern, builtin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		x.Code, x.Name, x.Method, x.Pattern, x.Builtin, now, now)
	return err
}

// UpdateResource saves x.
func (s *Store) UpdateResource(ctx context.Context, x *URLResource) error {
	x.UpdatedAt = db.Now()
	_, err := s.db.Exec(ctx, "UPDATE url_resources SET code = ?, name = ?, method = ?, pattern = ?, updated_at = ? WHERE id = ?", x.Code, x.Name, x.Method, x.Pattern, x.UpdatedAt, x.ID)
	return err
}

// DeleteResource removes a URL resource.
func (s *Store) DeleteResource(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "DELETE FROM url_resources WHERE id = ?", id)
	return err
}

// PermissionKeys gives the "METHOD pattern" keys bound to any of the menus.
func (s *Store) PermissionKeys(ctx context.Context, menuIDs []int64) ([]string, error) {
	if len(menuIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(menuIDs))
	for i, id := range menuIDs {
		args[i] = id
	}
	rows, err := s.db.Query(ctx, "SELECT DISTINCT r.method, r.pattern FROM url_resources r JOIN menu_resources mr ON mr.resource_id = r.id WHERE mr.menu_id IN ("+db.Placeholders(len(args))+") ORDER BY r.pattern, r.method", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var m, p string
		if err := rows.Scan(&m, &p); err != nil {
			return nil, err
		}
		out = append(out, m+" "+p)
	}
	return out, rows.Err()
}
