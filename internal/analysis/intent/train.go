package intent

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// TrainOptions tune Train. The zero value gives sensible defaults for 10–300
// intents and 20–20,000 examples.
type TrainOptions struct {
	// C is the SVM's cost of a margin violation (default 1): larger fits the
	// training examples harder, smaller generalises more.
	C float64
	// MinDF drops features seen in fewer training texts. Default: 2 from
	// 1,000 in-scope examples up (rare n-grams are mostly noise and half the
	// model's size), 1 below (every n-gram counts when examples are few).
	MinDF int
	// CharWeight weights character n-grams against words (default 1).
	CharWeight float64
	// CalibrationFolds is the number of cross-validation folds whose held-out
	// scores calibrate the confidence and choose the threshold (default 3).
	// 1 skips calibration: faster, but confidences are then uncalibrated and
	// the threshold is left at 0 (never Unknown).
	CalibrationFolds int
	// RejectShare is the share of in-scope utterances the chosen threshold
	// may reject when the examples have no out-of-scope rows (default 0.05).
	// With out-of-scope rows the threshold balances both kinds of error.
	RejectShare float64
	// Workers trains that many intents at once (default GOMAXPROCS). The
	// model does not depend on it.
	Workers int
	// Seed makes training reproducible: the same examples, options and seed
	// give the same model (default 1).
	Seed uint64
}

func (o TrainOptions) withDefaults(nInScope int) TrainOptions {
	if o.C <= 0 {
		o.C = 1
	}
	if o.MinDF <= 0 {
		o.MinDF = 1
		if nInScope >= 1000 {
			o.MinDF = 2
		}
	}
	if o.CharWeight <= 0 {
		o.CharWeight = 1
	}
	if o.CalibrationFolds <= 0 {
		o.CalibrationFolds = 3
	}
	if o.RejectShare <= 0 || o.RejectShare >= 1 {
		o.RejectShare = 0.05
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	return o
}

// algoSVM names the model family in Version.
const algoSVM = "svm"

// Train fits a model on ex: one linear SVM per intent over TF-IDF features;
// then, on scores of cross-validation folds, a logistic map from the best
// intent's score to the probability that it is right (the confidence); then a
// threshold. Rows labelled
// "oos" or "unknown" never become an intent; when present they are used only
// to choose the threshold.
func Train(ex []Example, o TrainOptions) (*Model, error) {
	var texts, labels, oos []string
	for _, e := range ex {
		if e.OutOfScope() {
			oos = append(oos, e.Text)
			continue
		}
		texts = append(texts, e.Text)
		labels = append(labels, e.Intent)
	}
	o = o.withDefaults(len(texts))
	cfg := defaultFeatureConfig()
	cfg.CharWeight = float32(o.CharWeight)
	return train(texts, labels, oos, o, cfg)
}

func train(texts, labels, oos []string, o TrainOptions, cfg featureConfig) (*Model, error) {
	intents := slices.Clone(labels)
	slices.Sort(intents)
	intents = slices.Compact(intents)
	if len(intents) < 2 {
		return nil, fmt.Errorf("training intent model: need examples of at least 2 intents, got %d", len(intents))
	}
	y := make([]int32, len(labels))
	for i, l := range labels {
		c, _ := slices.BinarySearch(intents, l)
		y[i] = int32(c)
	}
	vec := fitVectorizer(texts, cfg, o.MinDF)
	if len(vec.idf) == 0 {
		return nil, errors.New("training intent model: the examples have no words")
	}
	x := vec.transform(texts)
	p := svmParams{C: o.C, Bias: 1, Eps: 0.1, MaxIter: 1000, Seed: o.Seed}
	w, b := trainOVR(x, y, len(intents), len(vec.idf), p, o.Workers)
	m := newModel(algoSVM, intents, vec, w, b, [2]float32{uncalibratedSlope, 0})
	if o.CalibrationFolds < 2 {
		return m, nil
	}
	held := crossValScores(x, y, len(intents), len(vec.idf), p, o)
	top := make([]float64, len(y))
	right := make([]bool, len(y))
	inConf := make([]float64, len(y))
	for i := range y {
		row := held[i*len(intents) : (i+1)*len(intents)]
		best := argmax(row)
		top[i], right[i] = float64(row[best]), best == int(y[i])
	}
	m.platt = fitPlatt(top, right)
	m.version = m.computeVersion()
	for i := range y {
		inConf[i] = m.sigmoid(top[i])
	}
	var t float64
	if len(oos) > 0 {
		outConf := make([]float64, len(oos))
		s := m.getScratch()
		for i, text := range oos {
			_, outConf[i] = m.classify(text, s)
		}
		m.pool.Put(s)
		t = balancedThreshold(inConf, outConf)
	} else {
		t = quantileThreshold(inConf, o.RejectShare)
	}
	m.SetThreshold(t)
	return m, nil
}

// trainOVR trains one binary SVM per class on workers goroutines and lays the
// weights out feature-major for prediction.
func trainOVR(x *matrix, y []int32, nClass, nFeat int, p svmParams, workers int) ([]float32, []float32) {
	weights := make([]float32, nFeat*nClass)
	bias := make([]float32, nClass)
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(workers, nClass) {
		wg.Go(func() {
			positive := make([]bool, len(y))
			for c := range next {
				for i, l := range y {
					positive[i] = int(l) == c
				}
				q := p
				q.Seed = p.Seed + uint64(c)
				w := trainBinarySVM(x, positive, nFeat, q)
				for f := range nFeat {
					weights[f*nClass+c] = float32(w[f])
				}
				bias[c] = float32(w[nFeat])
			}
		})
	}
	for c := range nClass {
		next <- c
	}
	close(next)
	wg.Wait()
	return weights, bias
}

// crossValScores returns, for every example, the class scores of a model that
// did not see it (row-major, nClass per example). Folds are stratified so that
// every intent is spread over all of them.
func crossValScores(x *matrix, y []int32, nClass, nFeat int, p svmParams, o TrainOptions) []float32 {
	k := o.CalibrationFolds
	fold := make([]int, len(y))
	rng := rand.New(rand.NewPCG(o.Seed, 0xf01d))
	byClass := make([][]int, nClass)
	for i, c := range y {
		byClass[c] = append(byClass[c], i)
	}
	start := 0
	for _, members := range byClass {
		rng.Shuffle(len(members), func(i, j int) { members[i], members[j] = members[j], members[i] })
		for j, i := range members {
			fold[i] = (start + j) % k
		}
		start += len(members) // rotate so small classes do not all favour fold 0
	}
	held := make([]float32, len(y)*nClass)
	for f := range k {
		var in, out []int
		for i := range y {
			if fold[i] == f {
				out = append(out, i)
			} else {
				in = append(in, i)
			}
		}
		if len(out) == 0 || len(in) == 0 {
			continue
		}
		sub := x.subset(in)
		ys := make([]int32, len(in))
		for j, i := range in {
			ys[j] = y[i]
		}
		w, b := trainOVR(sub, ys, nClass, nFeat, p, o.Workers)
		for _, i := range out {
			row := held[i*nClass : (i+1)*nClass]
			copy(row, b)
			idx, val := x.row(i)
			addRows(row, w, idx, val)
		}
	}
	return held
}

// fitPlatt fits P(prediction right) = sigmoid(a*top + b) to held-out top
// scores by Newton's method on the log-loss, with Platt's smoothed targets so
// that perfectly separable data still gives finite weights (Platt 1999; Lin,
// Lin & Weng 2007 for the numerically careful form).
func fitPlatt(top []float64, right []bool) [2]float32 {
	var nPos, nNeg float64
	for _, r := range right {
		if r {
			nPos++
		} else {
			nNeg++
		}
	}
	hi, lo := (nPos+1)/(nPos+2), 1/(nNeg+2)
	a, b := 0.0, math.Log((nPos+1)/(nNeg+1))
	loss := func(a, b float64) float64 {
		var l float64
		for i, s := range top {
			t := lo
			if right[i] {
				t = hi
			}
			z := a*s + b
			// log(1+e^z) - t*z, computed without overflow
			l += max(z, 0) + math.Log1p(math.Exp(-math.Abs(z))) - t*z
		}
		return l
	}
	cur := loss(a, b)
	for range 100 {
		var ga, gb, haa, hab, hbb float64
		for i, s := range top {
			t := lo
			if right[i] {
				t = hi
			}
			p := 1 / (1 + math.Exp(-(a*s + b)))
			d := p - t
			w := max(p*(1-p), 1e-12)
			ga += d * s
			gb += d
			haa += w * s * s
			hab += w * s
			hbb += w
		}
		haa += 1e-12
		hbb += 1e-12
		det := haa*hbb - hab*hab
		if math.Abs(ga) < 1e-6 && math.Abs(gb) < 1e-6 || det <= 0 {
			break
		}
		da := (hbb*ga - hab*gb) / det
		db := (haa*gb - hab*ga) / det
		step := 1.0
		for ; step > 1e-8; step /= 2 { // backtrack until the loss goes down
			if l := loss(a-step*da, b-step*db); l < cur {
				a, b, cur = a-step*da, b-step*db, l
				break
			}
		}
		if step <= 1e-8 {
			break
		}
	}
	return [2]float32{float32(a), float32(b)}
}

func argmax(row []float32) int {
	best := 0
	for c, v := range row {
		if v > row[best] {
			best = c
		}
	}
	return best
}

// quantileThreshold returns the confidence below which share of conf falls.
func quantileThreshold(conf []float64, share float64) float64 {
	if len(conf) == 0 {
		return 0
	}
	s := slices.Clone(conf)
	slices.Sort(s)
	k := int(math.Floor(share * float64(len(s))))
	if k <= 0 {
		return 0
	}
	if k >= len(s) {
		k = len(s) - 1
	}
	return s[k]
}

// balancedThreshold picks the threshold that maximises the mean of the share
// of in-scope utterances accepted and the share of out-of-scope utterances
// rejected, so that neither kind of example dominates by sheer number.
func balancedThreshold(in, out []float64) float64 {
	type point struct {
		conf float64
		out  bool
	}
	pts := make([]point, 0, len(in)+len(out))
	for _, c := range in {
		pts = append(pts, point{c, false})
	}
	for _, c := range out {
		pts = append(pts, point{c, true})
	}
	slices.SortFunc(pts, func(a, b point) int {
		switch {
		case a.conf < b.conf:
			return -1
		case a.conf > b.conf:
			return 1
		}
		return 0
	})
	// Threshold at pts[i].conf rejects everything before i.
	best, bestScore := 0.0, -1.0
	rejIn, rejOut := 0, 0
	for i := 0; i <= len(pts); i++ {
		if i == len(pts) || i == 0 || pts[i].conf != pts[i-1].conf {
			score := float64(len(in)-rejIn)/float64(max(len(in), 1)) + float64(rejOut)/float64(max(len(out), 1))
			if score > bestScore {
				bestScore = score
				switch {
				case i == len(pts):
					best = math.Nextafter(pts[i-1].conf, math.Inf(1))
				default:
					best = pts[i].conf
				}
			}
		}
		if i < len(pts) {
			if pts[i].out {
				rejOut++
			} else {
				rejIn++
			}
		}
	}
	if best <= pts[0].conf {
		return 0
	}
	return best
}
