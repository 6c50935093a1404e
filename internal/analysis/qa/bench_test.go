package qa_test

import (
	"testing"

	"github.com/northstar-cx/northstar/internal/analysis/qa"
	"github.com/northstar-cx/northstar/internal/demo"
)

// BenchmarkScore scores demo-world interactions (about 10 turns each) with
// the 11-criterion demo scorecard; ns/op is per interaction.
func BenchmarkScore(b *testing.B) {
	card, err := qa.Parse("scorecard.yaml", demo.Scorecard())
	if err != nil {
		b.Fatal(err)
	}
	contacts := demoWorld(b)
	turns, bytes := 0, 0
	for _, c := range contacts {
		turns += len(c.in.Turns)
		for _, t := range c.in.Turns {
			bytes += len(t.Text)
		}
	}
	b.SetBytes(int64(bytes / len(contacts)))
	b.ReportAllocs()
	i := 0
	cpu0 := cpuSeconds()
	for b.Loop() {
		r := card.Score(contacts[i%len(contacts)].in)
		if len(r.Criteria) == 0 {
			b.Fatal("no criteria")
		}
		i++
	}
	// Reported after the loop: b.Loop's first call drops earlier metrics.
	b.ReportMetric(float64(turns)/float64(len(contacts)), "turns/interaction")
	if cpu := cpuSeconds() - cpu0; cpu > 0 && i > 0 {
		b.ReportMetric(cpu*1e9/float64(i), "cpu-ns/op")
	}
}

// BenchmarkParse compiles the demo scorecard, CEL conditions included.
func BenchmarkParse(b *testing.B) {
	src := demo.Scorecard()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := qa.Parse("scorecard.yaml", src); err != nil {
			b.Fatal(err)
		}
	}
}
