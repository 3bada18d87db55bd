package loadjob

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/datasource/connect"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/warehouse/load"
)

// runner is how one job loads.
type runner struct {
	run   func(ctx context.Context, opt load.Options) (*load.Report, error)
	clean func(msg string) string // removes from an error what must not be shown
	after func()                  // when the job has ended
}

func (s *Service) fileRunner(j *Job, up *Upload) runner {
	path := up.path
	return runner{
		run: func(ctx context.Context, opt load.Options) (*load.Report, error) {
			return load.File(ctx, s.eng, path, opt)
		},
		// The stored path means nothing to the user: name their file.
		clean: func(msg string) string { return strings.ReplaceAll(scrub(msg), path, j.FileName) },
		after: up.Remove,
	}
}

func (s *Service) sourceRunner(j *Job) runner {
	var secrets []string
	id := *j.DatasourceID
	return runner{
		run: func(ctx context.Context, opt load.Options) (*load.Report, error) {
			t, _, err := s.sources.Target(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("data source %d: %w", id, err)
			}
			secrets = []string{t.Password, t.PrivateKey}
			conn, dialect, err := connect.OpenSQL(t)
			if err != nil {
				return nil, fmt.Errorf("open data source %s: %w", j.DatasourceName, err)
			}
			defer conn.Close()
			conn.SetMaxOpenConns(2)
			// The watermark is kept per source id: a source deleted and made
			// again under the same code is another database.
			return load.Table(ctx, s.eng, load.Source{Name: "datasource:" + strconv.FormatInt(id, 10), DB: conn, Dialect: dialect,
				Table: j.SourceTable, Watermark: j.WatermarkColumn}, opt)
		},
		clean: func(msg string) string { return scrub(msg, secrets...) },
		after: func() {},
	}
}

var (
	passwordRE = regexp.MustCompile(`(?i)\b(password|passwd|pwd)(\s*[=:]\s*)[^\s;&]+`)
	userinfoRE = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://[^/:@\s]*):[^@\s]*@`)
)

// scrub removes secrets from an error text: the given ones literally, and
// whatever looks like a password in a DSN or URL.
func scrub(msg string, secrets ...string) string {
	for _, x := range secrets {
		if x != "" {
			msg = strings.ReplaceAll(msg, x, "******")
		}
	}
	msg = passwordRE.ReplaceAllString(msg, "$1$2******")
	msg = userinfoRE.ReplaceAllString(msg, "$1:******@")
	if rs := []rune(msg); len(rs) > 2000 {
		msg = string(rs[:2000]) + "…"
	}
	return msg
}

// execute waits for a slot, loads, and records the outcome; then it frees
// the table.
func (s *Service) execute(ctx context.Context, a *active, j *Job, r runner) {
	defer s.wg.Done()
	// Writes of progress and outcome must land even when the load is cancelled.
	wctx := context.WithoutCancel(ctx)
	var rep *load.Report
	var err error
	select {
	case s.slots <- struct{}{}:
		if err = ctx.Err(); err == nil {
			rep, err = s.load(ctx, wctx, a, j, r)
		}
		<-s.slots
	case <-ctx.Done():
		err = ctx.Err()
	}
	s.finish(ctx, wctx, a, j, r, rep, err)
	r.after()
	s.mu.Lock()
	delete(s.active, j.ID)
	if s.tables[j.Table] == j.ID {
		delete(s.tables, j.Table)
	}
	s.mu.Unlock()
	a.cancel()
	close(a.done)
}

// load marks the job running and runs the load, writing its progress
// every ProgressEvery.
func (s *Service) load(ctx, wctx context.Context, a *active, j *Job, r runner) (*load.Report, error) {
	started := db.Now()
	j.Status, j.StartedAt = StatusRunning, &started
	if err := s.store.Save(wctx, j); err != nil {
		slog.Error("loadjob: start", "job", j.ID, "err", err)
	}
	stop := s.writeProgress(wctx, j.ID, a)
	defer stop()
	opt := load.Options{Table: j.Table, Mode: load.Mode(j.Mode), Encoding: j.Encoding, Sheet: j.Sheet,
		Progress: func(p load.Progress) {
			a.setProgress(p)
			if s.progressHook != nil {
				s.progressHook(ctx, j.ID, p)
			}
		}}
	return r.run(ctx, opt)
}

// writeProgress stores the live counters when they change, until stop.
func (s *Service) writeProgress(ctx context.Context, id int64, a *active) (stop func()) {
	t := time.NewTicker(s.opt.ProgressEvery)
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var last load.Progress
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				p := a.progress()
				if p.Read == last.Read && p.Bytes == last.Bytes && p.Loaded == last.Loaded {
					continue
				}
				if err := s.store.SaveProgress(ctx, id, p); err != nil {
					slog.Warn("loadjob: progress", "job", id, "err", err)
				}
				last = p
			}
		}
	}()
	return func() {
		t.Stop()
		close(quit)
		<-done
	}
}

// finish records the outcome with its audit row, in one transaction.
func (s *Service) finish(ctx, wctx context.Context, a *active, j *Job, r runner, rep *load.Report, err error) {
	now := db.Now()
	j.FinishedAt = &now
	p := a.progress()
	j.Bytes, j.TotalBytes = p.Bytes, max(p.TotalBytes, j.TotalBytes)
	if rep != nil {
		j.Read, j.Loaded, j.Bad, j.EncodingUsed, j.Ignored = rep.Read, rep.Loaded, rep.Bad, rep.Encoding, nonNil(rep.Ignored)
		j.badRows = rep.BadRows[:min(len(rep.BadRows), MaxKeptBadRows)]
	}
	s.mu.Lock()
	stopping := s.stopping
	s.mu.Unlock()
	a.mu.Lock()
	cancelledBy := a.cancelledBy
	a.mu.Unlock()
	switch {
	case err == nil:
		j.Status = StatusSucceeded
		j.WatermarkAfter = rep.Watermark
	case ctx.Err() != nil && cancelledBy == "" && stopping:
		j.Status, j.Error = StatusFailed, errInterrupted
	case ctx.Err() != nil:
		j.Status = StatusCancelled
	default:
		j.Status, j.Error = StatusFailed, r.clean(err.Error())
	}
	if j.Status != StatusSucceeded {
		j.Loaded = 0 // the transaction rolled back
	}
	j.setDuration(now)
	after := map[string]any{"status": j.Status, "read": j.Read, "loaded": j.Loaded, "bad": j.Bad, "watermark_after": j.WatermarkAfter, "error": j.Error}
	if cancelledBy != "" {
		after["cancelled_by"] = cancelledBy
	}
	err = s.db.WithTx(wctx, func(ctx context.Context) error {
		if err := s.store.Save(ctx, j); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "warehouse_load.finish", TargetType: "warehouse_load", TargetID: strconv.FormatInt(j.ID, 10), After: audit.JSON(after)})
	})
	if err != nil {
		slog.Error("loadjob: finish", "job", j.ID, "err", err)
	}
}
