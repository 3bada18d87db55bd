// Command sm2speed measures SM2-SM3 verifications and signatures per second
// on all cores with gmsm (the library the gateway uses), over a message
// shaped like an XT1 string to sign, so the SM2 path of the gateway can be
// judged against the raw cost of the cryptography on the same machine.
package main

import (
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emmansun/gmsm/sm2"

	xt "github.com/xietong/xietong/sdk/go"
)

// Result is the JSON this program prints.
type Result struct {
	Cores        int     `json:"cores"`
	VerifyPerSec float64 `json:"verify_per_s"`
	SignPerSec   float64 `json:"sign_per_s"`
	// SignVerifyPerSec is one verify plus one sign, the SM2 work the gateway
	// does per call (it verifies the request and signs the response).
	SignVerifyPerSec float64 `json:"sign_plus_verify_per_s"`
}

func run(d time.Duration, op func() error) float64 {
	var n atomic.Int64
	var wg sync.WaitGroup
	stop := time.Now().Add(d)
	start := time.Now()
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100_000_000 && time.Now().Before(stop); i++ {
				if err := op(); err != nil {
					log.Fatal(err)
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(n.Load()) / time.Since(start).Seconds()
}

func main() {
	d := flag.Duration("duration", 3*time.Second, "time per measurement")
	out := flag.String("out", "", "result JSON file (also printed)")
	flag.Parse()
	if *d <= 0 || *d > time.Minute {
		log.Fatal("sm2speed: 0 < -duration ≤ 1m")
	}
	priv, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	msg, _ := xt.Request{Method: "GET", Path: "/gw/bench/person", RawQuery: "xt_q=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4",
		KeyID: "ak_0123456789abcdefghij", Timestamp: "1763884800", Nonce: "bench-nonce-0000000001", Encryption: "SM4-GCM;dk_0123456789abcdefghij"}.StringToSign()
	sig, err := xt.SM2Sign(priv, msg)
	if err != nil {
		log.Fatal(err)
	}
	if !xt.SM2Verify(&priv.PublicKey, msg, sig) {
		log.Fatal("sm2speed: own signature does not verify")
	}
	r := Result{Cores: runtime.GOMAXPROCS(0)}
	r.VerifyPerSec = run(*d, func() error {
		if !xt.SM2Verify(&priv.PublicKey, msg, sig) {
			return fmt.Errorf("verify failed")
		}
		return nil
	})
	r.SignPerSec = run(*d, func() error { _, err := xt.SM2Sign(priv, msg); return err })
	r.SignVerifyPerSec = 1 / (1/r.VerifyPerSec + 1/r.SignPerSec)
	raw, _ := json.MarshalIndent(r, "", "  ")
	fmt.Println(string(raw))
	if *out != "" {
		if err := os.WriteFile(*out, raw, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
