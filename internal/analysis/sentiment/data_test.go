package sentiment

import (
	"os"
	"path/filepath"
	"testing"
)

// devExamples reads the public airline customer-service tweets from
// ../shared/data beside the repository root. The data is never copied into
// the repository; without it the test fails under CI=true and skips
// otherwise.
func devExamples(tb testing.TB) []Example {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the package directory")
		}
		dir = parent
	}
	path := filepath.Join(dir, "..", "shared", "data", "airline-sentiment", "dev.csv")
	f, err := os.Open(path)
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("evaluation data missing under CI: %v", err)
		}
		tb.Skipf("evaluation data not available: %v", err)
	}
	defer f.Close()
	ex, err := ReadExamples(f, path)
	if err != nil {
		tb.Fatal(err)
	}
	return ex
}
