package web

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/metrics"
)

// query runs q on the metrics source with the request's scope: pages build
// queries, the scope is never theirs to choose.
func (h *Handler) query(r *http.Request, q metrics.Query) (*metrics.Result, error) {
	if h.Metrics == nil {
		return nil, cx.Errorf(cx.EUNAVAILABLE, "no metrics source is configured for the dashboard")
	}
	q.Scope = auth.ScopeOf(r.Context())
	res, err := h.Metrics.Query(r.Context(), q)
	if err != nil {
		return nil, fmt.Errorf("metrics %s by %s: %w", strings.Join(q.Metrics, ","), strings.Join(q.By, ","), err)
	}
	return res, nil
}

// metricDef returns the registry entry, or a plain stand-in for an id the
// registry does not know (never expected; keeps a page rendering).
func metricDef(id string) metrics.Metric {
	m, err := metrics.Lookup(id)
	if err != nil {
		return metrics.Metric{ID: id, Label: id, Unit: metrics.Score}
	}
	return m
}

// formatMetric shows a value in the metric's unit.
func formatMetric(id string, v float64) string {
	m := metricDef(id)
	switch m.Unit {
	case metrics.Percent:
		return pct(v)
	case metrics.Money:
		return money(v)
	case metrics.Seconds:
		return duration(v)
	case metrics.Number:
		return thousands(int64(math.Round(v)))
	}
	switch id {
	case "nps":
		return fmt.Sprintf("%+.0f", v)
	case "sentiment", "sentiment_change":
		return signed(v)
	case "effort":
		return fmt.Sprintf("%.0f", v)
	}
	return trimFloat(v)
}

// unitLabel names a metric's axis unit.
func unitLabel(id string) string {
	m := metricDef(id)
	switch m.Unit {
	case metrics.Percent:
		return "%"
	case metrics.Money:
		return "£"
	case metrics.Seconds:
		return "seconds"
	case metrics.Number:
		return "contacts"
	}
	switch id {
	case "nps":
		return "NPS −100…100"
	case "sentiment", "sentiment_change":
		return "sentiment −1…1"
	case "csat_mean":
		return "1–5"
	case "ces":
		return "1–7"
	case "effort":
		return "0–100"
	}
	return "score"
}

// drillBase is the contact population a metric is computed over, as list
// filters: the drill-down from a metric shows the contacts in its base.
var drillBase = map[string][]string{
	"containment":          {"handler", "bot"},
	"resolved_containment": {"handler", "bot"},
	"escalation_rate":      {"handler", "bot"},
	"asa":                  {"handler", "human"},
	"aht":                  {"handler", "human"},
	"qa_score":             {"has_qa", "yes"},
	"repeat_rate":          {"repeated", "yes"},
	"abandonment_rate":     {"abandoned", "yes"},
	"escalated":            {"escalated", "yes"},
}

// dimParam maps a metric dimension to the list filter with the same meaning.
var dimParam = map[string]string{
	"channel": "channel", "intent": "intent", "handler": "handler", "partner": "partner", "team": "team",
	"agent": "agent", "queue": "queue", "journey_stage": "journey_stage", "vulnerable": "vulnerable",
}

// drill is the interaction list behind one cell: the period (or the time
// slice), the slice's dimension values and the metric's base population.
func drill(p *period, metric string, by []string, keys []string) string {
	from, to := p.From, p.To
	var kv []string
	for i, d := range by {
		if i >= len(keys) {
			break
		}
		k := keys[i]
		switch {
		case d == "day":
			if t, err := time.Parse(time.DateOnly, k); err == nil {
				from, to = t, t.AddDate(0, 0, 1)
			}
		case d == "week":
			if t, err := time.Parse(time.DateOnly, k); err == nil {
				from, to = t, t.AddDate(0, 0, 7)
			}
		case d == "month":
			if t, err := time.Parse("2006-01", k); err == nil {
				from, to = t, t.AddDate(0, 1, 0)
			}
		case strings.HasPrefix(d, "flag:"):
			if k == "yes" {
				kv = append(kv, "flag", strings.TrimPrefix(d, "flag:"))
			}
		case dimParam[d] != "":
			kv = append(kv, dimParam[d], k)
		}
	}
	if from.Before(p.From) {
		from = p.From
	}
	if to.After(p.To) {
		to = p.To
	}
	kv = append(kv, drillBase[metric]...)
	sub := &period{From: from, To: to}
	return interactionsLink(sub, kv...)
}

// cellView is one metric value as the "cell" template shows it.
type cellView struct {
	Metric     string
	Label      string
	V          string
	N          int64
	Interval   string
	Href       string
	Delta      string
	DeltaClass string
	DeltaTitle string
	Changed    bool
	Term       string
}

func viewCell(p *period, c metrics.Cell, by, keys []string) cellView {
	m := metricDef(c.Metric)
	v := cellView{Metric: c.Metric, Label: m.Label, N: c.N, Term: string(m.Term)}
	if c.Value != nil {
		v.V = formatMetric(c.Metric, *c.Value)
		v.Href = drill(p, c.Metric, by, keys)
	}
	if c.Low != nil && c.High != nil {
		v.Interval = formatMetric(c.Metric, *c.Low) + "–" + formatMetric(c.Metric, *c.High)
	}
	if prev := c.Previous; prev != nil && prev.Value != nil && c.Value != nil {
		d := *c.Value - *prev.Value
		better := (d > 0) == (m.Better == metrics.HigherIsBetter)
		arrow := "▲"
		if d < 0 {
			arrow = "▼"
		}
		v.Delta = arrow + " " + strings.TrimLeft(formatDelta(c.Metric, d), "+−-")
		v.DeltaTitle = "previous period: " + formatMetric(c.Metric, *prev.Value) + fmt.Sprintf(" (n = %d)", prev.N)
		switch {
		case !c.Changed:
			v.DeltaClass = "same"
			v.DeltaTitle += "; the 95% intervals overlap, so this may be noise"
			v.Delta += " ≈"
		case better:
			v.DeltaClass = "better"
			v.DeltaTitle += "; better, beyond the 95% intervals"
		default:
			v.DeltaClass = "worse"
			v.DeltaTitle += "; worse, beyond the 95% intervals"
		}
		v.Changed = c.Changed
	}
	return v
}

// formatDelta shows a change in the metric's unit: points for percentages.
func formatDelta(id string, d float64) string {
	if metricDef(id).Unit == metrics.Percent {
		return fmt.Sprintf("%+.1f pts", d*100)
	}
	s := strings.TrimLeft(formatMetric(id, math.Abs(d)), "+−-")
	if d < 0 {
		return "−" + s
	}
	return "+" + s
}

// trend builds a line chart of metric by the period's grain, one series per
// value of split (or one series when split is empty).
func (h *Handler) trend(r *http.Request, p *period, id, metric, split string, where []metrics.Filter, title string) (*LineChart, error) {
	by := []string{p.Grain}
	if split != "" {
		by = []string{split, p.Grain}
	}
	res, err := h.query(r, metrics.Query{Metrics: []string{metric}, By: by, From: p.From, To: p.To, Where: where})
	if err != nil {
		return nil, err
	}
	return trendChart(p, res, id, metric, split, title), nil
}

func trendChart(p *period, res *metrics.Result, id, metric, split, title string) *LineChart {
	m := metricDef(metric)
	// Every series gets a point for every step, so gaps show as gaps.
	var steps []string
	for t := p.From; t.Before(p.To); {
		switch p.Grain {
		case "week":
			wd := (int(t.Weekday()) + 6) % 7
			monday := t.AddDate(0, 0, -wd)
			steps = append(steps, monday.Format(time.DateOnly))
			t = monday.AddDate(0, 0, 7)
		default:
			steps = append(steps, t.Format(time.DateOnly))
			t = t.AddDate(0, 0, 1)
		}
	}
	type key struct{ s, x string }
	cells := map[key]metrics.Cell{}
	var names []string
	seen := map[string]bool{}
	for _, row := range res.Rows {
		s, x := m.Label, row.Keys[len(row.Keys)-1]
		if split != "" {
			s = row.Keys[0]
		}
		if !seen[s] {
			seen[s] = true
			names = append(names, s)
		}
		cells[key{s, x}] = row.Cells[0]
	}
	c := &LineChart{ID: id, Title: title, Unit: unitLabel(metric), Format: func(v float64) string { return formatMetric(metric, v) }}
	c.Desc = fmt.Sprintf("%s by %s from %s to %s, with 95%% intervals as bands", m.Label, p.Grain, p.FromDay(), p.ToDay())
	if m.Unit == metrics.Percent {
		c.YMin, c.YMax = 0, 1
	}
	for _, name := range names {
		s := Series{Name: name}
		for _, x := range steps {
			cell, ok := cells[key{name, x}]
			label := x
			if len(label) == len("2006-01-02") {
				label = label[5:] // the year is in the period
			}
			pt := Point{X: label}
			if ok {
				pt.N, pt.Y, pt.Low, pt.High = cell.N, cell.Value, cell.Low, cell.High
				keys := []string{x}
				by := []string{p.Grain}
				if split != "" {
					keys, by = []string{name, x}, []string{split, p.Grain}
				}
				pt.Href = drill(p, metric, by, keys)
			}
			s.Points = append(s.Points, pt)
		}
		c.Series = append(c.Series, s)
	}
	return c
}

// bars builds a bar chart of metric by dim.
func barsOf(p *period, res *metrics.Result, id, metric, title string, limit int) *BarChart {
	m := metricDef(metric)
	c := &BarChart{ID: id, Title: title, Unit: unitLabel(metric), Format: func(v float64) string { return formatMetric(metric, v) },
		Zero: m.Unit == metrics.Percent || m.Unit == metrics.Number || m.Unit == metrics.Money || m.Unit == metrics.Seconds}
	c.Desc = fmt.Sprintf("%s by %s from %s to %s, with 95%% intervals as whiskers", m.Label, strings.Join(res.By, ", "), p.FromDay(), p.ToDay())
	if m.Unit == metrics.Percent {
		c.YMin, c.YMax = 0, 1
	}
	for i, row := range res.Rows {
		if limit > 0 && i >= limit {
			break
		}
		cell := row.Cells[0]
		b := Bar{Label: strings.ReplaceAll(strings.Join(row.Keys, " · "), "_", " "), Value: cell.Value, Low: cell.Low, High: cell.High, N: cell.N}
		b.Href = drill(p, metric, res.By, row.Keys)
		c.Bars = append(c.Bars, b)
	}
	return c
}

// periodFor parses the request's period against the data's time range.
func (h *Handler) periodFor(r *http.Request) (*period, error) {
	f, err := h.facetsFor(r.Context(), auth.ScopeOf(r.Context()))
	if err != nil {
		return nil, err
	}
	return parsePeriod(r.URL.Query(), f.First, f.Last)
}

var errNoMetrics = cx.Errorf(cx.EUNAVAILABLE, "no metrics source is configured for the dashboard")
