// Command perfsplit reads `perf script -F comm,ip,sym` output (call stacks
// of a CPU profile taken with perf record -g) and prints where xietong's
// CPU time goes, as the share of its samples that pass through each part
// of a gateway call (inclusive: a sample counts for every part on its
// stack). run.sh uses it for the profile-*.txt files.
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

const (
	gw  = "github.com/xietong/xietong/internal/gateway."
	cl  = "github.com/xietong/xietong/internal/calllog."
	sm2 = "github.com/emmansun/gmsm/sm2."
)

type row struct {
	name string
	in   func(stack []string) bool
}

func has(names ...string) func([]string) bool {
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

func prefix(p string) func([]string) bool {
	return func(s []string) bool {
		for _, f := range s {
			if strings.HasPrefix(f, p) {
				return true
			}
		}
		return false
	}
}

func contains(p string) func([]string) bool {
	return func(s []string) bool {
		for _, f := range s {
			if strings.Contains(f, p) {
				return true
			}
		}
		return false
	}
}

func and(a, b func([]string) bool) func([]string) bool {
	return func(s []string) bool { return a(s) && b(s) }
}

var rows = []row{
	{"gateway server: srvConn.serve (everything about a request; net/http's conn.serve before 2a64bd2)", has(gw+"(*srvConn).serve", "net/http.(*conn).serve")},
	{"  gateway ServeHTTP", has(gw + "(*Gateway).ServeHTTP")},
	{"    authenticate (canonical string, signature verify)", has(gw + "authenticate.Check")},
	{"      SM2 verify of the request", and(has(gw+"authenticate.Check"), has(sm2+"VerifyASN1WithSM2"))},
	{"    replay (nonce store)", has(gw + "replay.Check")},
	{"    decrypt (SM4 open of xt_q)", has(gw + "decrypt.Check")},
	{"    quota stage incl. subject (ID checksum, HMAC-SM3 index, SM4 seal)", has(gw + "quota.Check")},
	{"    forward", has(gw + "(*Gateway).forward")},
	{"      send to upstream (net/http client, in the handler)", has(gw + "(*Gateway).send")},
	{"      Shaper.Shape (filter + mask the JSON)", has(gw + "(*Shaper).Shape")},
	{"      SM4 seal of the answer", and(has(gw+"(*Gateway).forward"), contains("gmsm/internal/sm4"))},
	{"      respond (response string, signature, journal append)", has(gw + "(*Gateway).respond")},
	{"        SM2 sign of the answer", and(has(gw+"(*Gateway).respond"), has(sm2+"SignASN1", sm2+"(*PrivateKey).Sign"))},
	{"        Journal.Append (encode + write syscall)", has(cl + "(*Journal).Append")},
	{"  writing the response to the socket (finish; net/http: finishRequest)", has(gw+"(*respWriter).finish", "net/http.(*response).finishRequest")},
	{"  reading the request (readRequest)", has(gw+"(*srvConn).readRequest", "net/http.(*conn).readRequest")},
	{"upstream client transport goroutines (persistConn read/write loops)", has("net/http.(*persistConn).readLoop", "net/http.(*persistConn).writeLoop")},
	{"call-log ingester (journal → SQLite, on a timer)", has(cl + "(*Ingester).segment")},
	{"  json.Unmarshal of journal lines", and(has(cl+"(*Ingester).segment"), has("encoding/json.Unmarshal"))},
	{"  SQLite (modernc) insert + commit", and(has(cl+"(*Ingester).segment"), prefix("modernc.org/sqlite"))},
	{"GC: background mark workers + assists + sweep", has("runtime.gcBgMarkWorker", "runtime.gcAssistAlloc", "runtime.bgsweep")},
	{"allocation: runtime.mallocgc (inclusive)", has("runtime.mallocgc")},
	{"SM3 (gmsm), everywhere", contains("gmsm/internal/sm3")},
	{"SM2 (gmsm), everywhere", contains("gmsm/sm2")},
	{"kernel: write(2)/sendmsg", has("ksys_write", "__sys_sendmsg", "__x64_sys_sendto")},
	{"kernel: read(2)/recv", has("ksys_read", "__x64_sys_recvfrom")},
}

func main() {
	comm := flag.String("comm", "xietong", "process name to keep")
	flag.Parse()
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
			f := strings.Fields(line)
			if len(f) >= 2 {
				cur = append(cur, off.ReplaceAllString(strings.Join(f[1:], " "), ""))
			}
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	if len(stacks) == 0 {
		log.Fatalf("perfsplit: no samples of %q", *comm)
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
