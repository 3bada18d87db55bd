package calllog

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/db"
)

// TestIngestWhileWriting: a writer appends records while the ingester runs
// repeatedly; every record arrives exactly once and no line is ever read
// split (the ingester must not read past a line still being written).
func TestIngestWhileWriting(t *testing.T) {
	dir := t.TempDir()
	d, err := db.Open(context.Background(), db.SQLite, filepath.Join(dir, "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	j, err := OpenJournal(filepath.Join(dir, "calls"))
	if err != nil {
		t.Fatal(err)
	}
	var unreadable atomic.Int32
	log := slog.New(countingHandler{slog.NewTextHandler(io.Discard, nil), &unreadable})
	in := NewIngester(d, filepath.Join(dir, "calls"), log).WithPace(0.5) // paced, as serve runs it
	in.batch = 7                                                         // small batches: many rounds meet a line being written
	const n = 50000
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := in.Once(context.Background()); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := 0; i < n; i++ {
		r := &Record{CallID: fmt.Sprintf("c%06d", i), At: time.Now().UTC(), Method: "GET", Path: "/gw/p", ClientIP: "127.0.0.1", Status: 200,
			SubjectIndex: "abcdef", SubjectSealed: make([]byte, 40)}
		if err := j.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if _, err := in.Once(context.Background()); err != nil {
		t.Fatal(err)
	}
	var count, distinct int
	d.QueryRow(context.Background(), "SELECT COUNT(*), COUNT(DISTINCT call_id) FROM gateway_calls").Scan(&count, &distinct)
	if count != n || distinct != n || unreadable.Load() != 0 {
		t.Fatalf("%d rows (%d distinct) of %d; %d unreadable lines", count, distinct, n, unreadable.Load())
	}
}

type countingHandler struct {
	slog.Handler
	n *atomic.Int32
}

func (h countingHandler) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		h.n.Add(1)
	}
	return h.Handler.Handle(ctx, r)
}

// TestIngestSegmentsAndOldLines: lines as encoding/json wrote them, an
// unreadable line, a line longer than the read buffer, a partial last line,
// two segments (the older removed once read), and a second ingester taking
// over from the committed position: every record exactly once.
func TestIngestSegmentsAndOldLines(t *testing.T) {
	dir := t.TempDir()
	d, err := db.Open(context.Background(), db.SQLite, filepath.Join(dir, "x.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	calls := filepath.Join(dir, "calls")
	os.MkdirAll(calls, 0o700)
	rec := func(id, path string) *Record {
		return &Record{CallID: id, At: time.Date(2026, 11, 23, 8, 0, 0, 1000, time.UTC), ConsumerID: 3, ConsumerCode: "bank", Method: "GET",
			Path: path, ClientIP: "10.0.0.1", Status: 200, LatencyUS: 77, SubjectIndex: "ix", SubjectSealed: []byte{1, 2, 3}}
	}
	var seg1 []byte
	old, _ := json.Marshal(rec("old-1", "/gw/<&>")) // encoding/json's form: other escapes
	seg1 = append(append(seg1, old...), '\n')
	seg1 = append(seg1, "{not json\n"...)
	seg1 = append(append(seg1, appendRecord(nil, rec("new-1", "/gw/p"))...), '\n')
	seg1 = append(append(seg1, appendRecord(nil, rec("long-1", "/gw/"+strings.Repeat("x", 300<<10)))...), '\n')
	if err := os.WriteFile(segName(calls, 1), seg1, 0o600); err != nil {
		t.Fatal(err)
	}
	var unreadable atomic.Int32
	log := slog.New(countingHandler{slog.NewTextHandler(io.Discard, nil), &unreadable})
	in := NewIngester(d, calls, log)
	in.batch = 2
	if n, err := in.Once(context.Background()); err != nil || n != 3 || unreadable.Load() != 1 {
		t.Fatalf("first round: %d, %v, %d unreadable", n, err, unreadable.Load())
	}
	// The second segment appears with a partial line; the first is removed.
	seg2 := append(appendRecord(nil, rec("new-2", "/gw/q")), '\n')
	partial := appendRecord(nil, rec("new-3", "/gw/r"))
	os.WriteFile(segName(calls, 2), append(append([]byte{}, seg2...), partial[:20]...), 0o600)
	if n, err := in.Once(context.Background()); err != nil || n != 1 {
		t.Fatalf("second round: %d, %v", n, err)
	}
	if _, err := os.Stat(segName(calls, 1)); !os.IsNotExist(err) {
		t.Fatalf("segment 1 not removed: %v", err)
	}
	// The line is completed; a new ingester (a restart) takes over.
	f, _ := os.OpenFile(segName(calls, 2), os.O_WRONLY|os.O_APPEND, 0)
	f.Write(append(partial[20:], '\n'))
	f.Close()
	in2 := NewIngester(d, calls, log)
	if n, err := in2.Once(context.Background()); err != nil || n != 1 {
		t.Fatalf("after restart: %d, %v", n, err)
	}
	if n, err := in2.Once(context.Background()); err != nil || n != 0 {
		t.Fatalf("nothing new: %d, %v", n, err)
	}
	rows, err := d.Query(context.Background(), "SELECT call_id, path, consumer_id, latency_us, subject_sealed FROM gateway_calls ORDER BY call_id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var id, path string
		var cid, lat int64
		var sealed []byte
		rows.Scan(&id, &path, &cid, &lat, &sealed)
		if cid != 3 || lat != 77 || string(sealed) != "\x01\x02\x03" {
			t.Errorf("%s: consumer %d, latency %d, sealed %x", id, cid, lat, sealed)
		}
		got = append(got, id+" "+path[:min(len(path), 8)])
	}
	if want := "long-1 /gw/xxxx|new-1 /gw/p|new-2 /gw/q|new-3 /gw/r|old-1 /gw/<&>"; strings.Join(got, "|") != want {
		t.Fatalf("rows %q, want %q", strings.Join(got, "|"), want)
	}
}
