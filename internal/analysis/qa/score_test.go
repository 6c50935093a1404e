package qa

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/northstar-cx/northstar/internal/cx"
)

// mustParse parses a scorecard written inline; criteria is the YAML list.
func mustParse(tb testing.TB, criteria string) *Scorecard {
	tb.Helper()
	sc, err := Parse("test.yaml", []byte("name: test\ncriteria:\n"+criteria))
	if err != nil {
		tb.Fatalf("Parse: %v", err)
	}
	return sc
}

func f64(v float64) *float64 { return &v }

// conversation builds turns from "speaker: text" lines.
func conversation(lines ...string) []Turn {
	var out []Turn
	for _, l := range lines {
		sp, text, _ := strings.Cut(l, ": ")
		out = append(out, Turn{Speaker: sp, Text: text})
	}
	return out
}

// evidenceText renders a criterion's evidence as turn:"text" items.
func evidenceText(in Input, c cx.QACriterion) string {
	var parts []string
	for _, e := range c.Evidence {
		parts = append(parts, fmt.Sprintf("%d:%q", e.Turn, in.Turns[e.Turn].Text[e.Start:e.End]))
	}
	return strings.Join(parts, " ")
}

func TestChecks(t *testing.T) {
	call := conversation(
		"agent: Good morning, you're through to Hearth & Harvest. This call may be recorded.",
		"customer: Hi, my box didn't arrive. THIS is ridiculous!",
		"agent: I’m so sorry to hear that. Can I take your postcode, please?",
		"customer: It's AB1 2CD.",
		"agent: Thanks. Calm down, I've refunded it. Calm down!",
		"agent: Is there anything else I can help with? Have a lovely day.",
	)
	tests := []struct {
		name      string
		criterion string
		in        Input
		applies   bool
		passed    bool
		evidence  string // turn:"matched text" items
		note      string // substring of the note
	}{
		{
			name:      "require_any found, case and punctuation ignored",
			criterion: `{id: c, require_any: ["good MORNING", "hello"], speaker: agent}`,
			in:        Input{Turns: call},
			applies:   true, passed: true, evidence: `0:"Good morning"`, note: `found "good MORNING"`,
		},
		{
			name:      "require_any matches whole words only",
			criterion: `{id: c, require_any: [hi, chips], speaker: agent}`,
			in:        Input{Turns: conversation("agent: This is it", "agent: Microchips")},
			applies:   true, passed: false, note: `missing: none of "hi", "chips" in the agent's turns`,
		},
		{
			name:      "require_any reads only its speaker",
			criterion: `{id: c, require_any: [ridiculous], speaker: agent}`,
			in:        Input{Turns: call},
			applies:   true, passed: false,
		},
		{
			name:      "customer speaker",
			criterion: `{id: c, require_any: [ridiculous], speaker: customer}`,
			in:        Input{Turns: call},
			applies:   true, passed: true, evidence: `1:"ridiculous"`,
		},
		{
			name:      "typographic apostrophe matches a plain one",
			criterion: `{id: c, require_any: ["i'm so sorry"]}`,
			in:        Input{Turns: call},
			applies:   true, passed: true, evidence: `2:"I’m so sorry"`,
		},
		{
			name:      "within_turns counts the speaker's turns from the start",
			criterion: `{id: c, require_any: [postcode], speaker: agent, within_turns: 1}`,
			in:        Input{Turns: call},
			applies:   true, passed: false, note: `in the agent's first turn`,
		},
		{
			name:      "within_turns 2 reaches the agent's second turn, the conversation's third",
			criterion: `{id: c, require_any: [postcode], speaker: agent, within_turns: 2}`,
			in:        Input{Turns: call},
			applies:   true, passed: true, evidence: `2:"postcode"`,
		},
		{
			name:      "within_turns from the end",
			criterion: `{id: c, require_any: [good morning, lovely day], within_turns: 1, from: end}`,
			in:        Input{Turns: call},
			applies:   true, passed: true, evidence: `5:"lovely day"`,
		},
		{
			name:      "within_turns on any speaker counts every turn",
			criterion: `{id: c, require_any: [box], speaker: any, within_turns: 1}`,
			in:        Input{Turns: call},
			applies:   true, passed: false, note: `in the first turn`,
		},
		{
			name: "before: required phrase in time",
			criterion: `{id: c, require_any: [postcode], speaker: agent,
			             before: {any: ["i've refunded"], speaker: agent}}`,
			in:      Input{Turns: call},
			applies: true, passed: true, evidence: `2:"postcode"`,
		},
		{
			name: "before: required phrase too late",
			criterion: `{id: c, require_any: [anything else], speaker: agent,
			             before: {any: ["i've refunded"]}}`,
			in:      Input{Turns: call},
			applies: true, passed: false, note: `before "i've refunded" (turn 4)`,
		},
		{
			name: "before: earlier in the same turn counts",
			criterion: `{id: c, require_any: [thanks], speaker: agent,
			             before: {any: ["i've refunded"]}}`,
			in:      Input{Turns: call},
			applies: true, passed: true, evidence: `4:"Thanks"`,
		},
		{
			name: "before: later in the same turn does not",
			criterion: `{id: c, require_any: [it], speaker: agent,
			             before: {any: ["i've refunded"]}}`,
			in:      Input{Turns: call},
			applies: true, passed: false,
		},
		{
			name:      "forbid_any: every occurrence is evidence",
			criterion: `{id: c, forbid_any: [calm down, not my problem], speaker: agent}`,
			in:        Input{Turns: call},
			applies:   true, passed: false, evidence: `4:"Calm down" 4:"Calm down"`, note: `said "calm down" and 1 more`,
		},
		{
			name:      "forbid_any: clean",
			criterion: `{id: c, forbid_any: [not my problem], speaker: agent}`,
			in:        Input{Turns: call},
			applies:   true, passed: true,
		},
		{
			name:      "overlapping phrases make one span",
			criterion: `{id: c, require_any: [is there anything else, anything else i can, else]}`,
			in:        Input{Turns: call},
			applies:   true, passed: true, evidence: `5:"Is there anything else I can"`, note: `found "is there anything else"`,
		},
		{
			name:      "pattern: first match, case-insensitive",
			criterion: `{id: c, pattern: '\bcalls?\b.*\brecord(ed|ing)\b', within_turns: 2}`,
			in:        Input{Turns: call},
			applies:   true, passed: true, evidence: `0:"call may be recorded"`, note: `found "call may be recorded"`,
		},
		{
			name:      "pattern: missing",
			criterion: `{id: c, pattern: 'we record', within_turns: 2}`,
			in:        Input{Turns: call},
			applies:   true, passed: false, note: `missing: no match for "we record" in the agent's first 2 turns`,
		},
		{
			name:      "pattern: the Kelvin sign folds to k, as in Go's regexp",
			criterion: `{id: c, pattern: 'k thanks'}`,
			in:        Input{Turns: conversation("agent: \u212A thanks, bye")},
			applies:   true, passed: true, evidence: "0:\"\u212A thanks\"",
		},
		{
			name:      "pattern: non-ASCII text around an ASCII match",
			criterion: `{id: c, pattern: 'refunded £\d+'}`,
			in:        Input{Turns: conversation("agent: Café order: I've REFUNDED £12 today")},
			applies:   true, passed: true, evidence: `0:"REFUNDED £12"`,
		},
		{
			name:      "forbid_pattern",
			criterion: `{id: c, forbid_pattern: '\b(stupid|idiots?)\b'}`,
			in:        Input{Turns: conversation("agent: Don't be STUPID.", "agent: idiots", "agent: stupidity is fine")},
			applies:   true, passed: false, evidence: `0:"STUPID" 1:"idiots"`, note: `said "STUPID" and 1 more`,
		},
		{
			name:      "expect true",
			criterion: `{id: c, expect: escalated}`,
			in:        Input{Escalated: true},
			applies:   true, passed: true,
		},
		{
			name:      "expect false",
			criterion: `{id: c, expect: escalated}`,
			in:        Input{},
			applies:   true, passed: false, note: "expected escalated, which is false",
		},
		{
			name:      "applies_when false",
			criterion: `{id: c, require_any: [hello], applies_when: 'channel == "voice"'}`,
			in:        Input{Channel: "chat", Turns: call},
			applies:   false, note: `not applicable: channel == "voice" is false`,
		},
		{
			name:      "no turns by the speaker: not applicable",
			criterion: `{id: c, require_any: [hello], speaker: agent}`,
			in:        Input{Turns: conversation("bot: Hello, I'm a bot.", "customer: hi")},
			applies:   false, note: "not applicable: no agent turns",
		},
		{
			name:      "flags",
			criterion: `{id: c, expect: '"bereavement" in flags && vulnerable && !("anger" in flags)'}`,
			in:        Input{Flags: []string{"anxiety", "bereavement"}},
			applies:   true, passed: true,
		},
		{
			name:      "unknown sentiment is neutral",
			criterion: `{id: c, expect: 'sentiment == 0.0 && sentiment_min == 0.0 && !has_sentiment'}`,
			in:        Input{},
			applies:   true, passed: true,
		},
		{
			name:      "sentiment_min is the lowest customer turn",
			criterion: `{id: c, expect: 'sentiment > -0.2 && sentiment_min < -0.6 && has_sentiment'}`,
			in: Input{Sentiment: f64(-0.1), Turns: []Turn{
				{Speaker: "customer", Text: "awful", Sentiment: f64(-0.8)},
				{Speaker: "agent", Text: "x", Sentiment: f64(-0.95)}, // not the customer's
				{Speaker: "customer", Text: "fine", Sentiment: f64(0.6)},
			}},
			applies: true, passed: true,
		},
		{
			name:      "turn counts",
			criterion: `{id: c, expect: 'turns == 6 && agent_turns == 4 && customer_turns == 2 && bot_turns == 0'}`,
			in:        Input{Turns: call},
			applies:   true, passed: true,
		},
		{
			name:      "speaker names ignore case",
			criterion: `{id: c, require_any: [hello], speaker: agent}`,
			in:        Input{Turns: conversation("Agent: hello")},
			applies:   true, passed: true, evidence: `0:"hello"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := mustParse(t, "  - "+tt.criterion+"\n")
			res := sc.Score(tt.in)
			c := res.Criteria[0]
			if c.Applies != tt.applies || c.Passed != tt.passed {
				t.Fatalf("applies, passed = %v, %v, want %v, %v (note %q)", c.Applies, c.Passed, tt.applies, tt.passed, c.Note)
			}
			if got := evidenceText(tt.in, c); got != tt.evidence {
				t.Errorf("evidence %s, want %s", got, tt.evidence)
			}
			if !strings.Contains(c.Note, tt.note) {
				t.Errorf("note %q, want it to contain %q", c.Note, tt.note)
			}
		})
	}
}

// TestEvidenceSpans checks exact byte offsets, with multi-byte text before
// the match.
func TestEvidenceSpans(t *testing.T) {
	sc := mustParse(t, `  - {id: c, forbid_any: ["that's not my problem"], speaker: any}`+"\n")
	text := "Désolé… That’s not my problem, honestly."
	res := sc.Score(Input{Turns: []Turn{{Speaker: "agent", Text: "hi"}, {Speaker: "agent", Text: text}}})
	want := []cx.Span{{Turn: 1, Start: strings.Index(text, "That"), End: strings.Index(text, ",")}}
	got := res.Criteria[0].Evidence
	if len(got) != 1 || got[0] != want[0] {
		t.Fatalf("evidence %v, want %v", got, want)
	}
}

func TestMaxEvidence(t *testing.T) {
	sc := mustParse(t, "  - {id: c, forbid_any: [no]}\n")
	res := sc.Score(Input{Turns: conversation("agent: " + strings.Repeat("no ", 50))})
	if n := len(res.Criteria[0].Evidence); n != maxEvidence {
		t.Fatalf("%d spans, want %d", n, maxEvidence)
	}
	if !strings.HasSuffix(res.Criteria[0].Note, fmt.Sprintf("and %d more", maxEvidence-1)) {
		t.Errorf("note %q", res.Criteria[0].Note)
	}
}

func TestScoreWeights(t *testing.T) {
	sc := mustParse(t, `
  - {id: greet, weight: 1, require_any: [hello]}
  - {id: thanks, weight: 2, require_any: [thanks]}
  - {id: voice, weight: 4, require_any: [recorded], applies_when: 'channel == "voice"'}
  - {id: bye, weight: 3, require_any: [goodbye]}
  - {id: rude, weight: 1, auto_fail: true, forbid_any: [calm down]}
`)
	tests := []struct {
		name     string
		in       Input
		score    float64
		autoFail bool
		rated    bool
	}{
		// greet 1 + thanks 2 + rude 1 met of 1+2+3+1 applicable (voice does not apply).
		{"weighted share of applicable", Input{Channel: "chat", Turns: conversation("agent: hello, thanks")}, 4.0 / 7, false, true},
		// voice applies and fails: 4 of 11.
		{"voice criterion counts on calls", Input{Channel: "voice", Turns: conversation("agent: hello, thanks")}, 4.0 / 11, false, true},
		{"all met", Input{Channel: "voice", Turns: conversation("agent: hello, thanks, it's recorded. goodbye")}, 1, false, true},
		{"auto-fail zeroes the score", Input{Turns: conversation("agent: hello, thanks, goodbye. Calm down.")}, 0, true, true},
		{"nothing applies", Input{Turns: conversation("customer: hello?")}, 0, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := sc.Score(tt.in)
			if math.Abs(res.Score-tt.score) > 1e-12 || res.AutoFail != tt.autoFail || Applicable(res) != tt.rated {
				t.Fatalf("score %v auto-fail %v applicable %v, want %v %v %v", res.Score, res.AutoFail, Applicable(res), tt.score, tt.autoFail, tt.rated)
			}
			if res.Scorecard != sc.Version() || len(res.Criteria) != 5 {
				t.Fatalf("result %+v", res)
			}
		})
	}
	// An auto-fail criterion that does not apply cannot fail the contact.
	sc2 := mustParse(t, `
  - {id: greet, require_any: [hello]}
  - {id: rude, auto_fail: true, forbid_any: [calm down], applies_when: 'channel == "voice"'}
`)
	if res := sc2.Score(Input{Channel: "chat", Turns: conversation("agent: hello. calm down")}); res.AutoFail || res.Score != 1 {
		t.Fatalf("non-applicable auto-fail: %+v", res)
	}
}

// TestConcurrentScore shares one scorecard between goroutines (run with
// -race) and checks they get what one goroutine gets.
func TestConcurrentScore(t *testing.T) {
	sc := mustParse(t, `
  - {id: greet, require_any: [hello, good morning], within_turns: 1}
  - {id: rude, auto_fail: true, forbid_any: [calm down]}
  - {id: notice, pattern: 'recorded', applies_when: 'channel == "voice"'}
`)
	inputs := []Input{
		{Channel: "voice", Turns: conversation("agent: Good morning, this call is recorded", "customer: hi")},
		{Channel: "chat", Turns: conversation("agent: yes?", "agent: calm down")},
		{Channel: "voice", Turns: conversation("agent: hello", "agent: "+strings.Repeat("word ", 200))},
	}
	want := make([]string, len(inputs))
	for i, in := range inputs {
		want[i] = fmt.Sprint(sc.Score(in))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for k := range 200 {
				i := (g + k) % len(inputs)
				if got := fmt.Sprint(sc.Score(inputs[i])); got != want[i] {
					errs <- got
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent result differs: %s", e)
	}
}

func TestInputFrom(t *testing.T) {
	yes, s := true, -0.7
	in := &cx.Interaction{
		Channel: cx.Voice, Handler: cx.Human, Intent: "refund_request", Escalated: true, Transfers: 2, Resolved: &yes,
		Turns: []cx.Turn{{Speaker: "agent", Text: "hello"}, {Speaker: "customer", Text: "bad", Sentiment: &s}},
		Analysis: &cx.Analysis{Sentiment: &s, Resolved: false, Intent: "missing_item",
			Flags: []cx.Flag{{Kind: "anger"}, {Kind: "illness"}}},
	}
	got := InputFrom(in)
	if got.Channel != "voice" || got.Handler != "human" || got.Intent != "missing_item" || !got.Escalated ||
		got.Transfers != 2 || got.Resolved || got.Sentiment == nil || *got.Sentiment != s ||
		strings.Join(got.Flags, ",") != "anger,illness" || len(got.Turns) != 2 || *got.Turns[1].Sentiment != s {
		t.Fatalf("InputFrom = %+v", got)
	}
	in.Analysis = nil
	if got := InputFrom(in); !got.Resolved || got.Intent != "refund_request" || got.Flags != nil {
		t.Fatalf("without analysis: %+v", got)
	}
}
