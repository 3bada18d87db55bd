package consumer

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/db"
)

// Store is the SQL behind the gateway's control plane.
type Store struct{ db *db.DB }

// NewStore returns the store over d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

type scanner = db.Scanner

func (s *Store) count(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, q, args...).Scan(&n)
	return n, err
}

// ---- consumers ----

const consumerCols = "id, code, name, org_name, contact, phone, description, status, created_at, updated_at"

func scanConsumer(r scanner) (*Consumer, error) {
	var c Consumer
	err := r.Scan(&c.ID, &c.Code, &c.Name, &c.OrgName, &c.Contact, &c.Phone, &c.Description, &c.Status, &c.CreatedAt, &c.UpdatedAt)
	return &c, db.NotFound(err)
}

// Consumers lists a page of consumers.
func (s *Store) Consumers(ctx context.Context, q string, limit, offset int) ([]*Consumer, int, error) {
	where, args := "", []any{}
	if q != "" {
		where = ` WHERE code LIKE ? ESCAPE '\' OR name LIKE ? ESCAPE '\' OR org_name LIKE ? ESCAPE '\'`
		args = append(args, db.Contains(q), db.Contains(q), db.Contains(q))
	}
	total, err := s.count(ctx, "SELECT COUNT(*) FROM consumers"+where, args...)
	if err != nil {
		return nil, 0, err
	}
	out, err := db.All(ctx, s.db, scanConsumer, "SELECT "+consumerCols+" FROM consumers"+where+" ORDER BY id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	return out, total, err
}

// Consumer fetches one consumer.
func (s *Store) Consumer(ctx context.Context, id int64) (*Consumer, error) {
	return scanConsumer(s.db.QueryRow(ctx, "SELECT "+consumerCols+" FROM consumers WHERE id = ?", id))
}

// SaveConsumer inserts (ID 0) or updates c.
func (s *Store) SaveConsumer(ctx context.Context, c *Consumer) (err error) {
	now := db.Now()
	c.UpdatedAt = now
	if c.ID == 0 {
		c.CreatedAt = now
		c.ID, err = s.db.InsertID(ctx, "INSERT INTO consumers (code, name, org_name, contact, phone, description, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			c.Code, c.Name, c.OrgName, c.Contact, c.Phone, c.Description, c.Status, now, now)
		return err
	}
	_, err = s.db.Exec(ctx, "UPDATE consumers SET code = ?, name = ?, org_name = ?, contact = ?, phone = ?, description = ?, status = ?, updated_at = ? WHERE id = ?",
		c.Code, c.Name, c.OrgName, c.Contact, c.Phone, c.Description, c.Status, now, c.ID)
	return err
}

// DeleteConsumer removes a consumer with its keys and grants.
func (s *Store) DeleteConsumer(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "DELETE FROM consumers WHERE id = ?", id)
	return err
}

// ---- keys ----

const keyCols = "id, key_id, consumer_id, kind, secret_sealed, public_pem, status, expires_at, created_at, revoked_at"

func scanKey(r scanner) (*Key, error) {
	var k Key
	err := r.Scan(&k.ID, &k.KeyID, &k.ConsumerID, &k.Kind, &k.secretSealed, &k.PublicPEM, &k.Status, &k.ExpiresAt, &k.CreatedAt, &k.RevokedAt)
	return &k, db.NotFound(err)
}

// Keys lists keys, of one consumer (consumerID > 0) or all.
func (s *Store) Keys(ctx context.Context, consumerID int64) ([]*Key, error) {
	q, args := "SELECT "+keyCols+" FROM consumer_keys", []any{}
	if consumerID > 0 {
		q += " WHERE consumer_id = ?"
		args = append(args, consumerID)
	}
	return db.All(ctx, s.db, scanKey, q+" ORDER BY id", args...)
}

// Key fetches one key by row id.
func (s *Store) Key(ctx context.Context, id int64) (*Key, error) {
	return scanKey(s.db.QueryRow(ctx, "SELECT "+keyCols+" FROM consumer_keys WHERE id = ?", id))
}

// CreateKey inserts k.
func (s *Store) CreateKey(ctx context.Context, k *Key) (err error) {
	k.CreatedAt = db.Now()
	k.ID, err = s.db.InsertID(ctx, "INSERT INTO consumer_keys (key_id, consumer_id, kind, secret_sealed, public_pem, status, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		k.KeyID, k.ConsumerID, k.Kind, k.secretSealed, k.PublicPEM, k.Status, k.ExpiresAt, k.CreatedAt)
	return err
}

// ExpireKey sets when a key stops working.
func (s *Store) ExpireKey(ctx context.Context, id int64, at time.Time) error {
	_, err := s.db.Exec(ctx, "UPDATE consumer_keys SET expires_at = ? WHERE id = ?", at.UTC(), id)
	return err
}

// RevokeKey stops a key at once.
func (s *Store) RevokeKey(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "UPDATE consumer_keys SET status = 'revoked', revoked_at = ? WHERE id = ?", db.Now(), id)
	return err
}

// ---- data keys ----

const dataKeyCols = "id, key_id, consumer_id, key_sealed, envelope, status, expires_at, created_at"

func scanDataKey(r scanner) (*DataKey, error) {
	var k DataKey
	err := r.Scan(&k.ID, &k.KeyID, &k.ConsumerID, &k.keySealed, &k.Envelope, &k.Status, &k.ExpiresAt, &k.CreatedAt)
	return &k, db.NotFound(err)
}

// DataKeys lists data keys, of one consumer (consumerID > 0) or all.
func (s *Store) DataKeys(ctx context.Context, consumerID int64) ([]*DataKey, error) {
	q, args := "SELECT "+dataKeyCols+" FROM data_keys", []any{}
	if consumerID > 0 {
		q += " WHERE consumer_id = ?"
		args = append(args, consumerID)
	}
	return db.All(ctx, s.db, scanDataKey, q+" ORDER BY id", args...)
}

// DataKey fetches one data key by row id.
func (s *Store) DataKey(ctx context.Context, id int64) (*DataKey, error) {
	return scanDataKey(s.db.QueryRow(ctx, "SELECT "+dataKeyCols+" FROM data_keys WHERE id = ?", id))
}

// CreateDataKey inserts k.
func (s *Store) CreateDataKey(ctx context.Context, k *DataKey) (err error) {
	k.CreatedAt = db.Now()
	k.ID, err = s.db.InsertID(ctx, "INSERT INTO data_keys (key_id, consumer_id, key_sealed, envelope, status, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		k.KeyID, k.ConsumerID, k.keySealed, k.Envelope, k.Status, k.ExpiresAt, k.CreatedAt)
	return err
}

// RevokeDataKey stops a data key.
func (s *Store) RevokeDataKey(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "UPDATE data_keys SET status = 'revoked' WHERE id = ?", id)
	return err
}

// ---- platform keys ----

// PlatformKeys lists the platform's keys, newest first.
func (s *Store) PlatformKeys(ctx context.Context) ([]*PlatformKey, error) {
	rows, err := s.db.Query(ctx, "SELECT id, key_id, private_sealed, public_pem, status, created_at FROM platform_keys ORDER BY id DESC")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*PlatformKey
	for rows.Next() {
		var k PlatformKey
		if err := rows.Scan(&k.ID, &k.KeyID, &k.privateSealed, &k.PublicPEM, &k.Status, &k.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, &k)
	}
	return out, rows.Err()
}

// AddPlatformKey makes k the active key; the previous active one stays
// published as "previous" so responses signed by it still verify.
func (s *Store) AddPlatformKey(ctx context.Context, k *PlatformKey) error {
	return s.db.WithTx(ctx, func(ctx context.Context) (err error) {
		if _, err := s.db.Exec(ctx, "UPDATE platform_keys SET status = 'retired' WHERE status = 'previous'"); err != nil {
			return err
		}
		if _, err := s.db.Exec(ctx, "UPDATE platform_keys SET status = 'previous' WHERE status = 'active'"); err != nil {
			return err
		}
		k.CreatedAt, k.Status = db.Now(), "active"
		k.ID, err = s.db.InsertID(ctx, "INSERT INTO platform_keys (key_id, private_sealed, public_pem, status, created_at) VALUES (?, ?, ?, ?, ?)",
			k.KeyID, k.privateSealed, k.PublicPEM, k.Status, k.CreatedAt)
		return err
	})
}

// ---- APIs ----

const apiCols = "id, code, name, kind, method, path, upstream_url, timeout_ms, retries, fields_json, status, created_at, updated_at"

func scanAPI(r scanner) (*API, error) {
	var a API
	var fields string
	err := r.Scan(&a.ID, &a.Code, &a.Name, &a.Kind, &a.Method, &a.Path, &a.UpstreamURL, &a.TimeoutMS, &a.Retries, &fields, &a.Status, &a.CreatedAt, &a.UpdatedAt)
	if err != nil {
		return nil, db.NotFound(err)
	}
	return &a, json.Unmarshal([]byte(fields), &a.Fields)
}

// APIs lists a page of APIs (limit 0: all).
func (s *Store) APIs(ctx context.Context, q string, limit, offset int) ([]*API, int, error) {
	where, args := "", []any{}
	if q != "" {
		where = ` WHERE code LIKE ? ESCAPE '\' OR name LIKE ? ESCAPE '\' OR path LIKE ? ESCAPE '\'`
		args = append(args, db.Contains(q), db.Contains(q), db.Contains(q))
	}
	total, err := s.count(ctx, "SELECT COUNT(*) FROM apis"+where, args...)
	if err != nil {
		return nil, 0, err
	}
	if limit == 0 {
		limit = 1 << 30
	}
	out, err := db.All(ctx, s.db, scanAPI, "SELECT "+apiCols+" FROM apis"+where+" ORDER BY id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	return out, total, err
}

// API fetches one API.
func (s *Store) API(ctx context.Context, id int64) (*API, error) {
	return scanAPI(s.db.QueryRow(ctx, "SELECT "+apiCols+" FROM apis WHERE id = ?", id))
}

// SaveAPI inserts (ID 0) or updates a.
func (s *Store) SaveAPI(ctx context.Context, a *API) (err error) {
	fields, err := json.Marshal(a.Fields)
	if err != nil {
		return err
	}
	now := db.Now()
	a.UpdatedAt = now
	if a.ID == 0 {
		a.CreatedAt = now
		a.ID, err = s.db.InsertID(ctx, "INSERT INTO apis (code, name, kind, method, path, upstream_url, timeout_ms, retries, fields_json, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			a.Code, a.Name, a.Kind, a.Method, a.Path, a.UpstreamURL, a.TimeoutMS, a.Retries, string(fields), a.Status, now, now)
		return err
	}
	_, err = s.db.Exec(ctx, "UPDATE apis SET code = ?, name = ?, method = ?, path = ?, upstream_url = ?, timeout_ms = ?, retries = ?, fields_json = ?, status = ?, updated_at = ? WHERE id = ?",
		a.Code, a.Name, a.Method, a.Path, a.UpstreamURL, a.TimeoutMS, a.Retries, string(fields), a.Status, now, a.ID)
	return err
}

// DeleteAPI removes an API and its grants.
func (s *Store) DeleteAPI(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "DELETE FROM apis WHERE id = ?", id)
	return err
}

// ---- grants ----

const grantCols = `g.id, g.consumer_id, c.code, g.api_id, a.code, g.fields_json, g.plaintext_json, g.rate_per_sec, g.burst,
	g.quota_day, g.quota_month, g.valid_from, g.valid_to, g.ip_allowlist, g.methods, g.status, g.created_at, g.updated_at`

const grantFrom = " FROM grants g JOIN consumers c ON c.id = g.consumer_id JOIN apis a ON a.id = g.api_id"

func scanGrant(r scanner) (*Grant, error) {
	var g Grant
	var fields, plain, ips, methods string
	err := r.Scan(&g.ID, &g.ConsumerID, &g.ConsumerCode, &g.APIID, &g.APICode, &fields, &plain, &g.RatePerSec, &g.Burst,
		&g.QuotaDay, &g.QuotaMonth, &g.ValidFrom, &g.ValidTo, &ips, &methods, &g.Status, &g.CreatedAt, &g.UpdatedAt)
	if err != nil {
		return nil, db.NotFound(err)
	}
	if err := json.Unmarshal([]byte(fields), &g.Fields); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(plain), &g.Plaintext); err != nil {
		return nil, err
	}
	g.IPAllowlist, g.Methods = split(ips), split(methods)
	return &g, nil
}

func split(s string) []string {
	out := []string{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// GrantFilter narrows a grant list.
type GrantFilter struct {
	ConsumerID, APIID int64
	Limit, Offset     int
}

// Grants lists a page of grants (Limit 0: all).
func (s *Store) Grants(ctx context.Context, f GrantFilter) ([]*Grant, int, error) {
	where, args := " WHERE 1 = 1", []any{}
	if f.ConsumerID > 0 {
		where += " AND g.consumer_id = ?"
		args = append(args, f.ConsumerID)
	}
	if f.APIID > 0 {
		where += " AND g.api_id = ?"
		args = append(args, f.APIID)
	}
	total, err := s.count(ctx, "SELECT COUNT(*)"+grantFrom+where, args...)
	if err != nil {
		return nil, 0, err
	}
	if f.Limit == 0 {
		f.Limit = 1 << 30
	}
	out, err := db.All(ctx, s.db, scanGrant, "SELECT "+grantCols+grantFrom+where+" ORDER BY g.id LIMIT ? OFFSET ?", append(args, f.Limit, f.Offset)...)
	return out, total, err
}

// Grant fetches one grant.
func (s *Store) Grant(ctx context.Context, id int64) (*Grant, error) {
	return scanGrant(s.db.QueryRow(ctx, "SELECT "+grantCols+grantFrom+" WHERE g.id = ?", id))
}

// SaveGrant inserts (ID 0) or updates g.
func (s *Store) SaveGrant(ctx context.Context, g *Grant) (err error) {
	fields, _ := json.Marshal(g.Fields)
	plain, _ := json.Marshal(g.Plaintext)
	ips, methods := strings.Join(g.IPAllowlist, ","), strings.Join(g.Methods, ",")
	now := db.Now()
	g.UpdatedAt = now
	if g.ID == 0 {
		g.CreatedAt = now
		g.ID, err = s.db.InsertID(ctx, `INSERT INTO grants (consumer_id, api_id, fields_json, plaintext_json, rate_per_sec, burst, quota_day, quota_month,
			valid_from, valid_to, ip_allowlist, methods, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			g.ConsumerID, g.APIID, string(fields), string(plain), g.RatePerSec, g.Burst, g.QuotaDay, g.QuotaMonth, g.ValidFrom, g.ValidTo, ips, methods, g.Status, now, now)
		return err
	}
	_, err = s.db.Exec(ctx, `UPDATE grants SET fields_json = ?, plaintext_json = ?, rate_per_sec = ?, burst = ?, quota_day = ?, quota_month = ?,
		valid_from = ?, valid_to = ?, ip_allowlist = ?, methods = ?, status = ?, updated_at = ? WHERE id = ?`,
		string(fields), string(plain), g.RatePerSec, g.Burst, g.QuotaDay, g.QuotaMonth, g.ValidFrom, g.ValidTo, ips, methods, g.Status, now, g.ID)
	return err
}

// DeleteGrant removes a grant.
func (s *Store) DeleteGrant(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "DELETE FROM grants WHERE id = ?", id)
	return err
}

// ---- configuration version ----

const versionKey = "gateway_version"

// BumpVersion marks the gateway configuration changed; call it in the
// transaction of the change. Gateway nodes poll the version.
func (s *Store) BumpVersion(ctx context.Context) error {
	_, err := s.db.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, '1', ?)
		ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(settings.value AS BIGINT) + 1 AS TEXT), updated_at = excluded.updated_at`, versionKey, db.Now())
	return err
}

// Version reads the configuration version (0 before any change).
func (s *Store) Version(ctx context.Context) (int64, error) {
	var v string
	err := s.db.QueryRow(ctx, "SELECT value FROM settings WHERE key = ?", versionKey).Scan(&v)
	if err = db.NotFound(err); err == db.ErrNotFound {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	var n int64
	for _, c := range v {
		n = n*10 + int64(c-'0')
	}
	return n, nil
}

// MarkGrantRequest records the sharing request a grant was created from.
func (s *Store) MarkGrantRequest(ctx context.Context, grantID, requestID int64) error {
	_, err := s.db.Exec(ctx, "UPDATE grants SET request_id = ? WHERE id = ?", requestID, grantID)
	return err
}
