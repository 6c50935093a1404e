package intent

import (
	"cmp"
	"slices"
	"time"
)

// Report is a model's evaluation on labelled examples. Gold labels "oos" and
// "unknown" mark out-of-scope examples, which are right when the model
// answers Unknown.
type Report struct {
	N           int // examples
	NInScope    int // examples with an in-scope gold intent
	NOutOfScope int // examples labelled out of scope
	// Accuracy is the share of all examples answered right at the model's
	// threshold: the gold intent for in-scope examples, Unknown for the rest.
	Accuracy float64
	// InScopeAccuracy is the share of in-scope examples whose best intent is
	// the gold one, threshold aside: what the classifier knows. (The usual
	// measure on CLINC150 and the one sklearn's figures report.)
	InScopeAccuracy float64
	// MacroF1 is the mean F1 over the gold in-scope intents at the threshold,
	// with Unknown as one more class when there are out-of-scope examples.
	MacroF1 float64
	// OOSRecall is the share of out-of-scope examples answered Unknown.
	OOSRecall float64
	// InScopeRejected is the share of in-scope examples answered Unknown.
	InScopeRejected float64
	// Confused lists the most frequent mistakes at the threshold, most
	// frequent first (at most 10).
	Confused []Pair
	// UtterancesPerSec is the prediction speed measured during evaluation,
	// one goroutine.
	UtterancesPerSec float64
	Threshold        float64
}

// Pair counts how often gold intent Gold was predicted as Predicted.
type Pair struct {
	Gold, Predicted string
	Count           int
}

const maxConfused = 10

// Evaluate predicts every example and measures the answers against the gold
// labels.
func Evaluate(m *Model, ex []Example) Report {
	r := Report{N: len(ex), Threshold: m.Threshold()}
	best := make([]string, len(ex))
	conf := make([]float64, len(ex))
	start := time.Now()
	s := m.getScratch()
	for i, e := range ex {
		c, p := m.classify(e.Text, s)
		if c >= 0 {
			best[i] = m.intents[c]
		}
		conf[i] = p
	}
	m.pool.Put(s)
	if el := time.Since(start).Seconds(); el > 0 {
		r.UtterancesPerSec = float64(len(ex)) / el
	}
	// F1 is averaged over the gold classes only: predicting an intent that
	// no example has costs the gold intent's recall but adds no class.
	type counts struct{ tp, fp, fn int }
	perClass := map[string]*counts{}
	for _, e := range ex {
		gold := e.Intent
		if e.OutOfScope() {
			gold = Unknown
		}
		if perClass[gold] == nil {
			perClass[gold] = &counts{}
		}
	}
	confused := map[[2]string]int{}
	var right, inRight, rejected, oosRejected int
	for i, e := range ex {
		gold := e.Intent
		if e.OutOfScope() {
			gold = Unknown
			r.NOutOfScope++
		} else {
			r.NInScope++
			if best[i] == gold {
				inRight++
			}
		}
		pred := best[i]
		if pred == "" || conf[i] < r.Threshold {
			pred = Unknown
		}
		switch {
		case pred == Unknown && gold != Unknown:
			rejected++
		case pred == Unknown:
			oosRejected++
		}
		if pred == gold {
			right++
			perClass[gold].tp++
			continue
		}
		perClass[gold].fn++
		if c := perClass[pred]; c != nil {
			c.fp++
		}
		confused[[2]string{gold, pred}]++
	}
	if r.N > 0 {
		r.Accuracy = float64(right) / float64(r.N)
	}
	if r.NInScope > 0 {
		r.InScopeAccuracy = float64(inRight) / float64(r.NInScope)
		r.InScopeRejected = float64(rejected) / float64(r.NInScope)
	}
	if r.NOutOfScope > 0 {
		r.OOSRecall = float64(oosRejected) / float64(r.NOutOfScope)
	}
	var f1sum float64
	for _, c := range perClass {
		if c.tp > 0 {
			f1sum += 2 * float64(c.tp) / float64(2*c.tp+c.fp+c.fn)
		}
	}
	if len(perClass) > 0 {
		r.MacroF1 = f1sum / float64(len(perClass))
	}
	for k, n := range confused {
		r.Confused = append(r.Confused, Pair{Gold: k[0], Predicted: k[1], Count: n})
	}
	slices.SortFunc(r.Confused, func(a, b Pair) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Gold, b.Gold), cmp.Compare(a.Predicted, b.Predicted))
	})
	if len(r.Confused) > maxConfused {
		r.Confused = r.Confused[:maxConfused]
	}
	return r
}

// ChooseThreshold returns the confidence threshold that rejects rejectShare
// of the in-scope examples (out-of-scope rows in inScopeVal are ignored), for
// example 0.05 to send the least certain 5% to a human. It does not change the
// model: pass the result to SetThreshold.
func ChooseThreshold(m *Model, inScopeVal []Example, rejectShare float64) float64 {
	conf := make([]float64, 0, len(inScopeVal))
	s := m.getScratch()
	for _, e := range inScopeVal {
		if e.OutOfScope() {
			continue
		}
		_, p := m.classify(e.Text, s)
		conf = append(conf, p)
	}
	m.pool.Put(s)
	return quantileThreshold(conf, min(max(rejectShare, 0), 1))
}
