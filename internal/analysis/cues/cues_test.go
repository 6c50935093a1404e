package cues

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// kindsOf returns the kinds Detect flags in one customer sentence.
func kindsOf(text string) []Kind {
	var ks []Kind
	for _, f := range Detect([]Turn{{Speaker: "customer", Text: text}}) {
		ks = append(ks, f.Kind)
	}
	return ks
}

func TestDetectSentences(t *testing.T) {
	tests := []struct {
		text string
		want []Kind
	}{
		// Positives, one kind each.
		{"I'm absolutely furious about this.", []Kind{Anger}},
		{"This is the third time I've called!", []Kind{Anger}},
		{"I'm sick of waiting for a reply.", []Kind{Anger}},
		{"I'm blind with rage.", []Kind{Anger}},
		{"I've never been so angry.", []Kind{Anger}},
		{"I'm really worried about the payment.", []Kind{Anxiety}},
		{"I'm panicking, my card was used abroad.", []Kind{Anxiety}},
		{"My husband passed away in June.", []Kind{Bereavement}},
		{"I lost my mum last year.", []Kind{Bereavement}},
		{"It's about my late husband's account.", []Kind{Bereavement}},
		{"My dad died and the bill is in his name.", []Kind{Bereavement}},
		{"The funeral is on Monday.", []Kind{Bereavement}},
		{"I'm having chemo at the moment.", []Kind{Illness}},
		{"My wife is in hospital.", []Kind{Illness}},
		{"He's terminally ill.", []Kind{Illness}},
		{"My mother has dementia.", []Kind{Illness}},
		{"I can't afford the increase.", []Kind{FinancialHardship}},
		{"I cant afford it", []Kind{FinancialHardship}},
		{"I lost my job in May.", []Kind{FinancialHardship}},
		{"I'm on Universal Credit.", []Kind{FinancialHardship}},
		{"I'm behind on my bills.", []Kind{FinancialHardship}},
		{"I had to go to a food bank.", []Kind{FinancialHardship}},
		{"I'm blind.", []Kind{Accessibility}},
		{"I use a screen reader.", []Kind{Accessibility}},
		{"I'm hard of hearing.", []Kind{Accessibility}},
		{"I can't use the app because of my eyes.", []Kind{Accessibility}},
		{"I'm dyslexic.", []Kind{Accessibility}},
		{"I'm going to switch to another provider.", []Kind{ChurnThreat}},
		{"I'll never order from you again.", []Kind{ChurnThreat}},
		{"Please close my account.", []Kind{ChurnThreat}},
		{"If it's not fixed I'm leaving!", []Kind{ChurnThreat}},
		{"I want to cancel my subscription.", []Kind{ChurnThreat}},
		{"I'm never ordering again.", []Kind{ChurnThreat}},
		{"Im going to switch to Acme Telecom", []Kind{ChurnThreat}},
		// Several kinds, in Kinds() order whatever the order in the text.
		{"Since my husband died I can't afford this, and I'm furious.", []Kind{Anger, Bereavement, FinancialHardship}},
		// Negated.
		{"I'm not angry.", nil},
		{"I'm not at all worried.", nil},
		{"No money worries, just checking.", nil},
		{"I'm not ill, just busy.", nil},
		{"I'm not deaf!", nil},
		{"I don't want to cancel my subscription.", nil},
		{"I'm not going to switch to another provider.", nil},
		{"Don't worry about it.", nil},
		// Look-alikes.
		{"My phone died.", nil},
		{"You're killing it!", nil},
		{"Dead easy, thanks.", nil},
		{"The deadline has passed.", nil},
		{"I lost my card.", nil},
		{"I'm at terminal 2.", nil},
		{"A stroke of luck.", nil},
		{"The roller blind is broken.", nil},
		{"My account was disabled.", nil},
		{"I want to cancel my order.", nil},
		{"I'm going to switch to paperless.", nil},
		{"I'll leave you a review.", nil},
		{"I'm afraid I missed the delivery.", nil},
		{"I can't pay online.", nil},
		{"I hate to ask, but can you resend it?", nil},
		{"I'm leaving for work now.", nil},
	}
	for _, tt := range tests {
		if got := kindsOf(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("%q: got %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestOnlyCustomerTurns(t *testing.T) {
	turns := []Turn{
		{Speaker: "agent", Text: "I'm sorry your husband passed away. Are you worried about the bill?"},
		{Speaker: "bot", Text: "You can cancel your subscription online."},
		{Speaker: "Customer", Text: "Yes, I can't afford it."},
		{Speaker: "", Text: "I'm furious"},
	}
	got := Detect(turns)
	want := []Flag{{Kind: FinancialHardship, Evidence: []Evidence{{Turn: 2, Start: 7, End: 19}}}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestEvidence(t *testing.T) {
	turns := []Turn{
		{Speaker: "customer", Text: "This is ridiculous."},
		{Speaker: "agent", Text: "I understand."},
		{Speaker: "customer", Text: "Third time I've called, I'm fuming and I’ll cancel my account."},
	}
	got := Detect(turns)
	if len(got) != 2 || got[0].Kind != Anger || got[1].Kind != ChurnThreat {
		t.Fatalf("got %v", got)
	}
	var spans []string
	for _, f := range got {
		for _, e := range f.Evidence {
			spans = append(spans, fmt.Sprintf("%s@%d:%s", f.Kind, e.Turn, turns[e.Turn].Text[e.Start:e.End]))
		}
	}
	want := []string{"anger@0:ridiculous", "anger@2:Third time", "anger@2:fuming", "churn_threat@2:cancel my account"}
	if !slices.Equal(spans, want) {
		t.Errorf("evidence %q, want %q", spans, want)
	}
}

func TestVulnerable(t *testing.T) {
	var vulnerable []Kind
	for _, k := range Kinds() {
		if k.Vulnerable() {
			vulnerable = append(vulnerable, k)
		}
	}
	want := []Kind{Bereavement, Illness, FinancialHardship, Accessibility}
	if !slices.Equal(vulnerable, want) {
		t.Errorf("vulnerable kinds %v, want %v", vulnerable, want)
	}
	if len(Kinds()) != numKinds {
		t.Errorf("numKinds = %d, Kinds() has %d", numKinds, len(Kinds()))
	}
	if Kind("other").Vulnerable() {
		t.Error("an unknown kind is not vulnerable")
	}
}

func TestNoCues(t *testing.T) {
	if got := Detect(nil); got != nil {
		t.Errorf("Detect(nil) = %v", got)
	}
	if got := Detect([]Turn{{Speaker: "customer", Text: "Where is my parcel?"}}); got != nil {
		t.Errorf("got %v", got)
	}
}

func TestBadLexicon(t *testing.T) {
	if _, err := newDetector("bad.txt", "[sadness]\nblue"); err == nil || !strings.Contains(err.Error(), "unknown kind \"sadness\"") {
		t.Errorf("error %v, want unknown kind", err)
	}
	d, err := newDetector("two.txt", "[anger+churn_threat]\ndone with you")
	if err != nil {
		t.Fatal(err)
	}
	got := d.Detect([]Turn{{Speaker: "customer", Text: "I'm done with you"}})
	if len(got) != 2 || got[0].Kind != Anger || got[1].Kind != ChurnThreat || got[1].Evidence[0] != (Evidence{0, 4, 17}) {
		t.Errorf("a two-kind label flagged %v", got)
	}
	if _, err := newDetector("bad.txt", "[anger]\n{nope}"); err == nil || !strings.Contains(err.Error(), "bad.txt") {
		t.Errorf("error %v, want one naming the file", err)
	}
}

func TestConcurrent(t *testing.T) {
	turns := benchTurns()
	want := fmt.Sprint(Detect(turns))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if got := fmt.Sprint(Detect(turns)); got != want {
					t.Errorf("concurrent result differs: %s", got)
					return
				}
			}
		})
	}
	wg.Wait()
}

// benchTurns is a ten-turn interaction of about 160 words.
func benchTurns() []Turn {
	return []Turn{
		{"customer", "Hi, I ordered a washing machine three weeks ago and it still hasn't arrived."},
		{"agent", "I'm sorry to hear that. Can I take your order number please?"},
		{"customer", "It's 4471-2231. This is the third time I've contacted you about it and I'm getting really frustrated."},
		{"agent", "Thank you. I can see the order was delayed at our warehouse."},
		{"customer", "My husband passed away recently and I really can't cope without a washing machine at the moment."},
		{"agent", "I'm very sorry for your loss. Let me see what I can do to speed this up for you."},
		{"customer", "Thank you. Money is tight too so I don't want to pay for another one."},
		{"agent", "I've arranged priority delivery for Thursday and refunded the delivery charge."},
		{"customer", "OK, that helps. If it doesn't come on Thursday I'll cancel and go elsewhere."},
		{"agent", "Understood. Is there anything else I can help with today?"},
	}
}

func TestNoAllocsWithoutCues(t *testing.T) {
	turns := []Turn{{"customer", "Hi, where is my parcel? It was due on Tuesday."}, {"agent", "Let me check."}}
	if a := testing.AllocsPerRun(100, func() { Detect(turns) }); a != 0 {
		t.Errorf("%v allocations for a conversation without cues, want 0", a)
	}
}

func BenchmarkDetect(b *testing.B) {
	turns := benchTurns()
	Detect(turns) // compile the lexicon outside the timing
	b.ReportAllocs()
	for b.Loop() {
		Detect(turns)
	}
}

func BenchmarkNewDetector(b *testing.B) {
	for b.Loop() {
		if _, err := NewDetector(); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{
		"I'm not angry", "my late husband’s funeral", "can’t afford", "blind with rage",
		"I'm leaving!", "\xff\xfe cancel my account \xe2\x80", "’", "", strings.Repeat("no money ", 100),
	} {
		f.Add(s, "agent reply")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		turns := []Turn{{"customer", a}, {"agent", b}, {"customer", b}}
		seen := map[Kind]bool{}
		for _, fl := range Detect(turns) {
			if seen[fl.Kind] || len(fl.Evidence) == 0 {
				t.Fatalf("flag %v repeated or without evidence", fl)
			}
			seen[fl.Kind] = true
			for _, e := range fl.Evidence {
				if e.Turn != 0 && e.Turn != 2 {
					t.Fatalf("evidence in a non-customer turn: %+v", e)
				}
				text := turns[e.Turn].Text
				if e.Start < 0 || e.Start >= e.End || e.End > len(text) {
					t.Fatalf("span %+v outside %q", e, text)
				}
				r, _ := utf8.DecodeRuneInString(text[e.Start:])
				l, _ := utf8.DecodeLastRuneInString(text[:e.End])
				if r == utf8.RuneError || l == utf8.RuneError {
					t.Fatalf("span %q does not start and end on valid runes", text[e.Start:e.End])
				}
			}
		}
	})
}
