package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/api"
	"github.com/northstar-cx/northstar/internal/config"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/insight"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/store"
)

// newInsights is the insight service the server and the commands use: over
// src (the server's metrics source when it has one, else SQL), with the
// configured currency for data that names none.
func newInsights(c *config.Config, st *store.Store, src metrics.Source) *insight.Service {
	if src == nil {
		src = metrics.NewSQL(st)
	}
	s := insight.NewService(st.DB(), src)
	s.Currency = c.Currency
	return s
}

// periodFlags are --from and --to as the insight commands take them.
type periodFlags struct{ from, to string }

func (pf *periodFlags) add(cmd *cobra.Command, def string) {
	cmd.Flags().StringVar(&pf.from, "from", "", "start of the period, inclusive: 2026-08-01 or an RFC 3339 time (default: "+def+")")
	cmd.Flags().StringVar(&pf.to, "to", "", "end of the period, exclusive (give both or neither)")
}

func (pf *periodFlags) query() url.Values {
	v := url.Values{}
	if pf.from != "" {
		v.Set("from", pf.from)
	}
	if pf.to != "" {
		v.Set("to", pf.to)
	}
	return v
}

func (pf *periodFlags) period(c *config.Config) (insight.Period, error) {
	if (pf.from == "") != (pf.to == "") {
		return insight.Period{}, usageError{msg: "give both --from and --to, or neither for the default period"}
	}
	if pf.from == "" {
		return insight.Period{}, nil
	}
	zone, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return insight.Period{}, err
	}
	var p insight.Period
	if p.From, err = metrics.ParseTime(pf.from, zone); err != nil {
		return p, usageError{msg: "--from: " + cx.ErrorMessage(err)}
	}
	if p.To, err = metrics.ParseTime(pf.to, zone); err != nil {
		return p, usageError{msg: "--to: " + cx.ErrorMessage(err)}
	}
	if err := p.Valid(); err != nil {
		return p, usageError{msg: cx.ErrorMessage(err)}
	}
	return p, nil
}

// withInsights runs fn on a service over the local database.
func (g *globals) withInsights(ctx context.Context, c *config.Config, fn func(*insight.Service) error) error {
	st, err := g.openStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	svc := newInsights(c, st, nil)
	svc.Log = nil // a command prints its answer, not how long it took
	return fn(svc)
}

func newInsightsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "insights",
		Short: "What to automate, and what service failures cost in churn, revenue and rework",
		Long: `Insights turn the metrics into decisions, each with its numbers, intervals, a plain sentence
and the query behind it (docs/insights.md explains how each is computed and read):

  automation  per intent: volume, bot share, containment, bot vs human CSAT and repeat rate,
              costs, emotion and vulnerability, and a recommendation with its reasons
  value       customers grouped by their experience, their churn and revenue afterwards,
              the cost of failure and the contribution margin by segment`,
		Example: `  northstar insights automation
  northstar insights value --from 2026-08-01 --to 2026-10-01
  northstar insights automation --json | jq '.intents[] | select(.recommendation=="fix_bot") | .intent'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usageError{msg: "name an insight: northstar insights automation, or northstar insights value"}
		},
	}
	cmd.AddCommand(newInsightsAutomationCmd(g), newInsightsValueCmd(g))
	return cmd
}

func newInsightsAutomationCmd(g *globals) *cobra.Command {
	var pf periodFlags
	cmd := &cobra.Command{
		Use:   "automation [--from DATE --to DATE] [--json]",
		Short: "Which intents to automate more, keep human, or fix in the bot",
		Long: `For every intent: contacts, the share the bot takes first, its containment and resolved
containment (and in each half of the period, to catch a bot that got worse), CSAT and repeat rate
of bot-first against human-first contacts with 95% intervals, cost per resolution, anger, sentiment
and vulnerability; then a recommendation — automate_more, keep_human, fix_bot, no_change or
not_enough_data — with the reasons, quoting the numbers. The rules are in docs/insights.md.`,
		Example: `  northstar insights automation
  northstar insights automation --from 2026-10-01 --to 2026-11-01
  northstar insights automation --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.config()
			if err != nil {
				return err
			}
			var view api.AutomationView
			if c.Server != "" {
				if _, err := newClient(c).do(cmd.Context(), http.MethodGet, "/v1/insights/automation?"+pf.query().Encode(), nil, &view); err != nil {
					return err
				}
			} else {
				p, err := pf.period(c)
				if err != nil {
					return err
				}
				err = g.withInsights(cmd.Context(), c, func(s *insight.Service) error {
					view.Intents, view.Period, err = s.Automation(cmd.Context(), p, cx.Scope{})
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
				return writeJSON(g, view)
			}
			printAutomation(g.e.stdout, view, c.Currency)
			return nil
		},
	}
	pf.add(cmd, "all the data")
	return cmd
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// pctCell is a proportion with its n: "84% (653)"; "–" without data.
func pctCell(e insight.Est) string {
	if e.Value == nil {
		return "–"
	}
	return fmt.Sprintf("%s (%s)", insight.Pct(*e.Value), insight.Count(e.N))
}

func pair(a, b insight.Est, f func(float64) string) string {
	s := func(e insight.Est) string {
		if e.Value == nil {
			return "–"
		}
		return f(*e.Value)
	}
	return s(a) + " / " + s(b)
}

var recommendationOrder = []string{insight.AutomateMore, insight.FixBot, insight.KeepHuman, insight.NoChange, insight.NotEnoughData}

var recommendationTitle = map[string]string{
	insight.AutomateMore:  "Automate more",
	insight.FixBot:        "Fix the bot",
	insight.KeepHuman:     "Keep human",
	insight.NoChange:      "No change",
	insight.NotEnoughData: "Not enough data",
}

func printAutomation(out io.Writer, v api.AutomationView, cur string) {
	fmt.Fprintf(out, "Automation fit · %s · %d intents\n\n", v.Period, len(v.Intents))
	if len(v.Intents) == 0 {
		fmt.Fprintln(out, "No contacts with a known intent in this period.")
		return
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "INTENT\tCONTACTS\tBOT SHARE\tCONTAINED\tRESOLVED CONT.\tCSAT BOT / HUMAN\tREPEAT BOT / HUMAN\tCOST/RES BOT / HUMAN\tANGER\tVULNERABLE\tRECOMMENDATION")
	pct := func(x float64) string { return insight.Pct(x) }
	cost := func(x float64) string { return insight.Money(x, cur) }
	for _, f := range v.Intents {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Intent, insight.Count(f.Contacts), insight.Pct(f.BotShare.V()),
			pctCell(f.Containment), pctCell(f.ResolvedContainment), pair(f.CSATBot, f.CSATHuman, pct), pair(f.RepeatBot, f.RepeatHuman, pct),
			pair(f.CostPerResolutionBot, f.CostPerResolutionHuman, cost), insight.Pct(f.AngerShare.V()), insight.Pct(f.VulnerableShare.V()),
			f.Recommendation)
	}
	tw.Flush()
	by := map[string][]insight.IntentFit{}
	for _, f := range v.Intents {
		by[f.Recommendation] = append(by[f.Recommendation], f)
	}
	for _, r := range recommendationOrder {
		fs := by[r]
		if len(fs) == 0 || r == insight.NotEnoughData {
			continue
		}
		fmt.Fprintf(out, "\n%s (%d)\n", recommendationTitle[r], len(fs))
		for _, f := range fs {
			fmt.Fprintf(out, "  %s — %s\n", f.Intent, strings.Join(f.Reasons, " "))
		}
	}
	if n := len(by[insight.NotEnoughData]); n > 0 {
		var names []string
		for _, f := range by[insight.NotEnoughData] {
			names = append(names, f.Intent)
		}
		fmt.Fprintf(out, "\nNot enough data to judge (%d): %s\n", n, strings.Join(names, ", "))
	}
}

func newInsightsValueCmd(g *globals) *cobra.Command {
	var (
		pf      periodFlags
		showSQL bool
	)
	cmd := &cobra.Command{
		Use:   "value [--from DATE --to DATE] [--sql] [--json]",
		Short: "Churn and revenue after good and bad experiences, the cost of failure, margin by segment",
		Long: `Customers with a contact in the period are grouped by their experience (resolved or not,
repeat contacts, lowest CSAT, effort, sentiment) and followed for 90 days after their last
contact: who cancelled, and what they spent. Differences come with 95% intervals (Newcombe for
churn, Welch for revenue) and are priced in annual revenue. Then the cost of repeat contacts and
escalations, and the contribution margin over service cost by segment.

The default period is all the data except its last 30 days, so every customer in it can be
followed for at least 30 days. --sql prints the queries behind the numbers.`,
		Example: `  northstar insights value
  northstar insights value --from 2026-08-01 --to 2026-09-01 --sql
  northstar insights value --json | jq -r '.statements[]'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.config()
			if err != nil {
				return err
			}
			rep := &insight.ValueReport{}
			if c.Server != "" {
				if _, err := newClient(c).do(cmd.Context(), http.MethodGet, "/v1/insights/value?"+pf.query().Encode(), nil, rep); err != nil {
					return err
				}
			} else {
				p, err := pf.period(c)
				if err != nil {
					return err
				}
				err = g.withInsights(cmd.Context(), c, func(s *insight.Service) error {
					rep, err = s.Value(cmd.Context(), p, cx.Scope{})
					return err
				})
				if err != nil {
					return err
				}
			}
			if g.jsonOut {
				return writeJSON(g, rep)
			}
			printValue(g.e.stdout, rep, showSQL)
			return nil
		},
	}
	pf.add(cmd, "all the data but its last 30 days")
	cmd.Flags().BoolVar(&showSQL, "sql", false, "print the SQL behind the numbers")
	return cmd
}

func printValue(out io.Writer, rep *insight.ValueReport, showSQL bool) {
	cur := rep.Currency
	fmt.Fprintf(out, "Value linkage · experience in %s · followed %d days after each customer's last contact (data ends %s)\n",
		rep.Period, rep.FollowUpDays, rep.Horizon.Format("2 Jan 2006"))
	fmt.Fprintf(out, "%s customers followed; %s left out (not active at their first contact, or under %d days of follow-up). Churn: %s.\n\n",
		insight.Count(rep.Customers), insight.Count(rep.Excluded), rep.MinFollowUpDays, rep.ChurnRule)
	if len(rep.Statements) > 0 {
		fmt.Fprintln(out, "What it means")
		for _, s := range rep.Statements {
			fmt.Fprintf(out, "  • %s\n", s)
		}
		fmt.Fprintln(out)
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "EXPERIENCE\tGROUP\tCUSTOMERS\tCHURN [95% CI]\tREVENUE / 30 DAYS [95% CI]")
	for _, gr := range rep.Groups {
		ch, rv := "–", "–"
		if gr.Churn.Value != nil && gr.Churn.Low != nil {
			ch = fmt.Sprintf("%s [%s–%s]", insight.Pct(*gr.Churn.Value), insight.Pct(*gr.Churn.Low), insight.Pct(*gr.Churn.High))
		}
		if gr.Revenue30.Value != nil {
			rv = insight.Money(*gr.Revenue30.Value, cur)
			if gr.Revenue30.Low != nil {
				rv += fmt.Sprintf(" [%s–%s]", insight.Money(*gr.Revenue30.Low, cur), insight.Money(*gr.Revenue30.High, cur))
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", gr.Dimension, gr.Group, insight.Count(gr.Customers), ch, rv)
	}
	tw.Flush()

	cf := rep.CostOfFailure
	fmt.Fprintf(out, "\nCost of failure: %s of %s service cost (%s)\n", insight.Money(cf.Total, cur), insight.Money(cf.ServiceCost, cur), insight.Pct(cf.Share))
	fmt.Fprintf(out, "  %s repeat contacts %s · %s escalations %s beyond a contained bot contact\n",
		insight.Count(cf.Repeats), insight.Money(cf.RepeatCost, cur), insight.Count(cf.Escalations), insight.Money(cf.EscalationCost, cur))

	fmt.Fprintln(out, "\nContribution margin over service cost, by segment")
	segs := append([]insight.SegmentMargin(nil), rep.Segments...)
	sort.SliceStable(segs, func(i, j int) bool { return segs[i].MarginPerCustomer < segs[j].MarginPerCustomer })
	tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEGMENT\tCUSTOMERS\tNET REVENUE\tSERVICE COST\tMARGIN\tPER CUSTOMER\tCOST MORE THAN THEY PAY")
	for _, s := range segs {
		flag := ""
		if s.LosesMoney {
			flag = "  ← loses money"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s (%s)%s\n", s.Segment, insight.Count(s.Customers), insight.Money(s.Revenue, cur),
			insight.Money(s.Cost, cur), insight.Money(s.Margin, cur), insight.Money(s.MarginPerCustomer, cur), insight.Count(s.Losing),
			insight.Money(s.LosingAmount, cur), flag)
	}
	tw.Flush()
	if showSQL {
		names := make([]string, 0, len(rep.Queries))
		for n := range rep.Queries {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(out, "\n-- %s\n%s;\n", n, rep.Queries[n])
		}
	} else {
		fmt.Fprintln(out, "\nThe queries behind these numbers: --sql (or .queries in --json).")
	}
}
