package redact

import (
	"encoding/csv"
	"github.com/northstar-cx/northstar/internal/shareddata"
	"os"
	"path/filepath"
	"testing"
)

func sharedData(t testing.TB) string { t.Helper(); return shareddata.Dir(t) }

func readTexts(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	texts := make([]string, 0, len(recs))
	for _, rec := range recs[1:] { // the first row is the header; text is the first column
		texts = append(texts, rec[0])
	}
	return texts
}

// TestRealText runs the redactor over public customer-service text: the
// CLINC150 utterances (amounts, dates, times, account talk, no personal
// identifiers) must come through untouched, and in the airline tweets the
// emails and the IP address are found with little else (a part number that
// has the shape of a National Insurance number, a "Birthdate" and a date
// eleven years before the test clock).
func TestRealText(t *testing.T) {
	data := sharedData(t)
	r := newTestRedactor()
	for _, split := range []string{"train", "val", "test"} {
		for _, text := range readTexts(t, filepath.Join(data, "clinc150", split+".csv")) {
			if out, c := r.Redact(text); c.Total() != 0 {
				t.Errorf("clinc150 %s: %q -> %q", split, text, out)
			}
		}
	}
	var total Counts
	for _, text := range readTexts(t, filepath.Join(data, "airline-sentiment", "dev.csv")) {
		_, c := r.Redact(text)
		total.Add(c)
	}
	if total[Email] != 4 || total[IP] != 1 || total.Total() > 8 {
		t.Errorf("airline dev: counts %v, want 4 emails, 1 IP and at most 8 in all", total)
	}
}
