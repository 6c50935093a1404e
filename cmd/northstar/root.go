package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
	"strings"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/config"
	"github.com/northstar-cx/northstar/internal/insight"
	"github.com/northstar-cx/northstar/internal/store"
)

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func isUsage(err error) bool {
	if _, ok := err.(usageError); ok {
		return true
	}
	msg := err.Error()
	return strings.HasPrefix(msg, "unknown command") || strings.HasPrefix(msg, "unknown flag") ||
		strings.HasPrefix(msg, "unknown shorthand") || strings.Contains(msg, "accepts ") || strings.Contains(msg, "requires at least") ||
		strings.HasPrefix(msg, "invalid argument") || strings.Contains(msg, "flag needs an argument")
}

// globals are the flags every command shares.
type globals struct {
	configPath string
	jsonOut    bool
	verbose    bool
	cpuProfile string
	profile    *os.File
	cmd        *cobra.Command
	e          *env
	insights   *insight.Service // the server's, once handler built it (serve keeps it warm)
}

func newRootCmd(e *env) *cobra.Command {
	g := &globals{e: e}
	root := &cobra.Command{
		Use:   "northstar",
		Short: "Customer-experience intelligence: every interaction, analysed, measured and governed",
		Long: `Northstar takes every customer interaction from every channel, redacts personal data,
analyses all of them (sentiment, intent, resolution, effort, quality), joins them to customer
value and tells CX leaders what is working, what it costs and what is going wrong.

Start with 'northstar demo' to generate a demo world, import it and open the dashboard.
Configuration comes from northstar.yaml, NORTHSTAR_* variables and flags (in that order);
'northstar config show' prints the effective configuration.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			g.cmd = cmd
			return g.startProfile()
		},
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.configPath, "config", "", "configuration file (default ./northstar.yaml when present)")
	pf.BoolVar(&g.jsonOut, "json", false, "print machine-readable JSON instead of text")
	pf.BoolVarP(&g.verbose, "verbose", "v", false, "log more detail to stderr")
	pf.StringVar(&g.cpuProfile, "cpuprofile", "", "write a CPU profile of the command to this file (for 'go tool pprof')")
	_ = pf.MarkHidden("cpuprofile")
	for _, o := range config.Options() {
		help := o.Help + " (env " + o.Env() + ")"
		pf.String(o.Key, "", help)
		pf.Lookup(o.Key).DefValue = o.Default
		if o.Default == "false" || o.Default == "true" {
			pf.Lookup(o.Key).NoOptDefVal = "true" // --tls-self-signed alone means true
		}
	}
	root.AddCommand(newImportCmd(g), newAnalyzeCmd(g), newCustomerCmd(g), newInteractionCmd(g), newServeCmd(g), newDemoCmd(g), newConfigCmd(g), newIntentsCmd(g), newSentimentCmd(g), newQACmd(g))
	root.AddCommand(newUsersCmd(g), newKeysCmd(g), newAuditCmd(g))
	root.AddCommand(newMetricsCmd(g))
	root.AddCommand(newBenchCmd(g))
	root.AddCommand(newInsightsCmd(g), newPortfolioCmd(g))
	root.AddCommand(newEraseCmd(g), newRetentionCmd(g), newExportCmd(g))
	return root
}

// config loads the effective configuration for the running command.
func (g *globals) config() (*config.Config, error) {
	flags := map[string]string{}
	if g.cmd != nil {
		for _, o := range config.Options() {
			if f := g.cmd.Flags().Lookup(o.Key); f != nil && f.Changed {
				flags[o.Key] = f.Value.String()
			}
		}
	}
	return config.Load(g.configPath, g.e.getenv, flags)
}

// openStore opens the configured database.
func (g *globals) openStore(ctx context.Context, c *config.Config, opts ...store.Option) (*store.Store, error) {
	keys, err := dataKeyOptions(c)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, c.DB, append(append(keys, store.WithEffortTerms(effortTerms())), opts...)...)
	if err == nil {
		g.noteKeyFile(st)
	}
	return st, err
}

func (g *globals) logger() *slog.Logger {
	level := slog.LevelInfo
	if g.verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(g.e.stderr, &slog.HandlerOptions{Level: level}))
}

// startProfile begins the CPU profile --cpuprofile asks for: how the
// benchmarks in docs/BENCHMARKS.md find where an import spends its time.
func (g *globals) startProfile() error {
	if g.cpuProfile == "" {
		return nil
	}
	f, err := os.Create(g.cpuProfile)
	if err != nil {
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return fmt.Errorf("--cpuprofile: %w", err)
	}
	g.profile = f
	g.e.atExit = g.stopProfile // also when the command fails
	return nil
}

func (g *globals) stopProfile() {
	if g.profile != nil {
		pprof.StopCPUProfile()
		g.profile.Close()
		g.profile = nil
	}
}
