package main

import (
	"context"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/config"
	"github.com/northstar-cx/northstar/internal/store"
)

func newRetentionCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "retention",
		Short: "Apply the per-channel retention rules (remove old transcripts, keep the facts)",
		Long: `Retention rules say how many days each channel's contacts keep their content, e.g. in
northstar.yaml:

  retention:
    chat: 365
    voice: 90

(or --retention chat=365,voice=90, or NORTHSTAR_RETENTION). Past that age a contact's transcript,
tags and attributes, and its surveys' comments, are removed; the contact's facts (channel, times,
handle time, sentiment, intent, resolution, scores, cost) stay, so every metric over past periods
is unchanged. 'northstar serve' applies the rules once a day.`,
	}
	var dry bool
	apply := &cobra.Command{
		Use:   "apply [--dry-run]",
		Short: "Apply the retention rules now",
		Example: `  northstar retention apply --dry-run --retention chat=365,voice=90
  northstar retention apply`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.config()
			if err != nil {
				return err
			}
			if len(c.Retention) == 0 {
				return usageError{"no retention rules configured: set retention (e.g. --retention chat=365,voice=90, or a map in northstar.yaml)"}
			}
			st, err := g.openStore(cmd.Context(), c)
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := applyRetention(cmd.Context(), st, c, dry, cliActor())
			if err != nil {
				return err
			}
			if !dry && st.Engine() == "duckdb" {
				// Removed transcripts stay in DuckDB's freed blocks until the
				// file is rewritten (a no-op when nothing was removed).
				if err := st.Close(); err != nil {
					return err
				}
				if err := store.CompactPending(cmd.Context(), c.DB); err != nil {
					return err
				}
			}
			if g.jsonOut {
				return writeJSON(g, map[string]any{"dry_run": dry, "rules": res})
			}
			verb := "purged"
			if dry {
				verb = "would purge"
			}
			tw := tabwriter.NewWriter(g.e.stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintf(tw, "channel\tdays\tcontacts before\ttranscripts %s\tsurvey comments %s\n", verb, verb)
			for _, r := range res {
				fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", r.Channel, r.Days, r.Before.Format("2006-01-02"), num(r.Interactions), num(r.Surveys))
			}
			return tw.Flush()
		},
	}
	apply.Flags().BoolVar(&dry, "dry-run", false, "count what would be removed, change nothing")
	cmd.AddCommand(apply)
	return cmd
}

// applyRetention applies the rules and, when something was removed,
// records it in the audit log (counts only).
func applyRetention(ctx context.Context, st *store.Store, c *config.Config, dry bool, actor string) ([]store.RetentionResult, error) {
	res, err := st.ApplyRetention(ctx, c.Retention, dry)
	if err != nil || dry {
		return res, err
	}
	details := map[string]string{"rules": config.FormatRetention(c.Retention)}
	total := 0
	for _, r := range res {
		details[r.Channel] = strconv.Itoa(r.Interactions)
		total += r.Interactions
	}
	if total == 0 {
		return res, nil
	}
	_, err = audit.New(st).Append(ctx, audit.Entry{Actor: actor, Action: "retention.apply", Target: "interactions", Details: details})
	return res, err
}

// retentionDaily applies the retention rules when the server starts and
// then every 24 hours, until ctx ends.
func (g *globals) retentionDaily(ctx context.Context, c *config.Config, st *store.Store) {
	if len(c.Retention) == 0 {
		return
	}
	log := g.logger()
	t := time.NewTimer(time.Minute) // let the server settle first
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		res, err := applyRetention(ctx, st, c, false, "system:retention")
		if err != nil {
			log.Error("retention", "err", err)
		} else {
			for _, r := range res {
				log.Info("retention applied", "channel", r.Channel, "days", r.Days, "transcripts", r.Interactions, "survey_comments", r.Surveys)
			}
		}
		t.Reset(24 * time.Hour)
	}
}
