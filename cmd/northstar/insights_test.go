package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/northstar-cx/northstar/internal/api"
	"github.com/northstar-cx/northstar/internal/insight"
)

// TestInsightsCommands runs the insight commands on a small demo world, in
// text and JSON, and checks their usage errors.
func TestInsightsCommands(t *testing.T) {
	dir := t.TempDir()
	if code, out, errs := northstar(t, "", "demo", "--no-serve", "--dir", dir, "--seed", "3", "--customers", "400", "--days", "60"); code != 0 {
		t.Fatalf("demo exit %d\n%s\n%s", code, out, errs)
	}
	db := "duckdb:" + filepath.Join(dir, "northstar.db")

	code, out, errs := northstar(t, "", "insights", "automation", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("insights automation --json: exit %d: %s", code, errs)
	}
	var av api.AutomationView
	if err := json.Unmarshal([]byte(out), &av); err != nil || len(av.Intents) == 0 {
		t.Fatalf("automation JSON: %v\n%.400s", err, out)
	}
	seen := map[string]bool{}
	for _, f := range av.Intents {
		seen[f.Recommendation] = true
	}
	for _, r := range []string{insight.AutomateMore, insight.FixBot} {
		if !seen[r] {
			t.Errorf("no intent recommended %s in a 400-customer world: %v", r, seen)
		}
	}

	var vr insight.ValueReport
	code, out, errs = northstar(t, "", "insights", "value", "--db", db, "--json")
	if code != 0 || json.Unmarshal([]byte(out), &vr) != nil || vr.Customers == 0 || len(vr.Statements) == 0 {
		t.Fatalf("insights value --json: exit %d: %s\n%.400s", code, errs, out)
	}

	for _, tc := range []struct {
		args []string
		says []string
	}{
		{[]string{"insights", "automation"}, []string{"Automation fit · ", "RECOMMENDATION", "Automate more (", "skip_week"}},
		{[]string{"insights", "value"}, []string{"Value linkage · experience in ", "What it means", "CHURN [95% CI]", "Cost of failure:", "--sql"}},
		{[]string{"insights", "value", "--sql"}, []string{"-- experience\nWITH k AS", "GROUPING SETS", "-- margin_by_segment"}},
		{[]string{"insights", "value", "--from", "2026-09-02", "--to", "2026-10-02"}, []string{"experience in 2 Sep 2026 – 1 Oct 2026"}},
		{[]string{"portfolio", "--focus", "growth"}, []string{"Portfolio · Growth · LTV and share of wallet matter most.", "★", "Realised LTV", "What matters"}},
		{[]string{"portfolio", "--focus", "exit_preparation"}, []string{"Preparing for exit", "Resolved containment"}},
	} {
		code, out, errs := northstar(t, "", append(tc.args, "--db", db)...)
		if code != 0 {
			t.Errorf("%s: exit %d: %s", strings.Join(tc.args, " "), code, errs)
			continue
		}
		for _, s := range tc.says {
			if !strings.Contains(out, s) {
				t.Errorf("%s: output lacks %q:\n%s", strings.Join(tc.args, " "), s, out)
			}
		}
	}

	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"portfolio"}, "--focus is required"},
		{[]string{"portfolio", "--focus", "moonshot"}, "unknown focus"},
		{[]string{"insights", "value", "--from", "2026-09-01"}, "both --from and --to"},
		{[]string{"insights", "automation", "--from", "soon", "--to", "2026-10-01"}, "--from: want a date"},
		{[]string{"insights"}, "name an insight"},
	} {
		code, _, errs := northstar(t, "", append(tc.args, "--db", db)...)
		if code != exitUsage || !strings.Contains(errs, tc.says) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", strings.Join(tc.args, " "), code, errs, exitUsage, tc.says)
		}
	}
}
