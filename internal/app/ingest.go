package app

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/xietong/xietong/internal/calllog"
	"github.com/xietong/xietong/internal/config"
	"github.com/xietong/xietong/internal/db"
)

// The call-log ingester moves the gateway's journal into gateway_calls
// (internal/calllog). The gateway appends each call to the journal before
// answering, so the journal is the durable audit record and ingesting it is
// indexing work that may lag a moment behind. By default it runs in the
// serving process; calllog_ingest=process runs it as a child process
// (`xietong ingest-calls`) at the lowest CPU priority, isolated from the
// calls' Go runtime (Go cannot give one goroutine a lower priority than
// another; the kernel can give a process one). docs/decisions.md has the
// measurements that left the default inline.

// Intervals between ingest rounds. A round has a fixed cost (at each
// commit every index's edge pages go to the WAL), so longer rounds cost
// less per record: in process, 200-ms rounds took half the time per record
// of 50-ms ones (calllog's BenchmarkIngest) and the gateway's maximum rose
// by about a sixth (docs/benchmarks.md); pacing keeps the longer rounds
// from delaying calls. The child goes further: 500-ms rounds and larger
// transactions.
const (
	ingestEveryInline = 200 * time.Millisecond
	ingestEveryChild  = 500 * time.Millisecond
	ingestBatchChild  = 8192
	// In process, the ingester rests twice as long as each statement took:
	// at most a third of a core at any moment (calllog.Ingester.WithPace).
	ingestPaceInline = 2
)

// callDir is the call journal's folder in the data dir.
func callDir(dataDir string) string { return filepath.Join(dataDir, "calls") }

// runIngester ingests until ctx ends, then once more; in a child process
// when configured and supported, else in this process.
func (a *App) runIngester(ctx context.Context) {
	if a.Config.CallLogIngest == "process" && len(a.IngestCommand) > 0 && childIngestSupported {
		a.superviseIngester(ctx)
		return
	}
	release, err := calllog.LockIngest(ctx, callDir(a.Config.DataDir))
	if err != nil {
		if ctx.Err() == nil {
			a.log.Error("call log: ingest lock", "err", err)
		}
		return
	}
	defer release()
	a.Ingester.Run(ctx, ingestEveryInline)
}

// superviseIngester keeps the ingester child running until ctx ends, then
// stops it (it ingests what is left before exiting). A child that dies is
// started again after a growing pause.
func (a *App) superviseIngester(ctx context.Context) {
	pause := time.Second
	for {
		started := time.Now()
		err := a.runIngestChild(ctx)
		if ctx.Err() != nil {
			if err != nil {
				a.log.Error("call log: ingester process at shutdown", "err", err)
			}
			return
		}
		a.log.Error("call log: the ingester process stopped; starting it again", "err", err, "after", pause)
		if time.Since(started) > time.Minute {
			pause = time.Second
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, 30*time.Second)
	}
}

// IngestCalls is the work of `xietong ingest-calls`, the child process
// that serve starts: it takes the journal's ingest lock (waiting for a
// previous ingester to finish), then ingests until ctx ends or its parent
// is gone, then once more.
func IngestCalls(ctx context.Context, cfg *config.Config, log *slog.Logger) error {
	d, err := db.Open(ctx, db.Dialect(cfg.DBDriver), cfg.DBDSN)
	if err != nil {
		return err
	}
	defer d.Close()
	dir := callDir(cfg.DataDir)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go cancelWhenOrphaned(ctx, cancel)
	release, err := calllog.LockIngest(ctx, dir)
	if err != nil {
		return err // "calllog: ingest lock: …"
	}
	defer release()
	calllog.NewIngester(d, dir, log).WithBatch(ingestBatchChild).Run(ctx, ingestEveryChild)
	return nil
}

// cancelWhenOrphaned cancels when the parent process is gone (the parent
// also asks the kernel to signal the child then; this covers the rest).
func cancelWhenOrphaned(ctx context.Context, cancel func()) {
	parent := os.Getppid()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if os.Getppid() != parent {
				cancel()
				return
			}
		}
	}
}
