package outcome

import (
	"math"
	"strings"
	"testing"
)

func TestEffort(t *testing.T) {
	w := DefaultEffortWeights()
	tests := []struct {
		name string
		in   EffortInput
		want float64
	}{
		{"nothing asked", EffortInput{}, 0},
		{"free turns", EffortInput{CustomerTurns: 2}, 0},
		{"one transfer", EffortInput{CustomerTurns: 2, Transfers: 1}, 20 * (1 - math.Exp(-1))},
		{"one repeat", EffortInput{RepeatContacts: 1}, 20 * (1 - math.Exp(-1))},
		{"ten minutes wait", EffortInput{WaitSeconds: 600}, 15 * (1 - math.Exp(-2))},
		{"escalated", EffortInput{Escalated: true}, 10},
		{"eight turns", EffortInput{CustomerTurns: 8}, 20 * (1 - math.Exp(-1))},
		{"negative inputs mean none", EffortInput{CustomerTurns: -3, Transfers: -1, WaitSeconds: -5}, 0},
		{"NaN wait means none", EffortInput{WaitSeconds: math.NaN()}, 0},
		{"infinite wait saturates", EffortInput{WaitSeconds: math.Inf(1)}, 15},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Effort(tt.in, w); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Effort = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEffortBounds(t *testing.T) {
	worst := EffortInput{CustomerTurns: 1e6, Transfers: 1e6, ChannelSwitches: 1e6, WaitSeconds: 1e12, RepeatContacts: 1e6, Escalated: true}
	if got := Effort(worst, DefaultEffortWeights()); got > 100 || got < 99.99 {
		t.Errorf("worst case %v, want just under or at 100", got)
	}
}

// TestEffortMonotone raises each input in turn and checks the index never
// falls, and rises while the input is far from saturation.
func TestEffortMonotone(t *testing.T) {
	w := DefaultEffortWeights()
	inputs := map[string]func(*EffortInput, int){
		"customer turns":   func(in *EffortInput, v int) { in.CustomerTurns = v },
		"transfers":        func(in *EffortInput, v int) { in.Transfers = v },
		"channel switches": func(in *EffortInput, v int) { in.ChannelSwitches = v },
		"wait":             func(in *EffortInput, v int) { in.WaitSeconds = float64(v * 30) },
		"repeat contacts":  func(in *EffortInput, v int) { in.RepeatContacts = v },
		"escalated":        func(in *EffortInput, v int) { in.Escalated = v > 0 },
	}
	bases := []EffortInput{{}, {CustomerTurns: 5, Transfers: 1, WaitSeconds: 120}, {CustomerTurns: 20, Transfers: 4, ChannelSwitches: 3, WaitSeconds: 3000, RepeatContacts: 5, Escalated: true}}
	for name, set := range inputs {
		for bi, base := range bases {
			prev := -1.0
			for v := 0; v <= 12; v++ {
				in := base
				set(&in, v)
				got := Effort(in, w)
				if got < prev {
					t.Fatalf("%s, base %d: effort fell from %v to %v at %d", name, bi, prev, got, v)
				}
				prev = got
			}
		}
		in := EffortInput{}
		set(&in, 0)
		lo := Effort(in, w)
		set(&in, 3)
		if hi := Effort(in, w); !(hi > lo) {
			t.Errorf("%s: raising it from 0 to 3 left effort at %v", name, hi)
		}
	}
}

func TestEffortWeightsOnlyRatiosMatter(t *testing.T) {
	w := DefaultEffortWeights()
	double := w
	double.CustomerTurns *= 2
	double.Transfers *= 2
	double.ChannelSwitches *= 2
	double.Wait *= 2
	double.RepeatContacts *= 2
	double.Escalation *= 2
	in := EffortInput{CustomerTurns: 6, Transfers: 2, WaitSeconds: 400, Escalated: true}
	if a, b := Effort(in, w), Effort(in, double); math.Abs(a-b) > 1e-9 {
		t.Errorf("%v != %v", a, b)
	}
}

func TestEffortInvalidWeights(t *testing.T) {
	in := EffortInput{CustomerTurns: 10, Transfers: 3, WaitSeconds: 900, Escalated: true}
	bad := []EffortWeights{
		{},
		{CustomerTurns: -1, Transfers: math.NaN(), Wait: math.Inf(1)},
		{Transfers: 1, TransfersScale: -2},
		{Wait: 1, WaitScale: math.NaN()},
	}
	for i, w := range bad {
		got := Effort(in, w)
		if math.IsNaN(got) || got < 0 || got > 100 {
			t.Errorf("weights %d: Effort = %v, want a number in [0, 100]", i, got)
		}
		if w.Validate() == nil {
			t.Errorf("weights %d: Validate accepted %+v", i, w)
		}
	}
}

func TestEffortWeightsValidate(t *testing.T) {
	if err := DefaultEffortWeights().Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
	tests := []struct {
		edit func(*EffortWeights)
		want string
	}{
		{func(w *EffortWeights) { w.Transfers = -1 }, "effort weight transfers = -1"},
		{func(w *EffortWeights) { w.Wait = math.NaN() }, "effort weight wait = NaN"},
		{func(w *EffortWeights) {
			*w = EffortWeights{CustomerTurnsScale: 1, TransfersScale: 1, ChannelSwitchesScale: 1, WaitScale: 1, RepeatContactsScale: 1}
		}, "all 0"},
		{func(w *EffortWeights) { w.WaitScale = 0 }, "effort wait_scale = 0"},
		{func(w *EffortWeights) { w.CustomerTurnsScale = math.Inf(1) }, "customer_turns_scale = +Inf"},
		{func(w *EffortWeights) { w.FreeCustomerTurns = -1 }, "free_customer_turns = -1"},
	}
	for _, tt := range tests {
		w := DefaultEffortWeights()
		tt.edit(&w)
		if err := w.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Validate() = %v, want it to mention %q", err, tt.want)
		}
	}
}

func BenchmarkEffort(b *testing.B) {
	w := DefaultEffortWeights()
	in := EffortInput{CustomerTurns: 6, Transfers: 1, ChannelSwitches: 1, WaitSeconds: 240, RepeatContacts: 1}
	var sink float64
	for b.Loop() {
		sink += Effort(in, w)
	}
	_ = sink
}

// TestJourneyTermsCompleteTheIndex checks the decomposition the store relies
// on: the contact's own index plus the journey terms is Effort with the
// journey's inputs.
func TestJourneyTermsCompleteTheIndex(t *testing.T) {
	for _, w := range []EffortWeights{DefaultEffortWeights(), {CustomerTurns: 1, Transfers: 2, ChannelSwitches: 3, Wait: 0, RepeatContacts: 5,
		Escalation: 1, FreeCustomerTurns: 1, CustomerTurnsScale: 2, TransfersScale: 1, ChannelSwitchesScale: 0.5, WaitScale: 60, RepeatContactsScale: 3}} {
		j := w.Journey()
		for _, in := range []EffortInput{{}, {CustomerTurns: 5, Transfers: 1, WaitSeconds: 120, ChannelSwitches: 2, RepeatContacts: 1},
			{ChannelSwitches: 1}, {RepeatContacts: 4, Escalated: true}} {
			own := in
			own.ChannelSwitches, own.RepeatContacts = 0, 0
			got := Effort(own, w) + j.Switch*(1-math.Exp(-float64(in.ChannelSwitches)/j.SwitchScale)) +
				j.Repeat*(1-math.Exp(-float64(in.RepeatContacts)/j.RepeatScale))
			if want := Effort(in, w); math.Abs(got-want) > 1e-9 {
				t.Errorf("weights %+v input %+v: contact + journey = %v, Effort = %v", w, in, got, want)
			}
		}
	}
}
