package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/analysis/intent"
	"github.com/northstar-cx/northstar/internal/demo"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/ingest"
	"github.com/northstar-cx/northstar/internal/store"
)

func newDemoCmd(g *globals) *cobra.Command {
	var (
		dir     string
		noServe bool
		cfg     = demo.DefaultConfig()
	)
	cmd := &cobra.Command{
		Use:   "demo [flags]",
		Short: "Generate a demo world, import and analyse it, and serve the app",
		Long: `Generate a deterministic world for "Hearth & Harvest", a fictional UK meal-kit subscription
brand: customers, orders and cancellations, chat/voice/email/social/messaging contacts with a bot
and three contact-centre partners, surveys, and injected incidents. Then train the brand's intent
model, import the world through the normal import path into DIR/northstar.db and serve the app.

Files written under DIR: world/*.ndjson (the import files), truth.json (what was planted: incidents,
automation verdicts, identity links, effect sizes), intents-train.csv, intents.model and
scorecard.yaml (the brand's QA scorecard, applied to every contact).`,
		Example: `  northstar demo
  northstar demo --no-serve --dir /tmp/d --seed 7 --customers 2000 --days 30
  northstar demo --customers 1500000 --days 90 --no-serve   # about 10 million interactions`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			c, err := g.config()
			if err != nil {
				return err
			}
			out := g.e.stdout
			start := time.Now()
			fmt.Fprintf(out, "Generating %s customers over %d days (seed %d) into %s …\n", num(cfg.Customers), cfg.Days, cfg.Seed, dir)
			truth, err := demo.Write(ctx, dir, cfg, nil)
			if err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			fmt.Fprintf(out, "  %s interactions, %s events, %s surveys in %.1fs\n", num(truth.Counts.Interactions), num(truth.Counts.Events), num(truth.Counts.Surveys), time.Since(start).Seconds())

			t0 := time.Now()
			modelPath := filepath.Join(dir, "intents.model")
			if err := trainDemoIntents(filepath.Join(dir, demo.IntentsTrainFile), modelPath); err != nil {
				return err
			}
			fmt.Fprintf(out, "  trained the intent model on %s in %.1fs\n", demo.IntentsTrainFile, time.Since(t0).Seconds())

			c.DB = "duckdb:" + filepath.Join(dir, "northstar.db")
			c.IntentModel = modelPath
			c.Scorecard = filepath.Join(dir, "scorecard.yaml")
			if err := os.WriteFile(c.Scorecard, demo.Scorecard(), 0o644); err != nil {
				return err
			}
			// The import is a bulk load, as `northstar import` does it; the
			// server that follows acknowledges writes one at a time, so it
			// opens the store again, with the write-ahead log.
			st, err := g.openStore(ctx, c, store.BulkLoad())
			if err != nil {
				return err
			}
			defer func() { st.Close() }() // whichever store is open by then
			pipe, err := newPipeline(c)
			if err != nil {
				return err
			}
			var sources []ingest.Source
			var total int64
			for _, f := range demo.WorldFiles() {
				s := ingest.FileSource(filepath.Join(dir, f))
				sources = append(sources, s)
				total += s.Size
			}
			opts := ingest.Options{Normalizer: identity.Normalizer{Region: c.Region}, Analyze: pipe.Analyze, MaxLine: c.MaxLineMiB << 20, RepeatWindow: c.RepeatWindow}
			restore, err := startBulkWork(ctx, st, &opts)
			if err != nil {
				return err
			}
			if bar := progressFor(g, total); bar != nil {
				opts.Progress = func(p ingest.Progress) { _ = bar.Set64(p.Bytes) }
				defer bar.Finish()
			}
			rep, err := ingest.Import(ctx, st, sources, opts)
			restore()
			if err != nil {
				return fmt.Errorf("demo import: %w", err)
			}
			if err := printReport(g, rep); err != nil {
				return err
			}
			fmt.Fprintf(out, "Demo ready in %.1fs: database %s, ground truth %s\n", time.Since(start).Seconds(), c.DB, filepath.Join(dir, demo.TruthFile))
			if noServe {
				return nil
			}
			if err := st.Close(); err != nil {
				return err
			}
			if st, err = g.openStore(ctx, c); err != nil {
				return err
			}
			return g.serve(ctx, c, st, pipe)
		},
	}
	f := cmd.Flags()
	f.StringVar(&dir, "dir", "northstar-demo", "directory for the world files, truth and database")
	f.Int64Var(&cfg.Seed, "seed", cfg.Seed, "random seed: the same seed gives the same world")
	f.IntVar(&cfg.Customers, "customers", cfg.Customers, "number of customers (up to 5,000,000; about 7.5 interactions each over 90 days)")
	f.IntVar(&cfg.Days, "days", cfg.Days, "length of the world in days (14–365)")
	f.BoolVar(&noServe, "no-serve", false, "stop after importing instead of serving the app")
	return cmd
}

const demoIntentThreshold = 0.5

// trainDemoIntents trains the brand's intent model from the demo's examples.
func trainDemoIntents(examples, out string) error {
	f, err := os.Open(examples)
	if err != nil {
		return err
	}
	defer f.Close()
	ex, err := intent.ReadExamples(f, examples)
	if err != nil {
		return err
	}
	m, err := intent.Train(ex, intent.TrainOptions{})
	if err != nil {
		return fmt.Errorf("train demo intents: %w", err)
	}
	// The training examples are clean, so cross-validated confidences sit
	// near 1 and the automatic threshold would reject most real, noisy
	// contacts (voice transcripts, typos). Half is the point where the
	// calibrated model is more likely right than wrong.
	m.SetThreshold(demoIntentThreshold)
	af, err := createAtomic(out)
	if err != nil {
		return err
	}
	defer af.abort()
	_, err = af.commit(m.Save)
	return err
}
