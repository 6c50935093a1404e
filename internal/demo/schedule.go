package demo

// schedule places the injected incidents inside the window. Positions are fractions of the window so
// that every Days ≥ 14 contains all of them; times are Unix seconds.
type schedule struct {
	start, end int64
	days       int

	courierFrom, courierTo int64 // Parcelway's northern hub is down: deliveries due these two days slip
	priceAnnounce          int64 // price rise announced by email
	priceEffective         int64 // and charged from here
	botRelease             int64 // Hearthbot 4.3.0 goes live and misreads two intents
	payFrom, payTo         int64 // six hours of declines at the payment provider
	slideFrom              int64 // Coastline Contact's quality starts sliding, reaching its worst at End
}

const (
	day  = 86400
	hour = 3600
)

// priceRise is the increase per box from priceEffective, in pence.
const priceRise = 200

// Bot versions before and after the release.
const (
	botVersionOld = "4.2.1"
	botVersionNew = "4.3.0"
)

// degradedIntents are the intents Hearthbot 4.3.0 misreads.
func degradedIntents() []int { return []int{iChangeDeliveryDay, iDeliveryInstructions} }

func newSchedule(start int64, days int) schedule {
	at := func(frac float64) int64 { return start + int64(frac*float64(days))*day }
	s := schedule{start: start, end: start + int64(days)*day, days: days}
	s.courierFrom = at(0.30)
	s.courierTo = s.courierFrom + 2*day
	s.priceAnnounce = at(0.42) + 9*hour
	s.priceEffective = s.priceAnnounce - 9*hour + 7*day
	s.botRelease = at(0.55) + 2*hour
	s.payFrom = at(0.72) + 13*hour
	s.payTo = s.payFrom + 6*hour
	s.slideFrom = at(0.20)
	return s
}

// slide is how far Coastline Contact's decline has gone at t: 0 before slideFrom, 1 at End.
func (s schedule) slide(t int64) float64 {
	if t <= s.slideFrom {
		return 0
	}
	return clamp(float64(t-s.slideFrom)/float64(s.end-s.slideFrom), 0, 1)
}

func (s schedule) courierOut(t int64) bool { return t >= s.courierFrom && t < s.courierTo }
func (s schedule) payDown(t int64) bool    { return t >= s.payFrom && t < s.payTo }
func (s schedule) newBot(t int64) bool     { return t >= s.botRelease }

// dayIndex is the window day of t, clamped into range.
func (s schedule) dayIndex(t int64) int {
	d := int((t - s.start) / day)
	if d < 0 {
		return 0
	}
	if d >= s.days {
		return s.days - 1
	}
	return d
}

// third is 0, 1 or 2 for the first, middle and last third of the window.
func (s schedule) third(t int64) int {
	th := int(3 * (t - s.start) / (s.end - s.start))
	if th < 0 {
		return 0
	}
	if th > 2 {
		return 2
	}
	return th
}
