// Command dabench is the helper of the data-API benchmark
// (bench/dataapi/run.sh): one binary, one subcommand per step.
//
//	dabench fixture  -dsn … -schema … -persons N -ids FILE   ac01 with N persons (COPY), their 公民身份号码 to FILE
//	dabench drop     -dsn … -schema …                        drop the schema
//	dabench setup    -console … -gateway … -dsn … …          configure xietong through the console API
//	dabench sign     -creds … -ids … -n N -out FILE           pre-sign N gateway calls, one random person each
//	dabench load     -target pgx|pgx-tx|gateway -mode open|closed …   load generator (JSON result)
//	dabench measure  -xt PID -out FILE -- CMD ARGS…            run CMD, account the CPU of xietong, PostgreSQL, CMD, the rest
//	dabench quiet    -max 60s                                  wait (bounded) until the machine is quiet
//	dabench report   -dir RESULTS                              table, verdict, latest.json
//	dabench perfsplit -comm xietong < perf-script-output        where xietong's CPU goes (PROFILE=1)
//
// Everything it talks to must be on 127.0.0.1.
package main

import (
	"fmt"
	"log"
	"net"
	"net/url"
	"os"
)

func main() {
	log.SetFlags(0)
	if len(os.Args) < 2 {
		usage()
	}
	cmd, args := os.Args[1], os.Args[2:]
	log.SetPrefix("dabench " + cmd + ": ")
	switch cmd {
	case "fixture":
		fixtureCmd(args)
	case "drop":
		dropCmd(args)
	case "setup":
		setupCmd(args)
	case "sign":
		signCmd(args)
	case "load":
		loadCmd(args)
	case "measure":
		measureCmd(args)
	case "quiet":
		quietCmd(args)
	case "report":
		reportCmd(args)
	case "perfsplit":
		perfsplitCmd(args)
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: dabench fixture|drop|setup|sign|load|measure|quiet|report|perfsplit [flags]")
	os.Exit(2)
}

// loopback refuses any address off this machine: the benchmark uses no
// network beyond 127.0.0.1.
func loopback(what, raw string) {
	u, err := url.Parse(raw)
	if err != nil {
		log.Fatalf("%s: %v", what, err)
	}
	h := u.Hostname()
	if ip := net.ParseIP(h); ip == nil || !ip.IsLoopback() {
		log.Fatalf("%s must be on 127.0.0.1, not %q", what, h)
	}
}
