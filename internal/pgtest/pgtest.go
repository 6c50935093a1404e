package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"
)

const (
	// startTimeout bounds initdb plus the server start, retries included.
	startTimeout = 2 * time.Minute
	// adminTimeout bounds one CREATE or DROP DATABASE; parallel tests on a
	// busy 2-core machine can queue behind each other.
	adminTimeout = time.Minute
)

// registry is the one cluster of a test process. It is package state because
// the API requires it: New gets only a testing.TB, and Main is the one hook
// that runs after every test to stop the server.
type registry struct {
	mu      sync.Mutex
	inMain  bool     // Main is running, so someone will stop the cluster
	started bool     // a start was attempted; err says how it went
	c       *cluster // nil until started, or when the start failed
	err     error
	next    int // numbers the test databases
}

var shared registry

// Main runs the tests of a package that uses New and stops the cluster, if
// one was started, when they are done. Use it as
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }
func Main(m *testing.M) int {
	shared.mu.Lock()
	shared.inMain = true
	shared.mu.Unlock()

	code := m.Run()

	if err := shared.close(); err != nil {
		fmt.Fprintf(os.Stderr, "pgtest: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// New returns the DSN (postgres://...) of a fresh, empty database cloned from
// the cluster's template for this test; it is dropped at tb's cleanup. The
// first call starts the cluster. When PostgreSQL cannot be started, New fails
// the test if the environment has CI=true and skips it otherwise.
func New(tb testing.TB) string {
	tb.Helper()
	c, name, err := shared.reserve()
	if err != nil {
		unavailable(tb, os.Getenv("CI") == "true", err)
		return ""
	}
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	dsn, err := c.createDB(ctx, name)
	if err != nil {
		tb.Fatalf("pgtest: creating the test database: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
		defer cancel()
		if err := c.dropDB(ctx, name); err != nil {
			tb.Errorf("pgtest: dropping the test database: %v", err)
		}
	})
	return dsn
}

// errNoMain is a programming error, so it fails the test even outside CI.
var errNoMain = errors.New("pgtest.New needs the package's TestMain to call pgtest.Main, which stops the server: func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }")

// reserve starts the cluster on first use and names a new database.
func (r *registry) reserve() (*cluster, string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.inMain {
		return nil, "", errNoMain
	}
	if !r.started {
		r.started = true
		ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
		defer cancel()
		r.c, r.err = startCluster(ctx, os.TempDir())
		if r.err != nil {
			r.err = fmt.Errorf("starting a throwaway PostgreSQL cluster: %w", r.err)
		}
	}
	if r.err != nil {
		return nil, "", r.err
	}
	r.next++
	return r.c, "t" + strconv.Itoa(r.next), nil
}

// close stops the cluster, if one runs.
func (r *registry) close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.inMain = false
	if r.c == nil {
		return nil
	}
	err := r.c.stop()
	r.c, r.started, r.err = nil, false, nil
	return err
}

// unavailable ends a test that cannot get a server: CI must run every
// PostgreSQL test, a developer without PostgreSQL may skip them.
func unavailable(tb testing.TB, ci bool, err error) {
	tb.Helper()
	if errors.Is(err, errNoMain) || ci {
		tb.Fatalf("pgtest: %v", err)
		return
	}
	tb.Skipf("pgtest: skipping, no PostgreSQL server: %v (install Debian's postgresql-15, or set NORTHSTAR_PG_BIN to a dir holding initdb and postgres)", err)
}
