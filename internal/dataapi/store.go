package dataapi

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/db"
)

// Store is the SQL behind data APIs and their versions.
type Store struct{ db *db.DB }

// NewStore returns the store over d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// Data APIs join their source's name and kind and their gateway API's
// code for display only; the source and gateway features own those rows.
const apiCols = `x.id, x.code, x.name, x.description, x.source_id, COALESCE(s.name, ''), COALESCE(s.kind, ''), x.method, x.path,
	x.status, x.draft_json, x.published_version, x.pending_version, x.api_id, COALESCE(a.code, ''),
	x.created_by, x.updated_by, x.created_at, x.updated_at`

const apiFrom = " FROM data_apis x LEFT JOIN datasources s ON s.id = x.source_id LEFT JOIN apis a ON a.id = x.api_id"

func scanAPI(r db.Scanner) (*DataAPI, error) {
	var (
		x                  DataAPI
		draft              string
		published, pending sql.NullInt64
		apiID              sql.NullInt64
	)
	err := r.Scan(&x.ID, &x.Code, &x.Name, &x.Description, &x.SourceID, &x.SourceName, &x.SourceKind, &x.Method, &x.Path,
		&x.Status, &draft, &published, &pending, &apiID, &x.GatewayAPICode, &x.CreatedBy, &x.UpdatedBy, &x.CreatedAt, &x.UpdatedAt)
	if err != nil {
		return nil, db.NotFound(err)
	}
	if published.Valid {
		v := int(published.Int64)
		x.PublishedVersion = &v
	}
	if pending.Valid {
		v := int(pending.Int64)
		x.PendingVersion = &v
	}
	if apiID.Valid {
		id := apiID.Int64
		x.GatewayAPIID = &id
	}
	return &x, json.Unmarshal([]byte(draft), &x.Draft)
}

// Filter selects data APIs for a list.
type Filter struct {
	Q        string
	Status   string
	SourceID int64
	Limit    int
	Offset   int
}

// APIs lists a page of data APIs.
func (s *Store) APIs(ctx context.Context, f Filter) ([]*DataAPI, int, error) {
	var conds []string
	var args []any
	if f.Q != "" {
		conds = append(conds, `(x.code LIKE ? ESCAPE '\' OR x.name LIKE ? ESCAPE '\' OR x.path LIKE ? ESCAPE '\' OR x.description LIKE ? ESCAPE '\')`)
		p := db.Contains(f.Q)
		args = append(args, p, p, p, p)
	}
	if f.Status != "" {
		conds = append(conds, "x.status = ?")
		args = append(args, f.Status)
	}
	if f.SourceID != 0 {
		conds = append(conds, "x.source_id = ?")
		args = append(args, f.SourceID)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM data_apis x"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 1 << 30
	}
	out, err := db.All(ctx, s.db, scanAPI, "SELECT "+apiCols+apiFrom+where+" ORDER BY x.code LIMIT ? OFFSET ?", append(args, f.Limit, f.Offset)...)
	return out, total, err
}

// API fetches one data API.
func (s *Store) API(ctx context.Context, id int64) (*DataAPI, error) {
	return scanAPI(s.db.QueryRow(ctx, "SELECT "+apiCols+apiFrom+" WHERE x.id = ?", id))
}

// SaveAPI inserts (ID 0) or updates x.
func (s *Store) SaveAPI(ctx context.Context, x *DataAPI) (err error) {
	draft, err := json.Marshal(x.Draft)
	if err != nil {
		return err
	}
	now := db.Now()
	x.UpdatedAt = now
	if x.ID == 0 {
		x.CreatedAt = now
		x.ID, err = s.db.InsertID(ctx, `INSERT INTO data_apis (code, name, description, source_id, method, path, status, draft_json,
			published_version, pending_version, api_id, created_by, updated_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			x.Code, x.Name, x.Description, x.SourceID, x.Method, x.Path, x.Status, string(draft),
			x.PublishedVersion, x.PendingVersion, x.GatewayAPIID, x.CreatedBy, x.UpdatedBy, now, now)
		return err
	}
	_, err = s.db.Exec(ctx, `UPDATE data_apis SET code = ?, name = ?, description = ?, source_id = ?, method = ?, path = ?, status = ?,
		draft_json = ?, published_version = ?, pending_version = ?, api_id = ?, updated_by = ?, updated_at = ? WHERE id = ?`,
		x.Code, x.Name, x.Description, x.SourceID, x.Method, x.Path, x.Status, string(draft),
		x.PublishedVersion, x.PendingVersion, x.GatewayAPIID, x.UpdatedBy, now, x.ID)
	return err
}

// DeleteAPI removes a data API and its versions.
func (s *Store) DeleteAPI(ctx context.Context, id int64) error {
	if _, err := s.db.Exec(ctx, "DELETE FROM data_api_versions WHERE data_api_id = ?", id); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, "DELETE FROM data_apis WHERE id = ?", id)
	return err
}

// UsedBy counts data APIs per source.
func (s *Store) UsedBy(ctx context.Context) (map[int64]int, error) {
	rows, err := s.db.Query(ctx, "SELECT source_id, COUNT(*) FROM data_apis GROUP BY source_id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// ---- versions ----

const versionCols = `v.id, v.data_api_id, x.code, x.name, v.version, v.status, v.source_id, v.method, v.path, v.def_json,
	v.submitted_by_id, v.submitted_by, v.submitted_at, v.submit_comment, v.reviewed_by, v.reviewed_at, v.review_comment,
	CASE WHEN x.published_version = v.version AND x.status = 'published' THEN 1 ELSE 0 END`

const versionFrom = " FROM data_api_versions v JOIN data_apis x ON x.id = v.data_api_id"

func scanVersion(r db.Scanner) (*Version, error) {
	var (
		v          Version
		def        string
		reviewedAt sql.NullTime
		published  int
	)
	err := r.Scan(&v.ID, &v.DataAPIID, &v.APICode, &v.APIName, &v.Version, &v.Status, &v.SourceID, &v.Method, &v.Path, &def,
		&v.SubmittedByID, &v.SubmittedBy, &v.SubmittedAt, &v.SubmitComment, &v.ReviewedBy, &reviewedAt, &v.ReviewComment, &published)
	if err != nil {
		return nil, db.NotFound(err)
	}
	if reviewedAt.Valid {
		t := reviewedAt.Time.UTC()
		v.ReviewedAt = &t
	}
	v.Published = published == 1
	return &v, json.Unmarshal([]byte(def), &v.Def)
}

// Versions lists a data API's versions, newest first.
func (s *Store) Versions(ctx context.Context, apiID int64) ([]*Version, error) {
	return db.All(ctx, s.db, scanVersion, "SELECT "+versionCols+versionFrom+" WHERE v.data_api_id = ? ORDER BY v.version DESC", apiID)
}

// Version fetches one version.
func (s *Store) Version(ctx context.Context, apiID int64, version int) (*Version, error) {
	return scanVersion(s.db.QueryRow(ctx, "SELECT "+versionCols+versionFrom+" WHERE v.data_api_id = ? AND v.version = ?", apiID, version))
}

// Pending lists a page of versions waiting for review.
func (s *Store) Pending(ctx context.Context, limit, offset int) ([]*Version, int, error) {
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM data_api_versions WHERE status = ?", VersionPending).Scan(&total); err != nil {
		return nil, 0, err
	}
	out, err := db.All(ctx, s.db, scanVersion, "SELECT "+versionCols+versionFrom+" WHERE v.status = ? ORDER BY v.submitted_at LIMIT ? OFFSET ?", VersionPending, limit, offset)
	return out, total, err
}

// Published lists the published version of every published data API.
func (s *Store) Published(ctx context.Context) ([]*Version, error) {
	return db.All(ctx, s.db, scanVersion, "SELECT "+versionCols+versionFrom+" WHERE x.status = 'published' AND v.version = x.published_version")
}

// NextVersion is the number the next submission gets.
func (s *Store) NextVersion(ctx context.Context, apiID int64) (int, error) {
	var n sql.NullInt64
	err := s.db.QueryRow(ctx, "SELECT MAX(version) FROM data_api_versions WHERE data_api_id = ?", apiID).Scan(&n)
	return int(n.Int64) + 1, err
}

// AddVersion stores a submission.
func (s *Store) AddVersion(ctx context.Context, v *Version) (err error) {
	def, err := json.Marshal(v.Def)
	if err != nil {
		return err
	}
	v.ID, err = s.db.InsertID(ctx, `INSERT INTO data_api_versions (data_api_id, version, source_id, method, path, def_json, status,
		submitted_by_id, submitted_by, submitted_at, submit_comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.DataAPIID, v.Version, v.SourceID, v.Method, v.Path, string(def), v.Status, v.SubmittedByID, v.SubmittedBy, v.SubmittedAt, v.SubmitComment)
	return err
}

// Decide records a review; false when the version was no longer pending
// (another reviewer was first).
func (s *Store) Decide(ctx context.Context, v *Version, reviewerID int64, at time.Time) (bool, error) {
	res, err := s.db.Exec(ctx, `UPDATE data_api_versions SET status = ?, reviewed_by_id = ?, reviewed_by = ?, reviewed_at = ?, review_comment = ?
		WHERE id = ? AND status = ?`, v.Status, reviewerID, v.ReviewedBy, at, v.ReviewComment, v.ID, VersionPending)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
