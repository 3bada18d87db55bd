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
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/testutil"
	xt "github.com/xietong/xietong/sdk/go"
)

// startBinary runs `xietong serve` on dataDir and returns the process and
// the console and gateway addresses it printed.
func startBinary(t *testing.T, bin, dataDir string) (*exec.Cmd, string, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--plain-http", "--gateway-listen", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "XIETONG_GATEWAY_PLAIN_HTTP=true", "XIETONG_BOOTSTRAP_PASSWORD="+testutil.BootstrapPassword, "XIETONG_PASSWORD_ITERATIONS=10000", "XIETONG_LOG_LEVEL=error")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
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

// TestKillUnderLoadLosesNoAnsweredCall: SIGKILL the process while calls are
// in flight; after a restart, every call that got an answer is in the call log.
func TestKillUnderLoadLosesNoAnsweredCall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "xietong")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	proc, console, gw := startBinary(t, bin, data)

	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"code":0,"data":{"items":[{"name":"张三"}]}}`))
	}))
	defer up.Close()
	sys := testutil.NewClient(t, console, http.DefaultTransport)
	sys.LoginChanging("sysadmin", testutil.BootstrapPassword, testutil.AdminPassword)
	sec := testutil.NewClient(t, console, http.DefaultTransport)
	sec.LoginChanging("secadmin", testutil.BootstrapPassword, testutil.AdminPassword)
	var c struct{ ID int64 }
	sys.Do("POST", "/api/v1/gateway/consumers", map[string]any{"code": "bank", "name": "银行"}).Want(t, 201, "").JSON(t, &c)
	var a struct{ ID int64 }
	sys.Do("POST", "/api/v1/gateway/apis", map[string]any{"code": "p", "name": "p", "method": "GET", "path": "/gw/p", "upstream_url": up.URL}).Want(t, 201, "").JSON(t, &a)
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
			break
		}
		if i > 50 {
			t.Fatalf("gateway never accepted the call: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}

	var mu sync.Mutex
	var answered []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100000; i++ {
				select {
				case <-stop:
					return
				default:
				}
				res, err := client.Do(context.Background(), "GET", "/gw/p", nil, nil)
				if err != nil {
					continue // no verified answer: the call may or may not be logged
				}
				if res.Status == 200 {
					mu.Lock()
					answered = append(answered, res.Header.Get("X-XT-Call-Id"))
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(1500 * time.Millisecond)
	if err := proc.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	proc.Wait()
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wg.Wait()
	if len(answered) < 100 {
		t.Fatalf("only %d calls answered before the kill: no load", len(answered))
	}

	// Restart: the journal is ingested; every answered call must be there.
	restarted, _, _ := startBinary(t, bin, data)
	d, err := db.Open(context.Background(), db.SQLite, filepath.Join(data, "xietong.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var missing []string
	for attempt := 0; attempt < 50; attempt++ {
		missing = missing[:0]
		for _, id := range answered {
			var n int
			if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM gateway_calls WHERE call_id = ?", id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 1 {
				missing = append(missing, id)
			}
		}
		if len(missing) == 0 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	restarted.Process.Signal(syscall.SIGTERM)
	if len(missing) > 0 {
		t.Fatalf("%d of %d answered calls are missing from the call log after the kill, e.g. %v", len(missing), len(answered), missing[:min(3, len(missing))])
	}
	t.Logf("%d calls answered before SIGKILL; all %d in the call log after restart", len(answered), len(answered))
}
