package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
)

// Run is one load run with its CPU accounting.
type Run struct {
	Label  string  `json:"label"`
	Result *Result `json:"result"`
	CPU    *CPU    `json:"cpu"`
	// CPU per request, µs: xietong, PostgreSQL, the load generator.
	XietongUSPerReq  float64 `json:"xietong_us_per_req"`
	PostgresUSPerReq float64 `json:"postgres_us_per_req"`
	ClientUSPerReq   float64 `json:"client_us_per_req"`
	// PostgreSQL transactions per request (pg_stat_database).
	PGXactsPerReq float64 `json:"pg_xacts_per_req"`
}

var runs = []struct{ key, label string }{
	{"open-gateway", "gateway (xietong HMAC → data API → PostgreSQL)"},
	{"open-pgx", "direct pgx (pgxpool, prepared)"},
	{"open-pgx-tx", "direct pgx + xietong's read-only tx"},
	{"closed-gateway", "gateway (xietong HMAC → data API → PostgreSQL)"},
	{"closed-pgx", "direct pgx (pgxpool, prepared)"},
	{"closed-pgx-tx", "direct pgx + xietong's read-only tx"},
}

func readJSON(path string, v any) bool {
	raw, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	if err := json.Unmarshal(raw, v); err != nil {
		log.Fatalf("%s: %v", path, err)
	}
	return true
}

func reportCmd(args []string) {
	fs := flag.NewFlagSet("report", flag.ExitOnError)
	dir := fs.String("dir", "", "results folder")
	target := fs.Float64("target-p99-ms", 20, "target p99 through the gateway, ms")
	quiet := fs.Float64("quiet", 0.15, "a run during which other processes used more cores than this is flagged")
	fs.Parse(args)
	var meta map[string]any
	if !readJSON(filepath.Join(*dir, "meta.json"), &meta) {
		log.Fatal("no meta.json")
	}
	all := map[string]*Run{}
	for _, r := range runs {
		x := &Run{Label: r.label, Result: &Result{}, CPU: &CPU{}}
		if !readJSON(filepath.Join(*dir, r.key+".json"), x.Result) {
			continue
		}
		x.Result.Mode = strings.Split(r.key, "-")[0]
		if readJSON(filepath.Join(*dir, r.key+".cpu.json"), x.CPU) && x.CPU.ElapsedS > 0 {
			// Requests over the whole run (warm-up included), as the CPU was.
			n := x.Result.AchievedRPS * (x.Result.WarmupS + x.Result.DurationS)
			if n > 0 {
				x.XietongUSPerReq = x.CPU.XietongS / n * 1e6
				x.PostgresUSPerReq = x.CPU.PostgresS / n * 1e6
				x.ClientUSPerReq = x.CPU.ClientS / n * 1e6
				x.PGXactsPerReq = float64(x.CPU.PGXacts) / n
			}
		} else {
			x.CPU = nil
		}
		all[r.key] = x
	}
	ms := func(us float64) string { return fmt.Sprintf("%.2f", us/1000) }
	var b strings.Builder
	fmt.Fprintf(&b, "\nData-API benchmark: GET /gw/data/person?sfzh=… (one row by 公民身份号码, %v persons, cache_seconds 0: every call runs the query on PostgreSQL)\n",
		meta["persons"])
	fmt.Fprintf(&b, "machine: %v cores, %v; PostgreSQL %v; %v; data source pool max_open %v max_idle %v; direct pgxpool MaxConns %v\n\n",
		meta["nproc"], meta["cpu_model"], meta["postgres"], meta["go"], meta["pool_max_open"], meta["pool_max_idle"], meta["pgx_conns"])
	fmt.Fprintf(&b, "%-6s | %-48s | %9s | %8s | %8s | %8s | %8s | %8s | %8s | %6s | %-21s | %8s | %8s | %s\n",
		"mode", "target", "offered", "achieved", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "CPU µs/req xt/pg/gen", "pg conns", "xact/req", "other cores")
	b.WriteString(strings.Repeat("-", 200) + "\n")
	for _, r := range runs {
		x := all[r.key]
		if x == nil {
			continue
		}
		res := x.Result
		offered := fmt.Sprintf("%.0f/s", res.Rate)
		if res.Mode == "closed" {
			offered = fmt.Sprintf("%d wkrs", res.Workers)
		}
		cpu, other, sess, xr := "", "", "", ""
		if x.CPU != nil {
			sess, xr = fmt.Sprint(x.CPU.PGSessions), fmt.Sprintf("%.2f", x.PGXactsPerReq)
			cpu = fmt.Sprintf("%.0f / %.0f / %.0f", x.XietongUSPerReq, x.PostgresUSPerReq, x.ClientUSPerReq)
			other = fmt.Sprintf("%.2f", x.CPU.OtherCores)
			if x.CPU.OtherCores > *quiet {
				other += " DISTURBED"
			}
		}
		errs := fmt.Sprint(res.Errors + res.Non2xx)
		if res.Exhausted {
			errs += " EXHAUSTED"
		}
		fmt.Fprintf(&b, "%-6s | %-48s | %9s | %8.1f | %8s | %8s | %8s | %8s | %8s | %6s | %-21s | %8s | %8s | %s\n",
			res.Mode, x.Label, offered, res.AchievedRPS, ms(res.P50US), ms(res.P90US), ms(res.P99US), ms(res.P999US), ms(res.MaxUS), errs, cpu, sess, xr, other)
	}
	b.WriteString("\n(open: constant rate, latency from each request's due time, after a warm-up; closed: workers back to back, latency from the send;\n" +
		" CPU per request of xietong / PostgreSQL / the load generator; pg conns: PostgreSQL sessions opened during the run, xact/req: its transactions per request\n" +
		" (pg_stat_database; other users of the database count too); other cores: CPU other processes on this machine took meanwhile)\n")
	ratios := map[string]float64{}
	g, d, dt := all["open-gateway"], all["open-pgx"], all["open-pgx-tx"]
	if g != nil && d != nil && d.Result.P99US > 0 {
		ratios["open_p99_gateway_over_direct"] = g.Result.P99US / d.Result.P99US
		ratios["open_p50_gateway_over_direct"] = g.Result.P50US / d.Result.P50US
		fmt.Fprintf(&b, "ratio gateway/direct pgx at %.0f req/s: p50 %.2f×, p99 %.2f× (added p99 %.2f ms)\n", g.Result.Rate,
			ratios["open_p50_gateway_over_direct"], ratios["open_p99_gateway_over_direct"], (g.Result.P99US-d.Result.P99US)/1000)
	}
	if g != nil && dt != nil && dt.Result.P99US > 0 {
		ratios["open_p99_gateway_over_direct_tx"] = g.Result.P99US / dt.Result.P99US
	}
	cg, cd, cdt := all["closed-gateway"], all["closed-pgx"], all["closed-pgx-tx"]
	if cg != nil && cd != nil && cd.Result.AchievedRPS > 0 {
		ratios["max_rps_gateway_over_direct"] = cg.Result.AchievedRPS / cd.Result.AchievedRPS
		fmt.Fprintf(&b, "ratio gateway/direct pgx, closed-loop maximum: %.3f× (%.0f vs %.0f req/s)", ratios["max_rps_gateway_over_direct"], cg.Result.AchievedRPS, cd.Result.AchievedRPS)
		if cdt != nil && cdt.Result.AchievedRPS > 0 {
			ratios["max_rps_gateway_over_direct_tx"] = cg.Result.AchievedRPS / cdt.Result.AchievedRPS
			fmt.Fprintf(&b, "; gateway/(pgx + read-only tx) %.3f× (%.0f req/s)", ratios["max_rps_gateway_over_direct_tx"], cdt.Result.AchievedRPS)
		}
		b.WriteString("\n")
		if g != nil {
			ratios["gateway_headroom"] = cg.Result.AchievedRPS / g.Result.Rate
			fmt.Fprintf(&b, "headroom: the gateway's closed-loop maximum is %.1f× the target rate\n", ratios["gateway_headroom"])
		}
	}
	verdict, why := "FAIL", "no gateway run"
	if g != nil {
		r := g.Result
		okRate := r.AchievedRPS >= 0.99*r.Rate
		clean := r.Errors == 0 && r.Non2xx == 0
		switch {
		case !clean:
			why = fmt.Sprintf("%d errors, %d non-2xx (first: %s)", r.Errors, r.Non2xx, r.FirstError)
		case !okRate:
			why = fmt.Sprintf("achieved %.1f req/s of %.0f", r.AchievedRPS, r.Rate)
		case r.P99US >= *target*1000:
			why = fmt.Sprintf("p99 %.2f ms ≥ %.0f ms at %.0f req/s", r.P99US/1000, *target, r.Rate)
		default:
			verdict, why = "PASS", fmt.Sprintf("p99 %.2f ms < %.0f ms at %.1f req/s through the gateway, no errors", r.P99US/1000, *target, r.AchievedRPS)
		}
		if g.CPU != nil && g.CPU.OtherCores > *quiet {
			why += fmt.Sprintf(" (disturbed: other processes used %.2f cores during the run)", g.CPU.OtherCores)
			if verdict == "FAIL" && clean && okRate {
				// A miss while something else took the CPU says nothing
				// about the gateway: run again on a quiet machine.
				verdict = "UNDETERMINED"
				why += "; run again on a quiet machine"
			}
		}
	}
	fmt.Fprintf(&b, "\nTARGET p99 < %.0f ms at %v req/s through the gateway: %s — %s\n", *target, meta["rate"], verdict, why)
	fmt.Print(b.String())
	latest := map[string]any{"meta": meta, "runs": all, "ratios": ratios, "verdict": verdict, "verdict_detail": why, "target_p99_ms": *target}
	raw, _ := json.MarshalIndent(latest, "", "  ")
	if err := os.WriteFile(filepath.Join(*dir, "latest.json"), raw, 0o644); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*dir, "report.txt"), []byte(b.String()), 0o644); err != nil {
		log.Fatal(err)
	}
}
