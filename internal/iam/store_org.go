package iam

import (
	"context"

	"github.com/xietong/xietong/internal/db"
)

const orgCols = "id, parent_id, code, name, kind, region_code, sort, created_at, updated_at"

type scanner = db.Scanner

func scanOrg(r scanner) (*Org, error) {
	var o Org
	err := r.Scan(&o.ID, &o.ParentID, &o.Code, &o.Name, &o.Kind, &o.RegionCode, &o.Sort, &o.CreatedAt, &o.UpdatedAt)
	return &o, db.NotFound(err)
}

// Orgs lists every organisation ordered for tree building.
func (s *Store) Orgs(ctx context.Context) ([]*Org, error) {
	return db.All(ctx, s.db, scanOrg, "SELECT "+orgCols+" FROM orgs ORDER BY sort, id")
}

// Org fetches one organisation.
func (s *Store) Org(ctx context.Context, id int64) (*Org, error) {
	return scanOrg(s.db.QueryRow(ctx, "SELECT "+orgCols+" FROM orgs WHERE id = ?", id))
}

// CreateOrg inserts o and sets its id.
func (s *Store) CreateOrg(ctx context.Context, o *Org) error {
	now := db.Now()
	o.CreatedAt, o.UpdatedAt = now, now
	id, err := s.db.InsertID(ctx, "INSERT INTO orgs (parent_id, code, name, kind, region_code, sort, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		o.ParentID, o.Code, o.Name, o.Kind, o.RegionCode, o.Sort, now, now)
	o.ID = id
	return err
}

// UpdateOrg saves o.
func (s *Store) UpdateOrg(ctx context.Context, o *Org) error {
	o.UpdatedAt = db.Now()
	_, err := s.db.Exec(ctx, "UPDATE orgs SET parent_id = ?, code = ?, name = ?, kind = ?, region_code = ?, sort = ?, updated_at = ? WHERE id = ?",
		o.ParentID, o.Code, o.Name, o.Kind, o.RegionCode, o.Sort, o.UpdatedAt, o.ID)
	return err
}

// DeleteOrg removes an organisation.
func (s *Store) DeleteOrg(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "DELETE FROM orgs WHERE id = ?", id)
	return err
}

// OrgUsage counts an organisation's children and users.
func (s *Store) OrgUsage(ctx context.Context, id int64) (children, users int, err error) {
	if children, err = s.count(ctx, "SELECT COUNT(*) FROM orgs WHERE parent_id = ?", id); err != nil {
		return
	}
	users, err = s.count(ctx, "SELECT COUNT(*) FROM users WHERE org_id = ?", id)
	return
}
