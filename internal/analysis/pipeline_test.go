package analysis

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/demo"
)

// demoInteractions generates a small demo world and returns its interactions.
func demoInteractions(tb testing.TB, customers int) (dir string, ins []*cx.Interaction) {
	tb.Helper()
	dir = tb.TempDir()
	if _, err := demo.Write(tb.Context(), dir, demo.Config{Seed: 11, Customers: customers, Days: 30}, nil); err != nil {
		tb.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, demo.WorldDir, demo.InteractionsFile))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		// The import format's money is in major units; take what analysis reads.
		var w struct {
			ID, Intent  string
			Channel     cx.Channel
			Handler     cx.Handler
			Resolved    *bool
			Escalated   bool
			Transfers   int
			WaitSeconds int       `json:"wait_seconds"`
			StartedAt   time.Time `json:"started_at"`
			Turns       []cx.Turn
		}
		if err := json.Unmarshal(sc.Bytes(), &w); err != nil {
			tb.Fatal(err)
		}
		ins = append(ins, &cx.Interaction{ID: w.ID, Intent: w.Intent, Channel: w.Channel, Handler: w.Handler, Resolved: w.Resolved,
			Escalated: w.Escalated, Transfers: w.Transfers, WaitSeconds: w.WaitSeconds, StartedAt: w.StartedAt, Turns: w.Turns})
	}
	return dir, ins
}

func demoPipeline(tb testing.TB, dir string) *Pipeline {
	tb.Helper()
	card := filepath.Join(dir, "scorecard.yaml")
	if err := os.WriteFile(card, demo.Scorecard(), 0o644); err != nil {
		tb.Fatal(err)
	}
	p, err := New(Options{Redact: true, Region: "GB", Scorecard: card})
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestPipelineAnalysesEveryStage(t *testing.T) {
	dir, ins := demoInteractions(t, 60)
	p := demoPipeline(t, dir)
	var flagged, redacted, qa int
	for _, in := range ins {
		p.Analyze(in)
		a := in.Analysis
		if a == nil || a.Versions["redact"] != "redact/1" || a.Versions["qa"] == "" {
			t.Fatalf("analysis %+v", a)
		}
		if len(a.Flags) > 0 {
			flagged++
		}
		vulnerable := false
		for _, f := range a.Flags {
			vulnerable = vulnerable || f.Kind == "bereavement" || f.Kind == "illness" || f.Kind == "financial_hardship" || f.Kind == "accessibility"
		}
		if a.Vulnerable != vulnerable {
			t.Errorf("%s: Vulnerable = %v with flags %v", in.ID, a.Vulnerable, a.Flags)
		}
		if len(a.Redactions) > 0 {
			redacted++
		}
		if a.QA != nil && len(a.QA.Criteria) > 0 {
			qa++
		}
		if in.Resolved == nil && a.ResolvedSource != "inferred" {
			t.Errorf("%s: resolution not inferred", in.ID)
		}
	}
	if flagged == 0 || redacted == 0 || qa != len(ins) {
		t.Errorf("of %d interactions: %d flagged, %d redacted, %d QA-scored", len(ins), flagged, redacted, qa)
	}
}

// BenchmarkPipeline is the pure analysis cost per interaction (~10 turns),
// all stages, on the demo's text; run with -cpu 1,2.
func BenchmarkPipeline(b *testing.B) {
	dir, ins := demoInteractions(b, 400)
	p := demoPipeline(b, dir)
	// Keep the originals: Analyze redacts in place.
	orig := make([][]cx.Turn, len(ins))
	for i, in := range ins {
		orig[i] = append([]cx.Turn(nil), in.Turns...)
	}
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			k := i % len(ins)
			in := *ins[k]
			in.Turns = append([]cx.Turn(nil), orig[k]...)
			p.Analyze(&in)
			i++
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "interactions/s")
}
