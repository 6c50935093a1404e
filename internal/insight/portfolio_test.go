package insight_test

import (
	"context"
	"strings"
	"testing"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/insight"
	"github.com/northstar-cx/northstar/internal/metrics"
)

// TestPresetsAreWellFormed checks the strategy mapping names registry
// metrics, each once per preset, with a term and a reason, and leads with
// at least three.
func TestPresetsAreWellFormed(t *testing.T) {
	ps := insight.Presets()
	if len(ps) != 4 {
		t.Fatalf("%d presets, want growth, profit protection, exit preparation and turnaround", len(ps))
	}
	for _, p := range ps {
		if len(p.Lead) < 3 || p.Emphasis == "" {
			t.Errorf("%s: %d lead metrics, emphasis %q", p.ID, len(p.Lead), p.Emphasis)
		}
		seen := map[string]bool{}
		for _, s := range append(append([]insight.Slot{}, p.Lead...), p.Support...) {
			if _, err := metrics.Lookup(s.Metric); err != nil {
				t.Errorf("%s: %v", p.ID, err)
			}
			if seen[s.Metric] {
				t.Errorf("%s lists %s twice", p.ID, s.Metric)
			}
			seen[s.Metric] = true
			if s.Term != metrics.Short && s.Term != metrics.Medium && s.Term != metrics.Long || s.Why == "" {
				t.Errorf("%s/%s: term %q, why %q", p.ID, s.Metric, s.Term, s.Why)
			}
		}
	}
	if _, err := insight.LookupPreset("moonshot"); err == nil || !strings.Contains(err.Error(), "growth") {
		t.Errorf("unknown focus: %v", err)
	}
}

func TestPortfolioOnTheDemoWorld(t *testing.T) {
	w := demoWorld(t)
	svc := insight.NewService(w.st.DB(), metrics.NewSQL(w.st))
	for _, p := range insight.Presets() {
		t.Run(p.ID, func(t *testing.T) {
			rep, err := svc.Portfolio(context.Background(), p.ID, insight.Period{}, cx.Scope{})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Items) != len(p.Lead)+len(p.Support) {
				t.Errorf("%d items", len(rep.Items))
			}
			for _, it := range rep.Items {
				if it.Current.Value == nil && !it.LowN {
					t.Errorf("%s has no value in the last 30 days of the demo", it.Metric)
				}
				if it.Trend != "better" && it.Trend != "worse" && it.Trend != "steady" {
					t.Errorf("%s: trend %q", it.Metric, it.Trend)
				}
			}
			if len(rep.Statements) < len(p.Lead) {
				t.Errorf("statements %q", rep.Statements)
			}
			t.Logf("%s (%s vs %s):\n  %s", rep.Label, rep.Period, rep.Previous, strings.Join(rep.Statements, "\n  "))
		})
	}
}
