package ingest

import (
	"bytes"
	"encoding/csv"
	"github.com/northstar-cx/northstar/internal/shareddata"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func repoRoot(tb testing.TB) string { tb.Helper(); return shareddata.RepoRoot(tb) }

// exampleSource opens a docs/examples file under the name the docs use, so
// problems read "docs/examples/x.ndjson:3: …" exactly as printed there.
func exampleSource(root, name string) Source {
	s := FileSource(filepath.Join(root, "docs", "examples", name))
	s.Name = "docs/examples/" + name
	return s
}

// recordsIn counts the records of an example file: non-blank lines, or CSV
// rows after the header.
func recordsIn(tb testing.TB, path string) int {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if strings.HasSuffix(path, ".csv") {
		r := csv.NewReader(bytes.NewReader(data))
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil {
			tb.Fatalf("%s: %v", path, err)
		}
		return len(rows) - 1
	}
	n := 0
	for _, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return n
}

// TestDocsExamples imports every file in docs/examples into a fresh store,
// so the documentation cannot rot: the good files (alphabetical order puts
// customers before events, interactions and surveys) are accepted whole and
// change nothing the second time; files named *bad* produce exactly the
// rejections docs/import-format.md shows, and their good records are stored.
func TestDocsExamples(t *testing.T) {
	root := repoRoot(t)
	doc, err := os.ReadFile(filepath.Join(root, "docs", "import-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(root, "docs", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	var good, bad []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".ndjson") && !strings.HasSuffix(name, ".csv") {
			continue
		}
		if !bytes.Contains(doc, []byte("docs/examples/"+name)) {
			t.Errorf("docs/import-format.md does not mention docs/examples/%s", name)
		}
		if strings.Contains(name, "bad") {
			bad = append(bad, name)
		} else {
			good = append(good, name)
		}
	}
	if len(good) < 4 || len(bad) < 1 {
		t.Fatalf("examples: good %v, bad %v", good, bad)
	}

	st := mustStore(t)
	var srcs []Source
	want := 0
	for _, name := range good {
		srcs = append(srcs, exampleSource(root, name))
		want += recordsIn(t, filepath.Join(root, "docs", "examples", name))
	}
	rep := mustImportSources(t, st, srcs)
	if len(rep.Problems) > 0 {
		t.Errorf("good examples rejected:\n%s", strings.Join(problemStrings(rep), "\n"))
	}
	if tot := rep.Total(); tot.Read != want || tot.Rejected != 0 || tot.Unchanged != 0 {
		t.Errorf("good examples: %+v; want %d read, none rejected", tot, want)
	}
	if tot := mustImportSources(t, st, srcs).Total(); tot.Unchanged != want {
		t.Errorf("good examples again: %+v; want all %d unchanged", tot, want)
	}

	for _, name := range bad {
		rep := mustImportSources(t, st, []Source{exampleSource(root, name)})
		tot := rep.Total()
		if tot.Rejected == 0 || tot.Inserted != tot.Read-tot.Rejected {
			t.Errorf("%s: %+v; want some rejected and the rest stored", name, tot)
		}
		for _, p := range problemStrings(rep) {
			if !bytes.Contains(doc, []byte(p)) {
				t.Errorf("%s: docs/import-format.md does not show the problem\n  %s", name, p)
			}
		}
	}
}

// TestDocsSnippets decodes every ```json and ```csv block of
// docs/import-format.md: the records shown there must be valid.
func TestDocsSnippets(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(repoRoot(t), "docs", "import-format.md"))
	if err != nil {
		t.Fatal(err)
	}
	d := &decoder{norm: testOptions().Normalizer}
	blocks := 0
	for _, lang := range []string{"json", "csv"} {
		rest := string(doc)
		for {
			_, after, ok := strings.Cut(rest, "```"+lang+"\n")
			if !ok {
				break
			}
			block, tail, _ := strings.Cut(after, "```")
			rest = tail
			blocks++
			if lang == "json" {
				for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
					if _, rec, probs := d.decodeLine([]byte(line)); rec == nil {
						t.Errorf("docs record rejected: %v\n%s", probs, line)
					}
				}
				continue
			}
			cr, err := newCSVReader(strings.NewReader(block))
			if err != nil {
				t.Errorf("docs CSV: %v\n%s", err, block)
				continue
			}
			for {
				_, row, err := cr.next()
				if err != nil {
					if err != io.EOF {
						t.Errorf("docs CSV: %v", err)
					}
					break
				}
				if rec, probs := cr.decodeRow(d, row); rec == nil {
					t.Errorf("docs CSV row rejected: %v\n%q", probs, row)
				}
			}
		}
	}
	if blocks < 5 {
		t.Errorf("found %d json and csv blocks in docs/import-format.md, want at least 5", blocks)
	}
}

func mustImportSources(tb testing.TB, st Store, srcs []Source) *Report {
	tb.Helper()
	rep, err := Import(tb.Context(), st, srcs, testOptions())
	if err != nil {
		tb.Fatal(err)
	}
	return rep
}
