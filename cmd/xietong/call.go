package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/xietong/xietong/internal/gm"
	xt "github.com/xietong/xietong/sdk/go"
)

// newCall is `xietong call`: a consumer's view of the gateway, built on
// sdk/go — sign, encrypt, send, verify, decrypt, print.
func newCall() *cobra.Command {
	var o struct {
		gateway, keyID, secretFile, sm2File, platformFile, dataKeyID, envelope, mode, method, body, caFile string
		query                                                                                              []string
		insecure                                                                                           bool
		timeout                                                                                            time.Duration
	}
	cmd := &cobra.Command{
		Use:   "call PATH",
		Short: "Call a gateway API as a consumer (signed, optionally SM4-encrypted) and print the verified answer",
		Long: `Call a gateway API as a consumer would.

The HMAC secret is read from XIETONG_CALL_SECRET or --secret-file (never a flag,
so it stays out of the shell history). Examples:

  XIETONG_CALL_SECRET=… xietong call --gateway https://127.0.0.1:9443 --key-id ak_… \
      --ca tls/cert.pem /gw/person/v1/info -q aac002=11010519491231002X

  xietong call --gateway … --key-id ak_… --sm2-key consumer.pem --platform-key platform.pem \
      --data-key-id dk_… --envelope envelope.b64 /gw/person/v1/info -q aac002=…`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c := &xt.Client{BaseURL: strings.TrimRight(o.gateway, "/"), KeyID: o.keyID, Mode: o.mode}
			if c.BaseURL == "" || c.KeyID == "" {
				return errors.New("--gateway and --key-id are required")
			}
			secret := os.Getenv("XIETONG_CALL_SECRET")
			if o.secretFile != "" {
				b, err := os.ReadFile(o.secretFile)
				if err != nil {
					return err
				}
				secret = strings.TrimSpace(string(b))
			}
			if o.sm2File != "" {
				b, err := os.ReadFile(o.sm2File)
				if err != nil {
					return err
				}
				if c.SM2Key, err = gm.ParsePrivatePEM(string(b)); err != nil {
					return err
				}
			}
			envelopeKey := c.SM2Key // opens the data key whichever way requests are signed
			if secret != "" {
				c.HMACSecret, c.SM2Key = secret, nil // an HMAC secret signs; the SM2 key only opens the envelope
			}
			if o.platformFile != "" {
				b, err := os.ReadFile(o.platformFile)
				if err != nil {
					return err
				}
				if c.PlatformKey, err = gm.ParsePublicPEM(string(b)); err != nil {
					return err
				}
			}
			if o.dataKeyID != "" {
				priv := envelopeKey
				if priv == nil {
					return errors.New("--data-key-id needs --sm2-key to open the envelope")
				}
				env := o.envelope
				if b, err := os.ReadFile(env); err == nil {
					env = string(b)
				}
				key, err := xt.OpenEnvelope(priv, env)
				if err != nil {
					return err
				}
				c.DataKeyID, c.DataKey = o.dataKeyID, key
			}
			tr := http.DefaultTransport.(*http.Transport).Clone()
			if o.caFile != "" {
				pem, err := os.ReadFile(o.caFile)
				if err != nil {
					return err
				}
				pool := x509.NewCertPool()
				pool.AppendCertsFromPEM(pem)
				tr.TLSClientConfig = &tls.Config{RootCAs: pool}
			}
			if o.insecure {
				tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // asked for on the command line
			}
			c.HTTP = &http.Client{Transport: tr, Timeout: o.timeout}
			q := url.Values{}
			for _, kv := range o.query {
				k, v, _ := strings.Cut(kv, "=")
				q.Add(k, v)
			}
			var body []byte
			if o.body != "" {
				body = []byte(o.body)
			}
			res, err := c.Do(cmd.Context(), strings.ToUpper(o.method), args[0], q, body)
			if res != nil {
				fmt.Fprintf(cmd.OutOrStdout(), "status %d (call %s)\n%s\n", res.Status, res.Header.Get("X-XT-Call-Id"), res.Body)
			}
			if err != nil {
				return err
			}
			if res.Status >= 400 {
				return fmt.Errorf("refused with status %d", res.Status)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.gateway, "gateway", os.Getenv("XIETONG_GATEWAY"), "gateway address, e.g. https://127.0.0.1:9443")
	f.StringVar(&o.keyID, "key-id", "", "access key id (ak_…)")
	f.StringVar(&o.secretFile, "secret-file", "", "file holding the HMAC secret (else XIETONG_CALL_SECRET)")
	f.StringVar(&o.sm2File, "sm2-key", "", "the consumer's SM2 private key (PEM): signs SM2-SM3 and opens the data-key envelope")
	f.StringVar(&o.platformFile, "platform-key", "", "the platform's public key (PEM) to verify SM2-SM3 responses")
	f.StringVar(&o.dataKeyID, "data-key-id", "", "encrypt with this SM4 data key (dk_…)")
	f.StringVar(&o.envelope, "envelope", "", "the data key's envelope: base64 text or a file")
	f.StringVar(&o.mode, "mode", xt.ModeGCM, "SM4-GCM or SM4-CBC")
	f.StringVarP(&o.method, "method", "X", "GET", "HTTP method")
	f.StringArrayVarP(&o.query, "query", "q", nil, "query parameter name=value (repeatable)")
	f.StringVarP(&o.body, "data", "d", "", "request body (JSON)")
	f.StringVar(&o.caFile, "ca", "", "trust this CA or self-signed certificate (PEM)")
	f.BoolVar(&o.insecure, "insecure", false, "do not verify the gateway's TLS certificate (testing only)")
	f.DurationVar(&o.timeout, "timeout", 30*time.Second, "give up after this long")
	return cmd
}
