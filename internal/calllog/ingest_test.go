package calllog

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
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
	in := NewIngester(d, filepath.Join(dir, "calls"), log)
	in.batch = 7 // small batches: many rounds meet a line being written
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
