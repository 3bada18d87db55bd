package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/db"
)

// TestIngesterIsALowPriorityChild: with calllog_ingest=process, serve runs
// the call-log ingester as a child process at nice 19 in its own process
// group; the child ingests every call, and on SIGTERM serve stops it after
// the last call, with everything ingested. By default (inline) there is no
// child.
func TestIngesterIsALowPriorityChild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	bin := buildBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	proc, console, gw := startBinary(t, bin, data, "XIETONG_CALLLOG_INGEST=process")

	// The child, once it has exec'd (until then its command line reads empty or as serve's).
	var kids []int
	var args []string
	for i := 0; i < 100; i++ {
		if kids = childPIDs(proc.Process.Pid); len(kids) == 1 {
			cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", kids[0]))
			if args = strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00"); len(args) > 1 && args[1] == "ingest-calls" {
				break
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(kids) != 1 {
		t.Fatalf("serve has %d child processes, want the ingester alone", len(kids))
	}
	if len(args) < 2 || args[1] != "ingest-calls" {
		t.Fatalf("the child runs %q, want ingest-calls", args)
	}
	child := kids[0]
	st := procStat(child)
	// Fields after the name: [0] state, [1] ppid, [2] pgrp, [16] nice.
	if st[16] != "19" {
		t.Errorf("the ingester's nice is %s, want 19", st[16])
	}
	if st[2] == procStat(proc.Process.Pid)[2] {
		t.Errorf("the ingester shares serve's process group %s (a terminal's Ctrl-C would stop it before serve)", st[2])
	}

	client := grantedClient(t, console, gw, jsonUpstream(t).URL)
	var ids []string
	for i := 0; i < 40; i++ {
		res, err := client.Do(context.Background(), "GET", "/gw/p", nil, nil)
		if err != nil || res.Status != 200 {
			t.Fatalf("call %d: %v %v", i, res, err)
		}
		ids = append(ids, res.Header.Get("X-XT-Call-Id"))
	}
	d, err := db.Open(context.Background(), db.SQLite, filepath.Join(data, "xietong.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	logged := func() int {
		n := 0
		for _, id := range ids {
			var c int
			if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM gateway_calls WHERE call_id = ?", id).Scan(&c); err != nil {
				t.Fatal(err)
			}
			n += c
		}
		return n
	}
	for i := 0; logged() < len(ids); i++ {
		if i == 100 {
			t.Fatalf("after 10 s the child has ingested %d of %d calls", logged(), len(ids))
		}
		time.Sleep(100 * time.Millisecond)
	}

	// The last calls, then SIGTERM: serve stops the child after its servers,
	// and the child's last round takes those calls.
	for i := 0; i < 20; i++ {
		res, err := client.Do(context.Background(), "GET", "/gw/p", nil, nil)
		if err != nil || res.Status != 200 {
			t.Fatalf("call %d: %v %v", i, res, err)
		}
		ids = append(ids, res.Header.Get("X-XT-Call-Id"))
	}
	if err := proc.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := proc.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v", err)
	}
	waitGone(t, kids)
	if n := logged(); n != len(ids) {
		t.Fatalf("after shutdown %d of %d calls are in the call log", n, len(ids))
	}

	inline, _, _ := startBinary(t, bin, data)
	time.Sleep(500 * time.Millisecond)
	if k := childPIDs(inline.Process.Pid); len(k) != 0 {
		t.Errorf("by default (calllog_ingest=inline) serve has child processes %v", k)
	}
}
