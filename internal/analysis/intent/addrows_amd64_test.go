//go:build !purego

package intent

import "testing"

// Both amd64 kernels run here whichever one addRows picks on this CPU.
func TestAddRowsKernelsAMD64(t *testing.T) {
	checkAddRows(t, addRowsFunc{"SSE", addRowsSSE})
	if !hasAVX {
		t.Skip("no AVX on this CPU: only the SSE kernel checked")
	}
	checkAddRows(t, addRowsFunc{"AVX", addRowsAVX})
}
