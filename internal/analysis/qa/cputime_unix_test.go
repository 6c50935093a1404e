//go:build unix

package qa_test

import "syscall"

// cpuSeconds is the process's user+system CPU time: on a shared machine it
// measures scoring's own cost where wall time also measures the neighbours.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
