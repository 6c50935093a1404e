package redact

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Planted is an identifier placed in a generated sample.
type Planted struct {
	Kind       Kind
	Start, End int // byte range in Sample.Text
	Value      string
}

// Sample is one generated customer message with its planted identifiers.
// Everything else in Text, including the look-alikes (order numbers,
// prices, times, recent dates, tracking codes, versions…), must survive.
type Sample struct {
	Text    string
	Planted []Planted
}

// Generate returns n labelled customer-service messages, the same for the
// same seed and now. Each has one to four sentences; most carry one
// identifier of a random kind in one of many formats, at the start, middle
// or end of a sentence, with punctuation around it; the rest carry
// look-alikes. Dates of birth are either cued or more than ten years
// before now; look-alike dates are recent.
func Generate(seed int64, n int, now time.Time) []Sample {
	g := &generator{rng: rand.New(rand.NewPCG(uint64(seed), 0x6e6f72746873)), year: now.Year()}
	out := make([]Sample, 0, n)
	for range n {
		out = append(out, g.sample())
	}
	return out
}

// KindStats are the evaluation figures for one kind (or all kinds).
type KindStats struct {
	Planted   int // identifiers planted
	Recalled  int // planted identifiers none of whose letters or digits survive
	Redacted  int // redactions made
	Correct   int // redactions that cover part of a planted identifier
	WrongKind int // correct redactions whose kind differs from the planted one
}

// Recall is Recalled/Planted, 1 when nothing was planted.
func (s KindStats) Recall() float64 { return ratio(s.Recalled, s.Planted) }

// Precision is Correct/Redacted, 1 when nothing was redacted.
func (s KindStats) Precision() float64 { return ratio(s.Correct, s.Redacted) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func (s *KindStats) add(o KindStats) {
	s.Planted += o.Planted
	s.Recalled += o.Recalled
	s.Redacted += o.Redacted
	s.Correct += o.Correct
	s.WrongKind += o.WrongKind
}

// Example is a miss or a false positive kept for the report.
type Example struct {
	Kind  Kind
	Value string // the planted identifier, or the text wrongly redacted
	Text  string // the sample
}

// Report is the result of Evaluate.
type Report struct {
	Version        string
	Seed           int64
	Samples, Bytes int
	Kinds          [NumKinds]KindStats
	All            KindStats
	Misses         []Example // up to maxExamples
	FalsePositives []Example // up to maxExamples
}

const maxExamples = 20

// Evaluate generates n samples from seed (with r's clock), redacts them and
// measures, per kind and overall, recall (planted identifiers whose letters
// and digits all fall inside redactions) and precision (redactions covering
// part of a planted identifier, over all redactions).
func Evaluate(r *Redactor, seed int64, n int) Report {
	rep := Report{Version: Version, Seed: seed, Samples: n}
	for _, s := range Generate(seed, n, r.now()) {
		rep.Bytes += len(s.Text)
		spans, _ := r.redact(s.Text, nil, 0)
		for _, p := range s.Planted {
			k := &rep.Kinds[p.Kind]
			k.Planted++
			if covered(s.Text, p, spans) {
				k.Recalled++
			} else if len(rep.Misses) < maxExamples {
				rep.Misses = append(rep.Misses, Example{Kind: p.Kind, Value: p.Value, Text: s.Text})
			}
		}
		for _, sp := range spans {
			k := &rep.Kinds[sp.kind]
			k.Redacted++
			hit := false
			for _, p := range s.Planted {
				if sp.start < p.End && p.Start < sp.end {
					hit = true
					if p.Kind != sp.kind {
						k.WrongKind++
					}
					break
				}
			}
			if hit {
				k.Correct++
			} else if len(rep.FalsePositives) < maxExamples {
				rep.FalsePositives = append(rep.FalsePositives, Example{Kind: sp.kind, Value: s.Text[sp.start:sp.end], Text: s.Text})
			}
		}
	}
	for _, k := range rep.Kinds {
		rep.All.add(k)
	}
	return rep
}

// covered reports whether every letter and digit of p lies in a span.
func covered(text string, p Planted, spans []span) bool {
	for i := p.Start; i < p.End; i++ {
		if !isAlnum(text[i]) {
			continue
		}
		in := false
		for _, s := range spans {
			if s.start <= i && i < s.end {
				in = true
				break
			}
		}
		if !in {
			return false
		}
	}
	return true
}

// String renders the report as a Markdown table followed by any misses and
// false positives.
func (rep Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: seed %d, %d samples, %d bytes\n\n", rep.Version, rep.Seed, rep.Samples, rep.Bytes)
	b.WriteString("| kind | planted | recalled | recall | redactions | correct | precision | wrong kind |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	row := func(name string, s KindStats) {
		fmt.Fprintf(&b, "| %s | %d | %d | %.4f | %d | %d | %.4f | %d |\n",
			name, s.Planted, s.Recalled, s.Recall(), s.Redacted, s.Correct, s.Precision(), s.WrongKind)
	}
	for k := range NumKinds {
		row(k.String(), rep.Kinds[k])
	}
	row("all", rep.All)
	for _, m := range rep.Misses {
		fmt.Fprintf(&b, "\nmissed %s %q in %q", m.Kind, m.Value, m.Text)
	}
	for _, f := range rep.FalsePositives {
		fmt.Fprintf(&b, "\nfalse %s %q in %q", f.Kind, f.Value, f.Text)
	}
	return b.String()
}

// generator builds samples from templates; "{}" marks the slot.
type generator struct {
	rng  *rand.Rand
	year int
}

// piece is a sentence under construction: text with at most one planted
// identifier.
type piece struct {
	text  string
	plant *Planted // Start/End relative to text
}

func (g *generator) sample() Sample {
	var b strings.Builder
	var planted []Planted
	sentences := 1 + g.rng.IntN(4)
	for k := range sentences {
		if k > 0 {
			b.WriteString(g.pick(" ", " ", " ", "\n", "  "))
		}
		if g.rng.IntN(2) == 0 {
			b.WriteString(g.pick("", "", "Customer: ", "Agent: ", "> "))
		}
		var pc piece
		if k == 0 || g.rng.IntN(3) > 0 {
			pc = g.identifierSentence(Kind(g.rng.IntN(int(NumKinds))))
		} else {
			pc = g.lookalikeSentence()
		}
		if pc.plant != nil {
			p := *pc.plant
			p.Start += b.Len()
			p.End += b.Len()
			planted = append(planted, p)
		}
		b.WriteString(pc.text)
	}
	if g.rng.IntN(2) == 0 {
		b.WriteString(" ")
		b.WriteString(g.lookalikeSentence().text)
	}
	return Sample{Text: b.String(), Planted: planted}
}

func (g *generator) pick(options ...string) string { return options[g.rng.IntN(len(options))] }

func (g *generator) digits(n int) string {
	b := make([]byte, n)
	for k := range b {
		b[k] = byte('0' + g.rng.IntN(10))
	}
	return string(b)
}

func (g *generator) between(lo, hi int) int { return lo + g.rng.IntN(hi-lo+1) }

// fill puts value into a template's slot, optionally wrapped in
// punctuation, and records where it went.
func (g *generator) fill(kind Kind, template, value string) piece {
	open, closing := "", ""
	if strings.Contains(template, " {} ") || strings.HasSuffix(template, " {}") || strings.HasSuffix(template, " {}.") {
		switch g.rng.IntN(8) {
		case 0:
			open, closing = "(", ")"
		case 1:
			open, closing = "\"", "\""
		case 2:
			open, closing = "<", ">"
		case 3:
			open, closing = "'", "'"
		}
	}
	slot := strings.Index(template, "{}")
	text := template[:slot] + open + value + closing + template[slot+2:]
	start := slot + len(open)
	return piece{text: text, plant: &Planted{Kind: kind, Start: start, End: start + len(value), Value: value}}
}

func (g *generator) identifierSentence(kind Kind) piece {
	switch kind {
	case Email:
		return g.fill(kind, g.pick(
			"Hi, my email is {} and I still haven't had the confirmation.",
			"Please send the refund receipt to {}.",
			"{} is the address on the account.",
			"Can you update my email to {}? Thanks",
			"You can reach me at {} any time after 5pm.",
			"Email:{}",
			"I emailed you from {} twice last week!",
		), g.email())
	case Phone:
		return g.fill(kind, g.pick(
			"Please call me back on {} after 6pm.",
			"My number is {}.",
			"{} is my mobile, text me when it ships.",
			"You can reach me on {} or by email.",
			"Phone: {}",
			"The driver rang {} but I was out.",
			"Is {} the number you have for me?",
		), g.phone())
	case Card:
		return g.fill(kind, g.pick(
			"I was charged twice on my card {} yesterday.",
			"The card number is {}, expiry 09/27.",
			"Refund it to {} please.",
			"{} was declined at checkout.",
			"Card: {}",
		), g.card())
	case IBAN:
		return g.fill(kind, g.pick(
			"My IBAN is {} for the refund.",
			"Please transfer the money to {}.",
			"Bank details: {} (Jane Doe).",
			"{} is the account for the refund.",
		), g.iban())
	case NINO:
		return g.fill(kind, g.pick(
			"My National Insurance number is {}.",
			"NI: {}",
			"{} is my NI number for the payroll form.",
			"It's {} if you need it.",
		), g.nino())
	case SSN:
		if g.rng.IntN(5) == 0 {
			return g.fill(kind, g.pick("My SSN is {}.", "SSN: {}", "social security number {}"), g.digitsSSN())
		}
		return g.fill(kind, g.pick(
			"My SSN is {}.",
			"Social security: {}",
			"{} is the SSN on file.",
			"They asked for {} again on the phone.",
		), g.ssn())
	case Postcode:
		return g.fill(kind, g.pick(
			"My postcode is {}.",
			"Deliver to 221B Baker Street, London {} please.",
			"{} is the postcode, flat 3.",
			"I live in {} and the courier can't find me.",
			"Address: 4 High St, Leeds, {}",
		), g.postcode())
	case IP:
		return g.fill(kind, g.pick(
			"The login came from {} at 03:12.",
			"My router's IP is {}.",
			"Blocked IP: {}",
			"{} keeps getting rate limited.",
		), g.ip())
	default:
		return g.dobSentence()
	}
}

func (g *generator) email() string {
	first := g.pick("john", "jane", "a", "mohammed", "li", "olivia", "sam", "O.Connor", "priya")
	last := g.pick("smith", "doe", "jones", "nguyen", "patel", "o-brien", "garcia")
	local := g.pick(first+"."+last, first+last+strconv.Itoa(g.between(1, 99)), first+"_"+last, first+"+orders", strings.ToUpper(first), last+"."+first+strconv.Itoa(g.between(1950, 2005)))
	domain := g.pick("example.com", "mail.example.co.uk", "shop.io", "my-isp.net", "Example.ORG", "uni.ac.uk", "gmail.com")
	return local + "@" + domain
}

// phone returns a number in one of many formats; the digits always form a
// number the library calls valid, as real customers' numbers are.
func (g *generator) phone() string {
	switch g.rng.IntN(5) {
	case 0, 1: // GB mobile
		nsn := g.validNSN(44, func() string { return "7" + strconv.Itoa(g.between(4, 9)) + g.digits(8) })
		a, b := nsn[:4], nsn[4:]
		return g.pick(
			"0"+a+" "+b, "0"+nsn, "+44 "+a+" "+b, "+44"+nsn, "0044 "+a+" "+b,
			"+44 (0)"+a+" "+b, "0"+a+"-"+b[:3]+"-"+b[3:], "0"+a+" "+b[:3]+" "+b[3:], "0"+a+"."+b[:3]+"."+b[3:])
	case 2: // GB geographic
		if g.rng.IntN(2) == 0 {
			nsn := g.validNSN(44, func() string { return "20" + g.pick("7", "3", "8") + g.digits(7) })
			a, b := nsn[2:6], nsn[6:]
			return g.pick("020 "+a+" "+b, "(020) "+a+" "+b, "+44 20 "+a+" "+b, "020-"+a+"-"+b, "020"+a+b)
		}
		nsn := g.validNSN(44, func() string {
			return g.pick("161", "113", "121", "131", "141", "117") + g.pick("4", "2", "3") + g.digits(6)
		})
		a, b, c := nsn[:3], nsn[3:6], nsn[6:]
		return g.pick("0"+a+" "+b+" "+c, "+44 "+a+" "+b+" "+c, "(0"+a+") "+b+" "+c, "0"+a+b+c)
	case 3: // US
		nsn := g.validNSN(1, func() string {
			return g.pick("212", "415", "312", "617", "646", "206") + strconv.Itoa(g.between(2, 9)) + g.digits(6)
		})
		a, b, c := nsn[:3], nsn[3:6], nsn[6:]
		return g.pick("+1 "+a+"-"+b+"-"+c, "+1 ("+a+") "+b+"-"+c, "+1 "+a+" "+b+" "+c, "+1."+a+"."+b+"."+c, "001 "+a+" "+b+" "+c, "+1"+nsn)
	default: // elsewhere in Europe
		switch g.rng.IntN(3) {
		case 0:
			nsn := g.validNSN(33, func() string { return g.pick("1", "6", "7") + g.digits(8) })
			return "+33 " + nsn[:1] + " " + nsn[1:3] + " " + nsn[3:5] + " " + nsn[5:7] + " " + nsn[7:]
		case 1:
			nsn := g.validNSN(49, func() string { return "30" + g.digits(8) })
			return g.pick("+49 30 "+nsn[2:], "+49 (0)30 "+nsn[2:], "0049 30 "+nsn[2:])
		default:
			nsn := g.validNSN(353, func() string { return "1" + g.digits(7) })
			return "+353 1 " + nsn[1:4] + " " + nsn[4:]
		}
	}
}

// validNSN draws national significant numbers until the library calls one
// valid for country code cc.
func (g *generator) validNSN(cc int, draw func() string) string {
	for {
		nsn := draw()
		if valid(cc, []byte(nsn)) {
			return nsn
		}
	}
}

func (g *generator) card() string {
	var prefix string
	length := 16
	switch g.rng.IntN(7) {
	case 0, 1:
		prefix = "4"
	case 2:
		prefix = strconv.Itoa(g.between(51, 55))
	case 3:
		prefix, length = g.pick("34", "37"), 15
	case 4:
		prefix = "6011"
	case 5:
		prefix = strconv.Itoa(g.between(2221, 2720))
	default:
		prefix, length = "4", 13
		if g.rng.IntN(2) == 0 {
			length = 19
		}
	}
	body := prefix + g.digits(length-len(prefix)-1)
	for d := byte('0'); d <= '9'; d++ {
		if luhn([]byte(body + string(d))) {
			body += string(d)
			break
		}
	}
	switch {
	case length == 15:
		return g.pick(body[:4]+" "+body[4:10]+" "+body[10:], body, body[:4]+"-"+body[4:10]+"-"+body[10:])
	case length == 16:
		sep := g.pick(" ", "-", "")
		return body[:4] + sep + body[4:8] + sep + body[8:12] + sep + body[12:]
	case length == 19:
		return g.pick(body, body[:4]+" "+body[4:8]+" "+body[8:12]+" "+body[12:16]+" "+body[16:])
	}
	return g.pick(body, body[:4]+" "+body[4:8]+" "+body[8:12]+" "+body[12:])
}

func (g *generator) iban() string {
	var cc, bban string
	switch g.rng.IntN(6) {
	case 0:
		cc, bban = "GB", g.letters(4)+g.digits(14)
	case 1:
		cc, bban = "DE", g.digits(18)
	case 2:
		cc, bban = "FR", g.digits(21)+g.letters(1)+g.digits(1)
	case 3:
		cc, bban = "NL", g.letters(4)+g.digits(10)
	case 4:
		cc, bban = "ES", g.digits(20)
	default:
		cc, bban = "IT", g.letters(1)+g.digits(22)
	}
	check := 98 - mod97([]byte(cc+"00"+bban))
	iban := cc + fmt.Sprintf("%02d", check) + bban
	switch g.rng.IntN(4) {
	case 0:
		return iban
	case 1:
		return strings.ToLower(iban)
	}
	var b strings.Builder
	for k := 0; k < len(iban); k += 4 {
		if k > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(iban[k:min(k+4, len(iban))])
	}
	return b.String()
}

func (g *generator) letters(n int) string {
	b := make([]byte, n)
	for k := range b {
		b[k] = byte('A' + g.rng.IntN(26))
	}
	return string(b)
}

func (g *generator) nino() string {
	var a, b byte
	for {
		a, b = byte('A'+g.rng.IntN(26)), byte('A'+g.rng.IntN(26))
		if ninoPrefix(a, b) {
			break
		}
	}
	d := g.digits(6)
	s := string([]byte{a, b, byte('A' + g.rng.IntN(4))})
	switch g.rng.IntN(4) {
	case 0:
		return s[:2] + " " + d[:2] + " " + d[2:4] + " " + d[4:] + " " + s[2:]
	case 1:
		return strings.ToLower(s[:2] + d + s[2:])
	case 2:
		return s[:2] + " " + d + " " + s[2:]
	}
	return s[:2] + d + s[2:]
}

func (g *generator) ssnParts() (int, int, int) {
	area := g.between(1, 899)
	if area == 666 {
		area = 667
	}
	return area, g.between(1, 99), g.between(1, 9999)
}

func (g *generator) ssn() string {
	a, b, c := g.ssnParts()
	sep := g.pick("-", "-", " ")
	return fmt.Sprintf("%03d%s%02d%s%04d", a, sep, b, sep, c)
}

func (g *generator) digitsSSN() string {
	a, b, c := g.ssnParts()
	return fmt.Sprintf("%03d%02d%04d", a, b, c)
}

func (g *generator) postcode() string {
	area := g.pick("SW", "M", "EC", "B", "LS", "EH", "G", "CF", "BT", "N", "W", "NW", "OX", "CB", "BS", "L")
	district := g.between(1, 9)
	if !londonDistrict(area, district) {
		district = 1
	}
	out := area + strconv.Itoa(district)
	switch {
	case len(area) == 1 && g.rng.IntN(3) == 0:
		out += g.pick("A", "C", "P", "W")
	case len(area) == 2 && (area == "SW" || area == "EC") && g.rng.IntN(3) == 0:
		out += g.pick("A", "V", "Y")
	case g.rng.IntN(3) == 0:
		if d := district*10 + g.between(0, 9); londonDistrict(area, d) {
			out = area + strconv.Itoa(d)
		}
	}

	const inward = "ABDEFGHJLNPQRSTUWXYZ"
	in := strconv.Itoa(g.between(0, 9)) + string(inward[g.rng.IntN(len(inward))]) + string(inward[g.rng.IntN(len(inward))])
	switch g.rng.IntN(5) {
	case 0:
		return out + in
	case 1:
		return strings.ToLower(out + " " + in)
	}
	return out + " " + in
}

func (g *generator) ip() string {
	if g.rng.IntN(2) == 0 {
		return fmt.Sprintf("%d.%d.%d.%d", g.between(1, 223), g.between(0, 255), g.between(0, 255), g.between(1, 254))
	}
	hex := func() string { return strconv.FormatUint(uint64(g.rng.IntN(0x10000)), 16) }
	switch g.rng.IntN(5) {
	case 0:
		return "2001:db8::" + hex() + ":" + hex()
	case 1:
		return "fe80::" + hex() + ":" + hex() + ":" + hex() + ":" + strconv.Itoa(g.between(1, 9999))
	case 2:
		return "::1"
	case 3:
		return fmt.Sprintf("::ffff:%d.%d.%d.%d", g.between(1, 223), g.between(0, 255), g.between(0, 255), g.between(1, 254))
	}
	parts := make([]string, 8)
	for k := range parts {
		parts[k] = fmt.Sprintf("%04x", g.rng.IntN(0x10000))
	}
	parts[0] = "2a0" + strconv.Itoa(g.between(0, 9))
	return strings.Join(parts, ":")
}

func monthName(m int) string {
	names := [...]string{"January", "February", "March", "April", "May", "June", "July",
		"August", "September", "October", "November", "December"}
	return names[m-1]
}

// date formats a date in one of the usual written or numeric forms; two
// reports a two-digit year.
func (g *generator) date(y, m, d int, allowTwoDigit bool) (s string, two bool) {
	name := monthName(m)
	abbr := name[:3]
	forms := []string{
		fmt.Sprintf("%02d/%02d/%d", d, m, y),
		fmt.Sprintf("%d/%d/%d", d, m, y),
		fmt.Sprintf("%02d-%02d-%d", d, m, y),
		fmt.Sprintf("%d-%02d-%02d", y, m, d),
		fmt.Sprintf("%02d.%02d.%d", d, m, y),
		fmt.Sprintf("%d %s %d", d, name, y),
		fmt.Sprintf("%d%s %s %d", d, ordinal(d), name, y),
		fmt.Sprintf("%d%s of %s %d", d, ordinal(d), name, y),
		fmt.Sprintf("%s %d, %d", name, d, y),
		fmt.Sprintf("%s %d%s, %d", name, d, ordinal(d), y),
		fmt.Sprintf("%s. %d %d", abbr, d, y),
		fmt.Sprintf("%d %s %d", d, abbr, y),
		fmt.Sprintf("%02d-%s-%d", d, abbr, y),
		fmt.Sprintf("%02d/%02d/%d", m, d, y),
	}
	if allowTwoDigit && g.rng.IntN(3) == 0 {
		sep := g.pick(".", "/", "-")
		return fmt.Sprintf("%02d%s%02d%s%02d", d, sep, m, sep, y%100), true
	}
	return forms[g.rng.IntN(len(forms))], false
}

func ordinal(d int) string {
	switch {
	case d == 11 || d == 12 || d == 13:
		return "th"
	case d%10 == 1:
		return "st"
	case d%10 == 2:
		return "nd"
	case d%10 == 3:
		return "rd"
	}
	return "th"
}

// monthDay draws a month and a day that exist in every year.
func (g *generator) monthDay() (int, int) { return g.between(1, 12), g.between(1, 28) }

func (g *generator) dobSentence() piece {
	cued := g.rng.IntN(2) == 0
	if cued {
		y := g.between(g.year-90, g.year-1) // after a cue any full date goes, even a child's
		m, d := g.monthDay()
		value, _ := g.date(y, m, d, true)
		return g.fill(DOB, g.pick(
			"My date of birth is {}.",
			"I was born on {}.",
			"DOB: {}",
			"Security answers: D.O.B. {}, postcode on file.",
			"Born {} in Leeds.",
			"My son's birthday is {}.",
			"date of birth {}",
		), value)
	}
	y := g.between(g.year-90, g.year-dobMinAge-1)
	m, d := g.monthDay()
	value, _ := g.date(y, m, d, false)
	return g.fill(DOB, g.pick(
		"Security check: {}, Jane Doe.",
		"{} is the date on my passport.",
		"The account holder's details are Jane Smith, {}.",
		"Jane Doe {} verified.",
	), value)
}

// lookalikeSentence returns a sentence with things that look like
// identifiers and are not.
func (g *generator) lookalikeSentence() piece {
	recentYear := g.between(g.year-dobMinAge+2, g.year+1)
	m, d := g.monthDay()
	recent, _ := g.date(recentYear, m, d, false)
	texts := []string{
		"Your order " + g.digits(g.between(6, 12)) + " has been dispatched.",
		"Order number " + g.digits(g.between(8, 16)) + " still shows as processing.",
		"Order #" + g.digits(g.between(5, 10)) + " was £" + strconv.Itoa(g.between(1, 999)) + "." + g.digits(2) + " in total.",
		"It cost $" + strconv.Itoa(g.between(1, 9)) + "," + g.digits(3) + ".00 and I paid " + strconv.Itoa(g.between(5, 50)) + "% extra for delivery.",
		"The courier came at " + strconv.Itoa(g.between(7, 21)) + ":" + g.digits(1) + "0 and left at " + fmt.Sprintf("%02d:%02d", g.between(0, 23), g.between(0, 59)) + ".",
		"I ordered " + strconv.Itoa(g.between(2, 12)) + " x 500ml bottles and " + strconv.Itoa(g.between(2, 9)) + " boxes.",
		"My box was due on " + recent + " and never came.",
		"It was delivered on " + recent + ".",
		"Tracking " + g.pick("JD", "JJD") + g.digits(18) + " hasn't moved.",
		"Tracking 1Z" + g.letters(3) + g.digits(13) + " says delivered.",
		"Royal Mail ref " + g.letters(2) + g.digits(9) + "GB.",
		"Amazon order " + g.digits(3) + "-" + g.digits(7) + "-" + g.digits(7) + " arrived damaged.",
		"The app is on version " + strconv.Itoa(g.between(1, 20)) + "." + strconv.Itoa(g.between(0, 30)) + "." + strconv.Itoa(g.between(0, 9)) + ".",
		"Firmware " + strconv.Itoa(g.between(1, 9)) + "." + strconv.Itoa(g.between(0, 9)) + "." + strconv.Itoa(g.between(0, 99)) + "." + strconv.Itoa(g.between(0, 255)) + " bricked it.",
		"I'm on the " + strconv.Itoa(g.between(2, 8)) + "x" + strconv.Itoa(g.between(1, 4)) + " plan.",
		"Flight " + g.pick("BA", "EZY", "FR", "U2") + g.digits(4) + ", seat " + strconv.Itoa(g.between(1, 40)) + g.pick("A", "C", "F") + ".",
		"My PIN is not " + g.digits(4) + ", and room " + g.digits(3) + " is booked.",
		"SKU " + g.digits(13) + " is out of stock.",
		"Case " + g.digits(8) + " was closed without a reply.",
		"Invoice INV-" + g.digits(6) + " shows " + strconv.Itoa(g.between(1, 30)) + " items at " + g.digits(2) + "% off.",
		"Call us on extension " + g.digits(4) + " between 9 and 5.",
		"Ticket " + g.digits(10) + " is still open.",
		"We spoke on " + monthName(m) + " " + strconv.Itoa(d) + " about it.",
		"Delivery takes 3-5 working days, support is 24/7 and it's a 2-for-1 deal.",
		"Page " + strconv.Itoa(g.between(1, 9)) + " of " + strconv.Itoa(g.between(10, 30)) + " is missing; lines 2, 3 and 4 too.",
		"I need the M4 bolts, B12 vitamins and A4 paper.",
		"The alarm went off at 10:30:00 and again at " + fmt.Sprintf("%02d:%02d", g.between(0, 23), g.between(0, 59)) + ".",
		"Barcode " + g.digits(13) + " on the label.",
		"Gift card balance: £" + strconv.Itoa(g.between(5, 200)) + ".00, voucher " + g.letters(4) + "-" + g.digits(4) + ".",
		"Model " + g.letters(2) + strconv.Itoa(g.between(10, 99)) + " " + g.digits(4) + " " + g.digits(4) + " was recalled.",
		"Write to support at help@ or @" + g.pick("united", "NorthstarHelp", "AmericanAir") + " on Twitter.",
		"My old login was user@localhost, never mind.",
		"Your ticket number is " + fmt.Sprintf("0%d %d", g.between(1000, 9999), g.between(100000, 999999)) + ".",
		"It was printed on " + recent + " at " + fmt.Sprintf("%02d.%02d", g.between(0, 23), g.between(0, 59)) + ".",
		"I've been a customer since " + fmt.Sprintf("%02d/%02d/%d", d, m, g.between(g.year-30, g.year-dobMinAge-1)) + ".",
		"The first one was delivered on " + fmt.Sprintf("%d %s %d", d, monthName(m), g.between(g.year-30, g.year-dobMinAge-1)) + ".",
		// A cost of the date-of-birth rule, kept in the set so that the
		// report shows it: an old date with nothing around it to say what
		// it is gets redacted.
		"The warranty card says " + fmt.Sprintf("%02d/%02d/%d", d, m, g.between(g.year-30, g.year-dobMinAge-1)) + ".",
	}
	return piece{text: texts[g.rng.IntN(len(texts))]}
}
