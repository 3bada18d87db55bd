package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/testutil"
	xt "github.com/xietong/xietong/sdk/go"
)

// Helpers of the tests that build and run the real binary.

// builtBinary is the xietong binary the tests run, built once per test
// process (linking it takes seconds) into a folder TestMain removes.
var builtBinary struct {
	once     sync.Once
	dir, bin string
	err      error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtBinary.dir != "" {
		os.RemoveAll(builtBinary.dir)
	}
	os.Exit(code)
}

// buildBinary returns the path of the xietong binary, building it on the
// first call.
func buildBinary(t *testing.T) string {
	t.Helper()
	b := &builtBinary
	b.once.Do(func() {
		if b.dir, b.err = os.MkdirTemp("", "xietong-bin-"); b.err != nil {
			return
		}
		b.bin = filepath.Join(b.dir, "xietong")
		if out, err := exec.Command("go", "build", "-o", b.bin, ".").CombinedOutput(); err != nil {
			b.err = fmt.Errorf("%v\n%s", err, out)
		}
	})
	if b.err != nil {
		t.Fatalf("build: %v", b.err)
	}
	return b.bin
}

// startBinary runs `xietong serve` on dataDir (extra environment in env)
// and returns the process and the console and gateway addresses it printed.
func startBinary(t *testing.T, bin, dataDir string, env ...string) (*exec.Cmd, string, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--plain-http", "--gateway-listen", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "XIETONG_GATEWAY_PLAIN_HTTP=true", "XIETONG_BOOTSTRAP_PASSWORD="+testutil.BootstrapPassword, "XIETONG_PASSWORD_ITERATIONS=10000", "XIETONG_LOG_LEVEL=error")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Its call-log ingester child ends after it (Pdeathsig): wait for
		// both, so that nothing writes to the data dir the test removes.
		kids := childPIDs(cmd.Process.Pid)
		cmd.Process.Kill()
		cmd.Wait()
		waitGone(t, kids)
	})
	re := regexp.MustCompile(`(console|gateway) at http://([^/\s]+)/`)
	addrs := map[string]string{}
	sc := bufio.NewScanner(out)
	deadline := time.AfterFunc(30*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for len(addrs) < 2 && sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			addrs[m[1]] = m[2]
		}
	}
	if len(addrs) < 2 {
		t.Fatal("xietong did not print its addresses")
	}
	go io.Copy(io.Discard, out)
	return cmd, "http://" + addrs["console"], "http://" + addrs["gateway"]
}

// jsonUpstream answers every call with a one-person JSON list.
func jsonUpstream(t *testing.T) *httptest.Server {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"code":0,"data":{"items":[{"name":"张三"}]}}`))
	}))
	t.Cleanup(up.Close)
	return up
}

// grantedClient sets up, through the console API, a consumer with an HMAC
// key granted GET /gw/p → upstream, and returns its client once the gateway
// accepts its calls.
func grantedClient(t *testing.T, console, gw, upstream string) *xt.Client {
	t.Helper()
	sys := testutil.NewClient(t, console, http.DefaultTransport)
	sys.LoginChanging("sysadmin", testutil.BootstrapPassword, testutil.AdminPassword)
	sec := testutil.NewClient(t, console, http.DefaultTransport)
	sec.LoginChanging("secadmin", testutil.BootstrapPassword, testutil.AdminPassword)
	var c struct{ ID int64 }
	sys.Do("POST", "/api/v1/gateway/consumers", map[string]any{"code": "bank", "name": "银行"}).Want(t, 201, "").JSON(t, &c)
	var a struct{ ID int64 }
	sys.Do("POST", "/api/v1/gateway/apis", map[string]any{"code": "p", "name": "p", "method": "GET", "path": "/gw/p", "upstream_url": upstream}).Want(t, 201, "").JSON(t, &a)
	var k struct {
		KeyID  string `json:"key_id"`
		Secret string `json:"secret"`
	}
	sec.Do("POST", fmt.Sprintf("/api/v1/gateway/consumers/%d/keys", c.ID), map[string]any{"kind": "hmac"}).Want(t, 201, "").JSON(t, &k)
	sec.Do("POST", "/api/v1/gateway/grants", map[string]any{"consumer_id": c.ID, "api_id": a.ID}).Want(t, 201, "")

	client := &xt.Client{BaseURL: gw, KeyID: k.KeyID, HMACSecret: k.Secret, HTTP: &http.Client{Timeout: 5 * time.Second}}
	// Wait for the configuration to reach the gateway (it polls every 500 ms).
	for i := 0; ; i++ {
		res, err := client.Do(context.Background(), "GET", "/gw/p", nil, nil)
		if err == nil && res.Status == 200 {
			return client
		}
		if i > 50 {
			t.Fatalf("gateway never accepted the call: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// childPIDs lists pid's child processes.
func childPIDs(pid int) []int {
	var out []int
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, f := range tasks {
		b, _ := os.ReadFile(f)
		for _, s := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(s); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}

// procStat is the fields of /proc/pid/stat after the command name
// (field 3, the state, is [0]); nil when the process is gone.
func procStat(pid int) []string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil
	}
	s := string(b)
	return strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
}

// waitGone waits (≤ 20 s) until the processes have exited (zombies count
// as exited: whoever adopted them reaps them).
func waitGone(t *testing.T, pids []int) {
	for _, p := range pids {
		for i := 0; ; i++ {
			if f := procStat(p); f == nil || f[0] == "Z" {
				break
			}
			if i == 200 {
				t.Errorf("process %d still running 20 s after its parent ended", p)
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}
