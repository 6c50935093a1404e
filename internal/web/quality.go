package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"time"

	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/store"
)

// qaSample is how many of the latest scored contacts the criterion views
// read (see store.RecentQA): enough for intervals of a few points on the
// common criteria, small enough to parse within the page budget.
const qaSample = 1500

// recentQA is store.RecentQA cached for two minutes per scope and filter:
// reading criterion results out of the stored bodies is the page's
// slowest step, and they change only with imports.
func (h *Handler) recentQA(ctx context.Context, scope cx.Scope, f store.ListFilter) (*store.QASample, error) {
	key := fmt.Sprintf("%q %+v", scope.Partner, f)
	h.qaMu.Lock()
	e, ok := h.qaCache[key]
	h.qaMu.Unlock()
	if ok && h.Now().Sub(e.at) < 2*time.Minute {
		return e.s, nil
	}
	s, err := h.Store.RecentQA(ctx, scope, f, qaSample)
	if err != nil {
		return nil, err
	}
	h.qaMu.Lock()
	if len(h.qaCache) > 64 {
		clear(h.qaCache)
	}
	h.qaCache[key] = qaEntry{s: s, at: h.Now()}
	h.qaMu.Unlock()
	return s, nil
}

type qaEntry struct {
	s  *store.QASample
	at time.Time
}

type criterionRow struct {
	ID, Label       string
	Applies, Missed int64
	Rate            float64
	Low, High       float64
	AutoFail        bool
	Examples        []store.ListItem
}

type coachRow struct {
	Agent, Team, Partner string
	Contacts             int
	MeanQA               float64
	Top                  []criterionRow // most-missed criteria, with examples
	Href                 string
}

type slide struct {
	Partner     string
	Early, Late cellView
	Text        string
	Worse       bool
}

type qualityData struct {
	Partner   string
	Partners  []string
	ByPartner *BarChart
	ByTeam    *BarChart
	Agents    *BarChart
	Trend     *LineChart
	Slides    []slide
	Criteria  []criterionRow
	Coaching  []coachRow
	Sampled   int
}

func (h *Handler) quality(w http.ResponseWriter, r *http.Request) {
	p, err := h.periodFor(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	scope := auth.ScopeOf(r.Context())
	facets, err := h.facetsFor(r.Context(), scope)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &qualityData{Partner: r.URL.Query().Get("partner"), Partners: facets.Partners}
	var where []metrics.Filter
	lf := store.ListFilter{From: p.From, To: p.To}
	if d.Partner != "" {
		where = []metrics.Filter{{Dim: "partner", Values: []string{d.Partner}}}
		lf.Partners = []string{d.Partner}
	}
	bar := func(id, dim, title string, worstFirst bool, limit int) (*BarChart, error) {
		res, err := h.query(r, metrics.Query{Metrics: []string{"qa_score"}, By: []string{dim}, From: p.From, To: p.To, Where: where})
		if err != nil {
			return nil, err
		}
		rows := res.Rows
		sort.SliceStable(rows, func(i, j int) bool {
			a, b := rows[i].Cells[0].Value, rows[j].Cells[0].Value
			if (a == nil) != (b == nil) {
				return b == nil
			}
			if a == nil {
				return rows[i].Cells[0].N > rows[j].Cells[0].N
			}
			if worstFirst {
				return *a < *b
			}
			return *a > *b
		})
		res.Rows = rows
		c := barsOf(p, res, id, "qa_score", title, limit)
		// The drill-down from a QA bar keeps the partner in view.
		for i := range c.Bars {
			if d.Partner != "" {
				c.Bars[i].Href += "&partner=" + url.QueryEscape(d.Partner)
			}
		}
		return c, nil
	}
	if d.ByPartner, err = bar("qa-partner", "partner", "QA score by partner", false, 0); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.ByTeam, err = bar("qa-team", "team", "QA score by team", false, 0); err != nil {
		h.fail(w, r, err)
		return
	}
	if d.Agents, err = bar("qa-agent", "agent", "Lowest QA scores by agent (worst 12)", true, 12); err != nil {
		h.fail(w, r, err)
		return
	}
	// The partner trend, and which partners slid between the period's halves.
	// Weekly steps when the period allows: daily partner scores are noisy
	// enough to hide a slide.
	tp := *p
	if tp.To.Sub(tp.From) >= 21*24*time.Hour {
		tp.Grain = "week"
	}
	if d.Trend, err = h.trend(r, &tp, "qa-trend", "qa_score", "partner", where, "QA score by partner, by "+tp.Grain); err != nil {
		h.fail(w, r, err)
		return
	}
	d.Trend.YMin, d.Trend.YMax = 0, 0 // fit: partners differ by points, not tens of points
	mid := p.From.Add(p.To.Sub(p.From) / 2).Truncate(24 * time.Hour)
	halves := [2]*period{{From: p.From, To: mid, Grain: p.Grain}, {From: mid, To: p.To, Grain: p.Grain}}
	var half [2]*metrics.Result
	for i, hp := range halves {
		if half[i], err = h.query(r, metrics.Query{Metrics: []string{"qa_score"}, By: []string{"partner"}, From: hp.From, To: hp.To, Where: where}); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	early := map[string]metrics.Cell{}
	for _, row := range half[0].Rows {
		early[row.Keys[0]] = row.Cells[0]
	}
	for _, row := range half[1].Rows {
		e, ok := early[row.Keys[0]]
		l := row.Cells[0]
		if !ok || e.Value == nil || l.Value == nil || e.Low == nil || l.High == nil || e.High == nil || l.Low == nil {
			continue
		}
		s := slide{Partner: row.Keys[0], Early: viewCell(halves[0], e, []string{"partner"}, row.Keys), Late: viewCell(halves[1], l, []string{"partner"}, row.Keys)}
		switch {
		case *l.High < *e.Low:
			s.Worse = true
			s.Text = fmt.Sprintf("%s's QA score slid from %s to %s between the first and second half of the period (%s points), beyond the 95%% intervals.",
				s.Partner, pct(*e.Value), pct(*l.Value), signed((*l.Value-*e.Value)*100))
		case *l.Low > *e.High:
			s.Text = fmt.Sprintf("%s's QA score improved from %s to %s between the halves of the period, beyond the 95%% intervals.", s.Partner, pct(*e.Value), pct(*l.Value))
		default:
			continue
		}
		d.Slides = append(d.Slides, s)
	}
	sort.SliceStable(d.Slides, func(i, j int) bool { return d.Slides[i].Worse && !d.Slides[j].Worse })

	// Criterion-level views read the latest scored contacts.
	sample, err := h.recentQA(r.Context(), scope, lf)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Sampled = len(sample.Contacts)
	d.Criteria = criteriaOf(sample.Contacts, 3)
	d.Coaching = coaching(p, sample.Contacts)
	h.render(w, r, "quality", &page{Title: "Quality", Nav: "quality", Period: p, Data: d})
}

// criteriaOf tallies how often each criterion was missed where it applied,
// worst first, with up to examples contacts that missed it.
func criteriaOf(cs []store.QAContact, examples int) []criterionRow {
	by := map[string]*criterionRow{}
	var order []string
	for _, c := range cs {
		for _, cr := range c.Criteria {
			if !cr.Applies {
				continue
			}
			row := by[cr.ID]
			if row == nil {
				row = &criterionRow{ID: cr.ID, Label: cr.Label, AutoFail: cr.AutoFail}
				by[cr.ID] = row
				order = append(order, cr.ID)
			}
			row.Applies++
			if !cr.Passed {
				row.Missed++
				if len(row.Examples) < examples {
					row.Examples = append(row.Examples, c.ListItem)
				}
			}
		}
	}
	out := make([]criterionRow, 0, len(order))
	for _, id := range order {
		row := by[id]
		row.Rate = float64(row.Missed) / float64(row.Applies)
		row.Low, row.High = metrics.Wilson(row.Missed, row.Applies)
		if row.Label == "" {
			row.Label = words(row.ID)
		}
		out = append(out, *row)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Rate > out[j].Rate })
	return out
}

// coaching lists the agents with the lowest QA in the sample (at least five
// scored contacts), each with the criteria they most often miss and
// example contacts to review together.
func coaching(p *period, cs []store.QAContact) []coachRow {
	by := map[string][]store.QAContact{}
	for _, c := range cs {
		if c.Agent != "" {
			by[c.Agent] = append(by[c.Agent], c)
		}
	}
	var out []coachRow
	for agent, list := range by {
		if len(list) < 5 {
			continue
		}
		row := coachRow{Agent: agent, Team: list[0].Team, Partner: list[0].Partner, Contacts: len(list),
			Href: interactionsLink(p, "agent", agent, "has_qa", "yes")}
		for _, c := range list {
			if c.QAScore != nil {
				row.MeanQA += *c.QAScore
			}
		}
		row.MeanQA /= float64(len(list))
		crit := criteriaOf(list, 2)
		for _, cr := range crit {
			if cr.Missed == 0 || len(row.Top) == 2 {
				break
			}
			row.Top = append(row.Top, cr)
		}
		out = append(out, row)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].MeanQA != out[j].MeanQA {
			return out[i].MeanQA < out[j].MeanQA
		}
		return out[i].Agent < out[j].Agent
	})
	if len(out) > 10 {
		out = out[:10]
	}
	return out
}
