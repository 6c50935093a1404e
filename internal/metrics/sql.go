package metrics

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/store"
)

// NewSQL returns the reference Source: plain SQL generated from the
// registry's definitions for the store's engine (DuckDB or PostgreSQL),
// one statement per kind of fact row and period. It is the definition
// faster sources are tested against, so it favours clarity over speed.
//
// Results are deterministic: rows sorted by their keys (byte order), cells in
// the order of Query.Metrics. Rows are the combinations of the By dimensions
// present in the current period's data (a slice present only in the previous
// period of a comparison is not shown). A cell with N = 0 has no value and is
// not LowN; a cell with 0 < N < MinN is LowN and has no value; counts
// (contacts) are never withheld.
func NewSQL(st *store.Store) Source {
	return &sqlSource{db: st.DB(), pg: st.Engine() == "postgres"}
}

type sqlSource struct {
	db *sql.DB
	pg bool
}

func (s *sqlSource) Query(ctx context.Context, q Query) (*Result, error) {
	if err := Validate(&q); err != nil {
		return nil, err
	}
	defs := make([]Metric, len(q.Metrics))
	for i, id := range q.Metrics {
		defs[i], _ = Lookup(id)
	}
	cur, err := s.period(ctx, q, defs, q.From, q.To)
	if err != nil {
		return nil, err
	}
	var prev map[string]*Slice
	if q.Compare {
		d := q.To.Sub(q.From)
		if prev, err = s.period(ctx, q, defs, q.From.Add(-d), q.From); err != nil {
			return nil, err
		}
	}
	return Assemble(q, defs, cur, prev), nil
}

// period runs one statement per kind of fact row the metrics need, over
// [from, to), and merges their rows.
func (s *sqlSource) period(ctx context.Context, q Query, defs []Metric, from, to time.Time) (map[string]*Slice, error) {
	out := map[string]*Slice{}
	for _, facts := range []Facts{Interactions, Responses, Customers} {
		var idx []int
		for i, m := range defs {
			if m.Over == facts {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			continue
		}
		b := &builder{pg: s.pg, zone: q.Zone.String()}
		stmt, cols, err := b.statement(facts, q, defs, idx, from, to)
		if err != nil {
			return nil, err
		}
		if err := s.run(ctx, stmt, b.args, len(q.By), defs, idx, cols, out); err != nil {
			return nil, fmt.Errorf("metrics %s: %w", strings.Join(q.Metrics, ","), err)
		}
	}
	return out, nil
}

// run executes stmt and adds its rows to out.
func (s *sqlSource) run(ctx context.Context, stmt string, args []any, nkeys int, defs []Metric, idx []int, cols []colPlan, out map[string]*Slice) error {
	rows, err := s.db.QueryContext(ctx, stmt, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	keys := make([]sql.NullString, nkeys)
	ints := make([]sql.NullInt64, len(cols))
	floats := make([]sql.NullFloat64, len(cols))
	dest := make([]any, 0, nkeys+len(cols))
	for i := range keys {
		dest = append(dest, &keys[i])
	}
	for i, c := range cols {
		if c.isInt {
			dest = append(dest, &ints[i])
		} else {
			dest = append(dest, &floats[i])
		}
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		ks := make([]string, nkeys)
		for i, k := range keys {
			ks[i] = k.String
			if !k.Valid || k.String == "" {
				ks[i] = None
			}
		}
		key := strings.Join(ks, "\x00")
		sl := out[key]
		if sl == nil {
			sl = &Slice{Keys: ks, Totals: make([]Totals, len(defs))}
			for i := range sl.Totals {
				sl.Totals[i].SD = math.NaN()
			}
			out[key] = sl
		}
		for i, c := range cols {
			a := &sl.Totals[c.metric]
			switch c.field {
			case fN:
				a.N = ints[i].Int64
			case fX:
				a.X = ints[i].Int64
			case fSum:
				a.Sum = floats[i].Float64
			case fMean:
				a.Mean = floats[i].Float64
			case fSD:
				a.SD = math.NaN()
				if floats[i].Valid {
					a.SD = floats[i].Float64
				}
			}
		}
	}
	return rows.Err()
}

type field int

const (
	fN field = iota
	fX
	fSum
	fMean
	fSD
)

// colPlan says where a selected aggregate goes.
type colPlan struct {
	metric int
	field  field
	isInt  bool
}

// builder writes one statement; values only ever reach it as bind
// parameters, and identifiers only from the registry and dims tables.
type builder struct {
	pg      bool
	args    []any
	zone    string
	zoneArg string
	cust    bool  // the statement needs the customers table (alias c)
	tiers   bool  // the statement needs the value tiers (alias v)
	facts   Facts // the rows the statement reads
	err     error // the first problem with a definition (a registry bug)
}

func (b *builder) arg(v any) string {
	b.args = append(b.args, v)
	return "$" + strconv.Itoa(len(b.args))
}

// local is a timestamp column as wall-clock time in the query's zone.
func (b *builder) local(col string) string {
	if b.zoneArg == "" {
		b.zoneArg = b.arg(b.zone)
	}
	if b.pg {
		return "(" + col + " AT TIME ZONE CAST(" + b.zoneArg + " AS TEXT))"
	}
	return "timezone(CAST(" + b.zoneArg + " AS VARCHAR), " + col + ")"
}

// format renders a local timestamp as a time key.
func (b *builder) format(ts, unit string) string {
	if b.pg {
		pat := map[string]string{"hour": `YYYY-MM-DD"T"HH24`, "day": "YYYY-MM-DD", "week": "YYYY-MM-DD", "month": "YYYY-MM"}[unit]
		if unit == "week" {
			ts = "date_trunc('week', " + ts + ")"
		}
		return "to_char(" + ts + ", '" + pat + "')"
	}
	pat := map[string]string{"hour": "%Y-%m-%dT%H", "day": "%Y-%m-%d", "week": "%Y-%m-%d", "month": "%Y-%m"}[unit]
	if unit == "week" {
		ts = "date_trunc('week', " + ts + ")"
	}
	return "strftime(" + ts + ", '" + pat + "')"
}

func text(col string) string { return "coalesce(NULLIF(" + col + ", ''), '" + None + "')" }

// dim is the SQL expression of a dimension's key.
func (b *builder) dim(id string) (string, error) {
	d, err := LookupDim(id)
	if err != nil {
		return "", err
	}
	switch d.Kind {
	case TimeDim:
		return b.format(b.local("i.started_at"), id), nil
	case FlagDim:
		kind := strings.TrimPrefix(id, "flag:")
		return "CASE WHEN strpos(coalesce(i.flags, ''), " + b.arg(","+kind+",") + ") > 0 THEN 'yes' ELSE 'no' END", nil
	case CustomerDim:
		b.cust = true
		switch id {
		case "segment", "region":
			return text("c." + id), nil
		case "cohort":
			return "CASE WHEN c.signup_at IS NULL THEN '" + None + "' ELSE " + b.format(b.local("c.signup_at"), "month") + " END", nil
		case "value_tier":
			b.tiers = true
			return fmt.Sprintf("CASE WHEN coalesce(v.value, 0) <= 0 THEN 'none' WHEN v.value < %d THEN 'low' WHEN v.value < %d THEN 'medium' ELSE 'high' END",
				TierLowBelow, TierMediumBelow), nil
		}
	case InteractionDim:
		switch id {
		case "vulnerable":
			return "CASE WHEN i.vulnerable THEN 'yes' WHEN NOT i.vulnerable THEN 'no' ELSE '" + None + "' END", nil
		case "agent":
			return text("i.agent_id"), nil
		default:
			return text("i." + id), nil
		}
	}
	return "", fmt.Errorf("dimension %s has no SQL", id)
}

// customerCols are the Customers facts as expressions over the per-customer
// aggregates e (events) and x (contacts).
var customerCols = map[string]string{
	"active_start":   "((coalesce(e.act_f, FALSE) OR coalesce(x.act_f, FALSE)) AND NOT coalesce(e.can_f = e.sub_f, FALSE))",
	"active_end":     "((coalesce(e.act_t, FALSE) OR coalesce(x.act_t, FALSE)) AND NOT coalesce(e.can_t = e.sub_t, FALSE))",
	"ordered":        "(coalesce(e.orders_t, 0) > 0)",
	"served":         "(coalesce(e.val_p, FALSE) OR coalesce(x.any_p, FALSE))",
	"realised_value": "coalesce(e.ltv_t, 0)",
	"margin":         "(coalesce(e.net_p, 0) - coalesce(x.cost_p, 0))",
}

// col maps a fact column of the definitions to SQL.
func (b *builder) col(name string) string {
	ok := false
	for _, c := range factColumns[b.facts] {
		ok = ok || c == name
	}
	if !ok {
		b.err = fmt.Errorf("registry names column %q, which %s rows do not have", name, FactsName(b.facts))
		return "NULL"
	}
	switch b.facts {
	case Responses:
		if name == "csat" || name == "nps" || name == "ces" {
			return "r." + name
		}
	case Customers:
		return customerCols[name]
	}
	return "i." + name
}

func num(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// pred is a predicate as SQL that is never NULL.
func (b *builder) pred(p Pred) string {
	switch p.Op {
	case All:
		return "TRUE"
	case Eq:
		return "coalesce(" + b.col(p.Col) + " = " + b.arg(p.Str) + ", FALSE)"
	case IsTrue:
		return "coalesce(" + b.col(p.Col) + ", FALSE)"
	case NotNull:
		return "(" + b.col(p.Col) + " IS NOT NULL)"
	case Between:
		return "coalesce(" + b.col(p.Col) + " BETWEEN " + num(p.Lo) + " AND " + num(p.Hi) + ", FALSE)"
	case And, Or:
		if len(p.Args) == 0 {
			return map[Op]string{And: "TRUE", Or: "FALSE"}[p.Op]
		}
		parts := make([]string, len(p.Args))
		for i, a := range p.Args {
			parts[i] = b.pred(a)
		}
		return "(" + strings.Join(parts, map[Op]string{And: " AND ", Or: " OR "}[p.Op]) + ")"
	case Not:
		return "(NOT " + b.pred(p.Args[0]) + ")"
	}
	b.err = fmt.Errorf("unknown predicate operator %d", p.Op)
	return "FALSE"
}

// value is a per-row value as a double.
func (b *builder) value(v Value) string {
	e := b.col(v.Col)
	if len(v.Bands) > 0 {
		var sb strings.Builder
		sb.WriteString("CASE")
		for _, band := range v.Bands {
			fmt.Fprintf(&sb, " WHEN %s BETWEEN %s AND %s THEN %s", e, num(band.Lo), num(band.Hi), num(band.To))
		}
		sb.WriteString(" END")
		e = sb.String()
	}
	return "CAST(" + e + " AS DOUBLE PRECISION)"
}

// aggregates lists the SELECT expressions of the metrics idx.
func (b *builder) aggregates(defs []Metric, idx []int) ([]string, []colPlan) {
	var sel []string
	var cols []colPlan
	add := func(m int, f field, isInt bool, expr string) {
		sel = append(sel, expr)
		cols = append(cols, colPlan{metric: m, field: f, isInt: isInt})
	}
	for _, i := range idx {
		m := defs[i]
		base := b.pred(m.Base)
		switch m.Kind {
		case Count:
			add(i, fN, true, "count(*) FILTER (WHERE "+base+")")
		case Proportion:
			add(i, fN, true, "count(*) FILTER (WHERE "+base+")")
			add(i, fX, true, "count(*) FILTER (WHERE "+base+" AND "+b.pred(m.Hit)+")")
		case Mean:
			v := b.value(m.Value)
			add(i, fN, true, "count("+v+") FILTER (WHERE "+base+")")
			add(i, fMean, false, "avg("+v+") FILTER (WHERE "+base+")")
			add(i, fSD, false, "stddev_samp("+v+") FILTER (WHERE "+base+")")
		case Ratio:
			add(i, fSum, false, "CAST(sum("+b.value(m.Value)+") FILTER (WHERE "+base+") AS DOUBLE PRECISION)")
			add(i, fN, true, "count(*) FILTER (WHERE "+base+" AND "+b.pred(m.Hit)+")")
		case PerCustomer:
			add(i, fSum, false, "CAST(sum("+b.value(m.Value)+") FILTER (WHERE "+base+") AS DOUBLE PRECISION)")
			add(i, fN, true, "count(DISTINCT i.customer_id) FILTER (WHERE "+base+")")
		case Sum:
			add(i, fSum, false, "CAST(sum("+b.value(m.Value)+") FILTER (WHERE "+base+") AS DOUBLE PRECISION)")
			add(i, fN, true, "count(*) FILTER (WHERE "+base+")")
		default:
			b.err = fmt.Errorf("metric %s: kind %d has no SQL", m.ID, m.Kind)
		}
	}
	return sel, cols
}

const valueEvents = "'order_placed', 'refund_issued'"

// statement writes the SELECT for one kind of fact row over [from, to).
func (b *builder) statement(facts Facts, q Query, defs []Metric, idx []int, from, to time.Time) (string, []colPlan, error) {
	b.facts = facts
	keys := make([]string, len(q.By))
	for i, d := range q.By {
		e, err := b.dim(d)
		if err != nil {
			return "", nil, err
		}
		keys[i] = e
	}
	var where []string
	for _, f := range q.Where {
		e, err := b.dim(f.Dim)
		if err != nil {
			return "", nil, err
		}
		ph := make([]string, len(f.Values))
		for i, v := range f.Values {
			ph[i] = b.arg(v)
		}
		op := " IN "
		if f.Not {
			op = " NOT IN "
		}
		where = append(where, e+op+"("+strings.Join(ph, ", ")+")")
	}
	sel, cols := b.aggregates(defs, idx)
	if b.err != nil {
		return "", nil, b.err
	}
	pf, pt := b.arg(from.UTC()), b.arg(to.UTC())
	var sb strings.Builder
	sb.WriteString("SELECT ")
	sb.WriteString(strings.Join(append(append([]string{}, keys...), sel...), ",\n  "))
	switch facts {
	case Interactions, Responses:
		if facts == Interactions {
			sb.WriteString("\nFROM interactions i")
		} else {
			// Every answer once: the scores given inline with a contact, and
			// the separate survey records, each sliced by the contact rated.
			sb.WriteString("\nFROM (SELECT id AS rid, csat, nps, ces FROM interactions WHERE started_at >= " + pf + " AND started_at < " + pt +
				" AND (csat IS NOT NULL OR nps IS NOT NULL OR ces IS NOT NULL)\n  UNION ALL SELECT interaction_id, csat, nps, ces FROM surveys) r" +
				"\nJOIN interactions i ON i.id = r.rid")
		}
		where = append([]string{"i.started_at >= " + pf, "i.started_at < " + pt}, where...)
		if q.Scope.Partner != "" {
			where = append(where, "i.partner = "+b.arg(q.Scope.Partner))
		}
		if b.cust {
			// Merges re-point contacts at the survivor, so the join finds
			// the customer's current profile.
			sb.WriteString("\nLEFT JOIN customers c ON c.id = i.customer_id")
		}
	case Customers:
		pf90, pt90 := b.arg(from.UTC().Add(-90*24*time.Hour)), b.arg(to.UTC().Add(-90*24*time.Hour))
		subs := "'subscription_started', 'subscription_paused', 'subscription_resumed', 'subscription_cancelled'"
		val := func(cond string) string {
			return "coalesce(sum(value) FILTER (WHERE name = 'order_placed' AND " + cond + "), 0) - coalesce(sum(value) FILTER (WHERE name = 'refund_issued' AND " + cond + "), 0)"
		}
		scope := ""
		if q.Scope.Partner != "" {
			scope = " AND partner = " + b.arg(q.Scope.Partner)
		}
		sb.WriteString("\nFROM customers c" +
			"\nLEFT JOIN (SELECT customer_id," +
			"\n    bool_or(occurred_at >= " + pf90 + " AND occurred_at < " + pf + ") AS act_f," +
			"\n    bool_or(occurred_at >= " + pt90 + ") AS act_t," +
			"\n    max(occurred_at) FILTER (WHERE name IN (" + subs + ") AND occurred_at < " + pf + ") AS sub_f," +
			"\n    max(occurred_at) FILTER (WHERE name = 'subscription_cancelled' AND occurred_at < " + pf + ") AS can_f," +
			"\n    max(occurred_at) FILTER (WHERE name IN (" + subs + ")) AS sub_t," +
			"\n    max(occurred_at) FILTER (WHERE name = 'subscription_cancelled') AS can_t," +
			"\n    count(*) FILTER (WHERE name = 'order_placed') AS orders_t," +
			"\n    " + val("TRUE") + " AS ltv_t," +
			"\n    " + val("occurred_at >= "+pf) + " AS net_p," +
			"\n    bool_or(name IN (" + valueEvents + ") AND occurred_at >= " + pf + ") AS val_p" +
			"\n  FROM events WHERE occurred_at < " + pt + " GROUP BY customer_id) e ON e.customer_id = c.id" +
			"\nLEFT JOIN (SELECT customer_id," +
			"\n    bool_or(started_at >= " + pf90 + " AND started_at < " + pf + ") AS act_f," +
			"\n    bool_or(started_at >= " + pt90 + ") AS act_t," +
			"\n    bool_or(started_at >= " + pf + ") AS any_p," +
			"\n    coalesce(sum(cost) FILTER (WHERE started_at >= " + pf + "), 0) AS cost_p" +
			"\n  FROM interactions WHERE started_at < " + pt + scope + " GROUP BY customer_id) x ON x.customer_id = c.id")
		where = append([]string{"c.merged_into IS NULL",
			"(" + customerCols["active_start"] + " OR " + customerCols["ordered"] + " OR " + customerCols["served"] + ")"}, where...)
		if q.Scope.Partner != "" {
			// A partner sees the customers its agents served, as those
			// contacts show them.
			where = append(where, "x.customer_id IS NOT NULL")
		}
	}
	if b.tiers {
		sb.WriteString("\nLEFT JOIN (SELECT customer_id, sum(CASE WHEN name = 'order_placed' THEN value ELSE -value END) AS value" +
			"\n  FROM events WHERE name IN (" + valueEvents + ") GROUP BY customer_id) v ON v.customer_id = " +
			map[bool]string{true: "c.id", false: "i.customer_id"}[facts == Customers])
	}
	sb.WriteString("\nWHERE " + strings.Join(where, "\n  AND "))
	if len(keys) > 0 {
		ord := make([]string, len(keys))
		for i := range keys {
			ord[i] = strconv.Itoa(i + 1)
		}
		sb.WriteString("\nGROUP BY " + strings.Join(ord, ", "))
	}
	return sb.String(), cols, nil
}
