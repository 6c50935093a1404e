package cues

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// example is one hand-labelled sentence.
type example struct {
	line int
	text string
	want []Kind
}

// readLabelled reads a TSV of "kinds<TAB>sentence" lines.
func readLabelled(t *testing.T, path string) []example {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	known := map[Kind]bool{}
	for _, k := range Kinds() {
		known[k] = true
	}
	var out []example
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		labels, text, ok := strings.Cut(line, "\t")
		if !ok || strings.TrimSpace(text) == "" {
			t.Fatalf("%s:%d: want kinds<TAB>sentence", path, n)
		}
		ex := example{line: n, text: text}
		if labels != "-" {
			for _, l := range strings.Split(labels, ",") {
				if !known[Kind(l)] {
					t.Fatalf("%s:%d: unknown kind %q", path, n, l)
				}
				ex.want = append(ex.want, Kind(l))
			}
		}
		out = append(out, ex)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// score holds true positives, false positives and false negatives.
type score struct{ tp, fp, fn int }

func (s score) precision() float64 { return ratio(s.tp, s.tp+s.fp) }
func (s score) recall() float64    { return ratio(s.tp, s.tp+s.fn) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// evaluate scores Detect on a labelled file, per kind and overall, logging
// every mistake.
func evaluate(t *testing.T, path string) (map[Kind]score, score, int) {
	t.Helper()
	examples := readLabelled(t, path)
	per := map[Kind]score{}
	var all score
	for _, ex := range examples {
		got := kindsOf(ex.text)
		for _, k := range Kinds() {
			g, w := slices.Contains(got, k), slices.Contains(ex.want, k)
			s := per[k]
			switch {
			case g && w:
				s.tp++
				all.tp++
			case g:
				s.fp++
				all.fp++
				t.Logf("%s:%d false %s: %s", filepath.Base(path), ex.line, k, ex.text)
			case w:
				s.fn++
				all.fn++
				t.Logf("%s:%d missed %s: %s", filepath.Base(path), ex.line, k, ex.text)
			}
			per[k] = s
		}
	}
	return per, all, len(examples)
}

// report formats the scores as a Markdown table, for docs/BENCHMARKS.md.
func report(per map[Kind]score, all score, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d sentences\n| kind | precision | recall | tp | fp | fn |\n|---|---|---|---|---|---|\n", n)
	for _, k := range Kinds() {
		s := per[k]
		fmt.Fprintf(&b, "| %s | %.3f | %.3f | %d | %d | %d |\n", k, s.precision(), s.recall(), s.tp, s.fp, s.fn)
	}
	fmt.Fprintf(&b, "| all (micro) | %.3f | %.3f | %d | %d | %d |\n", all.precision(), all.recall(), all.tp, all.fp, all.fn)
	return b.String()
}

func TestLabelledSet(t *testing.T) {
	tests := []struct {
		file                    string
		minPrecision, minRecall float64
	}{
		// The development set the lexicon was tuned on.
		{"labelled.tsv", 0.95, 0.93},
		// Written after tuning on labelled.tsv; its first run is in the report,
		// then its misses were fixed.
		{"heldout.tsv", 0.85, 0.75},
		// Written after heldout.tsv had been used to fix gaps; never tuned on.
		{"heldout2.tsv", 0.80, 0.70},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			per, all, n := evaluate(t, filepath.Join("testdata", tt.file))
			if n < 50 {
				t.Fatalf("only %d sentences", n)
			}
			t.Logf("\n%s", report(per, all, n))
			if all.precision() < tt.minPrecision || all.recall() < tt.minRecall {
				t.Errorf("micro precision %.3f recall %.3f, want at least %.2f and %.2f",
					all.precision(), all.recall(), tt.minPrecision, tt.minRecall)
			}
		})
	}
}
