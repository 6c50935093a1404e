package intent

import (
	"bytes"
	"testing"
)

// clincModel trains the model of TestCLINC150 for the benchmarks.
func clincModel(b *testing.B) (*Model, []string) {
	b.Helper()
	m, err := Train(loadCLINC(b, "train"), TrainOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	for _, e := range loadCLINC(b, "test") {
		texts = append(texts, e.Text)
	}
	return m, texts
}

// BenchmarkPredict is the hot path: one utterance of CLINC150's test split
// (in-scope and out-of-scope, about 8 words) per op, one goroutine.
func BenchmarkPredict(b *testing.B) {
	m, texts := clincModel(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Predict(texts[i%len(texts)])
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "utterances/s")
}

// BenchmarkPredictParallel shows the pooled scratch buffers scale across
// goroutines.
func BenchmarkPredictParallel(b *testing.B) {
	m, texts := clincModel(b)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			m.Predict(texts[i%len(texts)])
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "utterances/s")
}

// BenchmarkTrainCLINC150 trains on CLINC150's 15,000 in-scope training
// utterances (150 intents) with one worker, calibration included: the
// "trains in under 60 s on one core" bar. Run with -benchtime=1x.
func BenchmarkTrainCLINC150(b *testing.B) {
	ex := loadCLINC(b, "train")
	for b.Loop() {
		if _, err := Train(ex, TrainOptions{Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/train")
}

// BenchmarkLoad reads a saved CLINC150 model, as a server does at start.
func BenchmarkLoad(b *testing.B) {
	m, _ := clincModel(b)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := Load(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}
