package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestQAAgreementWithImportedReviews(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := northstar(t, "", "demo", "--no-serve", "--dir", dir, "--seed", "5", "--customers", "80", "--days", "20"); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	db := "duckdb:" + filepath.Join(dir, "northstar.db")
	// Two reviews of one interaction's greeting: one agrees with the automatic verdict, one does not.
	var ref string
	var greeting bool
	for i := 1; i < 50 && ref == ""; i++ {
		for _, src := range []string{"talkdesk", "zendesk", "intercom"} {
			code, out, _ := northstar(t, "", "interaction", "--json", "--db", db, fmt.Sprintf("%s/I%d", src, i))
			if code != 0 {
				continue
			}
			var in struct {
				Analysis struct {
					QA struct {
						Criteria []struct {
							ID              string
							Applies, Passed bool
						}
					}
				}
			}
			json.Unmarshal([]byte(out), &in)
			for _, c := range in.Analysis.QA.Criteria {
				if c.ID == "greeting" && c.Applies {
					ref, greeting = fmt.Sprintf("%s/I%d", src, i), c.Passed
				}
			}
			if ref != "" {
				break
			}
		}
	}
	if ref == "" {
		t.Fatal("no interaction with an applicable greeting criterion")
	}
	src, id, _ := strings.Cut(ref, "/")
	reviews := fmt.Sprintf(`{"type":"qa_review","id":"R1","interaction":{"source":%q,"id":%q},"reviewer":"qa-lead","at":"2026-11-01T09:00:00Z","criteria":{"greeting":%v},"score":0.9}
{"type":"qa_review","id":"R2","interaction":{"source":%q,"id":%q},"reviewer":"coach","at":"2026-11-01T10:00:00Z","criteria":{"greeting":%v}}
{"type":"qa_review","id":"R3","interaction":{"source":"nowhere","id":"X"},"at":"2026-11-01T10:00:00Z","criteria":{"greeting":true}}
`, src, id, greeting, src, id, !greeting)
	file := filepath.Join(dir, "reviews.ndjson")
	os.WriteFile(file, []byte(reviews), 0o644)
	code, _, errs := northstar(t, "", "import", "--db", db, file)
	if code != exitRejected || !strings.Contains(errs, "reviews.ndjson:3: interaction: unknown interaction nowhere/X") {
		t.Fatalf("import reviews: exit %d\n%s", code, errs)
	}
	code, out, errs := northstar(t, "", "qa", "agreement", "--json", "--db", db)
	if code != 0 {
		t.Fatalf("qa agreement: %s", errs)
	}
	var rep struct {
		Reviews, Matched int
		Criteria         []struct {
			ID       string
			N, Agree int
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Reviews != 2 || rep.Matched != 2 || len(rep.Criteria) != 1 || rep.Criteria[0].ID != "greeting" || rep.Criteria[0].N != 2 || rep.Criteria[0].Agree != 1 {
		t.Errorf("agreement = %+v", rep)
	}
	if code, out, _ := northstar(t, "", "qa", "agreement", "--db", db); code != 0 || !strings.Contains(out, "greeting") {
		t.Errorf("text output:\n%s", out)
	}
}
