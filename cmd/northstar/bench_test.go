package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchMetrics runs the metrics benchmark end to end on a small
// synthetic world: it loads, times every dashboard call on both sources and
// finds their results equal.
func TestBenchMetrics(t *testing.T) {
	db := "duckdb:" + filepath.Join(t.TempDir(), "bench.db")
	code, out, errs := northstar(t, "", "bench", "metrics", "--db", db, "--interactions", "6000", "--runs", "2", "--sql-runs", "1", "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	var rep struct {
		Interactions int     `json:"interactions"`
		BytesPerRow  float64 `json:"cache_bytes_per_interaction"`
		Calls        []struct {
			Name   string
			Rows   int
			Memory struct{ P50MS, P95MS float64 } `json:"memory"`
			SQL    *struct{ P95MS float64 }       `json:"sql"`
			Equal  *bool                          `json:"equal"`
		} `json:"calls"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	if rep.Interactions != 6000 || rep.BytesPerRow <= 0 {
		t.Errorf("interactions %d, bytes per row %v", rep.Interactions, rep.BytesPerRow)
	}
	if len(rep.Calls) != len(benchCalls()) {
		t.Fatalf("%d calls timed, want %d", len(rep.Calls), len(benchCalls()))
	}
	for _, c := range rep.Calls {
		if c.Equal == nil || !*c.Equal || c.SQL == nil {
			t.Errorf("%s: memory and SQL results differ (equal %v)", c.Name, c.Equal)
		}
		if c.Rows == 0 || c.Memory.P95MS < c.Memory.P50MS {
			t.Errorf("%s: rows %d, p50 %v, p95 %v", c.Name, c.Rows, c.Memory.P50MS, c.Memory.P95MS)
		}
	}
	// A second run uses the contacts already there.
	code, out, errs = northstar(t, "", "bench", "metrics", "--db", db, "--interactions", "6000", "--runs", "1", "--sql-runs", "0", "--queries", "portfolio,by-agent")
	if code != 0 || !strings.Contains(errs, "has 6000 contacts already") || !strings.Contains(out, "by-agent") || strings.Contains(out, "trend-by-day") {
		t.Fatalf("second run: exit %d\n%s\n%s", code, out, errs)
	}
}

func TestBenchMetricsRejectsUnknownCall(t *testing.T) {
	code, _, errs := northstar(t, "", "bench", "metrics", "--db", "duckdb:"+filepath.Join(t.TempDir(), "b.db"), "--queries", "portfolio,nope")
	if code != 2 || !strings.Contains(errs, `unknown call "nope"`) || !strings.Contains(errs, "by-agent") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}
