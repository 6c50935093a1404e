package sentiment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// ClassScore is the precision, recall and F1 of one label.
type ClassScore struct {
	Precision, Recall, F1 float64
	Support               int // examples with this gold label
}

// Report is a model's accuracy on labelled examples.
type Report struct {
	N              int
	Accuracy       float64
	MacroF1        float64 // unweighted mean of the three classes' F1
	PerClass       map[string]ClassScore
	MessagesPerSec float64 // classification throughput on this run, one goroutine
	// Confusion[gold][predicted] counts examples.
	Confusion map[string]map[string]int
}

// Evaluate classifies every example with m and compares with its label.
// Examples whose label is not one of the three are not counted.
func Evaluate(m *Model, ex []Example) Report {
	var conf [3][3]int
	start := time.Now()
	for _, e := range ex {
		g := labelIndex(e.Label)
		if g < 0 {
			continue
		}
		p := labelIndex(m.Label(e.Text))
		conf[g][p]++
	}
	return report(conf, time.Since(start))
}

func report(conf [3][3]int, took time.Duration) Report {
	r := Report{PerClass: make(map[string]ClassScore, 3), Confusion: make(map[string]map[string]int, 3)}
	correct := 0
	for g := range 3 {
		r.Confusion[labelNames[g]] = make(map[string]int, 3)
		for p := range 3 {
			r.N += conf[g][p]
			r.Confusion[labelNames[g]][labelNames[p]] = conf[g][p]
		}
		correct += conf[g][g]
	}
	if r.N == 0 {
		return r
	}
	r.Accuracy = float64(correct) / float64(r.N)
	for c := range 3 {
		var predicted, support int
		for k := range 3 {
			predicted += conf[k][c]
			support += conf[c][k]
		}
		cs := ClassScore{Support: support}
		if predicted > 0 {
			cs.Precision = float64(conf[c][c]) / float64(predicted)
		}
		if support > 0 {
			cs.Recall = float64(conf[c][c]) / float64(support)
		}
		if cs.Precision+cs.Recall > 0 {
			cs.F1 = 2 * cs.Precision * cs.Recall / (cs.Precision + cs.Recall)
		}
		r.PerClass[labelNames[c]] = cs
		r.MacroF1 += cs.F1 / 3
	}
	if took > 0 {
		r.MessagesPerSec = float64(r.N) / took.Seconds()
	}
	return r
}

// CVResult is the outcome of k-fold cross-validation.
type CVResult struct {
	Folds        []Report // one per held-out fold
	MeanMacroF1  float64
	SDMacroF1    float64 // sample standard deviation across folds
	MeanAccuracy float64
	Pooled       Report // all held-out predictions together
}

// CrossValidate estimates how a model trained with o does on unseen
// messages: it splits ex into k stratified folds (deterministic for o.Seed),
// trains on k−1 and evaluates on the one left out, k times.
func CrossValidate(ex []Example, k int, o TrainOptions) (CVResult, error) {
	if k < 2 || k > len(ex) {
		return CVResult{}, fmt.Errorf("sentiment: cross-validate: %d folds for %d examples", k, len(ex))
	}
	seed := o.Seed
	if seed == 0 {
		seed = 1
	}
	// Stratify: deal each class's shuffled examples round-robin to folds,
	// so every fold keeps the class mix.
	fold := make([]int, len(ex))
	rng := rand.New(rand.NewPCG(seed, 0xf01d5))
	var next int
	for c := range 3 {
		var idx []int
		for i, e := range ex {
			if labelIndex(e.Label) == c {
				idx = append(idx, i)
			}
		}
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		for _, i := range idx {
			fold[i] = next % k
			next++
		}
	}
	for i, e := range ex {
		if labelIndex(e.Label) < 0 {
			return CVResult{}, fmt.Errorf("sentiment: cross-validate: example %d: label %q is not negative, neutral or positive", i+1, e.Label)
		}
	}
	var res CVResult
	var pooled [3][3]int
	var took time.Duration
	for f := range k {
		var train, test []Example
		for i, e := range ex {
			if fold[i] == f {
				test = append(test, e)
			} else {
				train = append(train, e)
			}
		}
		m, err := Train(train, o)
		if err != nil {
			return CVResult{}, fmt.Errorf("sentiment: cross-validate: fold %d: %w", f+1, err)
		}
		r := Evaluate(m, test)
		res.Folds = append(res.Folds, r)
		for g, row := range labelNames {
			for p, col := range labelNames {
				pooled[g][p] += r.Confusion[row][col]
			}
		}
		if r.MessagesPerSec > 0 {
			took += time.Duration(float64(r.N) / r.MessagesPerSec * float64(time.Second))
		}
		res.MeanMacroF1 += r.MacroF1 / float64(k)
		res.MeanAccuracy += r.Accuracy / float64(k)
	}
	for _, r := range res.Folds {
		d := r.MacroF1 - res.MeanMacroF1
		res.SDMacroF1 += d * d / float64(k-1)
	}
	res.SDMacroF1 = math.Sqrt(res.SDMacroF1)
	res.Pooled = report(pooled, took)
	return res, nil
}
