package calllog

import (
	"context"
	"testing"

	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/testutil"
)

// migratedDB opens a fresh, migrated metadata database of dialect dl
// (closed when the test ends) and returns it with the test's data dir.
func migratedDB(t *testing.T, dl testutil.Dialect) (*db.DB, string) {
	t.Helper()
	cfg := testutil.Config(t, dl)
	d, err := db.Open(context.Background(), db.Dialect(cfg.DBDriver), cfg.DBDSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return d, cfg.DataDir
}
