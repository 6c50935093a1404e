package intent

import (
	"math"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// This file keeps the prediction path as it was before it was tuned for
// speed (tokenize, features, vocabulary, vectorize, scores), verbatim but for
// names, as the reference the fast path must match bit for bit: the tuning
// may change how a prediction is computed, never what it is.

type refTokens struct {
	runes  []rune
	starts []int
	whash  []uint64
}

func (t *refTokens) tokenize(text string, foldDigits bool) {
	t.runes = t.runes[:0]
	t.starts = t.starts[:0]
	t.whash = t.whash[:0]
	in := false
	var h uint64
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		i += size
		switch {
		case r < utf8.RuneSelf && ('a' <= r && r <= 'z'):
		case r < utf8.RuneSelf && ('A' <= r && r <= 'Z'):
			r += 'a' - 'A'
		case r < utf8.RuneSelf && ('0' <= r && r <= '9'):
			if foldDigits {
				r = '0'
			}
		case r < utf8.RuneSelf:
			if !(in && r == '\'') {
				if in {
					t.runes = append(t.runes, ' ')
					t.whash = append(t.whash, h)
					in = false
				}
			}
			continue
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			r = unicode.ToLower(r)
		case unicode.IsDigit(r):
			if foldDigits {
				r = '0'
			}
		default:
			if in && !isApostrophe(r) {
				t.runes = append(t.runes, ' ')
				t.whash = append(t.whash, h)
				in = false
			}
			continue
		}
		if !in {
			t.starts = append(t.starts, len(t.runes))
			t.runes = append(t.runes, ' ')
			in = true
			h = fnvOffset
		}
		t.runes = append(t.runes, r)
		h = (h ^ uint64(r)) * fnvPrime
	}
	if in {
		t.runes = append(t.runes, ' ')
		t.whash = append(t.whash, h)
	}
}

func refFeatures(c *featureConfig, t *refTokens, word, char []uint64) ([]uint64, []uint64) {
	n := len(t.whash)
	for i, h := range t.whash {
		word = append(word, mix(h^seedUnigram))
		if c.WordBigrams {
			prev := boundary
			if i > 0 {
				prev = t.whash[i-1]
			}
			word = append(word, mix((prev*fnvPrime)^h^seedBigram))
		}
		if c.Trigrams && i >= 2 {
			word = append(word, mix(((t.whash[i-2]*fnvPrime)^t.whash[i-1])*fnvPrime^h^seedTrigram))
		}
		if c.SkipBigrams && i >= 2 {
			word = append(word, mix((t.whash[i-2]*fnvPrime)^h^seedSkip))
		}
	}
	if c.WordBigrams && n > 0 {
		word = append(word, mix((t.whash[n-1]*fnvPrime)^boundary^seedBigram))
	}
	for w, start := range t.starts {
		end := len(t.runes)
		if w+1 < len(t.starts) {
			end = t.starts[w+1]
		}
		rs := t.runes[start:end]
		for i := range rs {
			h := seedChar
			for k := i; k < len(rs) && k-i < c.CharMax; k++ {
				h = (h ^ uint64(rs[k])) * fnvPrime
				if k-i+1 >= c.CharMin {
					char = append(char, mix(h))
				}
			}
		}
	}
	return word, char
}

type refVocab struct {
	keys []uint64
	vals []int32
	mask uint64
}

func newRefVocab(hashes []uint64) refVocab {
	size := 16
	for size < 2*len(hashes) {
		size *= 2
	}
	v := refVocab{keys: make([]uint64, size), vals: make([]int32, size), mask: uint64(size - 1)}
	for i, h := range hashes {
		for j := h & v.mask; ; j = (j + 1) & v.mask {
			if v.keys[j] == 0 || v.keys[j] == h {
				v.keys[j] = h
				v.vals[j] = int32(i)
				break
			}
		}
	}
	return v
}

func (v *refVocab) get(h uint64) (int32, bool) {
	for j := h & v.mask; ; j = (j + 1) & v.mask {
		switch v.keys[j] {
		case h:
			return v.vals[j], true
		case 0:
			return 0, false
		}
	}
}

// refPredictor predicts with the reference path from a model's parameters.
type refPredictor struct {
	m     *Model
	voc   refVocab
	tok   refTokens
	word  []uint64
	char  []uint64
	stamp []uint32
	pos   []int32
	gen   uint32
	vec   sparse
}

func newRefPredictor(m *Model) *refPredictor {
	n := len(m.vec.idf)
	return &refPredictor{m: m, voc: newRefVocab(m.vec.hashes()), stamp: make([]uint32, n), pos: make([]int32, n)}
}

func (r *refPredictor) vectorize(text string) {
	v := &r.m.vec
	r.tok.tokenize(text, v.cfg.FoldDigits)
	r.word, r.char = refFeatures(&v.cfg, &r.tok, r.word[:0], r.char[:0])
	r.gen++
	r.vec.idx = r.vec.idx[:0]
	r.vec.val = r.vec.val[:0]
	for _, hs := range [2][]uint64{r.word, r.char} {
		for _, h := range hs {
			f, ok := r.voc.get(h)
			if !ok {
				continue
			}
			if r.stamp[f] == r.gen {
				r.vec.val[r.pos[f]]++
				continue
			}
			r.stamp[f] = r.gen
			r.pos[f] = int32(len(r.vec.idx))
			r.vec.idx = append(r.vec.idx, f)
			r.vec.val = append(r.vec.val, 1)
		}
	}
	var nw, nc float64
	for i, f := range r.vec.idx {
		x := r.vec.val[i]
		if x > 1 {
			x = 1 + float32(math.Log(float64(x)))
		}
		x *= v.idf[f]
		r.vec.val[i] = x
		if f < v.nWord {
			nw += float64(x) * float64(x)
		} else {
			nc += float64(x) * float64(x)
		}
	}
	sw, sc := float32(0), float32(0)
	if nw > 0 {
		sw = float32(1 / math.Sqrt(nw))
	}
	if nc > 0 {
		sc = v.cfg.CharWeight / float32(math.Sqrt(nc))
	}
	for i, f := range r.vec.idx {
		if f < v.nWord {
			r.vec.val[i] *= sw
		} else {
			r.vec.val[i] *= sc
		}
	}
}

func refAxpy(y, x []float32, a float32) {
	x = x[:len(y)]
	i := 0
	for ; i+4 <= len(y); i += 4 {
		y[i] += a * x[i]
		y[i+1] += a * x[i+1]
		y[i+2] += a * x[i+2]
		y[i+3] += a * x[i+3]
	}
	for ; i < len(y); i++ {
		y[i] += a * x[i]
	}
}

// predict is the old Model.Predict.
func (r *refPredictor) predict(text string) (string, float64) {
	m := r.m
	r.vectorize(text)
	if len(r.vec.idx) == 0 {
		return Unknown, 0
	}
	nc := len(m.intents)
	sc := make([]float32, nc)
	copy(sc, m.bias)
	for k, f := range r.vec.idx {
		refAxpy(sc, m.weights[int(f)*nc:int(f)*nc+nc], r.vec.val[k])
	}
	best := argmax(sc)
	conf := m.sigmoid(float64(sc[best]))
	if conf < m.Threshold() {
		return Unknown, conf
	}
	return m.intents[best], conf
}

// samePredictions checks that m predicts every text exactly as the reference
// path does: the same intent and the same confidence, bit for bit, and that
// the vectors behind them (which training also uses) are identical.
func samePredictions(t *testing.T, m *Model, texts []string) {
	t.Helper()
	ref := newRefPredictor(m)
	s := m.getScratch()
	defer m.pool.Put(s)
	bad := 0
	for _, text := range texts {
		wantIntent, wantConf := ref.predict(text)
		gotIntent, gotConf := m.Predict(text)
		if gotIntent != wantIntent || math.Float64bits(gotConf) != math.Float64bits(wantConf) {
			t.Errorf("Predict(%q) = %s %v, reference %s %v", text, gotIntent, gotConf, wantIntent, wantConf)
			bad++
		}
		m.vec.vectorize(text, s)
		if !sameSparse(s.vec, ref.vec) {
			t.Errorf("vectorize(%q) = %v %v, reference %v %v", text, s.vec.idx, s.vec.val, ref.vec.idx, ref.vec.val)
			bad++
		}
		if bad > 10 {
			t.Fatal("too many differences")
		}
	}
}

func sameSparse(a, b sparse) bool {
	if len(a.idx) != len(b.idx) || len(a.val) != len(b.val) {
		return false
	}
	for i := range a.idx {
		if a.idx[i] != b.idx[i] || math.Float32bits(a.val[i]) != math.Float32bits(b.val[i]) {
			return false
		}
	}
	return true
}

// edgeTexts exercise the paths a tuned implementation special-cases: no
// words, unknown words only, words repeated many times (sublinear tf), long
// words, digits, non-ASCII letters, apostrophes.
var edgeTexts = []string{
	"", " ", "…", "?!", "zzqx", "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq",
	"hi", "a", "I", "balance balance balance", strings.Repeat("transfer money ", 40),
	strings.Repeat("the ", 300) + "card", strings.Repeat("a b ", 150),
	"what's my balance", "whats my balance", "what’s the weather in Zürich", "Ünïcödé wörds ärë fïnë",
	"flight 2231 to 7788", "0000 1111 2222", "ΑΒΓ δεζ", "日本語のテキスト", "can't won't shouldn't",
	strings.Repeat("x", 500), "pneumonoultramicroscopicsilicovolcanoconiosis is long",
}

func TestPredictMatchesReferenceTiny(t *testing.T) {
	m := mustTinyModel(t)
	var texts []string
	for _, e := range readFile(t, "tiny_test.csv") {
		texts = append(texts, e.Text)
	}
	texts = append(texts, edgeTexts...)
	texts = append(texts, longTexts...)
	samePredictions(t, m, texts)
}

// TestPredictMatchesReferenceCLINC150 compares every utterance of CLINC150's
// test and validation splits (and long customer messages) with the reference
// path, on the full CLINC150 model.
func TestPredictMatchesReferenceCLINC150(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the full model (about 7 s on 2 cores); skipped with -short")
	}
	m, err := Train(loadCLINC(t, "train"), TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, split := range []string{"test", "val"} {
		for _, e := range loadCLINC(t, split) {
			texts = append(texts, e.Text)
		}
	}
	texts = append(texts, edgeTexts...)
	texts = append(texts, longTexts...)
	// Longer texts made of CLINC150 utterances run together, like a
	// customer writing several sentences.
	for i := 0; i+3 < len(texts) && i < 3000; i += 4 {
		texts = append(texts, strings.Join(texts[i:i+4], ". "))
	}
	samePredictions(t, m, texts)
	t.Logf("%d texts predicted identically", len(texts))
}
