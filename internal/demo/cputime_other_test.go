//go:build !unix

package demo

func cpuSeconds() float64 { return 0 }
