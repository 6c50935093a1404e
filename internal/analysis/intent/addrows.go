package intent

import "fmt"

// addRows adds val[k] times row idx[k] of w to y for every k in order, where
// w holds rows of len(y) values one after another: the linear scores of a
// sparse vector against feature-major weights. Each y[c] receives its terms
// in the same order, with the same float32 rounding of every product and sum,
// as a loop of axpy calls, so a vectorised implementation (addRowsKernel)
// gives bit-identical scores.
func addRows(y, w []float32, idx []int32, val []float32) {
	nc := len(y)
	if nc == 0 || len(idx) == 0 {
		return
	}
	// The kernel trusts its arguments; check here once what axpy's slicing
	// would have checked per row.
	if len(val) < len(idx) {
		panic(fmt.Sprintf("intent: addRows with %d indexes and %d values", len(idx), len(val)))
	}
	rows := len(w) / nc
	for _, f := range idx {
		if uint(f) >= uint(rows) {
			panic(fmt.Sprintf("intent: feature %d outside %d weight rows", f, rows))
		}
	}
	addRowsKernel(y, w, idx, val[:len(idx)])
}

// addRowsGeneric is addRowsKernel in Go, for other architectures and as the
// reference in tests.
func addRowsGeneric(y, w []float32, idx []int32, val []float32) {
	nc := len(y)
	for k, f := range idx {
		axpy(y, w[int(f)*nc:int(f)*nc+nc], val[k])
	}
}
