package intent

import (
	"math"
	"slices"
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
	// At most CharMax-CharMin+1 n-grams start at each rune: grow once.
	char = slices.Grow(char, len(t.runes)*max(c.CharMax-c.CharMin+1, 0))
	for w, start := range t.starts {
		end := len(t.runes)
		if w+1 < len(t.starts) {
			end = t.starts[w+1]
		}
		rs := t.runes[start:end] // " word "
		for i := range rs {
			// The n-grams rs[i:k+1] for k from i+CharMin-1 to i+CharMax-1,
			// shortest first; the first loop only hashes the prefix too short
			// to be an n-gram.
			h := seedChar
			stop := min(len(rs), i+c.CharMax)
			k := i
			for ; k < stop && k-i+1 < c.CharMin; k++ {
				h = (h ^ uint64(rs[k])) * fnvPrime
			}
			for ; k < stop; k++ {
				h = (h ^ uint64(rs[k])) * fnvPrime
				char = append(char, mix(h))
			}
		}
	}
	return word, char
}

// vocab maps feature hashes to dense indexes with open addressing: faster
// than a Go map on the prediction path and trivially serialisable. Each slot
// holds the hash, the index and the feature's idf side by side, so a lookup
// touches one cache line of a table larger than the fast caches, where separate
// key, index and idf arrays cost up to three cache misses per n-gram.
type vocab struct {
	slots []vocabSlot // key 0 marks an empty slot
	mask  uint64
}

type vocabSlot struct {
	key uint64
	idx int32
	idf float32
}

// newVocab indexes hashes[i] as feature i with idf[i].
func newVocab(hashes []uint64, idf []float32) vocab {
	size := 16
	for size < 2*len(hashes) {
		size *= 2
	}
	v := vocab{slots: make([]vocabSlot, size), mask: uint64(size - 1)}
	for i, h := range hashes {
		v.put(h, int32(i), idf[i])
	}
	return v
}

func (v *vocab) put(h uint64, idx int32, idf float32) {
	for j := h & v.mask; ; j = (j + 1) & v.mask {
		if v.slots[j].key == 0 || v.slots[j].key == h {
			v.slots[j] = vocabSlot{key: h, idx: idx, idf: idf}
			return
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
	idf   []float32 // per feature (also in voc, for lookups)
}

// scratch is the per-call working memory of vectorize; pooled by Model.
type scratch struct {
	tok    tokens
	word   []uint64
	char   []uint64
	seen   []seenFeature // by feature index
	gen    uint32
	vec    sparse
	idf    []float32 // idf of vec.idx[i], copied from the vocabulary slot
	scores []float32
}

// seenFeature records where feature f went in this call's vector: one entry
// per feature so that stamp and position share a cache line.
type seenFeature struct {
	gen uint32 // == scratch.gen when the feature was seen in this call
	pos int32  // its position in vec
}

func (v *vectorizer) newScratch(nFeatures, nClasses int) *scratch {
	return &scratch{
		seen:   make([]seenFeature, nFeatures),
		scores: make([]float32, nClasses),
	}
}

// sublinearTF[n] is the sublinear term frequency 1 + ln n of a feature seen
// n times, computed exactly as vectorize would, so that looking it up gives
// the same bits; counts beyond the table are computed.
var sublinearTF = func() (t [64]float32) {
	for n := 2; n < len(t); n++ {
		t[n] = 1 + float32(math.Log(float64(n)))
	}
	return t
}()

// vectorize fills s.vec with the TF-IDF vector of text: sublinear term
// frequency times idf, each block l2-normalised, the character block scaled by
// CharWeight. Unknown features are ignored. Features appear in the order they
// first occur, word features before character n-grams: the scores sum in
// that order, so it is part of the result.
func (v *vectorizer) vectorize(text string, s *scratch) {
	s.tok.tokenize(text, v.cfg.FoldDigits)
	s.word, s.char = v.cfg.features(&s.tok, s.word[:0], s.char[:0])
	s.gen++
	if s.gen == 0 { // wrapped: stale stamps could alias, so clear them once
		clear(s.seen)
		s.gen = 1
	}
	gen := s.gen
	seen := s.seen
	idx, val, idfs := s.vec.idx[:0], s.vec.val[:0], s.idf[:0]
	// The vocabulary lookup is written out here rather than called: with
	// the table's slice and mask in registers it measured 5-10% faster.
	slots, mask := v.voc.slots, v.voc.mask
	for _, hs := range [2][]uint64{s.word, s.char} {
	hashes:
		for _, h := range hs {
			j := h & mask
			var sl *vocabSlot
			for {
				sl = &slots[j]
				if sl.key == h {
					break
				}
				if sl.key == 0 {
					continue hashes
				}
				j = (j + 1) & mask
			}
			f := sl.idx
			sf := &seen[f]
			if sf.gen == gen {
				val[sf.pos]++
				continue
			}
			*sf = seenFeature{gen: gen, pos: int32(len(idx))}
			idx = append(idx, f)
			val = append(val, 1)
			idfs = append(idfs, sl.idf)
		}
	}
	s.vec.idx, s.vec.val, s.idf = idx, val, idfs
	var nw, nc float64
	nWord := v.nWord
	val = val[:len(idx)]
	idfs = idfs[:len(idx)]
	for i, f := range idx {
		x := val[i]
		if x > 1 {
			if x < float32(len(sublinearTF)) {
				x = sublinearTF[int(x)]
			} else {
				x = 1 + float32(math.Log(float64(x)))
			}
		}
		x *= idfs[i]
		val[i] = x
		if f < nWord {
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
	for i, f := range idx {
		if f < nWord {
			val[i] *= sw
		} else {
			val[i] *= sc
		}
	}
}
