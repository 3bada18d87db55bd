package iam

import (
	"context"
	"time"

	"github.com/xietong/xietong/internal/db"
)

const userCols = `u.id, u.username, u.display_name, u.org_id, o.name, u.phone, u.email, u.status,
	u.password_hash, u.must_change_password, u.password_changed_at, u.failed_logins, u.locked_until,
	u.last_login_at, u.created_at, u.updated_at`

const userFrom = " FROM users u JOIN orgs o ON o.id = u.org_id"

func scanUser(r scanner) (*User, error) {
	var u User
	err := r.Scan(&u.ID, &u.Username, &u.DisplayName, &u.OrgID, &u.OrgName, &u.Phone, &u.Email, &u.Status,
		&u.passwordHash, &u.MustChangePassword, &u.passwordChangedAt, &u.failedLogins, &u.lockedUntil,
		&u.LastLoginAt, &u.CreatedAt, &u.UpdatedAt)
	if err != nil {
		return nil, db.NotFound(err)
	}
	u.Locked = u.lockedUntil != nil && u.lockedUntil.After(time.Now())
	return &u, nil
}

// User fetches one user by id.
func (s *Store) User(ctx context.Context, id int64) (*User, error) {
	return scanUser(s.db.QueryRow(ctx, "SELECT "+userCols+userFrom+" WHERE u.id = ?", id))
}

// UserByName fetches one user by username.
func (s *Store) UserByName(ctx context.Context, username string) (*User, error) {
	return scanUser(s.db.QueryRow(ctx, "SELECT "+userCols+userFrom+" WHERE u.username = ?", username))
}

// UserFilter narrows a user list.
type UserFilter struct {
	Q      string
	OrgIDs []int64 // nil: any organisation
	Status string
	Locked bool
	Limit  int
	Offset int
}

// Users lists a page of users and the total.
func (s *Store) Users(ctx context.Context, f UserFilter) ([]*User, int, error) {
	where := " WHERE 1 = 1"
	var args []any
	if f.Q != "" {
		where += ` AND (u.username LIKE ? ESCAPE '\' OR u.display_name LIKE ? ESCAPE '\' OR u.phone LIKE ? ESCAPE '\')`
		args = append(args, db.Contains(f.Q), db.Contains(f.Q), db.Contains(f.Q))
	}
	if f.OrgIDs != nil {
		if len(f.OrgIDs) == 0 {
			return nil, 0, nil
		}
		where += " AND u.org_id IN (" + db.Placeholders(len(f.OrgIDs)) + ")"
		for _, id := range f.OrgIDs {
			args = append(args, id)
		}
	}
	if f.Status != "" {
		where += " AND u.status = ?"
		args = append(args, f.Status)
	}
	if f.Locked {
		where += " AND u.locked_until > ?"
		args = append(args, db.Now())
	}
	total, err := s.count(ctx, "SELECT COUNT(*)"+userFrom+where, args...)
	if err != nil {
		return nil, 0, err
	}
	out, err := db.All(ctx, s.db, scanUser, "SELECT "+userCols+userFrom+where+" ORDER BY u.id LIMIT ? OFFSET ?", append(args, f.Limit, f.Offset)...)
	return out, total, err
}

// CreateUser inserts u with the given password hash.
func (s *Store) CreateUser(ctx context.Context, u *User, hash string) error {
	now := db.Now()
	u.CreatedAt, u.UpdatedAt = now, now
	id, err := s.db.InsertID(ctx, `INSERT INTO users (username, display_name, org_id, phone, email, status, password_hash,
		must_change_password, password_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Username, u.DisplayName, u.OrgID, u.Phone, u.Email, u.Status, hash, u.MustChangePassword, now, now, now)
	if err != nil {
		return err
	}
	u.ID = id
	return s.AddPasswordHistory(ctx, id, hash)
}

// UpdateUser saves the editable profile fields and status.
func (s *Store) UpdateUser(ctx context.Context, u *User) error {
	u.UpdatedAt = db.Now()
	_, err := s.db.Exec(ctx, "UPDATE users SET display_name = ?, org_id = ?, phone = ?, email = ?, status = ?, updated_at = ? WHERE id = ?",
		u.DisplayName, u.OrgID, u.Phone, u.Email, u.Status, u.UpdatedAt, u.ID)
	return err
}

// DeleteUser removes a user (sessions, history and role links cascade).
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "DELETE FROM users WHERE id = ?", id)
	return err
}

// SetPassword stores a new hash, records it in the history and sets the
// must-change flag.
func (s *Store) SetPassword(ctx context.Context, id int64, hash string, mustChange bool) error {
	now := db.Now()
	if _, err := s.db.Exec(ctx, "UPDATE users SET password_hash = ?, must_change_password = ?, password_changed_at = ?, failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?",
		hash, mustChange, now, now, id); err != nil {
		return err
	}
	return s.AddPasswordHistory(ctx, id, hash)
}

// AddPasswordHistory remembers a hash so it cannot be reused.
func (s *Store) AddPasswordHistory(ctx context.Context, id int64, hash string) error {
	_, err := s.db.Exec(ctx, "INSERT INTO password_history (user_id, password_hash, created_at) VALUES (?, ?, ?)", id, hash, db.Now())
	return err
}

// PasswordHistory gives the last n hashes, newest first.
func (s *Store) PasswordHistory(ctx context.Context, id int64, n int) ([]string, error) {
	rows, err := s.db.Query(ctx, "SELECT password_hash FROM password_history WHERE user_id = ? ORDER BY created_at DESC LIMIT ?", id, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// RecordFailedLogin counts a failure and locks the account until lockUntil
// when the count reaches max. It returns the new count.
func (s *Store) RecordFailedLogin(ctx context.Context, id int64, max int, lockUntil time.Time) (int, error) {
	if _, err := s.db.Exec(ctx, "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?", id); err != nil {
		return 0, err
	}
	var n int
	if err := s.db.QueryRow(ctx, "SELECT failed_logins FROM users WHERE id = ?", id).Scan(&n); err != nil {
		return 0, err
	}
	if n >= max {
		_, err := s.db.Exec(ctx, "UPDATE users SET locked_until = ?, failed_logins = 0 WHERE id = ?", lockUntil.UTC(), id)
		return n, err
	}
	return n, nil
}

// RecordLogin clears the failure count and stamps the login time.
func (s *Store) RecordLogin(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?", db.Now(), id)
	return err
}

// Unlock clears a lockout.
func (s *Store) Unlock(ctx context.Context, id int64) error {
	_, err := s.db.Exec(ctx, "UPDATE users SET failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?", db.Now(), id)
	return err
}
