package cues

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/northstar-cx/northstar/internal/analysis/cues/phrase"
)

// Version identifies the detector and its lexicon in stored results.
const Version = "cues/1"

// Kind is a kind of cue.
type Kind string

// The kinds of cue, in the order Detect reports them.
const (
	Anger             Kind = "anger"
	Anxiety           Kind = "anxiety"
	Bereavement       Kind = "bereavement"
	Illness           Kind = "illness"
	FinancialHardship Kind = "financial_hardship"
	Accessibility     Kind = "accessibility"
	ChurnThreat       Kind = "churn_threat"
)

// Kinds returns every kind, in report order.
func Kinds() []Kind {
	return []Kind{Anger, Anxiety, Bereavement, Illness, FinancialHardship, Accessibility, ChurnThreat}
}

// Vulnerable reports whether the kind marks a vulnerable customer:
// bereavement, serious illness, financial hardship or accessibility needs.
func (k Kind) Vulnerable() bool {
	switch k {
	case Bereavement, Illness, FinancialHardship, Accessibility:
		return true
	}
	return false
}

// Turn is one turn of a conversation; Text is already PII-redacted.
type Turn struct {
	Speaker string // "customer", "agent" or "bot"; only customer turns are read
	Text    string
}

// Evidence is a byte span [Start, End) of the text of turn Turn.
type Evidence struct {
	Turn, Start, End int
}

// Flag is one kind of cue found in a conversation with all its evidence, in
// order of appearance.
type Flag struct {
	Kind     Kind
	Evidence []Evidence
}

// ignoreLabel is the lexicon label of look-alikes that flag nothing.
const ignoreLabel = "ignore"

//go:embed lexicon.txt
var lexicon string

// Detector flags cues using a compiled lexicon. It is immutable and safe for
// concurrent use.
type Detector struct {
	set   *phrase.Set
	kinds [][]int // by phrase label: indexes into Kinds(); none for look-alikes
}

// NewDetector compiles the built-in lexicon.
func NewDetector() (*Detector, error) {
	return newDetector("lexicon.txt", lexicon)
}

func newDetector(name, text string) (*Detector, error) {
	set, err := phrase.CompileLexicon(name, text)
	if err != nil {
		return nil, fmt.Errorf("compile cue lexicon: %w", err)
	}
	d := &Detector{set: set, kinds: make([][]int, len(set.Labels()))}
	for i, label := range set.Labels() {
		if label == ignoreLabel {
			continue
		}
		// A label may name several kinds: [anger+churn_threat] for
		// "I'm done with you", which is both.
		for _, part := range strings.Split(label, "+") {
			k := slices.Index(Kinds(), Kind(part))
			if k < 0 {
				return nil, fmt.Errorf("compile cue lexicon %s: unknown kind %q in label [%s] (want kinds joined by + or %s)", name, part, label, ignoreLabel)
			}
			d.kinds[i] = append(d.kinds[i], k)
		}
	}
	return d, nil
}

// defaultDetector is compiled once, on first use; the lexicon is embedded
// and tested, so failing to compile it is a build defect.
var defaultDetector = sync.OnceValue(func() *Detector {
	d, err := NewDetector()
	if err != nil {
		panic(err)
	}
	return d
})

// Detect flags the cues in the customer turns of a conversation with the
// built-in lexicon. Flags come in the order of Kinds(), one per kind found.
func Detect(turns []Turn) []Flag {
	return defaultDetector().Detect(turns)
}

// numKinds is the number of cue kinds.
const numKinds = 7

// Detect flags the cues in the customer turns of a conversation. Flags come
// in the order of Kinds(), one per kind found, each with its evidence in
// order of appearance. Negated phrases ("I'm not angry") flag nothing.
func (d *Detector) Detect(turns []Turn) []Flag {
	var found [numKinds][]Evidence
	var buf [16]phrase.Match
	n := 0
	for ti, t := range turns {
		if !isCustomer(t.Speaker) {
			continue
		}
		for _, m := range d.set.AppendMatches(buf[:0], t.Text) {
			if m.Negated {
				continue
			}
			for _, k := range d.kinds[m.Label] {
				if found[k] == nil {
					n++
				}
				found[k] = append(found[k], Evidence{Turn: ti, Start: m.Start, End: m.End})
			}
		}
	}
	if n == 0 {
		return nil
	}
	flags := make([]Flag, 0, n)
	for k, ev := range found {
		if ev != nil {
			flags = append(flags, Flag{Kind: Kinds()[k], Evidence: ev})
		}
	}
	return flags
}

// isCustomer reports whether a speaker is the customer; case is ignored
// because sources spell roles differently.
func isCustomer(speaker string) bool {
	return strings.EqualFold(speaker, "customer")
}
