package sentiment

import (
	"math"
	"strings"
	"sync"
	"testing"
)

func TestDefaultLabels(t *testing.T) {
	m := Default()
	tests := []struct {
		name, text, want string
	}{
		// Plain polarity.
		{"praise", "The agent was great", Positive},
		{"complaint", "The agent was terrible", Negative},
		{"question", "What time does the store open on Sunday?", Neutral},
		{"statement", "My order number is 48213", Neutral},
		// Negation.
		{"not good", "The service was not good", Negative},
		{"not bad", "Honestly not bad at all", Positive},
		{"not happy", "I am not happy with this", Negative},
		{"never disappoints", "Your team never disappoints", Positive},
		{"negation stops at but", "No, but seriously wtf", Negative},
		// Contrast.
		{"but: complaint wins", "The food was great but the service was awful", Negative},
		{"but: praise wins", "The wait was annoying but the staff were wonderful", Positive},
		// Emoji and emoticons.
		{"angry emoji", "Where is my parcel 😡", Negative},
		{"thumbs up", "Delivered this morning 👍", Positive},
		{"smiley", "All done :)", Positive},
		{"frown", "Still nothing :(", Negative},
		{"html heart", "you are the best &lt;3", Positive},
		// Customer-service language.
		{"still waiting", "Still waiting for my refund", Negative},
		{"third time", "This is the third time I am asking", Negative},
		{"on hold", "I was on hold for an hour", Negative},
		{"never received", "I never received the replacement", Negative},
		{"not received", "I have not received my order", Negative},
		{"no one cares", "It's all automated and no one cares", Negative},
		{"delayed again", "Flight delayed again", Negative},
		{"cancel subscription", "I want to cancel my subscription", Negative},
		{"thanks for nothing", "Thanks for nothing", Negative},
		{"sort it out", "Sort it out", Negative},
		{"useless", "Your chatbot is useless", Negative},
		{"ridiculous", "This is ridiculous", Negative},
		{"numbers are waits", "I have waited 45 minutes", Negative},
		{"cannot find", "I can't find the invoice anywhere", Negative},
		{"finally sorted", "Finally sorted, thank you", Positive},
		{"quick and easy", "That was quick and easy", Positive},
		{"thanks", "Thanks for your help!", Positive},
		{"polite complaint", "Thanks, but my bag is still missing", Negative},
		{"wished praise", "It would be nice if someone answered the phone", Negative},
		{"request is not praise", "Can you please help me change my seat?", Neutral},
		{"clitic is not ill", "I'll call tomorrow", Neutral},
		{"elongation", "soooo gooood", Positive},
		{"mention skipped", "@happy_airline where is the gate", Neutral},
		{"url skipped", "see https://example.com/great/love", Neutral},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			label, score := m.Classify(tt.text)
			if label != tt.want {
				t.Errorf("Classify(%q) = %s (%.3f), want %s", tt.text, label, score, tt.want)
			}
			if l := m.Label(tt.text); l != label {
				t.Errorf("Label(%q) = %s, Classify says %s", tt.text, l, label)
			}
			if s := m.Score(tt.text); s != score {
				t.Errorf("Score(%q) = %v, Classify says %v", tt.text, s, score)
			}
		})
	}
}

// TestDefaultOrdering checks that emphasis moves scores the right way.
func TestDefaultOrdering(t *testing.T) {
	m := Default()
	tests := []struct {
		name, weaker, stronger string
	}{
		{"booster", "the service was good", "the service was very good"},
		{"caps", "the service was very good", "the service was VERY good"},
		{"exclamation", "the service was good", "the service was good!!!"},
		{"elongation", "the service was good", "the service was goooood"},
		{"negative booster", "the service was extremely bad", "the service was bad"},
		{"dampener", "the service was slightly good", "the service was good"},
		{"contrast weighs the end", "great staff but slow", "slow but great staff"},
		{"complaint punctuation", "where is my refund!!!", "where is my refund"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, s := m.Score(tt.weaker), m.Score(tt.stronger)
			if !(w < s) {
				t.Errorf("Score(%q) = %.3f, want below Score(%q) = %.3f", tt.weaker, w, tt.stronger, s)
			}
		})
	}
}

func TestScoreRange(t *testing.T) {
	m := Default()
	for _, text := range []string{
		"", " ", "!!!!!!", "??", strings.Repeat("amazing ", 500), strings.Repeat("worst ", 500),
		strings.Repeat("😡", 300), "\xff\xfe\xfd", "a\x00b", "NOT NOT NOT GOOD", "&lt;&lt;&lt;3",
		"'''", "don'", "’s", "#", "@", "http://", strings.Repeat("a", 100000),
	} {
		s := m.Score(text)
		if s < -1 || s > 1 || math.IsNaN(s) {
			t.Errorf("Score(%.30q) = %v, want within [-1, 1]", text, s)
		}
	}
	if s := m.Score(""); s != 0 {
		t.Errorf("Score(\"\") = %v, want 0", s)
	}
}

func TestTokenize(t *testing.T) {
	lx, err := newLexicon()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   string
		want string // tokens joined by '|'
	}{
		{"Don't", "dont"},
		{"I'll we'll it's they’re", "i|we|it|they"},
		{"@united hi #Fail", "hi|fail"},
		{"#NeverAgain #iPhone6 #ok", "never|again|i|phone6|ok"},
		{"see http://t.co/x and www.example.com now", "see|and|now"},
		{"you &amp; me", "you|me"},
		{"soooo", "soo"},
		{"Café ÉTÉ", "café|été"},
		{"a:)b", "a|:)|b"},
		{"&lt;3", "<3"},
		{"ok👍🏽!", "ok|👍"},
		{"flight 1337", "flight|1337"},
		{"\xffbad\xfe", "bad"},
	}
	for _, tt := range tests {
		s := lx.get()
		lx.tokenize(tt.in, s)
		var got []string
		for _, tk := range s.toks {
			got = append(got, string(s.low[tk.off:tk.off+tk.n]))
		}
		lx.put(s)
		if g := strings.Join(got, "|"); g != tt.want {
			t.Errorf("tokenize(%q) = %q, want %q", tt.in, g, tt.want)
		}
	}
}

func TestScoreAllocatesNothing(t *testing.T) {
	m := Default()
	text := "I have been on hold for an hour and still nobody can tell me where my order is 😡"
	m.Score(text) // warm the pool
	if n := testing.AllocsPerRun(200, func() { m.Score(text) }); n != 0 {
		t.Errorf("Score allocates %.1f times per call, want 0", n)
	}
}

func TestConcurrentUse(t *testing.T) {
	m := Default()
	tm, err := Train(readSmall(t), TrainOptions{Epochs: 3, Bits: 12})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"still waiting for my refund", "thanks, all sorted!", "what time do you open?"}
	want := make([]float64, 2*len(texts))
	for i, s := range texts {
		want[i], want[len(texts)+i] = m.Score(s), tm.Score(s)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				k := (g + i) % len(texts)
				if m.Score(texts[k]) != want[k] || tm.Score(texts[k]) != want[len(texts)+k] {
					errs <- texts[k]
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for s := range errs {
		t.Errorf("concurrent Score(%q) differs from the serial score", s)
	}
}

func TestVersion(t *testing.T) {
	if v := Default().Version(); v != Version {
		t.Errorf("Default().Version() = %q, want %q", v, Version)
	}
}

func TestBuildLexiconErrors(t *testing.T) {
	const vader = "good\t1.9\t0.9\t[2, 2]\n:)\t2.0\t0.5\t[2, 2]\n"
	const emoji = "😀\tgrinning face\n"
	tests := []struct {
		name, vader, cs, want string
	}{
		{"bad vader valence", "good\tx\n", "", "vader_lexicon.txt:1: valence \"x\""},
		{"vader without tab", "good 1.9\n", "", "vader_lexicon.txt:1: want token<TAB>valence"},
		{"line before section", vader, "good = 1\n", "customer_service.txt:1: \"good = 1\" before any [section]"},
		{"unknown section", vader, "[feelings]\n", "customer_service.txt:1: unknown section [feelings]"},
		{"missing value", vader, "# c\n[valence]\ngood\n", "customer_service.txt:3: [valence] needs \"phrase = value\""},
		{"unexpected value", vader, "[negators]\nnot = 1\n", "customer_service.txt:2: [negators] takes a bare phrase"},
		{"out of range", vader, "[valence]\ngood = 9\n", "customer_service.txt:2: value \"9\" is not a number in -4…4"},
		{"not an emoji", vader, "[emoji]\nx = 1\n", "customer_service.txt:2: \"x\" is not an emoji"},
		{"empty phrase", vader, "[valence]\n!!! = 1\n", "customer_service.txt:2: \"!!!\" has no words"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := buildLexicon(tt.vader, emoji, tt.cs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("buildLexicon error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	lx, err := buildLexicon(vader, emoji, "[valence]\ngood = 3\nstill waiting = -2\n")
	if err != nil {
		t.Fatal(err)
	}
	s := lx.get()
	lx.tokenize("good :) 😀 still waiting", s)
	b := lx.analyse(s, &rules{negWeight: 1, alpha: 15})
	if b.pos <= 3 || b.neg != -2 {
		t.Errorf("small lexicon: pos %v neg %v, want pos > 3 (good, :), 😀) and neg -2", b.pos, b.neg)
	}
}

func TestSummarize(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		in   []float64
		want Contact
	}{
		{"empty", nil, Contact{}},
		{"one", []float64{0.5}, Contact{Mean: 0.5, Start: 0.5, End: 0.5, Turns: 1}},
		{"two", []float64{-0.5, 0.5}, Contact{Mean: 0, Start: -0.5, End: 0.5, Change: 1, Turns: 2}},
		{"three", []float64{-0.6, 0, 0.6}, Contact{Mean: 0, Start: -0.6, End: 0.6, Change: 1.2, Turns: 3}},
		{"six: thirds of two", []float64{-1, -0.5, 0, 0, 0.5, 1}, Contact{Mean: 0, Start: -0.75, End: 0.75, Change: 1.5, Turns: 6}},
		{"seven: thirds round up", []float64{-1, -1, -1, 0, 1, 1, 1}, Contact{Mean: 0, Start: -1, End: 1, Change: 2, Turns: 7}},
		{"worsening", []float64{0.4, 0.2, -0.8}, Contact{Mean: -0.2 / 3, Start: 0.4, End: -0.8, Change: -1.2, Turns: 3}},
		{"non-finite skipped", []float64{nan, 0.3, math.Inf(1), -0.3}, Contact{Mean: 0, Start: 0.3, End: -0.3, Change: -0.6, Turns: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize(tt.in)
			if got.Turns != tt.want.Turns || !near(got.Mean, tt.want.Mean) || !near(got.Start, tt.want.Start) ||
				!near(got.End, tt.want.End) || !near(got.Change, tt.want.Change) {
				t.Errorf("Summarize(%v) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestReadExamples(t *testing.T) {
	tests := []struct {
		name, in string
		want     []Example
		err      string
	}{
		{"columns in any order", "label,id,text\nPositive,1,great\nnegative,2,\"bad, very\"\n",
			[]Example{{"great", Positive}, {"bad, very", Negative}}, ""},
		{"bom and case", "\ufeffText,LABEL\nok then,neutral\n", []Example{{"ok then", Neutral}}, ""},
		{"multi-line text", "text,label\n\"line one\nline two\",neutral\nx,positive\n",
			[]Example{{"line one\nline two", Neutral}, {"x", Positive}}, ""},
		{"empty", "", nil, "in.csv:1: empty file"},
		{"no label column", "text,sentiment\nx,positive\n", nil, "in.csv:1: header \"text,sentiment\" lacks a text and a label column"},
		{"bad label", "text,label\nfine,positive\nhmm,mixed\n", nil, "in.csv:3: label \"mixed\" is not negative, neutral or positive"},
		{"short row", "id,text,label\n1,x\n", nil, "in.csv:2: 2 fields, want at least 3"},
		{"empty text", "text,label\n  ,neutral\n", nil, "in.csv:2: empty text"},
		{"bad quote", "text,label\n\"unclosed,neutral\n", nil, "in.csv:2:"},
		{"header only", "text,label\n", nil, "in.csv: no examples"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadExamples(strings.NewReader(tt.in), "in.csv")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error = %v, want it to contain %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d examples %v, want %v", len(got), got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("example %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestEvaluate(t *testing.T) {
	m := Default()
	ex := []Example{
		{"this is wonderful", Positive}, {"this is awful", Negative}, {"what time is it?", Neutral},
		{"this is awful", Positive}, {"ignored", "mixed"},
	}
	r := Evaluate(m, ex)
	if r.N != 4 {
		t.Fatalf("N = %d, want 4 (the unknown label is not counted)", r.N)
	}
	if r.Accuracy != 0.75 {
		t.Errorf("Accuracy = %v, want 0.75", r.Accuracy)
	}
	pos := r.PerClass[Positive]
	if pos.Support != 2 || pos.Precision != 1 || pos.Recall != 0.5 || !near(pos.F1, 2.0/3) {
		t.Errorf("positive = %+v, want support 2, precision 1, recall 0.5, F1 2/3", pos)
	}
	neg := r.PerClass[Negative]
	if neg.Precision != 0.5 || neg.Recall != 1 {
		t.Errorf("negative = %+v, want precision 0.5, recall 1", neg)
	}
	if want := (2.0/3 + 2.0/3 + 1) / 3; !near(r.MacroF1, want) {
		t.Errorf("MacroF1 = %v, want %v", r.MacroF1, want)
	}
	if r.Confusion[Positive][Negative] != 1 || r.Confusion[Neutral][Neutral] != 1 {
		t.Errorf("Confusion = %v", r.Confusion)
	}
	if r.MessagesPerSec <= 0 {
		t.Errorf("MessagesPerSec = %v, want > 0", r.MessagesPerSec)
	}
	if e := Evaluate(m, nil); e.N != 0 || e.MacroF1 != 0 {
		t.Errorf("Evaluate(nil) = %+v, want zero", e)
	}
}
