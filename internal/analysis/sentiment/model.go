package sentiment

import (
	"fmt"
	"sync"
)

// Version is the version of the default lexicon model. It changes whenever
// the lexicon data or the scoring rules change, so stored scores can be
// told apart from those of another scorer.
const Version = "sentiment/1"

// Labels, in the order used by Report.Confusion and trained models.
const (
	Negative = "negative"
	Neutral  = "neutral"
	Positive = "positive"
)

// Labels lists the labels a model predicts.
func Labels() []string { return []string{Negative, Neutral, Positive} }

func labelIndex(s string) int {
	switch s {
	case Negative:
		return 0
	case Neutral:
		return 1
	case Positive:
		return 2
	}
	return -1
}

var labelNames = [3]string{Negative, Neutral, Positive}

// Model scores the sentiment of customer messages. The default model is the
// lexicon scorer; a trained model adds a linear classifier learned from
// labelled messages on top of the lexicon's evidence. Get one from Default,
// Train or Load; a Model is immutable and safe for concurrent use.
type Model struct {
	lx      *lexicon
	rules   rules
	version string
	lin     *linear // nil for the lexicon model
}

// sharedLexicon parses the embedded lexicon once per process: it is about a
// megabyte of immutable data that every model reads and none writes.
var sharedLexicon = sync.OnceValues(newLexicon)

func loadLexicon() (*lexicon, error) {
	lx, err := sharedLexicon()
	if err != nil {
		return nil, fmt.Errorf("sentiment: embedded lexicon: %w", err)
	}
	return lx, nil
}

// Default returns the untrained lexicon model (version Version). It panics
// only if the embedded lexicon data is malformed, which the package tests
// rule out for every build.
func Default() *Model {
	lx, err := loadLexicon()
	if err != nil {
		panic(err)
	}
	return &Model{lx: lx, rules: defaultRules(), version: Version}
}

// Version is the model's version: Version for the default model,
// "sentiment/trained-<hash of the weights>" for a trained one.
func (m *Model) Version() string { return m.version }

// Score returns the sentiment of text in −1…1: below 0 negative, above 0
// positive. For a trained model it is P(positive) − P(negative).
func (m *Model) Score(text string) float64 {
	_, score := m.Classify(text)
	return score
}

// Label returns the label of text: "negative", "neutral" or "positive".
func (m *Model) Label(text string) string {
	label, _ := m.Classify(text)
	return label
}

// Classify returns both the label and the score of text with one pass over
// it; ingest uses it to store both.
func (m *Model) Classify(text string) (label string, score float64) {
	s := m.lx.get()
	m.lx.tokenize(text, s)
	b := m.lx.analyse(s, &m.rules)
	if m.lin != nil {
		var p [3]float64
		m.lin.predict(s, &b, &m.rules, &p)
		m.lx.put(s)
		best := 0
		for c := 1; c < 3; c++ {
			if p[c] > p[best] {
				best = c
			}
		}
		return labelNames[best], clamp1(p[2] - p[0])
	}
	m.lx.put(s)
	return m.rules.label(b.compound), b.compound
}

func (r *rules) label(compound float64) string {
	switch {
	case compound <= r.lo:
		return Negative
	case compound >= r.hi:
		return Positive
	}
	return Neutral
}

func clamp1(x float64) float64 {
	switch {
	case x > 1:
		return 1
	case x < -1:
		return -1
	case x != x: // NaN
		return 0
	}
	return x
}
