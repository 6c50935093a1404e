package metrics

import (
	"regexp"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
)

// DimKind says where a dimension's value comes from.
type DimKind int

const (
	// TimeDim cuts the contact's started_at in the query's zone.
	TimeDim DimKind = iota
	// InteractionDim is a column of the contact.
	InteractionDim
	// CustomerDim is an attribute of the contact's customer (after merges).
	CustomerDim
	// FlagDim is "flag:<kind>": yes when analysis flagged the contact with that kind.
	FlagDim
)

// Dim is one dimension metrics are sliced and filtered by.
type Dim struct {
	ID          string  `json:"id"`
	Label       string  `json:"label"`
	Description string  `json:"description"`
	Kind        DimKind `json:"-"`
}

// None is the key of a slice whose dimension value is null or empty.
const None = "(none)"

// Value-tier thresholds on a customer's realised value (revenue − refunds,
// all value events stored), in minor units: none ≤ 0 < low < 100.00 ≤
// medium < 500.00 ≤ high.
const (
	TierLowBelow    = 10000
	TierMediumBelow = 50000
)

var dimensions = []Dim{
	{"hour", "Hour", `hour the contact started, in the query's time zone: "2026-10-05T14"`, TimeDim},
	{"day", "Day", `day the contact started, in the query's time zone: "2026-10-05"`, TimeDim},
	{"week", "Week", `week the contact started (its Monday), in the query's time zone: "2026-10-05"`, TimeDim},
	{"month", "Month", `month the contact started, in the query's time zone: "2026-10"`, TimeDim},
	{"channel", "Channel", "voice, chat, email, social, messaging, sms, web", InteractionDim},
	{"queue", "Queue", "the queue the contact came through, as the source named it", InteractionDim},
	{"journey_stage", "Journey stage", "marketing, sales, onboarding, service, fulfilment, billing, retention", InteractionDim},
	{"intent", "Intent", "the contact's intent (from the source or the intent model; unknown when unsure)", InteractionDim},
	{"handler", "Handler", "who took the contact first: bot or human", InteractionDim},
	{"partner", "Partner", "the outsourcing partner of the contact's agent", InteractionDim},
	{"team", "Team", "the agent's team", InteractionDim},
	{"agent", "Agent", "the agent's id", InteractionDim},
	{"segment", "Segment", "the customer's segment (of the surviving customer after merges)", CustomerDim},
	{"region", "Region", "the customer's region", CustomerDim},
	{"cohort", "Signup cohort", `the month the customer signed up, in the query's time zone: "2026-03"`, CustomerDim},
	{"value_tier", "Value tier", "the customer's realised value to date (revenue − refunds of every value event stored): " +
		"none ≤ 0, low < 100.00, medium < 500.00, high ≥ 500.00", CustomerDim},
	{"vulnerable", "Vulnerable", "yes when analysis found vulnerability cues in the contact, no when it found none", InteractionDim},
}

var flagKind = regexp.MustCompile(`^[a-z0-9_-]{1,64}$`)

// Dims lists the dimensions (without the open family flag:<kind>).
func Dims() []Dim { return append([]Dim(nil), dimensions...) }

// DimIDs lists every dimension id, ending with "flag:<kind>".
func DimIDs() []string {
	out := make([]string, 0, len(dimensions)+1)
	for _, d := range dimensions {
		out = append(out, d.ID)
	}
	return append(out, "flag:<kind>")
}

// LookupDim returns the dimension with id, or an EINVALID error listing the
// valid ids.
func LookupDim(id string) (Dim, error) {
	for _, d := range dimensions {
		if d.ID == id {
			return d, nil
		}
	}
	if kind, ok := strings.CutPrefix(id, "flag:"); ok {
		if !flagKind.MatchString(kind) {
			return Dim{}, cx.Errorf(cx.EINVALID, "dimension %q: a flag kind is lower-case letters, digits, _ or -, e.g. flag:anger", id)
		}
		return Dim{ID: id, Label: "Flag " + kind, Description: "yes when the contact was flagged " + kind, Kind: FlagDim}, nil
	}
	return Dim{}, cx.Errorf(cx.EINVALID, "unknown dimension %q (valid: %s)", id, strings.Join(DimIDs(), ", "))
}

// splitList splits a comma-separated list, trimming spaces and dropping
// empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ParseMetrics reads "csat,fcr" into metric ids, checking each.
func ParseMetrics(s string) ([]string, error) {
	ids := splitList(s)
	if len(ids) == 0 {
		return nil, cx.Errorf(cx.EINVALID, "no metric given: name one or more of %s", strings.Join(MetricIDs(), ", "))
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if _, err := Lookup(id); err != nil {
			return nil, cx.Errorf(cx.EINVALID, "%s", err.Error())
		}
		if seen[id] {
			return nil, cx.Errorf(cx.EINVALID, "metric %q is named twice", id)
		}
		seen[id] = true
	}
	return ids, nil
}

// ParseBy reads "intent,handler" into dimension ids, checking each.
func ParseBy(s string) ([]string, error) {
	ids := splitList(s)
	seen := map[string]bool{}
	for _, id := range ids {
		if _, err := LookupDim(id); err != nil {
			return nil, err
		}
		if seen[id] {
			return nil, cx.Errorf(cx.EINVALID, "dimension %q is named twice", id)
		}
		seen[id] = true
	}
	return ids, nil
}

// ParseWhere reads filters in their text form: "dim:v1|v2" keeps rows whose
// dim is v1 or v2, "dim!:v" drops rows whose dim is v; several are joined by
// commas and all must hold. "(none)" matches a missing value.
func ParseWhere(s string) ([]Filter, error) {
	var out []Filter
	for _, part := range splitList(s) {
		// A flag dimension has a colon of its own: "flag:anger:yes".
		rest := part
		prefix := ""
		if r, ok := strings.CutPrefix(part, "flag:"); ok {
			prefix, rest = "flag:", r
		}
		dim, vals, ok := strings.Cut(rest, ":")
		if !ok {
			return nil, cx.Errorf(cx.EINVALID, "filter %q: write dim:value (or dim!:value to exclude), several values separated by |, e.g. channel:chat|voice", part)
		}
		f := Filter{Dim: prefix + strings.TrimSpace(dim)}
		if d, ok := strings.CutSuffix(f.Dim, "!"); ok {
			f.Dim, f.Not = d, true
		}
		if _, err := LookupDim(f.Dim); err != nil {
			return nil, cx.Errorf(cx.EINVALID, "filter %q: %s", part, cx.ErrorMessage(err))
		}
		for _, v := range strings.Split(vals, "|") {
			if v = strings.TrimSpace(v); v != "" {
				f.Values = append(f.Values, v)
			}
		}
		if len(f.Values) == 0 {
			return nil, cx.Errorf(cx.EINVALID, "filter %q: no value after the colon, e.g. %s:chat", part, f.Dim)
		}
		out = append(out, f)
	}
	return out, nil
}

// FormatWhere is the text form of filters, as ParseWhere reads it.
func FormatWhere(fs []Filter) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		op := ":"
		if f.Not {
			op = "!:"
		}
		parts[i] = f.Dim + op + strings.Join(f.Values, "|")
	}
	return strings.Join(parts, ",")
}

// Validate checks a query against the registry and fills its defaults:
// MinN, Zone (UTC). Every error is EINVALID and names the bad part.
func Validate(q *Query) error {
	if len(q.Metrics) == 0 {
		return cx.Errorf(cx.EINVALID, "no metric given: name one or more of %s", strings.Join(MetricIDs(), ", "))
	}
	if q.From.IsZero() || q.To.IsZero() {
		return cx.Errorf(cx.EINVALID, "period: give both from and to")
	}
	if !q.From.Before(q.To) {
		return cx.Errorf(cx.EINVALID, "period: from (%s) must be before to (%s)", q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	}
	if q.MinN < 0 {
		return cx.Errorf(cx.EINVALID, "min_n: must not be negative, got %d", q.MinN)
	}
	if q.MinN == 0 {
		q.MinN = DefaultMinN
	}
	if q.Zone == nil {
		q.Zone = time.UTC
	}
	if q.Zone.String() == "Local" {
		return cx.Errorf(cx.EINVALID, "time zone: name it (e.g. Europe/London or UTC); the machine's local zone has no name the database knows")
	}
	seen := map[string]bool{}
	for _, id := range q.By {
		if _, err := LookupDim(id); err != nil {
			return err
		}
		if seen[id] {
			return cx.Errorf(cx.EINVALID, "dimension %q is named twice in by", id)
		}
		seen[id] = true
	}
	for _, f := range q.Where {
		if _, err := LookupDim(f.Dim); err != nil {
			return cx.Errorf(cx.EINVALID, "filter on %s: %s", f.Dim, cx.ErrorMessage(err))
		}
		if len(f.Values) == 0 {
			return cx.Errorf(cx.EINVALID, "filter on %s: no values", f.Dim)
		}
	}
	seenM := map[string]bool{}
	for _, id := range q.Metrics {
		m, err := Lookup(id)
		if err != nil {
			return cx.Errorf(cx.EINVALID, "%s", err.Error())
		}
		if seenM[id] {
			return cx.Errorf(cx.EINVALID, "metric %q is named twice", id)
		}
		seenM[id] = true
		if m.Over != Customers {
			continue
		}
		// Customer metrics count customers: only the customer's own
		// attributes slice them.
		for _, d := range q.By {
			if dd, _ := LookupDim(d); dd.Kind != CustomerDim {
				return cx.Errorf(cx.EINVALID, "metric %s counts customers and cannot be sliced by %s (it can by %s); ask for it in a separate query",
					id, d, strings.Join(customerDimIDs(), ", "))
			}
		}
		for _, f := range q.Where {
			if dd, _ := LookupDim(f.Dim); dd.Kind != CustomerDim {
				return cx.Errorf(cx.EINVALID, "metric %s counts customers and cannot be filtered by %s (it can by %s); ask for it in a separate query",
					id, f.Dim, strings.Join(customerDimIDs(), ", "))
			}
		}
	}
	return nil
}

func customerDimIDs() []string {
	var out []string
	for _, d := range dimensions {
		if d.Kind == CustomerDim {
			out = append(out, d.ID)
		}
	}
	return out
}

// Tier is the value tier of a realised value in minor units.
func Tier(v int64) string {
	switch {
	case v <= 0:
		return "none"
	case v < TierLowBelow:
		return "low"
	case v < TierMediumBelow:
		return "medium"
	}
	return "high"
}
