package insight

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/metrics"
)

// Automation recommendations.
const (
	AutomateMore  = "automate_more"   // the bot does as well as people here and people still take much of the volume
	KeepHuman     = "keep_human"      // customers are clearly worse served by the bot, or too many are vulnerable or upset
	FixBot        = "fix_bot"         // the bot takes real volume but fails at it, or got worse
	NoChange      = "no_change"       // nothing clear either way: watch it
	NotEnoughData = "not_enough_data" // too few contacts to judge
)

// IntentFit is one intent's automation evidence and the recommendation it supports.
type IntentFit struct {
	Intent   string `json:"intent"`
	Contacts int64  `json:"contacts"`
	// BotShare is the share of contacts the bot took first.
	BotShare Est `json:"bot_share"`
	// Containment and ResolvedContainment are over bot-started contacts.
	Containment         Est `json:"containment"`
	ResolvedContainment Est `json:"resolved_containment"`
	// ContainmentEarly and ContainmentLate split the period at its midpoint,
	// to catch a bot that got worse (a release, a broken integration).
	ContainmentEarly Est `json:"containment_first_half"`
	ContainmentLate  Est `json:"containment_second_half"`
	// CSAT is the share of responses scoring 4–5, by who took the contact first.
	CSATBot   Est `json:"csat_bot"`
	CSATHuman Est `json:"csat_human"`
	// Repeat rates by who took the contact first.
	RepeatBot   Est `json:"repeat_rate_bot"`
	RepeatHuman Est `json:"repeat_rate_human"`
	// Costs in minor units of the configured currency.
	CostPerResolutionBot   Est `json:"cost_per_resolution_bot"`
	CostPerResolutionHuman Est `json:"cost_per_resolution_human"`
	CostPerContactBot      Est `json:"cost_per_contact_bot"`
	CostPerContactHuman    Est `json:"cost_per_contact_human"`
	// Resolution is the share of all the intent's contacts resolved (service success).
	Resolution Est `json:"resolution"`
	// Emotional intensity: the share of contacts with an anger cue and the
	// mean customer sentiment (−1…1).
	AngerShare Est `json:"anger_share"`
	Sentiment  Est `json:"sentiment"`
	// VulnerableShare is the share of contacts showing vulnerability cues.
	VulnerableShare Est `json:"vulnerable_share"`
	// Saving is, for automate_more, what moving the human-first contacts to
	// the bot at its current containment would have saved over the period
	// (minor units); contained contacts cost the bot's rate, the rest both.
	Saving *float64 `json:"saving,omitempty"`

	Recommendation string   `json:"recommendation"`
	Reasons        []string `json:"reasons"`
}

// Rules are the thresholds behind the recommendations. They are first
// principles made explicit, documented in docs/insights.md.
type Rules struct {
	MinContacts  int64 // below: not_enough_data
	MinBot       int64 // bot-started contacts needed to judge the bot
	MinResponses int64 // CSAT responses needed on each side to compare bot and human

	SubstantialBotShare float64 // fix_bot needs the bot to take at least this share
	LowContainment      float64 // below: the bot fails at the task (fix_bot)
	HighContainment     float64 // at or above (with HighResolvedContainment): the bot does the job
	HighResolved        float64 // resolved containment needed for automate_more
	CSATGap             float64 // keep_human: bot CSAT at least this far below human, intervals apart
	RepeatGap           float64 // fix_bot: bot repeat rate at least this far above human, intervals apart
	Regression          float64 // fix_bot: containment fell at least this much between halves, intervals apart
	MinHumanShare       float64 // automate_more: people still take at least this share (volume to move)
	HighVulnerable      float64 // keep_human: this share of contacts from vulnerable customers
	HighAnger           float64 // keep_human (with clearly lower bot CSAT and low containment)
	MostlyHuman         float64 // bot share below this: judged on human results alone
	HighResolution      float64 // mostly-human automate_more: resolution at least this
	LowAnger            float64 // mostly-human automate_more: anger share below this

	// Currency names the minor units of costs in the reasons ("GBP" → £);
	// empty prints bare amounts.
	Currency string
}

// DefaultRules are the thresholds used unless configured otherwise.
func DefaultRules() Rules {
	return Rules{
		MinContacts: 30, MinBot: 20, MinResponses: 10,
		SubstantialBotShare: 0.2, LowContainment: 0.5, HighContainment: 0.75, HighResolved: 0.6,
		CSATGap: 0.15, RepeatGap: 0.05, Regression: 0.15, MinHumanShare: 0.2,
		HighVulnerable: 0.10, HighAnger: 0.5,
		MostlyHuman: 0.2, HighResolution: 0.9, LowAnger: 0.2,
	}
}

// The metric ids Automation reads from the registry.
const (
	mContacts            = "contacts"
	mContainment         = "containment"
	mResolvedContainment = "resolved_containment"
	mCSAT                = "csat"
	mRepeatRate          = "repeat_rate"
	mCostPerResolution   = "cost_per_resolution"
	mCostPerContact      = "cost_per_contact"
	mServiceSuccess      = "service_success"
	mSentiment           = "sentiment"
)

// unknownIntent is what the intent model answers when it is unsure.
const unknownIntent = "unknown"

// Automation computes each intent's automation fit over period p with the
// default rules.
func Automation(ctx context.Context, src metrics.Source, p Period, scope cx.Scope) ([]IntentFit, error) {
	return AutomationWith(ctx, src, p, scope, DefaultRules())
}

// AutomationWith is Automation with explicit rules.
func AutomationWith(ctx context.Context, src metrics.Source, p Period, scope cx.Scope, r Rules) ([]IntentFit, error) {
	if err := p.Valid(); err != nil {
		return nil, err
	}
	early, late := p.halves()
	q := func(per Period, by []string, ms ...string) metrics.Query {
		return metrics.Query{Metrics: ms, By: by, From: per.From, To: per.To, Scope: scope, MinN: 1}
	}
	queries := []metrics.Query{
		q(p, []string{"intent", "handler"}, mContacts, mContainment, mResolvedContainment, mCSAT, mRepeatRate,
			mCostPerResolution, mCostPerContact),
		q(p, []string{"intent"}, mContacts, mServiceSuccess, mSentiment),
		q(p, []string{"intent", "flag:anger", "vulnerable"}, mContacts),
		q(early, []string{"intent"}, mContainment),
		q(late, []string{"intent"}, mContainment),
	}
	res, err := runAll(ctx, src, queries)
	if err != nil {
		return nil, fmt.Errorf("automation fit: %w", err)
	}

	fits := map[string]*IntentFit{}
	get := func(intent string) *IntentFit {
		f := fits[intent]
		if f == nil {
			f = &IntentFit{Intent: intent}
			fits[intent] = f
		}
		return f
	}
	var botN, humanN = map[string]int64{}, map[string]int64{}
	for _, row := range res[0].Rows {
		f := get(row.Keys[0])
		c := cells(res[0], row)
		switch row.Keys[1] {
		case string(cx.Bot):
			botN[f.Intent] = c[mContacts].N
			f.Containment, f.ResolvedContainment = estOf(c[mContainment]), estOf(c[mResolvedContainment])
			f.CSATBot, f.RepeatBot = estOf(c[mCSAT]), estOf(c[mRepeatRate])
			f.CostPerResolutionBot, f.CostPerContactBot = estOf(c[mCostPerResolution]), estOf(c[mCostPerContact])
		case string(cx.Human):
			humanN[f.Intent] = c[mContacts].N
			f.CSATHuman, f.RepeatHuman = estOf(c[mCSAT]), estOf(c[mRepeatRate])
			f.CostPerResolutionHuman, f.CostPerContactHuman = estOf(c[mCostPerResolution]), estOf(c[mCostPerContact])
		}
	}
	for _, row := range res[1].Rows {
		f := get(row.Keys[0])
		c := cells(res[1], row)
		f.Contacts = c[mContacts].N
		f.Resolution, f.Sentiment = estOf(c[mServiceSuccess]), estOf(c[mSentiment])
	}
	angry, vulnerable := map[string]int64{}, map[string]int64{}
	for _, row := range res[2].Rows {
		n := cells(res[2], row)[mContacts].N
		if row.Keys[1] == "yes" {
			angry[row.Keys[0]] += n
		}
		if row.Keys[2] == "yes" {
			vulnerable[row.Keys[0]] += n
		}
	}
	for _, row := range res[3].Rows {
		get(row.Keys[0]).ContainmentEarly = estOf(cells(res[3], row)[mContainment])
	}
	for _, row := range res[4].Rows {
		get(row.Keys[0]).ContainmentLate = estOf(cells(res[4], row)[mContainment])
	}

	out := make([]IntentFit, 0, len(fits))
	for intent, f := range fits {
		if intent == metrics.None || intent == unknownIntent || f.Contacts == 0 {
			continue // contacts without a known intent cannot be routed by intent
		}
		f.BotShare = wilson(botN[intent], f.Contacts)
		f.AngerShare = wilson(angry[intent], f.Contacts)
		f.VulnerableShare = wilson(vulnerable[intent], f.Contacts)
		r.decide(f, humanN[intent])
		if scope.Partner != "" && f.Recommendation != NotEnoughData {
			// A partner sees only the bot contacts escalated to its agents:
			// containment would read 0% and every intent "fix the bot".
			f.Recommendation = NotEnoughData
			f.Reasons = []string{fmt.Sprintf("Scoped to %s: the bot's contacts that never reached its agents are not visible here, so the bot cannot be judged. The figures describe %s's contacts only.",
				scope.Partner, scope.Partner)}
		}
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Contacts != out[j].Contacts {
			return out[i].Contacts > out[j].Contacts
		}
		return out[i].Intent < out[j].Intent
	})
	return out, nil
}

// runAll runs the queries concurrently: a SQL source answers them in
// parallel, a fast source in microseconds either way.
func runAll(ctx context.Context, src metrics.Source, qs []metrics.Query) ([]*metrics.Result, error) {
	res := make([]*metrics.Result, len(qs))
	errs := make([]error, len(qs))
	var wg sync.WaitGroup
	for i, q := range qs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i], errs[i] = src.Query(ctx, q)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("query %s by %s: %w", strings.Join(qs[i].Metrics, ","), strings.Join(qs[i].By, ","), err)
		}
	}
	return res, nil
}

// cells indexes a row's cells by metric id.
func cells(r *metrics.Result, row metrics.Row) map[string]metrics.Cell {
	m := make(map[string]metrics.Cell, len(row.Cells))
	for i, c := range row.Cells {
		id := c.Metric
		if id == "" && i < len(r.Metrics) {
			id = r.Metrics[i]
		}
		m[id] = c
	}
	return m
}

// decide sets f's recommendation and reasons. The order matters: a
// customer-harm finding (keep_human) outranks a bot defect (fix_bot), which
// outranks an opportunity (automate_more).
func (r Rules) decide(f *IntentFit, human int64) {
	f.Reasons = nil
	if f.Contacts < r.MinContacts {
		f.Recommendation = NotEnoughData
		f.Reasons = []string{fmt.Sprintf("Only %s contacts in the period; at least %d are needed to judge an intent.", Count(f.Contacts), r.MinContacts)}
		return
	}
	bot := f.BotShare.N > 0 && int64(f.BotShare.V()*float64(f.BotShare.N)+0.5) >= r.MinBot && f.Containment.Value != nil
	csatComparable := f.CSATBot.Has(r.MinResponses) && f.CSATHuman.Has(r.MinResponses)
	lowContainment := bot && f.Containment.V() < r.LowContainment
	csatBehind := csatComparable && f.CSATBot.clearlyBelow(f.CSATHuman)

	// keep_human
	var keep []string
	if csatBehind && f.CSATHuman.V()-f.CSATBot.V() >= r.CSATGap && (!bot || lowContainment) {
		keep = append(keep, fmt.Sprintf("Customers whose contact the bot took first were satisfied %s of the time, against %s when a person answered first.",
			pctEst(f.CSATBot), pctEst(f.CSATHuman)))
	}
	if f.VulnerableShare.V() >= r.HighVulnerable {
		keep = append(keep, fmt.Sprintf("%s of these contacts come from customers showing vulnerability (bereavement, illness, hardship, accessibility).",
			pctEst(f.VulnerableShare)))
	}
	if len(keep) == 0 && f.AngerShare.V() >= r.HighAnger && csatBehind && lowContainment {
		keep = append(keep, fmt.Sprintf("%s of these contacts show anger, and bot-first CSAT is %s against %s for people.",
			pctEst(f.AngerShare), pctEst(f.CSATBot), pctEst(f.CSATHuman)))
	}
	if len(keep) > 0 {
		if bot {
			keep = append(keep, fmt.Sprintf("The bot contains only %s of the contacts it starts.", pctEst(f.Containment)))
		}
		if f.AngerShare.V() >= r.HighAnger/2 && !strings.Contains(strings.Join(keep, " "), "anger") {
			s := fmt.Sprintf("%s of them show anger", pctEst(f.AngerShare))
			if f.Sentiment.V() <= -0.05 {
				s += fmt.Sprintf(" and their mean sentiment is %s", signed(f.Sentiment.V()))
			}
			keep = append(keep, s+".")
		}
		f.Recommendation, f.Reasons = KeepHuman, keep
		return
	}

	// fix_bot
	var fix []string
	if bot && f.BotShare.V() >= r.SubstantialBotShare {
		if lowContainment {
			fix = append(fix, fmt.Sprintf("The bot takes %s of these contacts first but contains only %s; %s end resolved without a repeat.",
				Pct(f.BotShare.V()), pctEst(f.Containment), Pct(f.ResolvedContainment.V())))
		}
		if f.RepeatBot.Has(r.MinBot) && f.RepeatHuman.Has(r.MinBot) && f.RepeatHuman.clearlyBelow(f.RepeatBot) &&
			f.RepeatBot.V()-f.RepeatHuman.V() >= r.RepeatGap {
			fix = append(fix, fmt.Sprintf("Customers come back about the same need after %s of bot-first contacts, against %s after people.",
				pctEst(f.RepeatBot), pctEst(f.RepeatHuman)))
		}
		if f.ContainmentEarly.Has(r.MinBot/2) && f.ContainmentLate.Has(r.MinBot/2) && f.ContainmentLate.clearlyBelow(f.ContainmentEarly) &&
			f.ContainmentEarly.V()-f.ContainmentLate.V() >= r.Regression {
			fix = append(fix, fmt.Sprintf("Containment fell from %s in the first half of the period to %s in the second: the bot got worse.",
				pctEst(f.ContainmentEarly), pctEst(f.ContainmentLate)))
		}
	}
	if len(fix) > 0 {
		if f.CostPerResolutionBot.Value != nil && f.CostPerResolutionHuman.Value != nil {
			fix = append(fix, fmt.Sprintf("A resolution costs %s when the bot starts the contact and %s when a person does.",
				Money(f.CostPerResolutionBot.V(), r.Currency), Money(f.CostPerResolutionHuman.V(), r.Currency)))
		}
		f.Recommendation, f.Reasons = FixBot, fix
		return
	}

	// automate_more
	humanShare := 1 - f.BotShare.V()
	if bot && f.Containment.V() >= r.HighContainment && f.ResolvedContainment.V() >= r.HighResolved && !csatBehind && humanShare >= r.MinHumanShare {
		why := []string{fmt.Sprintf("The bot contains %s of the contacts it starts and %s end resolved without a repeat.",
			pctEst(f.Containment), Pct(f.ResolvedContainment.V()))}
		if csatComparable {
			verdict := "no worse"
			if f.CSATHuman.clearlyBelow(f.CSATBot) {
				verdict = "better"
			}
			why = append(why, fmt.Sprintf("Bot-first CSAT is %s against %s for people: %s.", pctEst(f.CSATBot), pctEst(f.CSATHuman), verdict))
		}
		why = append(why, fmt.Sprintf("Yet %s of these contacts (%s) still reach a person first.", Pct(humanShare), Count(human)))
		if s, ok := saving(f, human); ok {
			f.Saving = f64(s)
			why = append(why, fmt.Sprintf("At %s a contact for people and %s for the bot, routing them to the bot would have saved about %s in the period.",
				Money(f.CostPerContactHuman.V(), r.Currency), Money(f.CostPerContactBot.V(), r.Currency), Money(s, r.Currency)))
		}
		f.Recommendation, f.Reasons = AutomateMore, why
		return
	}
	if f.BotShare.V() < r.MostlyHuman && f.Resolution.V() >= r.HighResolution && f.AngerShare.V() < r.LowAnger &&
		f.VulnerableShare.V() < r.HighVulnerable/2 {
		f.Recommendation = AutomateMore
		f.Reasons = []string{fmt.Sprintf("People take %s of these contacts and resolve %s of them; only %s show anger and %s vulnerability: a routine task to pilot on the bot.",
			Pct(humanShare), Pct(f.Resolution.V()), Pct(f.AngerShare.V()), Pct(f.VulnerableShare.V()))}
		return
	}

	f.Recommendation = NoChange
	switch {
	case !bot:
		f.Reasons = []string{fmt.Sprintf("Too few bot-started contacts to judge the bot (at least %d needed), and the human results do not make it an obvious candidate.", r.MinBot)}
	default:
		f.Reasons = []string{fmt.Sprintf("The bot contains %s: between the %s that calls for a fix and the %s that supports moving more volume to it, and its CSAT is not clearly below people's.",
			pctEst(f.Containment), Pct(r.LowContainment), Pct(r.HighContainment))}
	}
}

// saving is what routing the human-first contacts to the bot would have
// saved. A bot-started contact's cost already includes the person who
// finishes it when the bot escalates, so the bot's mean cost per contact is
// what a routed contact would cost on average.
func saving(f *IntentFit, human int64) (float64, bool) {
	if f.CostPerContactBot.Value == nil || f.CostPerContactHuman.Value == nil || human == 0 {
		return 0, false
	}
	s := float64(human) * (f.CostPerContactHuman.V() - f.CostPerContactBot.V())
	if s <= 0 {
		return 0, false
	}
	return s, true
}

// signed writes a score with a true minus sign: "−0.20".
func signed(v float64) string {
	if v < 0 {
		return fmt.Sprintf("−%.2f", -v)
	}
	return fmt.Sprintf("+%.2f", v)
}
