// Package config loads xietong's settings from defaults, an optional YAML
// file and XIETONG_* environment variables (a secret may instead be read
// from the file named by XIETONG_<NAME>_FILE). The result is passed
// explicitly; there is no global configuration.
package config

import (
	"fmt"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Config is everything xietong reads at start.
type Config struct {
	DataDir            string
	Listen             string
	PlainHTTP          bool // serve HTTP without TLS: allowed on loopback only
	TLSCert            string
	TLSKey             string
	DBDriver           string // sqlite | postgres
	DBDSN              string // secret: may hold a password
	BootstrapPassword  string // secret
	MetricsToken       string // secret; empty means /metrics answers loopback callers only
	TrustedProxies     []netip.Prefix
	LogLevel           string
	PasswordIterations int
	GatewayListen      string // empty: no gateway listener
	GatewayPlainHTTP   bool   // loopback only
	RedisURL           string // secret; empty: gateway state in memory (one node)
	RedisPrefix        string // separates deployments (and tests) sharing one Redis
	MasterKey          string // secret; 32 hex digits; empty: <data_dir>/master.key, made on first start
	BreakerOpen        time.Duration
	CentreOrg          string // code of the information centre's organisation (信息中心); empty: the root organisation
	CallLogIngest      string // process | inline: where the call-log ingester runs
	CallLogRetention   int    // days a call-log row is kept; 0: forever
}

// option is one row of the options table: its name in YAML (and, upper-cased
// with XIETONG_, in the environment), its default, whether it is secret, and
// how to set it from text.
type option struct {
	name   string
	def    string
	secret bool
	help   string
	set    func(c *Config, v string) error
}

func options() []option {
	return []option{
		{"data_dir", "./xietong-data", false, "folder for the embedded SQLite database, TLS certificate and files", func(c *Config, v string) error { c.DataDir = v; return nil }},
		{"listen", "127.0.0.1:8443", false, "address of the console and API", func(c *Config, v string) error { c.Listen = v; return nil }},
		{"plain_http", "false", false, "serve plain HTTP (loopback addresses only)", func(c *Config, v string) (err error) { c.PlainHTTP, err = strconv.ParseBool(v); return }},
		{"tls_cert", "", false, "PEM certificate; empty: a self-signed one is made in the data dir", func(c *Config, v string) error { c.TLSCert = v; return nil }},
		{"tls_key", "", false, "PEM private key for tls_cert", func(c *Config, v string) error { c.TLSKey = v; return nil }},
		{"db_driver", "sqlite", false, "metadata database: sqlite or postgres", func(c *Config, v string) error { c.DBDriver = v; return nil }},
		{"db_dsn", "", true, "PostgreSQL DSN (postgres://…); empty with sqlite: <data_dir>/xietong.db", func(c *Config, v string) error { c.DBDSN = v; return nil }},
		{"bootstrap_password", "", true, "first password of sysadmin, secadmin and auditadmin; empty: generated and printed once", func(c *Config, v string) error { c.BootstrapPassword = v; return nil }},
		{"metrics_token", "", true, "bearer token for /metrics; empty: loopback callers only", func(c *Config, v string) error { c.MetricsToken = v; return nil }},
		{"trusted_proxies", "", false, "comma-separated CIDRs whose X-Forwarded-For is believed", setProxies},
		{"log_level", "info", false, "debug, info, warn or error", func(c *Config, v string) error { c.LogLevel = v; return nil }},
		{"password_iterations", "100000", false, "PBKDF2-HMAC-SM3 iterations for new password hashes", func(c *Config, v string) (err error) { c.PasswordIterations, err = strconv.Atoi(v); return }},
		{"gateway_listen", "127.0.0.1:9443", false, "address of the data-sharing gateway (apart from the console); empty: none", func(c *Config, v string) error { c.GatewayListen = v; return nil }},
		{"gateway_plain_http", "false", false, "serve the gateway over plain HTTP (loopback only)", func(c *Config, v string) (err error) { c.GatewayPlainHTTP, err = strconv.ParseBool(v); return }},
		{"redis_url", "", true, "redis://… shared by gateway nodes for nonces, rate limits and quotas; empty: memory", func(c *Config, v string) error { c.RedisURL = v; return nil }},
		{"gateway_breaker_open", "10s", false, "how long a tripped upstream breaker stays open before half-open probes", func(c *Config, v string) (err error) { c.BreakerOpen, err = time.ParseDuration(v); return }},
		{"centre_org", "", false, "organisation code of the information centre (信息中心): the middle level of sharing approvals and the approver of data demands; empty: the root organisation", func(c *Config, v string) error { c.CentreOrg = v; return nil }},
		{"redis_prefix", "xietong:", false, "prefix of every Redis key; give each deployment sharing a Redis its own", func(c *Config, v string) error { c.RedisPrefix = v; return nil }},
		{"calllog_ingest", "inline", false, "where the call-log ingester runs: inline (in the serving process) or process (a child process at the lowest CPU priority, isolated from the calls' Go runtime; see docs/decisions.md)", func(c *Config, v string) error { c.CallLogIngest = v; return nil }},
		{"calllog_retention_days", "0", false, "days the call log (gateway_calls) keeps a call: older rows are deleted hourly; 0: kept forever; else at least 180 (网络安全法 第二十一条: network logs kept no less than six months)", func(c *Config, v string) (err error) { c.CallLogRetention, err = strconv.Atoi(v); return }},
		{"master_key", "", true, "32 hex digits (SM4 key) sealing secrets at rest; empty: <data_dir>/master.key", func(c *Config, v string) error { c.MasterKey = v; return nil }},
	}
}

func setProxies(c *Config, v string) error {
	c.TrustedProxies = nil
	for _, s := range strings.Split(v, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return err
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	return nil
}

// Load builds the configuration: defaults, then the YAML file (if path is not
// empty), then the environment. env is os.Environ-style input so tests can
// pass their own.
func Load(path string, env []string) (*Config, error) {
	c := &Config{}
	opts := options()
	for _, o := range opts {
		if err := o.set(c, o.def); err != nil {
			return nil, fmt.Errorf("config: default %s: %w", o.name, err)
		}
	}
	if path != "" {
		raw, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		var file map[string]any
		if err := yaml.Unmarshal(raw, &file); err != nil {
			return nil, fmt.Errorf("config: %s: %w", path, err)
		}
		for k, v := range file {
			o, ok := find(opts, k)
			if !ok {
				return nil, fmt.Errorf("config: %s: unknown option %q", path, k)
			}
			if err := o.set(c, fmt.Sprint(v)); err != nil {
				return nil, fmt.Errorf("config: %s: %s: %w", path, k, err)
			}
		}
	}
	vars := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	for _, o := range opts {
		key := "XIETONG_" + strings.ToUpper(o.name)
		if fileName, ok := vars[key+"_FILE"]; ok {
			b, err := os.ReadFile(fileName)
			if err != nil {
				return nil, fmt.Errorf("config: %s_FILE: %w", key, err)
			}
			if err := o.set(c, strings.TrimRight(string(b), "\r\n")); err != nil {
				return nil, fmt.Errorf("config: %s_FILE: %w", key, err)
			}
		} else if v, ok := vars[key]; ok {
			if err := o.set(c, v); err != nil {
				return nil, fmt.Errorf("config: %s: %w", key, err)
			}
		}
	}
	return c, nil
}

func find(opts []option, name string) (option, bool) {
	for _, o := range opts {
		if o.name == name {
			return o, true
		}
	}
	return option{}, false
}

// Set changes one option by name (command-line flags use it).
func (c *Config) Set(name, value string) error {
	o, ok := find(options(), name)
	if !ok {
		return fmt.Errorf("config: unknown option %q", name)
	}
	return o.set(c, value)
}

// Validate checks the combination of options and fills derived defaults.
func (c *Config) Validate() error {
	if c.DataDir == "" {
		return fmt.Errorf("config: data_dir is empty")
	}
	abs, err := filepath.Abs(c.DataDir)
	if err != nil {
		return fmt.Errorf("config: data_dir: %w", err)
	}
	c.DataDir = abs
	host, _, err := net.SplitHostPort(c.Listen)
	if err != nil {
		return fmt.Errorf("config: listen %q: %w", c.Listen, err)
	}
	if c.PlainHTTP && !isLoopback(host) {
		return fmt.Errorf("config: plain_http is allowed only on a loopback address, not %q; give a certificate or let xietong make one", c.Listen)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("config: tls_cert and tls_key go together")
	}
	switch c.DBDriver {
	case "sqlite":
		if c.DBDSN == "" {
			c.DBDSN = filepath.Join(c.DataDir, "xietong.db")
		}
	case "postgres":
		if c.DBDSN == "" {
			return fmt.Errorf("config: db_driver postgres needs db_dsn")
		}
	default:
		return fmt.Errorf("config: db_driver %q: want sqlite or postgres", c.DBDriver)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: log_level %q: want debug, info, warn or error", c.LogLevel)
	}
	if c.GatewayListen != "" {
		gh, _, err := net.SplitHostPort(c.GatewayListen)
		if err != nil {
			return fmt.Errorf("config: gateway_listen %q: %w", c.GatewayListen, err)
		}
		if c.GatewayPlainHTTP && !isLoopback(gh) {
			return fmt.Errorf("config: gateway_plain_http is allowed only on a loopback address, not %q", c.GatewayListen)
		}
	}
	if c.CallLogIngest != "process" && c.CallLogIngest != "inline" {
		return fmt.Errorf("config: calllog_ingest %q: want process or inline", c.CallLogIngest)
	}
	if c.CallLogRetention != 0 && (c.CallLogRetention < MinCallLogRetention || c.CallLogRetention > 36500) {
		return fmt.Errorf("config: calllog_retention_days %d: want 0 (keep forever) or %d–36500 (网络安全法 第二十一条: network logs are kept at least six months)", c.CallLogRetention, MinCallLogRetention)
	}
	if c.MasterKey != "" && (len(c.MasterKey) != 32 || strings.Trim(strings.ToLower(c.MasterKey), "0123456789abcdef") != "") {
		return fmt.Errorf("config: master_key must be 32 hex digits")
	}
	if c.BreakerOpen < 100*time.Millisecond || c.BreakerOpen > time.Hour {
		return fmt.Errorf("config: gateway_breaker_open %s: want 100ms–1h", c.BreakerOpen)
	}
	if c.PasswordIterations < 10000 {
		return fmt.Errorf("config: password_iterations %d is below 10000", c.PasswordIterations)
	}
	return nil
}

// MinCallLogRetention is the shortest retention of the call log, in days:
// the Cybersecurity Law (网络安全法, art. 21) has network logs kept for no
// less than six months.
const MinCallLogRetention = 180

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.IsLoopback()
}

// Redacted lists every option with secrets replaced, for `xietong config` and logs.
func (c *Config) Redacted() map[string]string {
	out := map[string]string{
		"data_dir": c.DataDir, "listen": c.Listen, "plain_http": strconv.FormatBool(c.PlainHTTP),
		"tls_cert": c.TLSCert, "tls_key": c.TLSKey, "db_driver": c.DBDriver, "log_level": c.LogLevel,
		"password_iterations": strconv.Itoa(c.PasswordIterations),
		"gateway_listen":      c.GatewayListen, "gateway_plain_http": strconv.FormatBool(c.GatewayPlainHTTP),
	}
	var ps []string
	for _, p := range c.TrustedProxies {
		ps = append(ps, p.String())
	}
	out["trusted_proxies"] = strings.Join(ps, ",")
	for name, v := range map[string]string{"db_dsn": c.DBDSN, "bootstrap_password": c.BootstrapPassword, "metrics_token": c.MetricsToken,
		"redis_url": c.RedisURL, "master_key": c.MasterKey} {
		if v != "" {
			out[name] = "******"
		} else {
			out[name] = ""
		}
	}
	return out
}

// Help lists the options for `xietong serve --help`.
func Help() string {
	var b strings.Builder
	for _, o := range options() {
		sec := ""
		if o.secret {
			sec = " (secret; XIETONG_" + strings.ToUpper(o.name) + "_FILE reads it from a file)"
		}
		fmt.Fprintf(&b, "  %-22s XIETONG_%-22s default %-18q %s%s\n", o.name, strings.ToUpper(o.name), o.def, o.help, sec)
	}
	return b.String()
}
