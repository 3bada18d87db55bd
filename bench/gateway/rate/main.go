// Command rate is an open-loop, constant-rate load generator (Debian's wrk
// has no fixed-rate mode). Request i is due at start + i/rate whatever the
// answers to earlier ones; its latency is measured from that due time, so a
// stalled server cannot hide its stall by slowing the client down
// (coordinated omission). Requests come pre-signed from a file written by
// bench/gateway/sign (or a fixed unsigned path for the upstream), each sent
// once. The run is bounded: warm-up plus duration, at most -inflight
// requests at a time, a timeout per request and a hard deadline.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type req struct {
	target string
	header http.Header
}

// Result is what the run writes as JSON.
type Result struct {
	Target      string         `json:"target"`
	Rate        float64        `json:"rate"`
	WarmupS     float64        `json:"warmup_s"`
	DurationS   float64        `json:"duration_s"`
	Measured    int            `json:"measured"`
	OK          int            `json:"ok"`
	Non2xx      int            `json:"non2xx"`
	Errors      int            `json:"errors"`
	Statuses    map[string]int `json:"statuses"`
	FirstError  string         `json:"first_error,omitempty"`
	AchievedRPS float64        `json:"achieved_rps"`
	Late        int            `json:"late_over_1ms"` // sent more than 1 ms after due
	P50US       float64        `json:"p50_us"`
	P90US       float64        `json:"p90_us"`
	P99US       float64        `json:"p99_us"`
	P999US      float64        `json:"p999_us"`
	MaxUS       float64        `json:"max_us"`
	SendP50US   float64        `json:"send_p50_us"` // from the actual send, for reference
	SendP99US   float64        `json:"send_p99_us"`
}

func main() {
	base := flag.String("url", "", "base URL, http://127.0.0.1:PORT")
	file := flag.String("file", "", "pre-signed requests (one per line), or empty with -path")
	path := flag.String("path", "", "fixed unsigned path?query when -file is empty")
	rate := flag.Float64("rate", 1000, "requests per second")
	warmup := flag.Duration("warmup", 2*time.Second, "warm-up at the same rate, not measured")
	duration := flag.Duration("duration", 15*time.Second, "measured duration")
	inflight := flag.Int("inflight", 512, "most requests in flight at once")
	timeout := flag.Duration("timeout", 5*time.Second, "timeout of one request")
	name := flag.String("name", "", "target name for the result")
	out := flag.String("out", "", "result JSON file (also printed)")
	timeline := flag.String("timeline", "", "optional: write per-10-ms buckets of the measured part (offset ms, requests due, max and p50 latency µs) as TSV")
	flag.Parse()
	u, err := url.Parse(*base)
	if err != nil || u.Hostname() != "127.0.0.1" {
		log.Fatalf("rate: -url must be on 127.0.0.1, not %q", *base)
	}
	if *rate <= 0 || *rate > 200000 || *duration <= 0 || *duration > 10*time.Minute || *warmup < 0 || *warmup > time.Minute {
		log.Fatal("rate: 0 < -rate ≤ 200000, 0 < -duration ≤ 10m, 0 ≤ -warmup ≤ 1m")
	}
	total := int(*rate * (*warmup + *duration).Seconds())
	skip := int(*rate * warmup.Seconds())
	reqs := make([]req, 0, total)
	if *file != "" {
		raw, err := os.ReadFile(*file)
		if err != nil {
			log.Fatal(err)
		}
		for _, line := range strings.Split(string(raw), "\n") {
			if len(reqs) == total {
				break
			}
			if line == "" {
				continue
			}
			f := strings.Split(line, "\t")
			h := http.Header{}
			for _, kv := range f[1:] {
				k, v, _ := strings.Cut(kv, ": ")
				h.Set(k, v)
			}
			reqs = append(reqs, req{target: *base + f[0], header: h})
		}
		if len(reqs) < total {
			log.Fatalf("rate: %s holds %d requests, the run needs %d (rate × (warm-up + duration))", *file, len(reqs), total)
		}
	} else {
		for i := 0; i < total; i++ {
			reqs = append(reqs, req{target: *base + *path, header: http.Header{}})
		}
	}

	hc := &http.Client{Timeout: *timeout, Transport: &http.Transport{
		MaxIdleConns: *inflight, MaxIdleConnsPerHost: *inflight, IdleConnTimeout: time.Minute, DisableCompression: true,
	}}
	lat := make([]time.Duration, total)  // from the due time
	slat := make([]time.Duration, total) // from the actual send
	status := make([]int, total)         // 0: transport error
	var late atomic.Int64
	var firstErr atomic.Value
	sem := make(chan struct{}, *inflight)
	var wg sync.WaitGroup
	interval := float64(time.Second) / *rate
	start := time.Now().Add(20 * time.Millisecond)
	deadline := start.Add(*warmup + *duration + 2**timeout + 5*time.Second)
	for i := 0; i < total; i++ {
		due := start.Add(time.Duration(float64(i) * interval))
		if d := time.Until(due); d > 0 {
			time.Sleep(d)
		}
		if time.Now().After(deadline) {
			log.Fatal("rate: past the hard deadline; the server is not keeping up at all")
		}
		sem <- struct{}{}
		wg.Add(1)
		go func(i int, due time.Time) {
			defer func() { <-sem; wg.Done() }()
			sent := time.Now()
			if sent.Sub(due) > time.Millisecond && i >= skip {
				late.Add(1)
			}
			r, _ := http.NewRequest("GET", reqs[i].target, nil)
			r.Header = reqs[i].header
			res, err := hc.Do(r)
			if err == nil {
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				status[i] = res.StatusCode
			}
			if err != nil {
				firstErr.CompareAndSwap(nil, err.Error())
			}
			now := time.Now()
			lat[i], slat[i] = now.Sub(due), now.Sub(sent)
		}(i, due)
	}
	wg.Wait()
	end := start.Add(time.Duration(float64(total) * interval))

	res := Result{Target: *name, Rate: *rate, WarmupS: warmup.Seconds(), DurationS: duration.Seconds(), Statuses: map[string]int{}}
	var m, sm []time.Duration
	for i := skip; i < total; i++ {
		res.Measured++
		switch {
		case status[i] == 0:
			res.Errors++
		case status[i] >= 200 && status[i] < 300:
			res.OK++
		default:
			res.Non2xx++
		}
		if status[i] != 0 {
			res.Statuses[fmt.Sprint(status[i])]++
		}
		m, sm = append(m, lat[i]), append(sm, slat[i])
	}
	if v := firstErr.Load(); v != nil {
		res.FirstError = v.(string)
	}
	res.Late = int(late.Load())
	res.AchievedRPS = float64(res.Measured) / end.Sub(start.Add(*warmup)).Seconds()
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
	if *timeline != "" {
		writeTimeline(*timeline, lat[skip:], *rate)
	}
	raw, _ := json.MarshalIndent(res, "", "  ")
	fmt.Println(string(raw))
	if *out != "" {
		if err := os.WriteFile(*out, raw, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

// writeTimeline buckets the latencies by due time (10 ms buckets), so that
// stalls and their period show: a stall hits every request due in it.
func writeTimeline(path string, lat []time.Duration, rate float64) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	fmt.Fprintln(f, "offset_ms\trequests\tmax_us\tp50_us")
	per := rate / 100 // requests per 10 ms
	for b := 0; float64(b)*per < float64(len(lat)); b++ {
		lo, hi := int(float64(b)*per), int(float64(b+1)*per)
		if hi > len(lat) {
			hi = len(lat)
		}
		if lo >= hi {
			continue
		}
		bucket := append([]time.Duration(nil), lat[lo:hi]...)
		sort.Slice(bucket, func(i, j int) bool { return bucket[i] < bucket[j] })
		fmt.Fprintf(f, "%d\t%d\t%d\t%d\n", b*10, hi-lo, bucket[len(bucket)-1].Microseconds(), bucket[len(bucket)/2].Microseconds())
	}
}
