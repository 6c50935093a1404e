package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/analysis"
)

func newAnalyzeCmd(g *globals) *cobra.Command {
	var (
		all    bool
		since  string
		stages []string
	)
	cmd := &cobra.Command{
		Use:   "analyze [flags] (--all | --since TIME)",
		Short: "Re-run analysis stages over stored interactions",
		Long: `Re-run the analysis pipeline over stored interactions, after a model or rule set changed
(a new intent model, a new sentiment model, a new redaction release). Each stage's results are
stored with its version; stages not named keep their stored results. Repeat-contact links are
recomputed afterwards. Stages: ` + strings.Join(analysis.Stages, ", ") + `.`,
		Example: `  northstar analyze --all
  northstar analyze --since 2026-10-01T00:00:00Z --stage intent --intent-model brand.model`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if all == (since != "") {
				return usageError{"analyze: give exactly one of --all or --since TIME"}
			}
			var from time.Time
			if since != "" {
				t, err := time.Parse(time.RFC3339, since)
				if err != nil {
					return usageError{fmt.Sprintf("--since %q: want an RFC 3339 time like 2026-10-01T00:00:00Z", since)}
				}
				from = t
			}
			c, err := g.config()
			if err != nil {
				return err
			}
			pipe, err := newPipeline(c)
			if err != nil {
				return err
			}
			fn, err := pipe.Reanalyzer(stages)
			if err != nil {
				return usageError{err.Error()}
			}
			st, err := g.openStore(cmd.Context(), c)
			if err != nil {
				return err
			}
			defer st.Close()
			restore, err := startBulkWork(cmd.Context(), st, nil)
			if err != nil {
				return err
			}
			defer restore()
			start := time.Now()
			var progress func(done, total int)
			if bar := progressFor(g, 1<<30); bar != nil {
				progress = func(done, total int) {
					bar.ChangeMax(total)
					_ = bar.Set(done)
				}
				defer bar.Finish()
			}
			n, err := st.Reanalyze(cmd.Context(), from, 2000, c.RepeatWindow, fn, progress)
			if err != nil {
				return err
			}
			secs := time.Since(start).Seconds()
			if g.jsonOut {
				return writeJSON(g, map[string]any{"interactions": n, "seconds": secs, "stages": stages, "versions": pipe.Versions()})
			}
			which := "all stages"
			if len(stages) > 0 {
				which = strings.Join(stages, ", ")
			}
			fmt.Fprintf(g.e.stdout, "Re-analysed %s interactions (%s) in %.1fs\n", num(n), which, secs)
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "re-analyse every stored interaction")
	cmd.Flags().StringVar(&since, "since", "", "re-analyse interactions that started at or after this RFC 3339 time")
	cmd.Flags().StringSliceVar(&stages, "stage", nil, "stage to re-run (repeatable; default all)")
	return cmd
}
