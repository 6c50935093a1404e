package pgtest

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

const (
	// dirPrefix names cluster dirs so leftovers can be found.
	dirPrefix = "northstar-pgtest-"
	// ownerFile holds the pid of the test process that made the dir.
	ownerFile = "owner.pid"
)

// sweepStale removes cluster dirs under root left by test processes that died
// without cleaning up (killed, timed out). A dir is only removed when its
// owner is gone and no server runs in it; Pdeathsig stops the server itself.
// It returns how many dirs it removed.
func sweepStale(root string, alive func(pid int) bool) (int, error) {
	dirs, err := filepath.Glob(filepath.Join(root, dirPrefix+"*"))
	if err != nil {
		return 0, fmt.Errorf("listing %s: %w", root, err)
	}
	removed := 0
	var errs []error
	for _, dir := range dirs {
		owner, err := readPid(filepath.Join(dir, ownerFile))
		if err != nil || alive(owner) {
			// No owner file: a dir being created right now, or not ours.
			continue
		}
		if srv, err := readPid(filepath.Join(dir, "data", "postmaster.pid")); err == nil && alive(srv) {
			continue
		}
		if err := os.RemoveAll(dir); err != nil {
			errs = append(errs, fmt.Errorf("removing stale %s: %w", dir, err))
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}

// readPid reads the pid on the first line of a file, the format of both the
// owner file and PostgreSQL's postmaster.pid.
func readPid(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && line == "" {
		return 0, fmt.Errorf("reading %s: %w", path, err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || pid <= 0 {
		return 0, fmt.Errorf("%s: no pid on the first line", path)
	}
	return pid, nil
}

// processAlive reports whether a process exists; a zombie (exited, not yet
// reaped, common under container init processes that do not reap) counts as
// gone.
func processAlive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		// Without /proc, trust kill; keeping a dir is the safe mistake.
		return true
	}
	// The state follows the command name, which is in parentheses and may
	// itself contain spaces or parentheses.
	if i := strings.LastIndexByte(string(stat), ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z'
	}
	return true
}
