package ingest

import "syscall"

// lowerThreadPriority makes the calling OS thread 10 nice levels nicer than
// the process: the scheduler then prefers the writer's thread while both want
// a core. An unprivileged process may always lower a priority; a failure only
// loses the preference.
func lowerThreadPriority() {
	tid := syscall.Gettid()
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid) // the raw call answers 20 − nice
	if err != nil {
		return
	}
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, min(20-p+10, 19))
}
