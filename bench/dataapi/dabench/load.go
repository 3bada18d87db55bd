package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Result is what a load run writes: the fields of bench/gateway/rate's
// result (so that both read alike), and the closed-loop ones.
type Result struct {
	Target      string         `json:"target"`
	Mode        string         `json:"mode"` // open | closed
	Rate        float64        `json:"rate,omitempty"`
	Workers     int            `json:"workers,omitempty"`
	PoolConns   int            `json:"pool_conns,omitempty"`
	WarmupS     float64        `json:"warmup_s"`
	DurationS   float64        `json:"duration_s"`
	Measured    int            `json:"measured"`
	OK          int            `json:"ok"`
	Non2xx      int            `json:"non2xx"`
	Errors      int            `json:"errors"`
	Statuses    map[string]int `json:"statuses,omitempty"`
	FirstError  string         `json:"first_error,omitempty"`
	Exhausted   bool           `json:"exhausted,omitempty"`
	AchievedRPS float64        `json:"achieved_rps"`
	Late        int            `json:"late_over_1ms"`
	P50US       float64        `json:"p50_us"`
	P90US       float64        `json:"p90_us"`
	P99US       float64        `json:"p99_us"`
	P999US      float64        `json:"p999_us"`
	MaxUS       float64        `json:"max_us"`
	SendP50US   float64        `json:"send_p50_us"`
	SendP99US   float64        `json:"send_p99_us"`
}

// caller makes one request i; it returns a status (200 for a found row on
// PostgreSQL) or an error.
type caller func(ctx context.Context, i int) (int, error)

var errNoRow = errors.New("not exactly the person asked for")

func loadCmd(args []string) {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	target := fs.String("target", "pgx", "pgx (the prepared query on a pgxpool), pgx-tx (the same inside the statements xietong's data-API runtime sends: BEGIN READ ONLY, SET LOCAL statement_timeout, query, ROLLBACK) or gateway (pre-signed calls from -file)")
	mode := fs.String("mode", "open", "open (constant rate, latency from the due time) or closed (-workers back to back)")
	dsn := fs.String("dsn", "", "PostgreSQL DSN (pgx targets)")
	credsFile := fs.String("creds", "", "credentials written by setup (the SQL; the gateway URL)")
	idsFile := fs.String("ids", "", "the persons' 公民身份号码 (pgx targets)")
	file := fs.String("file", "", "pre-signed requests (gateway target)")
	conns := fs.Int("conns", 10, "pgxpool MaxConns (pgx targets)")
	rate := fs.Float64("rate", 500, "requests per second (open)")
	workers := fs.Int("workers", 32, "concurrent callers (closed)")
	warmup := fs.Duration("warmup", 5*time.Second, "warm-up, not measured")
	duration := fs.Duration("duration", 30*time.Second, "measured duration")
	inflight := fs.Int("inflight", 512, "most requests in flight at once (open)")
	timeout := fs.Duration("timeout", 5*time.Second, "timeout of one request")
	seed := fs.Uint64("seed", 2, "seed of the random choice of persons (pgx targets)")
	name := fs.String("name", "", "name for the result")
	out := fs.String("out", "", "result JSON file (also printed)")
	fs.Parse(args)
	if *rate <= 0 || *rate > 200000 || *duration <= 0 || *duration > 10*time.Minute || *warmup < 0 || *warmup > time.Minute ||
		*workers < 1 || *workers > 1024 || *conns < 1 || *conns > 500 {
		log.Fatal("0 < -rate ≤ 200000, 0 < -duration ≤ 10m, 0 ≤ -warmup ≤ 1m, 1 ≤ -workers ≤ 1024, 1 ≤ -conns ≤ 500")
	}
	c := readCreds(*credsFile)
	ctx := context.Background()
	var call caller
	var total int // requests available (gateway), 0: unbounded
	var closeFn func()
	switch *target {
	case "pgx", "pgx-tx":
		call, closeFn = pgxCaller(ctx, *dsn, c.SQL, readIDs(*idsFile), *conns, *target == "pgx-tx", *seed)
	case "gateway":
		loopback("the gateway", c.GatewayURL)
		call, total = gatewayCaller(c.GatewayURL, *file, *workers, *timeout)
		closeFn = func() {}
	default:
		log.Fatalf("unknown -target %q", *target)
	}
	var res Result
	switch *mode {
	case "open":
		res = openLoop(call, *rate, *warmup, *duration, *inflight, *timeout, total)
	case "closed":
		res = closedLoop(call, *workers, *warmup, *duration, *timeout, total)
	default:
		log.Fatalf("unknown -mode %q", *mode)
	}
	closeFn()
	res.Target = *name
	if res.Target == "" {
		res.Target = *target
	}
	if *target != "gateway" {
		res.PoolConns = *conns
	}
	raw, _ := json.MarshalIndent(res, "", "  ")
	fmt.Println(string(raw))
	if *out != "" {
		if err := os.WriteFile(*out, raw, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// pgxCaller: the query on a pgxpool, prepared on every connection, for a
// random person per call; the answer is scanned and checked.
func pgxCaller(ctx context.Context, dsn, sql string, ids []string, conns int, tx bool, seed uint64) (caller, func()) {
	loopback("the PostgreSQL DSN", dsn)
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		log.Fatal(err)
	}
	cfg.MaxConns = int32(conns)
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Prepare(ctx, "person", sql)
		return err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		log.Fatal(err)
	}
	// Open the pool's connections before any measurement, as xietong's
	// pool is open (and warmed by setup's calls and the warm-up) too.
	var wg sync.WaitGroup
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if c, err := pool.Acquire(ctx); err == nil {
				time.Sleep(50 * time.Millisecond)
				c.Release()
			} else {
				log.Fatalf("pgxpool: %v", err)
			}
		}()
	}
	wg.Wait()
	// The person of call i is fixed before the run (no lock, no RNG on the hot path).
	rng := mrand.New(mrand.NewPCG(seed, 7))
	pick := make([]string, 1<<20)
	for i := range pick {
		pick[i] = ids[rng.IntN(len(ids))]
	}
	one := func(ctx context.Context, q interface {
		QueryRow(context.Context, string, ...any) pgx.Row
	}, id string) error {
		var aac001 int64
		var aac002, aac003, aae005, aab301 string
		var salary pgtype.Numeric
		if err := q.QueryRow(ctx, "person", id).Scan(&aac001, &aac002, &aac003, &aae005, &aab301, &salary); err != nil {
			return err
		}
		if aac002 != id {
			return errNoRow
		}
		return nil
	}
	call := func(ctx context.Context, i int) (int, error) {
		id := pick[i&(len(pick)-1)]
		if !tx {
			if err := one(ctx, pool, id); err != nil {
				return 0, err
			}
			return 200, nil
		}
		t, err := pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
		if err != nil {
			return 0, err
		}
		defer t.Rollback(context.Background())
		if _, err := t.Exec(ctx, "SET LOCAL statement_timeout = 3000"); err != nil {
			return 0, err
		}
		if err := one(ctx, t, id); err != nil {
			return 0, err
		}
		if err := t.Rollback(ctx); err != nil {
			return 0, err
		}
		return 200, nil
	}
	return call, pool.Close
}

type signed struct {
	target string
	header http.Header
}

// gatewayCaller: pre-signed calls, each sent once, the answer checked to
// hold one row.
func gatewayCaller(base, file string, conns int, timeout time.Duration) (caller, int) {
	raw, err := os.ReadFile(file)
	if err != nil {
		log.Fatal(err)
	}
	var reqs []signed
	for _, line := range strings.Split(string(raw), "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		h := http.Header{}
		for _, kv := range f[1:] {
			k, v, _ := strings.Cut(kv, ": ")
			h.Set(k, v)
		}
		reqs = append(reqs, signed{target: base + f[0], header: h})
	}
	if conns < 512 {
		conns = 512
	}
	hc := &http.Client{Timeout: timeout, Transport: &http.Transport{
		MaxIdleConns: conns, MaxIdleConnsPerHost: conns, IdleConnTimeout: time.Minute, DisableCompression: true,
	}}
	oneRow := []byte(`"data":[{`)
	call := func(ctx context.Context, i int) (int, error) {
		r, _ := http.NewRequestWithContext(ctx, "GET", reqs[i].target, nil)
		r.Header = reqs[i].header
		res, err := hc.Do(r)
		if err != nil {
			return 0, err
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return 0, err
		}
		if res.StatusCode == 200 && (!bytes.Contains(body, oneRow) || bytes.Count(body, []byte(`"aac001":`)) != 1) {
			return 0, fmt.Errorf("%w: %.200s", errNoRow, body)
		}
		return res.StatusCode, nil
	}
	return call, len(reqs)
}

// openLoop is bench/gateway/rate's method: request i is due at
// start + i/rate whatever the answers to earlier ones, and its latency is
// measured from that due time (no coordinated omission). Bounded: at most
// inflight at a time, a timeout per request, a hard deadline.
func openLoop(call caller, rate float64, warmup, duration time.Duration, inflight int, timeout time.Duration, avail int) Result {
	total := int(rate * (warmup + duration).Seconds())
	skip := int(rate * warmup.Seconds())
	if avail > 0 && avail < total {
		log.Fatalf("%d pre-signed requests, the run needs %d (rate × (warm-up + duration))", avail, total)
	}
	lat := make([]time.Duration, total)
	slat := make([]time.Duration, total)
	status := make([]int, total)
	var late atomic.Int64
	var firstErr atomic.Value
	sem := make(chan struct{}, inflight)
	var wg sync.WaitGroup
	interval := float64(time.Second) / rate
	start := time.Now().Add(20 * time.Millisecond)
	deadline := start.Add(warmup + duration + 2*timeout + 5*time.Second)
	for i := 0; i < total; i++ {
		due := start.Add(time.Duration(float64(i) * interval))
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		if time.Now().After(deadline) {
			log.Fatal("past the hard deadline; the target is not keeping up at all")
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(i int, due time.Time) {
			defer func() { <-sem; wg.Done() }()
			sent := time.Now()
			if sent.Sub(due) > time.Millisecond && i >= skip {
				late.Add(1)
			}
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			st, err := call(ctx, i)
			cancel()
			if err != nil {
				firstErr.CompareAndSwap(nil, err.Error())
				st = 0
			}
			now := time.Now()
			status[i], lat[i], slat[i] = st, now.Sub(due), now.Sub(sent)
		}(i, due)
	}
	wg.Wait()
	end := start.Add(time.Duration(float64(total) * interval))
	res := Result{Mode: "open", Rate: rate, WarmupS: warmup.Seconds(), DurationS: duration.Seconds(), Statuses: map[string]int{}}
	res.tally(status[skip:])
	if v := firstErr.Load(); v != nil {
		res.FirstError = v.(string)
	}
	res.Late = int(late.Load())
	res.AchievedRPS = float64(res.Measured) / end.Sub(start.Add(warmup)).Seconds()
	res.percentiles(lat[skip:], slat[skip:])
	return res
}

// closedLoop: workers call back to back; the calls completed inside the
// measured window count. Latency is from the send (closed loop).
func closedLoop(call caller, workers int, warmup, duration, timeout time.Duration, avail int) Result {
	start := time.Now()
	from, to := start.Add(warmup), start.Add(warmup+duration)
	var next atomic.Int64
	var exhausted atomic.Bool
	var firstErr atomic.Value
	type rec struct {
		lat time.Duration
		st  int
	}
	per := make([][]rec, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for time.Now().Before(to) {
				i := int(next.Add(1) - 1)
				if avail > 0 && i >= avail {
					exhausted.Store(true)
					return
				}
				ctx, cancel := context.WithTimeout(context.Background(), timeout)
				sent := time.Now()
				st, err := call(ctx, i)
				cancel()
				done := time.Now()
				if err != nil {
					firstErr.CompareAndSwap(nil, err.Error())
					st = 0
				}
				if done.After(from) && !done.After(to) {
					per[w] = append(per[w], rec{done.Sub(sent), st})
				}
			}
		}(w)
	}
	wg.Wait()
	var lat []time.Duration
	var status []int
	for _, rs := range per {
		for _, r := range rs {
			lat, status = append(lat, r.lat), append(status, r.st)
		}
	}
	res := Result{Mode: "closed", Workers: workers, WarmupS: warmup.Seconds(), DurationS: duration.Seconds(), Statuses: map[string]int{}}
	res.tally(status)
	if v := firstErr.Load(); v != nil {
		res.FirstError = v.(string)
	}
	res.Exhausted = exhausted.Load()
	res.AchievedRPS = float64(res.Measured) / duration.Seconds()
	res.percentiles(lat, lat)
	return res
}

func (res *Result) tally(status []int) {
	for _, st := range status {
		res.Measured++
		switch {
		case st == 0:
			res.Errors++
		case st >= 200 && st < 300:
			res.OK++
		default:
			res.Non2xx++
		}
		if st != 0 {
			res.Statuses[fmt.Sprint(st)]++
		}
	}
}

func (res *Result) percentiles(lat, slat []time.Duration) {
	m := append([]time.Duration(nil), lat...)
	sm := append([]time.Duration(nil), slat...)
	sort.Slice(m, func(a, b int) bool { return m[a] < m[b] })
	sort.Slice(sm, func(a, b int) bool { return sm[a] < sm[b] })
	pct := func(s []time.Duration, p float64) float64 {
		if len(s) == 0 {
			return 0
		}
		i := int(p / 100 * float64(len(s)))
		if i >= len(s) {
			i = len(s) - 1
		}
		return float64(s[i].Nanoseconds()) / 1000
	}
	res.P50US, res.P90US, res.P99US, res.P999US, res.MaxUS = pct(m, 50), pct(m, 90), pct(m, 99), pct(m, 99.9), pct(m, 100)
	res.SendP50US, res.SendP99US = pct(sm, 50), pct(sm, 99)
}
