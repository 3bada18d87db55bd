package loadjob

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/datasource"
	"github.com/xietong/xietong/internal/datasource/connect"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/warehouse"
	"github.com/xietong/xietong/internal/warehouse/load"
)

// DefaultMaxFileBytes caps an uploaded file (2 GiB).
const DefaultMaxFileBytes int64 = 2 << 30

// Options of the service.
type Options struct {
	Dir           string        // where uploads are kept while their load runs: <data_dir>/loads
	MaxFileBytes  int64         // an upload's cap; 0: DefaultMaxFileBytes
	MaxConcurrent int           // loads running at once (the rest wait queued); 0: 2
	ProgressEvery time.Duration // how often a running job's progress is written; 0: 1 s
}

// Sources is what the service needs of the data sources: *datasource.Service.
type Sources interface {
	Source(ctx context.Context, id int64) (*datasource.Source, error)
	Sources(ctx context.Context, f datasource.Filter) ([]*datasource.Source, int, error)
	// Target unseals the source's secrets, to connect; they never leave the job.
	Target(ctx context.Context, id int64) (connect.Target, *datasource.Source, error)
}

var _ Sources = (*datasource.Service)(nil)

// Service starts, follows and cancels warehouse loads.
type Service struct {
	db      *db.DB
	store   *Store
	audit   *audit.Log
	eng     *warehouse.Engine
	sources Sources
	opt     Options
	slots   chan struct{} // a token per running load

	mu       sync.Mutex
	active   map[int64]*active // job id → its cancel and live progress
	tables   map[string]int64  // warehouse table → the job holding it
	stopping bool
	wg       sync.WaitGroup

	// progressHook sees every progress report of a job (tests hold a load
	// in the middle with it).
	progressHook func(ctx context.Context, id int64, p load.Progress)
}

// active is a queued or running job of this process.
type active struct {
	cancel context.CancelFunc
	done   chan struct{}

	mu          sync.Mutex
	prog        load.Progress
	cancelledBy string
}

func (a *active) progress() load.Progress {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.prog
}

func (a *active) setProgress(p load.Progress) {
	a.mu.Lock()
	a.prog = p
	a.mu.Unlock()
}

var (
	errTableBusy = httpx.NewProblem(http.StatusConflict, "load_table_busy",
		"该表已有装载任务在排队或运行，请等其结束后再装载", "A load of this table is already queued or running; wait for it to end")
	errNotActive = httpx.NewProblem(http.StatusConflict, "load_not_running",
		"该装载任务未在排队或运行", "The load is not queued or running")
	errStopping = httpx.NewProblem(http.StatusServiceUnavailable, "load_stopping",
		"服务正在停止，不能开始装载", "The server is stopping; no load can start")
	errNoWarehouse = httpx.NewProblem(http.StatusServiceUnavailable, "load_no_warehouse",
		"未配置数据仓库", "No warehouse is configured")
)

// errInterrupted is a job's error when the process stopped under it.
const errInterrupted = "interrupted: the server stopped before the load finished (服务停止，装载未完成，未写入任何数据)"

// NewService wires the service. eng is the warehouse (app.Warehouse),
// sources the data sources (nil: data-source loads are refused).
func NewService(d *db.DB, s *Store, a *audit.Log, eng *warehouse.Engine, sources Sources, opt Options) *Service {
	if opt.MaxFileBytes <= 0 {
		opt.MaxFileBytes = DefaultMaxFileBytes
	}
	if opt.MaxConcurrent <= 0 {
		opt.MaxConcurrent = 2
	}
	if opt.ProgressEvery <= 0 {
		opt.ProgressEvery = time.Second
	}
	return &Service{db: d, store: s, audit: a, eng: eng, sources: sources, opt: opt,
		slots: make(chan struct{}, opt.MaxConcurrent), active: map[int64]*active{}, tables: map[string]int64{}}
}

// MaxFileBytes is the upload cap.
func (s *Service) MaxFileBytes() int64 { return s.opt.MaxFileBytes }

// Recover marks the jobs a stopped process left queued or running as
// failed and removes the uploads they left behind. Call it once at start,
// before the first request.
func (s *Service) Recover(ctx context.Context) (int64, error) {
	n, err := s.store.Interrupt(ctx)
	if err != nil {
		return 0, fmt.Errorf("loadjob: %w", err)
	}
	left, _ := filepath.Glob(filepath.Join(s.opt.Dir, uploadPrefix+"*"))
	for _, p := range left {
		os.Remove(p)
	}
	return n, nil
}

// Shutdown cancels every load (they end failed, interrupted: nothing is
// committed) and waits for them.
func (s *Service) Shutdown() {
	s.mu.Lock()
	s.stopping = true
	for _, a := range s.active {
		a.cancel()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// Wait blocks until every job started so far has ended (tests).
func (s *Service) Wait() { s.wg.Wait() }

func actorName(ctx context.Context) string {
	if n := audit.ActorFrom(ctx).Name; n != "" {
		return n
	}
	return "system"
}

// ---- reading ----

// Jobs lists a page of jobs, newest first, with live progress.
func (s *Service) Jobs(ctx context.Context, f Filter) ([]*Job, int, error) {
	out, total, err := s.store.Jobs(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	for _, j := range out {
		s.live(j)
	}
	return out, total, nil
}

// Job fetches one job with its kept bad rows and live progress.
func (s *Service) Job(ctx context.Context, id int64) (*Detail, error) {
	j, err := s.store.Job(ctx, id)
	if err != nil {
		return nil, err
	}
	s.live(j)
	return &Detail{Job: j, BadRows: j.badRows}, nil
}

// live lays the in-memory progress of a running job over the stored one,
// which may be up to a second old.
func (s *Service) live(j *Job) {
	if j.Status != StatusRunning {
		return
	}
	s.mu.Lock()
	a := s.active[j.ID]
	s.mu.Unlock()
	if a == nil {
		return
	}
	p := a.progress()
	if p.Read >= j.Read {
		j.Read, j.Loaded, j.Bad, j.Bytes, j.TotalBytes = p.Read, p.Loaded, p.Bad, p.Bytes, p.TotalBytes
	}
}

// ---- starting ----

// StartFile queues the load of an upload Receive saved; the job owns the
// file from here (it is removed when the load ends, or now on a refusal).
func (s *Service) StartFile(ctx context.Context, in FileInput, up *Upload) (*Job, error) {
	name := ""
	if up != nil {
		name = up.Name
	}
	if err := s.checkFile(&in, name, false); err != nil {
		up.Remove()
		return nil, err
	}
	j := &Job{Kind: KindFile, Table: in.Table, Mode: in.Mode, Encoding: in.Encoding, Sheet: in.Sheet,
		FileName: up.Name, FileSize: up.Size, TotalBytes: up.Size, storedName: filepath.Base(up.path)}
	job, err := s.start(ctx, j, s.fileRunner(j, up))
	if err != nil {
		up.Remove()
	}
	return job, err
}

// StartSource queues the incremental load of a data-source table.
func (s *Service) StartSource(ctx context.Context, in SourceInput) (*Job, error) {
	src, err := s.checkSource(ctx, &in)
	if err != nil {
		return nil, err
	}
	id := src.ID
	j := &Job{Kind: KindDatasource, Table: in.Table, Mode: in.Mode, DatasourceID: &id, DatasourceName: src.Name,
		SourceTable: in.SourceTable, WatermarkColumn: in.Watermark}
	return s.start(ctx, j, s.sourceRunner(j))
}

// start records the job (audited) and runs it in the background, holding
// its table until it ends. The answer is the queued job.
func (s *Service) start(ctx context.Context, j *Job, r runner) (*Job, error) {
	if s.eng == nil {
		return nil, errNoWarehouse
	}
	j.Status, j.CreatedBy, j.QueuedAt, j.Ignored = StatusQueued, actorName(ctx), db.Now(), []string{}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping {
		return nil, errStopping
	}
	if _, busy := s.tables[j.Table]; busy {
		return nil, errTableBusy
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.Insert(ctx, j); err != nil {
			return err
		}
		return s.audit.Record(ctx, audit.Event{Action: "warehouse_load.start", TargetType: "warehouse_load", TargetID: strconv.FormatInt(j.ID, 10), After: audit.JSON(j)})
	})
	if err != nil {
		return nil, err
	}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a := &active{cancel: cancel, done: make(chan struct{})}
	s.active[j.ID], s.tables[j.Table] = a, j.ID
	s.wg.Add(1)
	queued := *j
	go s.execute(rctx, a, j, r)
	return &queued, nil
}

// busy reports whether a load of the table is queued or running.
func (s *Service) busy(table string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.tables[table]
	return ok
}

// ---- cancelling ----

// Cancel stops a queued or running job and waits until it has rolled back.
func (s *Service) Cancel(ctx context.Context, id int64) (*Job, error) {
	s.mu.Lock()
	a := s.active[id]
	s.mu.Unlock()
	if a == nil {
		if _, err := s.store.Job(ctx, id); err != nil {
			return nil, err
		}
		return nil, errNotActive
	}
	a.mu.Lock()
	a.cancelledBy = actorName(ctx)
	a.mu.Unlock()
	a.cancel()
	select {
	case <-a.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		return s.audit.Record(ctx, audit.Event{Action: "warehouse_load.cancel", TargetType: "warehouse_load", TargetID: strconv.FormatInt(id, 10)})
	})
	if err != nil {
		return nil, err
	}
	return s.store.Job(ctx, id)
}

// ---- the form's choices ----

// Tables lists the warehouse tables with their columns and row counts.
func (s *Service) Tables(ctx context.Context) (*Tables, error) {
	if s.eng == nil {
		return nil, errNoWarehouse
	}
	out := &Tables{MaxFileBytes: s.opt.MaxFileBytes, FileTypes: fileTypes}
	for _, t := range warehouse.Tables() {
		n, err := s.eng.Count(ctx, t.Name)
		if err != nil {
			return nil, err
		}
		ti := TableInfo{Name: t.Name, Comment: t.Comment, Key: nonNil(t.Key), Rows: n, Busy: s.busy(t.Name)}
		for _, c := range t.Columns {
			// The loader's rule (warehouse/load/plan.go): "(helper)" in the
			// comment marks a column it computes from another one.
			computed := strings.Contains(c.Comment, "(helper)")
			ti.Columns = append(ti.Columns, ColumnInfo{Name: c.Name, Type: c.Type, Comment: c.Comment, Computed: computed, Required: !c.Null && !computed})
		}
		out.Tables = append(out.Tables, ti)
	}
	return out, nil
}

// SourceOptions lists the database data sources a table can be loaded from.
func (s *Service) SourceOptions(ctx context.Context) ([]SourceOption, error) {
	out := []SourceOption{}
	if s.sources == nil {
		return out, nil
	}
	all, _, err := s.sources.Sources(ctx, datasource.Filter{})
	if err != nil {
		return nil, err
	}
	for _, x := range all {
		if k, ok := connect.Lookup(x.Kind); ok && k.Family == connect.FamilySQL {
			out = append(out, SourceOption{ID: x.ID, Code: x.Code, Name: x.Name, Kind: x.Kind})
		}
	}
	return out, nil
}

// BadRows gives a job's kept bad rows for export; the export is audited
// (the rows hold personal data).
func (s *Service) BadRows(ctx context.Context, id int64) (*Job, []load.BadRow, error) {
	j, err := s.store.Job(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		return s.audit.Record(ctx, audit.Event{Action: "warehouse_load.export_bad_rows", TargetType: "warehouse_load", TargetID: strconv.FormatInt(id, 10),
			Detail: fmt.Sprintf("%d of %d bad rows", len(j.badRows), j.Bad)})
	})
	if err != nil {
		return nil, nil, err
	}
	return j, j.badRows, nil
}

// notFoundAs turns a missing referenced object into a field error.
func notFoundAs(err error, field string) error {
	if errors.Is(err, db.ErrNotFound) {
		return httpx.Invalid(httpx.FieldError{Field: field, Code: "not_found"})
	}
	return err
}
