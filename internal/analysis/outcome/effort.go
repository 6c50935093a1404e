package outcome

import (
	"errors"
	"fmt"
	"math"
)

// EffortInput is what a contact asked of the customer.
type EffortInput struct {
	CustomerTurns   int     // turns the customer wrote or spoke in this contact
	Transfers       int     // hand-offs between agents, queues, or from bot to human
	ChannelSwitches int     // other channels used for the same intent in the 7 days before
	WaitSeconds     float64 // time spent waiting: queue plus hold
	RepeatContacts  int     // earlier contacts for the same intent within the repeat window
	Escalated       bool    // the contact was escalated (to a supervisor, specialist team or complaint)
}

// EffortWeights configures Effort. Each input becomes a component in [0, 1]
// that grows with it and saturates: 1 − exp(−x/Scale), so the first
// transfer costs more effort than the fifth; the index is the weighted mean
// of the components, times 100:
//
//	turns     = 1 − exp(−max(0, CustomerTurns − FreeCustomerTurns) / CustomerTurnsScale)
//	transfers = 1 − exp(−Transfers / TransfersScale)
//	switches  = 1 − exp(−ChannelSwitches / ChannelSwitchesScale)
//	wait      = 1 − exp(−WaitSeconds / WaitScale)
//	repeats   = 1 − exp(−RepeatContacts / RepeatContactsScale)
//	escalated = 1 if Escalated, else 0
//	Effort    = 100 × Σ weight·component / Σ weight
//
// Weights are relative (only their ratios matter) and must not be negative,
// so the index never falls when an input rises. A Scale is the input value
// at which its component reaches 63%.
type EffortWeights struct {
	CustomerTurns, Transfers, ChannelSwitches, Wait, RepeatContacts, Escalation float64

	FreeCustomerTurns    int     // customer turns any contact needs (ask, confirm), costing nothing
	CustomerTurnsScale   float64 // extra customer turns
	TransfersScale       float64 // transfers
	ChannelSwitchesScale float64 // channel switches
	WaitScale            float64 // seconds
	RepeatContactsScale  float64 // repeat contacts
}

// DefaultEffortWeights returns the default weights: repeat contacts,
// transfers and extra turns weigh most (the customer had to come back, be
// passed around, explain again), then channel switches and waiting, then
// escalation, which mostly adds to the others. A contact with 2 customer
// turns, no transfer, no wait scores 0; one transfer adds 12.6; a second
// contact for the same intent adds 12.6; ten minutes' wait adds 13.0.
func DefaultEffortWeights() EffortWeights {
	return EffortWeights{
		CustomerTurns:   20,
		Transfers:       20,
		ChannelSwitches: 15,
		Wait:            15,
		RepeatContacts:  20,
		Escalation:      10,

		FreeCustomerTurns:    2,
		CustomerTurnsScale:   6,
		TransfersScale:       1,
		ChannelSwitchesScale: 1,
		WaitScale:            300,
		RepeatContactsScale:  1,
	}
}

// Validate reports what is wrong with a configuration, for the config layer
// to reject it with a message.
func (w EffortWeights) Validate() error {
	var errs []error
	weights := []struct {
		name string
		v    float64
	}{
		{"customer_turns", w.CustomerTurns}, {"transfers", w.Transfers}, {"channel_switches", w.ChannelSwitches},
		{"wait", w.Wait}, {"repeat_contacts", w.RepeatContacts}, {"escalation", w.Escalation},
	}
	total := 0.0
	for _, x := range weights {
		if !(x.v >= 0) || math.IsInf(x.v, 0) {
			errs = append(errs, fmt.Errorf("effort weight %s = %v: want a finite number ≥ 0", x.name, x.v))
			continue
		}
		total += x.v
	}
	if total == 0 && len(errs) == 0 {
		errs = append(errs, errors.New("effort weights are all 0: set at least one above 0"))
	}
	scales := []struct {
		name string
		v    float64
	}{
		{"customer_turns_scale", w.CustomerTurnsScale}, {"transfers_scale", w.TransfersScale},
		{"channel_switches_scale", w.ChannelSwitchesScale}, {"wait_scale", w.WaitScale},
		{"repeat_contacts_scale", w.RepeatContactsScale},
	}
	for _, x := range scales {
		if !(x.v > 0) || math.IsInf(x.v, 0) {
			errs = append(errs, fmt.Errorf("effort %s = %v: want a finite number > 0", x.name, x.v))
		}
	}
	if w.FreeCustomerTurns < 0 {
		errs = append(errs, fmt.Errorf("effort free_customer_turns = %d: want ≥ 0", w.FreeCustomerTurns))
	}
	return errors.Join(errs...)
}

// Effort returns the customer-effort index of a contact, 0–100, higher
// meaning more effort; see EffortWeights for the formula. It never falls
// when an input rises. Weights should pass Validate; if they do not, a
// negative or NaN weight counts as 0, an invalid scale as 1, and all-zero
// weights give 0, so the result is always a number in [0, 100].
func Effort(in EffortInput, w EffortWeights) float64 {
	extraTurns := max(in.CustomerTurns-max(w.FreeCustomerTurns, 0), 0)
	parts := [...]struct{ weight, x, scale float64 }{
		{w.CustomerTurns, float64(extraTurns), w.CustomerTurnsScale},
		{w.Transfers, float64(in.Transfers), w.TransfersScale},
		{w.ChannelSwitches, float64(in.ChannelSwitches), w.ChannelSwitchesScale},
		{w.Wait, in.WaitSeconds, w.WaitScale},
		{w.RepeatContacts, float64(in.RepeatContacts), w.RepeatContactsScale},
		{w.Escalation, boolToFloat(in.Escalated), 0}, // a switch, not a count
	}
	var sum, total float64
	for i, p := range parts {
		weight := p.weight
		if !(weight >= 0) || math.IsInf(weight, 0) {
			continue
		}
		total += weight
		x := p.x
		if !(x > 0) { // negative or NaN inputs mean none
			continue
		}
		component := x // the escalation switch is already 0 or 1
		if i < len(parts)-1 {
			scale := p.scale
			if !(scale > 0) || math.IsInf(scale, 0) {
				scale = 1
			}
			component = -math.Expm1(-x / scale)
		}
		sum += weight * component
	}
	if total == 0 {
		return 0
	}
	return 100 * sum / total
}

func boolToFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// JourneyTerms are the parts of the effort index that depend on the
// customer's other contacts — channel switches and repeat contacts — which
// the store adds once it knows them (Effort at ingest sees neither). Switch
// and Repeat are each input's share of the index (out of 100) at
// saturation, so contact effort + Switch·(1 − e^(−switches/SwitchScale)) +
// Repeat·(1 − e^(−repeats/RepeatScale)) equals Effort with those inputs.
type JourneyTerms struct {
	Switch, SwitchScale, Repeat, RepeatScale float64
}

// Journey returns the weights' journey terms.
func (w EffortWeights) Journey() JourneyTerms {
	var total float64
	for _, v := range []float64{w.CustomerTurns, w.Transfers, w.ChannelSwitches, w.Wait, w.RepeatContacts, w.Escalation} {
		if v >= 0 && !math.IsInf(v, 0) {
			total += v
		}
	}
	if total == 0 {
		return JourneyTerms{SwitchScale: 1, RepeatScale: 1}
	}
	part := func(v float64) float64 {
		if !(v >= 0) || math.IsInf(v, 0) {
			return 0
		}
		return 100 * v / total
	}
	return JourneyTerms{Switch: part(w.ChannelSwitches), SwitchScale: w.ChannelSwitchesScale,
		Repeat: part(w.RepeatContacts), RepeatScale: w.RepeatContactsScale}
}
