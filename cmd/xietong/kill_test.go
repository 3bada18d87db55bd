package main

import (
	"context"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/db"
)

// TestKillUnderLoadLosesNoAnsweredCall: SIGKILL the process while calls are
// in flight; after a restart, every call that got an answer is in the call log.
func TestKillUnderLoadLosesNoAnsweredCall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	proc, console, gw := startBinary(t, bin, data)

	up := jsonUpstream(t)
	client := grantedClient(t, console, gw, up.URL)

	var mu sync.Mutex
	var answered []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100000; i++ {
				select {
				case <-stop:
					return
				default:
				}
				res, err := client.Do(context.Background(), "GET", "/gw/p", nil, nil)
				if err != nil {
					continue // no verified answer: the call may or may not be logged
				}
				if res.Status == 200 {
					mu.Lock()
					answered = append(answered, res.Header.Get("X-XT-Call-Id"))
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	if err := proc.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	proc.Wait()
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wg.Wait()
	if len(answered) < 100 {
		t.Fatalf("only %d calls answered before the kill: no load", len(answered))
	}

	// Restart: the journal is ingested; every answered call must be there.
	restarted, _, _ := startBinary(t, bin, data)
	d, err := db.Open(context.Background(), db.SQLite, filepath.Join(data, "xietong.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var missing []string
	for attempt := 0; attempt < 50; attempt++ {
		missing = missing[:0]
		for _, id := range answered {
			var n int
			if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM gateway_calls WHERE call_id = ?", id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				missing = append(missing, id)
			}
		}
		if len(missing) == 0 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	restarted.Process.Signal(syscall.SIGTERM)
	if len(missing) > 0 {
		t.Fatalf("%d of %d answered calls are missing from the call log after the kill, e.g. %v", len(missing), len(answered), missing[:min(3, len(missing))])
	}
	t.Logf("%d calls answered before SIGKILL; all %d in the call log after restart", len(answered), len(answered))
}
