package outcome

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"
)

const day = 24 * time.Hour

func TestLink(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	week := 7 * day
	c := func(key, intent, channel string, at time.Duration, resolved bool) Contact {
		return Contact{Key: key, Customer: 7, Intent: intent, Channel: channel, At: t0.Add(at), Resolved: resolved}
	}
	first := Links{FirstContact: true}
	firstFCR := Links{FirstContact: true, FCR: true}
	tests := []struct {
		name     string
		contacts []Contact
		window   time.Duration
		want     map[string]Links
	}{
		{"single resolved contact is FCR", []Contact{c("a", "billing", "chat", 0, true)}, week,
			map[string]Links{"a": firstFCR}},
		{"single unresolved contact is a first contact, not FCR", []Contact{c("a", "billing", "chat", 0, false)}, week,
			map[string]Links{"a": first}},
		{"repeat within window, cross-channel", []Contact{
			c("a", "billing", "chat", 0, true),
			c("b", "billing", "voice", 3*day, true),
		}, week, map[string]Links{
			"a": {FirstContact: true, Repeated: true},
			"b": {RepeatOf: "a", FCR: false},
		}},
		{"exact window boundary is a repeat", []Contact{
			c("a", "billing", "email", 0, true),
			c("b", "billing", "email", week, true),
		}, week, map[string]Links{
			"a": {FirstContact: true, Repeated: true},
			"b": {RepeatOf: "a"},
		}},
		{"just past the window is not", []Contact{
			c("a", "billing", "email", 0, true),
			c("b", "billing", "email", week+time.Nanosecond, true),
		}, week, map[string]Links{"a": firstFCR, "b": firstFCR}},
		{"other intents do not link", []Contact{
			c("a", "billing", "chat", 0, true),
			c("b", "delivery", "chat", day, true),
		}, week, map[string]Links{"a": firstFCR, "b": firstFCR}},
		{"equal timestamps ordered by key", []Contact{
			c("z", "billing", "chat", 0, true),
			c("m", "billing", "voice", 0, true),
		}, week, map[string]Links{
			"m": {FirstContact: true, Repeated: true},
			"z": {RepeatOf: "m"},
		}},
		{"unknown and empty intents never link", []Contact{
			c("a", "unknown", "chat", 0, true),
			c("b", "unknown", "chat", time.Hour, true),
			c("c", "", "chat", 2*time.Hour, true),
			c("d", "Unknown", "chat", 3*time.Hour, true),
		}, week, map[string]Links{"a": {}, "b": {}, "c": {}, "d": {}}},
		{"chain links to the previous contact", []Contact{
			c("c3", "refund", "voice", 10*day, false),
			c("c1", "refund", "chat", 0, false),
			c("c2", "refund", "email", 5*day, false),
			c("c4", "refund", "chat", 30*day, true),
		}, week, map[string]Links{
			"c1": {FirstContact: true, Repeated: true},
			"c2": {RepeatOf: "c1", Repeated: true},
			"c3": {RepeatOf: "c2"},
			"c4": firstFCR,
		}},
		{"other customers never link", []Contact{
			c("a", "billing", "chat", 0, true),
			{Key: "b", Customer: 8, Intent: "billing", At: t0.Add(time.Hour), Resolved: true},
		}, week, map[string]Links{"a": firstFCR, "b": firstFCR}},
		{"zero window links only simultaneous contacts", []Contact{
			c("a", "billing", "chat", 0, true),
			c("b", "billing", "chat", 0, true),
			c("c", "billing", "chat", time.Second, true),
		}, 0, map[string]Links{
			"a": {FirstContact: true, Repeated: true},
			"b": {RepeatOf: "a"},
			"c": firstFCR,
		}},
		{"negative window links nothing", []Contact{
			c("a", "billing", "chat", 0, true),
			c("b", "billing", "chat", 0, true),
		}, -time.Hour, map[string]Links{"a": firstFCR, "b": firstFCR}},
		{"time zones compare as instants", []Contact{
			c("a", "billing", "chat", 0, true),
			{Key: "b", Customer: 7, Intent: "billing", At: t0.Add(week).In(time.FixedZone("X", 5*3600)), Resolved: true},
		}, week, map[string]Links{
			"a": {FirstContact: true, Repeated: true},
			"b": {RepeatOf: "a"},
		}},
		{"no contacts", nil, week, map[string]Links{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Link(tt.contacts, tt.window)
			if !maps.Equal(got, tt.want) {
				t.Errorf("got  %v\nwant %v", render(got), render(tt.want))
			}
		})
	}
}

func TestLinkDoesNotReorderInput(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	in := []Contact{{Key: "b", Intent: "x", At: t0.Add(day)}, {Key: "a", Intent: "x", At: t0}}
	Link(in, 7*day)
	if in[0].Key != "b" || in[1].Key != "a" {
		t.Errorf("input reordered: %v", in)
	}
}

// TestLinkMatchesDefinition checks Link against the metric definitions
// computed by brute force over pairs, on a deterministic pseudo-random mix.
func TestLinkMatchesDefinition(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	window := 7 * day
	intents := []string{"billing", "delivery", "unknown", "refund"}
	var contacts []Contact
	state := uint64(42)
	next := func(n uint64) uint64 {
		state = state*6364136223846793005 + 1442695040888963407
		return (state >> 33) % n
	}
	for i := range 300 {
		contacts = append(contacts, Contact{
			Key:      fmt.Sprintf("k%03d", i),
			Customer: int64(next(5)),
			Intent:   intents[next(uint64(len(intents)))],
			At:       t0.Add(time.Duration(next(60*24)) * time.Hour / 4), // many equal timestamps
			Resolved: next(2) == 0,
		})
	}
	got := Link(contacts, window)
	before := func(a, b Contact) bool { // a is earlier than b in link order
		return a.At.Before(b.At) || a.At.Equal(b.At) && a.Key < b.Key
	}
	for _, c := range contacts {
		l := got[c.Key]
		if unknownIntent(c.Intent) {
			if l != (Links{}) {
				t.Fatalf("%s: unknown intent linked: %+v", c.Key, l)
			}
			continue
		}
		var prior, later bool
		for _, o := range contacts {
			if o.Key == c.Key || o.Customer != c.Customer || o.Intent != c.Intent {
				continue
			}
			if before(o, c) && c.At.Sub(o.At) <= window {
				prior = true
			}
			if before(c, o) && o.At.Sub(c.At) <= window {
				later = true
			}
		}
		if l.FirstContact != !prior || l.Repeated != later || l.FCR != (!prior && c.Resolved && !later) || (l.RepeatOf == "") != !prior {
			t.Fatalf("%s: got %+v, want first=%v repeated=%v", c.Key, l, !prior, later)
		}
	}
}

func render(m map[string]Links) string {
	keys := slices.Sorted(maps.Keys(m))
	s := ""
	for _, k := range keys {
		s += fmt.Sprintf("%s:%+v ", k, m[k])
	}
	return s
}

func BenchmarkLink(b *testing.B) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	contacts := make([]Contact, 20)
	for i := range contacts {
		contacts[i] = Contact{Key: fmt.Sprintf("k%02d", i), Customer: 1, Intent: []string{"billing", "delivery", "refund"}[i%3], At: t0.Add(time.Duration(19-i) * 36 * time.Hour), Resolved: i%2 == 0}
	}
	b.ReportAllocs()
	for b.Loop() {
		Link(contacts, 7*day)
	}
}
