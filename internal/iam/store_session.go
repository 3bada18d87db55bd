package iam

import (
	"context"
	"time"

	"github.com/xietong/xietong/internal/db"
)

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, se *Session) error {
	_, err := s.db.Exec(ctx, `INSERT INTO sessions (id_hash, user_id, csrf_token, client_ip, user_agent, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, se.IDHash, se.UserID, se.CSRFToken, se.ClientIP, se.UserAgent, se.CreatedAt, se.LastSeenAt, se.ExpiresAt)
	return err
}

// Session fetches a session by the SM3 of its id.
func (s *Store) Session(ctx context.Context, idHash string) (*Session, error) {
	var se Session
	err := s.db.QueryRow(ctx, "SELECT id_hash, user_id, csrf_token, client_ip, user_agent, created_at, last_seen_at, expires_at FROM sessions WHERE id_hash = ?", idHash).
		Scan(&se.IDHash, &se.UserID, &se.CSRFToken, &se.ClientIP, &se.UserAgent, &se.CreatedAt, &se.LastSeenAt, &se.ExpiresAt)
	if err != nil {
		return nil, db.NotFound(err)
	}
	return &se, nil
}

// TouchSession moves last_seen_at forward.
func (s *Store) TouchSession(ctx context.Context, idHash string, at time.Time) error {
	_, err := s.db.Exec(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", at, idHash)
	return err
}

// DeleteSession ends one session.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	_, err := s.db.Exec(ctx, "DELETE FROM sessions WHERE id_hash = ?", idHash)
	return err
}

// DeleteUserSessions ends every session of a user except keep (may be "").
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64, keep string) (int64, error) {
	res, err := s.db.Exec(ctx, "DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?", userID, keep)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// DeleteExpiredSessions removes sessions past their absolute expiry or idle limit.
func (s *Store) DeleteExpiredSessions(ctx context.Context, now time.Time, idle time.Duration) (int64, error) {
	res, err := s.db.Exec(ctx, "DELETE FROM sessions WHERE expires_at < ? OR last_seen_at < ?", now, now.Add(-idle))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Setting reads one stored setting; ok is false when unset.
func (s *Store) Setting(ctx context.Context, key string) (value string, ok bool, err error) {
	err = s.db.QueryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&value)
	if err = db.NotFound(err); err == db.ErrNotFound {
		return "", false, nil
	}
	return value, err == nil, err
}

// SetSetting writes one setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	now := db.Now()
	_, err := s.db.Exec(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at", key, value, now)
	return err
}
