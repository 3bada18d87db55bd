// Command probe waits (bounded) until the gateway answers signed HMAC calls
// with 200 again, and says what it saw meanwhile. run.sh calls it before
// every load of xietong. When wrk stops, it closes its connections with
// calls in flight; before commit dc90407 the gateway counted those
// cancelled upstream calls as upstream failures and its circuit breaker
// opened for gateway_breaker_open (10 s by default), answering 503
// gw_upstream_unavailable meanwhile. It stays as a guard: whatever it has
// to wait for goes to results/probe.log.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"time"

	xt "github.com/xietong/xietong/sdk/go"
)

func main() {
	credsFile := flag.String("creds", "", "credentials written by setup")
	maxWait := flag.Duration("max", 40*time.Second, "give up after this long")
	flag.Parse()
	raw, err := os.ReadFile(*credsFile)
	if err != nil {
		log.Fatal(err)
	}
	var c struct {
		GatewayURL string `json:"gateway_url"`
		Path       string `json:"path"`
		Query      string `json:"query"`
		HMACKeyID  string `json:"hmac_key_id"`
		HMACSecret string `json:"hmac_secret"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		log.Fatal(err)
	}
	q, _ := url.ParseQuery(c.Query)
	cl := &xt.Client{BaseURL: c.GatewayURL, KeyID: c.HMACKeyID, HMACSecret: c.HMACSecret, HTTP: &http.Client{Timeout: 5 * time.Second}}
	seen := map[string]int{}
	start := time.Now()
	ok := 0
	for time.Since(start) < *maxWait {
		r, err := cl.Do(context.Background(), "GET", c.Path, q, nil)
		switch {
		case err == nil && r.Status == 200:
			ok++
		case r != nil:
			var p struct{ Code string }
			json.Unmarshal(r.Body, &p)
			seen[fmt.Sprintf("%d %s", r.Status, p.Code)]++
			ok = 0
		default:
			seen["error: "+err.Error()]++
			ok = 0
		}
		if ok == 3 {
			if len(seen) > 0 {
				var s []string
				for k, n := range seen {
					s = append(s, fmt.Sprintf("%s ×%d", k, n))
				}
				sort.Strings(s)
				fmt.Fprintf(os.Stderr, "probe: gateway answering 200 again after %.1f s; meanwhile: %s\n", time.Since(start).Seconds(), strings.Join(s, ", "))
			}
			return
		}
		if ok == 0 {
			time.Sleep(250 * time.Millisecond)
		}
	}
	log.Fatalf("probe: the gateway did not answer 200 within %s: %v", *maxWait, seen)
}
