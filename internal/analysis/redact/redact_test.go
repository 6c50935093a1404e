package redact

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func newTestRedactor() *Redactor { return New(Options{Now: fixedNow}) }

// TestRedactFinds lists, kind by kind, the formats each matcher must catch,
// with the exact output. Every miss found by the evaluation set or by hand
// is added here.
func TestRedactFinds(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// email
		{"email plain", "mail me at john.smith@example.com please", "mail me at [EMAIL] please"},
		{"email plus tag and subdomain", "jane_doe+orders@mail.example.co.uk.", "[EMAIL]."},
		{"email in angle brackets", "From: <J.Doe84@Example.ORG>", "From: <[EMAIL]>"},
		{"email after colon and digits local", "email:12345@shop.io,thanks", "email:[EMAIL],thanks"},
		{"email with hyphen domain", "a-b@my-shop.co.uk's inbox", "[EMAIL]'s inbox"},
		{"email mailto", "mailto:help.desk@example.net", "mailto:[EMAIL]"},
		{"two emails", "a@b.com or c@d.org", "[EMAIL] or [EMAIL]"},
		// phone
		{"phone gb intl", "call +44 7700 900123 now", "call [PHONE] now"},
		{"phone gb national mobile", "my mobile is 07700 900123.", "my mobile is [PHONE]."},
		{"phone gb landline parens", "ring (020) 7946 0958 today", "ring [PHONE] today"},
		{"phone us intl dashes", "US office +1 415-555-0132", "US office [PHONE]"},
		{"phone us intl parens", "+1 (415) 555-0132", "[PHONE]"},
		{"phone 0044", "0044 20 7946 0958 is the desk", "[PHONE] is the desk"},
		{"phone +44 (0)", "+44 (0)20 7946 0958", "[PHONE]"},
		{"phone dots", "07700.900.123", "[PHONE]"},
		{"phone dashes", "07911-123-456", "[PHONE]"},
		{"phone compact valid mobile", "07911123456", "[PHONE]"},
		{"phone compact intl", "+447911123456", "[PHONE]"},
		{"phone manchester", "0161 496 0000", "[PHONE]"},
		{"phone freephone", "0800 123 4567", "[PHONE]"},
		{"phone france", "+33 1 23 45 67 89", "[PHONE]"},
		{"phone germany", "+49 30 1234567", "[PHONE]"},
		{"phone trailing count", "call 07700 900123 2 times", "call [PHONE] 2 times"},
		{"phone tel prefix", "tel:07700900123", "tel:[PHONE]"},
		{"phone after cue compact drama", "call me on 07700900123", "call me on [PHONE]"},
		{"phone cue does not cross sentences", "Still no confirmation. My number is (0121) 416 8785.", "Still no confirmation. My number is [PHONE]."},
		{"phone after account sentence", "the address on the account. Is 07925-496-844 the number?", "the address on the account. Is [PHONE] the number?"},
		{"phone before a sentence with digits", "My number is 07930 751 375. 196.214.254.156 is blocked.", "My number is [PHONE]. [IP] is blocked."},
		{"phone then ssn", "Phone: +49 (0)30 36265111 110 32 4105 is the SSN", "Phone: [PHONE] [SSN] is the SSN"},
		{"ssn then phone", "Social security: 350 03 9834 07507 549826 is my mobile", "Social security: [SSN] [PHONE] is my mobile"},
		{"card then ip", "Card: 2335 4438 3585 7172 34.65.109.136 keeps", "Card: [CARD] [IP] keeps"},
		{"time then idd phone", "printed at 02.19. 001 206 266 8505 is my mobile", "printed at 02.19. [PHONE] is my mobile"},
		{"voucher then phone", "voucher ZZAK-0469. (020) 7544 9318 is my mobile", "voucher ZZAK-0469. [PHONE] is my mobile"},
		{"phone then date", "Phone: 0049 30 02413619 13/11/1960 is", "Phone: [PHONE] [DOB] is"},
		{"phone then written date", "My number is 0049 30 68168765. 23 Jan 1966 is", "My number is [PHONE]. [DOB] is"},
		{"phone then day-first date", "Phone: +353 1 631 3249 8 December 1970 is", "Phone: [PHONE] [DOB] is"},
		{"card then ssn", "Card: 2478 0108 2287 8763 375 60 7546 is the SSN", "Card: [CARD] [SSN] is the SSN"},
		{"card 19 digits", "4000 0000 0000 0000 006 then", "[CARD] then"},
		{"phone then phone", "Phone: (+49 30 59482159) 07467 976 140 is", "Phone: ([PHONE]) [PHONE] is"},
		{"phone then idd phone", "Phone: +49 30 15347843 001 617 244 5479 is", "Phone: [PHONE] [PHONE] is"},
		{"idd phone then ssn", "Phone: 0049 30 00849649 871 50 1728 is", "Phone: [PHONE] [SSN] is"},
		{"bracketed ssn then card", "SSN: (009174799) 4381 5709 5578 8693 was", "SSN: ([SSN]) [CARD] was"},
		{"bracketed ssn then date", "SSN: (050602756) 16 May 1944 is", "SSN: ([SSN]) [DOB] is"},
		{"card then idd phone", "Card: 5438 6292 0416 4310 001 312 950 7015 is", "Card: [CARD] [PHONE] is"},
		{"ssn in brackets after cue", "SSN: (004786962)", "SSN: ([SSN])"},
		{"phone in brackets", "(07700 900123)", "([PHONE])"},
		{"phone bracketed country code", "(+44) 7700 900123", "[PHONE]"},
		// card
		{"card visa spaces", "card 4111 1111 1111 1111 please", "card [CARD] please"},
		{"card mastercard dashes", "5555-5555-5555-4444", "[CARD]"},
		{"card compact", "4012888888881881", "[CARD]"},
		{"card amex 4-6-5", "3782 822463 10005", "[CARD]"},
		{"card amex compact", "378282246310005", "[CARD]"},
		{"card discover", "6011 1111 1111 1117.", "[CARD]."},
		{"card 2-series", "2223 0031 2200 3222", "[CARD]"},
		{"card then phone", "4111 1111 1111 1111 07700 900123", "[CARD] [PHONE]"},
		// IBAN
		{"iban gb spaced", "IBAN GB82 WEST 1234 5698 7654 32 thanks", "IBAN [IBAN] thanks"},
		{"iban gb compact", "GB82WEST12345698765432", "[IBAN]"},
		{"iban de", "DE89 3704 0044 0532 0130 00", "[IBAN]"},
		{"iban lower", "gb82west12345698765432", "[IBAN]"},
		{"iban fr", "FR14 2004 1010 0505 0001 3M02 606", "[IBAN]"},
		{"iban nl", "(NL91ABNA0417164300)", "([IBAN])"},
		// NINO
		{"nino compact", "NI number AB123456C.", "NI number [NINO]."},
		{"nino spaced", "AB 12 34 56 C", "[NINO]"},
		{"nino lower", "my ni is ab123456c", "my ni is [NINO]"},
		{"nino spaced digits block", "JG 123456 A", "[NINO]"},
		// SSN
		{"ssn dashes", "SSN 123-45-6789", "SSN [SSN]"},
		{"ssn spaces", "it's 078 05 1120,", "it's [SSN],"},
		{"ssn compact after cue", "my social security number is 123456789", "my social security number is [SSN]"},
		{"ssn compact after ssn", "SSN: 123456789", "SSN: [SSN]"},
		// postcode
		{"postcode london", "SW1A 1AA", "[POSTCODE]"},
		{"postcode short", "M1 1AE, Manchester", "[POSTCODE], Manchester"},
		{"postcode no space", "M11AE", "[POSTCODE]"},
		{"postcode lower", "my postcode is ec1a 1bb", "my postcode is [POSTCODE]"},
		{"postcode AA99", "LS12 3AB", "[POSTCODE]"},
		{"postcode girobank", "GIR 0AA", "[POSTCODE]"},
		{"postcode A9A no space", "W1A0AX", "[POSTCODE]"},
		{"postcode london two digit", "N22 5AB and se28 8xy", "[POSTCODE] and [POSTCODE]"},
		// IP
		{"ipv4", "from 192.168.0.1.", "from [IP]."},
		{"ipv4 port", "10.0.0.254:8080", "[IP]:8080"},
		{"ipv6 compressed", "fe80::1ff:fe23:4567:890a", "[IP]"},
		{"ipv6 doc", "2001:db8::8a2e:370:7334", "[IP]"},
		{"ipv6 loopback", "addr ::1 here", "addr [IP] here"},
		{"ipv6 full", "2001:0db8:0000:0000:0000:ff00:0042:8329", "[IP]"},
		{"ipv6 mapped", "::ffff:192.0.2.128", "[IP]"},
		// DOB
		{"dob slash old", "12/03/1985", "[DOB]"},
		{"dob dash old", "12-03-1985", "[DOB]"},
		{"dob iso old", "1985-03-12", "[DOB]"},
		{"dob written", "12 March 1985", "[DOB]"},
		{"dob written ordinal of", "born on the 12th of March 1985", "born on the [DOB]"},
		{"dob month first", "March 12th, 1985", "[DOB]"},
		{"dob month first abbr", "Mar. 12, 1985", "[DOB]"},
		{"dob dotted two digit after cue", "DOB: 12.03.85", "DOB: [DOB]"},
		{"dob d.o.b cue", "D.O.B. 1/2/03", "D.O.B. [DOB]"},
		{"dob recent after cue", "my son was born on 02/01/2024", "my son was born on [DOB]"},
		{"dob date of birth", "date of birth is 3 Jan 2001", "date of birth is [DOB]"},
		{"dob dash month", "12-Mar-1985", "[DOB]"},
		{"dob us order", "03/25/1979", "[DOB]"},
		{"dob after name", "I'm Jane and 12/03/1985 is my birthday", "I'm Jane and [DOB] is my birthday"},
	}
	r := newTestRedactor()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, c := r.Redact(tt.in)
			if got != tt.want {
				t.Fatalf("Redact(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if c.Total() != strings.Count(tt.want, "[") {
				t.Errorf("counts %v total %d, want %d", c, c.Total(), strings.Count(tt.want, "["))
			}
		})
	}
}

// TestRedactLeaves lists look-alikes that must survive untouched.
func TestRedactLeaves(t *testing.T) {
	tests := []struct{ name, in string }{
		{"order number", "order 123456789 is late"},
		{"order number phone-like", "order number 01614960000"},
		{"order number card-like", "order 4111111111111111"},
		{"sku luhn", "SKU 4006381333931"},
		{"price", "it was £54.99, then $1,299.00 and €15"},
		{"time", "at 14:30 or 9:05am or 10:30:45"},
		{"quantity", "3 x 500ml and 2 items, 12 boxes"},
		{"recent date", "my box was due on 12/10/2026"},
		{"recent iso date", "delivered 2025-11-03"},
		{"recent written date", "on 14 October 2025 it broke"},
		{"old date with context", "customer since 03/04/2009, first delivered on 5 May 2010, card expired 01/02/2012"},
		{"two digit year no cue", "sent 12.03.25"},
		{"percent", "15% off, 12.5% VAT"},
		{"version", "version 2.14.3 and iOS 17.4.1"},
		{"version quad", "version 1.2.3.4 and build 10.0.0.1"},
		{"windows build", "10.0.19045.2965"},
		{"plan", "the 4x2 plan and 2x1 deal"},
		{"tracking", "JD014600006281234567 and 1Z999AA10123456784 and AB123456789GB"},
		{"amazon order", "123-4567890-1234567"},
		{"flight", "flight BA2490 seat 12A gate B22"},
		{"aircraft registrations", "Flight 1815 (N747UW) and N598JB, W15 2AB"},
		{"usps tracking", "9400 1000 0000 0000 0000 00"},
		{"national no prefix gb", "20 7946 0958"},
		{"short numbers", "PIN 1234, room 101, ext 4421"},
		{"short after idd", "(004786962) and 004786962"},
		{"invalid nino prefix", "QQ123456C and DF123456A"},
		{"invalid ssn", "000-12-3456 666-45-6789 912-34-5678 123-00-4567 123-45-0000"},
		{"ssn compact no cue", "ref 123456789"},
		{"bad iban", "GB82 WEST 1234 5698 7654 33"},
		{"bad luhn", "4111 1111 1111 1112"},
		{"not a postcode area", "QX1 1AA and PS5 2TB"},
		{"inward bad letters", "SW1A 1AC"},
		{"twitter handle", "@united thanks"},
		{"at sign", "meet @ 10 or me@home"},
		{"cpp scope", "std::vector and a::b and x::1"},
		{"mac address", "00:1A:2B:3C:4D:5E"},
		{"placeholders", "[EMAIL] [PHONE] [CARD] [IBAN] [NINO] [SSN] [POSTCODE] [IP] [DOB] [REDACTED]"},
		{"placeholders tight", "[EMAIL][PHONE]:[IP]-[DOB]/[NINO]"},
		{"ip octet too big", "300.1.2.3"},
		{"ip five parts", "1.2.3.4.5"},
		{"words", "May I ask about the March sale? Dec, Jun and Sept are fine."},
		{"month without year", "born on 12 March"},
		{"card embedded", "x4111111111111111 and 4111111111111111x"},
		{"long digits", "12345678901234567890123"},
		{"empty", ""},
	}
	r := newTestRedactor()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, c := r.Redact(tt.in)
			if got != tt.in || c.Total() != 0 {
				t.Fatalf("Redact(%q) = %q, %v; want it unchanged", tt.in, got, c)
			}
		})
	}
}

func TestRegions(t *testing.T) {
	tests := []struct {
		name, region, in, want string
	}{
		{"us national grouped", "US", "call 415-555-0132", "call [PHONE]"},
		{"us national parens", "US", "(415) 555-0132", "[PHONE]"},
		{"us national compact after cue", "US", "my cell is 4155550132", "my cell is [PHONE]"},
		{"us national compact no cue", "US", "order 4155550132", "order 4155550132"},
		{"us idd", "US", "011 44 20 7946 0958", "[PHONE]"},
		{"us gb national not recognised", "US", "0161 496 0000", "0161 496 0000"},
		{"gb national without trunk", "GB", "20 7946 0958", "20 7946 0958"},
		{"lower case region", "gb", "07700 900123", "[PHONE]"},
		{"unknown region falls back", "XX", "07700 900123", "[PHONE]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New(Options{DefaultRegion: tt.region, Now: fixedNow})
			if got, _ := r.Redact(tt.in); got != tt.want {
				t.Fatalf("region %s: Redact(%q) = %q, want %q", tt.region, tt.in, got, tt.want)
			}
		})
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		region string
		ok     bool
	}{{"", true}, {"GB", true}, {"us", true}, {"XX", false}, {"GBR", false}}
	for _, tt := range tests {
		err := Options{DefaultRegion: tt.region}.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("Validate(%q) = %v, want ok=%v", tt.region, err, tt.ok)
		}
	}
	if got := New(Options{DefaultRegion: "XX"}).Region(); got != DefaultRegion {
		t.Errorf("unknown region: Region() = %q, want %q", got, DefaultRegion)
	}
}

// TestDOBRule pins the date-of-birth rule to the injected clock: a date
// ten years old stays, eleven years old goes.
func TestDOBRule(t *testing.T) {
	tests := []struct {
		now  int
		in   string
		want string
	}{
		{2026, "on 01/06/2016", "on 01/06/2016"},
		{2026, "on 01/06/2015", "on [DOB]"},
		{2030, "on 01/06/2016", "on [DOB]"},
		{2026, "due 12/10/2026", "due 12/10/2026"},
		{2026, "born 12/10/2026", "born [DOB]"},
		{2026, "12 March 2020", "12 March 2020"},
		{2026, "12 March 2000", "[DOB]"},
	}
	for _, tt := range tests {
		now := time.Date(tt.now, 1, 1, 0, 0, 0, 0, time.UTC)
		r := New(Options{Now: func() time.Time { return now }})
		if got, _ := r.Redact(tt.in); got != tt.want {
			t.Errorf("now %d: Redact(%q) = %q, want %q", tt.now, tt.in, got, tt.want)
		}
	}
}

// TestRedactProperties checks the guarantees on a mixed corpus: idempotence,
// placeholders left alone, bytes outside the spans preserved, and no
// identifier surviving.
func TestRedactProperties(t *testing.T) {
	r := newTestRedactor()
	samples := Generate(7, 300, fixedNow())
	for _, s := range samples {
		out, c := r.Redact(s.Text)
		checkInvariants(t, r, s.Text)
		if again, c2 := r.Redact(out); again != out || c2.Total() != 0 {
			t.Fatalf("not idempotent:\n in  %q\n out %q\n again %q", s.Text, out, again)
		}
		if c.Total() < len(s.Planted) {
			t.Errorf("%d redactions for %d planted identifiers in %q -> %q", c.Total(), len(s.Planted), s.Text, out)
		}
		for _, p := range s.Planted {
			if strings.Contains(out, p.Value) {
				t.Errorf("%s %q survives in %q", p.Kind, p.Value, out)
			}
		}
	}
}

// checkInvariants verifies, for any input, that the spans are ordered,
// disjoint and in bounds, that the output is exactly the input with the
// spans replaced, and that redacting the output changes nothing.
func checkInvariants(t *testing.T, r *Redactor, in string) {
	t.Helper()
	spans, out := r.redact(in, nil, 0)
	prev := 0
	var b strings.Builder
	for _, s := range spans {
		if s.start < prev || s.end <= s.start || s.end > len(in) || s.kind >= NumKinds {
			t.Fatalf("bad span %+v after %d in %q", s, prev, in)
		}
		if strings.ContainsAny(in[s.start:s.end], "[]") {
			t.Fatalf("span %+v covers a bracket in %q", s, in)
		}
		b.WriteString(in[prev:s.start])
		b.WriteString(s.kind.Placeholder())
		prev = s.end
	}
	b.WriteString(in[prev:])
	if b.String() != out {
		t.Fatalf("output is not the input with spans replaced:\n in  %q\n out %q\n want %q", in, out, b.String())
	}
	got, c := r.Redact(in)
	if got != out || c.Total() != len(spans) {
		t.Fatalf("Redact disagrees with redact: %q vs %q", got, out)
	}
	if again, _ := r.Redact(out); again != out {
		t.Fatalf("not idempotent:\n in    %q\n out   %q\n again %q", in, out, again)
	}
}

// TestMapBack checks the bookkeeping of the rescan: spans found in the
// rendered text map back to the original, and applying them there gives
// the same text as applying them to the rendered one.
func TestMapBack(t *testing.T) {
	text := "xxAAAAyyBByyCCCzz"
	base := []span{{2, 6, Email}, {8, 10, IP}, {12, 15, DOB}}
	rendered := render(text, base) // "xx[EMAIL]yy[IP]yy[DOB]zz"
	tests := []struct {
		name  string
		extra []span
		want  []span
	}{
		{"before all", []span{{0, 2, SSN}}, []span{{0, 2, SSN}}},
		{"after the first", []span{{9, 10, SSN}}, []span{{6, 7, SSN}}},
		{"between the last two", []span{{15, 17, NINO}}, []span{{10, 12, NINO}}},
		{"at the end", []span{{22, 24, Card}}, []span{{15, 17, Card}}},
		{"several", []span{{0, 1, SSN}, {10, 11, SSN}, {23, 24, SSN}}, []span{{0, 1, SSN}, {7, 8, SSN}, {16, 17, SSN}}},
	}
	for _, tt := range tests {
		got := mapBack(tt.extra, base)
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: mapBack = %v, want %v", tt.name, got, tt.want)
			continue
		}
		if a, b := render(text, merge(base, got)), render(rendered, tt.extra); a != b {
			t.Errorf("%s: merged render %q, want %q", tt.name, a, b)
		}
	}
}

func TestRedactNoAllocWhenClean(t *testing.T) {
	r := newTestRedactor()
	text := readTestdata(t, "interaction_clean.txt")
	if out, c := r.Redact(text); out != text || c.Total() != 0 {
		t.Fatalf("clean fixture changed: %v\n%s", c, out)
	}
	if n := testing.AllocsPerRun(100, func() { r.Redact(text) }); n != 0 {
		t.Fatalf("Redact allocates %v times on clean text, want 0", n)
	}
}

func TestRedactFixture(t *testing.T) {
	r := newTestRedactor()
	out, c := r.Redact(readTestdata(t, "interaction_pii.txt"))
	want := Counts{Email: 1, Phone: 1, Card: 1, Postcode: 1, DOB: 1}
	if c != want {
		t.Fatalf("counts %v, want %v\n%s", c, want, out)
	}
	for _, leaked := range []string{"jane.doe84", "SW1A", "900123", "4111", "1988"} {
		if strings.Contains(out, leaked) {
			t.Errorf("%q survives:\n%s", leaked, out)
		}
	}
	for _, kept := range []string{"123456789", "£54.99", "12/10/2026", "14:30", "2.14.3", "JD014600006281234567"} {
		if !strings.Contains(out, kept) {
			t.Errorf("%q was redacted:\n%s", kept, out)
		}
	}
}

func TestRedactBusyFixture(t *testing.T) {
	r := newTestRedactor()
	out, c := r.Redact(readTestdata(t, "interaction_busy.txt"))
	for k := range NumKinds {
		if c[k] != 1 {
			t.Errorf("%s: %d redactions, want 1", k, c[k])
		}
	}
	if t.Failed() {
		t.Log(out)
	}
}

// TestRedactAsOf applies the date-of-birth rule as of the interaction's own
// time instead of the clock.
func TestRedactAsOf(t *testing.T) {
	r := newTestRedactor() // the clock says 2026
	in := "when will dates to fly go past August 7 2015?"
	if got, _ := r.Redact(in); got != "when will dates to fly go past [DOB]?" {
		t.Errorf("Redact(%q) = %q: an eleven-year-old date should go", in, got)
	}
	asOf := time.Date(2015, 2, 20, 0, 0, 0, 0, time.UTC)
	if got, c := r.RedactAsOf(in, asOf); got != in || c.Total() != 0 {
		t.Errorf("RedactAsOf(%q, 2015) = %q, want it unchanged", in, got)
	}
	if got, _ := r.RedactAsOf("born 7 Aug 2015", asOf); got != "born [DOB]" {
		t.Errorf("RedactAsOf with a cue = %q", got)
	}
}

func TestConcurrent(t *testing.T) {
	r := newTestRedactor()
	text := readTestdata(t, "interaction_pii.txt")
	want, _ := r.Redact(text)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				if got, _ := r.Redact(text); got != want {
					t.Error("concurrent Redact differs")
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestKindNames(t *testing.T) {
	seen := map[string]bool{}
	for k := range NumKinds {
		name, ph := k.String(), k.Placeholder()
		if seen[name] || seen[ph] || ph != "["+strings.ToUpper(name)+"]" {
			t.Errorf("kind %d: name %q placeholder %q", k, name, ph)
		}
		seen[name], seen[ph] = true, true
	}
	if NumKinds.String() != "kind(9)" || NumKinds.Placeholder() != "[REDACTED]" {
		t.Errorf("out-of-range kind: %q %q", NumKinds.String(), NumKinds.Placeholder())
	}
}

func TestCounts(t *testing.T) {
	var c Counts
	c.Add(Counts{Email: 2, DOB: 1})
	c.Add(Counts{Email: 1, IP: 4})
	if c[Email] != 3 || c[DOB] != 1 || c[IP] != 4 || c.Total() != 8 {
		t.Fatalf("counts %v total %d", c, c.Total())
	}
}

// TestPathologicalInputs guards against super-linear work: every matcher
// has a bounded reach, so 100 KB of adversarial text must take about as long
// as 100 KB of prose. The bound is loose (a shared CI machine is slow); a
// quadratic case takes seconds.
func TestPathologicalInputs(t *testing.T) {
	inputs := map[string]string{
		"digits and spaces":   strings.Repeat("1 ", 50000),
		"at signs":            strings.Repeat("a@", 50000),
		"phones":              strings.Repeat("07700 900123 ", 8000),
		"dotted digits":       strings.Repeat("1.", 50000),
		"colons":              strings.Repeat("::", 50000),
		"cues":                strings.Repeat("born ", 20000) + "12/03/85",
		"long local part":     strings.Repeat("a", 100000) + "@example.com",
		"long domain":         "x@" + strings.Repeat("a.", 50000) + "com",
		"zeros":               strings.Repeat("0", 100000),
		"card groups":         strings.Repeat("4111 ", 20000),
		"glued postcodes":     strings.Repeat("SW1A 1AA", 10000),
		"dates":               strings.Repeat("12/03/1985 ", 10000),
		"plus signs":          strings.Repeat("+4", 50000),
		"brackets":            strings.Repeat("(0", 50000),
		"dashes":              strings.Repeat("0-", 50000),
		"ipv6 chain":          strings.Repeat("fe80::1:", 10000),
		"emails":              strings.Repeat("john@example.com ", 6000),
		"placeholders glued":  strings.Repeat("[PHONE]1", 12000),
		"ibans":               strings.Repeat("GB82 WEST 1234 5698 7654 32 ", 3500),
		"invalid utf-8":       strings.Repeat("\xff\xfe07700\x80", 12000),
		"nested phone groups": strings.Repeat("+49 30 1234 ", 8000),
	}
	r := newTestRedactor()
	for name, in := range inputs {
		start := time.Now()
		out, _ := r.Redact(in)
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: %d bytes took %v", name, len(in), d)
		}
		if again, _ := r.Redact(out); again != out {
			t.Errorf("%s: not idempotent", name)
		}
	}
}
