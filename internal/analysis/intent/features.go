package intent

import (
	"math"
	"unicode"
	"unicode/utf8"
)

// featureConfig decides how text becomes features. It is stored in the model
// because prediction must hash exactly as training did.
type featureConfig struct {
	WordBigrams bool    // word bigrams beside unigrams, with sentence-boundary markers
	CharMin     int     // shortest character n-gram (inside word boundaries)
	CharMax     int     // longest character n-gram
	Trigrams    bool    // word trigrams
	SkipBigrams bool    // pairs of words one apart ("cancel _ order")
	FoldDigits  bool    // every digit becomes '0': "flight 2231" and "flight 7788" share features
	CharWeight  float32 // weight of the character block against the word block (each block is l2-normalised)
}

func defaultFeatureConfig() featureConfig {
	return featureConfig{WordBigrams: true, CharMin: 2, CharMax: 4, FoldDigits: true, CharWeight: 1}
}

// Seeds keep the kinds of features apart even when their text is the same:
// the word "ok" and the character bigram "ok" are different features.
const (
	seedUnigram uint64 = 0x9e3779b97f4a7c15
	seedBigram  uint64 = 0xc2b2ae3d27d4eb4f
	seedChar    uint64 = 0x165667b19e3779f9
	seedTrigram uint64 = 0x27d4eb2f165667c5
	seedSkip    uint64 = 0x85ebca77c2b2ae63
	fnvPrime    uint64 = 0x100000001b3
	fnvOffset   uint64 = 0xcbf29ce484222325
)

// boundary is the hash standing for the start or end of an utterance in
// word bigrams, so that "cancel ..." at the start is its own feature.
const boundary uint64 = 0x2545f4914f6cdd1d

// mix is the splitmix64 finaliser: it spreads FNV's weak low bits so the
// open-addressing vocabulary table probes evenly. Zero is reserved for empty
// table slots, so it never returns zero.
func mix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	if h == 0 {
		h = 1
	}
	return h
}

// tokens holds one utterance cut into normalised words; it is reused across
// calls to keep prediction allocation-free.
type tokens struct {
	runes  []rune   // every word, each padded by one space on both sides
	starts []int    // index in runes of each word's leading space
	whash  []uint64 // FNV hash of each word
}

func isApostrophe(r rune) bool { return r == '\'' || r == '\u2019' || r == '\u02bc' }

// tokenize lowercases text and cuts it into words made of letters, digits and
// combining marks. Apostrophes inside a word are dropped rather than splitting
// it, so "what's" and the common typo "whats" become the same word.
func (t *tokens) tokenize(text string, foldDigits bool) {
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

// features appends the hashes of the word features (unigrams, bigrams) to
// word and of the character n-grams to char. A feature repeated in the text
// is appended as often as it occurs: callers count them.
func (c *featureConfig) features(t *tokens, word, char []uint64) ([]uint64, []uint64) {
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
		rs := t.runes[start:end] // " word "
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

// vocab maps feature hashes to dense indexes with open addressing: faster
// than a Go map on the prediction path and trivially serialisable.
type vocab struct {
	keys []uint64 // 0 marks an empty slot
	vals []int32
	mask uint64
}

func newVocab(hashes []uint64) vocab {
	size := 16
	for size < 2*len(hashes) {
		size *= 2
	}
	v := vocab{keys: make([]uint64, size), vals: make([]int32, size), mask: uint64(size - 1)}
	for i, h := range hashes {
		v.put(h, int32(i))
	}
	return v
}

func (v *vocab) put(h uint64, idx int32) {
	for j := h & v.mask; ; j = (j + 1) & v.mask {
		if v.keys[j] == 0 || v.keys[j] == h {
			v.keys[j] = h
			v.vals[j] = idx
			return
		}
	}
}

func (v *vocab) get(h uint64) (int32, bool) {
	for j := h & v.mask; ; j = (j + 1) & v.mask {
		switch v.keys[j] {
		case h:
			return v.vals[j], true
		case 0:
			return 0, false
		}
	}
}

// sparse is one utterance as a sparse, normalised feature vector.
type sparse struct {
	idx []int32
	val []float32
}

// vectorizer turns text into sparse vectors with a fixed vocabulary and idf.
type vectorizer struct {
	cfg   featureConfig
	voc   vocab
	nWord int32     // indexes below nWord are word features, the rest character n-grams
	idf   []float32 // per feature
}

// scratch is the per-call working memory of vectorize; pooled by Model.
type scratch struct {
	tok    tokens
	word   []uint64
	char   []uint64
	stamp  []uint32 // stamp[f] == gen when feature f was seen in this call
	pos    []int32  // position of feature f in vec when stamped
	gen    uint32
	vec    sparse
	scores []float32
}

func (v *vectorizer) newScratch(nFeatures, nClasses int) *scratch {
	return &scratch{
		stamp:  make([]uint32, nFeatures),
		pos:    make([]int32, nFeatures),
		scores: make([]float32, nClasses),
	}
}

// vectorize fills s.vec with the TF-IDF vector of text: sublinear term
// frequency times idf, each block l2-normalised, the character block scaled by
// CharWeight. Unknown features are ignored.
func (v *vectorizer) vectorize(text string, s *scratch) {
	s.tok.tokenize(text, v.cfg.FoldDigits)
	s.word, s.char = v.cfg.features(&s.tok, s.word[:0], s.char[:0])
	s.gen++
	if s.gen == 0 { // wrapped: stale stamps could alias, so clear them once
		clear(s.stamp)
		s.gen = 1
	}
	s.vec.idx = s.vec.idx[:0]
	s.vec.val = s.vec.val[:0]
	for _, hs := range [2][]uint64{s.word, s.char} {
		for _, h := range hs {
			f, ok := v.voc.get(h)
			if !ok {
				continue
			}
			if s.stamp[f] == s.gen {
				s.vec.val[s.pos[f]]++
				continue
			}
			s.stamp[f] = s.gen
			s.pos[f] = int32(len(s.vec.idx))
			s.vec.idx = append(s.vec.idx, f)
			s.vec.val = append(s.vec.val, 1)
		}
	}
	var nw, nc float64
	for i, f := range s.vec.idx {
		x := s.vec.val[i]
		if x > 1 {
			x = 1 + float32(math.Log(float64(x)))
		}
		x *= v.idf[f]
		s.vec.val[i] = x
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
	for i, f := range s.vec.idx {
		if f < v.nWord {
			s.vec.val[i] *= sw
		} else {
			s.vec.val[i] *= sc
		}
	}
}
