package loadjob

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/datasource"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/gm"
	"github.com/xietong/xietong/internal/httpx"
	"github.com/xietong/xietong/internal/ident"
	"github.com/xietong/xietong/internal/testutil"
	"github.com/xietong/xietong/internal/warehouse"
)

// fixture is a migrated metadata database, a DuckDB warehouse file in a
// temp dir, the data sources and the service, with a supervisor acting.
type fixture struct {
	t       *testing.T
	d       *db.DB
	eng     *warehouse.Engine
	sources *datasource.Service
	svc     *Service
	dir     string // the data dir
	ctx     context.Context
}

func openMeta(t *testing.T, d testutil.Dialect) *db.DB {
	t.Helper()
	ctx := context.Background()
	var (
		m   *db.DB
		err error
	)
	if d.Name == "postgres" {
		m, err = db.Open(ctx, db.Postgres, testutil.Config(t, d).DBDSN)
	} else {
		m, err = db.Open(ctx, db.SQLite, filepath.Join(t.TempDir(), "meta.db"))
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if err := m.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return m
}

func newFixture(t *testing.T, d testutil.Dialect) *fixture {
	t.Helper()
	m := openMeta(t, d)
	dir := t.TempDir()
	eng, err := warehouse.OpenDuckDB(warehouse.DefaultDuckDBFile(dir))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close() })
	if err := eng.CreateSchema(context.Background()); err != nil {
		t.Fatal(err)
	}
	box, err := gm.NewBox(make([]byte, gm.SM4KeySize))
	if err != nil {
		t.Fatal(err)
	}
	log := audit.New(m)
	f := &fixture{t: t, d: m, eng: eng, dir: dir, ctx: audit.WithActor(context.Background(), audit.Actor{ID: 1, Name: "jianguan"})}
	f.sources = datasource.NewService(m, datasource.NewStore(m), log, box, dir)
	f.svc = NewService(m, NewStore(m), log, eng, f.sources, Options{Dir: filepath.Join(dir, "loads")})
	t.Cleanup(f.svc.Shutdown) // before the warehouse closes
	return f
}

// upload receives content as a file named name.
func (f *fixture) upload(in FileInput, name string, content []byte) *Upload {
	f.t.Helper()
	up, err := f.svc.Receive(f.ctx, in, name, strings.NewReader(string(content)))
	if err != nil {
		f.t.Fatal(err)
	}
	return up
}

// loadFile uploads and starts a file load.
func (f *fixture) loadFile(in FileInput, name string, content []byte) (*Job, error) {
	f.t.Helper()
	return f.svc.StartFile(f.ctx, in, f.upload(in, name, content))
}

// finished waits for every job and fetches one with its bad rows.
func (f *fixture) finished(id int64) *Detail {
	f.t.Helper()
	f.svc.Wait()
	j, err := f.svc.Job(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return j
}

func (f *fixture) count(table string) int64 {
	f.t.Helper()
	n, err := f.eng.Count(context.Background(), table)
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// uploadsLeft lists what is left in the loads directory.
func (f *fixture) uploadsLeft() []string {
	f.t.Helper()
	es, err := os.ReadDir(filepath.Join(f.dir, "loads"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		f.t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

// auditActions lists the audited actions on a job, oldest first.
func (f *fixture) auditActions(id int64) []string {
	f.t.Helper()
	rows, err := f.d.Query(context.Background(), "SELECT action FROM audit_log WHERE target_type = 'warehouse_load' AND target_id = ? ORDER BY seq", fmt.Sprint(id))
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		rows.Scan(&a)
		out = append(out, a)
	}
	return out
}

// id makes a valid 公民身份号码 born on ymd with sequence n.
func id(ymd string, n int) string {
	s, ok := ident.CompleteID(fmt.Sprintf("520102%s%03d", ymd, n%1000))
	if !ok {
		panic(ymd)
	}
	return s
}

// badID breaks the check character.
func badID(ymd string, n int) string {
	s := id(ymd, n)
	c := byte('0')
	if s[17] == '0' {
		c = '1'
	}
	return s[:17] + string(c)
}

// problemCode is the stable code of a *httpx.Problem ("" for other errors).
func problemCode(err error) string {
	var p *httpx.Problem
	if errors.As(err, &p) {
		return p.Code
	}
	return ""
}

// fieldErrors lists a validation problem's field:code pairs.
func fieldErrors(err error) []string {
	var p *httpx.Problem
	if !errors.As(err, &p) {
		return nil
	}
	var out []string
	for _, fe := range p.Errors {
		out = append(out, fe.Field+":"+fe.Code)
	}
	return out
}

// deathCSV makes n valid death records.
func deathCSV(n int) []byte {
	var b strings.Builder
	b.WriteString("aac002,aac003,death_date,source\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "%s,逝者%d,2024-01-%02d,民政\n", id("19300101", i), i, 1+i%28)
	}
	return []byte(b.String())
}
