package iam

import (
	"context"
	"fmt"
	"sort"

	"github.com/xietong/xietong/internal/db"
)

// Store is the SQL behind iam, one hand-written statement per operation.
type Store struct {
	db *db.DB
}

// NewStore returns the iam store over d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// link describes a two-column link table such as brole_menus(role_id, menu_id).
// Table and column names are constants of this package, never user input.
type link struct{ table, left, right string }

var (
	linkUseMenus     = link{"mrole_use_menus", "role_id", "menu_id"}
	linkAssignMenus  = link{"mrole_assign_menus", "role_id", "menu_id"}
	linkMroleOrgs    = link{"mrole_orgs", "role_id", "org_id"}
	linkMroleBroles  = link{"mrole_business_roles", "role_id", "brole_id"}
	linkBroleMenus   = link{"brole_menus", "role_id", "menu_id"}
	linkUserMroles   = link{"user_management_roles", "user_id", "role_id"}
	linkUserBroles   = link{"user_business_roles", "user_id", "role_id"}
	linkMenuResource = link{"menu_resources", "menu_id", "resource_id"}
)

func (s *Store) linked(ctx context.Context, l link, id int64) ([]int64, error) {
	return s.ids(ctx, fmt.Sprintf("SELECT %s FROM %s WHERE %s = ? ORDER BY %s", l.right, l.table, l.left, l.right), id)
}

func (s *Store) linkedReverse(ctx context.Context, l link, id int64) ([]int64, error) {
	return s.ids(ctx, fmt.Sprintf("SELECT %s FROM %s WHERE %s = ? ORDER BY %s", l.left, l.table, l.right, l.left), id)
}

// setLinks replaces the right-hand ids linked to id; call it inside a transaction.
func (s *Store) setLinks(ctx context.Context, l link, id int64, rights []int64) error {
	if _, err := s.db.Exec(ctx, fmt.Sprintf("DELETE FROM %s WHERE %s = ?", l.table, l.left), id); err != nil {
		return err
	}
	for _, r := range uniq(rights) {
		if _, err := s.db.Exec(ctx, fmt.Sprintf("INSERT INTO %s (%s, %s) VALUES (?, ?)", l.table, l.left, l.right), id, r); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := s.db.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func (s *Store) count(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, q, args...).Scan(&n)
	return n, err
}

func uniq(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
