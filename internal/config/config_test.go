package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadOrder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "xietong.yaml")
	os.WriteFile(file, []byte("listen: 127.0.0.1:9000\nlog_level: debug\n"), 0o600)
	secret := filepath.Join(dir, "dsn")
	os.WriteFile(secret, []byte("postgres://u:p@db/x\n"), 0o600)
	c, err := Load(file, []string{"XIETONG_LOG_LEVEL=warn", "XIETONG_DB_DRIVER=postgres", "XIETONG_DB_DSN_FILE=" + secret, "XIETONG_DATA_DIR=" + dir})
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:9000" || c.LogLevel != "warn" || c.DBDSN != "postgres://u:p@db/x" {
		t.Fatalf("file then env then _FILE not applied: %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	red := c.Redacted()
	if red["db_dsn"] != "******" || strings.Contains(strings.Join(values(red), " "), "u:p") {
		t.Fatalf("secret leaked: %v", red)
	}
}

func values(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestValidate(t *testing.T) {
	cases := map[string]func(c *Config){
		"plain http off loopback": func(c *Config) { c.PlainHTTP = true; c.Listen = "0.0.0.0:80" },
		"cert without key":        func(c *Config) { c.TLSCert = "a.pem" },
		"postgres without dsn":    func(c *Config) { c.DBDriver = "postgres" },
		"unknown driver":          func(c *Config) { c.DBDriver = "oracle" },
		"few iterations":          func(c *Config) { c.PasswordIterations = 10 },
		"bad listen":              func(c *Config) { c.Listen = "nonsense" },
		"retention under 180":     func(c *Config) { c.CallLogRetention = 90 },
		"negative retention":      func(c *Config) { c.CallLogRetention = -1 },
	}
	for name, mutate := range cases {
		c, _ := Load("", nil)
		c.DataDir = t.TempDir()
		mutate(c)
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	c, _ := Load("", nil)
	c.DataDir = t.TempDir()
	c.PlainHTTP = true
	if err := c.Validate(); err != nil {
		t.Fatalf("plain http on loopback refused: %v", err)
	}
	for _, days := range []int{0, MinCallLogRetention, 365} {
		c.CallLogRetention = days
		if err := c.Validate(); err != nil {
			t.Fatalf("calllog_retention_days %d refused: %v", days, err)
		}
	}
	if c.DBDSN != filepath.Join(c.DataDir, "xietong.db") {
		t.Fatalf("sqlite dsn %q", c.DBDSN)
	}
}

func TestUnknownOptionInFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "x.yaml")
	os.WriteFile(file, []byte("lisen: oops\n"), 0o600)
	if _, err := Load(file, nil); err == nil || !strings.Contains(err.Error(), "lisen") {
		t.Fatalf("typo not reported: %v", err)
	}
}
