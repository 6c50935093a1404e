package intent

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// benchModel is the model of TestCLINC150, trained once per test binary:
// -count 5 over three Predict benchmarks would otherwise train it 15 times.
var benchModel struct {
	once  sync.Once
	m     *Model
	texts []string
	err   error
}

// clincModel trains the model of TestCLINC150 for the benchmarks.
func clincModel(b *testing.B) (*Model, []string) {
	b.Helper()
	train, test := loadCLINC(b, "train"), loadCLINC(b, "test")
	benchModel.once.Do(func() {
		benchModel.m, benchModel.err = Train(train, TrainOptions{})
		for _, e := range test {
			benchModel.texts = append(benchModel.texts, e.Text)
		}
	})
	if benchModel.err != nil {
		b.Fatal(benchModel.err)
	}
	return benchModel.m, benchModel.texts
}

// longTexts are customer messages of the length `northstar import` sees per
// contact (about 170 characters, several sentences), not CLINC150's short
// assistant commands: more words, more repeated words, more n-grams.
var longTexts = []string{
	"Hi, I ordered a box on Monday and it still has not arrived. The tracking says delivered but there is nothing here, not even a note at the door. Can you help me?",
	"Hello, my card was charged twice for the same order yesterday. I only placed it once, I am sure. Please refund the extra payment as soon as you can. Thank you!",
	"I have been trying to reset my password for an hour and the email never comes. I checked the spam folder too. What else can I do to get into my account? Thanks.",
	"Can you change the delivery address on my order 4471? I moved last week and the new flat is at 12 Green Street, Leeds. It has not shipped yet I think. Cheers, Sam",
}

// BenchmarkPredictLongText is Predict on a ~170-character, multi-sentence
// customer message: the per-contact cost of `northstar import`.
func BenchmarkPredictLongText(b *testing.B) {
	m, _ := clincModel(b)
	benchPredict(b, m, longTexts, "texts/s")
}

// benchPredict runs Predict over texts in turn and reports their rate.
func benchPredict(b *testing.B, m *Model, texts []string, unit string) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Predict(texts[i%len(texts)])
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
}

// BenchmarkPredictLongTextVaried is Predict on ~170-character texts made of
// CLINC150 test utterances run together: as long as BenchmarkPredictLongText
// but never the same text twice in a row, so the weight rows a text needs are
// not already in the CPU cache from the previous iteration, as in an import.
func BenchmarkPredictLongTextVaried(b *testing.B) {
	m, texts := clincModel(b)
	var long []string
	var sb strings.Builder
	for _, t := range texts {
		if sb.Len() > 0 {
			sb.WriteString(". ")
		}
		sb.WriteString(t)
		if sb.Len() >= 160 {
			long = append(long, sb.String())
			sb.Reset()
		}
	}
	benchPredict(b, m, long, "texts/s")
}

// BenchmarkPredict is the hot path: one utterance of CLINC150's test split
// (in-scope and out-of-scope, about 8 words) per op, one goroutine.
func BenchmarkPredict(b *testing.B) {
	m, texts := clincModel(b)
	benchPredict(b, m, texts, "utterances/s")
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
