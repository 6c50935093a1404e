package redact

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkRedact measures a realistic ~1 KB interaction of about ten turns,
// without identifiers (the common case, which must not allocate), with five
// (email, postcode, phone, card, date of birth) and with one of every kind.
func BenchmarkRedact(b *testing.B) {
	r := New(Options{Now: fixedNow})
	for _, name := range []string{"clean", "pii", "busy"} {
		text := readTestdata(b, "interaction_"+name+".txt")
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			for b.Loop() {
				r.Redact(text)
			}
		})
	}
}

// BenchmarkRedactTweets redacts the 4,392 airline customer-service tweets
// of the shared data set, one Redact call per tweet as the pipeline makes
// one per turn.
func BenchmarkRedactTweets(b *testing.B) {
	texts := readTexts(b, filepath.Join(sharedData(b), "airline-sentiment", "dev.csv"))
	n := 0
	for _, s := range texts {
		n += len(s)
	}
	r := New(Options{Now: fixedNow})
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range texts {
			r.Redact(s)
		}
	}
}

func fixedNow() time.Time { return time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC) }

func readTestdata(tb testing.TB, name string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatalf("read fixture: %v", err)
	}
	return string(b)
}
