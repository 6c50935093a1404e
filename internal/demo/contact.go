package demo

// Why a contact happened; it shapes wording, emotion and truth.
const (
	causeBackground = iota
	causeDelay
	causeOutage
	causeMissing
	causeDamaged
	causeWrong
	causeQuality
	causePayment
	causeSkip
	causeChurn
	causePause
	causePlan
	causeDayChange
	causeAddress
	causeOnboarding
	causePrice
	causeReactivate
	causeBereavement
	causeForgotSkip
)

// Contact flags.
const (
	fBot = 1 << iota
	fEscalated
	fAbandoned
	fResolved
	fNewBot
	fGreeted
	fNotice
	fEmpathyNeeded
	fEmpathyShown
	fVerified
	fProhibited
	fClosing
	fFollowUp
	fSaved
	fRepeat
	fLoopsGaveUp // the bot never understood
)

// contactRec is one simulated interaction, before it is written out.
type contactRec struct {
	at, end   int64
	human     int64 // when a human picked it up (0 if never)
	order     int64
	wait      int32
	handle    int32
	botDur    int32
	cost      int32 // pence
	refund    int32 // pence refunded when resolved
	flags     uint32
	agent     int16
	intent    uint8
	channel   uint8
	humanCh   uint8
	cause     uint8
	emotion   uint8
	vuln      uint8
	chase     uint8
	botLoops  uint8
	transfers uint8
	item      int8
	param     int16 // weeks, new plan, new delivery day, order value in pounds: depends on intent
}

func (k *contactRec) has(f uint32) bool { return k.flags&f != 0 }

// outcome is what the customer got from a chain of contacts about one need.
type outcome struct {
	ok     bool  // eventually resolved
	at     int64 // when it was resolved, or when the last attempt ended
	refund int64 // pence refunded
	saved  bool  // a retention agent kept a cancelling customer
}

func (w *world) contact(c *customer, intent int, at int64, cause int, order int64) outcome {
	return w.contactX(c, intent, at, cause, order, -1, -1)
}

func (w *world) contactItem(c *customer, intent int, at int64, cause int, order int64, item int) outcome {
	return w.contactX(c, intent, at, cause, order, item, -1)
}

func (w *world) contactN(c *customer, intent int, at int64, cause int, order int64, param int) outcome {
	return w.contactX(c, intent, at, cause, order, -1, param)
}

// contactX simulates a need and the contacts it takes: unresolved contacts are followed by repeats,
// sometimes on another channel, until it is resolved or the customer gives up.
func (w *world) contactX(c *customer, intent int, at int64, cause int, order int64, item, param int) outcome {
	s := &w.sched
	if at < s.start {
		return outcome{ok: true, at: at} // before the window: happened off-screen
	}
	if at >= s.end {
		return outcome{at: at}
	}
	g := w.rng
	prevCh := -1
	for chase := 0; ; chase++ {
		i := w.simulate(c, intent, at, cause, order, item, param, chase, prevCh)
		k := &c.cons[i]
		if k.has(fResolved) {
			out := outcome{ok: true, at: k.end, refund: int64(k.refund), saved: k.has(fSaved)}
			if k.refund > 0 && k.end < s.end {
				c.event(k.end, evRefundIssued, int64(k.refund), order, -1)
				c.refunds += int64(k.refund)
			}
			return out
		}
		p := 0.6
		if k.has(fAbandoned) {
			p = 0.75
		}
		if chase >= 1 {
			p = 0.4
		}
		next := k.end + g.between(2*hour, 72*hour)
		if chase >= 2 || next >= s.end || !g.chance(p) {
			return outcome{at: k.end}
		}
		prevCh = int(k.channel)
		at = next
	}
}

// simulate plays one contact and appends it to c.cons; it returns its index.
func (w *world) simulate(c *customer, intent int, at int64, cause int, order int64, item, param, chase, prevCh int) int {
	g := w.rng
	s := &w.sched
	spec := &w.intents[intent]
	k := contactRec{at: at, intent: uint8(intent), cause: uint8(cause), chase: uint8(chase), order: order,
		item: int8(item), param: int16(param), agent: -1}
	if item < 0 {
		k.item = int8(g.intn(len(w.items)))
	}
	vulnShown := c.vuln != vulnNone && (cause == causeBereavement || g.chance(0.8))
	if c.vuln == vulnBereavement && cause != causeBereavement && !w.bereavementTopic[intent] {
		vulnShown = false // grief comes up when it bears on the request, not when asking about recipes
	}
	if vulnShown {
		k.vuln = uint8(c.vuln)
	}
	e := 0.8*spec.EmotionalWeight + 0.3*float64(chase) + c.temper + 0.08*c.f + 0.15*g.norm()
	if cause == causeOutage || cause == causeDelay {
		e += 0.15
	}
	if cause == causeBereavement {
		e = 0.8 + 0.1*g.float() // grief, not anger: it is the empathy that matters
	}
	switch {
	case e >= 0.7:
		k.emotion = 2
	case e >= 0.35:
		k.emotion = 1
	}
	ch := w.chooseChannel(c, intent, int(k.emotion), prevCh, cause)
	k.channel = uint8(ch)
	k.humanCh = uint8(ch)
	if ch == chWeb {
		k.humanCh = chChat
	}
	emotional := spec.EmotionalWeight >= 0.55 || vulnShown
	resolved := false
	human := true
	if botFirst(ch) {
		k.flags |= fBot
		und, skill := spec.BotUnderstanding, spec.BotSkill
		if s.newBot(at) {
			k.flags |= fNewBot
			if w.degraded[intent] {
				und, skill = 0.5, 0.55
			}
		}
		if emotional {
			skill *= 0.45
		}
		if k.emotion == 2 {
			und *= 0.92
		}
		understood := g.chance(und)
		if !understood {
			k.botLoops = 1
			if understood = g.chance(und * 0.6); !understood {
				k.botLoops = 2
				k.flags |= fLoopsGaveUp
			}
		}
		dur := 45 + 40*float64(k.botLoops) + g.lognormal(60, 0.4)
		human = false
		switch {
		case understood && g.chance(skill):
			resolved = true
			dur += g.lognormal(70, 0.4)
		default:
			pEsc := 0.78
			if !understood {
				pEsc = 0.6
			}
			if emotional {
				pEsc = 0.8
			}
			if g.chance(pEsc) {
				k.flags |= fEscalated
				human = true
			} else {
				k.flags |= fAbandoned
			}
		}
		k.botDur = int32(dur)
		k.cost = w.costBot[ch]
	}
	start := at + int64(k.botDur)
	k.end = start
	if human {
		hc := int(k.humanCh)
		wait := w.waitTime(hc, start)
		patience := -1.0
		switch hc {
		case chVoice:
			patience = g.exp(1000 * (1 - 0.4*clamp(c.temper, -0.5, 0.5)))
		case chChat:
			patience = g.exp(480)
		case chMessaging:
			patience = g.exp(5400)
		}
		if patience >= 0 && float64(wait) > patience {
			k.flags |= fAbandoned
			k.wait = int32(patience) + 1
			k.end = start + int64(k.wait)
			k.cost += w.costAbandon[hc]
		} else {
			k.wait = int32(wait)
			resolved = w.humanPart(c, &k, spec, start+wait, emotional)
		}
	}
	if k.end >= s.end {
		// The export is taken at End: nothing may end after it, so the thread is cut there.
		k.end = s.end - 1
		k.flags &^= fFollowUp
		k.human = min(k.human, k.end)
		k.wait = int32(min(int64(k.wait), max(0, k.end-start)))
	}
	if resolved {
		k.flags |= fResolved
		w.resolveEffects(c, &k, spec)
	}
	w.frustrate(c, &k, spec, emotional)
	c.contacts++
	if !resolved {
		c.unresolved++
	}
	if chase > 0 {
		c.repeats++
	}
	c.cons = append(c.cons, k)
	return len(c.cons) - 1
}

// humanPart routes the contact to an agent and plays the conversation's outcome. from is when the agent answers.
func (w *world) humanPart(c *customer, k *contactRec, spec *IntentSpec, from int64, emotional bool) bool {
	g := w.rng
	s := &w.sched
	hc := int(k.humanCh)
	team := teamOf(spec.Queue)
	p := w.partnerShare[team].draw(g)
	if hc == chSocial || len(w.byTeam[team][p]) == 0 {
		p = partnerInHouse // the brand's social accounts are answered in-house
	}
	pool := w.byTeam[team][p]
	ai := pool[g.intn(len(pool))]
	a := &w.agents[ai]
	ps := &w.partners[p]
	k.agent = int16(ai)
	k.human = from
	sl := 0.0
	if p == partnerCoastline {
		sl = s.slide(from)
	}
	skill := a.Skill - w.fx.partnerSkillSlide*sl

	if hc == chVoice || hc == chChat {
		pt := 0.05 + 0.05*b2f(p == partnerNorthwind) + 0.06*sl
		if g.chance(pt) {
			k.transfers = 1
			if g.chance(0.2) {
				k.transfers = 2
			}
		}
	}
	pRes := spec.HumanResolution + 0.9*(skill-0.75) - 0.05*float64(k.emotion) + 0.04*float64(k.chase)
	if k.intent == iWhereIsMyBox && k.cause == causeOutage {
		pRes -= 0.3 // the courier cannot say where anything is
	}
	if k.intent == iPaymentFailed && s.payDown(from) {
		pRes = 0.25
	}
	pRes -= 0.08 * float64(k.transfers)
	resolved := g.chance(clamp(pRes, 0.05, 0.98))

	if !g.chance(ps.greetMiss + 0.25*sl) {
		k.flags |= fGreeted
	}
	if hc == chVoice && !g.chance(ps.noticeMiss+0.2*sl) {
		k.flags |= fNotice
	}
	if spec.EmotionalWeight >= 0.3 || k.emotion >= 1 || k.vuln != vulnNone {
		k.flags |= fEmpathyNeeded
		if g.chance(clamp(ps.empathy-0.35*sl+0.3*(skill-0.75), 0.05, 0.98)) {
			k.flags |= fEmpathyShown
		}
	}
	if !g.chance(ps.verifyMiss + 0.15*sl) {
		k.flags |= fVerified
	}
	if k.emotion >= 1 {
		pp := (ps.prohibited + 0.03*sl) * float64(k.emotion)
		if a.BadApple {
			pp *= 8
		}
		if g.chance(pp) {
			k.flags |= fProhibited
			if g.chance(0.5) {
				resolved = false
			}
		}
	}
	if g.chance(0.93 - 0.2*sl) {
		k.flags |= fClosing
	}

	handle := float64(spec.HandleSeconds) * w.handleFactor[hc] * g.lognormal(1, 0.3) * (1.3 - 0.4*skill)
	handle += 100 * float64(k.transfers)
	if !resolved {
		handle *= 1.15
	}
	k.handle = int32(handle)
	k.cost += w.costHuman[hc]
	switch hc {
	case chEmail:
		// The elapsed time is the reply wait plus, when the customer writes again, a second round.
		k.end = from + int64(handle/4)
		if (!resolved && g.chance(0.5)) || (resolved && g.chance(0.4)) {
			k.flags |= fFollowUp
			k.end += g.between(2*hour, 30*hour)
			if !resolved {
				k.end += int64(g.lognormal(5*hour, 0.6))
			}
		}
	case chSocial:
		k.end = from + int64(handle) + g.between(10*60, 3*hour)
	default:
		k.end = from + int64(handle)
	}
	if resolved && k.intent == iCancelSubscription && k.cause == causeChurn && a.team == teamRetention {
		if g.chance(clamp(0.1+0.35*(skill-0.5)+0.15*b2f(c.vuln == vulnMoney), 0.02, 0.5)) {
			k.flags |= fSaved
		}
	}
	return resolved
}

// resolveEffects sets what a resolved contact gives the customer: refunds for product problems.
func (w *world) resolveEffects(c *customer, k *contactRec, spec *IntentSpec) {
	g := w.rng
	switch int(k.intent) {
	case iMissingItem, iDamagedItem, iWrongItem, iQualityComplaint:
		if g.chance(0.2) {
			k.refund = int32(1000 + 100*g.intn(11)) // the whole recipe
		} else {
			k.refund = int32(250 + 50*g.intn(14))
		}
	case iRefundRequest:
		if k.cause == causeForgotSkip && k.param > 0 {
			k.refund = int32(k.param) * 100
		} else {
			k.refund = int32(500 + 100*g.intn(36))
		}
	}
}

// frustrate applies what the contact did to the customer's frustration (see Effects in truth.json).
func (w *world) frustrate(c *customer, k *contactRec, spec *IntentSpec, emotional bool) {
	fx := &w.fx
	df := 0.0
	if k.has(fResolved) {
		df -= fx.resolvedRelief
		if k.has(fEmpathyNeeded) && k.has(fEmpathyShown) {
			df -= fx.empathyRelief
		}
	} else {
		df += fx.unresolved
	}
	if k.has(fAbandoned) {
		df += fx.abandoned
	}
	if k.chase > 0 {
		df += fx.repeat
	}
	df += fx.transfer * float64(k.transfers)
	if k.wait > 600 && k.humanCh != chEmail && k.humanCh != chSocial {
		df += fx.longWait
	}
	if k.botLoops >= 2 {
		df += fx.botLoops
	}
	if k.has(fBot) && emotional {
		df += fx.botEmotional
	}
	if k.has(fProhibited) {
		df += fx.prohibited
	}
	c.f += df
	if c.f < 0 {
		c.f = 0
	}
}

// chooseChannel picks where the customer gets in touch.
func (w *world) chooseChannel(c *customer, intent, emotion, prevCh, cause int) int {
	g := w.rng
	if prevCh >= 0 && g.chance(0.65) {
		return prevCh
	}
	var wt [numChannels]float64
	for ch := range wt {
		wt[ch] = c.chanPref[ch] * w.intentChannel[intent][ch]
	}
	if emotion == 2 {
		wt[chSocial] *= 1.8
		wt[chVoice] *= 1.3
	}
	if cause == causeBereavement {
		wt[chVoice] *= 2.5
		wt[chEmail] *= 2
	}
	if c.vuln == vulnAccessibility {
		wt[chVoice] *= 0.3
	}
	if prevCh >= 0 {
		wt[prevCh] = 0
		wt[chVoice] *= 2
	}
	return drawFrom(g, wt[:])
}

// waitTime is the queue wait for a human on channel ch at t; incident days load the queues.
func (w *world) waitTime(ch int, t int64) int64 {
	g := w.rng
	s := &w.sched
	load := 1.0
	if t >= s.courierFrom && t < s.courierTo+day {
		load += 1.4
	}
	if t >= s.payFrom && t < s.payTo+6*hour {
		load += 1.0
	}
	if (t/day+4)%7 == 1 {
		load *= 1.25 // Mondays
	}
	var v float64
	switch ch {
	case chVoice:
		v = g.lognormal(95*load, 0.9)
	case chChat:
		v = g.lognormal(50*load, 0.8)
	case chMessaging:
		v = g.lognormal(240*load, 0.9)
	case chEmail:
		v = clamp(g.lognormal(6*hour*load, 0.8), 600, 3*day)
	case chSocial:
		v = g.lognormal(45*60*load, 0.8)
	default:
		v = g.lognormal(20*60*load, 0.8)
	}
	if v > 3*day {
		v = 3 * day
	}
	return int64(v) + 3
}
