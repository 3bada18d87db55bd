package loadjob

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/warehouse/load"
)

// Store is the SQL behind the load history.
type Store struct{ db *db.DB }

// NewStore returns the store over d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// jobCols leaves out bad_rows_json: only the detail reads it.
const jobCols = `id, kind, target_table, mode, encoding, sheet, file_name, file_size, stored_name, datasource_id, datasource_name,
	source_table, watermark_column, watermark_after, status, rows_read, rows_loaded, rows_bad, bytes_read, bytes_total,
	encoding_used, ignored_json, error, created_by, queued_at, started_at, finished_at`

func scanJob(r db.Scanner, extra ...any) (*Job, error) {
	var j Job
	var ds sql.NullInt64
	var ignored string
	var started, finished sql.NullTime
	dest := []any{&j.ID, &j.Kind, &j.Table, &j.Mode, &j.Encoding, &j.Sheet, &j.FileName, &j.FileSize, &j.storedName, &ds, &j.DatasourceName,
		&j.SourceTable, &j.WatermarkColumn, &j.WatermarkAfter, &j.Status, &j.Read, &j.Loaded, &j.Bad, &j.Bytes, &j.TotalBytes,
		&j.EncodingUsed, &ignored, &j.Error, &j.CreatedBy, &j.QueuedAt, &started, &finished}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return nil, db.NotFound(err)
	}
	if ds.Valid {
		id := ds.Int64
		j.DatasourceID = &id
	}
	j.QueuedAt = j.QueuedAt.UTC()
	j.StartedAt, j.FinishedAt = utcPtr(started), utcPtr(finished)
	j.setDuration(time.Now())
	if err := json.Unmarshal([]byte(ignored), &j.Ignored); err != nil {
		return nil, err
	}
	if j.Ignored == nil {
		j.Ignored = []string{}
	}
	return &j, nil
}

func utcPtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	x := t.Time.UTC()
	return &x
}

// setDuration: started → finished, or → now while it runs.
func (j *Job) setDuration(now time.Time) {
	switch {
	case j.StartedAt == nil:
		j.DurationMS = 0
	case j.FinishedAt != nil:
		j.DurationMS = j.FinishedAt.Sub(*j.StartedAt).Milliseconds()
	default:
		j.DurationMS = now.Sub(*j.StartedAt).Milliseconds()
	}
}

func jsonText(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// Insert records a new (queued) job.
func (s *Store) Insert(ctx context.Context, j *Job) (err error) {
	ignored, err := jsonText(nonNil(j.Ignored))
	if err != nil {
		return err
	}
	j.ID, err = s.db.InsertID(ctx, `INSERT INTO wh_loads (kind, target_table, mode, encoding, sheet, file_name, file_size, stored_name, datasource_id,
		datasource_name, source_table, watermark_column, watermark_after, status, rows_read, rows_loaded, rows_bad, bytes_read, bytes_total,
		encoding_used, ignored_json, bad_rows_json, error, created_by, queued_at, started_at, finished_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, ?)`,
		j.Kind, j.Table, j.Mode, j.Encoding, j.Sheet, j.FileName, j.FileSize, j.storedName, j.DatasourceID,
		j.DatasourceName, j.SourceTable, j.WatermarkColumn, j.WatermarkAfter, j.Status, j.Read, j.Loaded, j.Bad, j.Bytes, j.TotalBytes,
		j.EncodingUsed, ignored, j.Error, j.CreatedBy, j.QueuedAt, j.StartedAt, j.FinishedAt)
	return err
}

// Save writes a job's state, counts, outcome and kept bad rows.
func (s *Store) Save(ctx context.Context, j *Job) error {
	ignored, err := jsonText(nonNil(j.Ignored))
	if err != nil {
		return err
	}
	bad := j.badRows
	if bad == nil {
		bad = []load.BadRow{}
	}
	badJSON, err := jsonText(bad)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(ctx, `UPDATE wh_loads SET status = ?, rows_read = ?, rows_loaded = ?, rows_bad = ?, bytes_read = ?, bytes_total = ?,
		encoding_used = ?, ignored_json = ?, bad_rows_json = ?, watermark_after = ?, error = ?, started_at = ?, finished_at = ? WHERE id = ?`,
		j.Status, j.Read, j.Loaded, j.Bad, j.Bytes, j.TotalBytes, j.EncodingUsed, ignored, badJSON, j.WatermarkAfter, j.Error,
		j.StartedAt, j.FinishedAt, j.ID)
	return err
}

// SaveProgress writes a running job's counters only.
func (s *Store) SaveProgress(ctx context.Context, id int64, p load.Progress) error {
	_, err := s.db.Exec(ctx, "UPDATE wh_loads SET rows_read = ?, rows_loaded = ?, rows_bad = ?, bytes_read = ?, bytes_total = ? WHERE id = ? AND status = ?",
		p.Read, p.Loaded, p.Bad, p.Bytes, p.TotalBytes, id, StatusRunning)
	return err
}

// Job fetches one job with its kept bad rows.
func (s *Store) Job(ctx context.Context, id int64) (*Job, error) {
	var bad string
	j, err := scanJob(s.db.QueryRow(ctx, "SELECT "+jobCols+", bad_rows_json FROM wh_loads WHERE id = ?", id), &bad)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(bad), &j.badRows); err != nil {
		return nil, err
	}
	return j, nil
}

// Jobs lists a page of jobs, newest first.
func (s *Store) Jobs(ctx context.Context, f Filter) ([]*Job, int, error) {
	var conds []string
	var args []any
	if f.Status != "" {
		conds, args = append(conds, "status = ?"), append(args, f.Status)
	}
	if f.Table != "" {
		conds, args = append(conds, "target_table = ?"), append(args, f.Table)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.db.QueryRow(ctx, "SELECT COUNT(*) FROM wh_loads"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 1 << 30
	}
	out, err := db.All(ctx, s.db, func(r db.Scanner) (*Job, error) { return scanJob(r) },
		"SELECT "+jobCols+" FROM wh_loads"+where+" ORDER BY id DESC LIMIT ? OFFSET ?", append(args, f.Limit, f.Offset)...)
	return out, total, err
}

// Interrupt marks jobs a stopped process left queued or running as failed.
func (s *Store) Interrupt(ctx context.Context) (int64, error) {
	res, err := s.db.Exec(ctx, "UPDATE wh_loads SET status = ?, error = ?, rows_loaded = 0, finished_at = ? WHERE status IN (?, ?)",
		StatusFailed, errInterrupted, db.Now(), StatusQueued, StatusRunning)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
