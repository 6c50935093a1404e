package qa

import (
	"math"
	"strconv"
	"strings"

	"github.com/northstar-cx/northstar/internal/cx"
)

// Input is what a scorecard reads about one interaction: its (redacted)
// turns and what the earlier analysis stages concluded.
type Input struct {
	Channel   string   // "voice", "chat", …
	Handler   string   // "bot" or "human"
	Intent    string   // "" when unknown
	Turns     []Turn   // in order; evidence spans index into these
	Sentiment *float64 // mean customer sentiment, −1…1; nil when unknown
	Flags     []string // cue kinds: "anger", "bereavement", …
	Resolved  bool
	Escalated bool
	Abandoned bool
	Transfers int
}

// Turn is one turn of the conversation.
type Turn struct {
	Speaker   string   // "agent", "bot", "customer" (case ignored); anything else is "other"
	Text      string   // redacted text
	Sentiment *float64 // customer turns; nil when unknown
}

// maxEvidence bounds the spans kept per criterion: a forbidden phrase said
// forty times needs a few examples, not forty.
const maxEvidence = 8

// scratch is the per-Score working memory, pooled so that scoring allocates
// only its result.
type scratch struct {
	hits  []hit
	words []word
	cls   []speakerMask
	ord   []int32
	spans []cx.Span
	cond  []condState
	ends  []int // by criterion: end of its evidence in spans
	lower lowered
}

// lowered holds turns lower-cased for pattern pre-filters, each done once
// per Score however many patterns read it.
type lowered struct {
	buf []byte
	at  []int32 // by turn: start in buf; -1 not done yet, -2 cannot be lower-cased
	end []int32
}

func (l *lowered) reset(turns int) {
	l.buf = l.buf[:0]
	l.at, l.end = l.at[:0], l.end[:0]
	for range turns {
		l.at = append(l.at, -1)
		l.end = append(l.end, 0)
	}
}

// turn returns turn i lower-cased, or ok false if a pre-filter cannot
// trust it (see appendLower).
func (l *lowered) turn(i int, text string) (lower []byte, ok bool) {
	switch l.at[i] {
	case -1:
		start := len(l.buf)
		if l.buf, ok = appendLower(l.buf, text); !ok {
			l.at[i] = -2
			return nil, false
		}
		l.at[i], l.end[i] = int32(start), int32(len(l.buf))
	case -2:
		return nil, false
	}
	return l.buf[l.at[i]:l.end[i]], true
}

type condState struct {
	done bool
	val  bool
	err  error
}

// bit returns the index of a single-speaker mask.
func (m speakerMask) bit() int {
	switch m {
	case spAgent:
		return 0
	case spBot:
		return 1
	case spCustomer:
		return 2
	}
	return 3
}

// view is one interaction as the checks see it.
type view struct {
	in     *Input
	cls    []speakerMask // by turn
	ord    []int32       // by turn: its index among its speaker's turns
	counts [4]int32      // turns per speaker bit
}

// count returns the number of turns a check on speaker m reads from.
func (v *view) count(m speakerMask) int {
	if m == spAny {
		return len(v.cls)
	}
	return int(v.counts[m.bit()])
}

// inWindow reports whether turn i is one a check on speaker m, limited to
// within turns (0: all) from the start or end, reads.
func (v *view) inWindow(i int, m speakerMask, within int, fromEnd bool) bool {
	if v.cls[i]&m == 0 {
		return false
	}
	if within == 0 {
		return true
	}
	o, total := i, len(v.cls)
	if m != spAny {
		o, total = int(v.ord[i]), int(v.counts[m.bit()])
	}
	if fromEnd {
		return total-o <= within
	}
	return o < within
}

// Score applies the scorecard to one interaction. Criteria whose
// applies_when is false, or whose speaker never spoke, do not apply and do
// not count; Score is the weighted share of applicable criteria met, or 0
// when an applicable auto-fail criterion failed. When nothing applies,
// Score is 0 and Applicable reports false: averages should skip the result.
func (s *Scorecard) Score(in Input) cx.QAResult {
	sc, _ := s.scratch.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	defer s.scratch.Put(sc)

	v := view{in: &in}
	sc.cls, sc.ord = sc.cls[:0], sc.ord[:0]
	for _, t := range in.Turns {
		c := classify(t.Speaker)
		sc.cls = append(sc.cls, c)
		sc.ord = append(sc.ord, v.counts[c.bit()])
		v.counts[c.bit()]++
	}
	v.cls, v.ord = sc.cls, sc.ord

	f := newFacts(&in, &v)
	if cap(sc.cond) < len(s.conds) {
		sc.cond = make([]condState, len(s.conds))
	}
	sc.cond = sc.cond[:len(s.conds)]
	clear(sc.cond)

	sc.lower.reset(len(in.Turns))
	sc.hits = sc.hits[:0]
	for i, t := range in.Turns {
		b := v.cls[i].bit()
		if s.scan.bySpeaker[b].holds(int(v.ord[i]), int(v.counts[b])) || s.scan.any.holds(i, len(in.Turns)) {
			sc.hits, sc.words = s.phrases.scan(sc.hits, sc.words, i, t.Text)
		}
	}

	res := cx.QAResult{Scorecard: s.version, Criteria: make([]cx.QACriterion, len(s.criteria))}
	sc.spans, sc.ends = sc.spans[:0], sc.ends[:0]
	var total, met float64
	for i := range s.criteria {
		c := &s.criteria[i]
		r := &res.Criteria[i]
		r.ID, r.Label, r.Weight, r.AutoFail = c.ID, c.Label, c.Weight, c.AutoFail
		r.Applies, r.Passed, r.Note = s.judge(c, &v, &f, sc)
		sc.ends = append(sc.ends, len(sc.spans))
		if !r.Applies {
			continue
		}
		total += c.Weight
		if r.Passed {
			met += c.Weight
		} else if c.AutoFail {
			res.AutoFail = true
		}
	}
	if len(sc.spans) > 0 {
		all := make([]cx.Span, len(sc.spans))
		copy(all, sc.spans)
		from := 0
		for i, end := range sc.ends {
			if end > from {
				res.Criteria[i].Evidence = all[from:end:end]
			}
			from = end
		}
	}
	if total > 0 && !res.AutoFail {
		res.Score = met / total
	}
	return res
}

// Applicable reports whether any criterion applied to the interaction, that
// is whether r.Score means anything.
func Applicable(r cx.QAResult) bool {
	for _, c := range r.Criteria {
		if c.Applies {
			return true
		}
	}
	return false
}

// newFacts derives the condition variables from the input.
func newFacts(in *Input, v *view) facts {
	f := facts{
		channel:       in.Channel,
		handler:       in.Handler,
		intent:        in.Intent,
		flags:         in.Flags,
		resolved:      in.Resolved,
		escalated:     in.Escalated,
		abandoned:     in.Abandoned,
		transfers:     int64(in.Transfers),
		turns:         int64(len(in.Turns)),
		customerTurns: int64(v.counts[spCustomer.bit()]),
		agentTurns:    int64(v.counts[spAgent.bit()]),
		botTurns:      int64(v.counts[spBot.bit()]),
	}
	if in.Sentiment != nil && finite(*in.Sentiment) {
		f.sentiment, f.hasSentiment = *in.Sentiment, true
	}
	f.sentimentMin = f.sentiment
	first := true
	for i, t := range in.Turns {
		if v.cls[i] != spCustomer || t.Sentiment == nil || !finite(*t.Sentiment) {
			continue
		}
		if first || *t.Sentiment < f.sentimentMin {
			f.sentimentMin = *t.Sentiment
		}
		first = false
		f.hasSentiment = true
	}
	return f
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// cond evaluates condition i once per Score.
func (s *Scorecard) cond(i int, f *facts, sc *scratch) (bool, error) {
	st := &sc.cond[i]
	if !st.done {
		st.val, st.err = s.conds[i].eval(f)
		st.done = true
	}
	return st.val, st.err
}

// judge decides one criterion, appending its evidence to sc.spans.
func (s *Scorecard) judge(c *criterion, v *view, f *facts, sc *scratch) (applies, passed bool, note string) {
	if c.when >= 0 {
		ok, err := s.cond(c.when, f, sc)
		if err != nil {
			return false, false, "not applicable: applies_when could not be evaluated: " + err.Error()
		}
		if !ok {
			return false, false, c.naWhen
		}
	}
	if c.kind == checkExpect {
		ok, err := s.cond(c.expect, f, sc)
		if err != nil {
			return false, false, "not applicable: expect could not be evaluated: " + err.Error()
		}
		if !ok {
			return true, false, c.expectFailed
		}
		return true, true, ""
	}
	if v.count(c.speaker) == 0 {
		return false, false, c.naSpeaker
	}

	// A required phrase must come before the first of the "before" phrases
	// (identity verification before any account change).
	cutTurn, cutStart := int32(math.MaxInt32), int32(0)
	cut := int32(-1) // the phrase that set the cut
	if c.before >= 0 {
		for _, h := range sc.hits {
			if s.phrases.phrase[h.phrase].list == c.before && v.cls[h.turn]&c.beforeSp != 0 {
				cutTurn, cutStart, cut = h.turn, h.start, h.phrase
				break
			}
		}
	}
	first := len(sc.spans)
	firstPhrase := int32(-1) // the phrase named in the note
	firstText := ""          // or the text a pattern matched
	// A requirement is proved by its first match; a prohibition broken shows
	// each time it was, up to maxEvidence.
	limit := maxEvidence
	if c.kind == checkRequire {
		limit = 1
	}
	switch c.kind {
	case checkRequire, checkForbid:
		for _, h := range sc.hits {
			if s.phrases.phrase[h.phrase].list != c.list || !v.inWindow(int(h.turn), c.speaker, c.within, c.fromEnd) {
				continue
			}
			if h.turn > cutTurn || h.turn == cutTurn && h.start >= cutStart {
				break
			}
			if n := len(sc.spans); n > first {
				last := &sc.spans[n-1]
				if last.Turn == int(h.turn) && int(h.start) < last.End {
					// Overlapping phrases ("is there anything else", "anything
					// else i can") make one span; a longer phrase from the same
					// word names it.
					if int(h.start) == last.Start && n-1 == first {
						firstPhrase = h.phrase
					}
					last.End = max(last.End, int(h.end))
					continue
				}
				if n-first == limit {
					break
				}
			} else {
				firstPhrase = h.phrase
			}
			sc.spans = append(sc.spans, cx.Span{Turn: int(h.turn), Start: int(h.start), End: int(h.end)})
		}
	case checkPattern, checkForbidPattern:
		for i, t := range v.in.Turns {
			if int32(i) > cutTurn || len(sc.spans)-first == maxEvidence {
				break
			}
			if !v.inWindow(i, c.speaker, c.within, c.fromEnd) {
				continue
			}
			if !c.filter.mayMatch(sc.lower.turn(i, t.Text)) {
				continue
			}
			if c.kind == checkPattern {
				// One match proves a requirement; the regexp need not scan on.
				if m := c.re.FindStringIndex(t.Text); m != nil && (int32(i) < cutTurn || int32(m[0]) < cutStart) {
					firstText = t.Text[m[0]:m[1]]
					sc.spans = append(sc.spans, cx.Span{Turn: i, Start: m[0], End: m[1]})
					break
				}
				continue
			}
			for _, m := range c.re.FindAllStringIndex(t.Text, maxEvidence) {
				if int32(i) == cutTurn && int32(m[0]) >= cutStart || len(sc.spans)-first == maxEvidence {
					break
				}
				if len(sc.spans) == first {
					firstText = t.Text[m[0]:m[1]]
				}
				sc.spans = append(sc.spans, cx.Span{Turn: i, Start: m[0], End: m[1]})
			}
		}
	}
	n := len(sc.spans) - first
	switch {
	case n == 0 && (c.kind == checkRequire || c.kind == checkPattern):
		if cut >= 0 {
			return true, false, c.missing + " before " + quote(s.phrases.phrase[cut].text) + " (turn " + strconv.Itoa(int(cutTurn)) + ")"
		}
		return true, false, c.missing
	case n == 0:
		return true, true, ""
	case c.kind == checkRequire:
		return true, true, s.phrases.phrase[firstPhrase].found
	case c.kind == checkPattern:
		return true, true, "found " + quote(firstText)
	}
	note = "said " + quote(firstText)
	if c.kind == checkForbid {
		note = s.phrases.phrase[firstPhrase].said
	}
	if n > 1 {
		note += " and " + strconv.Itoa(n-1) + " more"
	}
	return true, false, note
}

// missingNote says what a require check looked for and where.
func missingNote(c *criterion) string {
	var b strings.Builder
	b.WriteString("missing: ")
	if c.kind == checkPattern {
		b.WriteString("no match for ")
		b.WriteString(quote(c.Pattern))
	} else {
		b.WriteString("none of ")
		const show = 3
		for i, p := range c.Phrases {
			if i == show {
				b.WriteString(" and ")
				b.WriteString(strconv.Itoa(len(c.Phrases) - show))
				b.WriteString(" more")
				break
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(quote(p))
		}
	}
	b.WriteString(" in ")
	b.WriteString(where(c.speaker, c.within, c.fromEnd))
	return b.String()
}

// where renders a check's window: "the agent's first 2 turns".
func where(sp speakerMask, within int, fromEnd bool) string {
	owner := "the " + sp.String() + "'s "
	if sp == spAny {
		owner = "the "
	}
	switch {
	case within == 0 && sp == spAny:
		return "any turn"
	case within == 0:
		return owner + "turns"
	}
	side := "first"
	if fromEnd {
		side = "last"
	}
	if within == 1 {
		return owner + side + " turn"
	}
	return owner + side + " " + strconv.Itoa(within) + " turns"
}

// quote quotes a phrase or matched text for a note, shortened if long.
func quote(s string) string {
	const max = 80
	if len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xC0 == 0x80 {
			cut-- // do not split a UTF-8 sequence
		}
		s = s[:cut] + "…"
	}
	return strconv.Quote(s)
}
