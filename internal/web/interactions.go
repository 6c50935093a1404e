package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/store"
)

const listPageSize = 50

type interactionsData struct {
	Facets   *store.Facets
	Page     *store.ListPage
	From, To int // 1-based positions shown
	Prev     string
	Next     string
	Active   []activeFilter
	Handlers []string
	YesNo    []string
}

// activeFilter is one filter in force, with a link that removes it.
type activeFilter struct {
	Label  string
	Remove string
}

var filterLabels = map[string]string{
	"channel": "channel", "intent": "intent", "handler": "handled by", "partner": "partner", "team": "team", "agent": "agent",
	"flag": "flag", "resolved": "resolved", "repeated": "repeated", "vulnerable": "vulnerable", "escalated": "escalated",
	"abandoned": "abandoned", "sent_min": "sentiment ≥", "sent_max": "sentiment ≤", "qa_min": "QA ≥", "qa_max": "QA ≤",
	"from": "from", "to": "to", "customer": "customer", "has_qa": "QA scored", "queue": "queue", "journey_stage": "stage",
}

func (h *Handler) interactions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := listFilter(q)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pageNo := 1
	if s := q.Get("page"); s != "" {
		if pageNo, err = strconv.Atoi(s); err != nil || pageNo < 1 {
			h.fail(w, r, cx.Errorf(cx.EINVALID, "page: want a whole number from 1, got %q", s))
			return
		}
	}
	scope := auth.ScopeOf(r.Context())
	facets, err := h.facetsFor(r.Context(), scope)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	lp, err := h.Store.ListInteractions(r.Context(), scope, f, (pageNo-1)*listPageSize, listPageSize)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &interactionsData{Facets: facets, Page: lp, Handlers: []string{"bot", "human"}, YesNo: []string{"yes", "no"}}
	if len(lp.Items) > 0 {
		d.From, d.To = lp.Offset+1, lp.Offset+len(lp.Items)
	}
	if pageNo > 1 {
		d.Prev = withValues("/interactions", q, url.Values{"page": {strconv.Itoa(pageNo - 1)}})
	}
	if int64(pageNo*listPageSize) < lp.Total {
		d.Next = withValues("/interactions", q, url.Values{"page": {strconv.Itoa(pageNo + 1)}})
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		label, ok := filterLabels[k]
		if !ok {
			continue
		}
		for _, v := range q[k] {
			if v == "" || v == "any" {
				continue
			}
			rest := url.Values{}
			for k2, vs := range q {
				if k2 == "page" {
					continue
				}
				for _, v2 := range vs {
					if k2 != k || v2 != v {
						rest.Add(k2, v2)
					}
				}
			}
			d.Active = append(d.Active, activeFilter{Label: label + ": " + strings.ReplaceAll(v, "_", " "), Remove: withValues("/interactions", nil, rest)})
		}
	}
	title := "Interactions"
	h.render(w, r, "interactions", &page{Title: title, Nav: "interactions", Data: d})
}

// segment is a run of a turn's text, marked when it is evidence.
type segment struct {
	Text   string
	Mark   bool
	ID     string
	Labels string
}

type turnView struct {
	cx.Turn
	Index    int
	Segments []segment
}

type flagView struct {
	Kind     string
	Evidence []evidenceRef
}

type evidenceRef struct {
	Anchor string
	Quote  string
	Turn   int
}

type criterionView struct {
	cx.QACriterion
	Evidence []evidenceRef
}

type interactionData struct {
	V         *store.InteractionView
	A         *cx.Analysis
	Turns     []turnView
	Flags     []flagView
	Criteria  []criterionView
	Resolved  []evidenceRef
	Customer  string
	SameAgent string
	SameInt   string
}

func (h *Handler) interaction(w http.ResponseWriter, r *http.Request) {
	k := cx.Key{Source: r.PathValue("source"), ID: r.PathValue("id")}
	v, err := h.Store.ScopedInteraction(r.Context(), auth.ScopeOf(r.Context()), k)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := &interactionData{V: v, A: v.Analysis}
	if d.A == nil {
		d.A = &cx.Analysis{}
	}
	// Collect every evidence span, so the transcript can mark it and the
	// flag and criterion lists can link to the mark.
	type mark struct {
		start, end int
		label      string
	}
	marks := map[int][]mark{}
	anchor := func(s cx.Span) string { return fmt.Sprintf("ev-%d-%d", s.Turn, s.Start) }
	quote := func(s cx.Span) string {
		if s.Turn < 0 || s.Turn >= len(v.Turns) {
			return ""
		}
		t := v.Turns[s.Turn].Text
		if s.Start < 0 || s.End > len(t) || s.Start >= s.End {
			return ""
		}
		return t[s.Start:s.End]
	}
	ref := func(s cx.Span, label string) evidenceRef {
		marks[s.Turn] = append(marks[s.Turn], mark{s.Start, s.End, label})
		return evidenceRef{Anchor: anchor(s), Quote: quote(s), Turn: s.Turn + 1}
	}
	for _, f := range d.A.Flags {
		fv := flagView{Kind: f.Kind}
		for _, s := range f.Evidence {
			fv.Evidence = append(fv.Evidence, ref(s, "flag: "+f.Kind))
		}
		d.Flags = append(d.Flags, fv)
	}
	if d.A.ResolvedEvidence != nil {
		d.Resolved = append(d.Resolved, ref(*d.A.ResolvedEvidence, "resolution"))
	}
	if d.A.QA != nil {
		for _, c := range d.A.QA.Criteria {
			cv := criterionView{QACriterion: c}
			for _, s := range c.Evidence {
				cv.Evidence = append(cv.Evidence, ref(s, "QA: "+c.ID))
			}
			d.Criteria = append(d.Criteria, cv)
		}
	}
	for i, t := range v.Turns {
		tv := turnView{Turn: t, Index: i + 1}
		ms := marks[i]
		sort.Slice(ms, func(a, b int) bool { return ms[a].start < ms[b].start })
		pos := 0
		text := t.Text
		for j := 0; j < len(ms); j++ {
			m := ms[j]
			if m.start < pos || m.end > len(text) || m.start >= m.end {
				continue // overlapping or out of range: the first mark wins
			}
			labels := []string{m.label}
			for j+1 < len(ms) && ms[j+1].start == m.start {
				j++
				labels = append(labels, ms[j].label)
				m.end = max(m.end, min(ms[j].end, len(text)))
			}
			if m.start > pos {
				tv.Segments = append(tv.Segments, segment{Text: text[pos:m.start]})
			}
			tv.Segments = append(tv.Segments, segment{Text: text[m.start:m.end], Mark: true, ID: fmt.Sprintf("ev-%d-%d", i, m.start), Labels: strings.Join(labels, ", ")})
			pos = m.end
		}
		if pos < len(text) {
			tv.Segments = append(tv.Segments, segment{Text: text[pos:]})
		}
		d.Turns = append(d.Turns, tv)
	}
	if v.CustomerID != 0 {
		d.Customer = "/customers/" + strconv.FormatInt(v.CustomerID, 10)
	}
	if v.Agent.ID != "" {
		d.SameAgent = link("/interactions", "agent", v.Agent.ID)
	}
	if d.A.Intent != "" {
		d.SameInt = link("/interactions", "intent", d.A.Intent)
	}
	h.render(w, r, "interaction", &page{Title: "Contact " + k.String(), Nav: "interactions", Data: d})
}
