package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// CPU is the CPU accounting of one load run: the seconds of CPU xietong,
// PostgreSQL (every postgres process, and the backends that exited
// meanwhile), the load generator and everything else on the machine used
// while it ran. "Other" is another build or test suite on this shared
// machine: near 0 when the figures are clean.
type CPU struct {
	XietongS   float64 `json:"xietong_s"`
	PostgresS  float64 `json:"postgres_s"`
	ClientS    float64 `json:"client_s"`
	OtherS     float64 `json:"other_s"`
	ElapsedS   float64 `json:"elapsed_s"`
	OtherCores float64 `json:"other_cores"`
	// From pg_stat_database of the benchmark's database (with -dsn):
	// sessions opened and transactions ended during the run (other users
	// of that database count too).
	PGSessions int64 `json:"pg_sessions"`
	PGXacts    int64 `json:"pg_xacts"`
}

// pgStats reads the sessions opened and the transactions ended so far in
// the current database.
func pgStats(dsn string) (sessions, xacts int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c := connect(ctx, dsn)
	defer c.Close(context.Background())
	if err := c.QueryRow(ctx, "SELECT sessions, xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()").Scan(&sessions, &xacts); err != nil {
		log.Fatalf("pg_stat_database: %v", err)
	}
	return sessions, xacts
}

const hz = 100 // USER_HZ: /proc's clock ticks per second on Linux

// statFields returns the fields of /proc/PID/stat after the command name.
func statFields(pid string) (comm string, f []string, ok bool) {
	raw, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return "", nil, false
	}
	s := string(raw)
	open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || close < open {
		return "", nil, false
	}
	return s[open+1 : close], strings.Fields(s[close+1:]), true
}

func num(s string) int64 { n, _ := strconv.ParseInt(s, 10, 64); return n }

// procTicks: utime + stime of a process (all its threads).
func procTicks(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	_, f, ok := statFields(strconv.Itoa(pid))
	if !ok || len(f) < 13 {
		return 0
	}
	return num(f[11]) + num(f[12])
}

// postgresTicks: every live postgres process, plus the reaped children's
// time of the postmaster (the backends that exited count there).
func postgresTicks() int64 {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	comms := map[string]string{}
	fields := map[string][]string{}
	for _, e := range ents {
		if e.Name()[0] < '0' || e.Name()[0] > '9' {
			continue
		}
		comm, f, ok := statFields(e.Name())
		if !ok || len(f) < 15 {
			continue
		}
		comms[e.Name()] = comm
		if comm == "postgres" {
			fields[e.Name()] = f
		}
	}
	var sum int64
	for _, f := range fields {
		sum += num(f[11]) + num(f[12])
		if comms[f[1]] != "postgres" { // the postmaster: its parent is not postgres
			sum += num(f[13]) + num(f[14])
		}
	}
	return sum
}

// machineBusy: busy ticks of all CPUs (user nice system irq softirq steal).
func machineBusy() int64 {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := bytes.Cut(raw, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 9 || f[0] != "cpu" {
		return 0
	}
	return num(f[1]) + num(f[2]) + num(f[3]) + num(f[6]) + num(f[7]) + num(f[8])
}

func measureCmd(args []string) {
	fs := flag.NewFlagSet("measure", flag.ExitOnError)
	xtPID := fs.Int("xt", 0, "pid of xietong")
	out := fs.String("out", "", "CPU accounting JSON to write")
	dsn := fs.String("dsn", "", "optional: PostgreSQL DSN, to count the sessions and transactions of the run")
	fs.Parse(args)
	if fs.NArg() == 0 || *out == "" {
		log.Fatal("usage: dabench measure -xt PID -out FILE -- CMD ARGS…")
	}
	var s0, a0 int64
	if *dsn != "" {
		time.Sleep(1100 * time.Millisecond) // backends report their counts at most once a second
		s0, a0 = pgStats(*dsn)
	}
	x0, p0, m0, t0 := procTicks(*xtPID), postgresTicks(), machineBusy(), time.Now()
	cmd := exec.Command(fs.Arg(0), fs.Args()[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	err := cmd.Run()
	x1, p1, m1, t1 := procTicks(*xtPID), postgresTicks(), machineBusy(), time.Now()
	if err != nil {
		log.Fatalf("%s: %v", fs.Arg(0), err)
	}
	c := CPU{XietongS: float64(x1-x0) / hz, PostgresS: float64(p1-p0) / hz, ElapsedS: t1.Sub(t0).Seconds()}
	c.ClientS = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	c.OtherS = float64(m1-m0)/hz - c.XietongS - c.PostgresS - c.ClientS
	if c.OtherS < 0 {
		c.OtherS = 0
	}
	c.OtherCores = c.OtherS / c.ElapsedS
	if *dsn != "" {
		time.Sleep(1100 * time.Millisecond)
		s1, a1 := pgStats(*dsn)
		c.PGSessions, c.PGXacts = s1-s0-1, a1-a0-1 // less this program's own first look
	}
	raw, _ := json.Marshal(c)
	if err := os.WriteFile(*out, raw, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "cpu: xietong %.2f s, postgres %.2f s, load generator %.2f s, other processes %.2f s (%.2f cores) over %.1f s; PostgreSQL: %d sessions opened, %d transactions\n",
		c.XietongS, c.PostgresS, c.ClientS, c.OtherS, c.OtherCores, c.ElapsedS, c.PGSessions, c.PGXacts)
}

// quietCmd waits (bounded) until the machine is quiet: load from other
// processes (another build or test suite) falsifies every figure.
func quietCmd(args []string) {
	fs := flag.NewFlagSet("quiet", flag.ExitOnError)
	max := fs.Duration("max", time.Minute, "longest wait")
	below := fs.Float64("below", 0.10, "quiet: fewer busy cores than this over 2 s")
	fs.Parse(args)
	deadline := time.Now().Add(*max)
	for i := 0; ; i++ {
		a := machineBusy()
		time.Sleep(2 * time.Second)
		cores := float64(machineBusy()-a) / hz / 2
		if cores < *below {
			return
		}
		if i == 0 {
			fmt.Fprintf(os.Stderr, "quiet: waiting (≤ %s) for the machine to be quiet: %.2f cores busy\n", *max, cores)
		}
		if time.Now().After(deadline) {
			fmt.Fprintf(os.Stderr, "quiet: warning: the machine is still busy (%.2f cores); the figures will show it (other CPU)\n", cores)
			return
		}
	}
}
