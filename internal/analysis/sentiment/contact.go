package sentiment

import "math"

// Contact summarises the customer's sentiment over one interaction.
type Contact struct {
	Mean   float64 // mean over all customer turns
	Start  float64 // mean over the first third of the turns
	End    float64 // mean over the last third
	Change float64 // End − Start: how the contact moved the customer
	Turns  int     // customer turns counted
}

// Summarize summarises per-turn scores of the customer's turns, in order.
// A third is rounded up, so one or two turns are both start and end; scores
// that are not finite numbers are left out.
func Summarize(turnScores []float64) Contact {
	n := 0
	var sum float64
	for _, v := range turnScores {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			n++
			sum += v
		}
	}
	if n == 0 {
		return Contact{}
	}
	k := (n + 2) / 3
	var start, end float64
	i := 0
	for _, v := range turnScores {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if i < k {
			start += v
		}
		if i >= n-k {
			end += v
		}
		i++
	}
	c := Contact{Mean: sum / float64(n), Start: start / float64(k), End: end / float64(k), Turns: n}
	c.Change = c.End - c.Start
	return c
}
