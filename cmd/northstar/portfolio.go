package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/insight"
	"github.com/northstar-cx/northstar/internal/metrics"
)

func newPortfolioCmd(g *globals) *cobra.Command {
	var (
		pf    periodFlags
		focus string
	)
	ids := make([]string, 0, 4)
	for _, p := range insight.Presets() {
		ids = append(ids, p.ID)
	}
	cmd := &cobra.Command{
		Use:   "portfolio --focus FOCUS [--from DATE --to DATE] [--json]",
		Short: "The metrics that lead for a strategy, now and against the period before",
		Long: `A strategy focus chooses which metrics lead the portfolio and in which term (short: this
quarter, reconciled with finance; medium: future revenue and early warnings; long: enterprise
value). Each metric comes with its current value and interval, the previous period of equal
length and whether it moved clearly; then the statements from value linkage and automation fit
that matter for the focus. Focuses: ` + strings.Join(ids, ", ") + ` (docs/insights.md).

The default period is the last 30 days of data.`,
		Example: `  northstar portfolio --focus growth
  northstar portfolio --focus profit_protection --from 2026-10-01 --to 2026-11-01
  northstar portfolio --focus turnaround --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if focus == "" {
				return usageError{msg: "--focus is required: one of " + strings.Join(ids, ", ")}
			}
			if _, err := insight.LookupPreset(focus); err != nil {
				return usageError{msg: cx.ErrorMessage(err)}
			}
			c, err := g.config()
			if err != nil {
				return err
			}
			rep := &insight.PortfolioReport{}
			if c.Server != "" {
				q := pf.query()
				q.Set("focus", focus)
				if _, err := newClient(c).do(cmd.Context(), http.MethodGet, "/v1/portfolio?"+q.Encode(), nil, rep); err != nil {
					return err
				}
			} else {
				p, err := pf.period(c)
				if err != nil {
					return err
				}
				err = g.withInsights(cmd.Context(), c, func(s *insight.Service) error {
					rep, err = s.Portfolio(cmd.Context(), focus, p, cx.Scope{})
					if err == nil {
						_, cur, _ := s.Span(cmd.Context())
						c.Currency = orDefault(cur, c.Currency)
					}
					return err
				})
				if err != nil {
					return err
				}
			}
			if g.jsonOut {
				return writeJSON(g, rep)
			}
			printPortfolio(g.e.stdout, rep, c.Currency)
			return nil
		},
	}
	pf.add(cmd, "the last 30 days of data")
	cmd.Flags().StringVar(&focus, "focus", "", "strategy: "+strings.Join(ids, ", "))
	return cmd
}

func printPortfolio(out io.Writer, rep *insight.PortfolioReport, cur string) {
	fmt.Fprintf(out, "Portfolio · %s · %s\n%s vs %s\n\n", rep.Label, rep.Emphasis, rep.Period, rep.Previous)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "\tTERM\tMETRIC\tNOW\tBEFORE\tTREND\tWHY")
	arrow := map[string]string{"better": "▲ better", "worse": "▼ worse", "steady": "steady"}
	for _, it := range rep.Items {
		lead := ""
		if it.Lead {
			lead = "★"
		}
		m, _ := metrics.Lookup(it.Metric)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", lead, it.Term, it.Label, portfolioValue(m, it.Current, it.LowN, cur),
			portfolioValue(m, it.Previous, false, cur), arrow[it.Trend], it.Why)
	}
	tw.Flush()
	fmt.Fprintln(out, "★ leads for this focus; trends count only changes whose 95% intervals do not overlap.")
	if len(rep.Statements) > 0 {
		fmt.Fprintln(out, "\nWhat matters")
		for _, s := range rep.Statements {
			fmt.Fprintf(out, "  • %s\n", s)
		}
	}
}

func portfolioValue(m metrics.Metric, e insight.Est, lowN bool, cur string) string {
	if e.Value == nil {
		if lowN {
			return fmt.Sprintf("n<%d", metrics.DefaultMinN)
		}
		return "–"
	}
	return formatValue(m, *e.Value, cur)
}
