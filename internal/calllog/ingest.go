package calllog

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/db"
)

// Ingester moves journal records into gateway_calls.
type Ingester struct {
	db    *db.DB
	dir   string
	log   *slog.Logger
	batch int
}

// NewIngester reads the journal in dir into d.
func NewIngester(d *db.DB, dir string, log *slog.Logger) *Ingester {
	return &Ingester{db: d, dir: dir, log: log, batch: 500}
}

const posKey = "calllog_position" // "segment:offset"

func (in *Ingester) position(ctx context.Context) (seg int, off int64, err error) {
	var v string
	err = in.db.QueryRow(ctx, "SELECT value FROM settings WHERE key = ?", posKey).Scan(&v)
	if err = db.NotFound(err); err == db.ErrNotFound {
		return 0, 0, nil
	} else if err != nil {
		return 0, 0, err
	}
	a, b, _ := strings.Cut(v, ":")
	seg, _ = strconv.Atoi(a)
	off, _ = strconv.ParseInt(b, 10, 64)
	return seg, off, nil
}

// Run ingests every interval until ctx ends, then once more.
func (in *Ingester) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := in.Once(context.WithoutCancel(ctx)); err != nil {
			in.log.Error("call log ingest failed", "err", err)
		}
		select {
		case <-ctx.Done():
			if _, err := in.Once(context.WithoutCancel(ctx)); err != nil {
				in.log.Error("call log final ingest failed", "err", err)
			}
			return
		case <-t.C:
		}
	}
}

// Once ingests everything complete in the journal and returns how many
// records it stored. A segment fully read and followed by a newer one is removed.
func (in *Ingester) Once(ctx context.Context) (int, error) {
	segs, err := segments(in.dir)
	if err != nil {
		return 0, err
	}
	seg, off, err := in.position(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for i, s := range segs {
		if s < seg {
			continue
		}
		if s > seg {
			seg, off = s, 0
		}
		n, newOff, err := in.segment(ctx, s, off)
		total += n
		if err != nil {
			return total, err
		}
		off = newOff
		if i < len(segs)-1 { // a newer segment exists: this one is complete
			if err := os.Remove(segName(in.dir, s)); err != nil && !os.IsNotExist(err) {
				return total, err
			}
		}
	}
	return total, nil
}

// segment ingests segment s from off. It stops at the first incomplete line
// (a write in progress) and leaves it whole for the next round: the buffered
// reader has consumed its start, so reading on would split the line.
func (in *Ingester) segment(ctx context.Context, s int, off int64) (int, int64, error) {
	f, err := os.Open(segName(in.dir, s))
	if err != nil {
		return 0, off, err
	}
	defer f.Close()
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return 0, off, err
	}
	r := bufio.NewReaderSize(f, 1<<20)
	total := 0
	for {
		var recs []*Record
		pos := off
		eof := false
		for len(recs) < in.batch {
			line, err := r.ReadBytes('\n')
			if err == io.EOF {
				eof = true // nothing more, or a partial line: not consumed
				break
			}
			if err != nil {
				return total, off, err
			}
			pos += int64(len(line))
			var rec Record
			if err := json.Unmarshal(bytes.TrimSpace(line), &rec); err != nil {
				in.log.Error("call log: unreadable journal line skipped", "segment", s, "offset", pos-int64(len(line)))
				continue
			}
			recs = append(recs, &rec)
		}
		if pos > off {
			if err := in.store(ctx, recs, s, pos); err != nil {
				return total, off, err
			}
			total += len(recs)
			off = pos
		}
		if eof || pos == off && len(recs) == 0 {
			return total, off, nil
		}
	}
}

// rowsPerInsert bounds one multi-row INSERT (17 parameters a row, well
// under SQLite's and PostgreSQL's parameter limits).
const rowsPerInsert = 100

const insertHead = `INSERT INTO gateway_calls (call_id, at, consumer_id, consumer_code, key_id, api_code, method, path, client_ip,
	status, code, latency_us, bytes_in, bytes_out, records, subject_index, subject_sealed) VALUES `

func (in *Ingester) store(ctx context.Context, recs []*Record, seg int, pos int64) error {
	return in.db.WithTx(ctx, func(ctx context.Context) error {
		for len(recs) > 0 {
			n := min(len(recs), rowsPerInsert)
			var q strings.Builder
			q.WriteString(insertHead)
			args := make([]any, 0, n*17)
			for i, r := range recs[:n] {
				if i > 0 {
					q.WriteString(", ")
				}
				q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				args = append(args, r.CallID, r.At.UTC(), nullID(r.ConsumerID), r.ConsumerCode, r.KeyID, r.APICode, r.Method, r.Path, r.ClientIP,
					r.Status, r.Code, r.LatencyUS, r.BytesIn, r.BytesOut, r.Records, r.SubjectIndex, r.SubjectSealed)
			}
			// ON CONFLICT: a journal copied back by hand must not double rows.
			q.WriteString(" ON CONFLICT (call_id) DO NOTHING")
			if _, err := in.db.Exec(ctx, q.String(), args...); err != nil {
				return fmt.Errorf("calllog: insert: %w", err)
			}
			recs = recs[n:]
		}
		_, err := in.db.Exec(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
			posKey, fmt.Sprintf("%d:%d", seg, pos), db.Now())
		return err
	})
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
