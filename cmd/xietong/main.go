// Command xietong (协同) runs the data-sharing, governance and fund
// supervision platform of a social-insurance bureau. See `xietong --help`.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/xietong/xietong/internal/httpx"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRoot().ExecuteContext(ctx); err != nil {
		var p *httpx.Problem
		if errors.As(err, &p) {
			fmt.Fprintf(os.Stderr, "xietong: %s (%s)\n", p.DetailEN, p.Code)
			for _, e := range p.Errors {
				fmt.Fprintf(os.Stderr, "  %s: %s %s\n", e.Field, e.Code, e.Message)
			}
		} else {
			fmt.Fprintln(os.Stderr, "xietong:", err)
		}
		os.Exit(1)
	}
}

func newRoot() *cobra.Command {
	var g globalFlags
	root := &cobra.Command{
		Use:           "xietong",
		Short:         "xietong (协同): share social-insurance data safely, govern it, supervise the funds",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.configFile, "config", "", "YAML configuration file (options: see `xietong serve --help`)")
	root.PersistentFlags().StringVar(&g.dataDir, "data-dir", "", "data folder of the embedded defaults (overrides data_dir)")
	root.AddCommand(newServe(&g), newMigrate(&g), newUser(&g), newAudit(&g), newCall(), newGenData(&g), newRules(&g), newLoad(&g), newVersion(), newIngestCalls(&g))
	return root
}

func newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Run:   func(cmd *cobra.Command, _ []string) { fmt.Fprintln(cmd.OutOrStdout(), "xietong", version) },
	}
}

func newLogger(level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}
