package qa_test

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/northstar-cx/northstar/internal/analysis/cues"
	"github.com/northstar-cx/northstar/internal/analysis/qa"
	"github.com/northstar-cx/northstar/internal/analysis/sentiment"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/demo"
)

// demoContact is one interaction of a demo world with what the earlier
// stages would conclude about it, and its truth row.
type demoContact struct {
	key   string
	in    qa.Input
	truth map[string]string
}

// demoWorld generates a small demo world and reads it back, running the
// sentiment and cue stages the pipeline runs before QA.
func demoWorld(tb testing.TB) []demoContact {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := demo.Write(context.Background(), dir, demo.Config{Seed: 7, Customers: 300, Days: 30}, nil); err != nil {
		tb.Fatalf("demo.Write: %v", err)
	}
	truth := readTruth(tb, filepath.Join(dir, "truth-contacts.csv"))
	f, err := os.Open(filepath.Join(dir, "world", "interactions.ndjson"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	model := sentiment.Default()
	var out []demoContact
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
	for sc.Scan() {
		var rec struct {
			ID, Source, Channel, Handler string
			Escalated, Abandoned         bool
			Resolved                     *bool
			Transfers                    int
			Turns                        []struct{ Speaker, Text string }
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			tb.Fatalf("interactions.ndjson: %v", err)
		}
		t, ok := truth[rec.ID]
		if !ok {
			tb.Fatalf("interaction %s has no truth row", rec.ID)
		}
		in := qa.Input{Channel: rec.Channel, Handler: rec.Handler, Intent: t["intent"], Escalated: rec.Escalated,
			Abandoned: rec.Abandoned, Transfers: rec.Transfers, Resolved: t["resolved"] == "1"}
		var scores []float64
		var ct []cues.Turn
		for _, tr := range rec.Turns {
			turn := qa.Turn{Speaker: tr.Speaker, Text: tr.Text}
			if tr.Speaker == "customer" {
				s := model.Score(tr.Text)
				turn.Sentiment = &s
				scores = append(scores, s)
			}
			in.Turns = append(in.Turns, turn)
			ct = append(ct, cues.Turn{Speaker: tr.Speaker, Text: tr.Text})
		}
		if len(scores) > 0 {
			m := sentiment.Summarize(scores).Mean
			in.Sentiment = &m
		}
		for _, fl := range cues.Detect(ct) {
			in.Flags = append(in.Flags, string(fl.Kind))
		}
		out = append(out, demoContact{key: cx.Key{Source: rec.Source, ID: rec.ID}.String(), in: in, truth: t})
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	if len(out) < 300 {
		tb.Fatalf("demo world has %d interactions, want hundreds", len(out))
	}
	return out
}

func readTruth(tb testing.TB, path string) map[string]map[string]string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]map[string]string{}
	for {
		row, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			tb.Fatal(err)
		}
		m := make(map[string]string, len(head))
		for i, h := range head {
			m[h] = row[i]
		}
		out[m["id"]] = m
	}
}

// truthReview turns a truth row into the review a perfect human reviewer
// would give: the demo world records what each agent and the bot did.
func truthReview(c demoContact) qa.Review {
	t := c.truth
	source, id, _ := strings.Cut(c.key, "/")
	rv := qa.Review{Source: source, ID: id, Reviewer: "demo-truth", Criteria: map[string]bool{}}
	set := func(criterion, col string, want string) {
		if v := t[col]; v != "" {
			rv.Criteria[criterion] = v == want
		}
	}
	set("greeting", "greeting", "1")
	set("recording_notice", "recording_notice", "1")
	set("verification", "verification", "1")
	set("prohibited_language", "prohibited_phrase", "0")
	set("closing", "closing", "1")
	set("further_help", "closing", "1")
	if t["empathy_needed"] == "1" {
		set("empathy", "empathy_shown", "1")
	}
	if t["handler"] == "bot" {
		// Hearthbot always discloses; vulnerable customers should reach a person.
		rv.Criteria["bot_disclosure"] = true
		if t["vulnerability"] != "" {
			rv.Criteria["vulnerable_handoff"] = t["escalated"] == "1"
		}
	}
	return rv
}

// TestDemoScorecardAgreesWithTruth scores a generated demo world with the
// demo scorecard and compares every criterion with the behaviour the world
// planted, as if the truth were a human reviewer.
func TestDemoScorecardAgreesWithTruth(t *testing.T) {
	card, err := qa.Parse("scorecard.yaml", demo.Scorecard())
	if err != nil {
		t.Fatal(err)
	}
	contacts := demoWorld(t)
	auto := make(map[string]cx.QAResult, len(contacts))
	var reviews []qa.Review
	empathyApplies := map[[2]bool]int{} // [truth needed, scorecard applies]
	autoFails := 0
	applied, passed := map[string]int{}, map[string]int{}
	partnerSum, partnerN := map[string]float64{}, map[string]int{}
	for _, c := range contacts {
		r := card.Score(c.in)
		auto[c.key] = r
		for _, cr := range r.Criteria {
			if cr.Applies {
				applied[cr.ID]++
				if cr.Passed {
					passed[cr.ID]++
				}
			}
		}
		if p := c.truth["partner"]; p != "" && qa.Applicable(r) {
			partnerSum[p] += r.Score
			partnerN[p]++
		}
		reviews = append(reviews, truthReview(c))
		if r.AutoFail {
			autoFails++
			if r.Score != 0 {
				t.Errorf("%s: auto-fail with score %v", c.key, r.Score)
			}
		}
		if c.truth["empathy_needed"] != "" {
			empathyApplies[[2]bool{c.truth["empathy_needed"] == "1", criterion(r, "empathy").Applies}]++
		}
	}
	rep := qa.Agreement(auto, reviews)
	if rep.Matched != len(contacts) {
		t.Fatalf("matched %d reviews of %d", rep.Matched, len(contacts))
	}
	// Floors sit a few points under what this world measures (see
	// results-qa.md); the gaps are explained there.
	minPercent := map[string]float64{
		"greeting": 95, "recording_notice": 97, "verification": 95, "prohibited_language": 99,
		"closing": 95, "further_help": 95, "empathy": 88, "bot_disclosure": 100, "vulnerable_handoff": 100,
	}
	var tbl strings.Builder
	fmt.Fprintf(&tbl, "\n%-20s %5s %7s %6s %5s %5s %5s %5s %6s\n", "criterion", "n", "agree%", "kappa", "TT", "AT", "HT", "FF", "n/a")
	for _, a := range rep.Criteria {
		k := "  -"
		if a.Kappa != nil {
			k = fmt.Sprintf("%.3f", *a.Kappa)
		}
		fmt.Fprintf(&tbl, "%-20s %5d %7.1f %6s %5d %5d %5d %5d %6d\n", a.ID, a.N, a.Percent, k, a.BothPass, a.AutoOnly, a.HumanOnly, a.BothFail, a.NotApplicable)
		if want, ok := minPercent[a.ID]; ok && (a.N == 0 || a.Percent < want) {
			t.Errorf("%s: agreement %.1f%% over %d, want ≥ %.0f%%", a.ID, a.Percent, a.N, want)
		}
		delete(minPercent, a.ID)
	}
	for id := range minPercent {
		t.Errorf("%s: no verdicts compared", id)
	}
	fmt.Fprintf(&tbl, "empathy applicability (truth needed, scorecard applies): TT %d TF %d FT %d FF %d\n",
		empathyApplies[[2]bool{true, true}], empathyApplies[[2]bool{true, false}],
		empathyApplies[[2]bool{false, true}], empathyApplies[[2]bool{false, false}])
	fmt.Fprintf(&tbl, "contacts %d, auto-failed %d\npass rates:", len(contacts), autoFails)
	for _, c := range card.Criteria() {
		fmt.Fprintf(&tbl, " %s %d/%d", c.ID, passed[c.ID], applied[c.ID])
	}
	tbl.WriteString("\nmean score of human-handled contacts by partner:")
	for _, p := range []string{"in-house", "Northwind BPO", "Coastline Contact"} {
		if partnerN[p] > 0 {
			fmt.Fprintf(&tbl, " %s %.3f (n %d)", p, partnerSum[p]/float64(partnerN[p]), partnerN[p])
		}
	}
	t.Log(tbl.String())
	if autoFails == 0 {
		t.Error("no contact auto-failed: the world plants prohibited phrases")
	}
}

func criterion(r cx.QAResult, id string) cx.QACriterion {
	for _, c := range r.Criteria {
		if c.ID == id {
			return c
		}
	}
	return cx.QACriterion{}
}
