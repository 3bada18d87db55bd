package app

import (
	"context"
	"time"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/calllog"
)

// pruneEvery is how often serve applies calllog_retention_days.
const pruneEvery = time.Hour

// keepCallLog applies the call log's retention at start and then hourly
// until ctx ends; nothing when calllog_retention_days is 0.
func (a *App) keepCallLog(ctx context.Context) {
	if a.Config.CallLogRetention == 0 {
		return
	}
	t := time.NewTicker(pruneEvery)
	defer t.Stop()
	for {
		if n, err := a.PruneCallLog(ctx, time.Now()); err != nil {
			if ctx.Err() == nil {
				a.log.Error("call log retention failed", "err", err, "deleted", n)
			}
		} else if n > 0 {
			a.log.Info("call log retention: old calls deleted", "count", n, "retention_days", a.Config.CallLogRetention)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// PruneCallLog deletes the calls older than calllog_retention_days before
// now. Removing audit data is itself audited, as the system: an event
// before the first row goes (which rows are going: all before the
// cutoff), so that even a run cut short is on record, and one after with
// how many went. A run with nothing to delete records nothing.
func (a *App) PruneCallLog(ctx context.Context, now time.Time) (int64, error) {
	days := a.Config.CallLogRetention
	if days == 0 {
		return 0, nil
	}
	cutoff := now.UTC().AddDate(0, 0, -days)
	found, err := calllog.HasBefore(ctx, a.DB, cutoff)
	if err != nil || !found {
		return 0, err
	}
	ctx = audit.WithActor(ctx, audit.Actor{Name: "system"})
	what := map[string]any{"retention_days": days, "before": cutoff.Format(time.RFC3339)}
	if err := a.Audit.Record(ctx, audit.Event{Action: "calllog.prune_start", TargetType: "gateway_calls", Detail: audit.JSON(what)}); err != nil {
		return 0, err
	}
	n, err := calllog.Prune(ctx, a.DB, cutoff)
	what["deleted"] = n
	done := audit.Event{Action: "calllog.prune", TargetType: "gateway_calls", Result: audit.ResultOK}
	if err != nil {
		done.Result = audit.ResultFailed
		what["error"] = err.Error()
	}
	done.Detail = audit.JSON(what)
	if aerr := a.Audit.Record(context.WithoutCancel(ctx), done); aerr != nil && err == nil {
		err = aerr
	}
	return n, err
}
