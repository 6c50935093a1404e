package insight

import (
	"math"

	"github.com/northstar-cx/northstar/internal/metrics"
)

// Est is one estimate: its sample size, value and 95% interval. Value is
// nil when there is no sample; Low and High are nil where no interval is
// defined (counts, ratios).
type Est struct {
	N     int64    `json:"n"`
	Value *float64 `json:"value"`
	Low   *float64 `json:"low,omitempty"`
	High  *float64 `json:"high,omitempty"`
}

func f64(v float64) *float64 { return &v }

// estOf converts a metrics cell, keeping its interval.
func estOf(c metrics.Cell) Est {
	return Est{N: c.N, Value: c.Value, Low: c.Low, High: c.High}
}

// Has reports whether the estimate has a value from at least n observations.
func (e Est) Has(n int64) bool { return e.Value != nil && e.N >= n }

// V is the value, or 0 when there is none.
func (e Est) V() float64 {
	if e.Value == nil {
		return 0
	}
	return *e.Value
}

// hasInterval reports whether both bounds are known.
func (e Est) hasInterval() bool { return e.Low != nil && e.High != nil }

// clearlyBelow reports whether e's interval lies wholly below o's: the
// difference is real at the 95% level by the (conservative) non-overlap test.
func (e Est) clearlyBelow(o Est) bool {
	return e.hasInterval() && o.hasInterval() && *e.High < *o.Low
}

// wilson is a proportion k/n with its Wilson 95% interval.
func wilson(k, n int64) Est {
	if n <= 0 {
		return Est{}
	}
	lo, hi := metrics.Wilson(k, n)
	return Est{N: n, Value: f64(float64(k) / float64(n)), Low: f64(lo), High: f64(hi)}
}

// meanEst is a mean with its Student's t 95% interval from the sum and sum
// of squares of n values.
func meanEst(n int64, sum, sumsq float64) Est {
	if n <= 0 {
		return Est{}
	}
	m := sum / float64(n)
	e := Est{N: n, Value: f64(m)}
	if n > 1 {
		v := math.Max(0, (sumsq-sum*sum/float64(n))/float64(n-1))
		h := tQuantile(float64(n-1)) * math.Sqrt(v/float64(n))
		e.Low, e.High = f64(m-h), f64(m+h)
	}
	return e
}

// Diff is a difference between two groups (a − b) with its 95% interval and
// the ratio a ÷ b where b is not zero.
type Diff struct {
	Value float64  `json:"value"`
	Low   float64  `json:"low"`
	High  float64  `json:"high"`
	Ratio *float64 `json:"ratio,omitempty"`
	// Clear is set when the interval excludes zero.
	Clear bool `json:"clear"`
}

// diffProportions is the difference of two proportions with Newcombe's
// hybrid score interval (method 10), which keeps the Wilson interval's good
// coverage at small n and near 0 or 1.
func diffProportions(k1, n1, k2, n2 int64) Diff {
	a, b := wilson(k1, n1), wilson(k2, n2)
	if a.Value == nil || b.Value == nil {
		return Diff{}
	}
	p1, p2 := *a.Value, *b.Value
	d := p1 - p2
	lo := d - math.Sqrt(sq(p1-*a.Low)+sq(*b.High-p2))
	hi := d + math.Sqrt(sq(*a.High-p1)+sq(p2-*b.Low))
	out := Diff{Value: d, Low: lo, High: hi, Clear: lo > 0 || hi < 0}
	if p2 > 0 {
		out.Ratio = f64(p1 / p2)
	}
	return out
}

// diffMeans is the difference of two means with Welch's t interval.
func diffMeans(n1 int64, s1, ss1 float64, n2 int64, s2, ss2 float64) Diff {
	if n1 < 2 || n2 < 2 {
		return Diff{}
	}
	m1, m2 := s1/float64(n1), s2/float64(n2)
	v1 := math.Max(0, (ss1-s1*s1/float64(n1))/float64(n1-1)) / float64(n1)
	v2 := math.Max(0, (ss2-s2*s2/float64(n2))/float64(n2-1)) / float64(n2)
	se := math.Sqrt(v1 + v2)
	df := 1.0
	if v1+v2 > 0 {
		df = sq(v1+v2) / (sq(v1)/float64(n1-1) + sq(v2)/float64(n2-1))
	}
	h := tQuantile(df) * se
	d := m1 - m2
	out := Diff{Value: d, Low: d - h, High: d + h, Clear: d-h > 0 || d+h < 0}
	if m2 != 0 {
		out.Ratio = f64(m1 / m2)
	}
	return out
}

func sq(x float64) float64 { return x * x }

// tQuantile is the 97.5% quantile of Student's t; Welch's degrees of
// freedom are fractional and are rounded down, which widens the interval a
// little (the safe side).
func tQuantile(df float64) float64 {
	if df < 1 {
		return math.Inf(1)
	}
	return metrics.TQuantile975(int64(df))
}
