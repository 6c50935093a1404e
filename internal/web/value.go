package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/insight"
	"github.com/northstar-cx/northstar/internal/metrics"
)

// experienceDrill maps an experience group to the contacts that put
// customers in it, where the list can express it.
var experienceDrill = map[string][]string{
	"resolution/some_unresolved": {"resolved", "no"},
	"resolution/all_resolved":    {"resolved", "yes"},
	"repeat_contacts/had_repeat": {"repeated", "yes"},
	"repeat_contacts/no_repeat":  {"repeated", "no"},
	"sentiment/negative":         {"sent_max", "-0.15"},
}

type segmentRow struct {
	insight.SegmentMargin
	Retention, LTV cellView
}

type valueData struct {
	R         *insight.ValueReport
	Churn     *BarChart
	Revenue   *BarChart
	Margin    *BarChart
	Segments  []segmentRow
	Repeats   string
	Escalated string
	AllCost   string
}

func (h *Handler) value(w http.ResponseWriter, r *http.Request) {
	p, err := h.periodFor(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	if q.Get("period") == "" && q.Get("from") == "" {
		// Value linkage needs a follow-up after the contacts: by default
		// the experience period ends a follow-up before the data does.
		if vp, err := h.Insights.DefaultValuePeriod(r.Context()); err == nil {
			p.Key, p.From, p.To = "custom", vp.From, vp.To
			if p.To.Sub(p.From) > 45*24*time.Hour {
				p.Grain = "week"
			}
		}
	}
	pg := &page{Title: "Value", Nav: "value", Period: p}
	rep, err := h.Insights.Value(r.Context(), insight.Period{From: p.From, To: p.To}, auth.ScopeOf(r.Context()))
	if err != nil {
		// The rest of the page stands on the metric layer: show it, and say
		// what is missing rather than failing the whole page.
		if cx.ErrorCode(err) == cx.EINTERNAL {
			h.Log.Error("value linkage failed", "path", r.URL.Path, "err", err)
		}
		pg.Notices = append(pg.Notices, "Value linkage could not be computed for this period ("+cx.ErrorMessage(err)+"); the margin and retention figures below still hold.")
		rep = &insight.ValueReport{}
	}
	d := &valueData{R: rep,
		Repeats:   interactionsLink(p, "repeated", "yes"),
		Escalated: interactionsLink(p, "handler", "bot", "escalated", "yes"),
		AllCost:   interactionsLink(p)}
	groupLabel := func(g insight.ExperienceGroup) string {
		return strings.ReplaceAll(g.Dimension+": "+g.Group, "_", " ")
	}
	d.Churn = &BarChart{ID: "churn-exp", Title: "Churn in the follow-up, by service experience", Unit: "% churned", Format: pct, Zero: true,
		Desc: "Share of customers who churned after the period, grouped by the worst service experience they had in it, with Wilson 95% intervals"}
	d.Revenue = &BarChart{ID: "rev-exp", Title: "Net revenue per customer per 30 days, by service experience", Unit: "£ per 30 days", Format: money, Zero: true,
		Desc: "Orders minus refunds per customer per 30 days of follow-up, grouped by service experience, with 95% intervals"}
	for _, g := range rep.Groups {
		if strings.Contains(g.Dimension, ":") {
			continue // per-stage groups ("resolution:billing") stay in the findings table
		}
		href := ""
		if kv, ok := experienceDrill[g.Dimension+"/"+g.Group]; ok {
			href = interactionsLink(p, kv...)
		}
		d.Churn.Bars = append(d.Churn.Bars, Bar{Label: groupLabel(g), Value: g.Churn.Value, Low: g.Churn.Low, High: g.Churn.High, N: g.Churn.N, Href: href})
		d.Revenue.Bars = append(d.Revenue.Bars, Bar{Label: groupLabel(g), Value: g.Revenue30.Value, Low: g.Revenue30.Low, High: g.Revenue30.High, N: g.Revenue30.N, Href: href})
	}
	d.Margin = &BarChart{ID: "margin-seg", Title: "Margin over service cost per customer, by segment", Unit: "£ per customer", Format: money,
		Desc: "Net revenue minus service cost per customer served in the period, by segment"}
	// Retention and realised value by segment come from the metric layer,
	// so they match `northstar metrics` and the API.
	res, err := h.query(r, metrics.Query{Metrics: []string{"retention", "ltv"}, By: []string{"segment"}, From: p.From, To: p.To})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	bySeg := map[string]metrics.Row{}
	for _, row := range res.Rows {
		bySeg[row.Keys[0]] = row
	}
	for _, s := range rep.Segments {
		v := s.MarginPerCustomer
		d.Margin.Bars = append(d.Margin.Bars, Bar{Label: s.Segment, Value: &v, N: s.Customers})
		row := segmentRow{SegmentMargin: s}
		if mr, ok := bySeg[s.Segment]; ok {
			row.Retention = viewCell(p, mr.Cells[0], nil, nil)
			row.LTV = viewCell(p, mr.Cells[1], nil, nil)
			row.Retention.Href, row.LTV.Href = "", ""
		}
		d.Segments = append(d.Segments, row)
	}
	pg.Data = d
	h.render(w, r, "value", pg)
}
