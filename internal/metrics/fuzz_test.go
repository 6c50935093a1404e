package metrics_test

import (
	"reflect"
	"testing"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/metrics"
)

// FuzzParseWhere feeds the filter parser (which reads the where= parameter
// of every metrics request) arbitrary text: it never panics, every error is
// an invalid-input error, and what it accepts reads back the same from its
// own text form.
func FuzzParseWhere(f *testing.F) {
	for _, s := range []string{"channel:chat", "channel:chat|voice,handler!:bot", "flag:anger:yes", "intent:(none)",
		" team : a | b ", "channel:", ":x", "flag:", "partner!:x,,agent:a", "day:2026-10-01", "channel:chat\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fs, err := metrics.ParseWhere(s)
		if err != nil {
			if cx.ErrorCode(err) != cx.EINVALID {
				t.Fatalf("%q: %v is not an invalid-input error", s, err)
			}
			return
		}
		again, err := metrics.ParseWhere(metrics.FormatWhere(fs))
		if err != nil || !reflect.DeepEqual(again, fs) {
			t.Fatalf("%q → %+v → %q → %+v, %v", s, fs, metrics.FormatWhere(fs), again, err)
		}
	})
}
