package qa

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

func TestRequiredLiterals(t *testing.T) {
	tests := []struct {
		pattern string
		want    string // literals joined by |; "" means no filter
	}{
		{`recorded`, "recorded"},
		{`\bcalls?\b.*\brecord(ed|ing)\b`, "record"},
		{`\b(stupid|idiots?|bloody)\b`, "stupid|idiot|bloody"},
		{`Shut Up`, "shut up"},
		{`(abc)+x`, "abc"},
		{`(abc){2,3}`, "abc"},
		{`(abc)*`, ""},
		{`a|bcd`, ""}, // too short to filter on
		{`[abc]def`, "def"},
		{`\d+`, ""},
		{`café`, ""},     // non-ASCII literal
		{`hello|.*`, ""}, // one branch has no literal
		{`(?-i)Hello`, "hello"},
	}
	for _, tt := range tests {
		f := newLitFilter(tt.pattern)
		var got []string
		for _, l := range f.lits {
			got = append(got, string(l))
		}
		if strings.Join(got, "|") != tt.want {
			t.Errorf("%q: literals %q, want %q", tt.pattern, strings.Join(got, "|"), tt.want)
		}
	}
}

// TestFilterSound: whenever an expression matches a text, its filter lets
// the text through.
func TestFilterSound(t *testing.T) {
	patterns := []string{
		`\bcalls?\b.*\brecord(ed|ing)\b`, `\b(stupid|idiots?|shut up)\b`, `(?-i)Hello there`, `kel+vin`,
		`s+ure thing`, `(abc|abd)e`, `x(yz){2}`,
	}
	words := []string{"call", "calls", "recorded", "RECORDING", "stupid", "Idiots", "shut", "up", "Hello", "there",
		"\u212Aelvin", "kelvin", "\u017Fure", "sure", "thing", "abce", "ABDE", "xyzyz", "£12", "café", " ", ".", "\n"}
	r := rand.New(rand.NewPCG(5, 6))
	var lower []byte
	for _, p := range patterns {
		re := regexp.MustCompile("(?i)" + p)
		f := newLitFilter(p)
		for range 3000 {
			var b strings.Builder
			for range 1 + r.IntN(6) {
				b.WriteString(words[r.IntN(len(words))])
				b.WriteByte(" ,"[r.IntN(2)])
			}
			text := b.String()
			var ok bool
			lower, ok = appendLower(lower[:0], text)
			if re.MatchString(text) && !f.mayMatch(lower, ok) {
				t.Fatalf("%q matches %q but the filter rejects it", p, text)
			}
		}
	}
}
