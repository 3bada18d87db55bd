package sharing

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/db"
)

// Store is the SQL behind requests, demands and notifications.
type Store struct{ db *db.DB }

// NewStore returns the store over d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

const requestCols = `r.id, r.code, r.applicant_id, r.applicant_name, r.applicant_org_id, COALESCE(o.name, ''), r.consumer_id, COALESCE(c.code, ''),
	r.entry_id, COALESCE(e.code, ''), COALESCE(e.name, ''), r.resource_id, COALESCE(res.name, ''), r.fields_json, r.purpose, r.legal_basis,
	r.period_days, r.expected_daily, r.chain_json, r.level, r.status, r.grant_id, r.valid_from, r.valid_to, r.created_at, r.updated_at`

const requestFrom = ` FROM share_requests r LEFT JOIN orgs o ON o.id = r.applicant_org_id LEFT JOIN consumers c ON c.id = r.consumer_id
	LEFT JOIN catalog_entries e ON e.id = r.entry_id LEFT JOIN catalog_resources res ON res.id = r.resource_id`

func scanRequest(s db.Scanner) (*Request, error) {
	var (
		r             Request
		fields, chain string
		grant         sql.NullInt64
		from, to      sql.NullTime
	)
	err := s.Scan(&r.ID, &r.Code, &r.ApplicantID, &r.ApplicantName, &r.ApplicantOrgID, &r.ApplicantOrgName, &r.ConsumerID, &r.ConsumerCode,
		&r.EntryID, &r.EntryCode, &r.EntryName, &r.ResourceID, &r.ResourceName, &fields, &r.Purpose, &r.LegalBasis,
		&r.PeriodDays, &r.ExpectedDaily, &chain, &r.Level, &r.Status, &grant, &from, &to, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return nil, db.NotFound(err)
	}
	if grant.Valid {
		id := grant.Int64
		r.GrantID = &id
	}
	if from.Valid {
		t := from.Time.UTC()
		r.ValidFrom = &t
	}
	if to.Valid {
		t := to.Time.UTC()
		r.ValidTo = &t
	}
	if err := json.Unmarshal([]byte(fields), &r.Fields); err != nil {
		return nil, err
	}
	return &r, json.Unmarshal([]byte(chain), &r.Chain)
}

// RequestFilter selects requests.
type RequestFilter struct {
	Q            string
	Status       string
	ApplicantID  int64
	CurrentOrgID int64 // the organisation deciding now (to-do lists)
	ApprovedBy   int64 // requests with a decision by this user (done lists)
	Limit        int
	Offset       int
}

// Requests lists a page of requests, newest first.
func (s *Store) Requests(ctx context.Context, f RequestFilter) ([]*Request, int, error) {
	var conds []string
	var args []any
	if f.Q != "" {
		conds = append(conds, `(r.code LIKE ? ESCAPE '\' OR e.name LIKE ? ESCAPE '\' OR r.applicant_name LIKE ? ESCAPE '\' OR r.purpose LIKE ? ESCAPE '\')`)
		p := db.Contains(f.Q)
		args = append(args, p, p, p, p)
	}
	if f.Status != "" {
		conds = append(conds, "r.status = ?")
		args = append(args, f.Status)
	}
	if f.ApplicantID != 0 {
		conds = append(conds, "r.applicant_id = ?")
		args = append(args, f.ApplicantID)
	}
	if f.CurrentOrgID != 0 {
		conds = append(conds, "r.current_org_id = ?")
		args = append(args, f.CurrentOrgID)
	}
	if f.ApprovedBy != 0 {
		conds = append(conds, "EXISTS (SELECT 1 FROM share_request_events v WHERE v.request_id = r.id AND v.actor_id = ? AND v.action IN ('approve', 'reject', 'return'))")
		args = append(args, f.ApprovedBy)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*)"+requestFrom+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 1 << 30
	}
	out, err := db.All(ctx, s.db, scanRequest, "SELECT "+requestCols+requestFrom+where+" ORDER BY r.id DESC LIMIT ? OFFSET ?", append(args, f.Limit, f.Offset)...)
	return out, total, err
}

// Request fetches one request.
func (s *Store) Request(ctx context.Context, id int64) (*Request, error) {
	return scanRequest(s.db.QueryRow(ctx, "SELECT "+requestCols+requestFrom+" WHERE r.id = ?", id))
}

// SaveRequest inserts (ID 0) or updates r; current is the organisation
// deciding now (nil when nobody is).
func (s *Store) SaveRequest(ctx context.Context, r *Request, current *int64) (err error) {
	fields, err := json.Marshal(r.Fields)
	if err != nil {
		return err
	}
	chain, err := json.Marshal(r.Chain)
	if err != nil {
		return err
	}
	now := db.Now()
	r.UpdatedAt = now
	if r.ID == 0 {
		r.CreatedAt = now
		r.ID, err = s.db.InsertID(ctx, `INSERT INTO share_requests (code, applicant_id, applicant_name, applicant_org_id, consumer_id, entry_id,
			resource_id, fields_json, purpose, legal_basis, period_days, expected_daily, chain_json, level, current_org_id, status, grant_id,
			valid_from, valid_to, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.Code, r.ApplicantID, r.ApplicantName, r.ApplicantOrgID, r.ConsumerID, r.EntryID, r.ResourceID, string(fields), r.Purpose,
			r.LegalBasis, r.PeriodDays, r.ExpectedDaily, string(chain), r.Level, current, r.Status, r.GrantID, r.ValidFrom, r.ValidTo, now, now)
		return err
	}
	_, err = s.db.Exec(ctx, `UPDATE share_requests SET consumer_id = ?, fields_json = ?, purpose = ?, legal_basis = ?, period_days = ?,
		expected_daily = ?, chain_json = ?, level = ?, current_org_id = ?, status = ?, grant_id = ?, valid_from = ?, valid_to = ?, updated_at = ?
		WHERE id = ?`, r.ConsumerID, string(fields), r.Purpose, r.LegalBasis, r.PeriodDays, r.ExpectedDaily, string(chain), r.Level, current,
		r.Status, r.GrantID, r.ValidFrom, r.ValidTo, now, r.ID)
	return err
}

// AddEvent appends a step to a request's timeline.
func (s *Store) AddEvent(ctx context.Context, requestID int64, e Event) error {
	_, err := s.db.Exec(ctx, "INSERT INTO share_request_events (request_id, action, level, actor_id, actor_name, comment, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		requestID, e.Action, e.Level, e.ActorID, e.ActorName, e.Comment, db.Now())
	return err
}

// Events lists a request's timeline, oldest first.
func (s *Store) Events(ctx context.Context, requestID int64) ([]Event, error) {
	out, err := db.All(ctx, s.db, func(r db.Scanner) (*Event, error) {
		var e Event
		var actor sql.NullInt64
		err := r.Scan(&e.Action, &e.Level, &actor, &e.ActorName, &e.Comment, &e.At)
		e.ActorID = actor.Int64
		return &e, err
	}, "SELECT action, level, actor_id, actor_name, comment, at FROM share_request_events WHERE request_id = ? ORDER BY id", requestID)
	evs := make([]Event, len(out))
	for i, e := range out {
		evs[i] = *e
	}
	return evs, err
}

// Expiring lists approved requests whose period has ended.
func (s *Store) Expiring(ctx context.Context, now time.Time) ([]*Request, error) {
	return db.All(ctx, s.db, scanRequest, "SELECT "+requestCols+requestFrom+" WHERE r.status = ? AND r.valid_to < ?", StatusApproved, now.UTC())
}

// ---- demands ----

const demandCols = `d.id, d.code, d.title, d.description, d.requester_id, d.requester_name, d.requester_org_id, COALESCE(ro.name, ''),
	d.owner_org_id, COALESCE(oo.name, ''), d.status, d.responsible, d.entry_id, d.created_at, d.updated_at`

const demandFrom = " FROM demands d LEFT JOIN orgs ro ON ro.id = d.requester_org_id LEFT JOIN orgs oo ON oo.id = d.owner_org_id"

func scanDemand(r db.Scanner) (*Demand, error) {
	var d Demand
	var entry sql.NullInt64
	err := r.Scan(&d.ID, &d.Code, &d.Title, &d.Description, &d.RequesterID, &d.RequesterName, &d.RequesterOrgID, &d.RequesterOrgName,
		&d.OwnerOrgID, &d.OwnerOrgName, &d.Status, &d.Responsible, &entry, &d.CreatedAt, &d.UpdatedAt)
	if entry.Valid {
		id := entry.Int64
		d.EntryID = &id
	}
	return &d, db.NotFound(err)
}

// Demands lists a page of demands, newest first.
func (s *Store) Demands(ctx context.Context, q, status string, limit, offset int) ([]*Demand, int, error) {
	var conds []string
	var args []any
	if q != "" {
		conds = append(conds, `(d.code LIKE ? ESCAPE '\' OR d.title LIKE ? ESCAPE '\')`)
		args = append(args, db.Contains(q), db.Contains(q))
	}
	if status != "" {
		conds = append(conds, "d.status = ?")
		args = append(args, status)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM demands d"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	out, err := db.All(ctx, s.db, scanDemand, "SELECT "+demandCols+demandFrom+where+" ORDER BY d.id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	return out, total, err
}

// Demand fetches one demand.
func (s *Store) Demand(ctx context.Context, id int64) (*Demand, error) {
	return scanDemand(s.db.QueryRow(ctx, "SELECT "+demandCols+demandFrom+" WHERE d.id = ?", id))
}

// SaveDemand inserts (ID 0) or updates d.
func (s *Store) SaveDemand(ctx context.Context, d *Demand) (err error) {
	now := db.Now()
	d.UpdatedAt = now
	if d.ID == 0 {
		d.CreatedAt = now
		d.ID, err = s.db.InsertID(ctx, `INSERT INTO demands (code, title, description, requester_id, requester_name, requester_org_id, owner_org_id,
			status, responsible, entry_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.Code, d.Title, d.Description, d.RequesterID, d.RequesterName, d.RequesterOrgID, d.OwnerOrgID, d.Status, d.Responsible, d.EntryID, now, now)
		return err
	}
	_, err = s.db.Exec(ctx, "UPDATE demands SET status = ?, responsible = ?, entry_id = ?, updated_at = ? WHERE id = ?", d.Status, d.Responsible, d.EntryID, now, d.ID)
	return err
}

// AddDemandEvent appends a step to a demand's timeline.
func (s *Store) AddDemandEvent(ctx context.Context, demandID int64, e Event) error {
	_, err := s.db.Exec(ctx, "INSERT INTO demand_events (demand_id, action, actor_id, actor_name, comment, at) VALUES (?, ?, ?, ?, ?, ?)",
		demandID, e.Action, e.ActorID, e.ActorName, e.Comment, db.Now())
	return err
}

// DemandEvents lists a demand's timeline.
func (s *Store) DemandEvents(ctx context.Context, demandID int64) ([]Event, error) {
	out, err := db.All(ctx, s.db, func(r db.Scanner) (*Event, error) {
		var e Event
		var actor sql.NullInt64
		err := r.Scan(&e.Action, &actor, &e.ActorName, &e.Comment, &e.At)
		e.ActorID, e.Level = actor.Int64, -1
		return &e, err
	}, "SELECT action, actor_id, actor_name, comment, at FROM demand_events WHERE demand_id = ? ORDER BY id", demandID)
	evs := make([]Event, len(out))
	for i, e := range out {
		evs[i] = *e
	}
	return evs, err
}

// ---- notifications ----

// Notify stores a notification for each user.
func (s *Store) Notify(ctx context.Context, userIDs []int64, kind, title, link string) error {
	now := db.Now()
	for _, id := range userIDs {
		if _, err := s.db.Exec(ctx, "INSERT INTO notifications (user_id, kind, title, link, created_at) VALUES (?, ?, ?, ?, ?)", id, kind, title, link, now); err != nil {
			return err
		}
	}
	return nil
}

// Notifications lists a user's notifications, newest first, and how many are unread.
func (s *Store) Notifications(ctx context.Context, userID int64, limit, offset int) ([]*Notification, int, int, error) {
	var total, unread int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*), COALESCE(SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0) FROM notifications WHERE user_id = ?", userID).Scan(&total, &unread); err != nil {
		return nil, 0, 0, err
	}
	out, err := db.All(ctx, s.db, func(r db.Scanner) (*Notification, error) {
		var n Notification
		var read sql.NullTime
		err := r.Scan(&n.ID, &n.Kind, &n.Title, &n.Link, &n.CreatedAt, &read)
		if read.Valid {
			t := read.Time.UTC()
			n.ReadAt = &t
		}
		return &n, err
	}, "SELECT id, kind, title, link, created_at, read_at FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT ? OFFSET ?", userID, limit, offset)
	return out, total, unread, err
}

// MarkRead marks a user's notification (0: all of them) read.
func (s *Store) MarkRead(ctx context.Context, userID, id int64) error {
	q, args := "UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL", []any{db.Now(), userID}
	if id != 0 {
		q += " AND id = ?"
		args = append(args, id)
	}
	_, err := s.db.Exec(ctx, q, args...)
	return err
}
