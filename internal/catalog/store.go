package catalog

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/xietong/xietong/internal/db"
)

// Store is the SQL behind the catalog.
type Store struct{ db *db.DB }

// NewStore returns the store over d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// ---- categories ----

// Categories lists every category with its published entries.
func (s *Store) Categories(ctx context.Context) ([]*Category, error) {
	return db.All(ctx, s.db, func(r db.Scanner) (*Category, error) {
		var c Category
		var parent sql.NullInt64
		err := r.Scan(&c.ID, &parent, &c.Code, &c.Name, &c.Sort, &c.Count)
		if parent.Valid {
			p := parent.Int64
			c.ParentID = &p
		}
		return &c, err
	}, `SELECT c.id, c.parent_id, c.code, c.name, c.sort,
		(SELECT COUNT(*) FROM catalog_entries e WHERE e.category_id = c.id AND e.status = 'published')
		FROM catalog_categories c ORDER BY c.sort, c.code`)
}

// SaveCategory inserts (ID 0) or updates c.
func (s *Store) SaveCategory(ctx context.Context, c *Category) (err error) {
	now := db.Now()
	if c.ID == 0 {
		c.ID, err = s.db.InsertID(ctx, "INSERT INTO catalog_categories (parent_id, code, name, sort, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			c.ParentID, c.Code, c.Name, c.Sort, now, now)
		return err
	}
	_, err = s.db.Exec(ctx, "UPDATE catalog_categories SET parent_id = ?, code = ?, name = ?, sort = ?, updated_at = ? WHERE id = ?", c.ParentID, c.Code, c.Name, c.Sort, now, c.ID)
	return err
}

// DeleteCategory removes a category.
func (s *Store) DeleteCategory(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "DELETE FROM catalog_categories WHERE id = ?", id)
	return err
}

// CategoryInUse tells whether a category has children or entries.
func (s *Store) CategoryInUse(ctx context.Context, id int64) (bool, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM catalog_categories WHERE parent_id = ?) + (SELECT COUNT(*) FROM catalog_entries WHERE category_id = ?)`, id, id).Scan(&n)
	return n > 0, err
}

// ---- entries ----

const entryCols = `e.id, e.code, e.name, e.description, e.keywords, e.org_id, COALESCE(o.name, ''), e.category_id, COALESCE(c.name, ''),
	e.source_system, e.industry, e.domain, e.update_frequency, e.share_attr, e.open_attr, e.fields_json, e.chain_json, e.status,
	e.version, e.pending_json, e.submitted_by_id, e.published_at, e.created_by, e.created_at, e.updated_at`

const entryFrom = " FROM catalog_entries e LEFT JOIN orgs o ON o.id = e.org_id LEFT JOIN catalog_categories c ON c.id = e.category_id"

func scanEntry(r db.Scanner) (*Entry, error) {
	var (
		e                      Entry
		category, submittedBy  sql.NullInt64
		fields, chain, pending string
		published              sql.NullTime
	)
	err := r.Scan(&e.ID, &e.Code, &e.Name, &e.Description, &e.Keywords, &e.OrgID, &e.OrgName, &category, &e.CategoryName,
		&e.SourceSystem, &e.Industry, &e.Domain, &e.UpdateFrequency, &e.ShareAttr, &e.OpenAttr, &fields, &chain, &e.Status,
		&e.Version, &pending, &submittedBy, &published, &e.CreatedBy, &e.CreatedAt, &e.UpdatedAt)
	if err != nil {
		return nil, db.NotFound(err)
	}
	if category.Valid {
		id := category.Int64
		e.CategoryID = &id
	}
	if submittedBy.Valid {
		id := submittedBy.Int64
		e.submittedByID = &id
	}
	if published.Valid {
		t := published.Time.UTC()
		e.PublishedAt = &t
	}
	if err := json.Unmarshal([]byte(fields), &e.Fields); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(chain), &e.Chain); err != nil {
		return nil, err
	}
	if pending != "" {
		e.Pending = &Input{}
		if err := json.Unmarshal([]byte(pending), e.Pending); err != nil {
			return nil, err
		}
	}
	return &e, nil
}

// Query selects entries.
type Query struct {
	Words       []string // each must appear (search text, lower-cased)
	Status      string
	OrgID       int64
	CategoryIDs []int64
	ShareAttr   string
	Kind        string // only entries with a mounted resource of this kind
	Newest      bool   // order by publication, newest first (else by code)
	Limit       int
	Offset      int
}

func (q Query) where(d *db.DB) (string, []any) {
	var conds []string
	var args []any
	for _, w := range q.Words {
		// search_text and the words are lower-cased: a plain substring test.
		conds = append(conds, d.HasSubstring("e.search_text"))
		args = append(args, w)
	}
	if q.Status != "" {
		conds = append(conds, "e.status = ?")
		args = append(args, q.Status)
	}
	if q.OrgID != 0 {
		conds = append(conds, "e.org_id = ?")
		args = append(args, q.OrgID)
	}
	if len(q.CategoryIDs) > 0 {
		conds = append(conds, "e.category_id IN ("+db.Placeholders(len(q.CategoryIDs))+")")
		for _, id := range q.CategoryIDs {
			args = append(args, id)
		}
	}
	if q.ShareAttr != "" {
		conds = append(conds, "e.share_attr = ?")
		args = append(args, q.ShareAttr)
	}
	if q.Kind != "" {
		conds = append(conds, "EXISTS (SELECT 1 FROM catalog_resources r WHERE r.entry_id = e.id AND r.kind = ? AND r.status = 'mounted')")
		args = append(args, q.Kind)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Entries lists a page of entries.
func (s *Store) Entries(ctx context.Context, q Query) ([]*Entry, int, error) {
	where, args := q.where(s.db)
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM catalog_entries e"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := " ORDER BY e.code"
	if q.Newest {
		order = " ORDER BY e.published_at DESC, e.id DESC"
	}
	if q.Limit <= 0 {
		q.Limit = 1 << 30
	}
	out, err := db.All(ctx, s.db, scanEntry, "SELECT "+entryCols+entryFrom+where+order+" LIMIT ? OFFSET ?", append(args, q.Limit, q.Offset)...)
	return out, total, err
}

// Entry fetches one entry.
func (s *Store) Entry(ctx context.Context, id int64) (*Entry, error) {
	return scanEntry(s.db.QueryRow(ctx, "SELECT "+entryCols+entryFrom+" WHERE e.id = ?", id))
}

// SaveEntry inserts (ID 0) or updates e with its search text.
func (s *Store) SaveEntry(ctx context.Context, e *Entry, search string) (err error) {
	fields, err := json.Marshal(e.Fields)
	if err != nil {
		return err
	}
	chain, err := json.Marshal(e.Chain)
	if err != nil {
		return err
	}
	pending := ""
	if e.Pending != nil {
		b, err := json.Marshal(e.Pending)
		if err != nil {
			return err
		}
		pending = string(b)
	}
	now := db.Now()
	e.UpdatedAt = now
	if e.ID == 0 {
		e.CreatedAt = now
		e.ID, err = s.db.InsertID(ctx, `INSERT INTO catalog_entries (code, name, description, keywords, org_id, category_id, source_system, industry,
			domain, update_frequency, share_attr, open_attr, fields_json, chain_json, status, version, pending_json, submitted_by_id, search_text,
			published_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.Code, e.Name, e.Description, e.Keywords, e.OrgID, e.CategoryID, e.SourceSystem, e.Industry, e.Domain, e.UpdateFrequency,
			e.ShareAttr, e.OpenAttr, string(fields), string(chain), e.Status, e.Version, pending, e.submittedByID, search, e.PublishedAt,
			e.CreatedBy, now, now)
		return err
	}
	_, err = s.db.Exec(ctx, `UPDATE catalog_entries SET code = ?, name = ?, description = ?, keywords = ?, org_id = ?, category_id = ?,
		source_system = ?, industry = ?, domain = ?, update_frequency = ?, share_attr = ?, open_attr = ?, fields_json = ?, chain_json = ?,
		status = ?, version = ?, pending_json = ?, submitted_by_id = ?, search_text = ?, published_at = ?, updated_at = ? WHERE id = ?`,
		e.Code, e.Name, e.Description, e.Keywords, e.OrgID, e.CategoryID, e.SourceSystem, e.Industry, e.Domain, e.UpdateFrequency,
		e.ShareAttr, e.OpenAttr, string(fields), string(chain), e.Status, e.Version, pending, e.submittedByID, search, e.PublishedAt, now, e.ID)
	return err
}

// DeleteEntry removes an entry.
func (s *Store) DeleteEntry(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "DELETE FROM catalog_entries WHERE id = ?", id)
	return err
}

// AddEvent appends a step to an entry's timeline.
func (s *Store) AddEvent(ctx context.Context, entryID int64, resourceID *int64, action string, actorID int64, actor, comment string) error {
	_, err := s.db.Exec(ctx, "INSERT INTO catalog_events (entry_id, resource_id, action, actor_id, actor_name, comment, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		entryID, resourceID, action, actorID, actor, comment, db.Now())
	return err
}

// Events lists an entry's timeline, oldest first.
func (s *Store) Events(ctx context.Context, entryID int64) ([]*Event, error) {
	return db.All(ctx, s.db, func(r db.Scanner) (*Event, error) {
		var e Event
		var res sql.NullInt64
		err := r.Scan(&e.ID, &res, &e.Action, &e.ActorName, &e.Comment, &e.At)
		if res.Valid {
			id := res.Int64
			e.ResourceID = &id
		}
		return &e, err
	}, "SELECT id, resource_id, action, actor_name, comment, at FROM catalog_events WHERE entry_id = ? ORDER BY id", entryID)
}

// ---- resources ----

const resourceCols = `r.id, r.entry_id, r.kind, r.api_id, COALESCE(a.code, ''), COALESCE(a.path, ''), r.name, r.description, r.status,
	r.submitted_by_id, r.created_at, r.updated_at`

func scanResource(r db.Scanner) (*Resource, error) {
	var x Resource
	var api, by sql.NullInt64
	err := r.Scan(&x.ID, &x.EntryID, &x.Kind, &api, &x.APICode, &x.APIPath, &x.Name, &x.Description, &x.Status, &by, &x.CreatedAt, &x.UpdatedAt)
	if err != nil {
		return nil, db.NotFound(err)
	}
	if api.Valid {
		id := api.Int64
		x.APIID = &id
	}
	if by.Valid {
		id := by.Int64
		x.submittedByID = &id
	}
	return &x, nil
}

// Resources lists the resources of entries (nil: of every entry).
func (s *Store) Resources(ctx context.Context, entryIDs []int64) ([]*Resource, error) {
	q := "SELECT " + resourceCols + " FROM catalog_resources r LEFT JOIN apis a ON a.id = r.api_id"
	var args []any
	if entryIDs != nil {
		if len(entryIDs) == 0 {
			return nil, nil
		}
		q += " WHERE r.entry_id IN (" + db.Placeholders(len(entryIDs)) + ")"
		for _, id := range entryIDs {
			args = append(args, id)
		}
	}
	return db.All(ctx, s.db, scanResource, q+" ORDER BY r.id", args...)
}

// Resource fetches one resource.
func (s *Store) Resource(ctx context.Context, id int64) (*Resource, error) {
	return scanResource(s.db.QueryRow(ctx, "SELECT "+resourceCols+" FROM catalog_resources r LEFT JOIN apis a ON a.id = r.api_id WHERE r.id = ?", id))
}

// SaveResource inserts (ID 0) or updates x.
func (s *Store) SaveResource(ctx context.Context, x *Resource) (err error) {
	now := db.Now()
	x.UpdatedAt = now
	if x.ID == 0 {
		x.CreatedAt = now
		x.ID, err = s.db.InsertID(ctx, `INSERT INTO catalog_resources (entry_id, kind, api_id, name, description, status, submitted_by_id, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, x.EntryID, x.Kind, x.APIID, x.Name, x.Description, x.Status, x.submittedByID, now, now)
		return err
	}
	_, err = s.db.Exec(ctx, "UPDATE catalog_resources SET name = ?, description = ?, status = ?, updated_at = ? WHERE id = ?", x.Name, x.Description, x.Status, now, x.ID)
	return err
}

// PendingResources lists resources waiting for mount approval.
func (s *Store) PendingResources(ctx context.Context) ([]*Resource, error) {
	return db.All(ctx, s.db, scanResource, "SELECT "+resourceCols+" FROM catalog_resources r LEFT JOIN apis a ON a.id = r.api_id WHERE r.status = 'pending' ORDER BY r.id")
}

// CountResources counts mounted resources of published entries by kind.
func (s *Store) CountResources(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.Query(ctx, `SELECT r.kind, COUNT(*) FROM catalog_resources r JOIN catalog_entries e ON e.id = r.entry_id
		WHERE r.status = 'mounted' AND e.status = 'published' GROUP BY r.kind`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// CountBy counts published entries by a column (share_attr or org).
func (s *Store) CountBy(ctx context.Context, column string) (map[string]int, error) {
	expr := map[string]string{"share_attr": "e.share_attr", "org": "COALESCE(o.name, '')"}[column]
	rows, err := s.db.Query(ctx, "SELECT "+expr+", COUNT(*)"+entryFrom+" WHERE e.status = 'published' GROUP BY "+expr)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// ---- negative list ----

// NegativesOf lists the negative-list entries of several entries at once.
func (s *Store) NegativesOf(ctx context.Context, entryIDs []int64) ([]*Negative, error) {
	if len(entryIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(entryIDs))
	for i, id := range entryIDs {
		args[i] = id
	}
	return db.All(ctx, s.db, func(r db.Scanner) (*Negative, error) {
		var n Negative
		err := r.Scan(&n.ID, &n.EntryID, &n.Field, &n.Reason)
		return &n, err
	}, "SELECT id, entry_id, field, reason FROM negative_list WHERE entry_id IN ("+db.Placeholders(len(entryIDs))+")", args...)
}

// Negatives lists the negative list (entry 0: all).
func (s *Store) Negatives(ctx context.Context, entryID int64) ([]*Negative, error) {
	q := `SELECT n.id, n.entry_id, e.code, e.name, n.field, n.reason, n.created_by, n.created_at FROM negative_list n
		JOIN catalog_entries e ON e.id = n.entry_id`
	var args []any
	if entryID != 0 {
		q += " WHERE n.entry_id = ?"
		args = append(args, entryID)
	}
	return db.All(ctx, s.db, func(r db.Scanner) (*Negative, error) {
		var n Negative
		err := r.Scan(&n.ID, &n.EntryID, &n.EntryCode, &n.EntryName, &n.Field, &n.Reason, &n.CreatedBy, &n.CreatedAt)
		return &n, err
	}, q+" ORDER BY n.id", args...)
}

// AddNegative puts an entry or field on the negative list.
func (s *Store) AddNegative(ctx context.Context, n *Negative) (err error) {
	n.CreatedAt = db.Now()
	n.ID, err = s.db.InsertID(ctx, "INSERT INTO negative_list (entry_id, field, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
		n.EntryID, n.Field, n.Reason, n.CreatedBy, n.CreatedAt)
	return err
}

// Negative fetches one negative-list entry.
func (s *Store) Negative(ctx context.Context, id int64) (*Negative, error) {
	var n Negative
	err := s.db.QueryRow(ctx, `SELECT n.id, n.entry_id, e.code, e.name, n.field, n.reason, n.created_by, n.created_at FROM negative_list n
		JOIN catalog_entries e ON e.id = n.entry_id WHERE n.id = ?`, id).Scan(&n.ID, &n.EntryID, &n.EntryCode, &n.EntryName, &n.Field, &n.Reason, &n.CreatedBy, &n.CreatedAt)
	return &n, db.NotFound(err)
}

// DeleteNegative takes an entry off the negative list.
func (s *Store) DeleteNegative(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "DELETE FROM negative_list WHERE id = ?", id)
	return err
}
