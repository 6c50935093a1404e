package ingest

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/northstar-cx/northstar/internal/identity"
)

// BenchmarkDecodeLine decodes and validates one realistic interaction line
// of 10 turns (about 1.3 KB): the per-record cost of NDJSON import.
func BenchmarkDecodeLine(b *testing.B) {
	line := []byte(interactionLine(7, 10))
	d := &decoder{norm: identity.Normalizer{Region: "GB"}}
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		if _, rec, probs := d.decodeLine(line); rec == nil {
			b.Fatal(probs)
		}
	}
}

// BenchmarkDecodeCSVRow decodes one interaction CSV row with a 10-turn transcript.
func BenchmarkDecodeCSVRow(b *testing.B) {
	var transcript strings.Builder
	for t := range 10 {
		if t%2 == 0 {
			transcript.WriteString("customer: " + customerSays[t%len(customerSays)] + "\n")
		} else {
			transcript.WriteString("agent: " + agentSays[t%len(agentSays)] + "\n")
		}
	}
	var file bytes.Buffer
	w := csv.NewWriter(&file)
	w.Write(strings.Split(csvHeader, ","))
	w.Write([]string{"I1", "s", "ana@example.com", "chat", "bot", "2025-09-01T10:00:00Z", "2025-09-01T10:06:00Z", "no", "4", "delivery;late", transcript.String()})
	w.Flush()
	cr, err := newCSVReader(&file)
	if err != nil {
		b.Fatal(err)
	}
	_, row, err := cr.next()
	if err != nil {
		b.Fatal(err)
	}
	d := &decoder{norm: identity.Normalizer{Region: "GB"}}
	b.ReportAllocs()
	for b.Loop() {
		if rec, probs := cr.decodeRow(d, row); rec == nil {
			b.Fatal(probs)
		}
	}
}

// BenchmarkImportDuckDB imports b.N generated interactions of 10 turns from
// a file into a fresh embedded store, without analysis: reading, decoding,
// identity resolution and storing, end to end.
func BenchmarkImportDuckDB(b *testing.B) {
	b.StopTimer()
	path := generatedFile(b, b.N)
	st := mustStore(b)
	b.StartTimer()
	rep := mustImport(b, st, testOptions(), path)
	b.StopTimer()
	if tot := rep.Total(); tot.Inserted != b.N {
		b.Fatalf("%+v %v", tot, rep.Problems)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "interactions/s")
	if n := counts(b, st)["interactions"]; n != int64(b.N) {
		b.Fatalf("stored %d, want %d", n, b.N)
	}
}

// BenchmarkContentHash is the part of BenchmarkDecodeLine that is fixed:
// the FNV-1a of the line (stored hashes must not change), a serial
// multiply per byte.
func BenchmarkContentHash(b *testing.B) {
	line := []byte(interactionLine(7, 10))
	b.SetBytes(int64(len(line)))
	for b.Loop() {
		contentHash(line)
	}
}
