package pgtest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// debianBinDir is where Debian's postgresql-15 package puts the server binaries,
// which are not on PATH there.
const debianBinDir = "/usr/lib/postgresql/15/bin"

// locator holds the system lookups binDir uses, so tests can fake them.
type locator struct {
	getenv   func(string) string
	debian   string
	pgConfig func() (string, error) // what `pg_config --bindir` prints
	lookPath func(string) (string, error)
}

func systemLocator() locator {
	return locator{
		getenv: os.Getenv,
		debian: debianBinDir,
		pgConfig: func() (string, error) {
			out, err := exec.Command("pg_config", "--bindir").Output()
			if err != nil {
				return "", fmt.Errorf("pg_config --bindir: %w", err)
			}
			return strings.TrimSpace(string(out)), nil
		},
		lookPath: exec.LookPath,
	}
}

// binDir returns the directory holding initdb and postgres, trying in order
// NORTHSTAR_PG_BIN, the Debian directory, pg_config and PATH.
func (l locator) binDir() (string, error) {
	if dir := l.getenv("NORTHSTAR_PG_BIN"); dir != "" {
		// An explicit setting that is wrong must be reported, not silently
		// replaced by another installation.
		if err := hasServerBinaries(dir); err != nil {
			return "", fmt.Errorf("NORTHSTAR_PG_BIN=%s: %w", dir, err)
		}
		return dir, nil
	}
	if hasServerBinaries(l.debian) == nil {
		return l.debian, nil
	}
	if dir, err := l.pgConfig(); err == nil && hasServerBinaries(dir) == nil {
		return dir, nil
	}
	if path, err := l.lookPath("initdb"); err == nil {
		dir := filepath.Dir(path)
		if hasServerBinaries(dir) == nil {
			return dir, nil
		}
	}
	return "", fmt.Errorf("no PostgreSQL server binaries (initdb, postgres) in NORTHSTAR_PG_BIN, %s, `pg_config --bindir` or PATH", l.debian)
}

// hasServerBinaries reports whether dir holds executable initdb and postgres.
func hasServerBinaries(dir string) error {
	for _, name := range []string{"initdb", "postgres"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			return fmt.Errorf("looking for %s: %w", name, err)
		}
		if fi.IsDir() || fi.Mode().Perm()&0o111 == 0 {
			return fmt.Errorf("%s is not an executable file", filepath.Join(dir, name))
		}
	}
	return nil
}

// serverCredential returns the unprivileged user to run initdb and postgres
// as, or nil to run them as the current user. PostgreSQL refuses to run as
// root, and CI runs as root.
func serverCredential(euid int, lookup func(string) (*user.User, error)) (*syscall.Credential, error) {
	if euid != 0 {
		return nil, nil
	}
	var errs []error
	for _, name := range []string{"postgres", "nobody"} {
		u, err := lookup(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		uid, err := strconv.ParseUint(u.Uid, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("user %s: uid %q: %w", name, u.Uid, err)
		}
		gid, err := strconv.ParseUint(u.Gid, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("user %s: gid %q: %w", name, u.Gid, err)
		}
		// An empty Groups list drops root's supplementary groups.
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), Groups: []uint32{}}, nil
	}
	return nil, fmt.Errorf("running as root and no unprivileged user to run PostgreSQL as: %w", errors.Join(errs...))
}
