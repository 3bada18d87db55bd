package iam

import (
	"context"

	"github.com/xietong/xietong/internal/db"
)

// ---- management roles (管理角色) ----

const mroleCols = "id, parent_id, code, name, description, admin_kind, builtin, created_at, updated_at"

func scanMrole(r scanner) (*ManagementRole, error) {
	var m ManagementRole
	err := r.Scan(&m.ID, &m.ParentID, &m.Code, &m.Name, &m.Description, &m.AdminKind, &m.Builtin, &m.CreatedAt, &m.UpdatedAt)
	return &m, db.NotFound(err)
}

// ManagementRoles lists every management role (without link sets).
func (s *Store) ManagementRoles(ctx context.Context) ([]*ManagementRole, error) {
	return db.All(ctx, s.db, scanMrole, "SELECT "+mroleCols+" FROM management_roles ORDER BY id")
}

// ManagementRole fetches one management role with its four link sets.
func (s *Store) ManagementRole(ctx context.Context, id int64) (*ManagementRole, error) {
	m, err := scanMrole(s.db.QueryRow(ctx, "SELECT "+mroleCols+" FROM management_roles WHERE id = ?", id))
	if err != nil {
		return nil, err
	}
	for _, x := range []struct {
		l   link
		dst *[]int64
	}{{linkUseMenus, &m.UseMenuIDs}, {linkAssignMenus, &m.AssignMenuIDs}, {linkMroleOrgs, &m.OrgIDs}, {linkMroleBroles, &m.BusinessRoleIDs}} {
		if *x.dst, err = s.linked(ctx, x.l, id); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// ManagementRoleByCode fetches a management role by code.
func (s *Store) ManagementRoleByCode(ctx context.Context, code string) (*ManagementRole, error) {
	m, err := scanMrole(s.db.QueryRow(ctx, "SELECT "+mroleCols+" FROM management_roles WHERE code = ?", code))
	if err != nil {
		return nil, err
	}
	return s.ManagementRole(ctx, m.ID)
}

// SaveManagementRole inserts (ID 0) or updates m and its link sets.
func (s *Store) SaveManagementRole(ctx context.Context, m *ManagementRole) error {
	return s.db.WithTx(ctx, func(ctx context.Context) (err error) {
		now := db.Now()
		m.UpdatedAt = now
		if m.ID == 0 {
			m.CreatedAt = now
			m.ID, err = s.db.InsertID(ctx, "INSERT INTO management_roles (parent_id, code, name, description, admin_kind, builtin, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
				m.ParentID, m.Code, m.Name, m.Description, m.AdminKind, m.Builtin, now, now)
		} else {
			_, err = s.db.Exec(ctx, "UPDATE management_roles SET parent_id = ?, code = ?, name = ?, description = ?, updated_at = ? WHERE id = ?",
				m.ParentID, m.Code, m.Name, m.Description, now, m.ID)
		}
		if err != nil {
			return err
		}
		for _, x := range []struct {
			l   link
			ids []int64
		}{{linkUseMenus, m.UseMenuIDs}, {linkAssignMenus, m.AssignMenuIDs}, {linkMroleOrgs, m.OrgIDs}, {linkMroleBroles, m.BusinessRoleIDs}} {
			if err := s.setLinks(ctx, x.l, m.ID, x.ids); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteManagementRole removes a management role.
func (s *Store) DeleteManagementRole(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "DELETE FROM management_roles WHERE id = ?", id)
	return err
}

// ManagementRoleUsage counts child roles, holders and owned business roles.
func (s *Store) ManagementRoleUsage(ctx context.Context, id int64) (int, error) {
	return s.count(ctx, `SELECT (SELECT COUNT(*) FROM management_roles WHERE parent_id = ?) + (SELECT COUNT(*) FROM user_management_roles WHERE role_id = ?)
		+ (SELECT COUNT(*) FROM business_roles WHERE owner_role_id = ?)`, id, id, id)
}

// ---- business roles (业务角色) ----

const broleCols = "b.id, b.code, b.name, b.description, b.owner_role_id, b.created_at, b.updated_at, (SELECT COUNT(*) FROM user_business_roles ub WHERE ub.role_id = b.id)"

func scanBrole(r scanner) (*BusinessRole, error) {
	var b BusinessRole
	err := r.Scan(&b.ID, &b.Code, &b.Name, &b.Description, &b.OwnerRoleID, &b.CreatedAt, &b.UpdatedAt, &b.UserCount)
	return &b, db.NotFound(err)
}

// BusinessRoles lists business roles, optionally only the given ids (nil: all).
func (s *Store) BusinessRoles(ctx context.Context, q string, only []int64, limit, offset int) ([]*BusinessRole, int, error) {
	where, args := " WHERE 1 = 1", []any{}
	if q != "" {
		where += ` AND (b.code LIKE ? ESCAPE '\' OR b.name LIKE ? ESCAPE '\')`
		args = append(args, db.Contains(q), db.Contains(q))
	}
	if only != nil {
		if len(only) == 0 {
			return nil, 0, nil
		}
		where += " AND b.id IN (" + db.Placeholders(len(only)) + ")"
		for _, id := range only {
			args = append(args, id)
		}
	}
	total, err := s.count(ctx, "SELECT COUNT(*) FROM business_roles b"+where, args...)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.db.Query(ctx, "SELECT "+broleCols+" FROM business_roles b"+where+" ORDER BY b.id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	if err != nil {
		return nil, 0, err
	}
	var out []*BusinessRole
	for rows.Next() {
		b, err := scanBrole(rows)
		if err != nil {
			rows.Close()
			return nil, 0, err
		}
		out = append(out, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	for _, b := range out {
		if b.MenuIDs, err = s.linked(ctx, linkBroleMenus, b.ID); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// BusinessRole fetches one business role with its menus.
func (s *Store) BusinessRole(ctx context.Context, id int64) (*BusinessRole, error) {
	b, err := scanBrole(s.db.QueryRow(ctx, "SELECT "+broleCols+" FROM business_roles b WHERE b.id = ?", id))
	if err != nil {
		return nil, err
	}
	b.MenuIDs, err = s.linked(ctx, linkBroleMenus, id)
	return b, err
}

// BusinessRoleIDsOwnedBy lists business roles owned by any of the management roles.
func (s *Store) BusinessRoleIDsOwnedBy(ctx context.Context, mroleIDs []int64) ([]int64, error) {
	if len(mroleIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(mroleIDs))
	for i, id := range mroleIDs {
		args[i] = id
	}
	return s.ids(ctx, "SELECT id FROM business_roles WHERE owner_role_id IN ("+db.Placeholders(len(args))+")", args...)
}

// SaveBusinessRole inserts (ID 0) or updates b and its menus.
func (s *Store) SaveBusinessRole(ctx context.Context, b *BusinessRole) error {
	return s.db.WithTx(ctx, func(ctx context.Context) (err error) {
		now := db.Now()
		b.UpdatedAt = now
		if b.ID == 0 {
			b.CreatedAt = now
			b.ID, err = s.db.InsertID(ctx, "INSERT INTO business_roles (code, name, description, owner_role_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
				b.Code, b.Name, b.Description, b.OwnerRoleID, now, now)
		} else {
			_, err = s.db.Exec(ctx, "UPDATE business_roles SET code = ?, name = ?, description = ?, updated_at = ? WHERE id = ?", b.Code, b.Name, b.Description, now, b.ID)
		}
		if err != nil {
			return err
		}
		return s.setLinks(ctx, linkBroleMenus, b.ID, b.MenuIDs)
	})
}

// DeleteBusinessRole removes a business role.
func (s *Store) DeleteBusinessRole(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "DELETE FROM business_roles WHERE id = ?", id)
	return err
}

// ---- user ↔ role ----

// UserRoleIDs gives the management and business role ids a user holds.
func (s *Store) UserRoleIDs(ctx context.Context, userID int64) (mroles, broles []int64, err error) {
	if mroles, err = s.linked(ctx, linkUserMroles, userID); err != nil {
		return
	}
	broles, err = s.linked(ctx, linkUserBroles, userID)
	return
}

// SetUserRoles replaces the roles a user holds.
func (s *Store) SetUserRoles(ctx context.Context, userID int64, mroles, broles []int64) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.setLinks(ctx, linkUserMroles, userID, mroles); err != nil {
			return err
		}
		return s.setLinks(ctx, linkUserBroles, userID, broles)
	})
}

// UserRoleRefs names the roles a user holds (for display).
func (s *Store) UserRoleRefs(ctx context.Context, userID int64) (mroles, broles []RoleRef, err error) {
	mroles, err = s.refs(ctx, "SELECT r.id, r.name FROM management_roles r JOIN user_management_roles u ON u.role_id = r.id WHERE u.user_id = ? ORDER BY r.id", userID)
	if err != nil {
		return
	}
	broles, err = s.refs(ctx, "SELECT r.id, r.name FROM business_roles r JOIN user_business_roles u ON u.role_id = r.id WHERE u.user_id = ? ORDER BY r.id", userID)
	return
}

func (s *Store) refs(ctx context.Context, q string, args ...any) ([]RoleRef, error) {
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []RoleRef{}
	for rows.Next() {
		var r RoleRef
		if err := rows.Scan(&r.ID, &r.Name); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// MenuIDsOfBusinessRoles gives the union of menus of the business roles.
func (s *Store) MenuIDsOfBusinessRoles(ctx context.Context, ids []int64) ([]int64, error) {
	return s.unionLinked(ctx, linkBroleMenus, ids)
}

func (s *Store) unionLinked(ctx context.Context, l link, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return s.ids(ctx, "SELECT DISTINCT "+l.right+" FROM "+l.table+" WHERE "+l.left+" IN ("+db.Placeholders(len(ids))+")", args...)
}

// GrantMenuToManagementRole adds a menu to a role's usable and assignable sets.
func (s *Store) GrantMenuToManagementRole(ctx context.Context, roleID, menuID int64) error {
	return s.addRoleMenu(ctx, roleID, menuID, true, true)
}

// addRoleMenu adds a menu to a role's usable and/or assignable set.
func (s *Store) addRoleMenu(ctx context.Context, roleID, menuID int64, use, assign bool) error {
	for _, x := range []struct {
		l  link
		on bool
	}{{linkUseMenus, use}, {linkAssignMenus, assign}} {
		if !x.on {
			continue
		}
		if _, err := s.db.Exec(ctx, "INSERT INTO "+x.l.table+" ("+x.l.left+", "+x.l.right+") VALUES (?, ?) ON CONFLICT DO NOTHING", roleID, menuID); err != nil {
			return err
		}
	}
	return nil
}
