package qa

import (
	"errors"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestParseFull(t *testing.T) {
	data, err := os.ReadFile("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc, err := Parse("full.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Name() != "full-example" || sc.Description() != "A card exercising every check type." {
		t.Errorf("name %q description %q", sc.Name(), sc.Description())
	}
	if !regexp.MustCompile(`^qa/1\+full-example@[0-9a-f]{12}$`).MatchString(sc.Version()) {
		t.Errorf("version %q", sc.Version())
	}
	var got []string
	for _, c := range sc.Criteria() {
		got = append(got, c.ID+":"+c.Check)
	}
	want := "greeting:require_any greeting_again:require_any notice:pattern verify:require_any rude:forbid_any swearing:forbid_pattern handoff:expect"
	if strings.Join(got, " ") != want {
		t.Errorf("criteria %s", strings.Join(got, " "))
	}
	c := sc.Criteria()
	if strings.Join(c[1].Phrases, ",") != "hello,hi,good morning" || c[1].From != "end" || c[1].WithinTurns != 1 {
		t.Errorf("anchored criterion %+v", c[1])
	}
	if c[0].Label != "Greets" || c[1].Label != "greeting_again" || c[2].Weight != 2 || c[0].Weight != 1 || !c[4].AutoFail || c[4].Speaker != "any" {
		t.Errorf("defaults: %+v", c[:5])
	}
	if c[3].BeforeSpeaker != "agent" || len(c[3].Before) != 2 || c[3].Line != 19 {
		t.Errorf("before: %+v", c[3])
	}
	// Criteria returns copies.
	c[0].Phrases[0] = "changed"
	if sc.Criteria()[0].Phrases[0] != "hello" {
		t.Error("Criteria exposes the scorecard's own slices")
	}
}

// TestVersionHash: the version follows what the card means, not how it is
// written.
func TestVersionHash(t *testing.T) {
	base := "name: v\ncriteria:\n  - {id: a, require_any: [hello], weight: 2}\n"
	same := []string{
		"# a comment\nname: v\ncriteria:\n  - id: a\n    weight: 2\n    require_any:\n      - hello\n",
		"criteria:\n  - {weight: 2.0, require_any: [\"hello\"], id: a}\nname: v\n",
	}
	different := []string{
		"name: v\ncriteria:\n  - {id: a, require_any: [hello], weight: 3}\n",
		"name: v\ncriteria:\n  - {id: a, require_any: [hello, hi], weight: 2}\n",
		"name: w\ncriteria:\n  - {id: a, require_any: [hello], weight: 2}\n",
		"name: v\ncriteria:\n  - {id: a, require_any: [hello], weight: 2, within_turns: 1}\n",
		"name: v\ncriteria:\n  - {id: a, require_any: [hello], weight: 2, applies_when: 'turns > 1'}\n",
	}
	version := func(src string) string {
		sc, err := Parse("v.yaml", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		return sc.Version()
	}
	v := version(base)
	for _, s := range same {
		if got := version(s); got != v {
			t.Errorf("%q: version %s, want %s", s, got, v)
		}
	}
	for _, s := range different {
		if got := version(s); got == v {
			t.Errorf("%q: version unchanged", s)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		line int
		msg  string
	}{
		// yaml.v3 reports a parser error at the line before the construct
		// it was parsing (here the flow list opened on line 4).
		{"yaml syntax", "name: x\ncriteria:\n  - id: a\n    require_any: [hi\n    weight: 2\n  - id: b\n", 3, "did not find expected ',' or ']'"},
		{"yaml tab", "name: x\ncriteria:\n\t- id: a\n", 3, "found character that cannot start any token"},
		{"empty", "", 0, "empty scorecard"},
		{"not a mapping", "- a\n- b\n", 1, "want a mapping"},
		{"missing name", "criteria:\n  - {id: a, expect: resolved}\n", 1, "missing name"},
		{"bad name", "name: My Card\ncriteria: []\n", 1, `name "My Card"`},
		{"unknown top key", "name: x\ncriterias: []\n", 2, `unknown key "criterias"`},
		{"missing criteria", "name: x\n", 1, "missing criteria"},
		{"empty criteria", "name: x\ncriteria: []\n", 2, "at least one criterion"},
		{"criterion not a mapping", "name: x\ncriteria:\n  - hello\n", 3, "criterion: want a mapping"},
		{"no id", "name: x\ncriteria:\n  - {expect: resolved}\n", 3, "without an id"},
		{"bad id", "name: x\ncriteria:\n  - {id: Greet Me, expect: resolved}\n", 3, `id "Greet Me"`},
		{"duplicate id", "name: x\ncriteria:\n  - {id: a, expect: resolved}\n  - {id: a, expect: escalated}\n", 4, `repeats the one at line 3`},
		{"duplicate key", "name: x\ncriteria:\n  - id: a\n    expect: resolved\n    id: b\n", 5, `key "id" repeats`},
		{"unknown key", "name: x\ncriteria:\n  - id: a\n    expect: resolved\n    speakr: agent\n", 5, `unknown key "speakr"`},
		{"no check", "name: x\ncriteria:\n  - id: a\n    weight: 2\n", 3, "has no check"},
		{"two checks", "name: x\ncriteria:\n  - id: a\n    require_any: [hi]\n    forbid_any: [bye]\n", 5, "has two checks, require_any (line 4) and forbid_any"},
		{"bad speaker", "name: x\ncriteria:\n  - id: a\n    require_any: [hi]\n    speaker: robot\n", 5, `speaker "robot"`},
		{"within_turns zero", "name: x\ncriteria:\n  - id: a\n    require_any: [hi]\n    within_turns: 0\n", 5, "within_turns 0"},
		{"within_turns text", "name: x\ncriteria:\n  - id: a\n    require_any: [hi]\n    within_turns: two\n", 5, "want a whole number"},
		{"from without within", "name: x\ncriteria:\n  - id: a\n    require_any: [hi]\n    from: end\n", 5, "from needs within_turns"},
		{"bad from", "name: x\ncriteria:\n  - id: a\n    require_any: [hi]\n    within_turns: 1\n    from: middle\n", 6, `from "middle"`},
		{"before with forbid", "name: x\ncriteria:\n  - id: a\n    forbid_any: [hi]\n    before: {any: [x]}\n", 5, "before goes with require_any or pattern"},
		{"before without any", "name: x\ncriteria:\n  - id: a\n    require_any: [hi]\n    before: {speaker: agent}\n", 5, "missing any"},
		{"speaker with expect", "name: x\ncriteria:\n  - id: a\n    expect: resolved\n    speaker: agent\n", 5, "speaker has no meaning with expect"},
		{"negative weight", "name: x\ncriteria:\n  - id: a\n    expect: resolved\n    weight: -1\n", 5, "want a number above 0"},
		{"weight text", "name: x\ncriteria:\n  - id: a\n    expect: resolved\n    weight: heavy\n", 5, "weight: want a number"},
		{"weight nan", "name: x\ncriteria:\n  - id: a\n    expect: resolved\n    weight: .nan\n", 5, "weight: want a number"},
		{"auto_fail text", "name: x\ncriteria:\n  - id: a\n    expect: resolved\n    auto_fail: maybe\n", 5, "want true or false"},
		{"phrases not a list", "name: x\ncriteria:\n  - id: a\n    require_any: hello\n", 4, "want a list of at least one phrase"},
		{"empty phrase", "name: x\ncriteria:\n  - id: a\n    require_any:\n      - hello\n      - ''\n", 6, "empty phrase"},
		{"phrase without words", "name: x\ncriteria:\n  - id: a\n    require_any: ['...']\n", 4, `phrase "..." has no words`},
		{"long word", "name: x\ncriteria:\n  - id: a\n    require_any: [" + strings.Repeat("a", 70) + "]\n", 4, "longer than 64 bytes"},
		{"bad regexp", "name: x\ncriteria:\n  - id: a\n    pattern: 'call(ed'\n", 4, "missing closing )"},
		{"regexp matching nothing", "name: x\ncriteria:\n  - id: a\n    forbid_pattern: 'x*'\n", 4, "matches empty text"},
		{"undeclared variable", "name: x\ncriteria:\n  - id: a\n    require_any: [hi]\n    applies_when: chanel == \"voice\"\n", 5, "undeclared reference to 'chanel' (did you mean 'channel'?) (column 1 of the expression)"},
		{"cel syntax", "name: x\ncriteria:\n  - id: a\n    expect: 'escalated &&'\n", 4, "expect \"escalated &&\": Syntax error"},
		{"cel not boolean", "name: x\ncriteria:\n  - id: a\n    expect: turns + 1\n", 4, "must be a boolean, is int"},
		{"cel type error", "name: x\ncriteria:\n  - id: a\n    expect: channel > 2\n", 4, "no matching overload"},
		{"cel error inside a block", "name: x\ncriteria:\n  - id: a\n    expect: |\n      escalated\n      && nosuch\n", 6, "undeclared reference to 'nosuch'"},
		{"empty condition", "name: x\ncriteria:\n  - id: a\n    expect: ''\n", 4, "empty expect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("card.yaml", []byte(tt.yaml))
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v (%T), want a *ParseError", err, err)
			}
			if pe.File != "card.yaml" || pe.Line != tt.line || !strings.Contains(pe.Msg, tt.msg) {
				t.Fatalf("error %q (line %d), want line %d and %q", err, pe.Line, tt.line, tt.msg)
			}
			prefix := "card.yaml: "
			if tt.line > 0 {
				prefix = "card.yaml:" + strconv.Itoa(tt.line) + ": "
			}
			if !strings.HasPrefix(err.Error(), prefix) {
				t.Errorf("error %q does not start with %q", err, prefix)
			}
		})
	}
}

// TestConditionsDeduplicated: a condition written twice is compiled and
// evaluated once.
func TestConditionsDeduplicated(t *testing.T) {
	sc := mustParse(t, `
  - {id: a, require_any: [hi], applies_when: 'channel == "voice"'}
  - {id: b, require_any: [bye], applies_when: ' channel == "voice" '}
  - {id: c, expect: 'channel == "voice"'}
`)
	if len(sc.conds) != 1 {
		t.Fatalf("%d conditions compiled, want 1", len(sc.conds))
	}
}
