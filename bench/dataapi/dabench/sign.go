package main

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	mrand "math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	xt "github.com/xietong/xietong/sdk/go"
)

func readCreds(path string) Creds {
	raw, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	var c Creds
	if err := json.Unmarshal(raw, &c); err != nil {
		log.Fatal(err)
	}
	return c
}

func readIDs(path string) []string {
	raw, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	ids := strings.Fields(string(raw))
	if len(ids) == 0 {
		log.Fatalf("%s holds no 公民身份号码", path)
	}
	return ids
}

// signCmd pre-signs gateway calls, one line each, in the format
// bench/gateway/rate reads:
//
//	/gw/data/person?sfzh=…<TAB>X-XT-Key-Id: …<TAB>X-XT-Timestamp: …<TAB>X-XT-Nonce: …<TAB>X-XT-Signature: …
//
// Each line asks for a person drawn at random (uniformly) from the fixture
// and has its own nonce (the gateway refuses a replay). All lines carry the
// same timestamp (now): a file must be used within the gateway's ±300 s.
func signCmd(args []string) {
	fs := flag.NewFlagSet("sign", flag.ExitOnError)
	credsFile := fs.String("creds", "", "credentials written by setup")
	idsFile := fs.String("ids", "", "the persons' 公民身份号码")
	n := fs.Int("n", 10000, "number of requests")
	seed := fs.Uint64("seed", 1, "seed of the random choice of persons")
	out := fs.String("out", "", "output file")
	fs.Parse(args)
	if *n <= 0 || *n > 20_000_000 || *out == "" {
		log.Fatal("-out and 0 < -n ≤ 20000000 are required")
	}
	c := readCreds(*credsFile)
	ids := readIDs(*idsFile)
	pre := make([]byte, 9)
	rand.Read(pre)
	prefix := base64.RawURLEncoding.EncodeToString(pre) // unique nonces across files
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	started := time.Now()
	lines := make([]string, *n)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	var once sync.Once
	var failed error
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := mrand.New(mrand.NewPCG(*seed, uint64(w)))
			for i := w; i < *n; i += workers {
				query := "sfzh=" + ids[rng.IntN(len(ids))]
				nonce := fmt.Sprintf("%s-%09d", prefix, i)
				msg, err := xt.Request{Method: "GET", Path: c.Path, RawQuery: query, KeyID: c.KeyID, Timestamp: ts, Nonce: nonce}.StringToSign()
				if err != nil {
					once.Do(func() { failed = err })
					return
				}
				lines[i] = c.Path + "?" + query +
					"\t" + xt.HeaderKeyID + ": " + c.KeyID +
					"\t" + xt.HeaderTimestamp + ": " + ts +
					"\t" + xt.HeaderNonce + ": " + nonce +
					"\t" + xt.HeaderSignature + ": " + base64.StdEncoding.EncodeToString(xt.HMACSign(c.Secret, msg))
			}
		}(w)
	}
	wg.Wait()
	if failed != nil {
		log.Fatal(failed)
	}
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	for _, l := range lines {
		bw.WriteString(l)
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "sign: %d HMAC-SM3 requests, random persons of %d, in %.1f s\n", *n, len(ids), time.Since(started).Seconds())
}
