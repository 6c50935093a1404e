package demo

import "strconv"

// Customer segments, with how they behave. Weekly rates are per active week.
type segmentSpec struct {
	name       string
	share      float64
	churn      float64 // baseline weekly cancellation probability
	skip       float64 // baseline weekly skip probability
	contact    float64 // multiplier on background contact rate
	plans      []int   // plan indexes to draw from
	planWeight weights
	premium    bool
	channels   [numChannels]float64 // voice, chat, email, social, messaging, sms, web
}

const (
	segFamily = iota
	segCouple
	segSingle
	segPremium
	segBudget
	numSegments
)

func segments() []segmentSpec {
	return []segmentSpec{
		{name: "family", share: 0.30, churn: 0.006, skip: 0.12, contact: 1.1,
			plans: []int{planFour2, planFour3, planFour4}, planWeight: newWeights(0.3, 0.45, 0.25),
			channels: [numChannels]float64{0.22, 0.34, 0.18, 0.06, 0.12, 0.03, 0.05}},
		{name: "couple", share: 0.28, churn: 0.008, skip: 0.15, contact: 1.0,
			plans: []int{planTwo3, planTwo4, planTwo5}, planWeight: newWeights(0.5, 0.35, 0.15),
			channels: [numChannels]float64{0.16, 0.36, 0.18, 0.08, 0.15, 0.02, 0.05}},
		{name: "single", share: 0.17, churn: 0.011, skip: 0.20, contact: 0.9,
			plans: []int{planTwo2, planTwo3}, planWeight: newWeights(0.5, 0.5),
			channels: [numChannels]float64{0.12, 0.36, 0.14, 0.12, 0.20, 0.02, 0.04}},
		{name: "premium", share: 0.12, churn: 0.004, skip: 0.08, contact: 1.2, premium: true,
			plans: []int{planTwo4, planTwo5, planFour3, planFour4}, planWeight: newWeights(0.3, 0.2, 0.25, 0.25),
			channels: [numChannels]float64{0.35, 0.25, 0.25, 0.03, 0.08, 0.01, 0.03}},
		{name: "budget", share: 0.13, churn: 0.015, skip: 0.22, contact: 0.9,
			plans: []int{planTwo2, planTwo3}, planWeight: newWeights(0.6, 0.4),
			channels: [numChannels]float64{0.08, 0.36, 0.12, 0.16, 0.22, 0.03, 0.03}},
	}
}

// Plans: people × recipes per week, with the weekly price in pence before the price rise.
type planSpec struct {
	name  string
	price int64
}

const (
	planTwo2 = iota
	planTwo3
	planTwo4
	planTwo5
	planFour2
	planFour3
	planFour4
	numPlans
)

func plans() []planSpec {
	return []planSpec{
		{"2x2", 2999}, {"2x3", 3999}, {"2x4", 4999}, {"2x5", 5799}, {"4x2", 4499}, {"4x3", 5999}, {"4x4", 7499},
	}
}

// premiumUplift is added to a premium customer's box (premium recipes): the top plan reaches £89.99.
const premiumUplift = 1500

// Regions and the postcode areas that belong to them. Parcelway serves the north, SwiftDrop the south.
type regionSpec struct {
	name    string
	share   float64
	areas   []string
	courier string
	north   bool // served by Parcelway's Warrington hub, which has the outage
}

func regions() []regionSpec {
	return []regionSpec{
		{"UK-London", 0.18, []string{"E", "N", "SE", "SW", "W", "NW", "EC"}, "SwiftDrop", false},
		{"UK-South East", 0.15, []string{"BN", "GU", "RH", "ME", "CT", "OX", "RG"}, "SwiftDrop", false},
		{"UK-South West", 0.08, []string{"BS", "EX", "PL", "BA", "TQ"}, "SwiftDrop", false},
		{"UK-East", 0.08, []string{"CB", "NR", "IP", "CO"}, "SwiftDrop", false},
		{"UK-Midlands", 0.13, []string{"B", "CV", "NG", "LE", "DE"}, "SwiftDrop", false},
		{"UK-North West", 0.11, []string{"M", "L", "WA", "PR", "BL"}, "Parcelway", true},
		{"UK-Yorkshire", 0.08, []string{"LS", "S", "BD", "HU", "YO"}, "Parcelway", true},
		{"UK-North East", 0.04, []string{"NE", "SR", "DH"}, "Parcelway", true},
		{"UK-Scotland", 0.08, []string{"G", "EH", "AB", "DD"}, "Parcelway", true},
		{"UK-Wales", 0.05, []string{"CF", "SA", "LL"}, "SwiftDrop", false},
		{"UK-Northern Ireland", 0.02, []string{"BT"}, "Parcelway", true},
	}
}

// Channels, in the order of the arrays above.
const (
	chVoice = iota
	chChat
	chEmail
	chSocial
	chMessaging
	chSMS
	chWeb
	numChannels
)

func channelNames() []string {
	return []string{"voice", "chat", "email", "social", "messaging", "sms", "web"}
}

// botFirst reports whether Hearthbot answers a channel before any human.
func botFirst(ch int) bool { return ch == chChat || ch == chMessaging || ch == chWeb }

// channelSource is the system each channel's records are exported from.
func channelSource(ch int, bot bool) string {
	switch {
	case ch == chVoice:
		return "talkdesk"
	case bot:
		return "intercom"
	default:
		return "zendesk"
	}
}

// postcode appends a syntactically valid UK postcode in one of the region's areas ("M14 5RT").
func appendPostcode(b []byte, g *rng, area string) []byte {
	const inward = "ABDEFGHJLNPQRSTUWXYZ"
	b = append(b, area...)
	b = strconv.AppendInt(b, int64(1+g.intn(20)), 10)
	b = append(b, ' ', byte('0'+g.intn(10)), inward[g.intn(len(inward))], inward[g.intn(len(inward))])
	return b
}

// mobilePrefixes are the 077xx blocks libphonenumber accepts as GB mobiles (07700 itself is not valid:
// Ofcom's drama range 07700 900xxx fails validation, so the world uses 07701–07799, all fictional here).
const (
	mobilePrefixFirst = 1  // 07701
	mobilePrefixCount = 99 // … 07799
)

// phoneDigits returns the 10 national significant digits of customer i's mobile, unique per index for
// i < 99,000,000: j = (i·48271 + offset) mod 99,000,000 is a bijection (48271 is prime and shares no
// factor with 99,000,000), and j picks the prefix block and the six subscriber digits.
func phoneDigits(seed int64, i int) [10]byte {
	const space = mobilePrefixCount * 1_000_000
	j := (uint64(i)*48271 + mix64(uint64(seed))%space) % space
	prefix := mobilePrefixFirst + int(j/1_000_000)
	sub := j % 1_000_000
	var d [10]byte
	d[0], d[1], d[2], d[3] = '7', '7', byte('0'+prefix/10), byte('0'+prefix%10)
	for j := 9; j >= 4; j-- {
		d[j] = byte('0' + sub%10)
		sub /= 10
	}
	return d
}

// Phone formats the world mixes, to exercise normalisation.
const (
	phoneNational   = iota // 07712 345678
	phoneIntlSpaced        // +44 7712 345678
	phoneE164              // +447712345678
	phoneCompact           // 07712345678
	phoneTrunkParen        // +44 (0)7712 345678
	phoneDoubleZero        // 0044 7712 345678
	numPhoneFormats
)

func appendPhone(b []byte, d [10]byte, format int) []byte {
	switch format {
	case phoneNational:
		b = append(b, '0')
		b = append(b, d[:4]...)
		b = append(b, ' ')
		return append(b, d[4:]...)
	case phoneIntlSpaced:
		b = append(b, "+44 "...)
		b = append(b, d[:4]...)
		b = append(b, ' ')
		return append(b, d[4:]...)
	case phoneE164:
		b = append(b, "+44"...)
		return append(b, d[:]...)
	case phoneCompact:
		b = append(b, '0')
		return append(b, d[:]...)
	case phoneTrunkParen:
		b = append(b, "+44 (0)"...)
		b = append(b, d[:4]...)
		b = append(b, ' ')
		return append(b, d[4:]...)
	default:
		b = append(b, "0044 "...)
		b = append(b, d[:4]...)
		b = append(b, ' ')
		return append(b, d[4:]...)
	}
}

// emailDomains are reserved example domains (RFC 2606 and the .co.uk equivalent used in fiction).
func emailDomains() []string {
	return []string{"example.com", "example.co.uk", "example.org", "example.net"}
}

// appendEmail writes a plausible, unique address for customer i: the index keeps it unique.
func appendEmail(b []byte, g *rng, first, last string, i int, domains []string) []byte {
	f := lowerLetters(first)
	l := lowerLetters(last)
	n := strconv.Itoa(i)
	switch g.intn(5) {
	case 0:
		b = append(b, f...)
		b = append(b, '.')
		b = append(b, l...)
		b = append(b, n...)
	case 1:
		b = append(b, f[0])
		b = append(b, l...)
		b = append(b, n...)
	case 2:
		b = append(b, l...)
		b = append(b, '.')
		b = append(b, f...)
		b = append(b, '.')
		b = append(b, n...)
	case 3:
		b = append(b, f...)
		b = append(b, '_')
		b = append(b, l[0])
		b = append(b, n...)
	default:
		b = append(b, f...)
		b = append(b, l...)
		b = append(b, '+')
		b = append(b, "hh"...)
		b = append(b, n...)
	}
	b = append(b, '@')
	return append(b, domains[g.intn(len(domains))]...)
}

// appendHandle writes a social handle, unique by index.
func appendHandle(b []byte, g *rng, first, last string, i int) []byte {
	b = append(b, '@')
	f := lowerLetters(first)
	l := lowerLetters(last)
	switch g.intn(3) {
	case 0:
		b = append(b, f...)
		b = append(b, '_')
		b = append(b, l[0])
	case 1:
		b = append(b, f[0])
		b = append(b, l...)
	default:
		b = append(b, f...)
		b = append(b, "cooks"...)
	}
	return strconv.AppendInt(b, int64(i), 10)
}

// lowerLetters keeps ASCII letters of a name, lowercased ("O'Brien" → "obrien").
func lowerLetters(s string) string {
	var buf [32]byte
	b := buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z':
			b = append(b, c)
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		}
	}
	if len(b) == 0 {
		return "x"
	}
	return string(b)
}

// Email casings: how a person types their address into a form or an email client.
const (
	emailLower = iota
	emailTitle // Ana.Silva12@Example.com
	emailUpper
)

// appendEmailCased writes email (stored lower-case) in one of the casings.
func appendEmailCased(b []byte, email []byte, casing int) []byte {
	switch casing {
	case emailUpper:
		for _, c := range email {
			if c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			b = append(b, c)
		}
		return b
	case emailTitle:
		up := true
		for _, c := range email {
			if up && c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
			}
			up = c == '.' || c == '@' || c == '_'
			b = append(b, c)
		}
		return b
	}
	return append(b, email...)
}

// appendCardNumber writes a Luhn-valid 16-digit Visa-style number in the given grouping.
func appendCardNumber(b []byte, g *rng, grouping int) []byte {
	var d [16]byte
	d[0] = 4
	for i := 1; i < 15; i++ {
		d[i] = byte(g.intn(10))
	}
	sum := 0
	for i := 14; i >= 0; i-- { // the check digit sits at 15; double every second digit leftwards
		v := int(d[i])
		if (14-i)%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	d[15] = byte((10 - sum%10) % 10)
	for i, v := range d {
		if i > 0 && i%4 == 0 {
			switch grouping {
			case 1:
				b = append(b, ' ')
			case 2:
				b = append(b, '-')
			}
		}
		b = append(b, '0'+v)
	}
	return b
}

// luhnValid checks a digit string (separators ignored); tests use it.
func luhnValid(s string) bool {
	var digits []int
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits = append(digits, int(s[i]-'0'))
		}
	}
	if len(digits) < 12 {
		return false
	}
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		v := digits[i]
		if (len(digits)-1-i)%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}
