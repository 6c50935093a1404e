//go:build !amd64 || purego

package intent

// addRowsKernel is addRowsGeneric where there is no assembly kernel (build
// with -tags purego to use it on amd64 too).
func addRowsKernel(y, w []float32, idx []int32, val []float32) { addRowsGeneric(y, w, idx, val) }
