package sentiment

import (
	"testing"
)

// turns are typical customer turns of about fifteen words.
var benchTurns = []string{
	"I have been on hold for an hour and still nobody can tell me where my order is",
	"Thanks so much, the agent sorted it out really quickly and the refund is already through!",
	"Can you change the delivery address to 14 Mill Lane before it ships tomorrow morning please?",
	"This is the third time I've asked, the app keeps crashing when I try to pay 😡",
	"The driver was lovely but the parcel arrived damaged and the box was soaking wet",
}

func BenchmarkScore(b *testing.B) {
	m := Default()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Score(benchTurns[i%len(benchTurns)])
		i++
	}
}

func BenchmarkScoreParallel(b *testing.B) {
	m := Default()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			m.Score(benchTurns[i%len(benchTurns)])
			i++
		}
	})
}

func BenchmarkScoreTrained(b *testing.B) {
	m, err := Train(devExamples(b), TrainOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Score(benchTurns[i%len(benchTurns)])
		i++
	}
}

func BenchmarkTrain(b *testing.B) {
	ex := devExamples(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Train(ex, TrainOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
