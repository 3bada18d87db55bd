package dataapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/xietong/xietong/internal/consumer"
	"github.com/xietong/xietong/internal/dataapi/sqltpl"
	"github.com/xietong/xietong/internal/datasource"
	"github.com/xietong/xietong/internal/datasource/connect"
	"github.com/xietong/xietong/internal/gateway"
)

// Runtime is the data plane of data APIs: it keeps a connection pool per
// data source and, each time the gateway builds a snapshot, attaches a
// compiled backend to every gateway API a data API publishes. Calls never
// read the metadata database.
type Runtime struct {
	store   *Store
	sources *datasource.Service
	log     *slog.Logger
	metrics *runtimeMetrics

	mu    sync.Mutex
	pools map[int64]*pool // by data source id
}

// NewRuntime returns a runtime; reg receives its Prometheus series (nil: none).
func NewRuntime(store *Store, sources *datasource.Service, log *slog.Logger, reg prometheus.Registerer) *Runtime {
	return &Runtime{store: store, sources: sources, log: log, metrics: newRuntimeMetrics(reg), pools: map[int64]*pool{}}
}

// Close closes every pool.
func (rt *Runtime) Close() {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	for id, p := range rt.pools {
		p.db.Close()
		delete(rt.pools, id)
	}
}

// pool returns the open pool of a source, reopening it when the source
// changed since (new address, password or pool settings). The replaced pool
// closes after calls in flight have had time to finish.
func (rt *Runtime) pool(ctx context.Context, sourceID int64) (*pool, error) {
	t, src, err := rt.sources.Target(ctx, sourceID)
	if err != nil {
		return nil, err
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	if p := rt.pools[sourceID]; p != nil && p.stamp.Equal(src.UpdatedAt) {
		return p, nil
	}
	k, ok := connect.Lookup(src.Kind)
	if !ok || k.Family != connect.FamilySQL {
		return nil, fmt.Errorf("dataapi: source %s is not a database", src.Code)
	}
	db, dialect, err := connect.OpenSQL(t)
	if err != nil {
		return nil, fmt.Errorf("dataapi: open source %s: %w", src.Code, err)
	}
	db.SetMaxOpenConns(src.Pool.MaxOpen)
	db.SetMaxIdleConns(src.Pool.MaxIdle)
	db.SetConnMaxLifetime(time.Duration(src.Pool.LifetimeSeconds) * time.Second)
	p := &pool{db: db, dialect: sqltpl.Dialect(dialect), kind: src.Kind, code: src.Code, stamp: src.UpdatedAt}
	if old := rt.pools[sourceID]; old != nil {
		time.AfterFunc(time.Minute, func() { old.db.Close() })
	}
	rt.pools[sourceID] = p
	return p, nil
}

// Attach gives every data-API gateway API in snap its backend. A data API
// that cannot be prepared (its source is unreachable to open, say) answers
// 503 instead of holding up the rest of the snapshot.
func (rt *Runtime) Attach(ctx context.Context, snap *gateway.Snapshot) error {
	published, err := rt.store.Published(ctx)
	if err != nil {
		return err
	}
	pools := map[int64]*pool{} // one source read and pool check per source per reload
	byCode := map[string]*Version{}
	for _, v := range published {
		byCode[v.APICode] = v
	}
	for _, api := range snap.APIs {
		if api.Upstream == nil || api.Upstream.Scheme != consumer.DataAPIScheme {
			continue
		}
		v := byCode[api.Upstream.Host]
		if v == nil {
			api.Backend = unavailable{}
			continue
		}
		c, err := compile(v.Def)
		if err != nil {
			rt.log.Error("dataapi: published version does not compile", "api", v.APICode, "version", v.Version, "err", err)
			api.Backend = unavailable{}
			continue
		}
		p, ok := pools[v.SourceID]
		if !ok {
			if p, err = rt.pool(ctx, v.SourceID); err == nil {
				pools[v.SourceID] = p
			}
		}
		if err != nil {
			rt.log.Error("dataapi: data source cannot be opened", "api", v.APICode, "err", err)
			api.Backend = unavailable{}
			continue
		}
		api.Upstream = &url.URL{Scheme: consumer.DataAPIScheme, Host: "ds-" + p.code}
		api.Backend = &endpoint{code: v.APICode, version: v.Version, c: c, pool: p, metrics: rt.metrics, log: rt.log, cache: newCache(v.Def.CacheSeconds)}
	}
	return nil
}

// unavailable answers for a data API that could not be prepared.
type unavailable struct{}

func (unavailable) Serve(context.Context, gateway.BackendRequest) gateway.BackendResponse {
	p := newProblem(http.StatusServiceUnavailable, "dataapi_unavailable", "数据API暂不可用（数据源无法打开或定义无效），请联系平台管理员",
		"The data API is unavailable (its data source cannot be opened or its definition is invalid); contact the platform's administrator")
	return gateway.BackendResponse{Status: p.Status, ContentType: "application/problem+json", Body: p.body(), Code: p.Code}
}

// endpoint is one published data API version, compiled, on its pool.
type endpoint struct {
	code    string
	version int
	c       *compiled
	pool    *pool
	metrics *runtimeMetrics
	log     *slog.Logger
	cache   *cache
}

var _ gateway.Backend = (*endpoint)(nil)

// Serve answers a gateway call.
func (e *endpoint) Serve(ctx context.Context, req gateway.BackendRequest) gateway.BackendResponse {
	start := time.Now()
	out := e.serve(ctx, req)
	e.metrics.observe(e.code, out.Code, time.Since(start))
	return out
}

func (e *endpoint) serve(ctx context.Context, req gateway.BackendRequest) gateway.BackendResponse {
	values, perr := callerValues(req)
	if perr != nil {
		return fail(perr)
	}
	key := cacheKey(values)
	if body, ok := e.cache.get(key); ok {
		return gateway.BackendResponse{Status: http.StatusOK, ContentType: "application/json", Body: body}
	}
	res, err := e.c.execute(ctx, e.pool, values)
	if err != nil {
		var qe *queryError
		if errors.As(err, &qe) {
			e.log.Warn("dataapi: query failed", "api", e.code, "version", e.version, "call_id", req.CallID, "err", qe.msg)
		}
		return fail(problemFor(err))
	}
	body, err := res.body()
	if err != nil {
		return fail(problemFor(err))
	}
	e.cache.put(key, body)
	return gateway.BackendResponse{Status: http.StatusOK, ContentType: "application/json", Body: body}
}

func fail(p *problem) gateway.BackendResponse {
	return gateway.BackendResponse{Status: p.Status, ContentType: "application/problem+json", Body: p.body(), Code: p.Code}
}

// callerValues reads the parameters of a call: the query string of a GET,
// a JSON object (or a form) in the body of a POST. A repeated or nested
// parameter is refused rather than guessed at.
func callerValues(req gateway.BackendRequest) (map[string]string, *problem) {
	bad := func(zh, en string) (map[string]string, *problem) {
		return nil, newProblem(http.StatusBadRequest, "dataapi_bad_params", zh, en)
	}
	out := map[string]string{}
	if req.Query != "" {
		q, err := url.ParseQuery(req.Query)
		if err != nil {
			return bad("查询字符串无法解析", "The query string cannot be parsed")
		}
		for k, vs := range q {
			if len(vs) != 1 {
				return bad("参数 "+k+" 重复出现", "The parameter "+k+" appears more than once")
			}
			out[k] = vs[0]
		}
	}
	if len(req.Body) == 0 {
		return out, nil
	}
	mt, _, _ := mime.ParseMediaType(req.ContentType)
	switch mt {
	case "application/json", "":
		var m map[string]any
		dec := json.NewDecoder(strings.NewReader(string(req.Body)))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil || dec.More() {
			return bad("请求体须为 JSON 对象", "The body must be a JSON object")
		}
		for k, v := range m {
			if _, dup := out[k]; dup {
				return bad("参数 "+k+" 重复出现", "The parameter "+k+" appears more than once")
			}
			switch x := v.(type) {
			case string:
				out[k] = x
			case json.Number:
				out[k] = x.String()
			case bool:
				out[k] = strconv.FormatBool(x)
			case nil:
				// JSON null: the parameter is absent.
			default:
				return bad("参数 "+k+" 须为字符串、数字或布尔值", "The parameter "+k+" must be a string, a number or a boolean")
			}
		}
	case "application/x-www-form-urlencoded":
		q, err := url.ParseQuery(string(req.Body))
		if err != nil {
			return bad("表单无法解析", "The form cannot be parsed")
		}
		for k, vs := range q {
			if _, dup := out[k]; dup || len(vs) != 1 {
				return bad("参数 "+k+" 重复出现", "The parameter "+k+" appears more than once")
			}
			out[k] = vs[0]
		}
	default:
		return bad("不支持的请求体类型，请用 application/json", "Unsupported body type; use application/json")
	}
	return out, nil
}

// cacheKey is the values in a canonical order.
func cacheKey(values map[string]string) string {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(strconv.Quote(k))
		b.WriteByte('=')
		b.WriteString(strconv.Quote(values[k]))
		b.WriteByte('&')
	}
	return b.String()
}
