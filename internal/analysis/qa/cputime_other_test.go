//go:build !unix

package qa_test

func cpuSeconds() float64 { return 0 }
