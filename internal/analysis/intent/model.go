package intent

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// Model is a trained intent classifier. It is safe for concurrent use:
// everything but the threshold is read-only after training or loading.
type Model struct {
	algo    string
	version string
	intents []string
	vec     vectorizer
	weights []float32 // feature-major: weights[f*len(intents)+c]
	bias    []float32
	platt   [2]float32 // confidence = sigmoid(platt[0]*best score + platt[1])
	thresh  atomic.Uint64
	pool    sync.Pool // *scratch
}

func newModel(algo string, intents []string, vec vectorizer, weights, bias []float32, platt [2]float32) *Model {
	m := &Model{algo: algo, intents: intents, vec: vec, weights: weights, bias: bias, platt: platt}
	m.version = m.computeVersion()
	return m
}

// computeVersion hashes everything that decides predictions except the
// threshold, which is a deployment setting rather than part of the model.
func (m *Model) computeVersion() string {
	sum := sha256.Sum256(m.appendPayload(nil))
	return "intent/" + m.algo + "-" + hex.EncodeToString(sum[:5])
}

// Version names the model: "intent/<algo>-<short hash of weights>".
func (m *Model) Version() string { return m.version }

// Intents returns the model's intents in its own (sorted) order.
func (m *Model) Intents() []string { return slices.Clone(m.intents) }

// Threshold returns the confidence below which Predict answers Unknown.
func (m *Model) Threshold() float64 { return math.Float64frombits(m.thresh.Load()) }

// SetThreshold sets the confidence below which Predict answers Unknown;
// 0 never answers Unknown. Values outside [0, 1] (and NaN, as 0) are clamped
// so that a saved model always loads. Safe to call while other goroutines
// predict.
func (m *Model) SetThreshold(t float64) {
	if !(t > 0) {
		t = 0
	}
	m.thresh.Store(math.Float64bits(min(t, 1)))
}

// Predict returns the most likely intent of text and its confidence in
// [0, 1], or Unknown with the best intent's confidence when that is below the
// threshold.
func (m *Model) Predict(text string) (intent string, confidence float64) {
	s := m.getScratch()
	best, conf := m.classify(text, s)
	m.pool.Put(s)
	if best < 0 || conf < m.Threshold() {
		return Unknown, conf
	}
	return m.intents[best], conf
}

func (m *Model) getScratch() *scratch {
	if s, ok := m.pool.Get().(*scratch); ok {
		return s
	}
	return m.vec.newScratch(len(m.vec.idf), len(m.intents))
}

// uncalibratedSlope maps scores to confidences when training skipped
// calibration: a one-vs-rest SVM puts its positives at score ≥ 1, which maps
// to 0.98, and the decision boundary 0 to 0.5.
const uncalibratedSlope = 4

// classify returns the best class and its confidence; -1 when the text has no
// known feature at all (nothing to go on is not evidence for any intent).
func (m *Model) classify(text string, s *scratch) (int, float64) {
	m.vec.vectorize(text, s)
	if len(s.vec.idx) == 0 {
		return -1, 0
	}
	sc := m.scores(s)
	best := argmax(sc)
	return best, m.sigmoid(float64(sc[best]))
}

// scores computes the linear score of every intent for s.vec into s.scores.
func (m *Model) scores(s *scratch) []float32 {
	nc := len(m.intents)
	sc := s.scores[:nc]
	copy(sc, m.bias)
	addRows(sc, m.weights, s.vec.idx, s.vec.val)
	return sc
}

// sigmoid maps the best intent's score to the probability that the intent is
// right, as calibrated on held-out folds. The best score ranks out-of-scope
// utterances lower than a softmax over all scores does: an utterance that no
// intent claims strongly is likely none of them.
func (m *Model) sigmoid(top float64) float64 {
	return 1 / (1 + math.Exp(-(float64(m.platt[0])*top + float64(m.platt[1]))))
}

// String describes the model for logs: version, size and threshold.
func (m *Model) String() string {
	return fmt.Sprintf("%s (%d intents, %d features, threshold %.3f)", m.version, len(m.intents), len(m.vec.idf), m.Threshold())
}

// axpy adds a*x to y; len(x) must be at least len(y). Eight at a time
// through fixed-size array views, which the compiler checks once per step
// instead of once per element.
func axpy(y, x []float32, a float32) {
	x = x[:len(y)]
	i := 0
	for ; i+8 <= len(y); i += 8 {
		yy := (*[8]float32)(y[i : i+8])
		xx := (*[8]float32)(x[i : i+8])
		yy[0] += a * xx[0]
		yy[1] += a * xx[1]
		yy[2] += a * xx[2]
		yy[3] += a * xx[3]
		yy[4] += a * xx[4]
		yy[5] += a * xx[5]
		yy[6] += a * xx[6]
		yy[7] += a * xx[7]
	}
	for ; i < len(y); i++ {
		y[i] += a * x[i]
	}
}
