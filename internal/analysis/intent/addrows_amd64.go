//go:build !purego

package intent

// The kernels below are addRowsGeneric vectorised: several classes per
// instruction, multiply and add rounded separately (MULPS then ADDPS, never
// a fused multiply-add) exactly like Go's float32 arithmetic on amd64 at the
// default GOAMD64=v1, so scores are bit-identical to the Go loop. The caller
// (addRows) guarantees every row idx[k] lies inside w and len(val) ≥ len(idx).

// addRowsSSE uses 4-lane SSE, part of every amd64 CPU.
//
//go:noescape
func addRowsSSE(y, w []float32, idx []int32, val []float32)

// addRowsAVX uses 8-lane AVX; only when hasAVX.
//
//go:noescape
func addRowsAVX(y, w []float32, idx []int32, val []float32)

// cpuHasAVX reports whether the CPU has AVX and the OS saves its registers.
func cpuHasAVX() bool

var hasAVX = cpuHasAVX()

func addRowsKernel(y, w []float32, idx []int32, val []float32) {
	if hasAVX {
		addRowsAVX(y, w, idx, val)
		return
	}
	addRowsSSE(y, w, idx, val)
}
