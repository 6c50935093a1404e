// Package shareddata is for tests: it finds the repository root and the public labelled data sets that tests and
// benchmarks evaluate on (../shared/data beside the repository root: CLINC150,
// airline-sentiment tweets). The data is never copied into the repository.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the shared data directory. When it is missing the test fails
// under CI=true (CI has the data beside its checkout) and is skipped
// elsewhere with the reason.
func Dir(tb testing.TB) string {
	tb.Helper()
	data := filepath.Join(RepoRoot(tb), "..", "shared", "data")
	if _, err := os.Stat(data); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("public data missing: %v", err)
		}
		tb.Skipf("public data missing (%v); put the shared data beside the repository to run this", err)
	}
	return data
}

// RepoRoot walks up from the test's directory to the one holding go.mod.
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}
