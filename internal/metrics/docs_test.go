package metrics_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/northstar-cx/northstar/internal/metrics"
)

var update = flag.Bool("update", false, "rewrite docs/metrics.md from the registry")

// TestDocs keeps docs/metrics.md equal to what the registry generates.
func TestDocs(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "metrics.md")
	got := metrics.Docs()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (generate it: go test ./internal/metrics -run TestDocs -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("docs/metrics.md differs from the registry: go test ./internal/metrics -run TestDocs -update")
	}
}

// TestRegistryIsWellFormed checks what sources rely on: unique ids, every
// field filled, only known kinds.
func TestRegistryIsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range metrics.Registry() {
		if seen[m.ID] {
			t.Errorf("%s defined twice", m.ID)
		}
		seen[m.ID] = true
		if m.Label == "" || m.Description == "" || m.Formula == "" || m.Unit == "" || m.Term == "" || len(m.Dims) == 0 {
			t.Errorf("%s: incomplete definition %+v", m.ID, m)
		}
		if metrics.KindName(m.Kind) == "" || m.Kind == metrics.Customer {
			t.Errorf("%s: kind %d", m.ID, m.Kind)
		}
	}
	for _, id := range []string{"csat", "csat_mean", "nps", "ces", "ces_easy", "repeat_rate", "fcr", "containment",
		"resolved_containment", "escalation_rate", "abandonment_rate", "asa", "aht", "cost_per_contact", "cost_per_resolution",
		"cost_to_serve", "service_success", "retention", "churn", "ltv", "margin", "sentiment", "sentiment_change", "qa_score",
		"effort", "contacts"} {
		if !seen[id] {
			t.Errorf("registry lacks %s", id)
		}
	}
}
