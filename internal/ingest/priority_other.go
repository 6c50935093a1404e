//go:build !linux

package ingest

// lowerThreadPriority does nothing where threads have no priority of their
// own that an unprivileged process can set portably.
func lowerThreadPriority() {}
