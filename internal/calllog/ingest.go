package calllog

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xietong/xietong/internal/db"
)

// Ingester moves journal records into gateway_calls. It keeps the current
// segment open, its read buffer, its decoded records, a connection of its
// own and the statements prepared on it from round to round, so a round
// costs little more than the rows it inserts; the committed position is
// read from the database once and again after any error.
//
// The connection is its own because SQLite's page cache belongs to a
// connection: taking whichever connection of the pool is free, each round
// found a cache that another connection's commits had made stale, and read
// the edge pages of every index back from the WAL (a fifth of its time in
// pread, BenchmarkIngest). On its own connection, with a larger cache, the
// pages a round touches are already in memory unless someone else wrote.
type Ingester struct {
	db    *db.DB
	dir   string
	log   *slog.Logger
	batch int     // records per transaction
	pace  float64 // after each statement, sleep pace × its duration (0: only yield)

	mu      sync.Mutex // one round at a time
	known   bool       // seg and off are the committed position
	seg     int
	off     int64
	file    *os.File // segment fileSeg, open for reading
	fileSeg int
	buf     []byte
	recs    []Record
	args    []any
	strs    interner
	conn    *sql.Conn
	inserts [insertSizes]*sql.Stmt // on conn: INSERT of 1, 2, 4, … rowsPerInsert rows
	setPos  *sql.Stmt
}

// ingestCacheKiB is the page cache of the ingester's connection: room for
// the interior and edge pages of gateway_calls and its indexes at any size.
const ingestCacheKiB = 64 << 10

// NewIngester reads the journal in dir into d, up to 1,024 records per
// transaction.
func NewIngester(d *db.DB, dir string, log *slog.Logger) *Ingester {
	return &Ingester{db: d, dir: dir, log: log, batch: 1024}
}

// WithPace makes the ingester rest after each INSERT for pace times as
// long as the statement took, so that it takes at most 1/(1+pace) of a
// core at any moment. In the serving process a round's statements run
// back to back for milliseconds on one of the (two) cores the calls need,
// and the calls queue behind them: the gateway's latency tail peaked at a
// fixed phase of the ingester's timer (docs/benchmarks.md). Paced, the
// same work is spread over the interval; its transaction, and the SQLite
// write lock other writers wait for, lasts 1+pace times as long (a few
// milliseconds a round).
func (in *Ingester) WithPace(pace float64) *Ingester {
	in.pace = max(pace, 0)
	return in
}

// WithBatch sets the most records per transaction (before the first
// round). Larger transactions cost less per record (fewer commits, each
// index page written once for more rows) but hold the write lock longer:
// worth it where nothing waits on the ingester's bursts.
func (in *Ingester) WithBatch(n int) *Ingester {
	in.batch = max(n, 1)
	return in
}

const posKey = "calllog_position" // "segment:offset"

// connect takes the ingester's connection from the pool, once.
func (in *Ingester) connect(ctx context.Context) error {
	if in.conn != nil {
		return nil
	}
	c, err := in.db.Raw().Conn(ctx)
	if err != nil {
		return fmt.Errorf("calllog: connect: %w", err)
	}
	if in.db.Dialect == db.SQLite {
		// Per connection: the pool's others keep SQLite's defaults. In
		// memory, the statement journal that each multi-row INSERT keeps
		// (to undo itself alone) costs no writes to a temporary file.
		for _, p := range []string{"PRAGMA cache_size = -" + strconv.Itoa(ingestCacheKiB), "PRAGMA temp_store = MEMORY"} {
			if _, err := c.ExecContext(ctx, p); err != nil {
				c.Close()
				return fmt.Errorf("calllog: connect: %w", err)
			}
		}
	}
	in.conn = c
	return nil
}

// disconnect gives the connection back and forgets what was prepared on
// it; after a failure it is discarded instead, so that a transaction left
// open on it never reaches the pool.
func (in *Ingester) disconnect(failed bool) {
	if in.conn == nil {
		return
	}
	for i, st := range in.inserts {
		if st != nil {
			st.Close()
			in.inserts[i] = nil
		}
	}
	if in.setPos != nil {
		in.setPos.Close()
		in.setPos = nil
	}
	if failed {
		_ = in.conn.Raw(func(any) error { return driver.ErrBadConn }) // the pool closes it
	}
	in.conn.Close()
	in.conn = nil
}

func (in *Ingester) position(ctx context.Context) (seg int, off int64, err error) {
	var v string
	err = in.conn.QueryRowContext(ctx, in.db.Rebind("SELECT value FROM settings WHERE key = ?"), posKey).Scan(&v)
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
			in.Close()
			return
		case <-t.C:
		}
	}
}

// Close closes the segment and gives back the connection; a later Once
// reopens, reconnects and rereads the committed position.
func (in *Ingester) Close() {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.closeFile()
	in.disconnect(false)
	in.known = false
}

// Once ingests everything complete in the journal and returns how many
// records it stored. A segment fully read and followed by a newer one is removed.
func (in *Ingester) Once(ctx context.Context) (int, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	n, err := in.once(ctx)
	if err != nil {
		// Whatever happened, the next round starts again from the committed
		// position, on a fresh connection.
		in.known = false
		in.closeFile()
		in.disconnect(true)
	}
	return n, err
}

func (in *Ingester) once(ctx context.Context) (int, error) {
	segs, err := segments(in.dir)
	if err != nil {
		return 0, err
	}
	if err := in.connect(ctx); err != nil {
		return 0, err
	}
	if !in.known {
		if in.seg, in.off, err = in.position(ctx); err != nil {
			return 0, err
		}
		in.known = true
	}
	total := 0
	for i, s := range segs {
		if s < in.seg {
			continue
		}
		if s > in.seg {
			in.seg, in.off = s, 0
		}
		n, err := in.segment(ctx, s)
		total += n
		if err != nil {
			return total, err
		}
		if i < len(segs)-1 { // a newer segment exists: this one is complete
			in.closeFile()
			if err := os.Remove(segName(in.dir, s)); err != nil && !os.IsNotExist(err) {
				return total, err
			}
		}
	}
	return total, nil
}

func (in *Ingester) closeFile() {
	if in.file != nil {
		in.file.Close()
		in.file = nil
	}
}

// readBuffer is the initial size of the read buffer (≈ 1,000 records); it
// grows for a line longer than itself.
const readBuffer = 256 << 10

// segment ingests segment s from in.off, in.batch records per transaction.
// It reads only complete lines: the first incomplete one (a write in
// progress) is left whole for the next round.
func (in *Ingester) segment(ctx context.Context, s int) (int, error) {
	if in.file == nil || in.fileSeg != s {
		in.closeFile()
		f, err := os.Open(segName(in.dir, s))
		if err != nil {
			return 0, err
		}
		in.file, in.fileSeg = f, s
	}
	if in.buf == nil {
		in.buf = make([]byte, readBuffer)
	}
	if len(in.recs) < in.batch {
		in.recs = make([]Record, in.batch)
	}
	total, nrec := 0, 0
	end := in.off // just after the last line taken into in.recs[:nrec]
	for {
		n, err := in.file.ReadAt(in.buf, end)
		if err != nil && err != io.EOF {
			return total, err
		}
		data := in.buf[:n]
		last := bytes.LastIndexByte(data, '\n')
		if last < 0 {
			if n == len(in.buf) { // one line longer than the buffer
				in.buf = make([]byte, 2*len(in.buf))
				continue
			}
			break
		}
		for p := 0; p <= last; {
			i := bytes.IndexByte(data[p:], '\n')
			line := data[p : p+i]
			lineAt := end
			p += i + 1
			end += int64(i + 1)
			if err := decodeRecord(bytes.TrimSpace(line), &in.recs[nrec], &in.strs); err != nil {
				in.log.Error("call log: unreadable journal line skipped", "segment", s, "offset", lineAt)
				continue
			}
			if nrec++; nrec == in.batch {
				if err := in.store(ctx, in.recs[:nrec], s, end); err != nil {
					return total, err
				}
				total, nrec, in.off = total+nrec, 0, end
			}
		}
		if n < len(in.buf) { // read up to the end of the file
			break
		}
	}
	if end > in.off {
		if err := in.store(ctx, in.recs[:nrec], s, end); err != nil {
			return total, err
		}
		total, in.off = total+nrec, end
	}
	return total, nil
}

// rowsPerInsert bounds one multi-row INSERT (17 parameters a row, well
// under SQLite's and PostgreSQL's parameter limits). A batch is inserted
// with statements of rowsPerInsert, then of the powers of two below it for
// the rest, each prepared once.
const (
	rowsPerInsert = 1 << (insertSizes - 1)
	insertSizes   = 7
)

const insertHead = `INSERT INTO gateway_calls (call_id, at, consumer_id, consumer_code, key_id, api_code, method, path, client_ip,
	status, code, latency_us, bytes_in, bytes_out, records, subject_index, subject_sealed) VALUES `

// insertStmt is the prepared INSERT of 1<<k rows.
func (in *Ingester) insertStmt(ctx context.Context, k int) (*sql.Stmt, error) {
	if st := in.inserts[k]; st != nil {
		return st, nil
	}
	var q strings.Builder
	q.WriteString(insertHead)
	for i := range 1 << k {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
	}
	// ON CONFLICT: a journal copied back by hand must not double rows.
	q.WriteString(" ON CONFLICT (call_id) DO NOTHING")
	st, err := in.conn.PrepareContext(ctx, in.db.Rebind(q.String()))
	if err != nil {
		return nil, fmt.Errorf("calllog: prepare insert: %w", err)
	}
	in.inserts[k] = st
	return st, nil
}

// store inserts recs and commits the position after them in one
// transaction on the ingester's connection. BEGIN and COMMIT are plain
// statements there rather than a *sql.Tx, which would prepare every
// statement again on each transaction.
func (in *Ingester) store(ctx context.Context, recs []Record, seg int, pos int64) (err error) {
	if in.setPos == nil {
		if in.setPos, err = in.conn.PrepareContext(ctx, in.db.Rebind(
			"INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")); err != nil {
			return fmt.Errorf("calllog: prepare position: %w", err)
		}
	}
	begin := "BEGIN"
	if in.db.Dialect == db.SQLite {
		begin = "BEGIN IMMEDIATE" // take the write lock now, as the pool's transactions do
	}
	if _, err = in.conn.ExecContext(ctx, begin); err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	defer func() {
		if err != nil {
			_, _ = in.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	for len(recs) > 0 {
		k := insertSizes - 1
		for 1<<k > len(recs) {
			k--
		}
		n := 1 << k
		st, err := in.insertStmt(ctx, k)
		if err != nil {
			return err
		}
		args := in.args[:0]
		for i := range recs[:n] {
			r := &recs[i]
			args = append(args, r.CallID, r.At.UTC(), nullID(r.ConsumerID), r.ConsumerCode, r.KeyID, r.APICode, r.Method, r.Path, r.ClientIP,
				r.Status, r.Code, r.LatencyUS, r.BytesIn, r.BytesOut, r.Records, r.SubjectIndex, r.SubjectSealed)
		}
		in.args = args
		began := time.Now()
		_, err = st.ExecContext(ctx, args...)
		clear(args) // the records' strings and bytes stay reachable otherwise
		if err != nil {
			return fmt.Errorf("calllog: insert: %w", err)
		}
		in.rest(time.Since(began))
		recs = recs[n:]
	}
	if _, err = in.setPos.ExecContext(ctx, posKey, strconv.Itoa(seg)+":"+strconv.FormatInt(pos, 10), db.Now()); err != nil {
		return err
	}
	if _, err = in.conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	return nil
}

// rest lets the calls have the core after a statement that took d: a
// paced rest, or at least a yield to the goroutines waiting.
func (in *Ingester) rest(d time.Duration) {
	if r := time.Duration(float64(d) * in.pace); r >= 200*time.Microsecond { // shorter sleeps cost more than they spread
		time.Sleep(r)
		return
	}
	runtime.Gosched()
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
