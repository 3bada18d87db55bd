package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/xietong/xietong/internal/db"
)

// Log records and reads audit events.
type Log struct {
	db *db.DB
}

// New returns the audit log over d.
func New(d *db.DB) *Log { return &Log{db: d} }

// Record appends e, inside the context's transaction when there is one, so
// that a change and its audit row commit or roll back together. Actor and
// client IP default to the context's actor.
func (l *Log) Record(ctx context.Context, e Event) error {
	a := ActorFrom(ctx)
	if e.ActorID == nil && a.ID != 0 {
		id := a.ID
		e.ActorID = &id
	}
	if e.ActorName == "" {
		e.ActorName = a.Name
	}
	if e.ClientIP == "" {
		e.ClientIP = a.IP
	}
	if e.Result == "" {
		e.Result = ResultOK
	}
	return l.db.WithTx(ctx, func(ctx context.Context) error {
		if l.db.Dialect == db.Postgres {
			// Serialise appenders so the chain never forks; SQLite's immediate
			// transactions already admit one writer at a time.
			if _, err := l.db.Exec(ctx, "SELECT pg_advisory_xact_lock(7243190)"); err != nil {
				return fmt.Errorf("audit: lock: %w", err)
			}
		}
		prev := genesis
		var last sql.NullInt64
		var lastHash sql.NullString
		err := l.db.QueryRow(ctx, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").Scan(&last, &lastHash)
		if err != nil && err != sql.ErrNoRows {
			return fmt.Errorf("audit: tail: %w", err)
		}
		if lastHash.Valid {
			prev = lastHash.String
		}
		e.Seq = last.Int64 + 1
		e.At = db.Now()
		e.PrevHash = prev
		e.Hash = rowHash(prev, &e)
		_, err = l.db.Exec(ctx, `INSERT INTO audit_log
			(seq, at, actor_id, actor_name, action, target_type, target_id, before_json, after_json, client_ip, result, detail, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.Seq, e.At, e.ActorID, e.ActorName, e.Action, e.TargetType, e.TargetID, e.Before, e.After, e.ClientIP, e.Result, e.Detail, e.PrevHash, e.Hash)
		if err != nil {
			return fmt.Errorf("audit: insert: %w", err)
		}
		return nil
	})
}

// JSON renders a value for Event.Before/After; secrets must be removed by
// the caller's types (they carry `json:"-"`).
func JSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", err.Error())
	}
	return string(b)
}

const columns = "seq, at, actor_id, actor_name, action, target_type, target_id, before_json, after_json, client_ip, result, detail, prev_hash, hash"

func scan(rows *sql.Rows) (Event, error) {
	var e Event
	var actor sql.NullInt64
	err := rows.Scan(&e.Seq, &e.At, &actor, &e.ActorName, &e.Action, &e.TargetType, &e.TargetID, &e.Before, &e.After, &e.ClientIP, &e.Result, &e.Detail, &e.PrevHash, &e.Hash)
	if actor.Valid {
		v := actor.Int64
		e.ActorID = &v
	}
	e.At = e.At.UTC()
	return e, err
}

func where(f Filter) (string, []any) {
	var conds []string
	var args []any
	if !f.From.IsZero() {
		conds, args = append(conds, "at >= ?"), append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		conds, args = append(conds, "at < ?"), append(args, f.To.UTC())
	}
	if f.Actor != "" {
		conds, args = append(conds, "actor_name = ?"), append(args, f.Actor)
	}
	if f.Action != "" {
		// A prefix selects a family of actions: "user." matches user.create, user.update…
		conds, args = append(conds, `action LIKE ? ESCAPE '\'`), append(args, db.Prefix(f.Action))
	}
	if f.Target != "" {
		conds, args = append(conds, "(target_id = ? OR target_type = ?)"), append(args, f.Target, f.Target)
	}
	if f.Result != "" {
		conds, args = append(conds, "result = ?"), append(args, f.Result)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Search returns a page of events, newest first, and the total.
func (l *Log) Search(ctx context.Context, f Filter) ([]Event, int, error) {
	w, args := where(f)
	var total int
	if err := l.db.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log"+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := l.db.Query(ctx, "SELECT "+columns+" FROM audit_log"+w+" ORDER BY seq DESC LIMIT ? OFFSET ?", append(args, f.Limit, f.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, rows.Err()
}

// Each streams events matching f in seq order (export); it stops at the
// first error fn returns.
func (l *Log) Each(ctx context.Context, f Filter, fn func(Event) error) error {
	w, args := where(f)
	q := "SELECT " + columns + " FROM audit_log" + w + " ORDER BY seq"
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := l.db.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scan(rows)
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Verify walks the whole chain and reports the first row that does not hold.
func (l *Log) Verify(ctx context.Context) (VerifyResult, error) {
	res := VerifyResult{OK: true}
	prev := genesis
	var expect int64 = 1
	err := l.Each(ctx, Filter{}, func(e Event) error {
		switch {
		case e.Seq != expect:
			res = VerifyResult{OK: false, Checked: res.Checked, FirstBadSeq: expect,
				Reason: fmt.Sprintf("row %d is missing (next row present is %d): rows were removed", expect, e.Seq)}
		case e.PrevHash != prev:
			res = VerifyResult{OK: false, Checked: res.Checked, FirstBadSeq: e.Seq,
				Reason: fmt.Sprintf("row %d does not link to row %d: the chain was rewritten", e.Seq, e.Seq-1)}
		case rowHash(prev, &e) != e.Hash:
			res = VerifyResult{OK: false, Checked: res.Checked, FirstBadSeq: e.Seq,
				Reason: fmt.Sprintf("row %d was altered: its content no longer matches its hash", e.Seq)}
		}
		if !res.OK {
			return errStop
		}
		res.Checked++
		prev = e.Hash
		expect++
		return nil
	})
	if err == errStop {
		err = nil
	}
	return res, err
}

type stopErr struct{}

func (stopErr) Error() string { return "stop" }

var errStop error = stopErr{}
