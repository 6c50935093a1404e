package metrics

import (
	"math"
	"sync"
)

// z975 is the 97.5th percentile of the standard normal: 95% two-sided.
const z975 = 1.959963984540054

// Wilson is the Wilson score 95% interval of x successes in n trials. It
// stays inside [0, 1] and behaves at 0 and n, unlike the normal
// approximation, which matters for small slices.
func Wilson(x, n int64) (lo, hi float64) {
	if n <= 0 {
		return math.NaN(), math.NaN()
	}
	nf := float64(n)
	p := float64(x) / nf
	z2 := z975 * z975
	den := 1 + z2/nf
	center := (p + z2/(2*nf)) / den
	half := z975 / den * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	return math.Max(0, center-half), math.Min(1, center+half)
}

// MeanInterval is the Student t 95% interval of a mean of n values with
// sample standard deviation sd; ok is false below two values.
func MeanInterval(mean, sd float64, n int64) (lo, hi float64, ok bool) {
	if n < 2 || math.IsNaN(sd) {
		return 0, 0, false
	}
	half := TQuantile975(n-1) * sd / math.Sqrt(float64(n))
	return mean - half, mean + half, true
}

// TQuantile975 is the 97.5th percentile of Student's t with df degrees of
// freedom, found by bisection on the t distribution function (written here
// to keep a statistics library out of the binary). Each df is computed once:
// the bisection costs more than aggregating a whole slice in memory, and a
// result has many slices.
func TQuantile975(df int64) float64 {
	if df <= 0 {
		return math.NaN()
	}
	if df > 1e6 {
		return z975
	}
	if v, ok := tQuantiles.Load(df); ok {
		return v.(float64)
	}
	v := tQuantile975(df)
	tQuantiles.Store(df, v)
	return v
}

var tQuantiles sync.Map // int64 → float64

func tQuantile975(df int64) float64 {
	lo, hi := z975, 20.0
	for tCDF(hi, float64(df)) < 0.975 {
		hi *= 2
	}
	for range 200 {
		mid := (lo + hi) / 2
		if tCDF(mid, float64(df)) < 0.975 {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo < 1e-12 {
			break
		}
	}
	return (lo + hi) / 2
}

// tCDF is P(T ≤ t) for t ≥ 0: 1 − I_x(df/2, 1/2)/2 with x = df/(df+t²).
func tCDF(t, df float64) float64 {
	x := df / (df + t*t)
	return 1 - 0.5*regIncBeta(df/2, 0.5, x)
}

// regIncBeta is the regularised incomplete beta function I_x(a, b), by its
// continued fraction (modified Lentz), as in Numerical Recipes §6.4.
func regIncBeta(a, b, x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	la, _ := math.Lgamma(a + b)
	lb, _ := math.Lgamma(a)
	lc, _ := math.Lgamma(b)
	front := math.Exp(la - lb - lc + a*math.Log(x) + b*math.Log(1-x))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(a, b, x) / a
	}
	return 1 - front*betaCF(b, a, 1-x)/b
}

func betaCF(a, b, x float64) float64 {
	const tiny = 1e-300
	qab, qap, qam := a+b, a+1, a-1
	c, d := 1.0, 1-qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 300; m++ {
		mf := float64(m)
		m2 := 2 * mf
		aa := mf * (b - mf) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		aa = -(a + mf) * (qab + mf) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-15 {
			break
		}
	}
	return h
}
