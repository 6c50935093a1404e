package intent

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// readFile reads examples from testdata.
func readFile(tb testing.TB, name string) []Example {
	tb.Helper()
	path := filepath.Join("testdata", name)
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	ex, err := ReadExamples(f, path)
	if err != nil {
		tb.Fatal(err)
	}
	return ex
}

// mustTinyModel trains on the tiny hand-written set in testdata.
func mustTinyModel(tb testing.TB) *Model {
	tb.Helper()
	m, err := Train(readFile(tb, "tiny_train.csv"), TrainOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

func TestReadExamples(t *testing.T) {
	good := []struct {
		name, in string
		want     []Example
	}{
		{"plain", "text,intent\nhi there,greet\n", []Example{{"hi there", "greet"}}},
		{"columns in any order, extra ignored, BOM and case in header",
			"\ufeffID,Intent,Text\n1,greet,hi\n2,bye, see you \n",
			[]Example{{"hi", "greet"}, {"see you", "bye"}}},
		{"quoted comma and newline", "text,intent\n\"a, b\nc\",x\n", []Example{{"a, b\nc", "x"}}},
		{"header only", "text,intent\n", nil},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadExamples(strings.NewReader(tc.in), "in.csv")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	bad := []struct {
		name, in, want string
	}{
		{"empty", "", "bad.csv:1: empty file"},
		{"no intent column", "text,label\nhi,greet\n", "bad.csv:1: header"},
		{"short row", "text,intent\nhi,greet\nonly one field\n", "bad.csv:3: 1 fields, want 2"},
		{"long row", "text,intent\nhi,greet,extra\n", "bad.csv:2: 3 fields, want 2"},
		{"empty text", "text,intent\nhi,greet\n ,greet\n", "bad.csv:3: empty text"},
		{"empty intent", "text,intent\nhi,\n", "bad.csv:2: empty intent"},
		{"line counted after a multi-line field", "text,intent\n\"a\nb\",x\nc,\n", "bad.csv:4: empty intent"},
		{"bare quote", "text,intent\nhi,greet\nsay \"hi,greet\n", "bad.csv:3: bare \" in non-quoted-field"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadExamples(strings.NewReader(tc.in), "bad.csv")
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("error %v, want prefix %q", err, tc.want)
			}
		})
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"What's UP?", []string{"whats", "up"}},
		{"don\u2019t  stop", []string{"dont", "stop"}},
		{"Café crème!", []string{"café", "crème"}},
		{"order #1234, ASAP", []string{"order", "0000", "asap"}},
		{"ÉCOLE", []string{"école"}},
		{"'quoted'", []string{"quoted"}},
		{"日本語 テキスト", []string{"日本語", "テキスト"}},
		{"", nil},
		{"?!... --", nil},
	}
	for _, tc := range tests {
		var tok tokens
		tok.tokenize(tc.in, true)
		var got []string
		for w, start := range tok.starts {
			end := len(tok.runes)
			if w+1 < len(tok.starts) {
				end = tok.starts[w+1]
			}
			got = append(got, strings.TrimSpace(string(tok.runes[start:end])))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("tokenize(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if len(tok.whash) != len(tok.starts) {
			t.Errorf("tokenize(%q): %d hashes for %d words", tc.in, len(tok.whash), len(tok.starts))
		}
	}
}

func TestFeaturesShareCharGramsAcrossTypos(t *testing.T) {
	cfg := defaultFeatureConfig()
	grams := func(s string) map[uint64]bool {
		var tok tokens
		tok.tokenize(s, cfg.FoldDigits)
		_, char := cfg.features(&tok, nil, nil)
		set := map[uint64]bool{}
		for _, h := range char {
			set[h] = true
		}
		return set
	}
	a, b, c := grams("password"), grams("pasword"), grams("weather")
	shared := func(x, y map[uint64]bool) int {
		n := 0
		for h := range x {
			if y[h] {
				n++
			}
		}
		return n
	}
	if s := shared(a, b); s < len(b)/2 {
		t.Errorf("password and pasword share %d of %d character n-grams", s, len(b))
	}
	if s := shared(a, c); s > 2 {
		t.Errorf("password and weather share %d character n-grams", s)
	}
}

func TestTrainPredictTiny(t *testing.T) {
	m := mustTinyModel(t)
	if got, want := m.Intents(), []string{"cancel_order", "check_balance", "reset_password", "talk_to_human", "track_package"}; !slices.Equal(got, want) {
		t.Fatalf("Intents() = %q, want %q (oos rows must not become an intent)", got, want)
	}
	if !strings.HasPrefix(m.Version(), "intent/svm-") || len(m.Version()) != len("intent/svm-")+10 {
		t.Errorf("Version() = %q", m.Version())
	}
	if th := m.Threshold(); th <= 0 || th >= 1 {
		t.Errorf("threshold from the oos rows = %v, want in (0, 1)", th)
	}
	m.SetThreshold(0)
	for _, e := range readFile(t, "tiny_test.csv") {
		if e.OutOfScope() {
			continue
		}
		got, conf := m.Predict(e.Text)
		if got != e.Intent {
			t.Errorf("Predict(%q) = %s (%.2f), want %s", e.Text, got, conf, e.Intent)
		}
		if conf <= 0 || conf > 1 {
			t.Errorf("Predict(%q) confidence %v outside (0, 1]", e.Text, conf)
		}
	}
}

func TestPredictThreshold(t *testing.T) {
	m := mustTinyModel(t)
	const text = "where is my parcel"
	m.SetThreshold(0)
	got, conf := m.Predict(text)
	if got != "track_package" {
		t.Fatalf("Predict(%q) = %s", text, got)
	}
	m.SetThreshold(conf)
	if got, _ := m.Predict(text); got != "track_package" {
		t.Errorf("at threshold = confidence: %s, want track_package (only strictly lower is unknown)", got)
	}
	m.SetThreshold(math.Nextafter(conf, 2))
	if got, c := m.Predict(text); got != Unknown || c != conf {
		t.Errorf("above the confidence: %s %v, want %s %v", got, c, Unknown, conf)
	}
	m.SetThreshold(0)
	for _, text := range []string{"", "?!?", "   "} {
		if got, c := m.Predict(text); got != Unknown || c != 0 {
			t.Errorf("Predict(%q) = %s %v, want %s 0 (no features)", text, got, c, Unknown)
		}
	}
}

func TestTrainDeterministic(t *testing.T) {
	ex := readFile(t, "tiny_train.csv")
	a, err := Train(ex, TrainOptions{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Train(ex, TrainOptions{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if a.Version() != b.Version() || a.Threshold() != b.Threshold() {
		t.Errorf("same data, different models: %v vs %v", a, b)
	}
	c, err := Train(ex, TrainOptions{Seed: 99, C: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	if c.Version() == a.Version() {
		t.Errorf("different options, same version %s", c.Version())
	}
}

func TestTrainErrors(t *testing.T) {
	tests := []struct {
		name string
		ex   []Example
		want string
	}{
		{"nothing", nil, "at least 2 intents, got 0"},
		{"one intent", []Example{{"hi", "greet"}, {"hello", "greet"}, {"what", "oos"}}, "at least 2 intents, got 1"},
		{"only out of scope", []Example{{"hi", "oos"}, {"hello", "Unknown"}}, "at least 2 intents, got 0"},
		{"no words", []Example{{"!!", "a"}, {"??", "b"}}, "no words"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Train(tc.ex, TrainOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestTrainWithoutCalibration(t *testing.T) {
	m, err := Train(readFile(t, "tiny_train.csv"), TrainOptions{CalibrationFolds: 1})
	if err != nil {
		t.Fatal(err)
	}
	if m.Threshold() != 0 {
		t.Errorf("threshold %v without calibration, want 0", m.Threshold())
	}
	if got, _ := m.Predict("cancel my order"); got != "cancel_order" {
		t.Errorf("Predict = %s", got)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	m := mustTinyModel(t)
	m.SetThreshold(0.4321)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	saved := slices.Clone(buf.Bytes())
	l, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if l.Version() != m.Version() || l.Threshold() != 0.4321 || !slices.Equal(l.Intents(), m.Intents()) {
		t.Errorf("loaded %v, saved %v", l, m)
	}
	for _, e := range readFile(t, "tiny_test.csv") {
		gi, gc := l.Predict(e.Text)
		wi, wc := m.Predict(e.Text)
		if gi != wi || gc != wc {
			t.Errorf("Predict(%q): loaded %s %v, original %s %v", e.Text, gi, gc, wi, wc)
		}
	}
	var again bytes.Buffer
	if err := l.Save(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), saved) {
		t.Error("saving a loaded model gives different bytes")
	}
	l.SetThreshold(0.9)
	if l.Version() != m.Version() {
		t.Error("the threshold changed the version")
	}
	for _, tc := range []struct{ set, want float64 }{{-1, 0}, {math.NaN(), 0}, {7, 1}, {0.25, 0.25}} {
		l.SetThreshold(tc.set)
		if got := l.Threshold(); got != tc.want {
			t.Errorf("SetThreshold(%v): Threshold() = %v, want %v", tc.set, got, tc.want)
		}
	}
}

// seal wraps a payload in a valid header and checksum, so that tests and the
// fuzzer can reach the payload decoder.
func seal(payload []byte, format uint32, threshold float64) []byte {
	b := []byte(magic)
	b = binary.LittleEndian.AppendUint32(b, format)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(threshold))
	b = binary.LittleEndian.AppendUint64(b, uint64(len(payload)))
	b = append(b, payload...)
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

func TestLoadErrors(t *testing.T) {
	m := mustTinyModel(t)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	payload := good[headerSize : len(good)-sha256.Size]
	flipped := slices.Clone(good)
	flipped[len(flipped)/2] ^= 0x40
	withIntents := func(names ...string) []byte { // the payload with other intent names
		var p []byte
		p = appendString(p, algoSVM)
		p = append(p, payload[len(p):len(p)+3+4+8]...)
		p = binary.LittleEndian.AppendUint32(p, uint32(len(names)))
		for _, n := range names {
			p = appendString(p, n)
		}
		return p
	}
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "missing \"NSINTENT\" header"},
		{"not a model", []byte("text,intent\nhello,greet\n" + strings.Repeat(" ", 100)), "missing \"NSINTENT\" header"},
		{"truncated", good[:len(good)-100], "truncated file"},
		{"trailing bytes", append(slices.Clone(good), 0), "truncated file"},
		{"corrupted", flipped, "checksum mismatch"},
		{"future format", seal(payload, 2, 0.5), "format version 2, this build reads version 1"},
		{"threshold out of range", seal(payload, formatVersion, 1.5), "threshold 1.5 outside [0, 1]"},
		{"unknown algorithm", seal(append(appendString(nil, "mlp"), payload[4:]...), formatVersion, 0), "unknown algorithm \"mlp\""},
		{"unsorted intents", seal(withIntents("b", "a"), formatVersion, 0), "sorted and unique"},
		{"weights cut short", seal(payload[:len(payload)-4], formatVersion, 0), "do not match"},
		{"payload cut in the header", seal(payload[:10], formatVersion, 0), "need"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(bytes.NewReader(tc.in))
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want ErrFormat and %q", err, tc.want)
			}
		})
	}
}

func TestEvaluate(t *testing.T) {
	m := mustTinyModel(t)
	test := readFile(t, "tiny_test.csv")
	m.SetThreshold(0) // every in-scope row right (TestTrainPredictTiny), every oos row wrong
	r := Evaluate(m, test)
	if r.N != 12 || r.NInScope != 10 || r.NOutOfScope != 2 {
		t.Fatalf("counts %d/%d/%d, want 12/10/2", r.N, r.NInScope, r.NOutOfScope)
	}
	fp := map[string]int{}
	for _, e := range test {
		if e.OutOfScope() {
			got, _ := m.Predict(e.Text)
			fp[got]++
		}
	}
	// Each intent has 2 test rows, all right: F1 = 4/(4+fp). Unknown has F1 0.
	var wantF1 float64
	for _, in := range m.Intents() {
		wantF1 += 4 / float64(4+fp[in])
	}
	wantF1 /= 6
	if r.Accuracy != 10.0/12 || r.InScopeAccuracy != 1 || r.OOSRecall != 0 || r.InScopeRejected != 0 ||
		math.Abs(r.MacroF1-wantF1) > 1e-12 || r.Threshold != 0 {
		t.Errorf("report %+v, want accuracy 10/12, in-scope 1, oos recall 0, rejected 0, macro-F1 %.4f", r, wantF1)
	}
	var confusedOOS int
	for _, p := range r.Confused {
		if p.Gold != Unknown {
			t.Errorf("confused %+v: only oos rows are wrong", p)
		}
		confusedOOS += p.Count
	}
	if confusedOOS != 2 || r.UtterancesPerSec <= 0 {
		t.Errorf("confused %+v, %v utterances/s", r.Confused, r.UtterancesPerSec)
	}

	m.SetThreshold(1) // nothing is that sure: everything unknown
	r = Evaluate(m, test)
	if r.OOSRecall != 1 || r.InScopeRejected != 1 || r.Accuracy != 2.0/12 || r.InScopeAccuracy != 1 {
		t.Errorf("at threshold 1: %+v", r)
	}
}

func TestChooseThreshold(t *testing.T) {
	m := mustTinyModel(t)
	test := readFile(t, "tiny_test.csv")
	for _, tc := range []struct {
		share float64
		want  int // in-scope rows rejected of 10
	}{{0, 0}, {0.05, 0}, {0.2, 2}, {0.5, 5}} {
		m.SetThreshold(ChooseThreshold(m, test, tc.share))
		if r := Evaluate(m, test); int(math.Round(r.InScopeRejected*10)) != tc.want {
			t.Errorf("share %v: rejected %.2f of in-scope, want %d/10", tc.share, r.InScopeRejected, tc.want)
		}
	}
}

func TestBalancedThreshold(t *testing.T) {
	tests := []struct {
		in, out []float64
		want    float64
	}{
		{[]float64{0.9, 0.8, 0.7}, []float64{0.1, 0.2}, 0.7}, // separable: lowest in-scope
		{[]float64{0.9, 0.8, 0.3}, []float64{0.5, 0.6}, 0.8}, // rejecting one in-scope wins two oos
		{[]float64{0.2, 0.3}, []float64{0.9}, 0},             // oos above all: reject nothing
		{[]float64{0.9, 0.5}, []float64{0.5, 0.4}, 0.5},      // ties stay together
	}
	for _, tc := range tests {
		if got := balancedThreshold(tc.in, tc.out); got != tc.want {
			t.Errorf("balancedThreshold(%v, %v) = %v, want %v", tc.in, tc.out, got, tc.want)
		}
	}
}

func TestFitPlatt(t *testing.T) {
	// Scores where being right is likelier the higher the score: the fitted
	// map must increase and match the observed rates roughly.
	var top []float64
	var right []bool
	for i := range 1000 {
		s := float64(i)/500 - 1 // -1 … 1
		top = append(top, s)
		right = append(right, float64(i%10) < 10*(s+1)/2)
	}
	p := fitPlatt(top, right)
	m := &Model{platt: p}
	if p[0] <= 0 {
		t.Fatalf("slope %v, want > 0", p[0])
	}
	for _, c := range []struct{ s, want float64 }{{-0.9, 0.05}, {0, 0.5}, {0.9, 0.95}} {
		if got := m.sigmoid(c.s); math.Abs(got-c.want) > 0.08 {
			t.Errorf("confidence at %v = %.3f, want ≈ %v", c.s, got, c.want)
		}
	}
}

func TestPredictConcurrent(t *testing.T) {
	m := mustTinyModel(t)
	m.SetThreshold(0)
	test := readFile(t, "tiny_test.csv")
	want := make([]string, len(test))
	for i, e := range test {
		want[i], _ = m.Predict(e.Text)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for range 50 {
				for i, e := range test {
					if got, _ := m.Predict(e.Text); got != want[i] {
						t.Errorf("goroutine %d: Predict(%q) = %s, want %s", g, e.Text, got, want[i])
						return
					}
				}
			}
		})
	}
	wg.Go(func() {
		for range 100 {
			m.SetThreshold(0) // a concurrent writer must be safe (run with -race)
		}
	})
	wg.Wait()
}

func TestTrainBinarySVMSeparates(t *testing.T) {
	// Two features; the positives lie along feature 0, negatives along 1.
	x := &matrix{ptr: []int32{0}}
	var positive []bool
	for i, p := range [][3]float32{{1, 0.1, 1}, {0.9, 0.2, 1}, {0.8, 0, 1}, {0.1, 1, 0}, {0.2, 0.9, 0}, {0, 0.7, 0}, {0.3, 0.8, 0}} {
		x.idx = append(x.idx, 0, 1)
		x.val = append(x.val, p[0], p[1])
		x.ptr = append(x.ptr, int32(2*(i+1)))
		x.sq = append(x.sq, p[0]*p[0]+p[1]*p[1])
		positive = append(positive, p[2] == 1)
	}
	w := trainBinarySVM(x, positive, 2, svmParams{C: 10, Bias: 1, Eps: 1e-4, MaxIter: 1000, Seed: 1})
	for i := range positive {
		idx, val := x.row(i)
		score := w[2]
		for k, f := range idx {
			score += w[f] * float64(val[k])
		}
		if (score > 0) != positive[i] {
			t.Errorf("point %d: score %.3f, positive %v", i, score, positive[i])
		}
		// A hard-ish margin: with C large every point is near or beyond ±1.
		if math.Abs(score) < 0.8 {
			t.Errorf("point %d: score %.3f inside the margin", i, score)
		}
	}
}

func TestFeatureCounts(t *testing.T) {
	all := defaultFeatureConfig()
	all.Trigrams, all.SkipBigrams = true, true
	tests := []struct {
		name      string
		cfg       featureConfig
		text      string
		word, chr int
	}{
		// 3 unigrams + 4 bigrams with the two boundaries; character 2–4-grams
		// of " cancel " (7+6+5), " my " (3+2+1), " order " (6+5+4).
		{"default", defaultFeatureConfig(), "Cancel my order", 7, 39},
		{"trigrams and skip-bigrams", all, "Cancel my order", 9, 39},
		{"one word", defaultFeatureConfig(), "hi", 3, 3 + 2 + 1},
		{"nothing", defaultFeatureConfig(), "…", 0, 0},
	}
	for _, tc := range tests {
		var tok tokens
		tok.tokenize(tc.text, tc.cfg.FoldDigits)
		word, char := tc.cfg.features(&tok, nil, nil)
		if len(word) != tc.word || len(char) != tc.chr {
			t.Errorf("%s: %d word and %d character features, want %d and %d", tc.name, len(word), len(char), tc.word, tc.chr)
		}
	}
}
