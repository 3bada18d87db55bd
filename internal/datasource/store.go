package datasource

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/db"
)

// Store is the SQL behind data sources and their groups.
type Store struct{ db *db.DB }

// NewStore returns the store over d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// ---- groups ----

// Groups lists every group with how many sources it holds.
func (s *Store) Groups(ctx context.Context) ([]*Group, error) {
	return db.All(ctx, s.db, func(r db.Scanner) (*Group, error) {
		var g Group
		err := r.Scan(&g.ID, &g.Name, &g.Sort, &g.CreatedAt, &g.UpdatedAt, &g.Count)
		return &g, err
	}, `SELECT g.id, g.name, g.sort, g.created_at, g.updated_at,
		(SELECT COUNT(*) FROM datasources d WHERE d.group_id = g.id)
		FROM datasource_groups g ORDER BY g.sort, g.name`)
}

// Group fetches one group.
func (s *Store) Group(ctx context.Context, id int64) (*Group, error) {
	var g Group
	err := s.db.QueryRow(ctx, `SELECT id, name, sort, created_at, updated_at,
		(SELECT COUNT(*) FROM datasources d WHERE d.group_id = ?) FROM datasource_groups WHERE id = ?`, id, id).
		Scan(&g.ID, &g.Name, &g.Sort, &g.CreatedAt, &g.UpdatedAt, &g.Count)
	return &g, db.NotFound(err)
}

// SaveGroup inserts (ID 0) or updates g.
func (s *Store) SaveGroup(ctx context.Context, g *Group) (err error) {
	now := db.Now()
	g.UpdatedAt = now
	if g.ID == 0 {
		g.CreatedAt = now
		g.ID, err = s.db.InsertID(ctx, "INSERT INTO datasource_groups (name, sort, created_at, updated_at) VALUES (?, ?, ?, ?)", g.Name, g.Sort, now, now)
		return err
	}
	_, err = s.db.Exec(ctx, "UPDATE datasource_groups SET name = ?, sort = ?, updated_at = ? WHERE id = ?", g.Name, g.Sort, now, g.ID)
	return err
}

// DeleteGroup removes a group.
func (s *Store) DeleteGroup(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "DELETE FROM datasource_groups WHERE id = ?", id)
	return err
}

// ---- sources ----

const sourceCols = `d.id, d.code, d.name, d.kind, d.group_id, COALESCE(g.name, ''), d.host, d.port, d.database_name, d.username,
	d.password_sealed, d.key_sealed, d.options_json, d.max_open, d.max_idle, d.lifetime_s, d.description,
	d.last_test_ok, d.last_test_code, d.last_test_at, d.created_at, d.updated_at`

const sourceFrom = " FROM datasources d LEFT JOIN datasource_groups g ON g.id = d.group_id"

func scanSource(r db.Scanner) (*Source, error) {
	var (
		x       Source
		group   sql.NullInt64
		opts    string
		testOK  sql.NullBool
		testAt  sql.NullTime
		created time.Time
	)
	err := r.Scan(&x.ID, &x.Code, &x.Name, &x.Kind, &group, &x.GroupName, &x.Host, &x.Port, &x.Database, &x.Username,
		&x.passwordSealed, &x.keySealed, &opts, &x.Pool.MaxOpen, &x.Pool.MaxIdle, &x.Pool.LifetimeSeconds, &x.Description,
		&testOK, &x.lastTestCode, &testAt, &created, &x.UpdatedAt)
	if err != nil {
		return nil, db.NotFound(err)
	}
	x.CreatedAt = created
	if group.Valid {
		id := group.Int64
		x.GroupID = &id
	}
	x.Options = map[string]string{}
	if err := json.Unmarshal([]byte(opts), &x.Options); err != nil {
		return nil, err
	}
	x.HasPassword, x.HasPrivateKey = len(x.passwordSealed) > 0, len(x.keySealed) > 0
	if testOK.Valid && testAt.Valid {
		x.LastTest = &LastTest{OK: testOK.Bool, Code: x.lastTestCode, At: testAt.Time.UTC()}
	}
	return &x, nil
}

// Filter selects sources for a list.
type Filter struct {
	Q       string
	Kind    string
	GroupID *int64 // nil: any group; 0: ungrouped
	Limit   int
	Offset  int
}

// Sources lists a page of sources.
func (s *Store) Sources(ctx context.Context, f Filter) ([]*Source, int, error) {
	var conds []string
	var args []any
	if f.Q != "" {
		conds = append(conds, `(d.code LIKE ? ESCAPE '\' OR d.name LIKE ? ESCAPE '\' OR d.host LIKE ? ESCAPE '\' OR d.description LIKE ? ESCAPE '\')`)
		p := db.Contains(f.Q)
		args = append(args, p, p, p, p)
	}
	if f.Kind != "" {
		conds = append(conds, "d.kind = ?")
		args = append(args, f.Kind)
	}
	if f.GroupID != nil {
		if *f.GroupID == 0 {
			conds = append(conds, "d.group_id IS NULL")
		} else {
			conds = append(conds, "d.group_id = ?")
			args = append(args, *f.GroupID)
		}
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*)"+sourceFrom+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 1 << 30
	}
	out, err := db.All(ctx, s.db, scanSource, "SELECT "+sourceCols+sourceFrom+where+" ORDER BY d.code LIMIT ? OFFSET ?", append(args, f.Limit, f.Offset)...)
	return out, total, err
}

// Source fetches one source.
func (s *Store) Source(ctx context.Context, id int64) (*Source, error) {
	return scanSource(s.db.QueryRow(ctx, "SELECT "+sourceCols+sourceFrom+" WHERE d.id = ?", id))
}

// SaveSource inserts (ID 0) or updates x, sealed secrets included.
func (s *Store) SaveSource(ctx context.Context, x *Source) (err error) {
	opts, err := json.Marshal(x.Options)
	if err != nil {
		return err
	}
	now := db.Now()
	x.UpdatedAt = now
	if x.ID == 0 {
		x.CreatedAt = now
		x.ID, err = s.db.InsertID(ctx, `INSERT INTO datasources (code, name, kind, group_id, host, port, database_name, username,
			password_sealed, key_sealed, options_json, max_open, max_idle, lifetime_s, description, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			x.Code, x.Name, x.Kind, x.GroupID, x.Host, x.Port, x.Database, x.Username, x.passwordSealed, x.keySealed, string(opts),
			x.Pool.MaxOpen, x.Pool.MaxIdle, x.Pool.LifetimeSeconds, x.Description, now, now)
		return err
	}
	_, err = s.db.Exec(ctx, `UPDATE datasources SET code = ?, name = ?, kind = ?, group_id = ?, host = ?, port = ?, database_name = ?,
		username = ?, password_sealed = ?, key_sealed = ?, options_json = ?, max_open = ?, max_idle = ?, lifetime_s = ?,
		description = ?, updated_at = ? WHERE id = ?`,
		x.Code, x.Name, x.Kind, x.GroupID, x.Host, x.Port, x.Database, x.Username, x.passwordSealed, x.keySealed, string(opts),
		x.Pool.MaxOpen, x.Pool.MaxIdle, x.Pool.LifetimeSeconds, x.Description, now, x.ID)
	return err
}

// SetSecrets stores the sealed secrets of a source.
func (s *Store) SetSecrets(ctx context.Context, id int64, password, key []byte) error {
	_, err := s.db.Exec(ctx, "UPDATE datasources SET password_sealed = ?, key_sealed = ? WHERE id = ?", password, key, id)
	return err
}

// RecordTest stores the outcome of a connectivity test.
func (s *Store) RecordTest(ctx context.Context, id int64, ok bool, code string) error {
	flag := 0
	if ok {
		flag = 1
	}
	_, err := s.db.Exec(ctx, "UPDATE datasources SET last_test_ok = ?, last_test_code = ?, last_test_at = ? WHERE id = ?", flag, code, db.Now(), id)
	return err
}

// Move puts sources into a group (nil: ungrouped).
func (s *Store) Move(ctx context.Context, ids []int64, group *int64) error {
	now := db.Now()
	for _, id := range ids {
		if _, err := s.db.Exec(ctx, "UPDATE datasources SET group_id = ?, updated_at = ? WHERE id = ?", group, now, id); err != nil {
			return err
		}
	}
	return nil
}

// DeleteSource removes a source.
func (s *Store) DeleteSource(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "DELETE FROM datasources WHERE id = ?", id)
	return err
}
