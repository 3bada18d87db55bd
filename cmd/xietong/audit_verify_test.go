package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xietong/xietong/internal/app"
	"github.com/xietong/xietong/internal/testutil"
)

func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRoot()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

// TestAuditVerifyNamesTheTamperedRow: `xietong audit verify` passes on an
// untouched log, names the row edited by hand in the database, and names
// the row deleted by hand.
func TestAuditVerifyNamesTheTamperedRow(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		cfg := testutil.Config(t, d)
		a, err := app.New(context.Background(), cfg, testutil.Logger(), nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []string{"sysadmin", "secadmin", "auditadmin", "sysadmin"} {
			if err := a.IAM.OperatorUnlock(context.Background(), u); err != nil {
				t.Fatal(err)
			}
		}
		a.Close()
		t.Setenv("XIETONG_DB_DRIVER", cfg.DBDriver)
		if d.Name == "postgres" {
			t.Setenv("XIETONG_DB_DSN", cfg.DBDSN)
		}

		out, err := run(t, "audit", "verify", "--data-dir", cfg.DataDir)
		if err != nil || !strings.Contains(out, "audit log OK: 8 rows verified") {
			t.Fatalf("untouched log: %v\n%s", err, out)
		}

		a, err = app.New(context.Background(), cfg, testutil.Logger(), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		ctx := context.Background()
		if _, err := a.DB.Exec(ctx, "UPDATE audit_log SET target_id = 'nobody' WHERE seq = 6"); err != nil {
			t.Fatal(err)
		}
		out, err = run(t, "audit", "verify", "--data-dir", cfg.DataDir)
		if err == nil || !strings.Contains(out, "BROKEN at row 6") || !strings.Contains(out, "altered") {
			t.Fatalf("edited row 6: %v\n%s", err, out)
		}

		// Put row 6 back (verify passes again), then remove row 7.
		if _, err := a.DB.Exec(ctx, "UPDATE audit_log SET target_id = 'secadmin' WHERE seq = 6"); err != nil {
			t.Fatal(err)
		}
		if out, err := run(t, "audit", "verify", "--data-dir", cfg.DataDir); err != nil {
			t.Fatalf("restored row 6: %v\n%s", err, out)
		}
		if _, err := a.DB.Exec(ctx, "DELETE FROM audit_log WHERE seq = 7"); err != nil {
			t.Fatal(err)
		}
		out, err = run(t, "audit", "verify", "--data-dir", cfg.DataDir)
		if err == nil || !strings.Contains(out, "BROKEN at row 7") || !strings.Contains(out, "removed") {
			t.Fatalf("deleted row 7: %v\n%s", err, out)
		}
	})
}
