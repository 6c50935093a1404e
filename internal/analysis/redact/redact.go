package redact

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
)

// Version identifies the rule set; it is stored beside redacted text so that
// results produced by different rules can be told apart.
const Version = "redact/1"

// Kind is a type of personal identifier.
type Kind uint8

// The kinds of identifier, in the order of Counts.
const (
	Email Kind = iota
	Phone
	Card
	IBAN
	NINO
	SSN
	Postcode
	IP
	DOB
	NumKinds // the number of kinds; not a kind
)

// String returns the lower-case name used in reports and configuration.
func (k Kind) String() string {
	switch k {
	case Email:
		return "email"
	case Phone:
		return "phone"
	case Card:
		return "card"
	case IBAN:
		return "iban"
	case NINO:
		return "nino"
	case SSN:
		return "ssn"
	case Postcode:
		return "postcode"
	case IP:
		return "ip"
	case DOB:
		return "dob"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Placeholder returns the text that replaces an identifier of this kind.
func (k Kind) Placeholder() string {
	switch k {
	case Email:
		return "[EMAIL]"
	case Phone:
		return "[PHONE]"
	case Card:
		return "[CARD]"
	case IBAN:
		return "[IBAN]"
	case NINO:
		return "[NINO]"
	case SSN:
		return "[SSN]"
	case Postcode:
		return "[POSTCODE]"
	case IP:
		return "[IP]"
	case DOB:
		return "[DOB]"
	}
	return "[REDACTED]"
}

// Counts holds how many identifiers of each kind were redacted.
type Counts [NumKinds]int

// Total returns the number of identifiers of all kinds.
func (c Counts) Total() int {
	t := 0
	for _, n := range c {
		t += n
	}
	return t
}

// Add adds o to c, kind by kind.
func (c *Counts) Add(o Counts) {
	for k, n := range o {
		c[k] += n
	}
}

// Options configures a Redactor. The zero value is ready to use.
type Options struct {
	// DefaultRegion is the ISO 3166-1 alpha-2 region whose national phone
	// numbers are recognised without a country code; "GB" when empty.
	DefaultRegion string
	// Now returns the current time for the date-of-birth rule; time.Now
	// when nil.
	Now func() time.Time
}

// DefaultRegion is the phone region used when Options.DefaultRegion is empty.
const DefaultRegion = "GB"

// Validate reports whether the options name a region the phone library
// knows. New falls back to DefaultRegion on an unknown region; callers that
// take the region from configuration should call Validate first.
func (o Options) Validate() error {
	if o.DefaultRegion == "" {
		return nil
	}
	if phonenumbers.GetCountryCodeForRegion(strings.ToUpper(o.DefaultRegion)) == 0 {
		return fmt.Errorf("redact: unknown phone region %q: use an ISO 3166-1 alpha-2 code such as GB or US", o.DefaultRegion)
	}
	return nil
}

// Redactor finds and replaces personal identifiers. It is immutable after
// New and safe for concurrent use.
type Redactor struct {
	region string
	cc     int    // the default region's country calling code
	ndd    string // its national (trunk) prefix, "0" for GB
	// nddRequired is set where national numbers are always written with
	// the trunk prefix (everywhere it is "0"); NANPA's "1" is optional.
	nddRequired bool
	idd         string // the international call prefix: "00", or "011" in NANPA
	now         func() time.Time
}

// New returns a Redactor for the options. An unknown DefaultRegion falls
// back to DefaultRegion (see Options.Validate).
func New(o Options) *Redactor {
	region := strings.ToUpper(o.DefaultRegion)
	if region == "" || phonenumbers.GetCountryCodeForRegion(region) == 0 {
		region = DefaultRegion
	}
	r := &Redactor{
		region: region,
		cc:     phonenumbers.GetCountryCodeForRegion(region),
		ndd:    phonenumbers.GetNddPrefixForRegion(region, true),
		idd:    "00",
		now:    o.Now,
	}
	if phonenumbers.IsNANPACountry(region) {
		r.idd = "011"
	} else {
		r.nddRequired = r.ndd != ""
	}
	if r.now == nil {
		r.now = time.Now
	}
	return r
}

// Region returns the phone region in use.
func (r *Redactor) Region() string { return r.region }

// Redact returns text with every identifier replaced by its kind's
// placeholder, and how many of each kind were replaced. When nothing is
// found it returns text itself without allocating.
func (r *Redactor) Redact(text string) (string, Counts) {
	return r.redactYear(text, 0)
}

// RedactAsOf is Redact with the date-of-birth rule applied as of asOf
// instead of Options.Now: an interaction imported from 2015 mentioning
// "August 7 2015" is talking about a recent date, not a birthday, so
// importers pass the interaction's own time.
func (r *Redactor) RedactAsOf(text string, asOf time.Time) (string, Counts) {
	return r.redactYear(text, asOf.Year())
}

func (r *Redactor) redactYear(text string, year int) (string, Counts) {
	var buf [16]span
	spans, out := r.redact(text, buf[:0], year)
	if len(spans) == 0 {
		return text, Counts{}
	}
	var c Counts
	for _, s := range spans {
		c[s.kind]++
	}
	return out, c
}

// span is a redacted byte range [start, end) of the original text.
type span struct {
	start, end int
	kind       Kind
}

// redact finds the final spans, in original coordinates, and the redacted
// text. The rules already read a placeholder's brackets as the identifier
// they replaced, so a second pass over the output normally finds nothing;
// the rescan makes idempotence hold by construction rather than by that
// case analysis alone, and costs one more scan when something was found.
func (r *Redactor) redact(text string, dst []span, year int) ([]span, string) {
	c := &clock{r: r, y: year} // shared by the passes, so they agree on the year
	dst = r.scan(text, dst, c)
	if len(dst) == 0 {
		return dst, text
	}
	out := render(text, dst)
	for {
		var buf [4]span
		extra := r.scan(out, buf[:0], c)
		if len(extra) == 0 {
			return dst, out
		}
		dst = merge(dst, mapBack(extra, dst))
		out = render(text, dst)
	}
}

// render replaces the spans of text by their placeholders.
func render(text string, spans []span) string {
	n := len(text)
	for _, s := range spans {
		n += len(s.kind.Placeholder()) - (s.end - s.start)
	}
	var b strings.Builder
	b.Grow(n)
	prev := 0
	for _, s := range spans {
		b.WriteString(text[prev:s.start])
		b.WriteString(s.kind.Placeholder())
		prev = s.end
	}
	b.WriteString(text[prev:])
	return b.String()
}

// mapBack converts spans found in render(text, base) into coordinates of
// text. Spans never include '[' or ']', so each lies between two
// placeholders and maps by a constant shift.
func mapBack(extra, base []span) []span {
	out := make([]span, 0, len(extra))
	shift := 0 // original position minus rendered position
	bi := 0
	for _, e := range extra {
		// Advance over the placeholders that end before e starts, in
		// rendered coordinates.
		for bi < len(base) {
			b := base[bi]
			renderedEnd := b.start - shift + len(b.kind.Placeholder())
			if renderedEnd > e.start {
				break
			}
			shift += (b.end - b.start) - len(b.kind.Placeholder())
			bi++
		}
		out = append(out, span{start: e.start + shift, end: e.end + shift, kind: e.kind})
	}
	return out
}

// merge merges two sorted lists of disjoint spans.
func merge(a, b []span) []span {
	out := make([]span, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j == len(b) || (i < len(a) && a[i].start < b[j].start) {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	return out
}
