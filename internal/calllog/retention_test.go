package calllog

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/testutil"
)

// TestPrune: the calls before the cutoff go, in whole batches, oldest
// first; the rest stay; a cancelled prune stops between batches.
func TestPrune(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, dl testutil.Dialect) {
		ctx := context.Background()
		d, dataDir := migratedDB(t, dl)
		// Eleven calls a day apart, through the journal as the gateway
		// records them; two made at the same instant on the oldest day.
		calls := filepath.Join(dataDir, "calls")
		j, err := OpenJournal(calls)
		if err != nil {
			t.Fatal(err)
		}
		defer j.Close()
		day0 := time.Date(2026, 1, 1, 9, 30, 0, 0, time.UTC)
		for i := 0; i < 11; i++ {
			at := day0.AddDate(0, 0, max(i-1, 0))
			if err := j.Append(&Record{CallID: fmt.Sprintf("c%02d", i), At: at, Method: "GET", Path: "/gw/p", ClientIP: "10.0.0.1", Status: 200}); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := NewIngester(d, calls, slog.New(slog.NewTextHandler(io.Discard, nil))).Once(ctx); err != nil || n != 11 {
			t.Fatalf("ingested %d, %v", n, err)
		}
		left := func() string {
			t.Helper()
			rows, err := d.Query(ctx, "SELECT call_id FROM gateway_calls ORDER BY call_id")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var ids []string
			for rows.Next() {
				var id string
				rows.Scan(&id)
				ids = append(ids, id)
			}
			return strings.Join(ids, " ")
		}
		cutoff := day0.AddDate(0, 0, 4) // c00–c04 are older
		if ok, err := HasBefore(ctx, d, day0); err != nil || ok {
			t.Fatalf("HasBefore(the first call's time) = %v, %v", ok, err)
		}
		if ok, err := HasBefore(ctx, d, cutoff); err != nil || !ok {
			t.Fatalf("HasBefore(cutoff) = %v, %v", ok, err)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if n, err := prune(cancelled, d, cutoff, 2); err == nil || n != 0 {
			t.Fatalf("a cancelled prune: %d, %v", n, err)
		}
		if n, err := prune(ctx, d, cutoff, 2); err != nil || n != 5 {
			t.Fatalf("pruned %d, %v; want 5", n, err)
		}
		if got, want := left(), "c05 c06 c07 c08 c09 c10"; got != want {
			t.Fatalf("left %q, want %q", got, want)
		}
		if n, err := Prune(ctx, d, cutoff); err != nil || n != 0 {
			t.Fatalf("pruned again: %d, %v", n, err)
		}
		if ok, _ := HasBefore(ctx, d, cutoff); ok {
			t.Fatal("HasBefore after pruning")
		}
	})
}
