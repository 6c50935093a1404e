package redact

import "testing"

// FuzzRedact checks, on any input including invalid UTF-8, that Redact does
// not panic, that its spans are ordered, disjoint and bracket-free, that the
// output is the input with exactly those spans replaced, and that redacting
// the output again changes nothing. Seeds are in testdata/fuzz/FuzzRedact.
func FuzzRedact(f *testing.F) {
	f.Add("call +44 7700 900123 or mail a.b@example.com")
	r := newTestRedactor()
	us := New(Options{DefaultRegion: "US", Now: fixedNow})
	f.Fuzz(func(t *testing.T, in string) {
		checkInvariants(t, r, in)
		checkInvariants(t, us, in)
	})
}
