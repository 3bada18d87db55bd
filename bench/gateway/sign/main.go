// Command sign pre-signs gateway requests for the load generators. The
// gateway refuses a nonce it has seen, so every request of a run needs its
// own nonce and signature; signing them ahead keeps the client's crypto out
// of the measurement. Each output line is one GET request:
//
//	/gw/bench/person?query<TAB>X-XT-Key-Id: …<TAB>X-XT-Timestamp: …<TAB>X-XT-Nonce: …<TAB>X-XT-Signature: …[<TAB>X-XT-Encryption: …]
//
// All lines carry the same timestamp (now), so a file must be used within
// the gateway's ±300 s window.
package main

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	xt "github.com/xietong/xietong/sdk/go"
)

type creds struct {
	Path          string `json:"path"`
	Query         string `json:"query"`
	HMACKeyID     string `json:"hmac_key_id"`
	HMACSecret    string `json:"hmac_secret"`
	SM2KeyID      string `json:"sm2_key_id"`
	SM2PrivatePEM string `json:"sm2_private_pem"`
	DataKeyID     string `json:"data_key_id"`
	DataKeyHex    string `json:"data_key_hex"`
}

func main() {
	credsFile := flag.String("creds", "", "credentials written by setup")
	mode := flag.String("mode", "hmac", "hmac (HMAC-SM3, plain query) or sm2 (SM2-SM3 with the query sealed by SM4-GCM)")
	n := flag.Int("n", 10000, "number of requests")
	out := flag.String("out", "", "output file")
	flag.Parse()
	if *n <= 0 || *n > 20_000_000 || *out == "" {
		log.Fatal("sign: -out and 0 < -n ≤ 20000000 are required")
	}
	raw, err := os.ReadFile(*credsFile)
	if err != nil {
		log.Fatal(err)
	}
	var c creds
	if err := json.Unmarshal(raw, &c); err != nil {
		log.Fatal(err)
	}
	var priv *sm2.PrivateKey
	var dataKey []byte
	keyID := c.HMACKeyID
	if *mode == "sm2" {
		keyID = c.SM2KeyID
		b, _ := pem.Decode([]byte(c.SM2PrivatePEM))
		if b == nil {
			log.Fatal("sign: bad SM2 private key PEM")
		}
		k, err := smx509.ParsePKCS8PrivateKey(b.Bytes)
		if err != nil {
			log.Fatal(err)
		}
		var ok bool
		if priv, ok = k.(*sm2.PrivateKey); !ok {
			log.Fatal("sign: not an SM2 private key")
		}
		if dataKey, err = hex.DecodeString(c.DataKeyHex); err != nil || len(dataKey) != 16 {
			log.Fatal("sign: bad data key")
		}
	} else if *mode != "hmac" {
		log.Fatalf("sign: unknown -mode %q", *mode)
	}

	// A random run prefix keeps nonces unique across files for the same key.
	pre := make([]byte, 9)
	rand.Read(pre)
	prefix := base64.RawURLEncoding.EncodeToString(pre)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	started := time.Now()
	lines := make([]string, *n)
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	var failed error
	var once sync.Once
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < *n; i += workers {
				l, err := line(*mode, c, keyID, ts, fmt.Sprintf("%s-%010d", prefix, i), priv, dataKey)
				if err != nil {
					once.Do(func() { failed = err })
					return
				}
				lines[i] = l
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
	fmt.Fprintf(os.Stderr, "sign: %d %s requests in %.1f s (timestamp %s)\n", *n, *mode, time.Since(started).Seconds(), ts)
}

func line(mode string, c creds, keyID, ts, nonce string, priv *sm2.PrivateKey, dataKey []byte) (string, error) {
	query, enc := c.Query, ""
	if mode == "sm2" {
		enc = xt.ModeGCM + ";" + c.DataKeyID
		sealed, err := xt.Seal(xt.ModeGCM, dataKey, []byte(c.Query), xt.RequestAAD(keyID, ts, nonce))
		if err != nil {
			return "", err
		}
		query = xt.EncryptedQueryParam + "=" + base64.RawURLEncoding.EncodeToString(sealed)
	}
	msg, err := xt.Request{Method: "GET", Path: c.Path, RawQuery: query, KeyID: keyID, Timestamp: ts, Nonce: nonce, Encryption: enc}.StringToSign()
	if err != nil {
		return "", err
	}
	var sig []byte
	if mode == "sm2" {
		if sig, err = xt.SM2Sign(priv, msg); err != nil {
			return "", err
		}
	} else {
		sig = xt.HMACSign(c.HMACSecret, msg)
	}
	s := c.Path + "?" + query +
		"\t" + xt.HeaderKeyID + ": " + keyID +
		"\t" + xt.HeaderTimestamp + ": " + ts +
		"\t" + xt.HeaderNonce + ": " + nonce +
		"\t" + xt.HeaderSignature + ": " + base64.StdEncoding.EncodeToString(sig)
	if enc != "" {
		s += "\t" + xt.HeaderEncryption + ": " + enc
	}
	return s, nil
}
