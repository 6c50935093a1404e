package demo

import "strconv"

const truthContactsHeader = "id,customer,intent,cause,channel,handler,escalated,abandoned,resolved,repeat,emotion," +
	"vulnerability,pii,bot_version,greeting,recording_notice,empathy_needed,empathy_shown,verification," +
	"prohibited_phrase,closing,agent,partner\n"

func causeNames() []string {
	return []string{"background", "delivery_delay", "courier_outage", "missing_item", "damaged_item", "wrong_item",
		"quality", "payment", "skip", "churn", "pause", "plan_change", "day_change", "address_change", "onboarding",
		"price_rise", "reactivation", "bereavement", "unwanted_box"}
}

// survey is the feedback a contact earned.
type survey struct {
	csat, nps, ces int // 0 = not answered
	comment        template
	hasComment     bool
	separate       bool
	at             int64
}

// writeInteraction renders contact i of customer c with its survey and truth rows.
func (w *world) writeInteraction(c *customer, i int) {
	g := w.rng
	r := &w.r
	k := &c.cons[i]
	spec := &w.intents[k.intent]
	w.nextInteraction++
	id := w.nextInteraction
	r.asr = k.humanCh == chVoice && !k.has(fBot) && g.chance(0.6)
	w.setSlots(c, k)
	w.buildTurns(c, k)
	sv := w.survey(c, k)
	bot := k.has(fBot)

	b := r.line[:0]
	b = append(b, `{"type":"interaction","id":"I`...)
	b = strconv.AppendInt(b, id, 10)
	b = append(b, `","source":"`...)
	src := channelSource(int(k.channel), bot)
	b = append(b, src...)
	b = append(b, `","customer":`...)
	b = w.appendRef(b, c, int(r.refs[i]), id)
	b = append(b, `,"channel":"`...)
	b = append(b, w.channels[k.channel]...)
	b = append(b, `","journey_stage":"`...)
	b = append(b, spec.Stage...)
	b = append(b, `","queue":"`...)
	if bot && !k.has(fEscalated) {
		b = append(b, "hearthbot"...)
	} else {
		b = append(b, spec.Queue...)
	}
	if bot {
		b = append(b, `","handler":"bot"`...)
	} else {
		b = append(b, `","handler":"human"`...)
	}
	if k.agent >= 0 {
		b = append(b, `,"agent":`...)
		b = append(b, w.agents[k.agent].ref...)
	}
	b = append(b, `,"started_at":`...)
	b = appendTime(b, k.at)
	b = append(b, `,"ended_at":`...)
	b = appendTime(b, k.end)
	b = append(b, `,"wait_seconds":`...)
	b = strconv.AppendInt(b, int64(k.wait), 10)
	b = append(b, `,"handle_seconds":`...)
	b = strconv.AppendInt(b, int64(k.botDur)+int64(k.handle), 10)
	b = append(b, `,"transfers":`...)
	b = strconv.AppendInt(b, int64(k.transfers), 10)
	b = appendBool(append(b, `,"escalated":`...), k.has(fEscalated))
	b = appendBool(append(b, `,"abandoned":`...), k.has(fAbandoned))
	if g.chance(helpdeskResolvedP) {
		b = appendBool(append(b, `,"resolved":`...), k.has(fResolved))
	}
	if k.humanCh == chEmail && !bot && g.chance(webFormIntentShare) {
		b = append(b, `,"intent":"`...) // the web contact form's category
		b = append(b, spec.ID...)
		b = append(b, '"')
	} else {
		b = append(b, `,"intent":null`...)
	}
	b = append(b, `,"cost":`...)
	b = appendMoney(b, int64(k.cost))
	b = append(b, `,"currency":"GBP","turns":[`...)
	b = w.appendTurns(b, k)
	b = append(b, ']')
	if sv.csat > 0 && !sv.separate {
		b = append(b, `,"survey":`...)
		b = w.appendScores(b, &sv)
		b = append(b, '}')
	}
	b = append(b, `,"tags":[`...)
	tags := 0
	tag := func(t string) {
		if tags > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, t...)
		b = append(b, '"')
		tags++
	}
	if w.segs[c.seg].premium {
		tag("vip")
	}
	if k.has(fResolved) && k.refund > 0 {
		tag("refund")
	}
	if !bot && (k.cause == causeOutage || (k.intent == iPaymentFailed && w.sched.payDown(k.at))) {
		tag("incident")
	}
	if k.intent == iPromoCode {
		tag("promo")
	}
	b = append(b, `],"attributes":{"language":"en-GB"`...)
	if bot {
		b = append(b, `,"bot_version":"`...)
		if k.has(fNewBot) {
			b = append(b, botVersionNew...)
		} else {
			b = append(b, botVersionOld...)
		}
		b = append(b, '"')
	}
	if k.order > 0 {
		b = append(b, `,"order":"HH-`...)
		b = strconv.AppendInt(b, k.order, 10)
		b = append(b, '"')
	}
	b = append(b, "}}\n"...)
	w.interactions.write(b)

	if sv.csat > 0 && sv.separate {
		w.nextSurvey++
		b = b[:0]
		b = append(b, `{"type":"survey","id":"S`...)
		b = strconv.AppendInt(b, w.nextSurvey, 10)
		b = append(b, `","interaction":{"source":"`...)
		b = append(b, src...)
		b = append(b, `","id":"I`...)
		b = strconv.AppendInt(b, id, 10)
		b = append(b, `"},"at":`...)
		b = appendTime(b, sv.at)
		b = w.appendScoreFields(b, &sv)
		b = append(b, "}\n"...)
		w.surveys.write(b)
	}

	w.writeTruthRows(c, k, id, i)
	w.acc.interaction(c, k, &sv, len(r.turns), r.pii, int(r.refs[i]))
	r.line = b
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

// appendRef writes the interaction's customer object; the link story is recorded in truth here.
func (w *world) appendRef(b []byte, c *customer, mode int, id int64) []byte {
	g := w.rng
	r := &w.r
	alt := func(b []byte) []byte {
		if c.alt == altPhone {
			b = append(b, `"phone":"`...)
			b = appendPhone(b, c.phone, g.intn(numPhoneFormats))
			return append(b, '"')
		}
		b = append(b, `"handle":`...)
		return w.appendHandleCased(b, c.handle)
	}
	switch mode {
	case refID:
		b = append(b, `{"id":`...)
		b = appendJSONString(b, c.id)
	case refEmail:
		b = append(b, `{"email":"`...)
		b = appendEmailCased(b, c.email, emailCasing(g))
		b = append(b, '"')
	case refPhone:
		b = append(b, `{"phone":"`...)
		b = appendPhone(b, c.phone, g.intn(numPhoneFormats))
		b = append(b, '"')
	case refHandle:
		b = append(b, '{')
		b = append(b, `"handle":`...)
		b = w.appendHandleCased(b, c.handle)
	case refAltOnly:
		b = append(b, '{')
		b = alt(b)
		r.altIDs = append(r.altIDs, id)
	case refLink:
		b = append(b, `{"email":"`...)
		b = appendEmailCased(b, c.email, emailCasing(g))
		b = append(b, `",`...)
		b = alt(b)
		w.writeLink(c, id)
	}
	return append(b, '}')
}

func (w *world) appendHandleCased(b []byte, h []byte) []byte {
	if !w.rng.chance(0.2) {
		return appendJSONString(b, h)
	}
	n := len(b)
	b = appendJSONString(b, h)
	if b[n+2] >= 'a' && b[n+2] <= 'z' {
		b[n+2] -= 'a' - 'A' // "@Ana_s12": handles are case-insensitive
	}
	return b
}

// writeLink records one identity link in truth-identities.csv and truth.json.
func (w *world) writeLink(c *customer, linkID int64) {
	r := &w.r
	b := r.scratch[:0]
	b = append(b, c.id...)
	b = append(b, ',')
	b = append(b, c.email...)
	kind, value := "phone", ""
	if c.alt == altPhone {
		n := len(b)
		b = appendPhone(b, c.phone, phoneE164)
		value = string(b[n:])
		b = b[:n]
	} else {
		kind, value = "handle", string(c.handle)
	}
	b = append(b, ',')
	b = append(b, kind...)
	b = append(b, ',')
	b = append(b, value...)
	b = append(b, ',')
	for j, a := range r.altIDs {
		if j > 0 {
			b = append(b, ';')
		}
		b = strconv.AppendInt(append(b, 'I'), a, 10)
	}
	b = append(b, ",I"...)
	b = strconv.AppendInt(b, linkID, 10)
	b = append(b, '\n')
	w.truthIdentity.write(b)
	w.acc.link(c, kind, value, r.altIDs, linkID)
	r.altIDs = r.altIDs[:0]
	r.scratch = b[:0]
}

// appendTurns writes the transcript with per-turn times spread over the contact's segments.
func (w *world) appendTurns(b []byte, k *contactRec) []byte {
	r := &w.r
	var n [2]int
	for _, t := range r.turns {
		n[t.seg]++
	}
	seg0End := k.at + int64(k.botDur)
	seg1Start := k.human
	if seg1Start == 0 {
		seg1Start = k.end
	}
	var j [2]int
	for ti, t := range r.turns {
		var at int64
		if t.seg == 0 {
			at = k.at + (seg0End-k.at)*int64(j[0])/int64(max(n[0], 1))
		} else {
			at = seg1Start + (k.end-seg1Start)*int64(j[1])/int64(max(n[1], 1))
		}
		j[t.seg]++
		if ti > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"speaker":"`...)
		b = append(b, r.speakers[t.speaker]...)
		b = append(b, `","at":`...)
		b = r.clock.appendTime(b, at)
		b = append(b, `,"text":`...)
		b = appendJSONString(b, r.tb[t.off:t.end])
		b = append(b, '}')
	}
	return b
}

// survey decides whether the contact was rated and how: scores follow what happened.
func (w *world) survey(c *customer, k *contactRec) survey {
	g := w.rng
	var sv survey
	if k.has(fAbandoned) {
		return sv
	}
	p := 0.29 + 0.08*b2f(!k.has(fResolved)) + 0.04*b2f(k.humanCh == chEmail)
	if !g.chance(p) {
		return sv
	}
	spec := &w.intents[k.intent]
	skill := 0.75
	if k.agent >= 0 {
		a := &w.agents[k.agent]
		skill = a.Skill
		if a.partner == partnerCoastline {
			skill -= w.fx.partnerSkillSlide * w.sched.slide(k.human)
		}
	}
	bot := k.has(fBot)
	emotional := spec.EmotionalWeight >= 0.55 || k.vuln != vulnNone
	sat := 0.55 + 0.32*b2f(k.has(fResolved)) - 0.12*float64(k.chase) - 0.06*float64(k.transfers) -
		0.12*b2f(k.wait > 600 && k.humanCh != chEmail) - 0.08*b2f(k.wait > day) - 0.07*float64(k.emotion) + 0.4*(skill-0.75) -
		0.25*b2f(k.has(fProhibited)) + 0.08*b2f(k.has(fEmpathyShown)) - 0.1*b2f(k.has(fEmpathyNeeded) && !k.has(fEmpathyShown)) -
		0.3*b2f(bot && emotional) - 0.1*b2f(k.has(fEscalated)) + 0.1*b2f(bot && !k.has(fEscalated) && k.has(fResolved)) -
		0.06*float64(k.botLoops) + 0.13*g.norm()
	effort := 0.2 + 0.15*float64(k.chase) + 0.1*float64(k.transfers) + 0.15*b2f(k.wait > 300 && k.humanCh != chEmail) +
		0.1*float64(k.botLoops) + 0.15*b2f(k.has(fEscalated)) + 0.2*b2f(!k.has(fResolved)) + 0.1*g.norm()
	sv.csat = 1 + int(4*clamp(sat, 0, 1)+0.5)
	if g.chance(0.45) {
		sv.nps = 1 + int(10*clamp(0.5*sat+0.5*c.loyalty+0.1*g.norm(), 0, 1)+0.5) // stored +1 so 0 means absent
	}
	if g.chance(0.45) {
		sv.ces = 1 + int(6*clamp(1-effort, 0, 1)+0.5)
	}
	if g.chance(0.35) {
		cp := &w.pb.common
		sv.hasComment = true
		switch {
		case sat >= 0.7:
			sv.comment = w.pick(cp.surveyGood)
		case sat >= 0.45:
			sv.comment = w.pick(cp.surveyOK)
		case k.has(fProhibited):
			sv.comment = w.pick(cp.surveyBadRude)
		case bot && (k.has(fEscalated) || k.botLoops > 0):
			sv.comment = w.pick(cp.surveyBadBot)
		case k.wait > 600:
			sv.comment = w.pick(cp.surveyBadWait)
		default:
			sv.comment = w.pick(cp.surveyBad)
		}
		if k.agent < 0 {
			w.r.sv.setS(slotAgent, botName)
		}
	}
	if at := k.end + g.between(2*hour, 30*hour); at < w.sched.end && g.chance(0.45) {
		sv.separate, sv.at = true, at
	}
	return sv
}

// appendScores writes {"csat":…,"nps":…,"ces":…,"comment":…} without the closing brace.
func (w *world) appendScores(b []byte, sv *survey) []byte {
	b = append(b, `{"csat":`...)
	b = strconv.AppendInt(b, int64(sv.csat), 10)
	return w.appendScoreTail(b, sv)
}

// appendScoreFields writes ,"csat":… for a separate survey record.
func (w *world) appendScoreFields(b []byte, sv *survey) []byte {
	b = append(b, `,"csat":`...)
	b = strconv.AppendInt(b, int64(sv.csat), 10)
	return w.appendScoreTail(b, sv)
}

func (w *world) appendScoreTail(b []byte, sv *survey) []byte {
	if sv.nps > 0 {
		b = append(b, `,"nps":`...)
		b = strconv.AppendInt(b, int64(sv.nps-1), 10)
	}
	if sv.ces > 0 {
		b = append(b, `,"ces":`...)
		b = strconv.AppendInt(b, int64(sv.ces), 10)
	}
	if sv.hasComment {
		b = append(b, `,"comment":`...)
		n := len(w.r.sb)
		w.r.sb = fill(w.r.sb, sv.comment, &w.r.sv)
		b = appendJSONString(b, w.r.sb[n:])
		w.r.sb = w.r.sb[:n]
	}
	return b
}

// writeTruthRows writes the per-interaction truth files.
func (w *world) writeTruthRows(c *customer, k *contactRec, id int64, i int) {
	r := &w.r
	spec := &w.intents[k.intent]
	b := r.scratch[:0]
	b = strconv.AppendInt(append(b, 'I'), id, 10)
	b = append(b, ',')
	b = append(b, spec.ID...)
	b = append(b, '\n')
	w.truthIntents.write(b)

	b = b[:0]
	b = strconv.AppendInt(append(b, 'I'), id, 10)
	b = append(b, ',')
	b = append(b, c.id...)
	b = append(b, ',')
	b = append(b, spec.ID...)
	b = append(b, ',')
	b = append(b, w.acc.causes[k.cause]...)
	b = append(b, ',')
	b = append(b, w.channels[k.channel]...)
	if k.has(fBot) {
		b = append(b, ",bot,"...)
	} else {
		b = append(b, ",human,"...)
	}
	b = append(b, bit(k.has(fEscalated)), ',', bit(k.has(fAbandoned)), ',', bit(k.has(fResolved)), ',', bit(k.has(fRepeat)), ',')
	b = append(b, "calm,frustrated,angry"[[...]int{0, 5, 16}[k.emotion]:[...]int{4, 15, 21}[k.emotion]]...)
	b = append(b, ',')
	b = append(b, w.vulnKinds[k.vuln]...)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(len(r.pii)), 10)
	b = append(b, ',')
	if k.has(fBot) {
		if k.has(fNewBot) {
			b = append(b, botVersionNew...)
		} else {
			b = append(b, botVersionOld...)
		}
	}
	human := k.agent >= 0
	b = append(b, ',')
	b = appendOpt(b, human, k.has(fGreeted))
	b = append(b, ',')
	b = appendOpt(b, human && k.humanCh == chVoice, k.has(fNotice))
	b = append(b, ',')
	b = appendOpt(b, human, k.has(fEmpathyNeeded))
	b = append(b, ',')
	b = appendOpt(b, human && k.has(fEmpathyNeeded), k.has(fEmpathyShown))
	b = append(b, ',')
	b = appendOpt(b, human, k.has(fVerified))
	b = append(b, ',')
	b = appendOpt(b, human, k.has(fProhibited))
	b = append(b, ',')
	b = appendOpt(b, human, k.has(fClosing))
	b = append(b, ',')
	if human {
		a := &w.agents[k.agent]
		b = append(b, a.ID...)
		b = append(b, ',')
		b = append(b, a.Partner...)
	} else {
		b = append(b, ',')
	}
	b = append(b, '\n')
	w.truthContacts.write(b)

	if len(r.pii) > 0 {
		b = b[:0]
		for _, h := range r.pii {
			b = strconv.AppendInt(append(b, 'I'), id, 10)
			b = append(b, ',')
			b = strconv.AppendInt(b, int64(h.turn), 10)
			b = append(b, ',')
			b = append(b, w.piiNames[h.kind]...)
			b = append(b, ',')
			b = append(b, r.piiText[h.off:h.end]...)
			b = append(b, '\n')
		}
		w.tPII.write(b)
	}
	r.scratch = b[:0]
}

func bit(v bool) byte {
	if v {
		return '1'
	}
	return '0'
}

// appendOpt writes 1 or 0 when the criterion applies and nothing when it does not.
func appendOpt(b []byte, applies, v bool) []byte {
	if !applies {
		return b
	}
	return append(b, bit(v))
}
