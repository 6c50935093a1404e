package qa

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/northstar-cx/northstar/internal/cx"
)

// checkResult asserts what every result must satisfy.
func checkResult(t *testing.T, sc *Scorecard, in Input, res cx.QAResult) {
	t.Helper()
	if len(res.Criteria) != len(sc.criteria) || res.Scorecard != sc.Version() {
		t.Fatalf("result has %d criteria for %d, scorecard %q", len(res.Criteria), len(sc.criteria), res.Scorecard)
	}
	if res.Score < 0 || res.Score > 1 || res.AutoFail && res.Score != 0 {
		t.Fatalf("score %v auto-fail %v", res.Score, res.AutoFail)
	}
	for _, c := range res.Criteria {
		if c.Passed && !c.Applies {
			t.Fatalf("%s passed without applying", c.ID)
		}
		if len(c.Evidence) > maxEvidence {
			t.Fatalf("%s: %d spans", c.ID, len(c.Evidence))
		}
		for _, e := range c.Evidence {
			if e.Turn < 0 || e.Turn >= len(in.Turns) || e.Start < 0 || e.Start >= e.End || e.End > len(in.Turns[e.Turn].Text) {
				t.Fatalf("%s: span %+v out of range", c.ID, e)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	full, err := os.ReadFile("testdata/full.yaml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(full))
	f.Add("name: x\ncriteria:\n  - {id: a, require_any: [hello], within_turns: 1}\n")
	f.Add("name: x\ncriteria:\n  - {id: a, pattern: 'rec(orded|ording)', before: {any: [x]}}\n")
	f.Add("name: x\ncriteria:\n  - {id: a, expect: 'flags.exists(f, f in [\"a\"]) && sentiment < -0.4'}\n")
	f.Add("name: x\ncriteria:\n  - &c {id: a, forbid_any: [calm down]}\n  - *c\n")
	f.Add("name: [\ncriteria: {")
	f.Add("")
	in := Input{Channel: "voice", Handler: "human", Flags: []string{"anger"}, Turns: conversation(
		"agent: Hello, this call is recorded.", "customer: My box is late!", "agent: Calm down. I've refunded £5.",
		"bot: I'm an automated assistant", "agent: Anything else? Bye")}
	f.Fuzz(func(t *testing.T, src string) {
		sc, err := Parse("fuzz.yaml", []byte(src))
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error %v is a %T, want *ParseError", err, err)
			}
			return
		}
		checkResult(t, sc, in, sc.Score(in))
	})
}

// FuzzScore feeds arbitrary text to a fixed scorecard: the tokeniser and
// the filters must not panic, and evidence must point at the phrase.
func FuzzScore(f *testing.F) {
	sc, err := Parse("card.yaml", []byte(`name: x
criteria:
  - {id: hello, require_any: [hello there, hi], speaker: any}
  - {id: rude, forbid_any: ["that's not my problem"], speaker: any}
  - {id: notice, pattern: '\bcalls?\b.*record', speaker: any}
  - {id: abuse, forbid_pattern: '\b(stupid|idiots?)\b', speaker: any}
`))
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"Hello there!", "That’s NOT my problem", "calls are \u212Aecorded", "Stupid idiots",
		"caf\xe9 hi", "hi'", "'hi'", strings.Repeat("x", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		in := Input{Turns: []Turn{{Speaker: "agent", Text: text}, {Speaker: "customer", Text: text}}}
		res := sc.Score(in)
		checkResult(t, sc, in, res)
		for _, c := range res.Criteria[:2] { // phrase criteria: the span is words of the phrase
			for _, e := range c.Evidence {
				span := text[e.Start:e.End]
				if !utf8.ValidString(span) && utf8.ValidString(text) {
					t.Fatalf("%s: span %q splits a character", c.ID, span)
				}
				if w, _, _ := nextWord(span, 0); w != 0 {
					t.Fatalf("%s: span %q does not start at a word", c.ID, span)
				}
			}
		}
	})
}
