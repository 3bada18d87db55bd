// Command report reads the raw results of one bench/gateway/run.sh run
// (wrk outputs with their XTBENCH and XTCPU lines, the constant-rate
// results, the SM2 speed), prints the table and the verdict per target, and
// writes everything as latest.json.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Load is one wrk run.
type Load struct {
	Target      string  `json:"target"`
	What        string  `json:"what"`
	RPS         float64 `json:"rps"`
	Requests    int64   `json:"requests"`
	P50MS       float64 `json:"p50_ms"`
	P90MS       float64 `json:"p90_ms"`
	P99MS       float64 `json:"p99_ms"`
	Non2xx      int64   `json:"non2xx"`
	Statuses    string  `json:"statuses,omitempty"`
	SocketErrs  int64   `json:"socket_errors"`
	Exhausted   int64   `json:"exhausted"`
	Loaded      int64   `json:"presigned_loaded,omitempty"`
	Used        int64   `json:"presigned_used,omitempty"`
	ServerCPUUS float64 `json:"server_cpu_us_per_req"`
	UpstreamCPU float64 `json:"upstream_cpu_us_per_req"`
	WrkCPUUS    float64 `json:"wrk_cpu_us_per_req"`
	OtherCores  float64 `json:"other_cpu_cores"` // CPU used by other processes during the run, in cores
	Valid       bool    `json:"valid"`
}

// Rate is one constant-rate run (see bench/gateway/rate).
type Rate struct {
	Target      string         `json:"target"`
	Rate        float64        `json:"rate"`
	DurationS   float64        `json:"duration_s"`
	Measured    int            `json:"measured"`
	OK          int            `json:"ok"`
	Non2xx      int            `json:"non2xx"`
	Errors      int            `json:"errors"`
	Statuses    map[string]int `json:"statuses"`
	FirstError  string         `json:"first_error,omitempty"`
	AchievedRPS float64        `json:"achieved_rps"`
	Late        int            `json:"late_over_1ms"`
	ServerCPUUS float64        `json:"server_cpu_us_per_req"`
	OtherCores  float64        `json:"other_cpu_cores"`
	P50US       float64        `json:"p50_us"`
	P90US       float64        `json:"p90_us"`
	P99US       float64        `json:"p99_us"`
	P999US      float64        `json:"p999_us"`
	MaxUS       float64        `json:"max_us"`
}

// Verdict is one target of the brief.
type Verdict struct {
	Name       string  `json:"name"`
	Value      float64 `json:"value"`
	Unit       string  `json:"unit"`
	Target     string  `json:"target"`
	Met        bool    `json:"met"`        // only when Determined
	Determined bool    `json:"determined"` // the runs it depends on had no errors and were not disturbed
	Margin     string  `json:"margin"`
	Valid      bool    `json:"valid"`
	Disturb    float64 `json:"other_cpu_cores_max"` // the most other processes used during a run it depends on
	Comments   string  `json:"comments,omitempty"`
}

var kv = regexp.MustCompile(`(\w+)=(\S+)`)

func fields(line string) map[string]string {
	m := map[string]string{}
	for _, x := range kv.FindAllStringSubmatch(line, -1) {
		m[x[1]] = x[2]
	}
	return m
}

func num(m map[string]string, k string) float64 {
	v, _ := strconv.ParseFloat(m[k], 64)
	return v
}

func readLoad(dir, target, what string) (*Load, error) {
	f, err := os.Open(filepath.Join(dir, "wrk-"+target+".txt"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var b, c map[string]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		switch {
		case strings.HasPrefix(sc.Text(), "XTBENCH "):
			b = fields(sc.Text())
		case strings.HasPrefix(sc.Text(), "XTCPU "):
			c = fields(sc.Text())
		}
	}
	if b == nil {
		return nil, fmt.Errorf("wrk-%s.txt has no XTBENCH line (wrk failed?)", target)
	}
	l := &Load{Target: target, What: what, RPS: num(b, "rps"), Requests: int64(num(b, "requests")),
		P50MS: num(b, "p50_us") / 1000, P90MS: num(b, "p90_us") / 1000, P99MS: num(b, "p99_us") / 1000,
		Non2xx: int64(num(b, "non2xx")), Exhausted: int64(num(b, "exhausted")), Loaded: int64(num(b, "loaded")), Used: int64(num(b, "used")),
		SocketErrs: int64(num(b, "err_connect") + num(b, "err_read") + num(b, "err_write") + num(b, "err_timeout"))}
	if b["statuses"] != "-" {
		l.Statuses = b["statuses"]
	}
	if c != nil && l.Requests > 0 {
		l.ServerCPUUS = num(c, "server_s") * 1e6 / float64(l.Requests)
		l.UpstreamCPU = num(c, "upstream_s") * 1e6 / float64(l.Requests)
		l.WrkCPUUS = num(c, "wrk_s") * 1e6 / float64(l.Requests)
		if d := num(b, "duration_us"); d > 0 {
			l.OtherCores = num(c, "other_s") / (d / 1e6)
		}
	}
	l.Valid = l.Non2xx == 0 && l.Exhausted == 0 && l.SocketErrs == 0 && l.Requests > 0
	return l, nil
}

// readCPU reads the XTCPU line run.sh writes beside a constant-rate or SM2
// speed result.
func readCPU(path string) map[string]string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "XTCPU ") {
			return fields(line)
		}
	}
	return nil
}

func otherCores(c map[string]string) float64 {
	if e := num(c, "elapsed_s"); e > 0 {
		return num(c, "other_s") / e
	}
	return 0
}

func readJSON(path string, v any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

func verdict(name string, value float64, unit, target string, met bool, margin string, valid bool) Verdict {
	return Verdict{Name: name, Value: value, Unit: unit, Target: target, Met: met && valid, Margin: margin, Valid: valid}
}

func main() {
	dir := flag.String("dir", "", "results folder of the run")
	flag.Parse()
	var meta map[string]any
	if err := readJSON(filepath.Join(*dir, "meta.json"), &meta); err != nil {
		log.Fatal(err)
	}
	targets := []struct{ name, what string }{
		{"upstream", "upstream directly (Go net/http, fixed ≈1 KB JSON)"},
		{"nginx", "nginx reverse proxy (2 workers, keepalive upstream)"},
		{"caddy", "Caddy reverse_proxy"},
		{"xietong-hmac", "xietong HMAC-SM3 + nonce + grant + masking + call log"},
		{"xietong-sm2", "xietong SM2-SM3 + SM4-GCM query, SM4-GCM + SM2-signed answer"},
	}
	loads := map[string]*Load{}
	var list []*Load
	for _, t := range targets {
		l, err := readLoad(*dir, t.name, t.what)
		if err != nil {
			log.Printf("report: %v", err)
			l = &Load{Target: t.name, What: t.what}
		}
		loads[t.name] = l
		list = append(list, l)
	}
	var rUp, rXT Rate
	errUp := readJSON(filepath.Join(*dir, "rate-upstream.json"), &rUp)
	errXT := readJSON(filepath.Join(*dir, "rate-xietong-hmac.json"), &rXT)
	var sm2 struct {
		Cores            int     `json:"cores"`
		VerifyPerSec     float64 `json:"verify_per_s"`
		SignPerSec       float64 `json:"sign_per_s"`
		SignVerifyPerSec float64 `json:"sign_plus_verify_per_s"`
	}
	errSM2 := readJSON(filepath.Join(*dir, "sm2speed.json"), &sm2)
	for _, r := range []*Rate{&rUp, &rXT} {
		c := readCPU(filepath.Join(*dir, "rate-"+r.Target+".cpu"))
		r.OtherCores = otherCores(c)
		if r.Measured > 0 && r.DurationS > 0 {
			// The server's CPU over warm-up and run, per request sent.
			r.ServerCPUUS = num(c, "server_s") * 1e6 / (r.Rate * (r.DurationS + 2))
		}
	}
	// How late the machine woke a 1-ms sleeper (bench/gateway/wakeprobe):
	// idle, and beside each constant-rate run.
	type wake struct {
		Samples int     `json:"samples"`
		P50US   float64 `json:"p50_us"`
		P99US   float64 `json:"p99_us"`
		P999US  float64 `json:"p999_us"`
		MaxUS   float64 `json:"max_us"`
	}
	wakes := map[string]wake{}
	for _, name := range []string{"idle", "upstream", "xietong-hmac"} {
		var w wake
		if readJSON(filepath.Join(*dir, "wake-"+name+".json"), &w) == nil && w.Samples > 0 {
			wakes[name] = w
		}
	}
	sm2Other := otherCores(readCPU(filepath.Join(*dir, "sm2speed.cpu")))
	osslSign, osslVerify := opensslSM2(filepath.Join(*dir, "openssl-sm2.txt"))
	osslAllSign, osslAllVerify := opensslSM2(filepath.Join(*dir, "openssl-sm2-multi.txt"))

	// The table.
	fmt.Printf("\nxietong gateway benchmark — %v, %v cores (%v)\n", meta["date"], meta["nproc"], meta["cpu_model"])
	fmt.Printf("wrk %v threads, %v connections, %v s after a %v s warm-up; same for every target\n\n", meta["wrk_threads"], meta["wrk_connections"], meta["wrk_duration_s"], meta["warmup_s"])
	fmt.Printf("| %-13s | %9s | %8s | %8s | %8s | %7s | %12s | %9s | %s\n", "target", "req/s", "p50 ms", "p90 ms", "p99 ms", "non-2xx", "srv CPU µs/r", "other CPU", "notes")
	fmt.Printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s\n", strings.Repeat("-", 15), strings.Repeat("-", 11), strings.Repeat("-", 10), strings.Repeat("-", 10), strings.Repeat("-", 10), strings.Repeat("-", 9), strings.Repeat("-", 14), strings.Repeat("-", 11), strings.Repeat("-", 7))
	for _, l := range list {
		note := ""
		if !l.Valid {
			note = "INVALID RUN:"
			if l.Requests == 0 {
				note += " no result"
			}
			if l.Non2xx > 0 {
				note += fmt.Sprintf(" %d non-2xx (%s)", l.Non2xx, l.Statuses)
			}
			if l.SocketErrs > 0 {
				note += fmt.Sprintf(" %d socket errors", l.SocketErrs)
			}
			if l.Exhausted > 0 {
				note += fmt.Sprintf(" %d past the pre-signed requests", l.Exhausted)
			}
		} else if l.Loaded > 0 {
			note = fmt.Sprintf("pre-signed: used %d of %d", l.Used, l.Loaded)
		}
		if l.OtherCores > 0.1 {
			note += fmt.Sprintf(" DISTURBED: other processes used %.2f cores", l.OtherCores)
		}
		fmt.Printf("| %-13s | %9.0f | %8.2f | %8.2f | %8.2f | %7d | %12.1f | %9.2f | %s\n", l.Target, l.RPS, l.P50MS, l.P90MS, l.P99MS, l.Non2xx, l.ServerCPUUS, l.OtherCores, note)
	}
	fmt.Println("\n(srv CPU µs/r: CPU time of the target process(es) per request — for the proxies and xietong, without the upstream's own share;")
	fmt.Println(" other CPU: cores used meanwhile by processes other than the servers and wrk — near 0 on a quiet machine)")

	if errUp == nil && errXT == nil {
		fmt.Printf("\nconstant rate (open loop, latency from the due time), %.0f req/s = half of the HMAC path's maximum, %.0f s:\n", rXT.Rate, rXT.DurationS)
		for _, r := range []Rate{rUp, rXT} {
			fmt.Printf("  %-13s achieved %7.0f req/s  p50 %6.3f ms  p90 %6.3f ms  p99 %6.3f ms  p99.9 %6.3f ms  max %7.3f ms  non-2xx %d  errors %d  sent >1 ms late %d  other CPU %.2f cores\n",
				r.Target, r.AchievedRPS, r.P50US/1000, r.P90US/1000, r.P99US/1000, r.P999US/1000, r.MaxUS/1000, r.Non2xx, r.Errors, r.Late, r.OtherCores)
		}
	}
	if errUp == nil && errXT == nil {
		for _, cycle := range []int{200, 50} {
			for _, name := range []string{"upstream", "xietong-hmac"} {
				if ph := phases(filepath.Join(*dir, "timeline-"+name+".tsv"), cycle); ph != nil {
					fmt.Printf("  %-13s worst latency by phase of a %d ms cycle (mean of each 10-ms bucket's max, ms):", name, cycle)
					for _, v := range ph {
						fmt.Printf(" %.1f", v/1000)
					}
					fmt.Println()
				}
			}
		}
		for _, name := range []string{"idle", "upstream", "xietong-hmac"} {
			if w, ok := wakes[name]; ok {
				when := "beside that run"
				if name == "idle" {
					when = "machine otherwise idle"
				}
				fmt.Printf("  %-13s a thread sleeping 1 ms woke late by p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms (%d sleeps, %s)\n",
					name, w.P50US/1000, w.P99US/1000, w.P999US/1000, w.MaxUS/1000, w.Samples, when)
			}
		}
		fmt.Println("  (a periodic stall shows as a peak at a fixed phase; xietong's call-log ingester runs on a timer:")
		fmt.Println("   every 200 ms up to commit ddbdba5, every 50 ms from then, paced since 1db20c9, every 200 ms again since fcd286b;\n   in a child process, every 500 ms)")
	}
	if errSM2 == nil {
		fmt.Printf("\nSM2 (gmsm, %d cores): %.0f verify/s, %.0f sign/s; one verify + one sign (the gateway's SM2 work per call): %.0f/s (other CPU %.2f cores)\n",
			sm2.Cores, sm2.VerifyPerSec, sm2.SignPerSec, sm2.SignVerifyPerSec, sm2Other)
	}
	if osslVerify > 0 {
		fmt.Printf("SM2 (openssl speed sm2, 1 process): %.0f verify/s, %.0f sign/s\n", osslVerify, osslSign)
	}
	if osslAllVerify > 0 {
		fmt.Printf("SM2 (openssl speed -multi %v sm2, all cores): %.0f verify/s, %.0f sign/s\n", meta["nproc"], osslAllVerify, osslAllSign)
	}

	events := map[string]int{}
	if raw, err := os.ReadFile(filepath.Join(*dir, "events.txt")); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				events[k], _ = strconv.Atoi(strings.TrimSpace(v))
			}
		}
		fmt.Printf("\nxietong's log over the whole run: breaker opened %d times, %d call-journal lines skipped as unreadable, %d errors, %d warnings (results/xietong-warnings.log)\n",
			events["breaker_opened"], events["journal_lines_skipped"], events["log_errors"], events["log_warnings"])
	}

	// Verdicts.
	var vs []Verdict
	hm, ng, cd, s2 := loads["xietong-hmac"], loads["nginx"], loads["caddy"], loads["xietong-sm2"]
	pct := func(v, t float64) string { return fmt.Sprintf("%+.0f%% vs target", (v/t-1)*100) }
	if ng.RPS > 0 {
		v := hm.RPS / ng.RPS
		vd := verdict("HMAC path rps ÷ nginx rps", v, "×", "≥ 0.6", v >= 0.6, pct(v, 0.6), hm.Valid && ng.Valid)
		vd.Disturb = max(hm.OtherCores, ng.OtherCores)
		vs = append(vs, vd)
	}
	if cd.RPS > 0 {
		v := hm.RPS / cd.RPS
		vd := verdict("HMAC path rps ÷ Caddy rps", v, "×", "≥ 1.0", v >= 1.0, pct(v, 1.0), hm.Valid && cd.Valid)
		vd.Disturb = max(hm.OtherCores, cd.OtherCores)
		vs = append(vs, vd)
	}
	if errUp == nil && errXT == nil {
		v := (rXT.P99US - rUp.P99US) / 1000
		ok := rUp.Non2xx+rUp.Errors+rXT.Non2xx+rXT.Errors == 0
		vd := verdict(fmt.Sprintf("HMAC path added p99 at %.0f req/s (xietong p99 − upstream p99)", rXT.Rate), v, "ms", "< 2 ms", v < 2,
			fmt.Sprintf("%+.2f ms vs target", v-2), ok)
		vd.Disturb = max(rUp.OtherCores, rXT.OtherCores)
		vd.Comments = fmt.Sprintf("p50 added: %.3f ms; p90 added: %.3f ms", (rXT.P50US-rUp.P50US)/1000, (rXT.P90US-rUp.P90US)/1000)
		if w, ok := wakes["idle"]; ok {
			vd.Comments += fmt.Sprintf("; this machine wakes a sleeping thread late by %.2f ms at p99 when idle", w.P99US/1000)
		}
		if w, ok := wakes["xietong-hmac"]; ok {
			vd.Comments += fmt.Sprintf(", by %.2f ms beside this run", w.P99US/1000)
		}
		vs = append(vs, vd)
	}
	if errSM2 == nil && sm2.VerifyPerSec > 0 {
		v := s2.RPS / sm2.VerifyPerSec
		vd := verdict("SM2 path rps ÷ SM2 verify rate (gmsm, all cores)", v, "×", "≥ 0.7", v >= 0.7, pct(v, 0.7), s2.Valid)
		vd.Disturb = max(s2.OtherCores, sm2Other)
		vd.Comments = fmt.Sprintf("the gateway also SM2-signs every answer: SM2 path rps ÷ (verify + sign) rate = %.2f", s2.RPS/sm2.SignVerifyPerSec)
		if osslAllVerify > 0 {
			vd.Comments += fmt.Sprintf("; ÷ OpenSSL's verify rate on all cores (%.0f/s) = %.2f", osslAllVerify, s2.RPS/osslAllVerify)
		}
		vs = append(vs, vd)
	}
	fmt.Println("\nverdicts:")
	for _, v := range vs {
		state := "NOT MET"
		if v.Met {
			state = "met"
		}
		switch {
		case !v.Valid:
			state = "UNDETERMINED (a run it depends on had errors)"
		case v.Disturb > 0.1:
			state = fmt.Sprintf("UNDETERMINED (other processes used up to %.2f cores during a run it depends on)", v.Disturb)
		}
		fmt.Printf("  %-75s %8.3f %-2s target %-6s  %-8s %s\n", v.Name, v.Value, v.Unit, v.Target, state, v.Margin)
		if v.Comments != "" {
			fmt.Printf("    %s\n", v.Comments)
		}
	}
	for i := range vs {
		vs[i].Determined = vs[i].Valid && vs[i].Disturb <= 0.1
		vs[i].Met = vs[i].Met && vs[i].Determined
	}
	all := map[string]any{"meta": meta, "loads": list, "verdicts": vs, "xietong_log": events}
	if errUp == nil && errXT == nil {
		all["constant_rate"] = []Rate{rUp, rXT}
	}
	if len(wakes) > 0 {
		all["wake_late"] = wakes
	}
	if errSM2 == nil {
		all["sm2_gmsm"] = sm2
	}
	if osslVerify > 0 {
		all["sm2_openssl_1proc"] = map[string]float64{"verify_per_s": osslVerify, "sign_per_s": osslSign}
	}
	if osslAllVerify > 0 {
		all["sm2_openssl_all_cores"] = map[string]float64{"verify_per_s": osslAllVerify, "sign_per_s": osslAllSign}
	}
	raw, _ := json.MarshalIndent(all, "", "  ")
	if err := os.WriteFile(filepath.Join(*dir, "latest.json"), raw, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("\nwritten: %s\n", filepath.Join(*dir, "latest.json"))
}

// phases folds a rate timeline (10-ms buckets) onto a cycle of the given
// length: the mean of each bucket's worst latency per phase, in µs.
func phases(path string, cycle int) []float64 {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	sum, n := make([]float64, cycle/10), make([]float64, cycle/10)
	for _, line := range strings.Split(string(raw), "\n")[1:] {
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			continue
		}
		off, _ := strconv.Atoi(f[0])
		mx, _ := strconv.ParseFloat(f[2], 64)
		i := (off % cycle) / 10
		sum[i] += mx
		n[i]++
	}
	for i := range sum {
		if n[i] > 0 {
			sum[i] /= n[i]
		}
	}
	return sum
}

// opensslSM2 reads sign/s and verify/s from the output of openssl speed sm2
// (the last two fields of its CurveSM2 line; zero when absent).
func opensslSM2(path string) (sign, verify float64) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.Contains(line, "CurveSM2)") && !strings.Contains(line, "Doing") {
			if f := strings.Fields(line); len(f) >= 2 {
				sign, _ = strconv.ParseFloat(f[len(f)-2], 64)
				verify, _ = strconv.ParseFloat(f[len(f)-1], 64)
			}
		}
	}
	return sign, verify
}
