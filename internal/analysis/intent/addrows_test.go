package intent

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// addRowsCase is a random sparse vector against random feature-major
// weights, with the awkward values a kernel could round differently:
// negatives, denormals, zeros and values near the float32 limits.
func addRowsCase(rng *rand.Rand, nc, nFeat, nnz int) (y, w []float32, idx []int32, val []float32) {
	special := []float32{0, -0, 1e-40, -1e-40, math.MaxFloat32 / 4, -math.SmallestNonzeroFloat32, 1, -1}
	draw := func() float32 {
		if rng.IntN(20) == 0 {
			return special[rng.IntN(len(special))]
		}
		return float32(rng.NormFloat64())
	}
	y = make([]float32, nc)
	for i := range y {
		y[i] = draw()
	}
	w = make([]float32, nc*nFeat)
	for i := range w {
		w[i] = draw()
	}
	for range nnz {
		idx = append(idx, int32(rng.IntN(nFeat)))
		val = append(val, draw())
	}
	return y, w, idx, val
}

// addRowsSizes cover every tail of the kernels' 32-, 16-, 8- and 4-lane
// steps, CLINC150's 150 intents, and more rows than the prefetch distance.
var addRowsSizes = []struct{ nc, nnz int }{
	{1, 1}, {2, 3}, {3, 5}, {4, 2}, {5, 7}, {7, 1}, {8, 9}, {9, 4}, {12, 6}, {15, 3}, {16, 8}, {17, 2},
	{20, 10}, {31, 5}, {32, 3}, {33, 40}, {36, 7}, {47, 11}, {63, 2}, {64, 6}, {65, 9}, {150, 300}, {151, 33},
	{10, 0},
}

type addRowsFunc struct {
	name string
	fn   func(y, w []float32, idx []int32, val []float32)
}

// checkAddRows compares fn with the plain Go loop bit for bit.
func checkAddRows(t *testing.T, k addRowsFunc) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range addRowsSizes {
		for rep := range 5 {
			y, w, idx, val := addRowsCase(rng, tc.nc, 50, tc.nnz)
			want := slices.Clone(y)
			addRowsGeneric(want, w, idx, val)
			k.fn(y, w, idx, val)
			for c := range y {
				if math.Float32bits(y[c]) != math.Float32bits(want[c]) {
					t.Errorf("%s: %d classes, %d rows (case %d): y[%d] = %v, the Go loop gives %v", k.name, tc.nc, tc.nnz, rep, c, y[c], want[c])
					break
				}
			}
		}
	}
}

func TestAddRowsMatchesGoLoop(t *testing.T) {
	checkAddRows(t, addRowsFunc{"addRows", addRows})
}

func TestAddRowsRejectsOutOfRangeRows(t *testing.T) {
	tests := []struct {
		name string
		idx  []int32
		val  []float32
	}{
		{"row past the end", []int32{0, 3}, []float32{1, 1}},
		{"negative row", []int32{-1}, []float32{1}},
		{"fewer values than rows", []int32{0, 1}, []float32{1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			addRows(make([]float32, 4), make([]float32, 12), tc.idx, tc.val)
		})
	}
}
