package intent

import (
	"math"
	"math/rand/v2"
)

// svmParams are the knobs of the one-vs-rest linear SVM.
type svmParams struct {
	C       float64 // cost of a margin violation; larger fits the training data harder
	Bias    float64 // value of the constant feature that carries the intercept
	Eps     float64 // stopping tolerance on the projected-gradient gap
	MaxIter int     // passes over the data, an upper bound that is rarely reached
	Seed    uint64
}

// trainBinarySVM fits one class against the rest: L2-regularised, squared
// hinge loss (smooth, so the dual has no upper bound and converges fast), solved in the dual by coordinate descent with shrinking (Hsieh
// et al., ICML 2008, the method behind liblinear's default solver). It returns
// the weights over nFeat features followed by the intercept.
func trainBinarySVM(x *matrix, positive []bool, nFeat int, p svmParams) []float64 {
	n := x.rows()
	w := make([]float64, nFeat+1)
	alpha := make([]float64, n)
	qd := make([]float64, n)
	index := make([]int, n)
	diag := 0.5 / p.C
	for i := range n {
		qd[i] = float64(x.sq[i]) + p.Bias*p.Bias + diag
		index[i] = i
	}
	rng := rand.New(rand.NewPCG(p.Seed, 0x5eed))
	active := n
	pgMaxOld := math.Inf(1)
	for iter := 0; iter < p.MaxIter; iter++ {
		pgMax, pgMin := math.Inf(-1), math.Inf(1)
		for i := range active {
			j := i + rng.IntN(active-i)
			index[i], index[j] = index[j], index[i]
		}
		for s := 0; s < active; s++ {
			i := index[s]
			yi := -1.0
			if positive[i] {
				yi = 1
			}
			idx, val := x.row(i)
			dot := w[nFeat] * p.Bias
			for j, f := range idx {
				dot += w[f] * float64(val[j])
			}
			g := yi*dot - 1 + alpha[i]*diag
			pg := g
			if alpha[i] == 0 {
				if g > pgMaxOld {
					// Confidently on the right side: shrink it out of the active set.
					active--
					index[s], index[active] = index[active], index[s]
					s--
					continue
				}
				pg = min(g, 0)
			}
			pgMax = max(pgMax, pg)
			pgMin = min(pgMin, pg)
			if math.Abs(pg) > 1e-12 {
				old := alpha[i]
				alpha[i] = max(old-g/qd[i], 0)
				d := (alpha[i] - old) * yi
				for j, f := range idx {
					w[f] += d * float64(val[j])
				}
				w[nFeat] += d * p.Bias
			}
		}
		if pgMax-pgMin <= p.Eps {
			if active == n {
				break
			}
			// Converged on the active set: check once more on everything.
			active = n
			pgMaxOld = math.Inf(1)
			continue
		}
		// Only the lower bound alpha = 0 can shrink, so only the largest
		// gradient is remembered.
		pgMaxOld = pgMax
		if pgMaxOld <= 0 {
			pgMaxOld = math.Inf(1)
		}
	}
	w[nFeat] *= p.Bias
	return w
}
