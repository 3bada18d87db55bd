// Command call is a runnable example of the Go SDK: it calls one gateway
// API and prints the verified, decrypted answer. Settings come from the
// environment, like the JS SDK's example:
//
//	XIETONG_GATEWAY            gateway address, e.g. https://gw.example.gov.cn
//	XIETONG_KEY_ID             ak_…
//	XIETONG_SECRET             the HMAC-SM3 secret, or
//	XIETONG_SM2_KEY_FILE       the consumer's SM2 private key (PKCS#8 PEM)
//	XIETONG_PLATFORM_KEY_FILE  the platform's public key (PEM), to verify SM2-SM3 answers
//	XIETONG_DATA_KEY_ID        dk_… (optional: SM4-encrypt the call)
//	XIETONG_DATA_KEY_ENVELOPE  the data key's envelope (base64), opened with the SM2 key
//	XIETONG_PATH, XIETONG_QUERY  what to call, e.g. /gw/person/v1/info and aac002=…
//
//	go run ./sdk/go/examples/call
package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/pem"
	"fmt"
	"net/url"
	"os"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"

	xt "github.com/xietong/xietong/sdk/go"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "call:", err)
		os.Exit(1)
	}
}

func run() error {
	c := &xt.Client{BaseURL: os.Getenv("XIETONG_GATEWAY"), KeyID: os.Getenv("XIETONG_KEY_ID"), HMACSecret: os.Getenv("XIETONG_SECRET")}
	var priv *sm2.PrivateKey
	if f := os.Getenv("XIETONG_SM2_KEY_FILE"); f != "" {
		k, err := readPEM(f)
		if err != nil {
			return err
		}
		key, err := smx509.ParsePKCS8PrivateKey(k)
		if err != nil {
			return err
		}
		var ok bool
		if priv, ok = key.(*sm2.PrivateKey); !ok {
			return fmt.Errorf("%s is not an SM2 key", f)
		}
		if c.HMACSecret == "" {
			c.SM2Key = priv
		}
	}
	if f := os.Getenv("XIETONG_PLATFORM_KEY_FILE"); f != "" {
		k, err := readPEM(f)
		if err != nil {
			return err
		}
		pub, err := smx509.ParsePKIXPublicKey(k)
		if err != nil {
			return err
		}
		c.PlatformKey, _ = pub.(*ecdsa.PublicKey)
	}
	if id := os.Getenv("XIETONG_DATA_KEY_ID"); id != "" {
		if priv == nil {
			return fmt.Errorf("the data key's envelope is opened with XIETONG_SM2_KEY_FILE")
		}
		key, err := xt.OpenEnvelope(priv, os.Getenv("XIETONG_DATA_KEY_ENVELOPE"))
		if err != nil {
			return err
		}
		c.DataKeyID, c.DataKey = id, key
	}
	q, err := url.ParseQuery(os.Getenv("XIETONG_QUERY"))
	if err != nil {
		return err
	}
	res, err := c.Do(context.Background(), "GET", os.Getenv("XIETONG_PATH"), q, nil)
	if res != nil {
		fmt.Printf("status %d\n%s\n", res.Status, res.Body)
	}
	return err
}

func readPEM(file string) ([]byte, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, fmt.Errorf("%s: no PEM block", file)
	}
	return blk.Bytes, nil
}
