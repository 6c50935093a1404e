package insight

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
)

// ValueOptions are the choices behind value linkage; docs/insights.md
// explains each.
type ValueOptions struct {
	// FollowUp is how long after a customer's last contact in the period
	// their retention and revenue are followed (default 90 days).
	FollowUp time.Duration
	// MinFollowUp leaves out customers whose last contact is closer than
	// this to the end of the data (default 30 days): too little time has
	// passed to see what they did.
	MinFollowUp time.Duration
	// HighEffort is the effort index (0–100) from which a contact counts as
	// high effort (default 30).
	HighEffort float64
	// NegativeSentiment is the mean customer sentiment (−1…1) at or below
	// which a customer's experience counts as negative (default −0.2).
	NegativeSentiment float64
	// Currency names amounts in sentences when the data names none.
	Currency string
}

// DefaultValueOptions are the defaults documented in docs/insights.md.
func DefaultValueOptions() ValueOptions {
	return ValueOptions{FollowUp: 90 * 24 * time.Hour, MinFollowUp: 30 * 24 * time.Hour, HighEffort: 30, NegativeSentiment: -0.2}
}

// Churn rules: how a customer counts as lost in the follow-up.
const (
	// ChurnCancellation: a subscription_cancelled event after the first
	// contact of the period and within the follow-up of the last, not
	// followed by a subscription_started or _resumed in that time.
	ChurnCancellation = "cancellation"
	// ChurnInactivity, used when the store holds no cancellation events at
	// all (no subscriptions): no order_placed in the follow-up.
	ChurnInactivity = "inactivity"
)

// ValueReport links customers' experience in a period to what they did next.
type ValueReport struct {
	Period    Period    `json:"period"`
	Horizon   time.Time `json:"data_end"` // the last event or contact stored: follow-ups end here at the latest
	Currency  string    `json:"currency"`
	ChurnRule string    `json:"churn_rule"`
	// FollowUpDays and MinFollowUpDays restate the options.
	FollowUpDays    int `json:"follow_up_days"`
	MinFollowUpDays int `json:"min_follow_up_days"`
	// Customers is how many customers with a contact in the period were
	// followed; Excluded were left out (not active at their first contact,
	// or too little follow-up).
	Customers int64 `json:"customers"`
	Excluded  int64 `json:"excluded"`

	Groups        []ExperienceGroup `json:"groups"`
	Findings      []Finding         `json:"findings"`
	CostOfFailure CostOfFailure     `json:"cost_of_failure"`
	Segments      []SegmentMargin   `json:"segments"`
	// Statements are the plain sentences of every finding, in order of money.
	Statements []string `json:"statements"`
	// Queries are the SQL statements the report was computed with, by name.
	Queries map[string]string `json:"queries"`
	// Computed is when the report was computed (it is then served from memory
	// until the data changes).
	Computed time.Time `json:"computed_at"`

	scope cx.Scope
}

// ExperienceGroup is the outcome of the customers sharing one experience.
type ExperienceGroup struct {
	Dimension string `json:"dimension"` // resolution, repeat_contacts, csat_band, effort, sentiment
	Group     string `json:"group"`
	Customers int64  `json:"customers"`
	Churned   int64  `json:"churned"`
	// Churn is the share churned in the follow-up, with a Wilson interval.
	Churn Est `json:"churn"`
	// Revenue30 is net revenue (orders − refunds) per customer per 30 days
	// of follow-up, in minor units, with a t interval.
	Revenue30 Est `json:"revenue_per_30_days"`

	sum, sumsq float64
}

// Finding compares a worse experience with a better one.
type Finding struct {
	ID        string `json:"id"`
	Dimension string `json:"dimension"`
	Metric    string `json:"metric"` // churn or revenue_per_30_days
	Group     string `json:"group"`
	Baseline  string `json:"baseline"`
	GroupEst  Est    `json:"group_value"`
	BaseEst   Est    `json:"baseline_value"`
	Diff      Diff   `json:"difference"`
	// AnnualRevenue is the revenue a year the difference stands for across
	// the group's customers (minor units; positive = revenue lost).
	AnnualRevenue float64 `json:"annual_revenue"`
	Sentence      string  `json:"sentence"`
	Query         string  `json:"query"`
}

// CostOfFailure is what repeat contacts and bot escalations cost in the period.
type CostOfFailure struct {
	Contacts    int64   `json:"contacts"`
	ServiceCost float64 `json:"service_cost"`
	Repeats     int64   `json:"repeat_contacts"`
	RepeatCost  float64 `json:"repeat_cost"`
	// Escalations are bot-started contacts a person had to finish (repeat
	// contacts among them are counted under repeats only); their failure
	// cost is what they cost beyond a contained bot contact.
	Escalations    int64   `json:"escalations"`
	EscalationCost float64 `json:"escalation_cost"`
	Total          float64 `json:"total"`
	Share          float64 `json:"share_of_service_cost"`
	Sentence       string  `json:"sentence"`
	Query          string  `json:"query"`
}

// SegmentMargin is a segment's contribution over service cost in the period.
type SegmentMargin struct {
	Segment   string  `json:"segment"`
	Customers int64   `json:"customers"`
	Revenue   float64 `json:"net_revenue"` // orders − refunds
	Cost      float64 `json:"service_cost"`
	Margin    float64 `json:"margin"`
	// MarginPerCustomer and the losing customers: those whose service cost
	// exceeded what they paid in the period.
	MarginPerCustomer float64 `json:"margin_per_customer"`
	Losing            int64   `json:"losing_customers"`
	LosingAmount      float64 `json:"losing_amount"` // their combined negative margin, positive number
	LosesMoney        bool    `json:"loses_money"`
	Sentence          string  `json:"sentence"`
	Query             string  `json:"query"`
}

// experienceDims are the groupings, each with its worse group and the
// baseline it is compared with.
var experienceDims = []struct{ dim, worse, better, label, baseLabel string }{
	{"resolution", "some_unresolved", "all_resolved", "with an unresolved contact", "those whose contacts were all resolved"},
	{"repeat_contacts", "had_repeat", "no_repeat", "who had to contact again about the same need", "those who did not"},
	{"csat_band", "low_1_2", "high_4_5", "who gave a CSAT of 1 or 2", "those whose lowest CSAT was 4 or 5"},
	{"effort", "high", "low", "with a high-effort contact", "those whose contacts took little effort"},
	{"sentiment", "negative", "not_negative", "whose contacts read negative", "the others"},
}

// Value computes value linkage over period p from the store's tables.
func Value(ctx context.Context, db *sql.DB, p Period, scope cx.Scope, o ValueOptions) (*ValueReport, error) {
	if err := p.Valid(); err != nil {
		return nil, err
	}
	if o.FollowUp <= 0 {
		cur := o.Currency
		o = DefaultValueOptions()
		o.Currency = cur
	}
	rep := &ValueReport{Period: p, FollowUpDays: int(o.FollowUp.Hours() / 24), MinFollowUpDays: int(o.MinFollowUp.Hours() / 24),
		Queries: map[string]string{}, Computed: time.Now().UTC(), scope: scope}

	var err error
	if rep.Horizon, err = horizon(ctx, db); err != nil {
		return nil, err
	}
	if rep.Currency, err = currency(ctx, db); err != nil {
		return nil, err
	}
	if rep.Currency == "" {
		rep.Currency = o.Currency
	}
	var cancels int64
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE name = 'subscription_cancelled'`).Scan(&cancels); err != nil {
		return nil, fmt.Errorf("value linkage: count cancellations: %w", err)
	}
	rep.ChurnRule = ChurnCancellation
	if cancels == 0 {
		rep.ChurnRule = ChurnInactivity
	}

	q := experienceSQL(p, scope, o, rep.Horizon, rep.ChurnRule)
	rep.Queries["experience"] = q
	if err := rep.loadGroups(ctx, db, q); err != nil {
		return nil, err
	}
	rep.findings(o)

	cq := costSQL(p, scope)
	rep.Queries["cost_of_failure"] = cq
	if err := rep.loadCost(ctx, db, cq); err != nil {
		return nil, err
	}
	mq := marginSQL(p, scope)
	rep.Queries["margin_by_segment"] = mq
	if err := rep.loadMargins(ctx, db, mq); err != nil {
		return nil, err
	}
	rep.statements()
	return rep, nil
}

func horizon(ctx context.Context, db *sql.DB) (time.Time, error) {
	var a, b sql.NullTime
	if err := db.QueryRowContext(ctx, `SELECT (SELECT max(occurred_at) FROM events), (SELECT max(started_at) FROM interactions)`).Scan(&a, &b); err != nil {
		return time.Time{}, fmt.Errorf("value linkage: find the end of the data: %w", err)
	}
	h := a.Time
	if b.Valid && b.Time.After(h) {
		h = b.Time
	}
	return h.UTC(), nil
}

// currency is the most common currency of value events (or contact costs).
func currency(ctx context.Context, db *sql.DB) (string, error) {
	var c sql.NullString
	err := db.QueryRowContext(ctx, `SELECT currency FROM (
		SELECT currency, count(*) AS n FROM events WHERE currency IS NOT NULL GROUP BY currency
		UNION ALL SELECT currency, count(*) AS n FROM interactions WHERE currency IS NOT NULL GROUP BY currency) c
		ORDER BY n DESC, currency LIMIT 1`).Scan(&c)
	if err == sql.ErrNoRows {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("value linkage: find the currency: %w", err)
	}
	return c.String, nil
}

// ts is a timestamp literal both engines read.
func ts(t time.Time) string {
	return "TIMESTAMPTZ '" + t.UTC().Format("2006-01-02 15:04:05.999999") + "+00'"
}

// str is a string literal; the only strings inlined are the scope's
// partner and fixed names, quoted here.
func str(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// interval is a duration literal both engines read, in days when whole.
func interval(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("INTERVAL '%d days'", int64(d/(24*time.Hour)))
	}
	return fmt.Sprintf("INTERVAL '%d seconds'", int64(d.Seconds()))
}

// contactsWhere is the period (and scope) condition on interactions aliased a.
func contactsWhere(a string, p Period, scope cx.Scope) string {
	w := fmt.Sprintf("%[1]s.started_at >= %[2]s AND %[1]s.started_at < %[3]s", a, ts(p.From), ts(p.To))
	if scope.Partner != "" {
		w += fmt.Sprintf(" AND %s.partner = %s", a, str(scope.Partner))
	}
	return w
}

// experienceSQL is the customer-level query: one row per customer with a
// contact in the period (within scope), their experience and what followed
// (the CTE c), grouped by every experience dimension at once (part
// "experience", with the grand total), and by journey stage and whether
// their contacts in that stage were all resolved (part "stage": "unresolved
// billing contacts"). One statement, so both engines compute the customer
// table once. It is written out with its values so that the report can
// show it and anyone can rerun it.
func experienceSQL(p Period, scope cx.Scope, o ValueOptions, hz time.Time, rule string) string {
	return customerCTE(p, scope, o, hz, rule) + fmt.Sprintf(`, st AS (
  SELECT a.customer_id, coalesce(nullif(a.journey_stage, ''), '(none)') AS stage,
         CASE WHEN count(*) FILTER (WHERE a.resolved = false) > 0 THEN 'some_unresolved'
              WHEN count(*) FILTER (WHERE a.resolved IS NOT NULL) > 0 THEN 'all_resolved' ELSE 'unknown' END AS resolution
  FROM interactions a
  WHERE %s
  GROUP BY 1, 2
)
SELECT 'experience' AS part, NULL AS stage, resolution, repeat_contacts, csat_band, effort, sentiment,
       count(*) AS customers, coalesce(sum(churned), 0) AS churned,
       sum(revenue_30d) AS revenue_sum, sum(revenue_30d * revenue_30d) AS revenue_sumsq
FROM c
GROUP BY GROUPING SETS ((resolution), (repeat_contacts), (csat_band), (effort), (sentiment), ())
UNION ALL
SELECT 'stage' AS part, st.stage, st.resolution, NULL, NULL, NULL, NULL,
       count(*) AS customers, coalesce(sum(c.churned), 0) AS churned,
       sum(c.revenue_30d) AS revenue_sum, sum(c.revenue_30d * c.revenue_30d) AS revenue_sumsq
FROM st JOIN c ON c.customer_id = st.customer_id
GROUP BY st.stage, st.resolution
ORDER BY 1, 2, 3, 4, 5, 6, 7`, contactsWhere("a", p, scope))
}

// customerCTE is the customer table both queries read: WITH … c AS (one
// row per customer followed).
func customerCTE(p Period, scope cx.Scope, o ValueOptions, hz time.Time, rule string) string {
	fu := interval(o.FollowUp)
	restart := `e.name IN ('subscription_started', 'subscription_resumed')`
	inFU := fmt.Sprintf("e.occurred_at > k.first_at AND e.occurred_at <= k.last_at + %s", fu)
	inRev := fmt.Sprintf("e.occurred_at > k.last_at AND e.occurred_at <= k.last_at + %s", fu)
	churned := `CASE WHEN e.cancel_after IS NOT NULL AND (e.restart_after IS NULL OR e.restart_after < e.cancel_after) THEN 1 ELSE 0 END`
	if rule == ChurnInactivity {
		churned = `CASE WHEN coalesce(e.orders_after, 0) = 0 THEN 1 ELSE 0 END`
	}
	end := fmt.Sprintf("least(k.last_at + %s, %s)", fu, ts(hz))
	days := fmt.Sprintf("((EXTRACT(EPOCH FROM %s) - EXTRACT(EPOCH FROM k.last_at)) / 86400.0)", end)
	return fmt.Sprintf(`WITH k AS (
  SELECT a.customer_id, min(a.started_at) AS first_at, max(a.started_at) AS last_at,
         count(*) FILTER (WHERE a.resolved IS NOT NULL) AS known,
         count(*) FILTER (WHERE a.resolved = false) AS unresolved,
         count(*) FILTER (WHERE a.repeat_of IS NOT NULL) AS repeats,
         max(a.effort) AS effort, avg(a.sentiment) AS sentiment, min(a.csat) AS csat
  FROM interactions a
  WHERE %[1]s
  GROUP BY a.customer_id
), s AS (
  SELECT a.customer_id, min(r.csat) AS csat
  FROM surveys r JOIN interactions a ON a.id = r.interaction_id
  WHERE r.csat IS NOT NULL AND %[1]s
  GROUP BY a.customer_id
), e AS (
  SELECT k.customer_id,
         max(e.occurred_at) FILTER (WHERE e.name = 'subscription_cancelled' AND e.occurred_at <= k.first_at) AS cancel_before,
         max(e.occurred_at) FILTER (WHERE %[2]s AND e.occurred_at <= k.first_at) AS restart_before,
         max(e.occurred_at) FILTER (WHERE e.name = 'subscription_cancelled' AND %[3]s) AS cancel_after,
         max(e.occurred_at) FILTER (WHERE %[2]s AND %[3]s) AS restart_after,
         count(*) FILTER (WHERE e.name = 'order_placed' AND %[4]s) AS orders_after,
         coalesce(sum(e.value) FILTER (WHERE e.name = 'order_placed' AND %[4]s), 0)
           - coalesce(sum(e.value) FILTER (WHERE e.name = 'refund_issued' AND %[4]s), 0) AS net_after
  FROM k JOIN events e ON e.customer_id = k.customer_id
  WHERE e.name IN ('subscription_cancelled', 'subscription_started', 'subscription_resumed', 'order_placed', 'refund_issued')
    AND e.occurred_at <= k.last_at + %[11]s
  GROUP BY k.customer_id
), c AS (
  SELECT k.customer_id,
         CASE WHEN k.known = 0 THEN 'unknown' WHEN k.unresolved > 0 THEN 'some_unresolved' ELSE 'all_resolved' END AS resolution,
         CASE WHEN k.repeats > 0 THEN 'had_repeat' ELSE 'no_repeat' END AS repeat_contacts,
         CASE WHEN coalesce(least(k.csat, s.csat), k.csat, s.csat) IS NULL THEN 'no_response'
              WHEN coalesce(least(k.csat, s.csat), k.csat, s.csat) <= 2 THEN 'low_1_2'
              WHEN coalesce(least(k.csat, s.csat), k.csat, s.csat) = 3 THEN 'mid_3' ELSE 'high_4_5' END AS csat_band,
         CASE WHEN k.effort IS NULL THEN 'unknown' WHEN k.effort >= %[5]g THEN 'high' ELSE 'low' END AS effort,
         CASE WHEN k.sentiment IS NULL THEN 'unknown' WHEN k.sentiment <= %[6]g THEN 'negative' ELSE 'not_negative' END AS sentiment,
         %[7]s AS churned,
         coalesce(e.net_after, 0) * 30.0 / nullif(%[8]s, 0) AS revenue_30d
  FROM k LEFT JOIN s ON s.customer_id = k.customer_id LEFT JOIN e ON e.customer_id = k.customer_id
  WHERE (e.cancel_before IS NULL OR e.restart_before > e.cancel_before)
    AND %[9]s >= k.last_at + %[10]s
)`,
		contactsWhere("a", p, scope), restart, inFU, inRev, o.HighEffort, o.NegativeSentiment, churned, days,
		ts(hz), interval(o.MinFollowUp), fu)
}

func (rep *ValueReport) loadGroups(ctx context.Context, db *sql.DB, q string) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("value linkage: customer experience query: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var part string
		var stage sql.NullString
		var dims [5]sql.NullString
		var n, churned int64
		var sum, sumsq sql.NullFloat64
		if err := rows.Scan(&part, &stage, &dims[0], &dims[1], &dims[2], &dims[3], &dims[4], &n, &churned, &sum, &sumsq); err != nil {
			return fmt.Errorf("value linkage: read customer experience: %w", err)
		}
		g := ExperienceGroup{Customers: n, Churned: churned, Churn: wilson(churned, n), sum: sum.Float64, sumsq: sumsq.Float64,
			Revenue30: meanEst(n, sum.Float64, sumsq.Float64)}
		if part == "stage" {
			g.Dimension, g.Group = "resolution:"+stage.String, dims[0].String
			rep.Groups = append(rep.Groups, g)
			continue
		}
		found := false
		for i, d := range dims {
			if d.Valid {
				g.Dimension, g.Group, found = experienceDims[i].dim, d.String, true
			}
		}
		if !found { // the grand total
			rep.Customers = n
			continue
		}
		rep.Groups = append(rep.Groups, g)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("value linkage: read customer experience: %w", err)
	}
	// Excluded: customers with a contact in the period not followed.
	var all int64
	if err := db.QueryRowContext(ctx, `SELECT count(DISTINCT a.customer_id) FROM interactions a WHERE `+contactsWhere("a", rep.Period, rep.scope)).Scan(&all); err != nil {
		return fmt.Errorf("value linkage: count customers: %w", err)
	}
	rep.Excluded = all - rep.Customers
	return nil
}

func (rep *ValueReport) group(dim, g string) *ExperienceGroup {
	for i := range rep.Groups {
		if rep.Groups[i].Dimension == dim && rep.Groups[i].Group == g {
			return &rep.Groups[i]
		}
	}
	return nil
}

func (rep *ValueReport) finding(dim, metric string) *Finding {
	for i := range rep.Findings {
		if rep.Findings[i].Dimension == dim && rep.Findings[i].Metric == metric {
			return &rep.Findings[i]
		}
	}
	return nil
}

// findings compares each worse experience with its baseline on churn and on
// revenue, and prices the difference.
func (rep *ValueReport) findings(o ValueOptions) {
	// Revenue a year of a customer who stays: the mean revenue per 30 days
	// of the customers not churned, × 365/30.
	var keptSum float64
	var keptN int64
	if g := rep.group("resolution", "all_resolved"); g != nil {
		keptSum, keptN = g.sum, g.Customers-g.Churned
	}
	for _, ed := range experienceDims {
		a, b := rep.group(ed.dim, ed.worse), rep.group(ed.dim, ed.better)
		if a == nil || b == nil || a.Customers < 10 || b.Customers < 10 {
			continue
		}
		yearly := 0.0
		if b.Customers-b.Churned > 0 {
			// the baseline's revenue per 30 days, over its retained customers
			yearly = b.sum / float64(b.Customers-b.Churned) * 365 / 30
		} else if keptN > 0 {
			yearly = keptSum / float64(keptN) * 365 / 30
		}
		// churn
		d := diffProportions(a.Churned, a.Customers, b.Churned, b.Customers)
		f := Finding{ID: "churn_by_" + ed.dim, Dimension: ed.dim, Metric: "churn", Group: ed.worse, Baseline: ed.better,
			GroupEst: a.Churn, BaseEst: b.Churn, Diff: d, Query: rep.Queries["experience"]}
		f.AnnualRevenue = d.Value * float64(a.Customers) * yearly
		f.Sentence = rep.churnSentence(ed.label, ed.baseLabel, f)
		rep.Findings = append(rep.Findings, f)
		// revenue
		rd := diffMeans(a.Customers, a.sum, a.sumsq, b.Customers, b.sum, b.sumsq)
		r := Finding{ID: "revenue_by_" + ed.dim, Dimension: ed.dim, Metric: "revenue_per_30_days", Group: ed.worse, Baseline: ed.better,
			GroupEst: a.Revenue30, BaseEst: b.Revenue30, Diff: rd, Query: rep.Queries["experience"]}
		r.AnnualRevenue = -rd.Value * float64(a.Customers) * 365 / 30
		r.Sentence = rep.revenueSentence(ed.label, ed.baseLabel, r)
		rep.Findings = append(rep.Findings, r)
	}
	// By journey stage: customers with an unresolved contact in the stage
	// against those whose contacts in it were all resolved (churn only).
	for _, g := range rep.Groups {
		stage, ok := strings.CutPrefix(g.Dimension, "resolution:")
		if !ok || g.Group != "some_unresolved" || stage == metricsNone {
			continue
		}
		a, b := rep.group(g.Dimension, "some_unresolved"), rep.group(g.Dimension, "all_resolved")
		if b == nil || a.Customers < 10 || b.Customers < 10 {
			continue
		}
		yearly := 0.0
		if b.Customers-b.Churned > 0 {
			yearly = b.sum / float64(b.Customers-b.Churned) * 365 / 30
		}
		d := diffProportions(a.Churned, a.Customers, b.Churned, b.Customers)
		f := Finding{ID: "churn_by_resolution:" + stage, Dimension: g.Dimension, Metric: "churn", Group: "some_unresolved",
			Baseline: "all_resolved", GroupEst: a.Churn, BaseEst: b.Churn, Diff: d, Query: rep.Queries["experience"]}
		f.AnnualRevenue = d.Value * float64(a.Customers) * yearly
		f.Sentence = rep.churnSentence("with an unresolved "+stage+" contact", "those whose "+stage+" contacts were all resolved", f)
		rep.Findings = append(rep.Findings, f)
	}
}

// metricsNone is the key of a missing dimension value, as the metrics use it.
const metricsNone = "(none)"

func (rep *ValueReport) churnSentence(label, base string, f Finding) string {
	a, b := f.GroupEst.V(), f.BaseEst.V()
	when := rep.Period.String()
	if !f.Diff.Clear {
		return fmt.Sprintf("Customers %s in %s churned at %s within %d days, against %s for %s: no clear difference (n=%s and %s).",
			label, when, Pct(a), rep.FollowUpDays, Pct(b), base, Count(f.GroupEst.N), Count(f.BaseEst.N))
	}
	rel := ""
	if f.Diff.Ratio != nil {
		rel = Times(*f.Diff.Ratio) + " the churn of " + base
	}
	if f.Diff.Value > 0 {
		return fmt.Sprintf("Customers %s in %s were followed by %s (%s vs %s within %d days; difference %s–%s points): about %s of annual revenue.",
			label, when, rel, Pct(a), Pct(b), rep.FollowUpDays, pts(f.Diff.Low), pts(f.Diff.High), Money(f.AnnualRevenue, rep.Currency))
	}
	return fmt.Sprintf("Customers %s in %s churned less than %s (%s vs %s within %d days): the expected link does not show here.",
		label, when, base, Pct(a), Pct(b), rep.FollowUpDays)
}

func (rep *ValueReport) revenueSentence(label, base string, f Finding) string {
	a, b := f.GroupEst.V(), f.BaseEst.V()
	if !f.Diff.Clear {
		return fmt.Sprintf("Customers %s spent %s per 30 days afterwards, against %s for %s: no clear difference.",
			label, Money(a, rep.Currency), Money(b, rep.Currency), base)
	}
	if f.Diff.Value < 0 {
		return fmt.Sprintf("Customers %s spent %s less per 30 days afterwards than %s (%s vs %s; %s–%s): about %s a year across %s customers.",
			label, Money(-f.Diff.Value, rep.Currency), base, Money(a, rep.Currency), Money(b, rep.Currency),
			Money(-f.Diff.High, rep.Currency), Money(-f.Diff.Low, rep.Currency), Money(f.AnnualRevenue, rep.Currency), Count(f.GroupEst.N))
	}
	return fmt.Sprintf("Customers %s spent %s more per 30 days afterwards than %s (%s vs %s).",
		label, Money(f.Diff.Value, rep.Currency), base, Money(a, rep.Currency), Money(b, rep.Currency))
}

// pts formats a difference of proportions in percentage points.
func pts(d float64) string { return fmt.Sprintf("%.1f", d*100) }

func costSQL(p Period, scope cx.Scope) string {
	return fmt.Sprintf(`SELECT count(*) AS contacts, coalesce(sum(a.cost), 0) AS cost,
       count(*) FILTER (WHERE a.repeat_of IS NOT NULL) AS repeats,
       coalesce(sum(a.cost) FILTER (WHERE a.repeat_of IS NOT NULL), 0) AS repeat_cost,
       count(*) FILTER (WHERE a.escalated AND a.repeat_of IS NULL) AS escalations,
       coalesce(sum(a.cost) FILTER (WHERE a.escalated AND a.repeat_of IS NULL), 0) AS escalation_cost,
       avg(a.cost) FILTER (WHERE a.handler = 'bot' AND NOT a.escalated AND NOT a.abandoned) AS contained_cost
FROM interactions a
WHERE %s`, contactsWhere("a", p, scope))
}

func (rep *ValueReport) loadCost(ctx context.Context, db *sql.DB, q string) error {
	c := &rep.CostOfFailure
	var cost, rcost, ecost float64
	var contained sql.NullFloat64
	if err := db.QueryRowContext(ctx, q).Scan(&c.Contacts, &cost, &c.Repeats, &rcost, &c.Escalations, &ecost, &contained); err != nil {
		return fmt.Errorf("value linkage: cost of failure: %w", err)
	}
	c.ServiceCost, c.RepeatCost = cost, rcost
	// An escalation's failure cost is what it cost beyond a bot contact
	// that finished the job.
	c.EscalationCost = math.Max(0, ecost-float64(c.Escalations)*contained.Float64)
	c.Total = c.RepeatCost + c.EscalationCost
	if cost > 0 {
		c.Share = c.Total / cost
	}
	c.Query = q
	cur := rep.Currency
	if c.Contacts == 0 {
		c.Sentence = fmt.Sprintf("No contacts in %s.", rep.Period)
		return nil
	}
	if c.Total <= 0 {
		c.Sentence = fmt.Sprintf("No repeat contacts or costly bot escalations in %s: no measurable cost of failure.", rep.Period)
		return nil
	}
	per := 0.0
	if c.Repeats > 0 {
		per = c.RepeatCost / float64(c.Repeats)
	}
	c.Sentence = fmt.Sprintf("Service failures cost %s in %s, %s of all service cost: %s repeat contacts at %s each (%s) and %s bot escalations a person had to finish (%s beyond what a contained bot contact costs).",
		Money(c.Total, cur), rep.Period, Pct(c.Share), Count(c.Repeats), Money(per, cur), Money(c.RepeatCost, cur),
		Count(c.Escalations), Money(c.EscalationCost, cur))
	return nil
}

func marginSQL(p Period, scope cx.Scope) string {
	join := "FULL OUTER JOIN"
	if scope.Partner != "" {
		join = "RIGHT JOIN" // only customers with a contact the scope can see
	}
	return fmt.Sprintf(`WITH r AS (
  SELECT e.customer_id,
         coalesce(sum(e.value) FILTER (WHERE e.name = 'order_placed'), 0)
           - coalesce(sum(e.value) FILTER (WHERE e.name = 'refund_issued'), 0) AS net
  FROM events e
  WHERE e.name IN ('order_placed', 'refund_issued') AND e.occurred_at >= %[1]s AND e.occurred_at < %[2]s
  GROUP BY e.customer_id
), k AS (
  SELECT a.customer_id, coalesce(sum(a.cost), 0) AS cost
  FROM interactions a
  WHERE %[3]s
  GROUP BY a.customer_id
), m AS (
  SELECT coalesce(r.customer_id, k.customer_id) AS customer_id, coalesce(r.net, 0) AS net, coalesce(k.cost, 0) AS cost
  FROM r %[4]s k ON k.customer_id = r.customer_id
)
SELECT coalesce(nullif(c.segment, ''), '(none)') AS segment, count(*) AS customers,
       sum(m.net) AS net, sum(m.cost) AS cost,
       count(*) FILTER (WHERE m.net - m.cost < 0) AS losing,
       coalesce(sum(m.cost - m.net) FILTER (WHERE m.net - m.cost < 0), 0) AS losing_amount
FROM m JOIN customers c ON c.id = m.customer_id
GROUP BY 1
ORDER BY 1`, ts(p.From), ts(p.To), contactsWhere("a", p, scope), join)
}

func (rep *ValueReport) loadMargins(ctx context.Context, db *sql.DB, q string) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("value linkage: margin by segment: %w", err)
	}
	defer rows.Close()
	cur := rep.Currency
	for rows.Next() {
		var s SegmentMargin
		var net, cost, losing sql.NullFloat64
		if err := rows.Scan(&s.Segment, &s.Customers, &net, &cost, &s.Losing, &losing); err != nil {
			return fmt.Errorf("value linkage: read margin by segment: %w", err)
		}
		s.Revenue, s.Cost, s.LosingAmount = net.Float64, cost.Float64, losing.Float64
		s.Margin = s.Revenue - s.Cost
		if s.Customers > 0 {
			s.MarginPerCustomer = s.Margin / float64(s.Customers)
		}
		s.LosesMoney = s.Margin < 0
		s.Query = q
		switch {
		case s.LosesMoney:
			s.Sentence = fmt.Sprintf("The %s segment loses money to serve: %s of service cost against %s of net revenue in %s, %s per customer.",
				s.Segment, Money(s.Cost, cur), Money(s.Revenue, cur), rep.Period, Money(s.MarginPerCustomer, cur))
		case s.Losing > 0:
			s.Sentence = fmt.Sprintf("The %s segment earned %s over its service cost in %s (%s per customer), but %s of its %s customers cost more to serve than they paid, %s in all.",
				s.Segment, Money(s.Margin, cur), rep.Period, Money(s.MarginPerCustomer, cur), Count(s.Losing), Count(s.Customers), Money(s.LosingAmount, cur))
		default:
			s.Sentence = fmt.Sprintf("The %s segment earned %s over its service cost in %s (%s per customer).",
				s.Segment, Money(s.Margin, cur), rep.Period, Money(s.MarginPerCustomer, cur))
		}
		rep.Segments = append(rep.Segments, s)
	}
	return rows.Err()
}

// statements orders the sentences a board would read: clear findings by the
// money they stand for, then the cost of failure, then segments losing money.
func (rep *ValueReport) statements() {
	// One sentence per experience: churn when it is clear, else revenue.
	// Both are kept in Findings, but the revenue difference includes the
	// churned customers' lost revenue, so stating both would count it twice.
	var fs []Finding
	for _, ed := range experienceDims {
		for _, metric := range []string{"churn", "revenue_per_30_days"} {
			f := rep.finding(ed.dim, metric)
			if f != nil && f.Diff.Clear && f.AnnualRevenue > 0 {
				fs = append(fs, *f)
				break
			}
		}
	}
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].AnnualRevenue > fs[j].AnnualRevenue })
	var stages []Finding
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.Dimension, "resolution:") && f.Diff.Clear && f.AnnualRevenue > 0 {
			stages = append(stages, f)
		}
	}
	sort.SliceStable(stages, func(i, j int) bool { return stages[i].AnnualRevenue > stages[j].AnnualRevenue })
	if len(stages) > 3 {
		stages = stages[:3]
	}
	fs = append(fs, stages...)
	rep.Statements = nil
	if rep.Customers == 0 {
		rep.Statements = append(rep.Statements, fmt.Sprintf(
			"No customer with a contact in %s can be followed yet: their last contact must be at least %d days before the end of the data (%s), and they must have been active at their first.",
			rep.Period, rep.MinFollowUpDays, rep.Horizon.Format("2 Jan 2006")))
	}
	for _, f := range fs {
		rep.Statements = append(rep.Statements, f.Sentence)
	}
	if rep.CostOfFailure.Contacts > 0 {
		rep.Statements = append(rep.Statements, rep.CostOfFailure.Sentence)
	}
	rep.Statements = append(rep.Statements, rep.segmentStatements()...)
}

// segmentStatements are the segments that lose money, those where the
// customers who cost more than they pay matter (1% of the segment's margin
// or more), and otherwise one sentence on the range of margins.
func (rep *ValueReport) segmentStatements() []string {
	var out []string
	var lo, hi *SegmentMargin
	for i := range rep.Segments {
		s := &rep.Segments[i]
		if s.LosesMoney || (s.Losing > 0 && s.LosingAmount >= 0.01*math.Abs(s.Margin)) {
			out = append(out, s.Sentence)
		}
		if s.Segment == "(none)" || s.Customers == 0 {
			continue
		}
		if lo == nil || s.MarginPerCustomer < lo.MarginPerCustomer {
			lo = s
		}
		if hi == nil || s.MarginPerCustomer > hi.MarginPerCustomer {
			hi = s
		}
	}
	if len(out) == 0 && lo != nil && lo != hi {
		out = append(out, fmt.Sprintf("No segment loses money to serve in %s: the margin over service cost runs from %s per customer (%s) to %s (%s).",
			rep.Period, Money(lo.MarginPerCustomer, rep.Currency), lo.Segment, Money(hi.MarginPerCustomer, rep.Currency), hi.Segment))
	}
	return out
}
