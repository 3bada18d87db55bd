package calllog

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/xietong/xietong/internal/db"
)

// Stats are an API's call figures over a period: calls, failures (status
// 400 or more, refusals included), mean and 95th-percentile latency, and
// the same per calendar day in Asia/Shanghai.
type Stats struct {
	Calls    int64      `json:"calls"`
	Failures int64      `json:"failures"`
	AvgMS    float64    `json:"avg_ms"`
	P95MS    float64    `json:"p95_ms"`
	Days     []DayStats `json:"days"`
}

// DayStats are one day's figures.
type DayStats struct {
	Day      string  `json:"day"`
	Calls    int64   `json:"calls"`
	Failures int64   `json:"failures"`
	AvgMS    float64 `json:"avg_ms"`
}

var shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

// Reader answers questions about the call log for other features.
type Reader struct{ db *db.DB }

// NewReader returns a reader over d.
func NewReader(d *db.DB) *Reader { return &Reader{db: d} }

// APIStats computes an API's figures for the last days calendar days
// (today included), reading the call log by API code and time.
func (r *Reader) APIStats(ctx context.Context, apiCode string, days int, now time.Time) (Stats, error) {
	local := now.In(shanghai)
	first := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, shanghai).AddDate(0, 0, -(days - 1))
	out := Stats{Days: make([]DayStats, 0, days)}
	var sumUS float64
	for d := 0; d < days; d++ {
		from := first.AddDate(0, 0, d)
		to := from.AddDate(0, 0, 1)
		var ds DayStats
		var sum float64
		err := r.db.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), 0), COALESCE(SUM(latency_us), 0)
			FROM gateway_calls WHERE api_code = ? AND at >= ? AND at < ?`, apiCode, from.UTC(), to.UTC()).Scan(&ds.Calls, &ds.Failures, &sum)
		if err != nil {
			return out, err
		}
		ds.Day = from.Format("2006-01-02")
		if ds.Calls > 0 {
			ds.AvgMS = sum / float64(ds.Calls) / 1000
		}
		out.Days = append(out.Days, ds)
		out.Calls += ds.Calls
		out.Failures += ds.Failures
		sumUS += sum
	}
	if out.Calls == 0 {
		return out, nil
	}
	out.AvgMS = sumUS / float64(out.Calls) / 1000
	// The 95th percentile: the latency below which 95% of the calls fall.
	var p95 int64
	err := r.db.QueryRow(ctx, `SELECT latency_us FROM gateway_calls WHERE api_code = ? AND at >= ? ORDER BY latency_us LIMIT 1 OFFSET ?`,
		apiCode, first.UTC(), int64(float64(out.Calls-1)*0.95)).Scan(&p95)
	if errors.Is(err, sql.ErrNoRows) {
		return out, nil // rows went away between the two reads
	}
	if err != nil {
		return out, err
	}
	out.P95MS = float64(p95) / 1000
	return out, nil
}

// CallsByAPI counts calls per API code since a time (the portal's "most used").
func (r *Reader) CallsByAPI(ctx context.Context, since time.Time) (map[string]int64, error) {
	rows, err := r.db.Query(ctx, "SELECT api_code, COUNT(*) FROM gateway_calls WHERE at >= ? AND api_code <> '' GROUP BY api_code", since.UTC())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var code string
		var n int64
		if err := rows.Scan(&code, &n); err != nil {
			return nil, err
		}
		out[code] = n
	}
	return out, rows.Err()
}
