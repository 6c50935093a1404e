package metrics_test

import (
	"reflect"
	"testing"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/metrics"
)

func TestParseWhere(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []metrics.Filter
		err  string
	}{
		{"", nil, ""},
		{"channel:chat", []metrics.Filter{{Dim: "channel", Values: []string{"chat"}}}, ""},
		{" channel:chat|voice , handler!:bot ", []metrics.Filter{{Dim: "channel", Values: []string{"chat", "voice"}}, {Dim: "handler", Values: []string{"bot"}, Not: true}}, ""},
		{"flag:anger:yes", []metrics.Filter{{Dim: "flag:anger", Values: []string{"yes"}}}, ""},
		{"flag:anger!:yes", []metrics.Filter{{Dim: "flag:anger", Values: []string{"yes"}, Not: true}}, ""},
		{"segment:(none)", []metrics.Filter{{Dim: "segment", Values: []string{"(none)"}}}, ""},
		{"channel", nil, `filter "channel": write dim:value`},
		{"channel:", nil, `filter "channel:": no value after the colon`},
		{"chanel:chat", nil, `filter "chanel:chat": unknown dimension "chanel" (valid: hour, day, week, month, channel`},
		{"flag:Anger:yes", nil, "a flag kind is lower-case"},
		{"channel:chat,oops", nil, `filter "oops"`},
	} {
		got, err := metrics.ParseWhere(tc.in)
		switch {
		case tc.err != "" && (err == nil || cx.ErrorCode(err) != cx.EINVALID || !contains(cx.ErrorMessage(err), tc.err)):
			t.Errorf("%q: error %v, want %q", tc.in, err, tc.err)
		case tc.err == "" && (err != nil || !reflect.DeepEqual(got, tc.want)):
			t.Errorf("%q: %+v, %v; want %+v", tc.in, got, err, tc.want)
		case tc.err == "" && metrics.FormatWhere(got) != "" && len(tc.want) > 0:
			if again, _ := metrics.ParseWhere(metrics.FormatWhere(got)); !reflect.DeepEqual(again, got) {
				t.Errorf("%q does not round-trip: %q", tc.in, metrics.FormatWhere(got))
			}
		}
	}
}

func TestParseMetricsAndBy(t *testing.T) {
	if ids, err := metrics.ParseMetrics("csat, fcr"); err != nil || !reflect.DeepEqual(ids, []string{"csat", "fcr"}) {
		t.Errorf("csat, fcr: %v %v", ids, err)
	}
	for in, want := range map[string]string{"": "no metric given", "csat,csat": "named twice", "nope": `unknown metric "nope" (valid: contacts, csat,`} {
		if _, err := metrics.ParseMetrics(in); err == nil || !contains(err.Error(), want) {
			t.Errorf("metrics %q: %v, want %q", in, err, want)
		}
	}
	if by, err := metrics.ParseBy("intent,flag:anger,week"); err != nil || len(by) != 3 {
		t.Errorf("by: %v %v", by, err)
	}
	if _, err := metrics.ParseBy("intent,intent"); err == nil {
		t.Error("a dimension twice is accepted")
	}
}

func TestTiers(t *testing.T) {
	for v, want := range map[int64]string{-500: "none", 0: "none", 1: "low", 9999: "low", 10000: "medium", 49999: "medium", 50000: "high"} {
		if got := metrics.Tier(v); got != want {
			t.Errorf("Tier(%d) = %s, want %s", v, got, want)
		}
	}
}
