package app_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/config"
	"github.com/xietong/xietong/internal/testutil"
)

// TestCallLogRetention: with calllog_retention_days set, the calls older
// than that go, the rest stay, and the audit admin finds the removal in
// the audit log as the system's, with how many went; a run with nothing
// to remove records nothing.
func TestCallLogRetention(t *testing.T) {
	testutil.ForEachDialect(t, func(t *testing.T, d testutil.Dialect) {
		s := newTestServer(t, d, func(c *config.Config) { c.CallLogRetention = 180 })
		ctx := context.Background()
		now := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC)
		for i, age := range []int{400, 181, 179, 1} { // days
			if _, err := s.App.DB.Exec(ctx, "INSERT INTO gateway_calls (call_id, at, method, path, status) VALUES (?, ?, 'GET', '/gw/p', 200)",
				string(rune('a'+i)), now.AddDate(0, 0, -age)); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.App.PruneCallLog(ctx, now); err != nil || n != 2 {
			t.Fatalf("pruned %d, %v; want the 2 calls older than 180 days", n, err)
		}
		var left int
		s.App.DB.QueryRow(ctx, "SELECT COUNT(*) FROM gateway_calls").Scan(&left)
		if left != 2 {
			t.Fatalf("%d calls left, want 2", left)
		}
		if n, err := s.App.PruneCallLog(ctx, now); err != nil || n != 0 {
			t.Fatalf("second run: %d, %v", n, err)
		}

		aud := s.Admin(t, "auditadmin")
		var ret struct {
			RetentionDays *int `json:"retention_days"`
		}
		aud.Do("GET", "/api/v1/gateway/calls/retention", nil).Want(t, 200, "").JSON(t, &ret)
		if ret.RetentionDays == nil || *ret.RetentionDays != 180 {
			t.Fatalf("the console is told retention %v, want 180", ret.RetentionDays)
		}
		s.Admin(t, "secadmin").Do("GET", "/api/v1/gateway/calls/retention", nil).Want(t, 403, "forbidden") // the call log is the audit admin's
		var l struct {
			Total int
			Items []struct {
				Action    string
				ActorName string `json:"actor_name"`
				Result    string
				Detail    string
			}
		}
		aud.Do("GET", "/api/v1/audit/events?action=calllog.", nil).Want(t, 200, "").JSON(t, &l)
		if l.Total != 2 || l.Items[0].Action != "calllog.prune" || l.Items[1].Action != "calllog.prune_start" {
			t.Fatalf("audit events %+v, want calllog.prune_start then calllog.prune, once", l.Items)
		}
		var detail struct {
			RetentionDays int    `json:"retention_days"`
			Before        string `json:"before"`
			Deleted       int    `json:"deleted"`
		}
		if err := json.Unmarshal([]byte(l.Items[0].Detail), &detail); err != nil {
			t.Fatal(err)
		}
		if l.Items[0].ActorName != "system" || l.Items[0].Result != "ok" || detail.Deleted != 2 || detail.RetentionDays != 180 ||
			detail.Before != now.AddDate(0, 0, -180).Format(time.RFC3339) {
			t.Fatalf("audit event %+v, detail %+v", l.Items[0], detail)
		}
	})
}
