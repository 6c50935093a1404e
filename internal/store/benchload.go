package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"time"
)

// SyntheticOptions shape a synthetic world for benchmarks: fact rows only
// (customers, value events, contacts, surveys), written straight through
// the engines' bulk path, without transcripts, identities or analysis.
type SyntheticOptions struct {
	Interactions int
	// Customers defaults to one per seven contacts.
	Customers int
	// Days of contacts ending at End (default 365 days to 2026-11-01 UTC).
	Days int
	End  time.Time
	Seed uint64
	// SurveyShare is the share of contacts with a separate survey record
	// (default 0.05; inline answers come on about 30% regardless).
	SurveyShare float64
	// Progress is called after every chunk with the contacts written.
	Progress func(done int)
}

// SyntheticReport says what LoadSynthetic wrote.
type SyntheticReport struct {
	Customers, Events, Interactions, Surveys int
	Seconds                                  float64
}

// Distributions like the demo world's: 7 channels, 40 intents, bot and
// human, 3 partners, ~150 agents, surveys on ~30% of contacts.
var (
	synChannels = []string{"voice", "chat", "email", "social", "messaging", "sms", "web"}
	synChanW    = []float64{0.22, 0.30, 0.18, 0.05, 0.12, 0.03, 0.10}
	synStages   = []string{"fulfilment", "service", "billing", "retention", "sales", "marketing", "onboarding"}
	synSegments = []string{"family", "single", "couple", "business"}
	synRegions  = []string{"UK-London", "UK-North", "UK-South", "UK-Midlands", "UK-Scotland", "UK-Wales"}
	synPartners = []string{"in-house", "northwind", "coastline"}
	synFlags    = []string{",anger,", ",confusion,", ",urgency,", ",anger,urgency,", ",vulnerable_bereavement,", ",vulnerable_health,"}
	synIntents  = func() []string {
		out := []string{"where_is_my_box", "missing_item", "damaged_item", "wrong_item", "quality_complaint", "courier_complaint",
			"delivery_instructions", "change_delivery_day", "change_address", "skip_week", "pause_subscription",
			"cancel_subscription", "reactivate_subscription", "change_plan", "update_payment_method", "payment_failed",
			"refund_request", "billing_query", "invoice_request", "price_increase", "promo_code", "gift_card", "referral_credit",
			"marketing_unsubscribe", "first_box_questions", "menu_selection", "dietary_requirements", "allergen_info",
			"recipe_help", "packaging_recycling", "account_login", "app_problem", "delete_account", "other",
			"order_status", "subscription_terms", "voucher_expired", "box_size", "delivery_slot", "contact_preferences"}
		return out
	}()
)

// LoadSynthetic writes a synthetic world into an empty store (it refuses a
// store with interactions). Repeat links are computed while generating,
// with the default 7-day window, so no Relink pass is needed.
func (s *Store) LoadSynthetic(ctx context.Context, o SyntheticOptions) (SyntheticReport, error) {
	start := time.Now()
	var rep SyntheticReport
	if o.Interactions <= 0 {
		return rep, fmt.Errorf("synthetic world: give a positive number of interactions")
	}
	if o.Customers <= 0 {
		o.Customers = max(1, o.Interactions/7)
	}
	if o.Days <= 0 {
		o.Days = 365
	}
	if o.SurveyShare <= 0 {
		o.SurveyShare = 0.05
	}
	if o.End.IsZero() {
		o.End = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.known = nil // it fills tables without noting keys
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM interactions`).Scan(&n); err != nil {
		return rep, fmt.Errorf("synthetic world: %w", err)
	}
	if n > 0 {
		return rep, fmt.Errorf("synthetic world: the store already has %d interactions; load into an empty database", n)
	}
	g := &synGen{o: o, rng: rand.New(rand.NewPCG(o.Seed, 0x5eed)), now: time.Now().UTC(), seal: s.vault().seal}
	g.agents()
	g.col = map[string]int{}
	for i, c := range interactionCols {
		g.col[c] = i
	}
	err := s.tx(ctx, func(c *sql.Conn) error {
		if err := s.eng.lockWriters(ctx, c); err != nil {
			return err
		}
		if _, err := c.ExecContext(ctx, `INSERT INTO imports (id, started_at, origin) VALUES (1, $1, 'bench')`, g.now); err != nil {
			return err
		}
		flush := func(table string, cols []string, rows *[][]any) error {
			if len(*rows) == 0 {
				return nil
			}
			if err := s.eng.bulkInsert(ctx, c, table, cols, *rows); err != nil {
				return err
			}
			*rows = (*rows)[:0]
			return ctx.Err()
		}
		const chunk = 20000
		var custRows, evRows, inRows, svRows [][]any
		perCust := float64(o.Interactions) / float64(o.Customers)
		for cust := 1; cust <= o.Customers && rep.Interactions < o.Interactions; cust++ {
			k := g.contactsFor(perCust)
			if cust == o.Customers || o.Interactions-rep.Interactions < k {
				k = o.Interactions - rep.Interactions
			}
			custRows = append(custRows, g.customer(int64(cust)))
			evs := g.events(int64(cust))
			evRows = append(evRows, evs...)
			ins, svs := g.contacts(int64(cust), k, int64(rep.Interactions))
			inRows = append(inRows, ins...)
			svRows = append(svRows, svs...)
			rep.Customers++
			rep.Events += len(evs)
			rep.Interactions += len(ins)
			rep.Surveys += len(svs)
			if len(inRows) >= chunk {
				for _, t := range []struct {
					table string
					cols  []string
					rows  *[][]any
				}{{"customers", customerCols, &custRows}, {"events", eventCols, &evRows},
					{"interactions", interactionCols, &inRows}, {"surveys", surveyCols, &svRows}} {
					if err := flush(t.table, t.cols, t.rows); err != nil {
						return err
					}
				}
				if o.Progress != nil {
					o.Progress(rep.Interactions)
				}
			}
		}
		for _, t := range []struct {
			table string
			cols  []string
			rows  *[][]any
		}{{"customers", customerCols, &custRows}, {"events", eventCols, &evRows},
			{"interactions", interactionCols, &inRows}, {"surveys", surveyCols, &svRows}} {
			if err := flush(t.table, t.cols, t.rows); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("synthetic world: %w", err)
	}
	if o.Progress != nil {
		o.Progress(rep.Interactions)
	}
	// Fresh statistics for the planner (PostgreSQL) and a compact file (DuckDB).
	post := `CHECKPOINT`
	if s.eng.name() == "postgres" {
		post = `ANALYZE`
	}
	if _, err := s.db.ExecContext(ctx, post); err != nil {
		return rep, fmt.Errorf("synthetic world: %s: %w", post, err)
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

// layout places values given in the generator's column order into a
// table's column order (the DuckDB appender writes whole rows); columns the
// generator does not know, added by later migrations, stay NULL.
type layout struct {
	n   int
	pos []int
}

func newLayout(table, names []string) layout {
	l := layout{n: len(table), pos: make([]int, len(names))}
	for i, name := range names {
		l.pos[i] = -1
		for j, c := range table {
			if c == name {
				l.pos[i] = j
			}
		}
	}
	return l
}

func (l layout) row(vals ...any) []any {
	row := make([]any, l.n)
	for i, v := range vals {
		if p := l.pos[i]; p >= 0 {
			row[p] = v
		}
	}
	return row
}

var (
	synCustomerLayout = newLayout(customerCols, []string{"id", "ext_id", "segment", "region", "signup_at", "content_hash", "created_at", "updated_at"})
	synEventLayout    = newLayout(eventCols, []string{"ext_id", "customer_id", "name", "occurred_at", "value", "currency", "content_hash", "import_id"})
	synSurveyLayout   = newLayout(surveyCols, []string{"source", "ext_id", "interaction_id", "customer_id", "answered_at", "csat", "nps", "content_hash", "import_id"})
	synInterLayout    = newLayout(interactionCols, []string{"id", "source", "ext_id", "customer_id", "channel", "journey_stage",
		"queue", "handler", "agent_id", "team", "partner", "started_at", "ended_at", "wait_seconds", "handle_seconds", "transfers",
		"escalated", "abandoned", "resolved_given", "resolved", "intent", "intent_confidence", "cost", "currency", "csat", "nps", "ces",
		"sentiment", "sentiment_change", "effort", "qa_score", "flags", "vulnerable", "turns", "body", "content_hash", "import_id",
		"imported_at", "repeat_of", "repeated", "first_contact", "fcr"})
)

type synAgent struct{ id, team, partner string }

type synGen struct {
	col    map[string]int // interactions column → position
	o      SyntheticOptions
	rng    *rand.Rand
	now    time.Time
	agentL []synAgent
	nextEv int64
	nextSv int64
	// seal encrypts personal values as the import path does, so the
	// synthetic world reads like a real one.
	seal func(ad, plain string) string
}

func (g *synGen) agents() {
	for i := range 150 {
		p := synPartners[0]
		switch {
		case i%5 == 3:
			p = synPartners[1]
		case i%5 == 4:
			p = synPartners[2]
		}
		g.agentL = append(g.agentL, synAgent{id: "A" + strconv.Itoa(1000+i), team: "T" + strconv.Itoa(i%12), partner: p})
	}
}

func (g *synGen) pickW(w []float64) int {
	x := g.rng.Float64()
	for i, p := range w {
		if x < p {
			return i
		}
		x -= p
	}
	return len(w) - 1
}

// contactsFor draws a customer's number of contacts: most have a few, some
// many (geometric with the given mean, at least 1).
func (g *synGen) contactsFor(mean float64) int {
	p := 1 / mean
	return 1 + int(math.Log(1-g.rng.Float64())/math.Log(1-p+1e-12))
}

func (g *synGen) customer(id int64) []any {
	signup := g.o.End.AddDate(-3, 0, 0).Add(time.Duration(g.rng.Int64N(int64(3 * 365 * 24 * time.Hour))))
	return synCustomerLayout.row(id, g.seal(adCustomerExt, "C"+strconv.FormatInt(id, 10)), synSegments[g.rng.IntN(len(synSegments))],
		synRegions[g.rng.IntN(len(synRegions))], signup, id, g.now, g.now)
}

func (g *synGen) events(cust int64) [][]any {
	var out [][]any
	first := g.o.End.AddDate(0, 0, -g.o.Days-90)
	span := int64(g.o.End.Sub(first))
	at := func() time.Time { return first.Add(time.Duration(g.rng.Int64N(span))) }
	add := func(name string, t time.Time, value any) {
		g.nextEv++
		out = append(out, synEventLayout.row("E"+strconv.FormatInt(g.nextEv, 10), cust, name, t, value, "GBP", g.nextEv, int64(1)))
	}
	add("subscription_started", first.Add(time.Duration(g.rng.Int64N(span/4))), nil)
	for range 1 + g.rng.IntN(3) {
		add("order_placed", at(), int64(2000+g.rng.IntN(6000)))
	}
	if g.rng.IntN(10) == 0 {
		add("refund_issued", at(), int64(500+g.rng.IntN(3000)))
	}
	if g.rng.IntN(7) == 0 {
		add("subscription_cancelled", at(), nil)
	}
	return out
}

type synContact struct {
	at     time.Time
	intent int
	row    []any
}

// contacts writes k contacts of one customer, with the repeat links the
// store's Relink would compute (same intent within 7 days, any channel).
func (g *synGen) contacts(cust int64, k int, firstID int64) (rows, surveys [][]any) {
	span := int64(time.Duration(g.o.Days) * 24 * time.Hour)
	begin := g.o.End.AddDate(0, 0, -g.o.Days)
	cs := make([]synContact, k)
	for i := range cs {
		if i > 0 && g.rng.IntN(4) == 0 { // a follow-up about the same need
			prev := cs[i-1]
			cs[i] = synContact{at: prev.at.Add(time.Duration(g.rng.Int64N(int64(10 * 24 * time.Hour)))), intent: prev.intent}
			if !cs[i].at.Before(g.o.End) {
				cs[i].at = prev.at
			}
		} else {
			// Skewed: a few intents carry most of the volume.
			cs[i] = synContact{at: begin.Add(time.Duration(g.rng.Int64N(span))), intent: int(float64(len(synIntents)) * math.Pow(g.rng.Float64(), 2))}
		}
		cs[i].at = cs[i].at.Truncate(time.Second)
	}
	sort.SliceStable(cs, func(a, b int) bool { return cs[a].at.Before(cs[b].at) })
	const window = 7 * 24 * time.Hour
	last := map[int]int{} // intent → index of the previous contact
	rows = make([][]any, k)
	for i := range cs {
		c := &cs[i]
		id := firstID + int64(i) + 1
		ch := g.pickW(synChanW)
		bot := ch != 0 && g.rng.IntN(100) < 45
		handler, agent, team, partner := "human", any(nil), any(nil), any(nil)
		escalated := false
		if bot {
			handler = "bot"
			escalated = g.rng.IntN(100) < 30
		}
		if !bot || escalated {
			a := g.agentL[g.rng.IntN(len(g.agentL))]
			agent, team, partner = a.id, a.team, a.partner
		}
		abandoned := g.rng.IntN(100) < 6
		resolved := !abandoned && g.rng.IntN(100) < 72
		wait, handle := 0, 30+g.rng.IntN(120)
		if !bot {
			wait, handle = g.rng.IntN(400), 120+g.rng.IntN(900)
		}
		cost := int64(40 + g.rng.IntN(100))
		if !bot {
			cost = int64(300 + handle)
		}
		var csat, nps, ces any
		if !abandoned && g.rng.IntN(100) < 30 {
			score := 1 + g.rng.IntN(5)
			if resolved && score < 4 && g.rng.IntN(2) == 0 {
				score += 2
			}
			csat = int16(score)
			if g.rng.IntN(2) == 0 {
				nps = int16(g.rng.IntN(11))
			}
			if g.rng.IntN(3) == 0 {
				ces = int16(1 + g.rng.IntN(7))
			}
		}
		sent := math.Round((g.rng.Float64()*1.6-0.7)*1000) / 1000
		change := math.Round((g.rng.Float64()-0.4)*1000) / 1000
		var qa, flags any
		if !bot {
			qa = math.Round(g.rng.Float64()*1000) / 1000
		}
		if g.rng.IntN(100) < 12 {
			flags = synFlags[g.rng.IntN(len(synFlags))]
		}
		vulnerable := flags == synFlags[4] || flags == synFlags[5]
		intent := synIntents[c.intent]
		var repeatOf any
		first := true
		if p, ok := last[c.intent]; ok && c.at.Sub(cs[p].at) <= window {
			repeatOf, first = firstID+int64(p)+1, false
			cs[p].row[g.col["repeated"]] = true // the earlier one was repeated,
			cs[p].row[g.col["fcr"]] = false     // so not resolved at the first contact
		}
		last[c.intent] = i
		row := synInterLayout.row(id, "bench", "I"+strconv.FormatInt(id, 10), cust, synChannels[ch], synStages[c.intent%len(synStages)],
			"Q"+strconv.Itoa(c.intent%8), handler, agent, team, partner, c.at, c.at.Add(time.Duration(wait+handle)*time.Second),
			int32(wait), int32(handle), int32(0), escalated, abandoned, resolved, resolved, intent, 0.9, cost, "GBP",
			csat, nps, ces, sent, change, float64(g.rng.IntN(100)), qa, flags, vulnerable, int32(6+g.rng.IntN(20)), "{}",
			id, int64(1), g.now, repeatOf, false, first, first && resolved)
		c.row = row
		rows[i] = row
		if g.rng.Float64() < g.o.SurveyShare {
			g.nextSv++
			surveys = append(surveys, synSurveyLayout.row("survey-tool", "S"+strconv.FormatInt(g.nextSv, 10), id, cust,
				c.at.Add(time.Duration(1+g.rng.IntN(72))*time.Hour), int16(1+g.rng.IntN(5)), int16(g.rng.IntN(11)), g.nextSv, int64(1)))
		}
	}
	return rows, surveys
}
