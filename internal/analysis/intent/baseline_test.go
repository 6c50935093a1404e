package intent

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// softmaxLR is a plain multinomial logistic regression on the model's TF-IDF
// features (same vocabulary, idf and normalisation), trained by SGD with a
// per-weight AdaGrad step: the baseline we report the model beside. It lives
// in test code because nothing ships it.
type softmaxLR struct {
	nClass int
	w      []float32 // feature-major
	b      []float32
}

func trainSoftmaxLR(x *matrix, y []int32, nClass, nFeat, epochs int, eta float64, seed uint64) *softmaxLR {
	m := &softmaxLR{nClass: nClass, w: make([]float32, nFeat*nClass), b: make([]float32, nClass)}
	gw := make([]float32, nFeat*nClass)
	gb := make([]float32, nClass)
	p := make([]float64, nClass)
	order := make([]int, x.rows())
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	for range epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			idx, val := x.row(i)
			m.probs(idx, val, p)
			p[y[i]]-- // gradient of the log-loss wrt the scores
			for c := range nClass {
				g := float32(p[c])
				gb[c] += g * g
				m.b[c] -= float32(eta) * g / float32(math.Sqrt(float64(gb[c])+1e-8))
			}
			for k, f := range idx {
				row := m.w[int(f)*nClass : int(f)*nClass+nClass]
				grow := gw[int(f)*nClass : int(f)*nClass+nClass]
				for c := range nClass {
					g := float32(p[c]) * val[k]
					grow[c] += g * g
					row[c] -= float32(eta) * g / float32(math.Sqrt(float64(grow[c])+1e-8))
				}
			}
		}
	}
	return m
}

// probs writes the class probabilities of one row into p.
func (m *softmaxLR) probs(idx []int32, val []float32, p []float64) {
	for c := range m.nClass {
		p[c] = float64(m.b[c])
	}
	for k, f := range idx {
		row := m.w[int(f)*m.nClass : int(f)*m.nClass+m.nClass]
		for c := range m.nClass {
			p[c] += float64(val[k] * row[c])
		}
	}
	top := slices.Max(p)
	var sum float64
	for c, v := range p {
		p[c] = math.Exp(v - top)
		sum += p[c]
	}
	for c := range p {
		p[c] /= sum
	}
}

// TestBaselineCLINC150 trains the plain logistic regression on the same split
// and features as TestCLINC150 and logs its figures for docs/BENCHMARKS.md.
// It also checks the baseline is a real one: well above chance, and not
// better than the model the product ships.
func TestBaselineCLINC150(t *testing.T) {
	fullEval(t)
	train, val, test := loadCLINC(t, "train"), loadCLINC(t, "val"), loadCLINC(t, "test")
	var texts []string
	var labels []string
	for _, e := range train {
		if !e.OutOfScope() {
			texts, labels = append(texts, e.Text), append(labels, e.Intent)
		}
	}
	o := TrainOptions{}.withDefaults(len(texts))
	intents := slices.Compact(slices.Sorted(slices.Values(labels)))
	y := make([]int32, len(labels))
	for i, l := range labels {
		c, _ := slices.BinarySearch(intents, l)
		y[i] = int32(c)
	}
	start := time.Now()
	vec := fitVectorizer(texts, defaultFeatureConfig(), o.MinDF)
	lr := trainSoftmaxLR(vec.transform(texts), y, len(intents), len(vec.idf), baselineEpochs, baselineEta, 1)
	took := time.Since(start)

	s := vec.newScratch(len(vec.idf), 0)
	p := make([]float64, len(intents))
	predict := func(text string) (string, float64) {
		vec.vectorize(text, s)
		lr.probs(s.vec.idx, s.vec.val, p)
		best := 0
		for c := range p {
			if p[c] > p[best] {
				best = c
			}
		}
		return intents[best], p[best]
	}
	var valConf []float64
	for _, e := range val {
		if !e.OutOfScope() {
			_, c := predict(e.Text)
			valConf = append(valConf, c)
		}
	}
	threshold := quantileThreshold(valConf, 0.05)
	var nIn, right, rejIn, nOut, rejOut int
	pstart := time.Now()
	for _, e := range test {
		got, c := predict(e.Text)
		if e.OutOfScope() {
			nOut++
			if c < threshold {
				rejOut++
			}
			continue
		}
		nIn++
		if got == e.Intent {
			right++
		}
		if c < threshold {
			rejIn++
		}
	}
	perSec := float64(len(test)) / time.Since(pstart).Seconds()
	acc := float64(right) / float64(nIn)
	t.Logf("baseline TF-IDF + logistic regression (%d epochs AdaGrad SGD): trained in %.1fs, in-scope acc=%.4f, oos recall=%.3f at in-scope rejected=%.3f (threshold %.3f from 5%% of val), %.0f utterances/s",
		baselineEpochs, took.Seconds(), acc, float64(rejOut)/float64(nOut), float64(rejIn)/float64(nIn), threshold, perSec)
	if acc < 0.85 {
		t.Errorf("baseline in-scope accuracy %.4f: want a working baseline (≥ 0.85)", acc)
	}
	// The product's quality bar: at least as accurate as this baseline.
	m, err := Train(train, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r := Evaluate(m, test); r.InScopeAccuracy < acc {
		t.Errorf("model in-scope accuracy %.4f below the baseline's %.4f", r.InScopeAccuracy, acc)
	}
}

// The baseline's settings, tuned on the validation split.
const (
	baselineEpochs = 10
	baselineEta    = 0.2
)
