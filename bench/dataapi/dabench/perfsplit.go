package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"regexp"
	"strings"
)

// perfsplitCmd reads `perf script -F comm,ip,sym` (stacks of perf record -g)
// and prints where xietong's CPU goes in a data-API call, as the share of
// its samples whose stack passes through each part (inclusive: a sample
// counts for every part on its stack, so parts overlap). Like
// bench/gateway/perfsplit, with the parts of the data-API backend.
func perfsplitCmd(args []string) {
	fs := flag.NewFlagSet("perfsplit", flag.ExitOnError)
	comm := fs.String("comm", "xietong", "process name to keep")
	fs.Parse(args)
	const (
		gw  = "github.com/xietong/xietong/internal/gateway."
		da  = "github.com/xietong/xietong/internal/dataapi."
		cl  = "github.com/xietong/xietong/internal/calllog."
		sql = "database/sql."
		pgc = "github.com/jackc/pgx/v5/pgconn."
	)
	has := func(names ...string) func([]string) bool {
		return func(s []string) bool {
			for _, f := range s {
				for _, n := range names {
					if f == n {
						return true
					}
				}
			}
			return false
		}
	}
	contains := func(p string) func([]string) bool {
		return func(s []string) bool {
			for _, f := range s {
				if strings.Contains(f, p) {
					return true
				}
			}
			return false
		}
	}
	and := func(a, b func([]string) bool) func([]string) bool {
		return func(s []string) bool { return a(s) && b(s) }
	}
	rows := []struct {
		name string
		in   func([]string) bool
	}{
		{"net/http server: conn.serve (everything about a request)", has("net/http.(*conn).serve")},
		{"  gateway ServeHTTP", has(gw + "(*Gateway).ServeHTTP")},
		{"    authenticate (canonical string, HMAC-SM3 verify)", has(gw + "authenticate.Check")},
		{"    replay (nonce store)", has(gw + "replay.Check")},
		{"    quota stage incl. subject (ID checksum, HMAC-SM3 index, SM4 seal)", has(gw + "quota.Check")},
		{"    forward", has(gw + "(*Gateway).forward")},
		{"      data-API backend (endpoint.Serve)", has(da + "(*endpoint).Serve")},
		{"        parameters (callerValues, bind)", has(da+"callerValues", "github.com/xietong/xietong/internal/dataapi/sqltpl.(*Template).Bind")},
		{"        pool.run (connection, transaction, query, rows)", has(da + "(*pool).run")},
		{"          DB.Conn: take a connection (incl. opening a new one)", has(sql + "(*DB).Conn")},
		{"            opening a new PostgreSQL connection (pgconn connect)", and(has(sql+"(*DB).Conn"), contains(pgc+"connect"))},
		{"          BEGIN READ ONLY (Conn.BeginTx)", has(sql + "(*Conn).BeginTx")},
		{"          SET LOCAL statement_timeout (Tx.ExecContext)", has(sql + "(*Tx).ExecContext")},
		{"          the query (Tx.QueryContext)", has(sql + "(*Tx).QueryContext")},
		{"          reading the row (Rows.Next, Scan, jsonValue)", has(sql+"(*Rows).Next", sql+"(*Rows).Scan", da+"jsonValue")},
		{"          ROLLBACK (Tx.Rollback)", has(sql+"(*Tx).Rollback", sql+"(*Tx).rollback")},
		{"          Conn.Close: back to the pool (incl. closing one over max_idle)", has(sql+"(*Conn).Close", sql+"(*Conn).close", sql+"(*DB).putConn")},
		{"        encoding the answer (result.body)", has(da + "(*result).body")},
		{"      Shaper.Shape (filter + mask the JSON)", has(gw + "(*Shaper).Shape")},
		{"      respond (response string, signature, journal append)", has(gw + "(*Gateway).respond")},
		{"        Journal.Append (encode + write syscall)", has(cl + "(*Journal).Append")},
		{"  writing the response to the socket (finishRequest)", has("net/http.(*response).finishRequest")},
		{"  reading the request (readRequest)", has("net/http.(*conn).readRequest")},
		{"database/sql connectionOpener / connectionCleaner goroutines", has(sql+"(*DB).connectionOpener", sql+"(*DB).connectionCleaner")},
		{"call-log ingester (journal → SQLite, on a timer)", has(cl + "(*Ingester).segment")},
		{"GC: background mark workers + assists + sweep", has("runtime.gcBgMarkWorker", "runtime.gcAssistAlloc", "runtime.bgsweep")},
		{"allocation: runtime.mallocgc (inclusive)", has("runtime.mallocgc")},
		{"scheduler: runtime.schedule / findRunnable (incl. netpoll)", has("runtime.schedule", "runtime.findRunnable")},
		{"SM3 (gmsm), everywhere", contains("gmsm/internal/sm3")},
		{"kernel: write(2)/sendmsg", has("ksys_write", "__sys_sendmsg", "__x64_sys_sendto")},
		{"kernel: read(2)/recv", has("ksys_read", "__x64_sys_recvfrom")},
	}
	off := regexp.MustCompile(`\+0x[0-9a-f]+$`)
	var stacks [][]string
	var cur []string
	keep := false
	flush := func() {
		if keep && cur != nil {
			stacks = append(stacks, cur)
		}
		cur, keep = nil, false
	}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.TrimSpace(line) == "":
			flush()
		case line[0] != ' ' && line[0] != '\t':
			flush()
			keep = strings.TrimSpace(line) == *comm
			cur = []string{}
		default:
			if f := strings.Fields(line); len(f) >= 2 {
				cur = append(cur, off.ReplaceAllString(strings.Join(f[1:], " "), ""))
			}
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	if len(stacks) == 0 {
		log.Fatalf("no samples of %q", *comm)
	}
	fmt.Printf("%d samples of %s; share of them whose stack passes through each part:\n", len(stacks), *comm)
	for _, r := range rows {
		n := 0
		for _, s := range stacks {
			if r.in(s) {
				n++
			}
		}
		if n > 0 {
			fmt.Printf("%6.1f%%  %s\n", float64(n)*100/float64(len(stacks)), r.name)
		}
	}
}
