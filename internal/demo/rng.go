package demo

import (
	"math"
	"math/rand/v2"
)

// rng is a seeded PCG stream with the draws the simulation needs. Each customer reseeds it from
// (world seed, customer index), so a customer's life does not depend on who was generated before.
type rng struct {
	src *rand.PCG
	r   *rand.Rand
}

func newRNG(seed1, seed2 uint64) *rng {
	src := rand.NewPCG(seed1, seed2)
	return &rng{src: src, r: rand.New(src)}
}

func (g *rng) seed(seed1, seed2 uint64) { g.src.Seed(seed1, seed2) }

// mix64 is SplitMix64's finaliser: it spreads consecutive indexes over the seed space.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (g *rng) float() float64        { return g.r.Float64() }
func (g *rng) intn(n int) int        { return g.r.IntN(n) }
func (g *rng) chance(p float64) bool { return g.r.Float64() < p }
func (g *rng) norm() float64         { return g.r.NormFloat64() }

// between returns a uniform integer in [lo, hi].
func (g *rng) between(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + g.r.Int64N(hi-lo+1)
}

// lognormal draws a value whose median is median and whose log has standard deviation sigma.
func (g *rng) lognormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*g.r.NormFloat64())
}

// exp draws an exponential variate with the given mean.
func (g *rng) exp(mean float64) float64 { return mean * g.r.ExpFloat64() }

// poisson uses Knuth's product method; the rates here are small (< 5).
func (g *rng) poisson(lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	l := math.Exp(-lambda)
	k := 0
	p := g.r.Float64()
	for p > l {
		k++
		p *= g.r.Float64()
	}
	return k
}

// pickString returns a uniformly chosen element.
func pickString(g *rng, s []string) string { return s[g.r.IntN(len(s))] }

// weights is a cumulative distribution over indexes, built once from relative weights.
type weights []float64

func newWeights(w ...float64) weights {
	c := make(weights, len(w))
	sum := 0.0
	for i, v := range w {
		sum += v
		c[i] = sum
	}
	for i := range c {
		c[i] /= sum
	}
	return c
}

// draw returns an index with probability proportional to its weight.
func (w weights) draw(g *rng) int {
	u := g.r.Float64()
	for i, c := range w {
		if u < c {
			return i
		}
	}
	return len(w) - 1
}

// drawFrom picks an index from unnormalised weights held in a scratch array.
func drawFrom(g *rng, w []float64) int {
	sum := 0.0
	for _, v := range w {
		sum += v
	}
	u := g.r.Float64() * sum
	for i, v := range w {
		u -= v
		if u < 0 {
			return i
		}
	}
	return len(w) - 1
}

func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func logit(p float64) float64 { return math.Log(p / (1 - p)) }

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
