package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/xietong/xietong/internal/app"
	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/config"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/gm"
	"github.com/xietong/xietong/web"
)

type globalFlags struct {
	configFile string
	dataDir    string
}

// load reads the configuration and applies the flags that override it.
func (g *globalFlags) load(overrides map[string]string) (*config.Config, error) {
	cfg, err := config.Load(g.configFile, os.Environ())
	if err != nil {
		return nil, err
	}
	if g.dataDir != "" {
		overrides["data_dir"] = g.dataDir
	}
	for k, v := range overrides {
		if err := cfg.Set(k, v); err != nil {
			return nil, err
		}
	}
	return cfg, cfg.Validate()
}

// open builds the app (migrated and seeded) without serving.
func (g *globalFlags) open(ctx context.Context) (*app.App, error) {
	cfg, err := g.load(map[string]string{})
	if err != nil {
		return nil, err
	}
	return app.New(ctx, cfg, newLogger(cfg.LogLevel), nil)
}

func newServe(g *globalFlags) *cobra.Command {
	var listen, gatewayListen string
	var plain bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the console and API (HTTPS; a self-signed certificate is made on first start)",
		Long:  "Serve the console and API.\n\nOptions (YAML key, environment variable, default):\n" + config.Help(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			over := map[string]string{}
			if listen != "" {
				over["listen"] = listen
			}
			if plain {
				over["plain_http"] = "true"
			}
			if gatewayListen != "" {
				over["gateway_listen"] = gatewayListen
			}
			cfg, err := g.load(over)
			if err != nil {
				return err
			}
			log := newLogger(cfg.LogLevel)
			a, err := app.New(cmd.Context(), cfg, log, web.Dist())
			if err != nil {
				return err
			}
			defer a.Close()
			if exe, err := os.Executable(); err == nil {
				a.IngestCommand = ingestArgv(exe, g, cfg.DataDir)
			}
			printBootstrap(cmd, a)
			log.Info("xietong starting", "version", version, "config", cfg.Redacted())
			return a.Serve(cmd.Context(), func(console, gw string) {
				scheme, gwScheme := "https", "https"
				if cfg.PlainHTTP {
					scheme = "http"
				}
				if cfg.GatewayPlainHTTP {
					gwScheme = "http"
				}
				fmt.Fprintf(cmd.OutOrStdout(), "xietong %s: console at %s://%s/ (metadata: %s)\n", version, scheme, console, cfg.DBDriver)
				if gw != "" {
					fmt.Fprintf(cmd.OutOrStdout(), "xietong %s: gateway at %s://%s/\n", version, gwScheme, gw)
				}
			})
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "", "address to listen on (default 127.0.0.1:8443)")
	cmd.Flags().BoolVar(&plain, "plain-http", false, "serve plain HTTP (loopback only, for development)")
	cmd.Flags().StringVar(&gatewayListen, "gateway-listen", "", "address of the gateway (default 127.0.0.1:9443; \"\" in config disables it)")
	return cmd
}

// ingestArgv is the command line of serve's call-log ingester child: the
// same configuration (file, data dir; the environment is inherited).
func ingestArgv(exe string, g *globalFlags, dataDir string) []string {
	argv := []string{exe, "ingest-calls", "--data-dir", dataDir}
	if g.configFile != "" {
		argv = append(argv, "--config", g.configFile)
	}
	return argv
}

// newIngestCalls is the hidden command serve runs as its call-log
// ingester (internal/app/ingest.go); an operator never needs to run it.
func newIngestCalls(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:    "ingest-calls",
		Short:  "Move the gateway's call journal into the call log (run by serve)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.load(map[string]string{})
			if err != nil {
				return err
			}
			return app.IngestCalls(cmd.Context(), cfg, newLogger(cfg.LogLevel))
		},
	}
}

// printBootstrap tells the operator, once, the first passwords it generated.
func printBootstrap(cmd *cobra.Command, a *app.App) {
	if len(a.Bootstrap.Passwords) == 0 {
		return
	}
	out := cmd.OutOrStdout()
	fmt.Fprintln(out, "================================================================")
	fmt.Fprintln(out, "首次启动：已创建三员账号，初始密码仅显示这一次，首次登录须修改。")
	fmt.Fprintln(out, "First start: the three admin accounts were created. Their first")
	fmt.Fprintln(out, "passwords are shown only now and must be changed at first login.")
	names := make([]string, 0, len(a.Bootstrap.Passwords))
	for n := range a.Bootstrap.Passwords {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(out, "  %-11s %s\n", n, a.Bootstrap.Passwords[n])
	}
	fmt.Fprintln(out, "================================================================")
}

func newMigrate(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending schema migrations (serve does this at start too)",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.load(map[string]string{})
			if err != nil {
				return err
			}
			if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
				return err
			}
			d, err := db.Open(cmd.Context(), db.Dialect(cfg.DBDriver), cfg.DBDSN)
			if err != nil {
				return err
			}
			defer d.Close()
			if err := d.Migrate(cmd.Context()); err != nil {
				return err
			}
			st, err := d.MigrationStatus(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), strings.Join(st, "\n"))
			return nil
		},
	}
	return cmd
}

func newUser(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{Use: "user", Short: "Manage accounts from the host (create, reset-password, unlock)"}
	var display, org, passFile string
	create := &cobra.Command{
		Use:   "create USERNAME",
		Short: "Create an account; it must change its password at first login",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			pass, generated, err := passwordFrom(passFile)
			if err != nil {
				return err
			}
			if display == "" {
				display = args[0]
			}
			if _, err := a.IAM.OperatorCreateUser(cmd.Context(), args[0], display, org, pass); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "created %s\n", args[0])
			if generated {
				fmt.Fprintf(cmd.OutOrStdout(), "first password (shown once): %s\n", pass)
			}
			return nil
		},
	}
	create.Flags().StringVar(&display, "display-name", "", "name shown in the console")
	create.Flags().StringVar(&org, "org", "", "organisation code (default: the root)")
	create.Flags().StringVar(&passFile, "password-file", "", "read the password from this file (default: generate one)")
	reset := &cobra.Command{
		Use:   "reset-password USERNAME",
		Short: "Set a new password (to be changed at next login), unlock, end sessions",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			pass, generated, err := passwordFrom(passFile)
			if err != nil {
				return err
			}
			if err := a.IAM.OperatorResetPassword(cmd.Context(), args[0], pass); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "password of %s reset\n", args[0])
			if generated {
				fmt.Fprintf(cmd.OutOrStdout(), "new password (shown once): %s\n", pass)
			}
			return nil
		},
	}
	reset.Flags().StringVar(&passFile, "password-file", "", "read the password from this file (default: generate one)")
	unlock := &cobra.Command{
		Use:   "unlock USERNAME",
		Short: "Clear a lockout after repeated failed logins",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := g.open(cmd.Context())
			if err != nil {
				return err
			}
			defer a.Close()
			if err := a.IAM.OperatorUnlock(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s unlocked\n", args[0])
			return nil
		},
	}
	cmd.AddCommand(create, reset, unlock)
	return cmd
}

func passwordFrom(file string) (pass string, generated bool, err error) {
	if file == "" {
		return "Xt#7" + gm.Token(15), true, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", false, err
	}
	return strings.TrimRight(string(b), "\r\n"), false, nil
}

func newAudit(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Check the audit log"}
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Verify the SM3 hash chain; name the first row that was altered or removed",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.load(map[string]string{})
			if err != nil {
				return err
			}
			d, err := db.Open(cmd.Context(), db.Dialect(cfg.DBDriver), cfg.DBDSN)
			if err != nil {
				return err
			}
			defer d.Close()
			// Verify only reads: it does not go through app.New, which would seed and so append rows.
			res, err := audit.New(d).Verify(cmd.Context())
			if err != nil {
				return err
			}
			if !res.OK {
				fmt.Fprintf(cmd.OutOrStdout(), "audit log BROKEN at row %d: %s (%d rows before it verified)\n", res.FirstBadSeq, res.Reason, res.Checked)
				return fmt.Errorf("audit log verification failed at row %d", res.FirstBadSeq)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "audit log OK: %d rows verified\n", res.Checked)
			return nil
		},
	}
	cmd.AddCommand(verify)
	return cmd
}
