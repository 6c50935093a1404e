package demo

import (
	"math"
	"time"
)

// Truth is the ground truth of a generated world, written indented to truth.json. Every figure is
// either a parameter the generator used or a count taken while generating, so analyses of the world
// can be checked against it.
type Truth struct {
	Generator     string             `json:"generator"`
	Brand         string             `json:"brand"`
	Bot           string             `json:"bot"`
	Seed          int64              `json:"seed"`
	Customers     int                `json:"customers"`
	Days          int                `json:"days"`
	Start         time.Time          `json:"start"`
	End           time.Time          `json:"end"`
	Files         TruthFiles         `json:"files"`
	Counts        Counts             `json:"counts"`
	Intents       []IntentTruth      `json:"intents"`
	Channels      []ChannelTruth     `json:"channels"`
	Partners      []PartnerTruth     `json:"partners"`
	Agents        []AgentTruth       `json:"agents"`
	Incidents     []Incident         `json:"incidents"`
	Automation    Automation         `json:"automation"`
	Effects       Effects            `json:"effects"`
	Identity      IdentityTruth      `json:"identity"`
	Vulnerability VulnerabilityTruth `json:"vulnerability"`
	PII           PIITruth           `json:"pii"`
	QA            QATruth            `json:"qa"`
	CostModel     []CostRate         `json:"cost_model"`
	Taxonomy      []IntentSpec       `json:"taxonomy"`
}

// TruthFiles names the files written beside truth.json, relative to the Write directory.
type TruthFiles struct {
	World        []string `json:"world"`         // import order
	IntentLabels string   `json:"intent_labels"` // id,intent for every interaction
	Contacts     string   `json:"contacts"`      // per-interaction outcome, vulnerability, PII and QA truth
	Identities   string   `json:"identities"`    // every identity link
	PII          string   `json:"pii"`           // every planted identifier, with its turn
	Train        string   `json:"train"`         // text,intent examples for the brand's intent model
}

// NameCount is a labelled count.
type NameCount struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Counts are the world's totals.
type Counts struct {
	Customers        int         `json:"customers"`
	ActiveAtStart    int         `json:"active_at_start"`
	NewInWindow      int         `json:"new_in_window"`
	LapsedAtStart    int         `json:"lapsed_at_start"`
	Churned          int         `json:"churned_in_window"`
	Reactivated      int         `json:"reactivated_in_window"`
	Events           int         `json:"events"`
	EventsByName     []NameCount `json:"events_by_name"`
	Interactions     int         `json:"interactions"`
	Turns            int         `json:"turns"`
	BotStarted       int         `json:"bot_started"`
	Contained        int         `json:"contained"`
	Escalated        int         `json:"escalated"`
	Abandoned        int         `json:"abandoned"`
	Resolved         int         `json:"resolved"`
	Repeats          int         `json:"repeat_contacts"`
	Surveys          int         `json:"surveys"`
	SurveysInline    int         `json:"surveys_inline"`
	SurveysSeparate  int         `json:"surveys_separate"`
	RevenueGBP       float64     `json:"revenue_gbp"`
	RefundsGBP       float64     `json:"refunds_gbp"`
	ServiceCostGBP   float64     `json:"service_cost_gbp"`
	InteractionsByCh []NameCount `json:"interactions_by_channel"`
}

// IntentTruth is what happened to one intent's contacts.
type IntentTruth struct {
	Intent          string  `json:"intent"`
	Contacts        int     `json:"contacts"`
	BotStarted      int     `json:"bot_started"`
	Contained       int     `json:"contained"`
	Escalated       int     `json:"escalated"`
	Abandoned       int     `json:"abandoned"`
	Resolved        int     `json:"resolved"`
	Repeats         int     `json:"repeats"`
	Containment     float64 `json:"containment"`     // contained ÷ bot-started
	ResolutionRate  float64 `json:"resolution_rate"` // resolved ÷ contacts
	BotCSAT         float64 `json:"bot_csat_mean"`   // mean CSAT of bot-started contacts, whatever happened next
	BotCSATN        int     `json:"bot_csat_n"`
	HumanCSAT       float64 `json:"human_csat_mean"` // mean CSAT of contacts a human took first
	HumanCSATN      int     `json:"human_csat_n"`
	VulnerableShare float64 `json:"vulnerable_share"`
}

// ChannelTruth is what happened on one channel.
type ChannelTruth struct {
	Channel        string  `json:"channel"`
	Contacts       int     `json:"contacts"`
	BotStarted     int     `json:"bot_started"`
	Abandoned      int     `json:"abandoned"`
	Resolved       int     `json:"resolved"`
	MeanWait       float64 `json:"mean_wait_seconds"`   // human-queue contacts
	MeanHandle     float64 `json:"mean_handle_seconds"` // human-handled contacts
	CostGBP        float64 `json:"cost_gbp"`
	CostPerContact float64 `json:"cost_per_contact_gbp"`
}

// PartnerTruth is one employer's agents, overall and by thirds of the window.
type PartnerTruth struct {
	Partner        string          `json:"partner"`
	Agents         int             `json:"agents"`
	Contacts       int             `json:"contacts"`
	ResolutionRate float64         `json:"resolution_rate"`
	CSATMean       float64         `json:"csat_mean"`
	ByThird        []PartnerPeriod `json:"by_third"`
}

// PartnerPeriod is a partner's quality in one third of the window.
type PartnerPeriod struct {
	Period                 string  `json:"period"`
	Contacts               int     `json:"contacts"`
	ResolutionRate         float64 `json:"resolution_rate"`
	GreetingMissedRate     float64 `json:"greeting_missed_rate"`
	RecordingNoticeMissed  float64 `json:"recording_notice_missed_rate"`
	EmpathyMissedRate      float64 `json:"empathy_missed_rate"` // of contacts that needed it
	VerificationMissedRate float64 `json:"verification_missed_rate"`
	ProhibitedRate         float64 `json:"prohibited_phrase_rate"`
	CSATMean               float64 `json:"csat_mean"`
}

// AgentTruth is one agent on the roster.
type AgentTruth struct {
	ID             string  `json:"id"`
	Name           string  `json:"name"`
	Team           string  `json:"team"`
	Partner        string  `json:"partner"`
	Skill          float64 `json:"skill"`
	BadApple       bool    `json:"uses_prohibited_phrases,omitempty"`
	Contacts       int     `json:"contacts"`
	ResolutionRate float64 `json:"resolution_rate"`
}

// Incident is an injected event with a known window, what it was built to do and what it did.
type Incident struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Regions     []string  `json:"regions,omitempty"`
	Intents     []string  `json:"intents,omitempty"`
	Partner     string    `json:"partner,omitempty"`
	Effect      string    `json:"effect"`
	Measured    []Measure `json:"measured"`
}

// Measure compares a metric outside and inside an incident.
type Measure struct {
	Metric   string  `json:"metric"`
	Baseline float64 `json:"baseline"`
	During   float64 `json:"during"`
}

// Automation is the verdict the world supports for the automation-fit analysis.
type Automation struct {
	AutomateMore []AutomationCall `json:"automate_more"`
	KeepHuman    []AutomationCall `json:"keep_human"`
	FixBot       []AutomationCall `json:"fix_bot"`
}

// AutomationCall is one intent's verdict with the evidence the world holds for it.
type AutomationCall struct {
	Intent      string  `json:"intent"`
	Reason      string  `json:"reason"`
	Contacts    int     `json:"contacts"`
	BotShare    float64 `json:"bot_started_share"`
	Containment float64 `json:"bot_containment"`
	BotCSAT     float64 `json:"bot_csat_mean"`
	HumanCSAT   float64 `json:"human_csat_mean"`
}

// Effects are the causal parameters built in and the value linkage they produced.
type Effects struct {
	Model             string            `json:"model"`
	Parameters        []EffectParam     `json:"parameters"`
	ChurnByExperience []ExperienceGroup `json:"churn_by_experience"`
}

// EffectParam is one built-in parameter.
type EffectParam struct {
	Name    string  `json:"name"`
	Value   float64 `json:"value"`
	Meaning string  `json:"meaning"`
}

// ExperienceGroup is churn and spend of customers active at the window start, by service experience.
type ExperienceGroup struct {
	Group               string  `json:"group"`
	Customers           int     `json:"customers"`
	Churned             int     `json:"churned"`
	ChurnRate           float64 `json:"churn_rate"`
	NetRevenuePerCust   float64 `json:"net_revenue_per_customer_gbp"`
	OrdersPerCustomer   float64 `json:"orders_per_customer"`
	ContactsPerCustomer float64 `json:"contacts_per_customer"`
}

// IdentityTruth describes the customers reached through two identities that a later record links.
type IdentityTruth struct {
	LinkedCustomers int            `json:"linked_customers"`
	Listed          int            `json:"listed"` // links listed below; all are in File
	File            string         `json:"file"`
	Links           []IdentityLink `json:"links"`
}

// IdentityLink is one customer's two identities and the records involved.
type IdentityLink struct {
	Customer      string   `json:"customer"`
	Email         string   `json:"email"`
	AltKind       string   `json:"alt_kind"`       // phone or handle: absent from the customer record
	AltValue      string   `json:"alt_value"`      // E.164 for phones
	AltRecords    []string `json:"alt_records"`    // interactions carrying only the alternative identity
	LinkingRecord string   `json:"linking_record"` // the interaction carrying both
}

// VulnerabilityTruth counts contacts showing vulnerability cues.
type VulnerabilityTruth struct {
	Customers    int         `json:"customers"`
	Contacts     int         `json:"contacts_with_cues"`
	ContactShare float64     `json:"contact_share"`
	ByKind       []NameCount `json:"by_kind"`
	BotStarted   int         `json:"bot_started"`
	BotCSAT      float64     `json:"bot_csat_mean"`
	HumanCSAT    float64     `json:"human_csat_mean"`
}

// PIITruth counts identifiers planted in customer text (all listed in File).
type PIITruth struct {
	Planted  int         `json:"planted"`
	Contacts int         `json:"contacts"`
	ByKind   []NameCount `json:"by_kind"`
	File     string      `json:"file"`
}

// QATruth counts agent behaviours on human-handled contacts.
type QATruth struct {
	BotDisclosure          string      `json:"bot_disclosure"`
	ProhibitedPhrases      []string    `json:"prohibited_phrases"`
	HumanContacts          int         `json:"human_contacts"`
	GreetingMissing        int         `json:"greeting_missing"`
	VoiceContacts          int         `json:"voice_contacts"`
	RecordingNoticeMissing int         `json:"recording_notice_missing"`
	EmpathyNeeded          int         `json:"empathy_needed"`
	EmpathyMissing         int         `json:"empathy_missing"`
	VerificationMissing    int         `json:"verification_missing"`
	Prohibited             int         `json:"prohibited_phrase"`
	ClosingMissing         int         `json:"closing_missing"`
	ProhibitedByPartner    []NameCount `json:"prohibited_by_partner"`
}

// CostRate is the cost model behind the interactions' cost field.
type CostRate struct {
	Channel string  `json:"channel"`
	Handler string  `json:"handler"`
	CostGBP float64 `json:"cost_gbp"`
}

// ---- accumulation ----

type rate struct{ n, k int }

func (r *rate) add(hit bool) {
	r.n++
	if hit {
		r.k++
	}
}

func (r rate) value() float64 {
	if r.n == 0 {
		return 0
	}
	return round4(float64(r.k) / float64(r.n))
}

type mean struct {
	n   int
	sum float64
}

func (m *mean) add(v float64) { m.n++; m.sum += v }

func (m mean) value() float64 {
	if m.n == 0 {
		return 0
	}
	return round4(m.sum / float64(m.n))
}

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

type intentAcc struct {
	contacts, bot, contained, escalated, abandoned, resolved, repeats, vuln int
	botCSAT, humanCSAT                                                      mean
}

type partnerAcc struct {
	contacts                                             int
	resolved, greet, notice, empathy, verify, prohibited [3]rate
	csat                                                 [3]mean
	allResolved                                          rate
	allCSAT                                              mean
}

type groupAcc struct {
	customers, churned, orders, contacts int
	net                                  int64
}

type truthAcc struct {
	w       *world
	causes  []string
	t       Truth
	events  [numEventNames]int
	intents [numIntents]intentAcc
	chans   [numChannels]struct {
		contacts, bot, abandoned, resolved int
		wait, handle                       mean
		cost                               int64
	}
	partners  [numPartners]partnerAcc
	agents    []rate
	revenue   int64
	refunds   int64
	cost      int64
	pii       [numPII]int
	piiCont   int
	vuln      [numVuln]int
	vulnCust  int
	vulnBot   int
	vulnCSAT  [2]mean
	qaProhib  [numPartners]int
	groups    [4]groupAcc
	delayed   []int      // north-region delivery_delayed events per day
	wismo     []int      // where_is_my_box contacts per day
	payFail   []int      // payment_failed events per hour
	payCont   []int      // payment_failed contacts per hour
	priceCont []int      // price_increase contacts per day
	degraded  [2][2]rate // [before/after release][degraded intents, others]: containment
	degrEsc   [2]rate    // escalation of degraded intents before/after
}

func newTruthAcc(w *world) *truthAcc {
	a := &truthAcc{w: w, causes: causeNames()}
	a.agents = make([]rate, len(w.agents))
	d := w.cfg.Days
	a.delayed, a.wismo, a.priceCont = make([]int, d), make([]int, d), make([]int, d)
	a.payFail, a.payCont = make([]int, d*24), make([]int, d*24)
	return a
}

func (a *truthAcc) hourIndex(t int64) int {
	h := int((t - a.w.sched.start) / hour)
	if h < 0 || h >= len(a.payFail) {
		return -1
	}
	return h
}

func (a *truthAcc) event(c *customer, e *evRec) {
	a.events[e.name]++
	s := &a.w.sched
	in := e.at >= s.start && e.at < s.end
	switch e.name {
	case evOrderPlaced:
		a.revenue += e.value
	case evRefundIssued:
		a.refunds += e.value
	case evDeliveryDelayed:
		if in && a.w.regs[c.region].north {
			a.delayed[s.dayIndex(e.at)]++
		}
	case evPaymentFailed:
		if h := a.hourIndex(e.at); h >= 0 {
			a.payFail[h]++
		}
	}
}

func (a *truthAcc) customer(c *customer) {
	t := &a.t.Counts
	t.Customers++
	switch {
	case c.isNew:
		t.NewInWindow++
	case c.lapsed:
		t.LapsedAtStart++
	default:
		t.ActiveAtStart++
	}
	if c.churned {
		t.Churned++
	}
	if c.reactivated {
		t.Reactivated++
	}
	if c.vuln != vulnNone {
		a.vulnCust++
	}
	if !c.activeAtStart {
		return
	}
	g := 0
	switch {
	case c.contacts == 0:
		g = 0
	case c.unresolved == 0:
		g = 1
	default:
		g = 2
	}
	for _, gi := range []int{g, 3} {
		if gi == 3 && c.repeats == 0 {
			continue
		}
		ga := &a.groups[gi]
		ga.customers++
		if c.churned {
			ga.churned++
		}
		ga.orders += c.orders
		ga.contacts += c.contacts
		ga.net += c.revenue - c.refunds
	}
}

func (a *truthAcc) interaction(c *customer, k *contactRec, sv *survey, turns int, pii []piiHit, ref int) {
	w := a.w
	s := &w.sched
	t := &a.t.Counts
	t.Interactions++
	t.Turns += turns
	bot := k.has(fBot)
	contained := bot && !k.has(fEscalated) && !k.has(fAbandoned)
	resolved := k.has(fResolved)
	ia := &a.intents[k.intent]
	ia.contacts++
	ch := &a.chans[k.channel]
	ch.contacts++
	ch.cost += int64(k.cost)
	a.cost += int64(k.cost)
	if bot {
		t.BotStarted++
		ia.bot++
		ch.bot++
	}
	if contained {
		t.Contained++
		ia.contained++
	}
	if k.has(fEscalated) {
		t.Escalated++
		ia.escalated++
	}
	if k.has(fAbandoned) {
		t.Abandoned++
		ia.abandoned++
		ch.abandoned++
	}
	if resolved {
		t.Resolved++
		ia.resolved++
		ch.resolved++
	}
	if k.has(fRepeat) {
		t.Repeats++
		ia.repeats++
	}
	if !bot || k.has(fEscalated) {
		a.chans[k.humanCh].wait.add(float64(k.wait))
	}
	if k.agent >= 0 {
		a.chans[k.humanCh].handle.add(float64(k.handle))
	}
	if sv.csat > 0 {
		t.Surveys++
		if sv.separate {
			t.SurveysSeparate++
		} else {
			t.SurveysInline++
		}
		if bot {
			ia.botCSAT.add(float64(sv.csat))
		} else {
			ia.humanCSAT.add(float64(sv.csat))
		}
		if k.vuln != vulnNone {
			if bot {
				a.vulnCSAT[0].add(float64(sv.csat))
			} else {
				a.vulnCSAT[1].add(float64(sv.csat))
			}
		}
	}
	if k.vuln != vulnNone {
		a.vuln[k.vuln]++
		ia.vuln++
		if bot {
			a.vulnBot++
		}
	}
	if len(pii) > 0 {
		a.piiCont++
		for _, h := range pii {
			a.pii[h.kind]++
		}
	}
	in := k.at >= s.start && k.at < s.end
	if in && k.intent == iWhereIsMyBox {
		a.wismo[s.dayIndex(k.at)]++
	}
	if in && k.intent == iPriceIncrease {
		a.priceCont[s.dayIndex(k.at)]++
	}
	if k.intent == iPaymentFailed {
		if h := a.hourIndex(k.at); h >= 0 {
			a.payCont[h]++
		}
	}
	if bot {
		after := 0
		if k.has(fNewBot) {
			after = 1
		}
		d := 1
		if w.degraded[k.intent] {
			d = 0
			a.degrEsc[after].add(k.has(fEscalated))
		}
		a.degraded[after][d].add(contained)
	}
	if k.agent >= 0 {
		ag := &w.agents[k.agent]
		a.agents[k.agent].add(resolved)
		p := &a.partners[ag.partner]
		th := s.third(k.human)
		p.contacts++
		p.allResolved.add(resolved)
		p.resolved[th].add(resolved)
		p.greet[th].add(!k.has(fGreeted))
		if k.humanCh == chVoice {
			p.notice[th].add(!k.has(fNotice))
		}
		if k.has(fEmpathyNeeded) {
			p.empathy[th].add(!k.has(fEmpathyShown))
		}
		p.verify[th].add(!k.has(fVerified))
		p.prohibited[th].add(k.has(fProhibited))
		if sv.csat > 0 {
			p.csat[th].add(float64(sv.csat))
			p.allCSAT.add(float64(sv.csat))
		}
		qa := &a.t.QA
		qa.HumanContacts++
		if !k.has(fGreeted) {
			qa.GreetingMissing++
		}
		if k.humanCh == chVoice {
			qa.VoiceContacts++
			if !k.has(fNotice) {
				qa.RecordingNoticeMissing++
			}
		}
		if k.has(fEmpathyNeeded) {
			qa.EmpathyNeeded++
			if !k.has(fEmpathyShown) {
				qa.EmpathyMissing++
			}
		}
		if !k.has(fVerified) {
			qa.VerificationMissing++
		}
		if k.has(fProhibited) {
			qa.Prohibited++
			a.qaProhib[ag.partner]++
		}
		if !k.has(fClosing) {
			qa.ClosingMissing++
		}
	}
}

func (a *truthAcc) link(c *customer, kind, value string, alt []int64, linkID int64) {
	id := &a.t.Identity
	id.LinkedCustomers++
	if len(id.Links) >= maxListedLinks {
		return
	}
	l := IdentityLink{Customer: string(c.id), Email: string(c.email), AltKind: kind, AltValue: value,
		LinkingRecord: "I" + itoa(linkID)}
	for _, x := range alt {
		l.AltRecords = append(l.AltRecords, "I"+itoa(x))
	}
	id.Links = append(id.Links, l)
}

// finish assembles truth.json.
func (a *truthAcc) finish() *Truth {
	w := a.w
	s := &w.sched
	t := &a.t
	t.Generator, t.Brand, t.Bot = generatorVersion, brandName, botName
	t.Seed, t.Customers, t.Days = w.cfg.Seed, w.cfg.Customers, w.cfg.Days
	t.Start, t.End = time.Unix(s.start, 0).UTC(), time.Unix(s.end, 0).UTC()
	t.Files = TruthFiles{World: WorldFiles(), IntentLabels: TruthIntentsFile, Contacts: TruthContactsFile,
		Identities: TruthIdentityFile, PII: TruthPIIFile, Train: IntentsTrainFile}
	t.Taxonomy = Intents()

	cn := &t.Counts
	for i, n := range a.events {
		cn.Events += n
		cn.EventsByName = append(cn.EventsByName, NameCount{w.events[i], n})
	}
	for i := range a.chans {
		cn.InteractionsByCh = append(cn.InteractionsByCh, NameCount{w.channels[i], a.chans[i].contacts})
	}
	cn.RevenueGBP = pounds(a.revenue)
	cn.RefundsGBP = pounds(a.refunds)
	cn.ServiceCostGBP = pounds(a.cost)

	for i := range a.intents {
		ia := &a.intents[i]
		it := IntentTruth{Intent: w.intents[i].ID, Contacts: ia.contacts, BotStarted: ia.bot, Contained: ia.contained,
			Escalated: ia.escalated, Abandoned: ia.abandoned, Resolved: ia.resolved, Repeats: ia.repeats,
			Containment: rate{ia.bot, ia.contained}.value(), ResolutionRate: rate{ia.contacts, ia.resolved}.value(),
			BotCSAT: ia.botCSAT.value(), BotCSATN: ia.botCSAT.n, HumanCSAT: ia.humanCSAT.value(), HumanCSATN: ia.humanCSAT.n,
			VulnerableShare: rate{ia.contacts, ia.vuln}.value()}
		t.Intents = append(t.Intents, it)
		call := AutomationCall{Intent: it.Intent, Reason: w.intents[i].AutomationReason, Contacts: it.Contacts,
			BotShare: rate{ia.contacts, ia.bot}.value(), Containment: it.Containment, BotCSAT: it.BotCSAT, HumanCSAT: it.HumanCSAT}
		switch w.intents[i].Automation {
		case AutomateMore:
			t.Automation.AutomateMore = append(t.Automation.AutomateMore, call)
		case KeepHuman:
			t.Automation.KeepHuman = append(t.Automation.KeepHuman, call)
		case FixBot:
			t.Automation.FixBot = append(t.Automation.FixBot, call)
		}
	}
	for i := range a.chans {
		ch := &a.chans[i]
		t.Channels = append(t.Channels, ChannelTruth{Channel: w.channels[i], Contacts: ch.contacts, BotStarted: ch.bot,
			Abandoned: ch.abandoned, Resolved: ch.resolved, MeanWait: math.Round(ch.wait.value()),
			MeanHandle: math.Round(ch.handle.value()), CostGBP: pounds(ch.cost),
			CostPerContact: round4(float64(ch.cost) / 100 / math.Max(1, float64(ch.contacts)))})
	}
	periods := []string{"first_third", "middle_third", "last_third"}
	for i, ps := range w.partners {
		p := &a.partners[i]
		pt := PartnerTruth{Partner: ps.name, Contacts: p.contacts, ResolutionRate: p.allResolved.value(), CSATMean: p.allCSAT.value()}
		for _, ag := range w.agents {
			if ag.partner == i {
				pt.Agents++
			}
		}
		for th := range 3 {
			n := p.resolved[th].n
			pt.ByThird = append(pt.ByThird, PartnerPeriod{Period: periods[th], Contacts: n,
				ResolutionRate: p.resolved[th].value(), GreetingMissedRate: p.greet[th].value(),
				RecordingNoticeMissed: p.notice[th].value(), EmpathyMissedRate: p.empathy[th].value(),
				VerificationMissedRate: p.verify[th].value(), ProhibitedRate: p.prohibited[th].value(),
				CSATMean: p.csat[th].value()})
		}
		t.Partners = append(t.Partners, pt)
		t.QA.ProhibitedByPartner = append(t.QA.ProhibitedByPartner, NameCount{ps.name, a.qaProhib[i]})
	}
	for i, ag := range w.agents {
		t.Agents = append(t.Agents, AgentTruth{ID: ag.ID, Name: ag.Name, Team: ag.Team, Partner: ag.Partner, Skill: ag.Skill,
			BadApple: ag.BadApple, Contacts: a.agents[i].n, ResolutionRate: a.agents[i].value()})
	}
	t.Incidents = a.incidents()
	t.Effects = a.effects()

	t.Identity.File = TruthIdentityFile
	t.Identity.Listed = len(t.Identity.Links)
	if t.Identity.Links == nil {
		t.Identity.Links = []IdentityLink{}
	}

	v := &t.Vulnerability
	v.Customers = a.vulnCust
	for k := 1; k < numVuln; k++ {
		v.Contacts += a.vuln[k]
		v.ByKind = append(v.ByKind, NameCount{w.vulnKinds[k], a.vuln[k]})
	}
	v.ContactShare = rate{cn.Interactions, v.Contacts}.value()
	v.BotStarted = a.vulnBot
	v.BotCSAT, v.HumanCSAT = a.vulnCSAT[0].value(), a.vulnCSAT[1].value()

	t.PII.File = TruthPIIFile
	t.PII.Contacts = a.piiCont
	for k, n := range a.pii {
		t.PII.Planted += n
		t.PII.ByKind = append(t.PII.ByKind, NameCount{w.piiNames[k], n})
	}

	t.QA.BotDisclosure = "Every bot conversation opens with Hearthbot saying it is an automated assistant."
	t.QA.ProhibitedPhrases = commonTexts().prohibited

	for ch := range numChannels {
		if botFirst(ch) {
			t.CostModel = append(t.CostModel, CostRate{w.channels[ch], "bot", pounds(int64(w.costBot[ch]))})
		}
		t.CostModel = append(t.CostModel, CostRate{w.channels[ch], "human", pounds(int64(w.costHuman[ch]))})
	}
	return t
}

func pounds(p int64) float64 { return float64(p) / 100 }

func itoa(v int64) string {
	var b [20]byte
	return string(appendInt(b[:0], v))
}

func appendInt(b []byte, v int64) []byte {
	if v == 0 {
		return append(b, '0')
	}
	var tmp [20]byte
	i := len(tmp)
	neg := v < 0
	if neg {
		v = -v
	}
	for v > 0 {
		i--
		tmp[i] = byte('0' + v%10)
		v /= 10
	}
	if neg {
		b = append(b, '-')
	}
	return append(b, tmp[i:]...)
}

// meanOver averages xs over [from, to) and over the rest.
func meanOver(xs []int, from, to int) (outside, inside float64) {
	var in, out, nin, nout int
	for i, x := range xs {
		if i >= from && i < to {
			in += x
			nin++
		} else {
			out += x
			nout++
		}
	}
	if nin > 0 {
		inside = round4(float64(in) / float64(nin))
	}
	if nout > 0 {
		outside = round4(float64(out) / float64(nout))
	}
	return outside, inside
}

func (a *truthAcc) incidents() []Incident {
	w := a.w
	s := &w.sched
	ts := func(u int64) time.Time { return time.Unix(u, 0).UTC() }
	var north []string
	for _, r := range w.regs {
		if r.north {
			north = append(north, r.name)
		}
	}
	cd := s.dayIndex(s.courierFrom)
	delayOut, delayIn := meanOver(a.delayed, cd, cd+2)
	wOut, wIn := meanOver(a.wismo, cd, cd+3)
	ph := a.hourIndex(s.payFrom)
	pOut, pIn := meanOver(a.payFail, ph, ph+6)
	pcOut, pcIn := meanOver(a.payCont, ph, ph+24)
	pd := s.dayIndex(s.priceAnnounce)
	prOut, prIn := meanOver(a.priceCont, pd, pd+7)
	cp := &a.partners[partnerCoastline]
	ih := &a.partners[partnerInHouse]
	var degr []string
	for _, i := range degradedIntents() {
		degr = append(degr, w.intents[i].ID)
	}
	return []Incident{
		{ID: "courier-outage", Kind: "courier_outage", Title: "Parcelway northern hub outage",
			Description: "Parcelway's Warrington hub stops for two days: most deliveries due in the north slip by one to three days.",
			Start:       ts(s.courierFrom), End: ts(s.courierTo), Regions: north,
			Intents: []string{"where_is_my_box", "courier_complaint"},
			Effect:  "delivery_delayed spikes in the northern regions (80% of their deliveries), followed by where_is_my_box and courier_complaint contacts, longer queues on every channel and lower resolution of where_is_my_box (the courier cannot say where boxes are).",
			Measured: []Measure{
				{Metric: "delivery_delayed events per day, northern regions", Baseline: delayOut, During: delayIn},
				{Metric: "where_is_my_box contacts per day (window start to two days after the outage ends)", Baseline: wOut, During: wIn},
			}},
		{ID: "bot-release-4.3.0", Kind: "bot_release", Title: "Hearthbot 4.3.0 release",
			Description: "A new Hearthbot version misreads delivery-day changes and delivery instructions.",
			Start:       ts(s.botRelease), End: ts(s.end), Intents: degr,
			Effect: "For the named intents understanding falls from about 0.95 to 0.5 and completion to 0.55: more clarification loops, escalations, abandonment and repeat contacts; other intents are unchanged. Interactions carry attributes.bot_version.",
			Measured: []Measure{
				{Metric: "containment of the named intents", Baseline: a.degraded[0][0].value(), During: a.degraded[1][0].value()},
				{Metric: "escalation rate of the named intents", Baseline: a.degrEsc[0].value(), During: a.degrEsc[1].value()},
				{Metric: "containment of all other intents (control)", Baseline: a.degraded[0][1].value(), During: a.degraded[1][1].value()},
			}},
		{ID: "payment-provider-outage", Kind: "payment_outage", Title: "Payment provider declines",
			Description: "For six hours the payment provider declines 80% of charges.",
			Start:       ts(s.payFrom), End: ts(s.payTo), Intents: []string{"payment_failed", "update_payment_method"},
			Effect: "payment_failed events spike, then payment_failed contacts; agents cannot retry while it lasts (resolution 25%); failed boxes are retried a day later.",
			Measured: []Measure{
				{Metric: "payment_failed events per hour", Baseline: pOut, During: pIn},
				{Metric: "payment_failed contacts per hour (outage start to 24 hours later)", Baseline: pcOut, During: pcIn},
			}},
		{ID: "partner-quality-slide", Kind: "partner_quality", Title: "Coastline Contact quality slide",
			Description: "Coastline Contact's agents decline steadily from a fifth of the way into the window to its end.",
			Start:       ts(s.slideFrom), End: ts(s.end), Partner: w.partners[partnerCoastline].name,
			Effect: "By the end: agent skill −0.22, greeting missed +25 points, recording notice missed +20, empathy shown −35 points, verification missed +15, prohibited phrases more often, more transfers; resolution and CSAT fall. In-house agents do not change.",
			Measured: []Measure{
				{Metric: "Coastline Contact resolution rate (first third vs last third)", Baseline: cp.resolved[0].value(), During: cp.resolved[2].value()},
				{Metric: "Coastline Contact greeting missed rate", Baseline: cp.greet[0].value(), During: cp.greet[2].value()},
				{Metric: "Coastline Contact empathy missed rate", Baseline: cp.empathy[0].value(), During: cp.empathy[2].value()},
				{Metric: "Coastline Contact CSAT mean", Baseline: cp.csat[0].value(), During: cp.csat[2].value()},
				{Metric: "in-house resolution rate (control)", Baseline: ih.resolved[0].value(), During: ih.resolved[2].value()},
			}},
		{ID: "price-rise", Kind: "price_increase", Title: "Price rise of £2 a box",
			Description: "A price rise is announced by email and charged from a week later.",
			Start:       ts(s.priceAnnounce), End: ts(s.priceEffective), Intents: []string{"price_increase"},
			Effect: "price_increase contacts (22% of budget customers, 4–12% of others) in the days after the announcement; order values rise £2; cancellation odds rise for four weeks after it takes effect (log-odds +0.6 budget, +0.35 single, +0.25 couple, +0.2 family, +0.1 premium).",
			Measured: []Measure{
				{Metric: "price_increase contacts per day (announcement week vs rest)", Baseline: prOut, During: prIn},
			}},
	}
}

func (a *truthAcc) effects() Effects {
	fx := a.w.fx
	e := Effects{
		Model: "Each customer carries a frustration score f. Contacts add to it (parameters below), delivery problems add 0.25–0.4, " +
			"and it decays each week. Weekly cancellation probability is logistic(logit(segment base) + churn_per_frustration·f + adjustments) " +
			"and weekly skip probability is logistic(logit(segment skip) + skip_per_frustration·f), so unresolved, repeated and high-effort " +
			"contacts lower retention and revenue. Segment bases: family 0.6%, couple 0.8%, single 1.1%, premium 0.4%, budget 1.5% a week.",
		Parameters: []EffectParam{
			{"background_contact_rate", fx.backgroundRate, "unplanned contacts per active week at average propensity (propensity is log-normal, median 1)"},
			{"churn_per_frustration", fx.churnPerFrustration, "log-odds of weekly cancellation per unit of frustration"},
			{"skip_per_frustration", fx.skipPerFrustration, "log-odds of skipping a week per unit of frustration"},
			{"frustration_decay", fx.frustrationDecay, "share of frustration kept from one week to the next"},
			{"churn_new_customer", fx.churnNewCustomer, "extra log-odds of cancelling in the first six weeks"},
			{"unresolved", fx.unresolved, "frustration added by an unresolved contact"},
			{"abandoned", fx.abandoned, "added when the customer abandons (queue or bot)"},
			{"repeat", fx.repeat, "added by each repeat contact about the same need"},
			{"transfer", fx.transfer, "added per transfer"},
			{"long_wait", fx.longWait, "added when a live queue wait exceeds 10 minutes"},
			{"bot_loops", fx.botLoops, "added when the bot fails to understand twice"},
			{"bot_emotional", fx.botEmotional, "added when the bot handles an emotional intent or a vulnerable customer"},
			{"prohibited_phrase", fx.prohibited, "added when an agent uses a prohibited phrase"},
			{"resolved_relief", fx.resolvedRelief, "removed by a resolved contact"},
			{"empathy_relief", fx.empathyRelief, "removed, in addition, when a needed empathy statement was made"},
			{"partner_skill_slide", fx.partnerSkillSlide, "Coastline Contact agent skill lost by the end of the window"},
		},
	}
	names := []string{"no_contacts", "all_contacts_resolved", "some_contact_unresolved", "had_repeat_contact"}
	for i, g := range a.groups {
		n := math.Max(1, float64(g.customers))
		e.ChurnByExperience = append(e.ChurnByExperience, ExperienceGroup{Group: names[i], Customers: g.customers,
			Churned: g.churned, ChurnRate: rate{g.customers, g.churned}.value(),
			NetRevenuePerCust: math.Round(float64(g.net)/n) / 100, OrdersPerCustomer: round4(float64(g.orders) / n),
			ContactsPerCustomer: round4(float64(g.contacts) / n)})
	}
	return e
}
