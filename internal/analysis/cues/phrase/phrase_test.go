package phrase

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// testLexicon exercises every feature of the syntax.
const testLexicon = `
# a small lexicon for tests
@class family = husband | mum | mother in law
@alias can't = cant | cannot
@alias don't = dont
@negators = not | no | never | don't
@exceptions = never been so | not only
@clause = but | i'm
@window = 3

[grief]
passed away
lost my {family}
my late {family}
{family}'s funeral
[money]
can't afford
no money
[ignore]
no money worries
blind with rage
[anger]
angry
sick|tired|_ of waiting
[access]
blind
[churn]
i'm leaving $
[done]
^ no thanks
`

func mustSet(t testing.TB) *Set {
	t.Helper()
	s, err := CompileLexicon("test.lex", testLexicon)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// render shows matches as label:text, with ! for negated ones.
func render(s *Set, text string) string {
	var parts []string
	for _, m := range s.AppendMatches(nil, text) {
		p := s.labels[m.Label] + ":" + text[m.Start:m.End]
		if m.Negated {
			p = "!" + p
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

func TestMatches(t *testing.T) {
	s := mustSet(t)
	tests := []struct {
		name, text, want string
	}{
		{"simple", "My mum passed away last May.", "grief:passed away"},
		{"case and class", "I LOST MY Mother-in-Law in March", "grief:LOST MY Mother-in-Law"},
		{"class suffix", "It was my husband's funeral", "grief:husband's funeral"},
		{"typographic apostrophe", "I can’t afford it", "money:can’t afford"},
		{"alias", "i cant afford it and cannot afford that", "money:cant afford money:cannot afford"},
		{"longest wins", "there are no money worries here", "ignore:no money worries"},
		{"shorter when longer absent", "I have no money", "money:no money"},
		{"look-alike consumed", "I'm blind with rage", "ignore:blind with rage"},
		{"plain blind", "I am blind", "access:blind"},
		{"optional slot", "bored of waiting and sick of waiting", "anger:of waiting anger:sick of waiting"},
		{"negated", "I'm not angry", "!anger:angry"},
		{"negated within window", "I am not at all angry", "!anger:angry"},
		{"outside window", "not that I was ever really angry", "anger:angry"},
		{"contraction negator", "I dont feel angry", "!anger:angry"},
		{"clause word stops negation", "I don't know why i'm angry", "anger:angry"},
		{"punctuation stops negation", "No. I am angry", "anger:angry"},
		{"but stops negation", "not happy but angry", "anger:angry"},
		{"exception", "I have never been so angry", "anger:angry"},
		{"exception only at the negator", "I have never so angry", "!anger:angry"},
		{"end anchor", "OK, I'm leaving!", "churn:I'm leaving"},
		{"phrase opening with a clause word", "if it isn't fixed i'm leaving", "churn:i'm leaving"},
		{"end anchor at end of text", "I'm leaving", "churn:I'm leaving"},
		{"end anchor not mid clause", "I'm leaving for work now", ""},
		{"start anchor", "No thanks, that's all", "done:No thanks"},
		{"start anchor after break", "Great. no thanks", "done:no thanks"},
		{"start anchor not mid clause", "I said no thanks", ""},
		{"no phrase across a clause end", "I lost my. husband", ""},
		{"unknown word breaks phrase", "passed quickly away", ""},
		{"non-ASCII letters stay in tokens", "Ich bin angryé über angry", "anger:angry"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(s, tt.text); got != tt.want {
				t.Errorf("%q:\n got %q\nwant %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestMatchFields(t *testing.T) {
	s := mustSet(t)
	text := "well, I lost my husband"
	ms := s.AppendMatches(nil, text)
	if len(ms) != 1 {
		t.Fatalf("got %d matches, want 1", len(ms))
	}
	m := ms[0]
	if m.Tok != 2 || m.Toks != 3 || m.Start != 8 || m.End != len(text) || s.Label("grief") != m.Label {
		t.Errorf("match %+v", m)
	}
	if s.Label("nope") != -1 {
		t.Error("Label of an unknown name should be -1")
	}
	if got := s.Labels(); len(got) != 7 || got[0] != "grief" {
		t.Errorf("Labels() = %q", got)
	}
}

func TestLongText(t *testing.T) {
	// More tokens than fit on the stack: the token list must grow correctly.
	s := mustSet(t)
	text := strings.Repeat("filler ", 500) + "I can't afford it"
	if got := render(s, text); got != "money:can't afford" {
		t.Errorf("got %q", got)
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Hello, World!", []string{"hello", "world"}},
		{"can't won’t 'quoted' dads'", []string{"can't", "won't", "quoted", "dads"}},
		{"mother-in-law e-mail", []string{"mother", "in", "law", "e", "mail"}},
		{"café naïve 東京", []string{"café", "naïve", "東京"}},
		{"bad\xffbyte", []string{"bad", "byte"}},
		{"3rd time, 10x", []string{"3rd", "time", "10x"}},
	}
	for _, tt := range tests {
		got := words(tt.text)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("words(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name    string
		lexicon string
		want    string
	}{
		{"conflict", "[a]\nfoo bar\n[b]\nfoo bar", "both produce the phrase"},
		{"unknown class", "[a]\n{nope} bar", "unknown class"},
		{"unclosed class", "[a]\n{nope bar", "unclosed"},
		{"empty alternative", "[a]\nfoo| bar", "empty alternative"},
		{"anchor position", "[a]\nfoo ^ bar", "first slot"},
		{"end anchor position", "[a]\n$ foo", "last slot"},
		{"only optional", "[a]\n_", "no words"},
		{"only anchors", "[a]\n^ $", "no words"},
		{"pattern before label", "foo", "before any [label]"},
		{"bad label", "[a b]\nfoo", "without spaces"},
		{"bad directive", "@bogus = x", "unknown directive"},
		{"directive without =", "@class foo", "want @name = value"},
		{"alias twice", "@alias a = x\n@alias b = x", "already an alias"},
		{"alias chain", "@alias a = b\n@alias c = a\n[l]\nc", "itself an alias"},
		{"multiword alias", "@alias a b = x\n[l]\nfoo", "want @alias NAME"},
		{"multiword negator", "@negators = not at all\n[l]\nfoo", "exactly one word"},
		{"exception without negator", "@negators = not\n@exceptions = so very\n[l]\nfoo", "not a negator"},
		{"bad window", "@window = x", "integer"},
		{"explosion", "@class c = a | b | c | d | e | f | g | h | i | j\n[l]\n{c} {c} {c} {c} {c}", "more than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CompileLexicon("x.lex", tt.lexicon)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "x.lex") {
				t.Errorf("error %q should name the lexicon", err)
			}
		})
	}
}

func TestClassLinesAddUp(t *testing.T) {
	s, err := CompileLexicon("x", "@class c = a\n@class c = b\n[l]\n{c} x")
	if err != nil {
		t.Fatal(err)
	}
	if got := render(s, "a x b x"); got != "l:a x l:b x" {
		t.Errorf("got %q", got)
	}
}

func TestDuplicatesWithSameLabelAreFine(t *testing.T) {
	if _, err := CompileLexicon("x", "[a]\nfoo bar\nfoo|baz bar"); err != nil {
		t.Fatal(err)
	}
}

func TestNoAllocs(t *testing.T) {
	s := mustSet(t)
	dst := make([]Match, 0, 8)
	text := "I'm not angry but I can't afford my mum's funeral, I lost my husband."
	allocs := testing.AllocsPerRun(100, func() { dst = s.AppendMatches(dst[:0], text) })
	if allocs != 0 {
		t.Errorf("%v allocations per scan, want 0", allocs)
	}
}

func BenchmarkAppendMatches(b *testing.B) {
	s := mustSet(b)
	text := "Hi, I've been waiting three weeks for my refund and honestly I'm not angry but I can't afford to wait any longer since I lost my husband."
	dst := make([]Match, 0, 8)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		dst = s.AppendMatches(dst[:0], text)
	}
}

func FuzzAppendMatches(f *testing.F) {
	for _, seed := range []string{
		"I'm not angry", "I lost my mother-in-law", "no money worries", "can’t afford",
		"I'm leaving!", "No thanks.", "bad\xffbyte’s", "’’'", "a’\xe2\x80", "",
	} {
		f.Add(seed)
	}
	s := mustSet(f)
	f.Fuzz(func(t *testing.T, text string) {
		prevEnd := 0
		for _, m := range s.AppendMatches(nil, text) {
			if m.Start < prevEnd || m.Start >= m.End || m.End > len(text) {
				t.Fatalf("bad span %d:%d after %d in %q", m.Start, m.End, prevEnd, text)
			}
			if !onRuneBoundaries(text, m.Start, m.End) {
				t.Fatalf("span %q does not start and end on valid runes", text[m.Start:m.End])
			}
			if m.Label < 0 || m.Label >= len(s.labels) || m.Toks < 1 {
				t.Fatalf("bad match %+v", m)
			}
			prevEnd = m.End
		}
	})
}

// onRuneBoundaries reports whether text[start:end] begins and ends with a
// valid rune, so cutting the text there never splits a character.
func onRuneBoundaries(text string, start, end int) bool {
	r, _ := utf8.DecodeRuneInString(text[start:])
	l, _ := utf8.DecodeLastRuneInString(text[:end])
	return r != utf8.RuneError && l != utf8.RuneError
}

func FuzzParseLexicon(f *testing.F) {
	f.Add(testLexicon)
	f.Add("[a]\n{c}'s x|_ $\n@class c = a b | c")
	f.Add("@window = -1\n@negators = no\n[l]\n^ no")
	f.Fuzz(func(t *testing.T, lexicon string) {
		s, err := CompileLexicon("fuzz", lexicon)
		if err != nil {
			return
		}
		// A compiled set must scan its own source without trouble.
		s.AppendMatches(nil, lexicon)
	})
}
