package web

import (
	"fmt"
	"net/http"
	"sort"

	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/insight"
	"github.com/northstar-cx/northstar/internal/metrics"
)

// terms are the portfolio's horizons, in the order the page shows them.
var terms = []struct{ Key, Label, Blurb string }{
	{"short", "Short term", "what this quarter must deliver and reconcile with finance"},
	{"medium", "Medium term", "early warnings on future revenue"},
	{"long", "Long term", "CX as enterprise value"},
}

// timeSliceable reports whether a metric can be drawn by day or week
// (customer metrics count customers over the whole period).
func timeSliceable(id string) bool { return metricDef(id).Over != metrics.Customers }

// changeWatch are the metrics "what changed" compares, whatever the focus.
var changeWatch = []string{"contacts", "csat", "nps", "fcr", "repeat_rate", "containment", "resolved_containment", "escalation_rate",
	"abandonment_rate", "asa", "aht", "cost_per_contact", "service_success", "sentiment", "qa_score", "effort"}

type statement struct {
	Text  string
	Class string // better, worse
	Href  string
}

type portfolioCard struct {
	Cell cellView
	Why  string
	Lead bool
}

type termGroup struct {
	Key, Label, Blurb string
	Cards             []portfolioCard
}

type overviewData struct {
	Focus      string
	Presets    []insight.Preset
	Label      string
	Emphasis   string
	Terms      []termGroup
	Statements []string
	Trends     []*LineChart
	Changes    []statement
	Steady     int
	Contacts   cellView
}

func (h *Handler) overview(w http.ResponseWriter, r *http.Request) {
	p, err := h.periodFor(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	focus := r.URL.Query().Get("focus")
	if focus == "" {
		focus = insight.ProfitProtection
	}
	if _, err := insight.LookupPreset(focus); err != nil {
		h.fail(w, r, err)
		return
	}
	rep, err := h.Insights.Portfolio(r.Context(), focus, insight.Period{From: p.From, To: p.To}, auth.ScopeOf(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &overviewData{Focus: focus, Presets: insight.Presets(), Label: rep.Label, Emphasis: rep.Emphasis, Statements: rep.Statements}
	for _, t := range terms {
		g := termGroup{Key: t.Key, Label: t.Label, Blurb: t.Blurb}
		for _, it := range rep.Items {
			if string(it.Term) != t.Key {
				continue
			}
			c := metrics.Cell{Metric: it.Metric, N: it.Current.N, Value: it.Current.Value, Low: it.Current.Low, High: it.Current.High, LowN: it.LowN}
			if it.Previous.Value != nil {
				c.Previous = &metrics.Cell{Metric: it.Metric, N: it.Previous.N, Value: it.Previous.Value, Low: it.Previous.Low, High: it.Previous.High}
				c.Changed = it.Trend != "steady"
			}
			g.Cards = append(g.Cards, portfolioCard{Cell: viewCell(p, c, nil, nil), Why: it.Why, Lead: it.Lead})
		}
		if len(g.Cards) > 0 {
			d.Terms = append(d.Terms, g)
		}
	}
	// Trends of the lead metrics that have a daily or weekly shape.
	n := 0
	for _, it := range rep.Items {
		if !it.Lead || !timeSliceable(it.Metric) || n == 4 {
			continue
		}
		c, err := h.trend(r, p, fmt.Sprintf("trend-%d", n), it.Metric, "", nil, it.Label+" by "+p.Grain)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		if p.Compare {
			prev := &period{From: p.From.Add(-p.To.Sub(p.From)), To: p.From, Grain: p.Grain}
			pc, err := h.trend(r, prev, "prev", it.Metric, "", nil, "")
			if err != nil {
				h.fail(w, r, err)
				return
			}
			if len(pc.Series) > 0 && len(c.Series) > 0 {
				s := pc.Series[0]
				s.Name = "previous period"
				// Step i of this period beside step i of the one before.
				for j := range s.Points {
					if j < len(c.Series[0].Points) {
						s.Points[j].X = c.Series[0].Points[j].X
					}
				}
				c.Series[0].Name = "this period"
				c.Series = append(c.Series, s)
			}
		}
		d.Trends = append(d.Trends, c)
		n++
	}

	// What changed: every watched metric against the previous period; only
	// moves beyond both 95% intervals are stated.
	ch, err := h.query(r, metrics.Query{Metrics: changeWatch, From: p.From, To: p.To, Compare: true})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if len(ch.Rows) > 0 {
		for _, c := range ch.Rows[0].Cells {
			if c.Metric == "contacts" {
				d.Contacts = viewCell(p, c, nil, nil)
			}
			if !c.Changed || c.Value == nil || c.Previous == nil || c.Previous.Value == nil {
				if c.Previous != nil {
					d.Steady++
				}
				continue
			}
			d.Changes = append(d.Changes, changeStatement(p, c))
		}
	}
	sort.SliceStable(d.Changes, func(i, j int) bool { return d.Changes[i].Class == "worse" && d.Changes[j].Class != "worse" })
	h.render(w, r, "overview", &page{Title: "Overview", Nav: "overview", Period: p, Data: d})
}

// changeStatement says in one sentence how a metric moved and whether that
// is good.
func changeStatement(p *period, c metrics.Cell) statement {
	m := metricDef(c.Metric)
	verb := "rose"
	if *c.Value < *c.Previous.Value {
		verb = "fell"
	}
	better := (*c.Value > *c.Previous.Value) == (m.Better == metrics.HigherIsBetter)
	cls, judgement := "worse", "worse"
	if better {
		cls, judgement = "better", "better"
	}
	text := fmt.Sprintf("%s %s from %s to %s (%s) over the last %d days against the %d before — %s, beyond the 95%% intervals (n = %d now, %d before).",
		m.Label, verb, formatMetric(c.Metric, *c.Previous.Value), formatMetric(c.Metric, *c.Value), formatDelta(c.Metric, *c.Value-*c.Previous.Value),
		p.Days(), p.Days(), judgement, c.N, c.Previous.N)
	return statement{Text: text, Class: cls, Href: drill(p, c.Metric, nil, nil)}
}
