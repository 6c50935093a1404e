package sentiment

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// TrainOptions tune Train. The zero value gives the defaults, which were
// chosen by 5-fold cross-validation on public customer-service tweets.
type TrainOptions struct {
	Epochs       int     // passes over the examples; 0 means 12
	LearningRate float64 // AdaGrad step size; 0 means 0.05
	L2           float64 // L2 penalty per update; 0 means 1e-5, < 0 means none
	Bits         int     // hashed feature space of 2^Bits rows, 12…22; 0 means 18
	Seed         uint64  // shuffling seed; 0 means 1. Equal seeds give equal models.
	// NoClassWeights trains on the raw class mix. By default each class
	// weighs in inverse proportion to its frequency, which is what
	// macro-F1 rewards when complaints dominate the data.
	NoClassWeights bool
	// Character n-grams of CharMin…CharMax letters; 0 means 3 and 4.
	// CharMax < 0 turns them off.
	CharMin, CharMax int
	CharWeight       float64 // weight of the n-gram group against words; 0 means 1
}

func (o TrainOptions) withDefaults() (TrainOptions, error) {
	if o.Epochs == 0 {
		o.Epochs = 12
	}
	if o.LearningRate == 0 {
		o.LearningRate = 0.05
	}
	if o.L2 == 0 {
		o.L2 = 1e-5
	} else if o.L2 < 0 {
		o.L2 = 0
	}
	if o.Bits == 0 {
		o.Bits = 18
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.CharMin == 0 {
		o.CharMin = 3
	}
	if o.CharMax == 0 {
		o.CharMax = 4
	} else if o.CharMax < 0 {
		o.CharMin, o.CharMax = 0, 0
	}
	if o.CharWeight == 0 {
		o.CharWeight = 1
	}
	switch {
	case o.Epochs < 0 || o.Epochs > 1000:
		return o, fmt.Errorf("epochs %d out of range 1…1000", o.Epochs)
	case o.LearningRate < 0 || math.IsNaN(o.LearningRate) || math.IsInf(o.LearningRate, 0):
		return o, fmt.Errorf("learning rate %v must be a positive number", o.LearningRate)
	case math.IsNaN(o.L2) || math.IsInf(o.L2, 0):
		return o, fmt.Errorf("L2 %v must be a number", o.L2)
	case o.Bits < minBits || o.Bits > maxBits:
		return o, fmt.Errorf("bits %d out of range %d…%d", o.Bits, minBits, maxBits)
	case o.CharMax > 0 && (o.CharMin < 1 || o.CharMin > o.CharMax || o.CharMax > 8):
		return o, fmt.Errorf("character n-grams %d…%d: want 1 ≤ min ≤ max ≤ 8", o.CharMin, o.CharMax)
	case o.CharWeight < 0 || math.IsNaN(o.CharWeight) || math.IsInf(o.CharWeight, 0):
		return o, fmt.Errorf("character weight %v must be a positive number", o.CharWeight)
	}
	return o, nil
}

const (
	minBits = 12
	maxBits = 22
	nDense  = 24 // dense lexicon features at the first rows of the weight table
)

// linear is a multinomial logistic regression over hashed features.
type linear struct {
	bits int
	// Character n-grams from charMin to charMax letters (none if charMax
	// is 0), weighted charWeight against the word features.
	charMin, charMax int
	charWeight       float32
	w                []float32 // row i holds the weights of feature i for the three classes: w[3i+c]
	b                [3]float32
}

func (l *linear) rows() uint64 { return 1 << l.bits }

// Salts keep the feature groups apart in the hashed space.
const (
	saltWord    = 0x9E3779B97F4A7C15
	saltNegWord = 0xC2B2AE3D27D4EB4F
	saltBigram  = 0x165667B19E3779F9
	saltChar    = 0x27D4EB2F165667C5
	saltBOS     = 0x85EBCA77C2B2AE63
)

func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xFF51AFD7ED558CCD
	x ^= x >> 33
	x *= 0xC4CEB9FE1A85EC53
	x ^= x >> 33
	return x
}

// fvec describes the features of one message in scratch.feats: word
// features first, character n-grams from split on, each group normalised on
// its own so that the many n-grams do not drown the few words.
type fvec struct {
	split          int
	wScale, cScale float32
}

// features writes the hashed text features of the message in s to s.feats
// and the dense lexicon features to dense. s must have been tokenized and
// analysed.
func (l *linear) features(s *scratch, b *breakdown, r *rules, dense *[nDense]float32) fvec {
	span := l.rows() - nDense
	add := func(h uint64) {
		s.feats = append(s.feats, uint32(nDense+mix(h)%span))
	}
	s.feats = s.feats[:0]
	prev := uint64(saltBOS)
	negScope := false
	for i := range s.toks {
		t := &s.toks[i]
		if t.brk != brkNone {
			negScope = false
			if t.brk >= brkSentence {
				prev = saltBOS
			}
		}
		h := t.h
		add(h ^ saltWord)
		if negScope {
			add(h ^ saltNegWord)
		}
		add(combine(prev, h) ^ saltBigram)
		prev = h
		if t.flags&tNegator != 0 {
			negScope = true
		}
	}
	v := fvec{split: len(s.feats)}
	if l.charMax > 0 {
		for i := range s.toks {
			t := &s.toks[i]
			if t.flags&(tEmoji|tNumber) != 0 {
				continue
			}
			// Character n-grams of " word " catch spelling variants,
			// inflections and vocabulary the lexicon lacks.
			w := s.low[t.off : t.off+t.n]
			n := len(w) + 2
			for g := l.charMin; g <= l.charMax; g++ {
				for j := 0; j+g <= n; j++ {
					hc := fnvOffset ^ uint64(g)
					for k := j; k < j+g; k++ {
						c := byte(' ')
						if k > 0 && k < n-1 {
							c = w[k-1]
						}
						hc = (hc ^ uint64(c)) * fnvPrime
					}
					add(hc ^ saltChar)
				}
			}
		}
	}
	if v.split > 0 {
		v.wScale = float32(1 / math.Sqrt(float64(v.split)))
	}
	if n := len(s.feats) - v.split; n > 0 {
		v.cScale = l.charWeight / float32(math.Sqrt(float64(n)))
	}
	*dense = [nDense]float32{}
	c := b.compound
	dense[0] = float32(c)
	dense[1] = float32(b.pos / 4)
	dense[2] = float32(b.neg / 4)
	dense[3] = float32(b.polite / 4)
	dense[4] = bool01(c <= r.lo)
	dense[5] = bool01(c >= r.hi)
	dense[6] = bool01(s.excl > 0)
	dense[7] = bool01(s.quest > 0)
	dense[8] = bool01(s.endQ)
	if s.words > 0 {
		dense[9] = float32(s.caps) / float32(s.words)
	}
	dense[10] = bool01(b.hits == 0)
	dense[11] = 1 // bias-like term the L2 penalty applies to
	bin := int((c + 1) / 2 * 10)
	dense[12+max(0, min(9, bin))] = 1
	return v
}

func bool01(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

// logits computes the class scores of one featurised message.
func (l *linear) logits(feats []uint32, v fvec, dense *[nDense]float32, z *[3]float64) {
	a := l.b
	for i, x := range dense {
		if x != 0 {
			row := l.w[3*i : 3*i+3 : 3*i+3]
			a[0] += row[0] * x
			a[1] += row[1] * x
			a[2] += row[2] * x
		}
	}
	var t, u [3]float32
	for _, f := range feats[:v.split] {
		row := l.w[3*f : 3*f+3 : 3*f+3]
		t[0] += row[0]
		t[1] += row[1]
		t[2] += row[2]
	}
	for _, f := range feats[v.split:] {
		row := l.w[3*f : 3*f+3 : 3*f+3]
		u[0] += row[0]
		u[1] += row[1]
		u[2] += row[2]
	}
	for c := range 3 {
		z[c] = float64(a[c] + t[c]*v.wScale + u[c]*v.cScale)
	}
}

func softmax(z *[3]float64) {
	m := max(z[0], z[1], z[2])
	var sum float64
	for c := range z {
		z[c] = math.Exp(z[c] - m)
		sum += z[c]
	}
	for c := range z {
		z[c] /= sum
	}
}

// predict writes the class probabilities of the message in s to p.
func (l *linear) predict(s *scratch, b *breakdown, r *rules, p *[3]float64) {
	var dense [nDense]float32
	v := l.features(s, b, r, &dense)
	l.logits(s.feats, v, &dense, p)
	softmax(p)
}

// Train learns a model from labelled messages: a multinomial logistic
// regression over word unigrams and bigrams (negation-marked inside a
// negator's clause), character 3–4-grams and the lexicon scorer's evidence,
// fitted with AdaGrad. Training is deterministic for a given Seed.
func Train(ex []Example, o TrainOptions) (*Model, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("sentiment: train: %w", err)
	}
	if len(ex) == 0 {
		return nil, errors.New("sentiment: train: no examples")
	}
	base := Default()
	lx, r := base.lx, base.rules
	var count [3]int
	for i, e := range ex {
		c := labelIndex(e.Label)
		if c < 0 {
			return nil, fmt.Errorf("sentiment: train: example %d: label %q is not negative, neutral or positive", i+1, e.Label)
		}
		count[c]++
	}
	for c, n := range count {
		if n == 0 {
			return nil, fmt.Errorf("sentiment: train: no %s examples; all three classes are needed", labelNames[c])
		}
	}
	l := &linear{bits: o.Bits, w: make([]float32, 3<<o.Bits), charMin: o.CharMin, charMax: o.CharMax, charWeight: float32(o.CharWeight)}

	// Featurise once; epochs then only touch the weights.
	type row struct {
		off, n int
		v      fvec
		dense  [nDense]float32
		y      int
	}
	rows := make([]row, len(ex))
	arena := make([]uint32, 0, len(ex)*200)
	s := lx.get()
	for i, e := range ex {
		lx.tokenize(e.Text, s)
		b := lx.analyse(s, &r)
		rows[i].v = l.features(s, &b, &r, &rows[i].dense)
		rows[i].off, rows[i].n = len(arena), len(s.feats)
		rows[i].y = labelIndex(e.Label)
		arena = append(arena, s.feats...)
	}
	lx.put(s)

	var cw [3]float64
	for c := range cw {
		cw[c] = 1
		if !o.NoClassWeights {
			cw[c] = float64(len(ex)) / (3 * float64(count[c]))
		}
	}
	g2 := make([]float32, len(l.w)) // AdaGrad's sums of squared gradients
	var gb [3]float64
	const eps = 1e-8
	lr, l2 := float32(o.LearningRate), float32(o.L2)
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x5e471e17))
	for range o.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			rw := &rows[i]
			feats := arena[rw.off : rw.off+rw.n]
			var p [3]float64
			l.logits(feats, rw.v, &rw.dense, &p)
			softmax(&p)
			var g [3]float32
			for c := range 3 {
				y := 0.0
				if c == rw.y {
					y = 1
				}
				g[c] = float32((p[c] - y) * cw[rw.y])
			}
			for c := range 3 {
				gb[c] += float64(g[c] * g[c])
				l.b[c] -= float32(o.LearningRate / math.Sqrt(gb[c]+eps) * float64(g[c]))
			}
			update := func(f uint32, x float32) {
				for c := range 3 {
					k := 3*f + uint32(c)
					gr := g[c]*x + l2*l.w[k]
					g2[k] += gr * gr
					l.w[k] -= lr * gr / float32(math.Sqrt(float64(g2[k])+eps))
				}
			}
			for f, x := range rw.dense {
				if x != 0 {
					update(uint32(f), x)
				}
			}
			for _, f := range feats[:rw.v.split] {
				update(f, rw.v.wScale)
			}
			for _, f := range feats[rw.v.split:] {
				update(f, rw.v.cScale)
			}
		}
	}
	for _, w := range l.w {
		if math.IsNaN(float64(w)) || math.IsInf(float64(w), 0) {
			return nil, errors.New("sentiment: train: weights diverged; lower the learning rate")
		}
	}
	return &Model{lx: lx, rules: r, lin: l, version: l.version()}, nil
}

// version names a trained model by a hash of its weights, so two files
// with the same version score identically.
func (l *linear) version() string {
	buf := make([]byte, 0, 16+4*(len(l.b)+len(l.w)))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(l.bits))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(l.charMin))
	buf = binary.LittleEndian.AppendUint32(buf, uint32(l.charMax))
	buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(l.charWeight))
	for _, w := range l.b {
		buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(w))
	}
	for _, w := range l.w {
		buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(w))
	}
	sum := sha256.Sum256(buf)
	return "sentiment/trained-" + hex.EncodeToString(sum[:6])
}
