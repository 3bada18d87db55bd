package calllog

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/testutil"
)

// TestIngestFailureLeavesNothingOpen: a round whose INSERT fails stores
// nothing, leaves no transaction open on any connection of the pool (the
// ingester runs its own BEGIN and COMMIT on a connection it keeps), and
// the next round, once the cause is gone, stores every record once.
func TestIngestFailureLeavesNothingOpen(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, dl testutil.Dialect) {
		ctx := context.Background()
		d, dataDir := migratedDB(t, dl)
		// The failure: a row the database refuses.
		refuse := `CREATE TRIGGER no_boom BEFORE INSERT ON gateway_calls WHEN NEW.path = '/boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`
		allow := `DROP TRIGGER no_boom`
		if dl.Name == "postgres" {
			refuse = `ALTER TABLE gateway_calls ADD CONSTRAINT no_boom CHECK (path <> '/boom')`
			allow = `ALTER TABLE gateway_calls DROP CONSTRAINT no_boom`
		}
		if _, err := d.Exec(ctx, refuse); err != nil {
			t.Fatal(err)
		}
		calls := filepath.Join(dataDir, "calls")
		j, err := OpenJournal(calls)
		if err != nil {
			t.Fatal(err)
		}
		defer j.Close()
		for i, p := range []string{"/gw/a", "/boom", "/gw/c"} {
			r := &Record{CallID: NewCallID(time.Now()) + string(rune('a'+i)), At: time.Now().UTC(), Method: "GET", Path: p, ClientIP: "127.0.0.1", Status: 200}
			if err := j.Append(r); err != nil {
				t.Fatal(err)
			}
		}
		in := NewIngester(d, calls, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if n, err := in.Once(ctx); err == nil {
			t.Fatalf("the round stored %d records despite the refused row", n)
		}
		count := func() (n int) {
			t.Helper()
			if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM gateway_calls").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count(); n != 0 {
			t.Fatalf("the failed round left %d rows", n)
		}
		// Nothing holds a transaction: other writers get through at once.
		wctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		for i := 0; i < 10; i++ {
			if err := d.WithTx(wctx, func(ctx context.Context) error {
				_, err := d.Exec(ctx, "UPDATE settings SET updated_at = updated_at WHERE key = 'none'")
				return err
			}); err != nil {
				t.Fatalf("a write after the failed round: %v", err)
			}
		}
		if dl.Name == "postgres" {
			// pgx itself drops a pooled connection still in a transaction, so
			// here the check is on the one the ingester keeps. Only an
			// ingester's failed INSERT: other packages' tests share the
			// database, and any transaction of theirs is briefly idle.
			var open int
			if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()
				AND state LIKE 'idle in transaction%' AND query LIKE 'INSERT INTO gateway_calls%'`).Scan(&open); err != nil {
				t.Fatal(err)
			}
			if open != 0 {
				t.Fatalf("%d connections left in the ingester's transaction", open)
			}
		}
		if _, err := d.Exec(ctx, allow); err != nil {
			t.Fatal(err)
		}
		if n, err := in.Once(ctx); err != nil || n != 3 {
			t.Fatalf("after the cause went: %d records, %v", n, err)
		}
		if n, err := in.Once(ctx); err != nil || n != 0 {
			t.Fatalf("a round with nothing new: %d, %v", n, err)
		}
		if n := count(); n != 3 {
			t.Fatalf("%d rows, want 3", n)
		}
	})
}
