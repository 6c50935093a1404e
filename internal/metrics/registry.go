package metrics

import (
	"fmt"
	"strings"
)

// Number is the unit of counts of rows (contacts).
const Number Unit = "count"

// The registry: every metric Northstar reports, defined once. Sources
// evaluate these definitions; docs/metrics.md, `northstar metrics list` and
// GET /v1/metrics/registry are generated from them. Windows are not
// restated here: the store computes the repeated, first_contact and fcr
// columns with the configured repeat window when it imports.
var registry = []Metric{
	{
		ID: "contacts", Label: "Contacts", Unit: Number, Better: LowerIsBetter, Term: Short,
		Description: "Contacts that started in the period, on any channel, bot or human. Every contact the " +
			"customer needed is demand the brand pays for, so fewer is better when the outcomes hold.",
		Formula: "count(contacts)",
		Kind:    Count, Over: Interactions, Base: all(),
	},
	{
		ID: "csat", Label: "CSAT %", Unit: Percent, Better: HigherIsBetter, Term: Short,
		Description: "Share of CSAT answers scoring 4 or 5 on the 1–5 scale. Answers are the scores given inline " +
			"with a contact plus separate survey records, each counted once and sliced by the contact it rates.",
		Formula: "responses with csat 4–5 ÷ responses with a csat score",
		Kind:    Proportion, Over: Responses, Base: notNull("csat"), Hit: between("csat", 4, 5),
	},
	{
		ID: "csat_mean", Label: "CSAT mean", Unit: Score, Better: HigherIsBetter, Term: Short,
		Description: "Mean CSAT score on the 1–5 scale, over the same answers as csat.",
		Formula:     "mean(csat) over responses with a csat score",
		Kind:        Mean, Over: Responses, Base: notNull("csat"), Value: Value{Col: "csat"},
	},
	{
		ID: "nps", Label: "NPS", Unit: Score, Better: HigherIsBetter, Term: Medium,
		Description: "Net Promoter Score: % promoters (9–10) − % detractors (0–6) over all NPS answers, −100…100. " +
			"Computed as the mean of +100 per promoter, 0 per passive and −100 per detractor, which is the same number " +
			"and gives it a t interval.",
		Formula: "mean(nps 0–6 → −100, 7–8 → 0, 9–10 → +100) over responses with an nps score",
		Kind:    Mean, Over: Responses, Base: notNull("nps"),
		Value: Value{Col: "nps", Bands: []Band{{0, 6, -100}, {7, 8, 0}, {9, 10, 100}}},
	},
	{
		ID: "ces", Label: "CES", Unit: Score, Better: HigherIsBetter, Term: Short,
		Description: "Customer Effort Score: mean agreement that the company made it easy, on the 1–7 scale; higher is easier.",
		Formula:     "mean(ces) over responses with a ces score",
		Kind:        Mean, Over: Responses, Base: notNull("ces"), Value: Value{Col: "ces"},
	},
	{
		ID: "ces_easy", Label: "CES easy %", Unit: Percent, Better: HigherIsBetter, Term: Short,
		Description: "Share of CES answers scoring 5–7 (the customer agreed it was easy).",
		Formula:     "responses with ces 5–7 ÷ responses with a ces score",
		Kind:        Proportion, Over: Responses, Base: notNull("ces"), Hit: between("ces", 5, 7),
	},
	{
		ID: "repeat_rate", Label: "Repeat-contact rate", Unit: Percent, Better: LowerIsBetter, Term: Short,
		Description: "Share of contacts followed by another contact from the same customer with the same intent within " +
			"the repeat window (configuration repeat-window, default 7 days), on any channel. Contacts without a known " +
			"intent cannot be linked and are left out.",
		Formula: "contacts followed by a same-intent contact within the window ÷ contacts with a known intent",
		Kind:    Proportion, Over: Interactions, Base: notNull("repeated"), Hit: isTrue("repeated"),
	},
	{
		ID: "fcr", Label: "First-contact resolution", Unit: Percent, Better: HigherIsBetter, Term: Short,
		Description: "Share of first contacts (no contact from the same customer with the same intent in the window " +
			"before) that were resolved and were not followed by a repeat contact within the window.",
		Formula: "first contacts resolved and not repeated ÷ first contacts",
		Kind:    Proportion, Over: Interactions, Base: isTrue("first_contact"), Hit: isTrue("fcr"),
	},
	{
		ID: "containment", Label: "Bot containment", Unit: Percent, Better: HigherIsBetter, Term: Short,
		Description: "Share of bot-started contacts that ended without a hand-off to a human and were not abandoned.",
		Formula:     "bot contacts not escalated and not abandoned ÷ bot contacts",
		Kind:        Proportion, Over: Interactions, Base: eq("handler", "bot"),
		Hit: and(not(isTrue("escalated")), not(isTrue("abandoned"))),
	},
	{
		ID: "resolved_containment", Label: "Resolved containment", Unit: Percent, Better: HigherIsBetter, Term: Medium,
		Description: "Share of bot-started contacts that were contained (no hand-off, not abandoned) and not followed " +
			"by a repeat contact within the window: containment that really answered the need.",
		Formula: "bot contacts contained and not repeated ÷ bot contacts",
		Kind:    Proportion, Over: Interactions, Base: eq("handler", "bot"),
		Hit: and(not(isTrue("escalated")), not(isTrue("abandoned")), not(isTrue("repeated"))),
	},
	{
		ID: "escalation_rate", Label: "Escalation rate", Unit: Percent, Better: LowerIsBetter, Term: Short,
		Description: "Share of bot-started contacts handed to a human.",
		Formula:     "bot contacts escalated ÷ bot contacts",
		Kind:        Proportion, Over: Interactions, Base: eq("handler", "bot"), Hit: isTrue("escalated"),
	},
	{
		ID: "abandonment_rate", Label: "Abandonment rate", Unit: Percent, Better: LowerIsBetter, Term: Short,
		Description: "Share of contacts offered (every contact) that the customer abandoned before being served.",
		Formula:     "contacts abandoned ÷ contacts",
		Kind:        Proportion, Over: Interactions, Base: all(), Hit: isTrue("abandoned"),
	},
	{
		ID: "asa", Label: "Average speed of answer", Unit: Seconds, Better: LowerIsBetter, Term: Short,
		Description: "Mean wait before a person answered, over human-handled contacts that were not abandoned.",
		Formula:     "mean(wait_seconds) over human contacts not abandoned",
		Kind:        Mean, Over: Interactions, Base: and(eq("handler", "human"), not(isTrue("abandoned"))),
		Value: Value{Col: "wait_seconds"},
	},
	{
		ID: "aht", Label: "Average handle time", Unit: Seconds, Better: LowerIsBetter, Term: Short,
		Description: "Mean handle time (talk + hold + wrap) of human-handled contacts that were not abandoned.",
		Formula:     "mean(handle_seconds) over human contacts not abandoned",
		Kind:        Mean, Over: Interactions, Base: and(eq("handler", "human"), not(isTrue("abandoned"))),
		Value: Value{Col: "handle_seconds"},
	},
	{
		ID: "cost_per_contact", Label: "Cost per contact", Unit: Money, Better: LowerIsBetter, Term: Medium,
		Description: "Total cost of the contacts that carry a cost ÷ those contacts, in minor units of the configured " +
			"currency. Costs are the contacts' own cost as imported (bot and human costs per channel are set by the source).",
		Formula: "sum(cost) ÷ contacts with a cost",
		Kind:    Ratio, Over: Interactions, Base: notNull("cost"), Hit: all(), Value: Value{Col: "cost"},
	},
	{
		ID: "cost_per_resolution", Label: "Cost per resolution", Unit: Money, Better: LowerIsBetter, Term: Medium,
		Description: "Total cost of the contacts that carry a cost ÷ the resolved ones among them: what one resolved " +
			"need costs, failures included.",
		Formula: "sum(cost) ÷ resolved contacts with a cost",
		Kind:    Ratio, Over: Interactions, Base: notNull("cost"), Hit: isTrue("resolved"), Value: Value{Col: "cost"},
	},
	{
		ID: "cost_to_serve", Label: "Cost to serve", Unit: Money, Better: LowerIsBetter, Term: Medium,
		Description: "Total service cost of the contacts in the period ÷ the customers who made them (contacts without " +
			"a cost add nothing to the sum). Slice by segment for cost to serve per segment.",
		Formula: "sum(cost) ÷ distinct customers with a contact",
		Kind:    PerCustomer, Over: Interactions, Base: all(), Value: Value{Col: "cost"},
	},
	{
		ID: "service_success", Label: "Service success", Unit: Percent, Better: HigherIsBetter, Term: Short,
		Description: "Share of contacts whose outcome was achieved (resolved: as the source said, or as analysis " +
			"decided), over the contacts whose outcome is known.",
		Formula: "contacts resolved ÷ contacts with a known outcome",
		Kind:    Proportion, Over: Interactions, Base: notNull("resolved"), Hit: isTrue("resolved"),
	},
	{
		ID: "retention", Label: "Retention", Unit: Percent, Better: HigherIsBetter, Term: Long,
		Description: "Share of the customers active at the start of the period who are still active at its end. A " +
			"customer is active at a moment T when they had an event or a contact in the 90 days before T and their " +
			"latest subscription event before T (if any) is not subscription_cancelled. Merged customers count once, " +
			"as their survivor.",
		Formula: "customers active at From and at To ÷ customers active at From",
		Kind:    Proportion, Over: Customers, Base: isTrue("active_start"), Hit: isTrue("active_end"),
	},
	{
		ID: "churn", Label: "Churn", Unit: Percent, Better: LowerIsBetter, Term: Long,
		Description: "1 − retention: share of the customers active at the start of the period who are no longer " +
			"active at its end (cancelled, or no event or contact in the last 90 days).",
		Formula: "customers active at From and not at To ÷ customers active at From",
		Kind:    Proportion, Over: Customers, Base: isTrue("active_start"), Hit: not(isTrue("active_end")),
	},
	{
		ID: "ltv", Label: "Realised LTV", Unit: Money, Better: HigherIsBetter, Term: Long,
		Description: "Mean realised lifetime value to date: revenue (order_placed values) − refunds (refund_issued " +
			"values) of every event before the end of the period, per customer who has placed at least one order by then. " +
			"Slice by cohort and segment; compare periods for its movement.",
		Formula: "mean(Σ order_placed − Σ refund_issued before To) over customers with an order before To",
		Kind:    Mean, Over: Customers, Base: isTrue("ordered"), Value: Value{Col: "realised_value"},
	},
	{
		ID: "margin", Label: "Contribution margin", Unit: Money, Better: HigherIsBetter, Term: Long,
		Description: "Revenue − refunds − service cost in the period, summed over the customers with an order, a refund " +
			"or a contact in it. Slice by segment for the segments that lose money to serve.",
		Formula: "Σ over customers served (order_placed − refund_issued − contact cost, in [From, To))",
		Kind:    Sum, Over: Customers, Base: isTrue("served"), Value: Value{Col: "margin"},
	},
	{
		ID: "sentiment", Label: "Sentiment", Unit: Score, Better: HigherIsBetter, Term: Short,
		Description: "Mean customer sentiment of a contact (−1…1, the mean over the customer's turns), over analysed contacts.",
		Formula:     "mean(sentiment) over contacts with a sentiment",
		Kind:        Mean, Over: Interactions, Base: notNull("sentiment"), Value: Value{Col: "sentiment"},
	},
	{
		ID: "sentiment_change", Label: "Sentiment change", Unit: Score, Better: HigherIsBetter, Term: Short,
		Description: "Mean change of customer sentiment from the first to the last third of a contact (−2…2): " +
			"positive when contacts leave customers happier than they came.",
		Formula: "mean(sentiment_change) over contacts with a sentiment change",
		Kind:    Mean, Over: Interactions, Base: notNull("sentiment_change"), Value: Value{Col: "sentiment_change"},
	},
	{
		ID: "qa_score", Label: "QA score", Unit: Percent, Better: HigherIsBetter, Term: Short,
		Description: "Mean automatic QA score: the weighted share of scorecard criteria met (0 when an auto-fail " +
			"criterion failed), over contacts scored.",
		Formula: "mean(qa_score) over scored contacts",
		Kind:    Mean, Over: Interactions, Base: notNull("qa_score"), Value: Value{Col: "qa_score"},
	},
	{
		ID: "effort", Label: "Effort", Unit: Score, Better: LowerIsBetter, Term: Short,
		Description: "Mean customer effort index of a contact (0–100, higher is more effort): what the contact itself " +
			"cost the customer (waits, transfers, repeating themselves) plus what the journey cost before it (earlier " +
			"contacts for the same intent within the repeat window, and channel switches).",
		Formula: "mean(effort) over analysed contacts",
		Kind:    Mean, Over: Interactions, Base: notNull("effort"), Value: Value{Col: "effort"},
	},
}

// factColumns are the columns a definition may name, per kind of fact row.
// Sources map them to their storage; anything else is a registry bug.
var factColumns = map[Facts][]string{
	Interactions: {"handler", "escalated", "abandoned", "resolved", "repeated", "first_contact", "fcr",
		"wait_seconds", "handle_seconds", "cost", "sentiment", "sentiment_change", "effort", "qa_score", "vulnerable"},
	Responses: {"csat", "nps", "ces", "handler", "escalated", "abandoned", "resolved", "repeated", "first_contact", "fcr"},
	Customers: {"active_start", "active_end", "ordered", "served", "realised_value", "margin"},
}

// Registry returns every metric definition in the order they are listed.
func Registry() []Metric {
	out := make([]Metric, len(registry))
	for i, m := range registry {
		out[i] = m
		out[i].Dims = dimsOf(m)
	}
	return out
}

// Lookup returns the metric with id, or an error listing the valid ids.
func Lookup(id string) (Metric, error) {
	for _, m := range registry {
		if m.ID == id {
			m.Dims = dimsOf(m)
			return m, nil
		}
	}
	return Metric{}, fmt.Errorf("unknown metric %q (valid: %s)", id, strings.Join(MetricIDs(), ", "))
}

// MetricIDs lists the metric ids in registry order.
func MetricIDs() []string {
	ids := make([]string, len(registry))
	for i, m := range registry {
		ids[i] = m.ID
	}
	return ids
}

// dimsOf is the dimensions a metric can be sliced and filtered by: contact
// and response metrics by every dimension, customer metrics by the
// customer's own attributes (their rows are customers, not contacts).
func dimsOf(m Metric) []string {
	var out []string
	for _, d := range dimensions {
		if m.Over == Customers && d.Kind != CustomerDim {
			continue
		}
		out = append(out, d.ID)
	}
	if m.Over != Customers {
		out = append(out, "flag:<kind>")
	}
	return out
}

func all() Pred               { return Pred{Op: All} }
func eq(col, s string) Pred   { return Pred{Op: Eq, Col: col, Str: s} }
func isTrue(col string) Pred  { return Pred{Op: IsTrue, Col: col} }
func notNull(col string) Pred { return Pred{Op: NotNull, Col: col} }
func and(ps ...Pred) Pred     { return Pred{Op: And, Args: ps} }
func not(p Pred) Pred         { return Pred{Op: Not, Args: []Pred{p}} }
func between(col string, lo, hi float64) Pred {
	return Pred{Op: Between, Col: col, Lo: lo, Hi: hi}
}
