package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/northstar-cx/northstar/internal/api"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/metrics"
)

func newMetricsCmd(g *globals) *cobra.Command {
	var (
		p      metrics.Params
		minN   int
		csvOut bool
	)
	cmd := &cobra.Command{
		Use:   "metrics --m IDS [flags]",
		Short: "Compute metrics sliced by dimensions, with n and 95% intervals",
		Long: `Compute metrics from the registry over a period, sliced by dimensions and filtered.
Every value comes with its n; proportions with a Wilson 95% interval, means with a Student t
interval. Cells below the minimum n show "n<10" (see --min-n), never a misleading value.
--compare adds the previous period of equal length and marks changes whose intervals do not
overlap with ▲ or ▼.

The period is [--from, --to): dates are midnight in the configured time zone (time-zone,
or --zone). Without them, the last 28 days of data. 'northstar metrics list' shows every metric
and dimension; docs/metrics.md defines them.

Filters: dim:v1|v2 keeps those values, dim!:v drops them, several joined by commas:
  --where 'channel:chat|voice,handler!:bot,flag:anger:yes'`,
		Example: `  northstar metrics --m csat,fcr --by intent,handler --from 2026-10-01 --to 2026-11-01 --where channel:chat
  northstar metrics --m contacts,containment --by week --compare
  northstar metrics --m retention,ltv,margin --by segment --csv > value.csv
  northstar metrics list`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.config()
			if err != nil {
				return err
			}
			if p.Zone == "" {
				p.Zone = c.TimeZone
			}
			if cmd.Flags().Changed("min-n") {
				p.MinN = strconv.Itoa(minN)
			}
			var res *metrics.Result
			if c.Server != "" {
				v := url.Values{"m": {p.Metrics}, "by": {p.By}, "where": {p.Where}, "from": {p.From}, "to": {p.To}, "zone": {p.Zone}}
				if p.MinN != "" {
					v.Set("min_n", p.MinN)
				}
				if p.Compare {
					v.Set("compare", "true")
				}
				for k, vs := range v {
					if vs[0] == "" {
						delete(v, k)
					}
				}
				res = &metrics.Result{}
				if _, err := newClient(c).do(cmd.Context(), http.MethodGet, "/v1/metrics?"+v.Encode(), nil, res); err != nil {
					return err
				}
			} else {
				st, err := g.openStore(cmd.Context(), c)
				if err != nil {
					return err
				}
				defer st.Close()
				q, err := p.Parse(cmd.Context(), st, cx.Scope{}, nil)
				if err != nil {
					if cx.ErrorCode(err) == cx.EINVALID {
						return usageError{msg: cx.ErrorMessage(err) + " (see 'northstar metrics list')"}
					}
					return err
				}
				if res, err = metrics.NewSQL(st).Query(cmd.Context(), q); err != nil {
					return err
				}
			}
			n := metrics.DefaultMinN
			if p.MinN != "" {
				n, _ = strconv.Atoi(p.MinN)
			}
			switch {
			case g.jsonOut:
				return writeJSON(g, res)
			case csvOut:
				return writeMetricsCSV(g.e.stdout, res)
			}
			zone, _ := time.LoadLocation(p.Zone)
			printMetrics(g.e.stdout, res, n, c.Currency, zone, p.Where)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&p.Metrics, "m", "", "metric ids, comma-separated (northstar metrics list)")
	f.StringVar(&p.By, "by", "", "dimensions to slice by, comma-separated: hour, day, week, month, channel, intent, handler, segment, …")
	f.StringVar(&p.Where, "where", "", "filters: dim:v1|v2 or dim!:v, comma-separated")
	f.StringVar(&p.From, "from", "", "start of the period, inclusive: 2026-10-01 or an RFC 3339 time (default: 28 days before --to)")
	f.StringVar(&p.To, "to", "", "end of the period, exclusive (default: midnight after the latest contact)")
	f.StringVar(&p.Zone, "zone", "", "time zone days are cut in (default: the time-zone setting)")
	f.BoolVar(&p.Compare, "compare", false, "compare with the previous period of equal length")
	f.IntVar(&minN, "min-n", metrics.DefaultMinN, "smallest n shown; smaller cells show n<N")
	f.BoolVar(&csvOut, "csv", false, "print CSV: one row per slice, value, low, high and n per metric")
	cmd.AddCommand(newMetricsListCmd(g))
	return cmd
}

func newMetricsListCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List every metric and dimension of the registry",
		Long: `List the metric registry: id, label, unit, which way is better, term, how it aggregates and
what rows it counts; then the dimensions. --json prints the full definitions (the same as
GET /v1/metrics/registry).`,
		Example: `  northstar metrics list
  northstar metrics list --json | jq '.metrics[] | {id, formula}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rv := api.Registry()
			if g.jsonOut {
				return writeJSON(g, rv)
			}
			out := g.e.stdout
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "METRIC\tLABEL\tUNIT\tBETTER\tTERM\tAGGREGATE\tOVER")
			for _, m := range rv.Metrics {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", m.ID, m.Label, m.Unit, m.Better, m.Term, m.Aggregate, m.Over)
			}
			tw.Flush()
			fmt.Fprintln(out, "\nDimensions (--by, --where):")
			tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			for _, d := range rv.Dimensions {
				fmt.Fprintf(tw, "  %s\t%s\n", d.ID, d.Description)
			}
			fmt.Fprintf(tw, "  %s\t%s\n", "flag:<kind>", "yes when analysis flagged the contact with that kind, e.g. flag:anger")
			tw.Flush()
			fmt.Fprintln(out, "\nDefinitions: docs/metrics.md")
			return nil
		},
	}
}

// formatValue renders a value in its metric's unit.
func formatValue(m metrics.Metric, v float64, currency string) string {
	switch m.Unit {
	case metrics.Percent:
		return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
	case metrics.Seconds:
		return strconv.FormatFloat(v, 'f', 0, 64) + "s"
	case metrics.Money:
		return money(cx.Money(math.Round(v)), currency)
	case metrics.Number:
		return num(int(v))
	}
	if m.ID == "nps" {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// formatInterval renders a 95% interval without the unit's suffix noise.
func formatInterval(m metrics.Metric, lo, hi float64, currency string) string {
	if m.Unit == metrics.Percent {
		return fmt.Sprintf("[%.1f–%.1f]", lo*100, hi*100)
	}
	return "[" + formatValue(m, lo, currency) + "–" + formatValue(m, hi, currency) + "]"
}

// formatCell is one cell as the table shows it: value, interval and n;
// "n<10" when withheld.
func formatCell(m metrics.Metric, c metrics.Cell, minN int, currency string) string {
	switch {
	case c.LowN:
		return fmt.Sprintf("n<%d (n=%d)", minN, c.N)
	case c.Value == nil && m.Kind == metrics.Count:
		return "0"
	case c.Value == nil:
		return "– (n=0)"
	}
	s := formatValue(m, *c.Value, currency)
	if c.Low != nil {
		s += " " + formatInterval(m, *c.Low, *c.High, currency)
	}
	if m.Kind != metrics.Count {
		s += " n=" + num(int(c.N))
	}
	return s
}

func printMetrics(out io.Writer, res *metrics.Result, minN int, currency string, zone *time.Location, where string) {
	if zone == nil {
		zone = time.UTC
	}
	defs := make([]metrics.Metric, len(res.Metrics))
	labels := make([]string, len(res.Metrics))
	for i, id := range res.Metrics {
		defs[i], _ = metrics.Lookup(id)
		labels[i] = defs[i].Label
	}
	head := fmt.Sprintf("%s · %s → %s (%s)", strings.Join(labels, ", "), res.From.In(zone).Format("2006-01-02 15:04"),
		res.To.In(zone).Format("2006-01-02 15:04"), zone)
	if where != "" {
		head += " · where " + where
	}
	fmt.Fprintln(out, head)
	if len(res.Rows) == 0 {
		fmt.Fprintln(out, "No data in this period for these slices.")
		return
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	cols := append(append([]string{}, res.By...), res.Metrics...)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(cols, "\t")))
	for _, r := range res.Rows {
		cells := append([]string{}, r.Keys...)
		for i, c := range r.Cells {
			s := formatCell(defs[i], c, minN, currency)
			if c.Previous != nil {
				prev := "–"
				switch {
				case c.Previous.Value == nil && defs[i].Kind == metrics.Count:
					prev = "0"
				case c.Previous.LowN:
					prev = fmt.Sprintf("n<%d", minN)
				case c.Previous.Value != nil:
					prev = formatValue(defs[i], *c.Previous.Value, currency)
				}
				s += " (was " + prev + ")"
				if c.Changed {
					s += map[bool]string{true: " ▲", false: " ▼"}[*c.Value > *c.Previous.Value]
				}
			}
			cells = append(cells, s)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	tw.Flush()
	if res.Rows != nil && len(res.Rows) > 0 && len(res.Rows[0].Cells) > 0 && res.Rows[0].Cells[0].Previous != nil {
		d := res.To.Sub(res.From)
		fmt.Fprintf(out, "Compared with %s → %s; ▲▼ mark changes whose 95%% intervals do not overlap.\n",
			res.From.Add(-d).In(zone).Format("2006-01-02 15:04"), res.From.In(zone).Format("2006-01-02 15:04"))
	}
}

// writeMetricsCSV writes one row per slice: the keys, then value, low, high,
// n and low_n per metric (and the previous period's value, n and changed
// with --compare). Values are raw: proportions 0–1, money in minor units.
func writeMetricsCSV(out io.Writer, res *metrics.Result) error {
	w := csv.NewWriter(out)
	cmp := len(res.Rows) > 0 && len(res.Rows[0].Cells) > 0 && res.Rows[0].Cells[0].Previous != nil
	head := append([]string{}, res.By...)
	for _, m := range res.Metrics {
		head = append(head, m, m+"_low", m+"_high", m+"_n", m+"_low_n")
		if cmp {
			head = append(head, m+"_previous", m+"_previous_n", m+"_changed")
		}
	}
	if err := w.Write(head); err != nil {
		return err
	}
	fl := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'g', -1, 64)
	}
	for _, r := range res.Rows {
		rec := append([]string{}, r.Keys...)
		for _, c := range r.Cells {
			rec = append(rec, fl(c.Value), fl(c.Low), fl(c.High), strconv.FormatInt(c.N, 10), strconv.FormatBool(c.LowN))
			if cmp {
				var pv *float64
				var pn int64
				if c.Previous != nil {
					pv, pn = c.Previous.Value, c.Previous.N
				}
				rec = append(rec, fl(pv), strconv.FormatInt(pn, 10), strconv.FormatBool(c.Changed))
			}
		}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
