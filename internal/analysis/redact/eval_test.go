package redact

import (
	"reflect"
	"testing"
)

const (
	evalSeed    = 20260501
	evalSamples = 5000
)

// TestEvaluate measures recall and precision on the generated set. Every
// structured identifier must be caught: a miss is a bug to fix and to add
// to TestRedactFinds. Postcode and date-of-birth figures are reported.
func TestEvaluate(t *testing.T) {
	rep := Evaluate(newTestRedactor(), evalSeed, evalSamples)
	t.Log("\n" + rep.String())
	for _, k := range []Kind{Email, Phone, Card, IBAN, NINO, SSN, IP} {
		s := rep.Kinds[k]
		if s.Planted < 100 {
			t.Errorf("%s: only %d planted, the set is too small to measure", k, s.Planted)
		}
		if s.Recalled != s.Planted {
			t.Errorf("%s: recall %d/%d, want all", k, s.Recalled, s.Planted)
		}
	}
	for _, k := range []Kind{Postcode, DOB} {
		if s := rep.Kinds[k]; s.Recall() < 0.95 {
			t.Errorf("%s: recall %.4f below 0.95", k, s.Recall())
		}
	}
	if p := rep.All.Precision(); p < 0.98 {
		t.Errorf("precision %.4f below 0.98", p)
	}
	if rep.All.WrongKind != 0 {
		t.Errorf("%d redactions carry the wrong kind", rep.All.WrongKind)
	}
}

func TestGenerateDeterministic(t *testing.T) {
	a := Generate(3, 50, fixedNow())
	b := Generate(3, 50, fixedNow())
	if !reflect.DeepEqual(a, b) {
		t.Fatal("Generate is not deterministic for a seed")
	}
	if reflect.DeepEqual(a, Generate(4, 50, fixedNow())) {
		t.Fatal("different seeds give the same samples")
	}
	for _, s := range a {
		for _, p := range s.Planted {
			if s.Text[p.Start:p.End] != p.Value || p.Kind >= NumKinds {
				t.Fatalf("planted %+v does not match text %q", p, s.Text)
			}
		}
	}
}

// TestCovered checks the recall measure itself: a planted identifier counts
// only when every letter and digit lies inside a redaction.
func TestCovered(t *testing.T) {
	text := "call +44 7700 900123 now"
	p := Planted{Kind: Phone, Start: 5, End: 20, Value: "+44 7700 900123"}
	tests := []struct {
		name  string
		spans []span
		want  bool
	}{
		{"exact", []span{{5, 20, Phone}}, true},
		{"without the plus", []span{{6, 20, Phone}}, true},
		{"in two pieces", []span{{5, 13, Phone}, {14, 20, Phone}}, true},
		{"last digit left", []span{{5, 19, Phone}}, false},
		{"nothing", nil, false},
	}
	for _, tt := range tests {
		if got := covered(text, p, tt.spans); got != tt.want {
			t.Errorf("%s: covered = %v, want %v", tt.name, got, tt.want)
		}
	}
	s := KindStats{Planted: 4, Recalled: 3, Redacted: 5, Correct: 4}
	if s.Recall() != 0.75 || s.Precision() != 0.8 || (KindStats{}).Recall() != 1 {
		t.Fatalf("ratios: %v %v", s.Recall(), s.Precision())
	}
}
