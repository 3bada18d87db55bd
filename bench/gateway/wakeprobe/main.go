// Command wakeprobe measures how late this machine wakes a sleeping
// thread: it sleeps 1 ms at a time for -duration and records, for each
// sleep, how much longer than 1 ms it took. Run beside a constant-rate
// load, it tells the scheduling delay every process on the machine meets
// at that moment — the floor under any latency measured there, which the
// load generator, the upstream and the gateway all pay (docs/benchmarks.md).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"slices"
	"time"
)

type result struct {
	Samples int     `json:"samples"`
	P50US   float64 `json:"p50_us"`
	P99US   float64 `json:"p99_us"`
	P999US  float64 `json:"p999_us"`
	MaxUS   float64 `json:"max_us"`
	Over1ms int     `json:"late_over_1ms"`
}

func main() {
	duration := flag.Duration("duration", 10*time.Second, "how long to probe")
	out := flag.String("out", "", "write the result as JSON to this file (default: standard output)")
	flag.Parse()
	if *duration <= 0 || *duration > time.Hour {
		fmt.Fprintln(os.Stderr, "wakeprobe: -duration must be in (0, 1h]")
		os.Exit(2)
	}
	runtime.LockOSThread() // one thread sleeping and waking, as a server's would
	const tick = time.Millisecond
	var late []float64
	end := time.Now().Add(*duration)
	for now := time.Now(); now.Before(end); {
		time.Sleep(tick)
		t := time.Now()
		late = append(late, float64(t.Sub(now)-tick)/float64(time.Microsecond))
		now = t
	}
	slices.Sort(late)
	pct := func(p float64) float64 { return late[min(len(late)-1, int(float64(len(late))*p/100))] }
	r := result{Samples: len(late), P50US: pct(50), P99US: pct(99), P999US: pct(99.9), MaxUS: late[len(late)-1]}
	for _, l := range late {
		if l > 1000 {
			r.Over1ms++
		}
	}
	b, _ := json.Marshal(r)
	if *out == "" {
		fmt.Println(string(b))
		return
	}
	if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "wakeprobe:", err)
		os.Exit(1)
	}
}
