package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
)

// TestQARubricAgainstAnOpenAICompatibleEndpoint runs `qa rubric` against a
// fake endpoint on loopback that finds every criterion met: the verdicts
// are stored as reviews by llm:MODEL, a second run asks nothing again, and
// `qa agreement --reviewer` compares them with the automatic scorecard.
func TestQARubricAgainstAnOpenAICompatibleEndpoint(t *testing.T) {
	var requests atomic.Int64
	crit := regexp.MustCompile(`(?m)^- ([a-z0-9_]+):`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		var req struct {
			Messages []struct{ Content string }
		}
		if r.Header.Get("Authorization") != "Bearer sk-test" || json.NewDecoder(r.Body).Decode(&req) != nil || len(req.Messages) != 2 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		verdicts := map[string]any{}
		for _, m := range crit.FindAllStringSubmatch(req.Messages[0].Content, -1) {
			verdicts[m[1]] = map[string]any{"met": true}
		}
		content, _ := json.Marshal(map[string]any{"criteria": verdicts})
		json.NewEncoder(w).Encode(map[string]any{"choices": []any{map[string]any{"message": map[string]string{"role": "assistant", "content": string(content)}}}})
	}))
	defer srv.Close()

	dir := t.TempDir()
	if code, _, errs := northstar(t, "", "demo", "--no-serve", "--dir", dir, "--seed", "3", "--customers", "30", "--days", "14"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	db := "duckdb:" + filepath.Join(dir, "northstar.db")
	// The key comes from the configuration file, as it would in production.
	conf := filepath.Join(dir, "northstar.yaml")
	if err := os.WriteFile(conf, []byte("llm-api-key: sk-test\nllm-concurrency: 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"qa", "rubric", "--json", "--config", conf, "--db", db, "--scorecard", filepath.Join(dir, "scorecard.yaml"),
		"--llm-url", srv.URL + "/v1", "--llm-model", "fake", "--limit", "25"}

	var first, second rubricReport
	code, out, errs := northstar(t, "", args...)
	if code != 0 || json.Unmarshal([]byte(out), &first) != nil {
		t.Fatalf("qa rubric: exit %d\n%s\n%s", code, out, errs)
	}
	if first.Selected != 25 || first.Judged != 25 || first.Failed != 0 || first.Reviewer != "llm:fake" || requests.Load() != 25 {
		t.Fatalf("first run %+v after %d requests", first, requests.Load())
	}
	if first.Agreement == nil || first.Agreement.Matched != 25 || len(first.Agreement.Criteria) == 0 {
		t.Fatalf("agreement %+v", first.Agreement)
	}
	code, out, errs = northstar(t, "", args...)
	if code != 0 || json.Unmarshal([]byte(out), &second) != nil {
		t.Fatalf("second qa rubric: exit %d\n%s", code, errs)
	}
	if second.Reused != 25 || second.Judged != 0 || requests.Load() != 25 {
		t.Fatalf("second run %+v after %d requests: cached verdicts were asked for again", second, requests.Load())
	}
	code, out, _ = northstar(t, "", "qa", "agreement", "--db", db, "--reviewer", "llm:fake")
	if code != 0 || !strings.Contains(out, "25 reviews, 25 of them") {
		t.Fatalf("qa agreement --reviewer: exit %d\n%s", code, out)
	}
	code, out, _ = northstar(t, "", "qa", "agreement", "--db", db)
	if code != 0 || !strings.Contains(out, "0 reviews") {
		t.Fatalf("qa agreement without --reviewer must leave the model's verdicts out: exit %d\n%s", code, out)
	}
}

func TestQARubricIsOffByDefault(t *testing.T) {
	db := "duckdb:" + filepath.Join(t.TempDir(), "x.db")
	code, _, errs := northstar(t, "", "qa", "rubric", "--db", db)
	if code != exitUsage || !strings.Contains(errs, "rubric scoring is off: set llm-url") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	code, _, errs = northstar(t, "", "qa", "rubric", "--db", db, "--llm-url", "localhost:1", "--llm-model", "m", "--scorecard", "../../internal/analysis/qa/testdata/full.yaml")
	if code != exitUsage || !strings.Contains(errs, "want an http(s) base URL") {
		t.Fatalf("exit %d: %s", code, fmt.Sprint(errs))
	}
}
