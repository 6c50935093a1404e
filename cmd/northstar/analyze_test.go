package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/demo"
)

// A rule change (here: an intent model where there was none) re-analysed
// with --stage intent changes intents and their version, and nothing else.
func TestAnalyzeUpdatesOnlyTheNamedStage(t *testing.T) {
	dir := t.TempDir()
	if _, err := demo.Write(t.Context(), dir, demo.Config{Seed: 3, Customers: 120, Days: 20}, nil); err != nil {
		t.Fatal(err)
	}
	db := "duckdb:" + filepath.Join(dir, "n.db")
	model := filepath.Join(dir, "intents.model")
	if err := trainDemoIntents(filepath.Join(dir, demo.IntentsTrainFile), model); err != nil {
		t.Fatal(err)
	}
	args := []string{"import", "--db", db}
	for _, f := range demo.WorldFiles() {
		args = append(args, filepath.Join(dir, f))
	}
	if code, _, errs := northstar(t, "", args...); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	const probe = "intercom/I1"
	before := interactionJSON(t, db, probe)
	if code, out, errs := northstar(t, "", "analyze", "--db", db, "--all", "--stage", "intent", "--intent-model", model); code != 0 {
		t.Fatalf("analyze: %s %s", out, errs)
	}
	after := interactionJSON(t, db, probe)
	ba, aa := before.Analysis, after.Analysis
	if ba.Versions["intent"] != "" || aa.Versions["intent"] == "" || aa.IntentSource != "model" || aa.Intent == "" {
		t.Fatalf("intent before %q (%s), after %q (%s, version %q)", ba.Intent, ba.Versions["intent"], aa.Intent, aa.IntentSource, aa.Versions["intent"])
	}
	if *ba.Sentiment != *aa.Sentiment || ba.Resolved != aa.Resolved || len(ba.Flags) != len(aa.Flags) || ba.Versions["sentiment"] != aa.Versions["sentiment"] {
		t.Errorf("other stages changed: before %+v after %+v", ba, aa)
	}
	for i := range before.Turns {
		if before.Turns[i].Text != after.Turns[i].Text {
			t.Errorf("turn %d text changed", i)
		}
	}
}

func interactionJSON(t *testing.T, db, ref string) *cx.Interaction {
	t.Helper()
	code, out, errs := northstar(t, "", "interaction", "--json", "--db", db, ref)
	if code != 0 {
		t.Fatalf("interaction %s: %s", ref, errs)
	}
	in := &cx.Interaction{}
	if err := json.Unmarshal([]byte(out), in); err != nil {
		t.Fatal(err)
	}
	return in
}
