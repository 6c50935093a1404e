package web

import (
	"net/http"
	"sort"

	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/insight"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/store"
)

// verdicts orders and names the automation recommendations.
var verdicts = map[string]struct {
	Order        int
	Label, Class string
}{
	insight.KeepHuman:     {0, "Keep human: take the bot off", "human"},
	insight.FixBot:        {1, "Fix the bot", "fix"},
	insight.AutomateMore:  {2, "Automate more", "automate"},
	insight.NoChange:      {3, "No change: watch", ""},
	insight.NotEnoughData: {4, "Not enough data", ""},
}

type fitRow struct {
	insight.IntentFit
	Verdict, Class string
	Href           string // the intent's contacts
	Detail         string // this page focused on the intent
	BotHref        string
	HumanHref      string
	// The contacts behind the repeat rates and the vulnerable share.
	RepeatBotHref, RepeatHumanHref, VulnerableHref string
}

type intentsData struct {
	Fits     []fitRow
	Selected string
	Fit      *fitRow
	Trends   []*LineChart
	Examples []store.ListItem
	ExNote   string
	ExLink   string
}

func (h *Handler) intents(w http.ResponseWriter, r *http.Request) {
	p, err := h.periodFor(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if h.Metrics == nil {
		h.fail(w, r, errNoMetrics)
		return
	}
	fits, _, err := h.Insights.Automation(r.Context(), insight.Period{From: p.From, To: p.To}, auth.ScopeOf(r.Context()))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &intentsData{Selected: r.URL.Query().Get("intent")}
	for _, f := range fits {
		v := verdicts[f.Recommendation]
		row := fitRow{IntentFit: f, Verdict: v.Label, Class: v.Class,
			Href:            interactionsLink(p, "intent", f.Intent),
			BotHref:         interactionsLink(p, "intent", f.Intent, "handler", "bot"),
			HumanHref:       interactionsLink(p, "intent", f.Intent, "handler", "human"),
			RepeatBotHref:   interactionsLink(p, "intent", f.Intent, "handler", "bot", "repeated", "yes"),
			RepeatHumanHref: interactionsLink(p, "intent", f.Intent, "handler", "human", "repeated", "yes"),
			VulnerableHref:  interactionsLink(p, "intent", f.Intent, "vulnerable", "yes"),
			Detail:          withValues("/intents", r.URL.Query(), map[string][]string{"intent": {f.Intent}}) + "#intent-detail"}
		if v.Label == "" {
			row.Verdict = f.Recommendation
		}
		d.Fits = append(d.Fits, row)
	}
	sort.SliceStable(d.Fits, func(i, j int) bool {
		a, b := verdicts[d.Fits[i].Recommendation].Order, verdicts[d.Fits[j].Recommendation].Order
		if a != b {
			return a < b
		}
		return d.Fits[i].Contacts > d.Fits[j].Contacts
	})
	if d.Selected == "" && len(d.Fits) > 0 {
		d.Selected = d.Fits[0].Intent
	}
	for i := range d.Fits {
		if d.Fits[i].Intent == d.Selected {
			d.Fit = &d.Fits[i]
		}
	}
	if d.Selected != "" {
		where := []metrics.Filter{{Dim: "intent", Values: []string{d.Selected}}}
		for _, m := range []string{"containment", "csat", "contacts"} {
			split := "handler"
			if m == "containment" {
				split = ""
			}
			c, err := h.trend(r, p, "intent-trend-"+m, m, split, where, metricDef(m).Label+" of "+words(d.Selected)+" by "+p.Grain)
			if err != nil {
				h.fail(w, r, err)
				return
			}
			d.Trends = append(d.Trends, c)
		}
		// Examples that show the problem the verdict names: failed bot
		// contacts for a bot to fix or take off, resolved ones otherwise.
		f := store.ListFilter{Intents: []string{d.Selected}, From: p.From, To: p.To}
		no, yes := false, true
		d.ExNote = "Latest contacts"
		exKV := []string{"intent", d.Selected}
		if d.Fit != nil {
			switch d.Fit.Recommendation {
			case insight.KeepHuman, insight.FixBot:
				f.Handler, f.Resolved = "bot", &no
				d.ExNote = "Latest bot contacts that did not resolve"
				exKV = append(exKV, "handler", "bot", "resolved", "no")
			case insight.AutomateMore:
				f.Handler, f.Resolved = "human", &yes
				d.ExNote = "Latest human contacts the bot could take"
				exKV = append(exKV, "handler", "human", "resolved", "yes")
			}
		}
		d.ExLink = interactionsLink(p, exKV...)
		if d.Examples, err = h.Store.LatestInteractions(r.Context(), auth.ScopeOf(r.Context()), f, 8); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	h.render(w, r, "intents", &page{Title: "Intents & automation", Nav: "intents", Period: p, Data: d})
}

func words(s string) string { return funcs["words"].(func(string) string)(s) }

func init() {
	funcs["est"] = func(e insight.Est) string {
		if e.Value == nil {
			return "–"
		}
		return pct(*e.Value)
	}
	funcs["estm"] = func(e insight.Est) string {
		if e.Value == nil {
			return "–"
		}
		return money(*e.Value)
	}
	funcs["estci"] = func(e insight.Est) string {
		if e.Low == nil || e.High == nil {
			return ""
		}
		return pct(*e.Low) + "–" + pct(*e.High)
	}
}
