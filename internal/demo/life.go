package demo

import "strconv"

// Event names, in the order truth.json counts them.
const (
	evOrderPlaced = iota
	evRefundIssued
	evSubStarted
	evSubPaused
	evSubResumed
	evSubCancelled
	evDeliveryDelayed
	evDelivered
	evPaymentFailed
	evBoxSkipped
	evPlanChanged
	evItemMissing
	evItemDamaged
	evItemWrong
	evDeliveryDayChanged
	evAddressChanged
	evPaymentMethodUpdated
	numEventNames
)

func eventNames() []string {
	return []string{"order_placed", "refund_issued", "subscription_started", "subscription_paused",
		"subscription_resumed", "subscription_cancelled", "delivery_delayed", "delivery_delivered", "payment_failed",
		"box_skipped", "plan_changed", "item_missing", "item_damaged", "item_wrong", "delivery_day_changed",
		"address_changed", "payment_method_updated"}
}

// Cancellation reasons recorded on subscription_cancelled (what the cancel flow asked).
const (
	reasonPrice = iota
	reasonExperience
	reasonValue
	reasonMoving
	reasonBereavement
	reasonOther
)

func cancelReasons() []string {
	return []string{"price", "service_problems", "not_using_it", "moving", "bereavement", "other"}
}

// evRec is one value or journey event in a customer's life.
type evRec struct {
	at    int64
	value int64 // pence; 0 when the event has no value
	order int64 // order number, 0 when none
	name  uint8
	aux   int8 // item for item_*, plan for plan_changed, reason for cancellations; -1 none
}

// Customer status during the simulation.
const (
	stActive = iota
	stPaused
	stCancelled
)

// customer is one customer's fixed traits and running state; the generator reuses one value.
type customer struct {
	idx        int
	seg        int
	region     int
	plan       int
	first      string
	last       string
	signup     int64
	isNew      bool
	lapsed     bool
	end        int64 // the window's end: nothing is recorded after it
	dw         int   // delivery weekday, 1 = Monday … 6 = Saturday
	chargeOff  int64 // days between charge and delivery
	chargeSec  int64 // time of day of the charge
	deliverSec int64 // usual delivery time of day
	phone      [10]byte
	hasPhone   bool // the phone is on the customer record
	hasHandle  bool
	alt        int // identity only a later record links: altNone, altPhone, altHandle
	temper     float64
	prop       float64
	typo       float64
	lower      bool
	emoji      float64
	vuln       int
	vulnAt     int64 // bereavement: when the relative gets in touch
	loyalty    float64
	chanPref   [numChannels]float64
	dob        [3]int
	cardGroup  int

	// arena holds id, email, handle and postcode; cap is fixed so slices into it stay valid.
	arena                   []byte
	id, email, handle, post []byte

	status      int
	pausedUntil int64
	f           float64 // frustration: what experience does to churn and skips
	nextOrder   int64
	priceNoted  bool

	// outcomes for truth
	activeAtStart bool
	churned       bool
	reactivated   bool
	revenue       int64
	refunds       int64
	orders        int
	contacts      int
	unresolved    int
	repeats       int

	events []evRec
	cons   []contactRec
}

const (
	altNone = iota
	altPhone
	altHandle
)

// newCustomer draws customer idx's traits. g must be seeded for this customer.
func (w *world) newCustomer(c *customer, idx int) {
	g := w.rng
	*c = customer{arena: c.arena[:0], events: c.events[:0], cons: c.cons[:0]}
	c.idx = idx
	c.end = w.sched.end
	c.seg = w.segWeights.draw(g)
	seg := &w.segs[c.seg]
	c.region = w.regionWeights.draw(g)
	c.plan = seg.plans[seg.planWeight.draw(g)]
	c.first = pickString(g, w.firsts)
	c.last = pickString(g, w.lasts)
	c.arena = append(c.arena, 'C')
	c.arena = strconv.AppendInt(c.arena, int64(100001+idx), 10)
	c.id = c.arena[:len(c.arena):len(c.arena)]
	n := len(c.arena)
	c.arena = appendEmail(c.arena, g, c.first, c.last, idx+1, w.domains)
	c.email = c.arena[n:len(c.arena):len(c.arena)]
	n = len(c.arena)
	c.arena = appendHandle(c.arena, g, c.first, c.last, idx+1)
	c.handle = c.arena[n:len(c.arena):len(c.arena)]
	n = len(c.arena)
	reg := &w.regs[c.region]
	c.arena = appendPostcode(c.arena, g, reg.areas[g.intn(len(reg.areas))])
	c.post = c.arena[n:len(c.arena):len(c.arena)]
	c.phone = phoneDigits(w.cfg.Seed, idx)

	// Identities: about 12% have a second identity the record lacks; two contacts or more make it a link.
	switch {
	case g.chance(0.10):
		c.alt = altPhone
	case g.chance(0.04):
		c.alt = altHandle
	}
	c.hasPhone = c.alt != altPhone && g.chance(0.75)
	c.hasHandle = c.alt != altHandle && g.chance(0.15+0.2*b2f(c.seg == segSingle || c.seg == segBudget))

	c.dw = 1 + w.dayWeights.draw(g)
	c.chargeOff = 3 + int64(g.intn(4))
	c.chargeSec = int64(6*hour + g.intn(17*hour))
	c.deliverSec = int64(8*hour + g.intn(12*hour))
	c.temper = 0.25*g.norm() + 0.02
	c.prop = g.lognormal(1, 0.6)
	c.typo = clamp(g.exp(0.08), 0, 0.6)
	c.lower = g.chance(0.14)
	c.emoji = clamp(g.exp(0.12), 0, 0.7)
	c.loyalty = clamp(0.55+0.2*g.norm()+0.1*b2f(c.seg == segPremium), 0, 1)
	for ch, p := range seg.channels {
		c.chanPref[ch] = p * g.lognormal(1, 0.45)
	}
	switch c.alt { // people reached through a phone or a handle use those channels
	case altPhone:
		c.chanPref[chVoice] *= 2
		c.chanPref[chMessaging] *= 2
	case altHandle:
		c.chanPref[chSocial] *= 5
	}
	c.dob = [3]int{1 + g.intn(28), 1 + g.intn(12), 1950 + g.intn(55)}
	c.cardGroup = g.intn(3)
	if g.chance(0.045) {
		c.vuln = 1 + w.vulnWeights.draw(g)
		c.prop *= 1.3
	}

	// Signup: some join during the window; the rest joined in the 18 months before, skewed recent
	// because long-standing cohorts have thinned out.
	s := &w.sched
	hist := int64(548)
	if int64(w.cfg.Days)+60 > hist {
		hist = int64(w.cfg.Days) + 60
	}
	pNew := clamp(0.18*float64(w.cfg.Days)/90, 0.05, 0.45)
	if g.chance(pNew) {
		c.isNew = true
		c.signup = s.start - 3*day + g.between(0, int64(w.cfg.Days-7)*day)
	} else {
		span := float64(hist*day - int64(w.cfg.Days)*day - 7*day)
		u := g.float()
		c.signup = s.start - 7*day - int64(span*u*u)
		c.signup -= c.signup % 60
		if g.chance(0.035) && s.start-c.signup > 40*day {
			c.lapsed = true
		}
	}
	c.signup -= c.signup % 60
	if c.vuln == vulnBereavement {
		c.vulnAt = s.start + g.between(2*day, int64(w.cfg.Days-3)*day)
	}
	c.nextOrder = int64(idx)*1000 + 100000
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func (c *customer) event(at int64, name int, value int64, order int64, aux int) {
	if at >= c.end {
		return // after the export
	}
	c.events = append(c.events, evRec{at: at, name: uint8(name), value: value, order: order, aux: int8(aux)})
}

// price is the weekly box price at time t for the customer's plan.
func (w *world) price(c *customer, t int64) int64 {
	p := w.plans[c.plan].price
	if w.segs[c.seg].premium {
		p += premiumUplift
	}
	if t >= w.sched.priceEffective {
		p += priceRise
	}
	return p
}

// live simulates one customer's window: orders, deliveries, problems, contacts, and the churn they cause.
func (w *world) live(c *customer) {
	g := w.rng
	s := &w.sched
	c.event(c.signup, evSubStarted, 0, 0, -1)
	c.status = stActive
	if c.lapsed {
		at := c.signup + g.between(30*day, s.start-c.signup-7*day)
		c.event(at, evSubCancelled, 0, 0, w.lapseReason(c))
		c.status = stCancelled
	}
	c.activeAtStart = !c.isNew && !c.lapsed

	t0 := s.start
	if c.signup > t0 {
		t0 = c.signup
	}
	if c.isNew {
		w.onboarding(c)
	}
	// First delivery whose charge falls inside the window (and after signup).
	d := t0 - t0%day
	for int((d/day+4)%7) != c.dw || d-c.chargeOff*day+c.chargeSec < t0 {
		d += day
	}
	prev := t0
	week := 0
	for ; d < s.end; d += 7 * day {
		w.week(c, prev, d, week)
		prev = d
		week++
	}
	// Background contacts after the last delivery day, up to End.
	if prev < s.end && c.status == stActive {
		w.background(c, prev, s.end, float64(s.end-prev)/float64(7*day))
	}
}

func (w *world) lapseReason(c *customer) int {
	r := w.rng.intn(10)
	switch {
	case r < 4:
		return reasonPrice
	case r < 7:
		return reasonValue
	case r < 8:
		return reasonMoving
	default:
		return reasonOther
	}
}

// onboarding schedules a new customer's first questions.
func (w *world) onboarding(c *customer) {
	g := w.rng
	if g.chance(0.55) {
		w.contact(c, iFirstBoxQuestions, c.signup+g.between(10*60, 4*day), causeOnboarding, -1)
	}
	if g.chance(0.30) {
		w.contact(c, iMenuSelection, c.signup+g.between(day, 10*day), causeOnboarding, -1)
	}
	if g.chance(0.12) {
		w.contact(c, iAccountLogin, c.signup+g.between(hour, 7*day), causeOnboarding, -1)
	}
}

// week runs one delivery cycle ending with the delivery on day d (midnight), from prev.
func (w *world) week(c *customer, prev, d int64, week int) {
	g := w.rng
	s := &w.sched
	seg := &w.segs[c.seg]
	weeks := float64(d-prev) / float64(7*day)

	if c.vuln == vulnBereavement && c.vulnAt >= prev && c.vulnAt < d && c.status != stCancelled {
		w.bereavement(c)
		return
	}
	switch c.status {
	case stCancelled:
		w.backgroundCancelled(c, prev, d, weeks)
		p := 0.004
		if c.lapsed {
			p = 0.012
		}
		if g.chance(p * weeks) {
			at := prev + g.between(0, d-prev-hour)
			w.reactivate(c, at, d)
		}
		return
	case stPaused:
		if d-c.chargeOff*day < c.pausedUntil {
			w.backgroundCancelled(c, prev, d, weeks*0.5)
			return
		}
		c.status = stActive
		c.event(c.pausedUntil, evSubResumed, 0, 0, -1)
	}

	w.background(c, prev, d, weeks)
	if !c.priceNoted && s.priceAnnounce >= prev && s.priceAnnounce < d {
		c.priceNoted = true
		p := [numSegments]float64{0.09, 0.08, 0.12, 0.04, 0.22}[c.seg]
		if c.vuln == vulnMoney {
			p = 0.4
		}
		if g.chance(p) {
			w.contact(c, iPriceIncrease, s.priceAnnounce+g.between(hour, 5*day), causePrice, -1)
		}
	}

	charge := d - c.chargeOff*day + c.chargeSec
	order := c.nextOrder
	c.nextOrder++

	// Skip.
	pSkip := logistic(logit(seg.skip) + w.fx.skipPerFrustration*c.f + 0.6*b2f(c.vuln == vulnMoney))
	skipFailed := false
	if g.chance(pSkip) {
		at := charge - g.between(2*hour, 60*hour)
		if at < prev {
			at = prev + g.between(0, charge-prev)
		}
		if g.chance(0.30) {
			res := w.contact(c, iSkipWeek, at, causeSkip, order)
			if res.ok && res.at < charge {
				c.event(res.at, evBoxSkipped, 0, order, -1)
				w.weekEnd(c, d)
				return
			}
			skipFailed = true
		} else {
			c.event(at, evBoxSkipped, 0, order, -1)
			w.weekEnd(c, d)
			return
		}
	}

	// Payment.
	paidAt := charge
	pFail := [numSegments]float64{0.02, 0.02, 0.025, 0.008, 0.035}[c.seg]
	if c.vuln == vulnMoney {
		pFail = 0.15
	}
	if s.payDown(charge) {
		pFail = 0.8
	}
	if g.chance(pFail) {
		c.event(charge, evPaymentFailed, 0, order, -1)
		paidAt = -1
		pContact := 0.45
		if s.payDown(charge) {
			pContact = 0.6
		}
		if g.chance(pContact) {
			res := w.contact(c, iPaymentFailed, charge+g.between(20*60, 18*hour), causePayment, order)
			if res.ok && res.at < d-12*hour {
				paidAt = res.at
			}
		}
		if paidAt < 0 && g.chance(0.75) {
			paidAt = charge + day
			if s.payDown(paidAt) {
				paidAt = s.payTo + g.between(hour, 5*hour)
			}
		}
		if g.chance(0.12) {
			res := w.contact(c, iUpdatePaymentMethod, charge+g.between(hour, 4*day), causePayment, -1)
			if res.ok {
				c.event(res.at, evPaymentMethodUpdated, 0, 0, -1)
			}
		}
		if paidAt < 0 || paidAt >= d {
			c.f += 0.4
			w.weekEnd(c, d)
			return
		}
	}
	value := w.price(c, paidAt)
	if c.isNew && week < 2 {
		value = value * 60 / 100 // introductory discount on the first two boxes
	}
	if g.chance(0.22) {
		value += 300 + 100*int64(g.intn(10)) // add-ons: desserts, breakfasts, drinks
	}
	c.event(paidAt, evOrderPlaced, value, order, int(c.plan))
	c.revenue += value
	c.orders++

	w.deliver(c, d, order, value, skipFailed)
	w.weekEnd(c, d)
}

// deliver plays out the delivery of order on day d and the problems it brings.
func (w *world) deliver(c *customer, d, order, value int64, skipFailed bool) {
	g := w.rng
	s := &w.sched
	reg := &w.regs[c.region]
	outage := reg.north && s.courierOut(d+12*hour)
	pDelay := 0.045
	if outage {
		pDelay = 0.8
	}
	var delivered int64
	if g.chance(pDelay) {
		c.event(d+g.between(15*hour, 19*hour), evDeliveryDelayed, 0, order, -1)
		delivered = d + g.between(1, 2)*day + g.between(9*hour, 18*hour)
		if outage && s.courierTo > d {
			delivered = s.courierTo + g.between(8*hour, 30*hour)
		}
		c.f += 0.3
		pW := 0.5
		if outage {
			pW = 0.65
		}
		if g.chance(pW) {
			cause := causeDelay
			if outage {
				cause = causeOutage
			}
			res := w.contact(c, iWhereIsMyBox, d+g.between(16*hour, 34*hour), cause, order)
			// A box two days late brings a second "where is it" even after a helpful answer.
			if res.ok && delivered-d > 2*day && g.chance(0.35) {
				w.contact(c, iWhereIsMyBox, res.at+g.between(18*hour, 30*hour), cause, order)
			}
		}
		if delivered < s.end {
			c.event(delivered, evDelivered, 0, order, -1)
			pC := 0.08
			if outage {
				pC = 0.22
			}
			if g.chance(pC) {
				w.contact(c, iCourierComplaint, delivered+g.between(hour, 30*hour), causeDelay, order)
			}
		}
	} else {
		delivered = d + c.deliverSec + g.between(-hour, hour)
		c.event(delivered, evDelivered, 0, order, -1)
		if g.chance(0.008) {
			w.contact(c, iCourierComplaint, delivered+g.between(hour, 30*hour), causeBackground, order)
		}
	}
	if delivered >= s.end {
		return
	}
	problem := func(pEvent float64, ev int, pContact float64, intent int, cause int) {
		if !g.chance(pEvent) {
			return
		}
		item := g.intn(len(w.items))
		if ev >= 0 {
			c.event(delivered+g.between(10*60, 40*60), ev, 0, order, item)
		}
		c.f += 0.25
		if g.chance(pContact) {
			w.contactItem(c, intent, delivered+g.between(hour, 30*hour), cause, order, item)
		}
	}
	problem(0.055, evItemMissing, 0.70, iMissingItem, causeMissing)
	problem(0.022, evItemDamaged, 0.65, iDamagedItem, causeDamaged)
	problem(0.012, evItemWrong, 0.60, iWrongItem, causeWrong)
	problem(0.020, -1, 0.60, iQualityComplaint, causeQuality)
	if skipFailed && g.chance(0.5) {
		w.contactN(c, iRefundRequest, delivered+g.between(hour, 2*day), causeForgotSkip, order, int(value/100))
	}
}

// weekEnd applies the week's decisions: frustration decays, and the customer may cancel, pause or change.
func (w *world) weekEnd(c *customer, d int64) {
	g := w.rng
	s := &w.sched
	seg := &w.segs[c.seg]
	c.f *= w.fx.frustrationDecay
	if c.status != stActive {
		return
	}
	tenureWeeks := (d - c.signup) / (7 * day)
	x := logit(seg.churn) + w.fx.churnPerFrustration*c.f
	if tenureWeeks < 6 {
		x += w.fx.churnNewCustomer
	}
	if d >= s.priceEffective && d < s.priceEffective+28*day {
		x += [numSegments]float64{0.2, 0.25, 0.35, 0.1, 0.6}[c.seg]
	}
	if c.vuln == vulnMoney || c.vuln == vulnIllness {
		x += 0.4
	}
	at := d + g.between(day, 6*day)
	if at >= s.end {
		return
	}
	switch {
	case g.chance(logistic(x)):
		w.cancel(c, at)
	case g.chance(0.01 + 0.03*b2f(c.vuln == vulnMoney || c.vuln == vulnIllness)):
		weeks := int64(2 + g.intn(5))
		if g.chance(0.35) {
			res := w.contactN(c, iPauseSubscription, at, causePause, -1, int(weeks))
			if !res.ok {
				return
			}
			at = res.at
		}
		c.event(at, evSubPaused, 0, 0, -1)
		c.status = stPaused
		c.pausedUntil = at + weeks*7*day
	case g.chance(0.008):
		np := w.segs[c.seg].plans[g.intn(len(w.segs[c.seg].plans))]
		if np == c.plan {
			return
		}
		if g.chance(0.4) {
			res := w.contactN(c, iChangePlan, at, causePlan, -1, np)
			if !res.ok {
				return
			}
			at = res.at
		}
		c.plan = np
		c.event(at, evPlanChanged, 0, 0, np)
	case g.chance(0.01):
		nd := 1 + (c.dw+g.intn(5))%6
		if g.chance(0.6) {
			res := w.contactN(c, iChangeDeliveryDay, at, causeDayChange, -1, nd)
			if !res.ok {
				return
			}
			at = res.at
		}
		c.event(at, evDeliveryDayChanged, 0, 0, nd)
		c.dw = nd
	case g.chance(0.006):
		if g.chance(0.5) {
			res := w.contact(c, iChangeAddress, at, causeAddress, -1)
			if !res.ok {
				return
			}
			at = res.at
		}
		c.event(at, evAddressChanged, 0, 0, -1)
	}
}

// cancel ends the subscription at about at: through a contact (where retention may save it) or self-serve.
func (w *world) cancel(c *customer, at int64) {
	g := w.rng
	reason := reasonOther
	switch {
	case c.f > 0.8:
		reason = reasonExperience
	case at >= w.sched.priceAnnounce && g.chance(0.5):
		reason = reasonPrice
	case g.chance(0.5):
		reason = reasonValue
	case g.chance(0.3):
		reason = reasonMoving
	}
	if g.chance(0.6) {
		res := w.contact(c, iCancelSubscription, at, causeChurn, -1)
		if res.ok && res.saved {
			if g.chance(0.5) {
				c.event(res.at, evSubPaused, 0, 0, -1)
				c.status = stPaused
				c.pausedUntil = res.at + 4*7*day
			}
			c.f *= 0.5
			return
		}
		if res.ok {
			at = res.at
		} else {
			at = res.at + g.between(day, 3*day) // gave up on us and cancelled online
		}
	}
	if at >= w.sched.end {
		return
	}
	c.event(at, evSubCancelled, 0, 0, reason)
	c.status = stCancelled
	c.churned = true
}

// bereavement: a relative gets in touch to cancel the account holder's box.
func (w *world) bereavement(c *customer) {
	res := w.contact(c, iCancelSubscription, c.vulnAt, causeBereavement, -1)
	at := res.at
	if !res.ok {
		at += w.rng.between(day, 3*day)
	}
	if at >= w.sched.end {
		return
	}
	c.event(at, evSubCancelled, 0, 0, reasonBereavement)
	c.status = stCancelled
	c.churned = true
}

func (w *world) reactivate(c *customer, at, d int64) {
	if w.rng.chance(0.45) {
		res := w.contact(c, iReactivateSubscription, at, causeReactivate, -1)
		if !res.ok {
			return
		}
		at = res.at
	}
	if at >= w.sched.end {
		return
	}
	c.event(at, evSubStarted, 0, 0, -1)
	c.status = stActive
	c.reactivated = true
	c.f = 0
}

// background draws the contacts nobody planned: questions, admin and small problems.
func (w *world) background(c *customer, from, to int64, weeks float64) {
	g := w.rng
	if to <= from {
		return
	}
	n := g.poisson(w.fx.backgroundRate * w.segs[c.seg].contact * c.prop * weeks)
	for range n {
		wts := &w.bgScratch
		*wts = w.bgWeights
		if c.seg == segBudget || c.vuln == vulnMoney {
			wts[iPromoCode] *= 2
		}
		if c.signup > from-28*day {
			wts[iMenuSelection] *= 3
			wts[iAccountLogin] *= 1.5
		}
		intent := drawFrom(g, wts[:])
		w.contact(c, intent, from+g.between(0, to-from-1), causeBackground, -1)
	}
}

// backgroundCancelled is the trickle of contacts from customers who are not receiving boxes.
func (w *world) backgroundCancelled(c *customer, from, to int64, weeks float64) {
	g := w.rng
	if to <= from {
		return
	}
	n := g.poisson(0.06 * c.prop * weeks)
	for range n {
		intent := w.cancelledMix[g.intn(len(w.cancelledMix))]
		w.contact(c, intent, from+g.between(0, to-from-1), causeBackground, -1)
	}
}
