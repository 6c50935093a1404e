package insight

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/metrics"
)

// Strategy focuses, after the CCP "Strategy focus" presets: emphasis is
// driven by strategy, and the portfolio should make the trade-offs visible.
const (
	Growth           = "growth"
	ProfitProtection = "profit_protection"
	ExitPreparation  = "exit_preparation"
	Turnaround       = "turnaround"
)

// Preset is one strategy focus: which metrics lead, in which term, and why.
type Preset struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Emphasis string `json:"emphasis"`
	Lead     []Slot `json:"lead"`    // the metrics the board reads first
	Support  []Slot `json:"support"` // early warnings and guard-rails
}

// Slot is one metric's place in a portfolio.
type Slot struct {
	Metric string       `json:"metric"`
	Term   metrics.Term `json:"term"`
	Why    string       `json:"why"`
}

// presets is the mapping of strategy to metrics, as data. Terms follow the
// portfolio guidance: short term is what this quarter must deliver and
// reconcile with finance (cost to serve, service success, margin by
// segment); medium term explains CX impact on future revenue and warns
// early (LTV movement, retention of valuable customers, speed and quality
// of resolution); long term connects CX to enterprise value (predictable
// revenue, cost efficiency built into journeys, scalable service models).
var presets = []Preset{
	{
		ID: Growth, Label: "Growth", Emphasis: "LTV and share of wallet matter most.",
		Lead: []Slot{
			{"ltv", metrics.Medium, "LTV movement by cohort and segment is the growth story finance can verify."},
			{"retention", metrics.Medium, "Growth without acquisition: keeping customers is the cheapest revenue."},
			{"nps", metrics.Long, "Advocacy that survives price pressure, the long-run source of demand."},
			{"fcr", metrics.Medium, "Speed and quality of resolution: the experience that protects future revenue."},
		},
		Support: []Slot{
			{"csat", metrics.Short, "Early warning on the experience that drives retention."},
			{"repeat_rate", metrics.Short, "Repeat contacts are the failures that precede churn."},
			{"cost_to_serve", metrics.Short, "Guard-rail: growth should not buy service at any price."},
		},
	},
	{
		ID: ProfitProtection, Label: "Profit protection", Emphasis: "Optimise cost-to-serve, ensure service success, avoid failures.",
		Lead: []Slot{
			{"cost_to_serve", metrics.Short, "What serving a customer costs this quarter, to reconcile with finance."},
			{"service_success", metrics.Short, "Failures leak revenue and create rework."},
			{"repeat_rate", metrics.Short, "Every repeat contact is avoidable cost."},
			{"margin", metrics.Short, "Contribution after service cost: which segments pay their way."},
		},
		Support: []Slot{
			{"cost_per_resolution", metrics.Medium, "Cost efficiency that counts failures, not just contacts."},
			{"containment", metrics.Long, "Cost efficiency embedded in journeys the bot completes."},
			{"retention", metrics.Medium, "Guard-rail: savings that lose customers are not savings."},
		},
	},
	{
		ID: ExitPreparation, Label: "Preparing for exit", Emphasis: "Emphasise efficiency, predictability and repeatability.",
		Lead: []Slot{
			{"cost_per_contact", metrics.Short, "Efficiency a buyer will check line by line."},
			{"resolved_containment", metrics.Long, "A demonstrably scalable service model: automation that really resolves."},
			{"retention", metrics.Long, "Predictability of revenue: how CX keeps it stable."},
			{"margin", metrics.Short, "Margin by segment, the quality of the earnings."},
		},
		Support: []Slot{
			{"qa_score", metrics.Medium, "Repeatability: the same standard on every contact and partner."},
			{"fcr", metrics.Medium, "Quality of resolution behind the efficiency."},
			{"abandonment_rate", metrics.Short, "Guard-rail: efficiency must not turn customers away."},
		},
	},
	{
		ID: Turnaround, Label: "Turnaround", Emphasis: "Manage the drivers of churn and CX-led leakage.",
		Lead: []Slot{
			{"churn", metrics.Medium, "The outcome a turnaround is judged on."},
			{"repeat_rate", metrics.Short, "Unresolved needs coming back: the first driver of churn to fix."},
			{"service_success", metrics.Short, "Resolution, the lever that moves churn."},
			{"escalation_rate", metrics.Short, "Where automation pushes customers back to people."},
		},
		Support: []Slot{
			{"csat", metrics.Short, "Early warning of the experiences that precede churn."},
			{"sentiment", metrics.Short, "How customers sound, on every contact, not just those surveyed."},
			{"cost_to_serve", metrics.Medium, "Leakage: the cost of failure while fixing it."},
		},
	},
}

// Presets returns the strategy presets, in order.
func Presets() []Preset {
	out := make([]Preset, len(presets))
	copy(out, presets)
	return out
}

// LookupPreset returns the preset with id, or an EINVALID error naming the valid ones.
func LookupPreset(id string) (Preset, error) {
	for _, p := range presets {
		if p.ID == id {
			return p, nil
		}
	}
	ids := make([]string, len(presets))
	for i, p := range presets {
		ids[i] = p.ID
	}
	return Preset{}, cx.Errorf(cx.EINVALID, "unknown focus %q: use one of %s", id, strings.Join(ids, ", "))
}

// PortfolioReport is a strategy's metrics now and over the previous period.
type PortfolioReport struct {
	Focus    string          `json:"focus"`
	Label    string          `json:"label"`
	Emphasis string          `json:"emphasis"`
	Period   Period          `json:"period"`
	Previous Period          `json:"previous"`
	Items    []PortfolioItem `json:"items"`
	// Statements are the sentences that matter for this focus: lead metrics
	// that moved, then what the value and automation insights add.
	Statements []string `json:"statements"`
}

// PortfolioItem is one metric of the portfolio.
type PortfolioItem struct {
	Metric   string       `json:"metric"`
	Label    string       `json:"label"`
	Unit     metrics.Unit `json:"unit"`
	Better   string       `json:"better"` // higher or lower
	Term     metrics.Term `json:"term"`
	Lead     bool         `json:"lead"`
	Why      string       `json:"why"`
	Current  Est          `json:"current"`
	Previous Est          `json:"previous"`
	LowN     bool         `json:"low_n,omitempty"`
	// Trend is "better", "worse" or "steady" (no change whose 95% intervals
	// are apart; metrics without intervals move by more than 5%).
	Trend    string `json:"trend"`
	Sentence string `json:"sentence"`
}

// Portfolio computes the focus's portfolio over p against the previous
// period of equal length.
func Portfolio(ctx context.Context, src metrics.Source, focus string, p Period, scope cx.Scope, currency string) (*PortfolioReport, error) {
	pre, err := LookupPreset(focus)
	if err != nil {
		return nil, err
	}
	if err := p.Valid(); err != nil {
		return nil, err
	}
	slots := append(append([]Slot{}, pre.Lead...), pre.Support...)
	ids := make([]string, len(slots))
	for i, s := range slots {
		ids[i] = s.Metric
	}
	res, err := src.Query(ctx, metrics.Query{Metrics: ids, From: p.From, To: p.To, Compare: true, Scope: scope})
	if err != nil {
		return nil, fmt.Errorf("portfolio %s: %w", focus, err)
	}
	rep := &PortfolioReport{Focus: pre.ID, Label: pre.Label, Emphasis: pre.Emphasis, Period: p, Previous: p.Previous()}
	var row metrics.Row
	if len(res.Rows) > 0 {
		row = res.Rows[0]
	}
	cs := cells(res, row)
	for i, s := range slots {
		m, err := metrics.Lookup(s.Metric)
		if err != nil {
			return nil, fmt.Errorf("portfolio %s: %w", focus, err)
		}
		it := PortfolioItem{Metric: m.ID, Label: m.Label, Unit: m.Unit, Term: s.Term, Lead: i < len(pre.Lead), Why: s.Why, Better: "higher"}
		if m.Better == metrics.LowerIsBetter {
			it.Better = "lower"
		}
		c := cs[m.ID]
		it.Current, it.LowN = estOf(c), c.LowN
		if c.Previous != nil {
			it.Previous = estOf(*c.Previous)
		}
		it.Trend = trend(m, c)
		it.Sentence = itemSentence(it, rep, currency)
		rep.Items = append(rep.Items, it)
	}
	for _, it := range rep.Items {
		if it.Lead || it.Trend != "steady" {
			rep.Statements = append(rep.Statements, it.Sentence)
		}
	}
	return rep, nil
}

// trend says whether the cell moved the right way: for metrics with
// intervals only when they are apart (the source's Changed), for the others
// when they moved by more than 5%.
func trend(m metrics.Metric, c metrics.Cell) string {
	if c.Value == nil || c.Previous == nil || c.Previous.Value == nil {
		return "steady"
	}
	cur, prev := *c.Value, *c.Previous.Value
	moved := c.Changed
	if c.Low == nil || c.Previous.Low == nil {
		moved = prev != 0 && math.Abs(cur-prev)/math.Abs(prev) > 0.05
	}
	if !moved || cur == prev {
		return "steady"
	}
	if (cur > prev) == (m.Better == metrics.HigherIsBetter) {
		return "better"
	}
	return "worse"
}

// formatValue writes a metric value in its unit.
func formatValue(u metrics.Unit, v float64, currency string) string {
	switch u {
	case metrics.Percent:
		return Pct(v)
	case metrics.Money:
		return Money(v, currency)
	case metrics.Seconds:
		if v >= 120 {
			return fmt.Sprintf("%.1f min", v/60)
		}
		return fmt.Sprintf("%.0f s", v)
	case metrics.Number:
		return Count(int64(math.Round(v)))
	}
	if math.Abs(v) >= 10 {
		return signedFmt(v, 0)
	}
	return signedFmt(v, 2)
}

// signedFmt writes v with prec decimals and a true minus sign.
func signedFmt(v float64, prec int) string {
	s := strconvFloat(math.Abs(v), prec)
	if v < 0 && s != strconvFloat(0, prec) {
		return "−" + s
	}
	return s
}

func itemSentence(it PortfolioItem, rep *PortfolioReport, currency string) string {
	if it.Current.Value == nil {
		if it.LowN {
			return fmt.Sprintf("%s: too few observations in %s to show (n=%s).", it.Label, rep.Period, Count(it.Current.N))
		}
		return fmt.Sprintf("%s: no data in %s.", it.Label, rep.Period)
	}
	cur := formatValue(it.Unit, it.Current.V(), currency)
	if it.Previous.Value == nil {
		return fmt.Sprintf("%s is %s in %s (no comparable figure for the period before).", it.Label, cur, rep.Period)
	}
	prev := formatValue(it.Unit, it.Previous.V(), currency)
	switch it.Trend {
	case "better", "worse":
		verb := "rose"
		if it.Current.V() < it.Previous.V() {
			verb = "fell"
		}
		return fmt.Sprintf("%s %s from %s to %s against the previous %d days: %s.", it.Label, verb, prev, cur,
			int(math.Round(rep.Period.To.Sub(rep.Period.From).Hours()/24)), it.Trend)
	}
	return fmt.Sprintf("%s held at %s (%s the period before; no clear change).", it.Label, cur, prev)
}

// focusStatements picks, from the value and automation insights, what a
// focus needs said: a turnaround the churn drivers, profit protection and
// exit the cost of failure, losing segments and automation savings, growth
// the revenue effects.
func focusStatements(focus string, v *ValueReport, fits []IntentFit, currency string) []string {
	var out []string
	if v != nil {
		var fs []Finding
		for _, f := range v.Findings {
			if !f.Diff.Clear || f.AnnualRevenue <= 0 {
				continue
			}
			if (focus == Turnaround && f.Metric == "churn") || (focus == Growth) {
				fs = append(fs, f)
			}
		}
		sort.SliceStable(fs, func(i, j int) bool { return fs[i].AnnualRevenue > fs[j].AnnualRevenue })
		for i, f := range fs {
			if i == 3 {
				break
			}
			out = append(out, f.Sentence)
		}
		if focus == ProfitProtection || focus == ExitPreparation || focus == Turnaround {
			if v.CostOfFailure.Contacts > 0 {
				out = append(out, v.CostOfFailure.Sentence)
			}
		}
		if focus == ProfitProtection || focus == ExitPreparation {
			out = append(out, v.segmentStatements()...)
		}
	}
	if fits != nil && (focus == ProfitProtection || focus == ExitPreparation) {
		var save float64
		var more, fix []string
		for _, f := range fits {
			switch f.Recommendation {
			case AutomateMore:
				more = append(more, f.Intent)
				if f.Saving != nil {
					save += *f.Saving
				}
			case FixBot:
				fix = append(fix, f.Intent)
			}
		}
		if len(more) > 0 {
			out = append(out, fmt.Sprintf("%d intents the bot handles as well as people still reach people first (%s): routing them to the bot would have saved about %s over all the data.",
				len(more), strings.Join(more, ", "), Money(save, currency)))
		}
		if len(fix) > 0 {
			out = append(out, fmt.Sprintf("The bot fails at %d intents it takes in volume (%s): fixing it there is cheaper than staffing for it.",
				len(fix), strings.Join(fix, ", ")))
		}
	}
	return out
}
