package demo

import (
	"slices"
	"strconv"
	"strings"
)

// Speakers of a turn.
const (
	spCustomer = iota
	spBot
	spAgent
	spSystem
)

func speakerNames() []string { return []string{"customer", "bot", "agent", "system"} }

// turn is a span of the text arena said by one speaker; seg 0 is before a human answers, 1 after.
type turn struct {
	speaker uint8
	seg     uint8
	off     int32
	end     int32
}

// piiHit is one planted identifier: its kind and a copy of the text as written.
type piiHit struct {
	turn int
	kind int
	off  int32 // into the arena until the turn is done, then into renderer.piiText
	end  int32
}

// renderer holds the scratch buffers for writing one customer; they are reused for the next.
type renderer struct {
	line     []byte
	tb       []byte
	sb       []byte
	turns    []turn
	sv       slotValues
	pii      []piiHit
	piiDone  int // hits already copied to piiText
	piiText  []byte
	speakers []string
	onDays   []string
	etas     []string
	weeks    []string
	plansStr []string
	months   []string
	emoji    [3][]string // by emotion: calm, frustrated, angry
	refs     []int8      // identity reference mode per contact
	clock    timeCache
	slotC    *customer // the contact whose lazy slots resolveSlot fills
	slotK    *contactRec
	altIDs   []int64
	scratch  []byte
	asr      bool
}

func (r *renderer) init() {
	r.line = make([]byte, 0, 64<<10)
	r.tb = make([]byte, 0, 8<<10)
	r.sb = make([]byte, 0, 1<<10)
	r.speakers = speakerNames()
	for _, d := range weekdayNames() {
		r.onDays = append(r.onDays, "on "+d)
	}
	r.months = []string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"}
	r.emoji = [3][]string{{"🙂", "🙏", "👍", "😊"}, {"🙁", "😕", "😩"}, {"😡", "🤬", "😤"}}
	r.etas = []string{"noon and 2pm", "2pm and 4pm", "4pm and 6pm", "6pm and 8pm", "8pm and 10pm"}
	r.weeks = []string{"a week", "two weeks", "three weeks", "four weeks", "five weeks", "six weeks"}
	for _, p := range plans() {
		r.plansStr = append(r.plansStr, p.name)
	}
}

// Identity reference modes for the "customer" object of an interaction.
const (
	refID = iota
	refEmail
	refPhone
	refHandle
	refAltOnly // only the identity the customer record lacks
	refLink    // email and the alternative identity together: the record that links them
)

// render writes one customer's records, in time order within each file, and their truth rows.
func (w *world) render(c *customer, plan0, dw0 int) {
	slices.SortStableFunc(c.events, func(a, b evRec) int { return cmpInt64(a.at, b.at) })
	slices.SortStableFunc(c.cons, func(a, b contactRec) int { return cmpInt64(a.at, b.at) })
	var last [numIntents]int64
	for i := range c.cons {
		k := &c.cons[i]
		if l := last[k.intent]; l != 0 && k.at-l <= 7*day {
			k.flags |= fRepeat
		}
		last[k.intent] = k.at
	}
	w.assignRefs(c)
	w.writeCustomer(c, plan0, dw0)
	w.writeEvents(c)
	for i := range c.cons {
		w.writeInteraction(c, i)
	}
	w.acc.customer(c)
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// altFits reports whether a channel would naturally carry the customer's unlinked identity.
func altFits(alt, ch int) bool {
	if alt == altPhone {
		return ch == chVoice || ch == chSMS || ch == chMessaging
	}
	return ch == chSocial
}

// assignRefs decides which identity each interaction carries, including the identity-link story:
// early contacts carry only the identity the record lacks, then one record carries both.
func (w *world) assignRefs(c *customer) {
	g := w.rng
	r := &w.r
	r.refs = r.refs[:0]
	for i := range c.cons {
		k := &c.cons[i]
		var m int
		switch int(k.channel) {
		case chVoice, chSMS, chMessaging:
			if c.hasPhone {
				m = refPhone
			} else if g.chance(0.5) {
				m = refID
			} else {
				m = refEmail
			}
		case chEmail:
			m = refEmail
		case chSocial:
			if c.hasHandle {
				m = refHandle
			} else {
				m = refEmail
			}
		default:
			if g.chance(0.5) {
				m = refID
			} else {
				m = refEmail
			}
		}
		r.refs = append(r.refs, int8(m))
	}
	if c.alt == altNone {
		return
	}
	first := -1
	for i := range c.cons {
		if altFits(c.alt, int(c.cons[i].channel)) {
			first = i
			break
		}
	}
	if first < 0 || first+1 >= len(c.cons) {
		return
	}
	link := first + 1
	if link+1 < len(c.cons) && altFits(c.alt, int(c.cons[link].channel)) && g.chance(0.4) {
		r.refs[link] = refAltOnly
		link++
	}
	r.refs[first] = refAltOnly
	r.refs[link] = refLink
	// After the link the alternative identity is known; phone contacts may use it.
	if c.alt == altPhone {
		for i := link + 1; i < len(c.cons); i++ {
			if altFits(altPhone, int(c.cons[i].channel)) {
				r.refs[i] = refPhone
			}
		}
	}
}

func (w *world) writeCustomer(c *customer, plan0, dw0 int) {
	g := w.rng
	b := w.r.line[:0]
	b = append(b, `{"type":"customer","id":`...)
	b = appendJSONString(b, c.id)
	b = append(b, `,"identities":{"email":`...)
	b = appendJSONString(b, c.email)
	if c.hasPhone {
		b = append(b, `,"phone":"`...)
		b = appendPhone(b, c.phone, g.intn(numPhoneFormats))
		b = append(b, '"')
	}
	if c.hasHandle {
		b = append(b, `,"handle":`...)
		b = appendJSONString(b, c.handle)
	}
	b = append(b, `},"name":`...)
	b = appendJSONString(b, c.first+" "+c.last)
	b = append(b, `,"segment":`...)
	b = appendJSONString(b, w.segs[c.seg].name)
	b = append(b, `,"region":`...)
	b = appendJSONString(b, w.regs[c.region].name)
	b = append(b, `,"signup_at":`...)
	b = appendTime(b, c.signup)
	b = append(b, `,"attributes":{"plan":`...)
	b = appendJSONString(b, w.plans[plan0].name)
	b = append(b, `,"delivery_day":`...)
	b = appendJSONString(b, w.weekdays[dw0])
	b = append(b, `,"postcode_area":`...)
	area := c.post
	for i, ch := range area {
		if ch >= '0' && ch <= '9' {
			area = area[:i]
			break
		}
	}
	b = appendJSONString(b, area)
	b = append(b, "}}\n"...)
	w.customers.write(b)
	w.r.line = b
}

func (w *world) writeEvents(c *customer) {
	g := w.rng
	b := w.r.line[:0]
	for i := range c.events {
		e := &c.events[i]
		w.nextEvent++
		b = append(b, `{"type":"event","id":"E`...)
		b = strconv.AppendInt(b, w.nextEvent, 10)
		if g.chance(0.08) {
			b = append(b, `","customer":{"email":`...)
			b = appendJSONString(b, c.email)
			b = append(b, `},"name":"`...)
		} else {
			b = append(b, `","customer":{"id":`...)
			b = appendJSONString(b, c.id)
			b = append(b, `},"name":"`...)
		}
		b = append(b, w.events[e.name]...)
		b = append(b, `","at":`...)
		b = appendTime(b, e.at)
		if e.value > 0 {
			b = append(b, `,"value":`...)
			b = appendMoney(b, e.value)
			b = append(b, `,"currency":"GBP"`...)
		}
		attrs := false
		attr := func(key string) {
			if attrs {
				b = append(b, ',')
			} else {
				b = append(b, `,"attributes":{`...)
				attrs = true
			}
			b = append(b, '"')
			b = append(b, key...)
			b = append(b, `":`...)
		}
		if e.order > 0 {
			attr("order")
			b = append(b, `"HH-`...)
			b = strconv.AppendInt(b, e.order, 10)
			b = append(b, '"')
		}
		switch e.name {
		case evOrderPlaced, evPlanChanged:
			if e.aux >= 0 {
				attr("plan")
				b = appendJSONString(b, w.plans[e.aux].name)
			}
		case evSubCancelled:
			if e.aux >= 0 {
				attr("reason")
				b = appendJSONString(b, w.reasons[e.aux])
			}
		case evItemMissing, evItemDamaged, evItemWrong:
			attr("item")
			b = appendJSONString(b, strings.TrimPrefix(w.items[e.aux], "the "))
		case evDeliveryDelayed, evDelivered:
			attr("courier")
			b = appendJSONString(b, w.regs[c.region].courier)
		case evDeliveryDayChanged:
			attr("delivery_day")
			b = appendJSONString(b, w.weekdays[e.aux])
		}
		if attrs {
			b = append(b, '}')
		}
		b = append(b, "}\n"...)
		w.acc.event(c, e)
	}
	w.eventsOut.write(b)
	w.r.line = b
}

// ---- interactions ----

// setSlots prepares the slot values for contact k. Cheap ones are set now; formatted ones (money,
// identifiers, card numbers) are made on first use by resolveSlot, so most contacts never pay for them.
func (w *world) setSlots(c *customer, k *contactRec) {
	g := w.rng
	r := &w.r
	v := &r.sv
	r.sb = r.sb[:0]
	r.slotC, r.slotK = c, k
	v.pending = lazySlots
	v.setS(slotFirst, c.first)
	v.setS(slotAgent, "")
	team := w.intents[k.intent].Queue
	if k.agent >= 0 {
		a := &w.agents[k.agent]
		v.setS(slotAgent, a.first)
		team = a.Team
	}
	v.setS(slotTeam, team)
	dw := c.dw
	v.setS(slotDay, w.weekdays[dw])
	nd := 1 + (dw+1+g.intn(4))%6
	if k.intent == iChangeDeliveryDay && k.param > 0 {
		nd = int(k.param)
	}
	v.setS(slotNewDay, w.weekdays[nd])
	v.setS(slotItem, w.items[k.item])
	v.setS(slotRecipe, w.recipes[g.intn(len(w.recipes))])
	v.setS(slotIncrease, "£2")
	switch g.intn(4) {
	case 0:
		v.setS(slotWhen, "yesterday")
	case 1:
		v.setS(slotWhen, "last week")
	default:
		v.setS(slotWhen, r.onDays[dw])
	}
	v.setS(slotPlan, r.plansStr[c.plan])
	np := (c.plan + 1 + g.intn(numPlans-1)) % numPlans
	if k.intent == iChangePlan && k.param >= 0 {
		np = int(k.param)
	}
	v.setS(slotNewPlan, r.plansStr[np])
	v.setS(slotCode, w.codes[g.intn(len(w.codes))])
	v.setS(slotDiet, w.diets[g.intn(len(w.diets))])
	v.setS(slotAllergen, w.allergens[g.intn(len(w.allergens))])
	wk := 1 + g.intn(3)
	if (k.intent == iPauseSubscription) && k.param >= 2 && int(k.param) <= len(r.weeks) {
		wk = int(k.param) - 1
	}
	v.setS(slotWeeks, r.weeks[wk])
	v.setS(slotCourier, w.regs[c.region].courier)
	v.setS(slotETA, r.etas[g.intn(len(r.etas))])
	months := (k.at - c.signup) / (30 * day)
	switch {
	case months < 2:
		v.setS(slotTenure, "a few weeks")
	case months < 6:
		v.setS(slotTenure, "a few months")
	case months < 12:
		v.setS(slotTenure, "most of a year")
	default:
		v.setS(slotTenure, "over a year")
	}
	h := (k.at % day) / hour
	switch {
	case h < 12:
		v.setS(slotDaypart, "morning")
	case h < 17:
		v.setS(slotDaypart, "afternoon")
	default:
		v.setS(slotDaypart, "evening")
	}
	v.setB(slotPostcode, c.post)
}

// lazySlots are the slots resolveSlot makes on first use.
const lazySlots = 1<<slotAmount | 1<<slotRefund | 1<<slotPrice | 1<<slotOrder | 1<<slotWait | 1<<slotFullName |
	1<<slotDOB | 1<<slotEmail | 1<<slotPhone | 1<<slotCard | 1<<slotBank

// resolveSlot makes a lazy slot's value for the current contact.
func (w *world) resolveSlot(slot int) {
	g := w.rng
	r := &w.r
	c, k := r.slotC, r.slotK
	n := len(r.sb)
	b := r.sb
	switch slot {
	case slotAmount, slotPrice:
		b = appendPounds(b, w.price(c, k.at))
	case slotRefund:
		refund := int64(k.refund)
		if refund == 0 {
			refund = 300 + 50*int64(g.intn(20))
		}
		b = appendPounds(b, refund)
	case slotOrder:
		order := k.order
		if order <= 0 {
			order = c.nextOrder - 1 - int64(g.intn(3))
		}
		b = strconv.AppendInt(append(b, "HH-"...), order, 10)
	case slotWait:
		b = strconv.AppendInt(b, int64(2+g.intn(9)), 10)
	case slotFullName:
		b = append(append(append(b, c.first...), ' '), c.last...)
	case slotDOB:
		if g.chance(0.6) {
			b = append2(b, c.dob[0])
			b = append(b, '/')
			b = append2(b, c.dob[1])
			b = append(b, '/')
			b = strconv.AppendInt(b, int64(c.dob[2]), 10)
		} else {
			b = strconv.AppendInt(b, int64(c.dob[0]), 10)
			b = append(b, ' ')
			b = append(b, r.months[c.dob[1]-1]...)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(c.dob[2]), 10)
		}
	case slotEmail:
		b = appendEmailCased(b, c.email, emailCasing(g))
	case slotPhone:
		b = appendPhone(b, c.phone, g.intn(numPhoneFormats))
	case slotCard:
		b = appendCardNumber(b, g, c.cardGroup)
	case slotBank:
		b = append(b, "sort code "...)
		b = append2(b, 10+g.intn(90))
		b = append(b, '-')
		b = append2(b, g.intn(100))
		b = append(b, '-')
		b = append2(b, g.intn(100))
		b = append(b, " account "...)
		for range 8 {
			b = append(b, byte('0'+g.intn(10)))
		}
	}
	r.sb = b
	r.sv.setB(slot, b[n:len(b):len(b)])
}

func emailCasing(g *rng) int {
	switch u := g.float(); {
	case u < 0.7:
		return emailLower
	case u < 0.9:
		return emailTitle
	}
	return emailUpper
}

// say appends a whole turn rendered from one template.
func (w *world) say(sp, seg int, t template) {
	r := &w.r
	off := len(r.tb)
	r.tb = fill(r.tb, t, &r.sv)
	w.sentenceCase(off)
	r.turns = append(r.turns, turn{speaker: uint8(sp), seg: uint8(seg), off: int32(off), end: int32(len(r.tb))})
}

// sayPick renders a random template from ts.
func (w *world) sayPick(sp, seg int, ts []template) { w.say(sp, seg, ts[w.rng.intn(len(ts))]) }

// begin opens a turn whose text is built in parts; done closes it.
func (w *world) begin() int { return len(w.r.tb) }

func (w *world) part(t template) {
	r := &w.r
	n := len(r.tb)
	if n > w.turnStart() && r.tb[n-1] != ' ' && r.tb[n-1] != '\n' {
		r.tb = append(r.tb, ' ')
		n++
	}
	r.tb = fill(r.tb, t, &r.sv)
	w.sentenceCase(n)
}

// sentenceCase fixes the first letter of text appended at n: "Hi, can I…" rather than "Hi, Can I…",
// and "The spinach is missing" when a slot opens a sentence. "I" and names keep their capital.
func (w *world) sentenceCase(n int) {
	r := &w.r
	if n+1 >= len(r.tb) {
		return
	}
	start := w.turnStart()
	j := n - 1
	for j >= start && (r.tb[j] == ' ' || r.tb[j] == '\n') {
		j--
	}
	switch {
	case j < start || r.tb[j] == '.' || r.tb[j] == '?' || r.tb[j] == '!' || w.afterHandle(start, j):
		if r.tb[n] >= 'a' && r.tb[n] <= 'z' {
			r.tb[n] -= 'a' - 'A'
		}
	case r.tb[j] == ',' && isUpper(r.tb[n]) && r.tb[n+1] >= 'a' && r.tb[n+1] <= 'z' && !w.nameAt(r.tb[n:]):
		r.tb[n] += 'a' - 'A'
	}
}

// afterHandle reports whether the text before position j+1 is a lone "@Handle".
func (w *world) afterHandle(start, j int) bool {
	for i := j; i >= start; i-- {
		if w.r.tb[i] == ' ' {
			return false
		}
		if w.r.tb[i] == '@' {
			return i == start
		}
	}
	return false
}

func isUpper(b byte) bool { return b >= 'A' && b <= 'Z' }

// nameAt reports whether text starts with a proper noun the phrase bank uses at sentence start.
func (w *world) nameAt(text []byte) bool {
	for _, p := range [...]string{"Hearth", "Parcelway", "SwiftDrop", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Under GDPR"} {
		if len(text) >= len(p) && string(text[:len(p)]) == p {
			return true
		}
	}
	return false
}

func (w *world) turnStart() int {
	if len(w.r.turns) == 0 {
		return 0
	}
	return int(w.r.turns[len(w.r.turns)-1].end)
}

// partTrack is part for customer text that may contain PII: it records each planted value.
func (w *world) partTrack(t template) {
	if t.pii == 0 {
		w.part(t)
		return
	}
	r := &w.r
	if n := len(r.tb); n > w.turnStart() && r.tb[n-1] != ' ' && r.tb[n-1] != '\n' {
		r.tb = append(r.tb, ' ')
	}
	defer w.sentenceCase(len(r.tb))
	for _, p := range t.pieces {
		r.tb = append(r.tb, p.lit...)
		if p.slot < 0 {
			continue
		}
		off := len(r.tb)
		r.tb = r.sv.appendValue(r.tb, p.slot)
		if p.slot >= firstPIISlot {
			r.pii = append(r.pii, piiHit{turn: len(r.turns), kind: p.slot - firstPIISlot, off: int32(off), end: int32(len(r.tb))})
		}
	}
}

func (w *world) done(sp, seg, off int) {
	r := &w.r
	// Copy planted identifiers out now: voice styling later shifts text inside the turn.
	for i := r.piiDone; i < len(r.pii); i++ {
		h := &r.pii[i]
		n := len(r.piiText)
		r.piiText = append(r.piiText, r.tb[h.off:h.end]...)
		if r.asr {
			lowerASCII(r.piiText[n:])
		}
		h.off, h.end = int32(n), int32(len(r.piiText))
	}
	r.piiDone = len(r.pii)
	r.turns = append(r.turns, turn{speaker: uint8(sp), seg: uint8(seg), off: int32(off), end: int32(len(r.tb))})
}

func (w *world) pick(ts []template) template { return ts[w.rng.intn(len(ts))] }

// customerOpener writes the customer's first message, restyled until it is not a training example.
func (w *world) customerOpener(c *customer, k *contactRec, seg int, prefix string, vulnHere bool) {
	g := w.rng
	r := &w.r
	ip := &w.pb.intents[k.intent]
	cp := &w.pb.common
	nPII := len(r.pii)
	for attempt := 0; ; attempt++ {
		r.pii = r.pii[:nPII]
		off := w.begin()
		r.tb = append(r.tb, prefix...)
		if k.emotion < 2 && g.chance(0.4) {
			w.part(w.pick(cp.politeOpen))
		}
		if k.chase > 0 {
			w.part(w.pick(cp.repeatPrefix))
		}
		if k.cause == causeBereavement {
			w.part(w.pick(cp.bereavementOpen))
		} else {
			if vulnHere && g.chance(0.5) {
				w.part(w.pick(cp.vulnCues[k.vuln]))
				vulnHere = false
			}
			w.part(w.pick(ip.openers))
			if vulnHere {
				w.part(w.pick(cp.vulnCues[k.vuln]))
			}
		}
		switch {
		case k.emotion == 2 && g.chance(0.8):
			w.part(w.pick(cp.angry))
		case k.emotion == 1 && g.chance(0.5):
			w.part(w.pick(cp.frustrated))
		}
		if g.chance(0.025) {
			w.partTrack(w.pick(cp.spontaneousPII))
		}
		if k.emotion == 0 && g.chance(0.2) {
			r.tb = append(r.tb, w.pick(cp.politeClose).pieces[0].lit...)
		}
		w.style(c, k, off, len(r.pii) > nPII)
		_, clash := w.train[string(r.tb[off:])]
		if clash && attempt >= openerRerollLimit {
			// Still a training sentence: add a sign-off that makes it a new one.
			n := len(r.tb)
			for _, s := range [...]string{" Thanks so much.", " Cheers for your help.", " Please help!", " Ta very much."} {
				r.tb = append(r.tb[:n], s...)
				if _, clash = w.train[string(r.tb[off:])]; !clash {
					break
				}
			}
		}
		if !clash {
			w.done(spCustomer, seg, off)
			return
		}
		r.tb = r.tb[:off]
	}
}

// customerSays writes a customer turn from templates with styling; vuln adds the cue if not yet given.
func (w *world) customerSays(c *customer, k *contactRec, seg int, ts []template, extra ...template) {
	nPII := len(w.r.pii)
	off := w.begin()
	w.partTrack(w.pick(ts))
	for _, t := range extra {
		w.partTrack(t)
	}
	w.style(c, k, off, len(w.r.pii) > nPII)
	w.done(spCustomer, seg, off)
}

// style varies a customer's message: emoji, casing and typos. Messages holding PII keep their
// characters exact (only lowercasing), so truth-pii.csv matches the text.
func (w *world) style(c *customer, k *contactRec, off int, hasPII bool) {
	g := w.rng
	r := &w.r
	ch := int(k.channel)
	if (ch == chChat || ch == chMessaging || ch == chSocial || ch == chWeb) && g.chance(c.emoji) {
		r.tb = append(r.tb, ' ')
		r.tb = append(r.tb, pickString(g, r.emoji[min(int(k.emotion), 2)])...)
	}
	s := r.tb[off:]
	switch {
	case k.emotion == 2 && !hasPII && g.chance(0.12):
		for i, b := range s {
			if b >= 'a' && b <= 'z' {
				s[i] = b - 'a' + 'A'
			}
		}
	case c.lower || (ch != chEmail && g.chance(0.08)):
		lowerASCII(s)
	}
	if hasPII || ch == chVoice || !g.chance(c.typo) {
		return
	}
	n := 1
	if len(s) > 40 {
		n += g.intn(2)
	}
	for ; n > 0; n-- {
		if len(s) < 8 {
			return
		}
		i := 1 + g.intn(len(s)-3)
		a, b := s[i], s[i+1]
		if !isLetter(a) || !isLetter(b) {
			continue
		}
		if g.chance(0.6) {
			s[i], s[i+1] = b, a // transposition
		} else {
			copy(s[i:], s[i+1:]) // dropped letter
			r.tb = r.tb[:len(r.tb)-1]
			s = r.tb[off:]
		}
	}
}

func isLetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

func lowerASCII(s []byte) {
	for i, b := range s {
		if b >= 'A' && b <= 'Z' {
			s[i] = b + 'a' - 'A'
		}
	}
}

// asrStyle makes a voice turn look like speech-to-text: lower case, no sentence punctuation.
func asrStyle(tb []byte, t *turn) {
	s := tb[t.off:t.end]
	lowerASCII(s)
	j := 0
	for i := 0; i < len(s); i++ {
		b := s[i]
		if (b == '.' || b == ',' || b == '!' || b == '?' || b == ';' || b == ':') && (i+1 == len(s) || s[i+1] == ' ') {
			continue
		}
		s[j] = b
		j++
	}
	for k := int(t.off) + j; k < int(t.end); k++ {
		tb[k] = ' ' // blank the tail: turns are written from off to end only
	}
	t.end = t.off + int32(j)
}

// buildTurns writes the transcript of contact k into the arena.
func (w *world) buildTurns(c *customer, k *contactRec) {
	g := w.rng
	r := &w.r
	r.tb = r.tb[:0]
	r.turns = r.turns[:0]
	r.pii = r.pii[:0]
	r.piiDone = 0
	r.piiText = r.piiText[:0]
	ip := &w.pb.intents[k.intent]
	cp := &w.pb.common
	resolved := k.has(fResolved)
	vulnOpen := k.vuln != vulnNone && g.chance(0.6)
	vulnLater := k.vuln != vulnNone && !vulnOpen

	if k.has(fBot) {
		w.sayPick(spBot, 0, cp.botGreet)
		w.customerOpener(c, k, 0, "", vulnOpen)
		for l := 0; l < int(k.botLoops); l++ {
			w.sayPick(spBot, 0, cp.botClarify)
			if g.chance(0.5) {
				w.customerOpener(c, k, 0, "", false)
			} else {
				w.customerSays(c, k, 0, cp.rephrase)
			}
		}
		if !k.has(fLoopsGaveUp) {
			off := w.begin()
			w.part(w.pick(cp.botVerify))
			w.part(w.pick(ip.asks))
			w.done(spBot, 0, off)
			w.customerDetail(c, k, 0, vulnLater)
			vulnLater = false
			if k.vuln != vulnNone || w.intents[k.intent].EmotionalWeight >= 0.55 {
				w.sayPick(spBot, 0, cp.botEmotion)
			}
		}
		switch {
		case resolved && !k.has(fEscalated):
			if g.chance(0.6) {
				w.sayPick(spBot, 0, cp.botConfirm)
				w.customerSays(c, k, 0, cp.custYes)
			}
			w.sayPick(spBot, 0, ip.solves)
			if g.chance(0.3) {
				w.customerSays(c, k, 0, cp.followQ)
				w.sayPick(spBot, 0, cp.followA)
			}
			w.customerSays(c, k, 0, cp.custResolved)
			w.sayPick(spBot, 0, cp.botElse)
			w.customerSays(c, k, 0, cp.custNothing)
			w.sayPick(spBot, 0, cp.botBye)
			return
		case k.has(fEscalated):
			w.sayPick(spBot, 0, cp.botHandoff)
		default:
			w.sayPick(spBot, 0, cp.botGiveUp)
			w.customerSays(c, k, 0, cp.custBotFail)
			return
		}
		if k.has(fAbandoned) {
			w.customerSays(c, k, 1, cp.custWaiting)
			return
		}
		w.humanTurns(c, k, false, vulnLater)
		return
	}
	hc := int(k.humanCh)
	switch hc {
	case chEmail:
		w.emailTurns(c, k, vulnOpen, vulnLater)
		return
	case chSocial:
		if k.has(fAbandoned) {
			w.customerOpener(c, k, 0, "@HearthHarvest ", vulnOpen)
			return
		}
		w.customerOpener(c, k, 0, "@HearthHarvest ", vulnOpen)
		off := w.begin()
		w.part(w.pick(cp.socialAck))
		if k.has(fEmpathyShown) {
			w.part(w.empathyFor(k))
		}
		w.done(spAgent, 1, off)
		w.customerDetail(c, k, 1, vulnLater)
		w.resolution(c, k)
		return
	case chVoice:
		if k.has(fAbandoned) {
			off := w.begin()
			w.r.tb = append(w.r.tb, "Caller hung up while waiting in the queue after "...)
			w.r.tb = strconv.AppendInt(w.r.tb, int64(k.wait), 10)
			w.r.tb = append(w.r.tb, " seconds."...)
			w.done(spSystem, 1, off)
			return
		}
		w.humanTurns(c, k, true, false)
		return
	default: // sms and messaging to a human: the customer writes first
		w.customerOpener(c, k, 0, "", vulnOpen)
		if k.has(fAbandoned) {
			w.customerSays(c, k, 1, cp.custWaiting)
			return
		}
		w.humanTurns(c, k, false, vulnLater)
	}
}

// customerDetail is the customer's second message, which may carry a card or bank number.
func (w *world) customerDetail(c *customer, k *contactRec, seg int, vuln bool) {
	g := w.rng
	cp := &w.pb.common
	var extra [2]template
	n := 0
	if vuln {
		extra[n] = w.pick(cp.vulnCues[k.vuln])
		n++
	}
	switch int(k.intent) {
	case iUpdatePaymentMethod, iPaymentFailed:
		if g.chance(0.10) {
			extra[n] = w.pick(cp.cardLine)
			n++
		}
	case iRefundRequest, iMissingItem, iDamagedItem:
		if g.chance(0.05) {
			extra[n] = w.pick(cp.bankLine)
			n++
		}
	}
	w.customerSays(c, k, seg, w.pb.intents[k.intent].details, extra[:n]...)
}

func (w *world) empathyFor(k *contactRec) template {
	if k.vuln != vulnNone {
		return w.pick(w.pb.common.empathyVuln[k.vuln])
	}
	return w.pick(w.pb.common.empathy)
}

// humanTurns is a live conversation with an agent (voice, chat, messaging, sms).
func (w *world) humanTurns(c *customer, k *contactRec, voice bool, vulnLater bool) {
	g := w.rng
	cp := &w.pb.common
	ip := &w.pb.intents[k.intent]
	seg := 1
	off := w.begin()
	switch {
	case voice && k.has(fGreeted):
		w.part(w.pick(cp.agentGreetVoice))
		if k.has(fNotice) {
			w.part(w.pick(cp.recordingNotice))
		}
		w.r.tb = append(w.r.tb, " How can I help?"...)
	case voice:
		if k.has(fNotice) {
			w.part(w.pick(cp.recordingNotice))
		}
		w.part(w.pick(cp.agentGreetBare))
	case k.has(fGreeted):
		w.part(w.pick(cp.agentGreetChat))
	default:
		w.part(w.pick(cp.agentGreetBare))
	}
	w.done(spAgent, seg, off)
	if voice {
		w.customerOpener(c, k, seg, "", k.vuln != vulnNone && g.chance(0.6))
		vulnLater = false
	}
	// Empathy, then verification or the question.
	off = w.begin()
	if k.has(fEmpathyShown) {
		w.part(w.empathyFor(k))
	}
	askVerify := k.has(fVerified) && g.chance(0.35)
	q := 0
	if askVerify {
		q = g.intn(len(cp.agentVerify))
		w.part(cp.agentVerify[q])
	} else {
		if k.has(fVerified) {
			w.part(w.pick(cp.agentVerified))
		}
		w.part(w.pick(ip.asks))
	}
	w.done(spAgent, seg, off)
	if askVerify {
		w.customerSays(c, k, seg, cp.custVerify[2*q:2*q+2])
		w.sayPick(spAgent, seg, ip.asks)
	}
	w.customerDetail(c, k, seg, vulnLater)
	if g.chance(0.75) {
		w.sayPick(spAgent, seg, cp.agentHold)
		w.customerSays(c, k, seg, cp.custOK)
	}
	w.resolution(c, k)
	if voice && w.r.asr {
		for i := range w.r.turns {
			asrStyle(w.r.tb, &w.r.turns[i])
		}
	}
}

// resolution is the agent's answer and the close of the conversation.
func (w *world) resolution(c *customer, k *contactRec) {
	cp := &w.pb.common
	ip := &w.pb.intents[k.intent]
	seg := 1
	if k.has(fProhibited) {
		w.sayPick(spAgent, seg, cp.prohibited)
		w.customerSays(c, k, seg, cp.retort)
	}
	if k.transfers > 0 {
		w.sayPick(spAgent, seg, cp.transfer)
	}
	if k.has(fResolved) {
		w.sayPick(spAgent, seg, ip.solves)
		if w.rng.chance(0.35) {
			w.customerSays(c, k, seg, cp.followQ)
			w.sayPick(spAgent, seg, cp.followA)
		}
		w.customerSays(c, k, seg, cp.custResolved)
	} else {
		off := w.begin()
		w.part(w.pick(ip.fails))
		w.part(w.pick(cp.agentUnresolved))
		w.done(spAgent, seg, off)
		w.customerSays(c, k, seg, cp.custUnresolved)
	}
	if k.has(fClosing) {
		w.sayPick(spAgent, seg, cp.agentElse)
		w.customerSays(c, k, seg, cp.custNothing)
		w.sayPick(spAgent, seg, cp.agentBye)
		if k.humanCh != chSocial && w.rng.chance(0.6) {
			w.customerSays(c, k, seg, cp.custBye)
		}
	} else {
		w.sayPick(spAgent, seg, cp.agentByeBare)
	}
}

// emailTurns is an email thread: the customer's email, the reply, and sometimes a second round.
func (w *world) emailTurns(c *customer, k *contactRec, vulnOpen, vulnLater bool) {
	g := w.rng
	r := &w.r
	cp := &w.pb.common
	ip := &w.pb.intents[k.intent]
	off := w.begin()
	r.tb = append(r.tb, w.pick(cp.emailOpen).pieces[0].lit...)
	r.tb = append(r.tb, "\n\n"...)
	body := len(r.tb)
	if k.chase > 0 {
		w.part(w.pick(cp.repeatPrefix))
	}
	if k.cause == causeBereavement {
		w.part(w.pick(cp.bereavementOpen))
	} else {
		w.part(w.pick(ip.openers))
	}
	if vulnOpen || vulnLater {
		w.part(w.pick(cp.vulnCues[k.vuln]))
	}
	w.part(w.pick(ip.details))
	if k.emotion == 2 {
		w.part(w.pick(cp.angry))
	}
	if g.chance(0.04) {
		w.partTrack(w.pick(cp.spontaneousPII))
	}
	if (k.intent == iUpdatePaymentMethod || k.intent == iPaymentFailed) && g.chance(0.08) {
		w.partTrack(w.pick(cp.cardLine))
	}
	if r.tb[body] >= 'a' && r.tb[body] <= 'z' {
		r.tb[body] -= 'a' - 'A'
	}
	r.tb = append(r.tb, "\n\n"...)
	r.tb = append(r.tb, w.pick(cp.emailClose).pieces[0].lit...)
	r.tb = append(r.tb, ",\n"...)
	r.tb = append(r.tb, c.first...)
	w.done(spCustomer, 0, off)

	off = w.begin()
	if k.has(fGreeted) {
		r.tb = append(r.tb, "Hi "...)
		r.tb = append(r.tb, c.first...)
		r.tb = append(r.tb, ",\n\nThanks for getting in touch with Hearth & Harvest."...)
	}
	if k.has(fEmpathyShown) {
		w.part(w.empathyFor(k))
	}
	if k.has(fProhibited) {
		w.part(w.pick(cp.prohibited))
	}
	if k.has(fResolved) {
		w.part(w.pick(ip.solves))
	} else {
		w.part(w.pick(ip.fails))
	}
	if k.has(fClosing) {
		r.tb = append(r.tb, "\n\nIf there's anything else we can help with, just reply to this email."...)
	}
	r.tb = append(r.tb, "\n\n"...)
	r.tb = append(r.tb, w.pick(cp.agentEmail).pieces[0].lit...)
	r.tb = append(r.tb, ",\n"...)
	if k.agent >= 0 {
		r.tb = append(r.tb, w.agents[k.agent].first...)
	}
	w.done(spAgent, 1, off)
	if k.has(fFollowUp) {
		if k.has(fResolved) {
			w.customerSays(c, k, 1, cp.custResolved)
		} else {
			w.customerSays(c, k, 1, cp.custUnresolved)
			w.sayPick(spAgent, 1, cp.agentUnresolved)
		}
	}
}
