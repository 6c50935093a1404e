package metrics_test

import (
	"math"
	"strings"
	"testing"

	"github.com/northstar-cx/northstar/internal/metrics"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func TestWilson(t *testing.T) {
	for _, tc := range []struct {
		x, n   int64
		lo, hi float64
	}{
		{8, 10, 0.4901624, 0.9433178},
		{0, 10, 0, 0.2775328},
		{10, 10, 0.7224672, 1},
		{3, 6, 0.1876163, 0.8123837},
		{50, 100, 0.4038315, 0.5961685},
	} {
		lo, hi := metrics.Wilson(tc.x, tc.n)
		if math.Abs(lo-tc.lo) > 5e-7 || math.Abs(hi-tc.hi) > 5e-7 {
			t.Errorf("Wilson(%d, %d) = %.7f–%.7f, want %.7f–%.7f", tc.x, tc.n, lo, hi, tc.lo, tc.hi)
		}
	}
}

func TestTQuantile(t *testing.T) {
	// Published two-sided 95% critical values.
	for _, tc := range []struct {
		df   int64
		want float64
	}{{1, 12.7062047}, {2, 4.3026527}, {4, 2.7764451}, {10, 2.2281389}, {30, 2.0422725}, {100, 1.9839715}, {1000, 1.9623391}, {10_000_000, 1.9599640}} {
		if got := metrics.TQuantile975(tc.df); math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("t(0.975, %d) = %.7f, want %.7f", tc.df, got, tc.want)
		}
	}
	lo, hi, ok := metrics.MeanInterval(10, 2, 5)
	if !ok || math.Abs(lo-(10-2.7764451*2/math.Sqrt(5))) > 1e-6 || math.Abs(hi-(10+2.7764451*2/math.Sqrt(5))) > 1e-6 {
		t.Errorf("mean interval: %v %v %v", lo, hi, ok)
	}
	if _, _, ok := metrics.MeanInterval(10, math.NaN(), 1); ok {
		t.Error("one value has no interval")
	}
}
