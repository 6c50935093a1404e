package sentiment

import (
	"github.com/northstar-cx/northstar/internal/shareddata"
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
	path := filepath.Join(shareddata.Dir(tb), "airline-sentiment", "dev.csv")
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
