package datasource

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/datasource/connect"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/gm"
	"github.com/xietong/xietong/internal/httpx"
)

// Hooks connect data sources to the features that use them, without this
// package reading their tables.
type Hooks struct {
	// UsedBy counts, per source id, the data APIs built on it.
	UsedBy func(ctx context.Context) (map[int64]int, error)
	// Changed runs inside the transaction of every change to a source, so
	// that gateway nodes reload the data APIs that read it.
	Changed func(ctx context.Context) error
}

// Service manages data sources. Every change is audited in its transaction.
type Service struct {
	db      *db.DB
	store   *Store
	audit   *audit.Log
	box     *gm.Box
	dataDir string
	hooks   Hooks
}

// NewService wires the service. box seals passwords and keys; dataDir is
// xietong's own data directory, which file-based sources may not point into.
func NewService(d *db.DB, s *Store, a *audit.Log, box *gm.Box, dataDir string) *Service {
	return &Service{db: d, store: s, audit: a, box: box, dataDir: dataDir}
}

// SetHooks installs the hooks (at wiring time, before serving).
func (s *Service) SetHooks(h Hooks) { s.hooks = h }

var (
	errGroupNotEmpty = httpx.NewProblem(http.StatusConflict, "datasource_group_not_empty", "分组内还有数据源，请先迁移或删除", "The group still holds data sources; move or delete them first")
	errInUse         = httpx.NewProblem(http.StatusConflict, "datasource_in_use", "数据源正被数据API使用，不能删除", "Data APIs use this data source; it cannot be deleted")
)

func (s *Service) change(ctx context.Context, ev audit.Event, bump bool, fn func(ctx context.Context) error) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := fn(ctx); err != nil {
			return err
		}
		if bump && s.hooks.Changed != nil {
			if err := s.hooks.Changed(ctx); err != nil {
				return err
			}
		}
		return s.audit.Record(ctx, ev)
	})
}

// Kinds lists the kinds of source xietong can connect to.
func (s *Service) Kinds(context.Context) ([]connect.Kind, error) { return connect.Kinds(), nil }

// ---- groups ----

// Groups lists the groups.
func (s *Service) Groups(ctx context.Context) ([]*Group, error) { return s.store.Groups(ctx) }

// SaveGroup creates (id 0) or renames a group.
func (s *Service) SaveGroup(ctx context.Context, id int64, in GroupInput) (*Group, error) {
	var c httpx.Checker
	c.Text("name", in.Name, true, 50)
	if in.Sort < 0 || in.Sort > 100000 {
		c.Add("sort", "range", "0–100000")
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	g := &Group{}
	var before *Group
	if id != 0 {
		b, err := s.store.Group(ctx, id)
		if err != nil {
			return nil, err
		}
		before = b
		cp := *b
		g = &cp
	}
	g.Name, g.Sort = strings.TrimSpace(in.Name), in.Sort
	action := "datasource_group.update"
	if id == 0 {
		action = "datasource_group.create"
	}
	ev := audit.Event{Action: action, TargetType: "datasource_group", TargetID: g.Name, Before: audit.JSON(before), After: audit.JSON(g)}
	return g, s.change(ctx, ev, false, func(ctx context.Context) error { return s.store.SaveGroup(ctx, g) })
}

// DeleteGroup removes an empty group.
func (s *Service) DeleteGroup(ctx context.Context, id int64) error {
	g, err := s.store.Group(ctx, id)
	if err != nil {
		return err
	}
	if g.Count > 0 {
		return errGroupNotEmpty
	}
	ev := audit.Event{Action: "datasource_group.delete", TargetType: "datasource_group", TargetID: g.Name, Before: audit.JSON(g)}
	return s.change(ctx, ev, false, func(ctx context.Context) error { return s.store.DeleteGroup(ctx, id) })
}

// ---- sources ----

// Sources lists a page of sources with how many data APIs use each.
func (s *Service) Sources(ctx context.Context, f Filter) ([]*Source, int, error) {
	out, total, err := s.store.Sources(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	if err := s.fillUsage(ctx, out...); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// Source fetches one source.
func (s *Service) Source(ctx context.Context, id int64) (*Source, error) {
	x, err := s.store.Source(ctx, id)
	if err != nil {
		return nil, err
	}
	return x, s.fillUsage(ctx, x)
}

func (s *Service) fillUsage(ctx context.Context, xs ...*Source) error {
	if s.hooks.UsedBy == nil || len(xs) == 0 {
		return nil
	}
	used, err := s.hooks.UsedBy(ctx)
	if err != nil {
		return err
	}
	for _, x := range xs {
		x.UsedBy = used[x.ID]
	}
	return nil
}

var optionKeyRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// validate checks an input against its kind and fills defaults.
func (s *Service) validate(in *Input) error {
	var c httpx.Checker
	c.Code("code", in.Code)
	c.Text("name", in.Name, true, 100)
	c.Text("description", in.Description, false, 500)
	k, ok := connect.Lookup(in.Kind)
	if !ok {
		c.Add("kind", "enum", "see GET /api/v1/datasources/kinds")
		return c.Err()
	}
	needs := map[string]bool{}
	for _, f := range k.Fields {
		needs[f] = true
	}
	if needs["host"] {
		c.Text("host", in.Host, true, 253)
		if strings.ContainsAny(in.Host, " /?#@") {
			c.Add("host", "format", "a host name or address")
		}
	}
	if in.Port == 0 {
		in.Port = k.DefaultPort
	}
	if in.Port < 0 || in.Port > 65535 {
		c.Add("port", "range", "1–65535")
	}
	c.Text("database", in.Database, false, 128)
	c.Text("username", in.Username, false, 128)
	if len(in.Password) > 1024 {
		c.Add("password", "too_long", "≤ 1024")
	}
	if len(in.PrivateKey) > 16384 {
		c.Add("private_key", "too_long", "≤ 16 KiB")
	}
	if in.Options == nil {
		in.Options = map[string]string{}
	}
	if len(in.Options) > 32 {
		c.Add("options", "too_many", "≤ 32")
	}
	for key, v := range in.Options {
		if !optionKeyRe.MatchString(key) {
			c.Add("options."+key, "format", "a-z, 0-9, _")
			continue
		}
		c.Text("options."+key, v, false, 1024)
	}
	if v := in.Options["timeout"]; v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 120 {
			c.Add("options.timeout", "range", "1–120 seconds")
		}
	}
	if needs["options.path"] && (k.Kind == "sqlite" || k.Kind == "duckdb") {
		p := in.Options["path"]
		switch {
		case p == "":
			c.Add("options.path", "required", "")
		case s.insideDataDir(p):
			// A data API over xietong's own files would expose its users and keys.
			c.Add("options.path", "forbidden", "not inside xietong's data directory")
		}
	}
	if needs["options.url"] {
		if u, err := url.Parse(in.Options["url"]); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			c.Add("options.url", "format", "an http(s) URL")
		}
	}
	if in.Pool == nil {
		// As many idle connections as open ones: with fewer, a busy pool keeps
		// closing and reopening database sessions (bench/dataapi counted 174
		// new PostgreSQL sessions in 30 s at 500 calls per second).
		in.Pool = &Pool{MaxOpen: 10, MaxIdle: 10, LifetimeSeconds: 1800}
	}
	if in.Pool.MaxOpen < 1 || in.Pool.MaxOpen > 500 {
		c.Add("pool.max_open", "range", "1–500")
	}
	if in.Pool.MaxIdle < 0 || in.Pool.MaxIdle > in.Pool.MaxOpen {
		c.Add("pool.max_idle", "range", "0–max_open")
	}
	if in.Pool.LifetimeSeconds < 0 || in.Pool.LifetimeSeconds > 86400 {
		c.Add("pool.lifetime_seconds", "range", "0–86400")
	}
	return c.Err()
}

func (s *Service) insideDataDir(p string) bool {
	if s.dataDir == "" {
		return false
	}
	dir, err1 := filepath.Abs(s.dataDir)
	abs, err2 := filepath.Abs(p)
	if err1 != nil || err2 != nil {
		return true
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	if r, err := filepath.EvalSymlinks(dir); err == nil {
		dir = r
	}
	rel, err := filepath.Rel(dir, abs)
	return err == nil && !strings.HasPrefix(rel, "..")
}

func passwordAAD(id int64) string { return "datasource:" + strconv.FormatInt(id, 10) + ":password" }
func keyAAD(id int64) string      { return "datasource:" + strconv.FormatInt(id, 10) + ":key" }

// SaveSource creates (id 0) or edits a source; secrets are sealed and
// never returned.
func (s *Service) SaveSource(ctx context.Context, id int64, in Input) (*Source, error) {
	if err := s.validate(&in); err != nil {
		return nil, err
	}
	x := &Source{}
	var before *Source
	if id != 0 {
		b, err := s.store.Source(ctx, id)
		if err != nil {
			return nil, err
		}
		before = b
		cp := *b
		x = &cp
	}
	x.Code, x.Name, x.Kind, x.GroupID, x.Host, x.Port = in.Code, strings.TrimSpace(in.Name), in.Kind, in.GroupID, strings.TrimSpace(in.Host), in.Port
	x.Database, x.Username, x.Options, x.Pool, x.Description = in.Database, in.Username, in.Options, *in.Pool, in.Description
	if in.ClearSecret {
		x.passwordSealed, x.keySealed = nil, nil
	}
	action := "datasource.update"
	if id == 0 {
		action = "datasource.create"
	}
	ev := audit.Event{Action: action, TargetType: "datasource", TargetID: x.Code, Before: audit.JSON(before)}
	err := s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.SaveSource(ctx, x); err != nil {
			return err
		}
		if in.Password != "" || in.PrivateKey != "" {
			if in.Password != "" {
				sealed, err := s.box.Seal([]byte(in.Password), passwordAAD(x.ID))
				if err != nil {
					return err
				}
				x.passwordSealed = sealed
			}
			if in.PrivateKey != "" {
				sealed, err := s.box.Seal([]byte(in.PrivateKey), keyAAD(x.ID))
				if err != nil {
					return err
				}
				x.keySealed = sealed
			}
			if err := s.store.SetSecrets(ctx, x.ID, x.passwordSealed, x.keySealed); err != nil {
				return err
			}
		}
		x.HasPassword, x.HasPrivateKey = len(x.passwordSealed) > 0, len(x.keySealed) > 0
		// The audit record shows whether a secret changed, never the secret.
		after := struct {
			*Source
			PasswordChanged bool `json:"password_changed"`
			KeyChanged      bool `json:"private_key_changed"`
		}{x, in.Password != "" || in.ClearSecret, in.PrivateKey != "" || in.ClearSecret}
		ev.After = audit.JSON(after)
		if id != 0 && s.hooks.Changed != nil {
			if err := s.hooks.Changed(ctx); err != nil {
				return err
			}
		}
		return s.audit.Record(ctx, ev)
	})
	if err != nil {
		if db.IsForeignKeyViolation(err) {
			return nil, httpx.Invalid(httpx.FieldError{Field: "group_id", Code: "not_found"})
		}
		return nil, err
	}
	return x, s.fillUsage(ctx, x)
}

// DeleteSource removes a source no data API uses.
func (s *Service) DeleteSource(ctx context.Context, id int64) error {
	x, err := s.Source(ctx, id)
	if err != nil {
		return err
	}
	if x.UsedBy > 0 {
		return errInUse
	}
	ev := audit.Event{Action: "datasource.delete", TargetType: "datasource", TargetID: x.Code, Before: audit.JSON(x)}
	err = s.change(ctx, ev, true, func(ctx context.Context) error { return s.store.DeleteSource(ctx, id) })
	if db.IsForeignKeyViolation(err) {
		return errInUse
	}
	return err
}

// Move puts sources into a group (分组迁移).
func (s *Service) Move(ctx context.Context, in MoveInput) error {
	var c httpx.Checker
	if len(in.IDs) == 0 || len(in.IDs) > 500 {
		c.Add("ids", "range", "1–500")
	}
	if err := c.Err(); err != nil {
		return err
	}
	codes := make([]string, 0, len(in.IDs))
	for _, id := range in.IDs {
		x, err := s.store.Source(ctx, id)
		if err != nil {
			return err
		}
		codes = append(codes, x.Code)
	}
	group := "ungrouped"
	if in.GroupID != nil {
		g, err := s.store.Group(ctx, *in.GroupID)
		if err != nil {
			return httpx.Invalid(httpx.FieldError{Field: "group_id", Code: "not_found"})
		}
		group = g.Name
	}
	ev := audit.Event{Action: "datasource.move", TargetType: "datasource", TargetID: strings.Join(codes, ","), After: audit.JSON(map[string]string{"group": group})}
	return s.change(ctx, ev, false, func(ctx context.Context) error { return s.store.Move(ctx, in.IDs, in.GroupID) })
}

// Target is the source with its secrets unsealed, for connecting. Only the
// data plane and the connectivity test call it; nothing returns it to a client.
func (s *Service) Target(ctx context.Context, id int64) (connect.Target, *Source, error) {
	x, err := s.store.Source(ctx, id)
	if err != nil {
		return connect.Target{}, nil, err
	}
	t, err := s.target(x)
	return t, x, err
}

func (s *Service) target(x *Source) (connect.Target, error) {
	t := connect.Target{Kind: x.Kind, Host: x.Host, Port: x.Port, Database: x.Database, Username: x.Username, Options: x.Options, Timeout: stepTimeout(x.Options)}
	if len(x.passwordSealed) > 0 {
		p, err := s.box.Open(x.passwordSealed, passwordAAD(x.ID))
		if err != nil {
			return t, fmt.Errorf("datasource: unseal password of %s: %w", x.Code, err)
		}
		t.Password = string(p)
	}
	if len(x.keySealed) > 0 {
		k, err := s.box.Open(x.keySealed, keyAAD(x.ID))
		if err != nil {
			return t, fmt.Errorf("datasource: unseal key of %s: %w", x.Code, err)
		}
		t.PrivateKey = string(k)
	}
	return t, nil
}

// Test runs the connectivity test of a saved source and remembers the outcome.
func (s *Service) Test(ctx context.Context, id int64) (connect.Result, error) {
	t, x, err := s.Target(ctx, id)
	if err != nil {
		return connect.Result{}, err
	}
	res := connect.Probe(ctx, t)
	code := failedCode(res)
	ev := audit.Event{Action: "datasource.test", TargetType: "datasource", TargetID: x.Code, After: audit.JSON(map[string]any{"ok": res.OK, "code": code})}
	if !res.OK {
		ev.Result = audit.ResultFailed
	}
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := s.store.RecordTest(ctx, id, res.OK, code); err != nil {
			return err
		}
		return s.audit.Record(ctx, ev)
	})
	return res, err
}

// TestInput runs the connectivity test of an unsaved form; with an ID and
// no new secret, the stored secret is used.
func (s *Service) TestInput(ctx context.Context, in Input) (connect.Result, error) {
	if err := s.validate(&in); err != nil {
		return connect.Result{}, err
	}
	t := connect.Target{Kind: in.Kind, Host: in.Host, Port: in.Port, Database: in.Database, Username: in.Username,
		Password: in.Password, PrivateKey: in.PrivateKey, Options: in.Options, Timeout: stepTimeout(in.Options)}
	if in.ID != 0 && !in.ClearSecret && (in.Password == "" || in.PrivateKey == "") {
		stored, _, err := s.Target(ctx, in.ID)
		if err != nil {
			return connect.Result{}, err
		}
		if t.Password == "" {
			t.Password = stored.Password
		}
		if t.PrivateKey == "" {
			t.PrivateKey = stored.PrivateKey
		}
	}
	res := connect.Probe(ctx, t)
	ev := audit.Event{Action: "datasource.test", TargetType: "datasource", TargetID: in.Code, After: audit.JSON(map[string]any{"ok": res.OK, "code": failedCode(res), "unsaved": true})}
	if !res.OK {
		ev.Result = audit.ResultFailed
	}
	return res, s.audit.Record(ctx, ev)
}

// stepTimeout reads the timeout option (seconds per connectivity step and
// connection attempt); 0 leaves connect's default.
func stepTimeout(opts map[string]string) time.Duration {
	n, err := strconv.Atoi(opts["timeout"])
	if err != nil || n < 1 {
		return 0
	}
	return time.Duration(n) * time.Second
}

func failedCode(r connect.Result) string {
	for _, st := range r.Steps {
		if !st.OK {
			return st.Code
		}
	}
	return ""
}
