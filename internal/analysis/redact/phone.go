package redact

import "github.com/nyaruka/phonenumbers"

const (
	maxPhoneDigits = 17 // an international prefix ("00") and 15 E.164 digits
	minPhoneDigits = 7
	maxPhoneSep    = 3 // separator bytes between two digit groups, as in ") - "
	minIDDDigits   = 8 // digits after "00"/"011": country code and national number
	maxParenDigits = 5 // "(01632)", "(+353)": longer bracketed numbers are not area codes
	// minNationalFast is the national significant number length from which
	// a possible, grouped national number is taken without validation.
	minNationalFast = 9
)

// matchPhone recognises a phone number at t[i], which is '+', '(' or a digit
// starting a word.
//
// It reads the longest run of digit groups joined by short runs of
// separators (space, '.', '-', '(' and ')'), then tries the ends of that run
// from the longest down, so "07700 900123 2 times" still yields the number.
// An end inside the run is only taken when a space follows it, not a lone
// dash or dot that would make it part of one longer number.
//
// Parsing with phonenumbers.Parse costs 20–30 µs, more than the whole
// redaction budget for a KB of text, so the scanner extracts the digits
// itself and only asks the library the cheap questions (is this length
// possible for this country: about 0.2 µs) except on the rare paths where
// only full validation can tell a phone from another number (about 10 µs).
func (r *Redactor) matchPhone(t string, i int) (int, bool) { return r.phoneAt(t, i, true) }

// phoneAt is matchPhone; tails says whether to look for another identifier
// starting inside the number (see below), which the nested look does not.
func (r *Redactor) phoneAt(t string, i int, tails bool) (int, bool) {
	n := len(t)
	p := i
	paren := t[p] == '('
	if paren {
		p++
	}
	plus := false
	if p < n && t[p] == '+' {
		plus = true
		p++
	}
	if p >= n || !isDigit(t[p]) {
		return 0, false
	}
	var digits [maxPhoneDigits]byte
	var starts, ends, counts [maxPhoneDigits]int
	nd, ne := 0, 0
run:
	for {
		gs := p
		for p < n && isDigit(t[p]) {
			if nd == maxPhoneDigits {
				break run // too long: this group has no usable end
			}
			digits[nd] = t[p]
			nd++
			p++
		}
		starts[ne], ends[ne], counts[ne] = gs, p, nd
		ne++
		if paren && ne == 1 && (p >= n || t[p] != ')' || p-gs > maxParenDigits) {
			// "(07700 900123)", "(009174799)": the bracket is punctuation
			// around a number, not around an area or country code; the
			// number is matched from its first digit instead.
			return 0, false
		}
		q := sepRun(t, p)
		if q == p || q >= n || !isDigit(t[q]) {
			break
		}
		p = q
	}
	accept := func(k int) bool {
		if counts[k] < minPhoneDigits || !phoneEndOK(t, ends[k]) || (paren && k == 0) {
			// (paren && k == 0) is "(004786962)": the whole number in
			// brackets, not an area code.
			return false
		}
		return r.acceptPhone(t, i, digits[:counts[k]], plus, k > 0 || paren)
	}
	for k := ne - 1; k >= 0 && counts[k] >= minPhoneDigits; k-- {
		if !accept(k) {
			continue
		}
		// Where a later group, after a space, starts an SSN, a card, a
		// date or another phone number that runs past this end
		// ("+49 30 36265111 110 32 4105", "+353 1 631 3249 8 December
		// 1970", "+49 30 15347843 001 617 244 5479"), the number ends
		// before that group if it can.
		for g := 1; g <= k && tails; g++ {
			if t[starts[g]-1] != ' ' {
				continue
			}
			e, ok := r.matchCard(t, starts[g])
			if !ok {
				e, ok = r.phoneAt(t, starts[g], false)
			}
			if (ok && e > ends[k]) || startsLonger(t, starts[g], ends[k]) {
				for j := g - 1; j >= 0 && counts[j] >= minPhoneDigits; j-- {
					if accept(j) {
						return ends[j], true
					}
				}
				// No number ends before this group: it was not what it
				// looked like; look further on.
			}
		}
		return ends[k], true
	}
	return 0, false
}

func isPhoneSep(b byte) bool {
	return b == ' ' || b == '.' || b == '-' || b == '(' || b == ')'
}

// sepRun returns the end of the separators between two digit groups at
// t[p]: up to maxPhoneSep of space, '-', '(' and ')', or a lone '.'
// ("07700.900.123"); a full stop next to anything else ends a sentence.
func sepRun(t string, p int) int {
	if p < len(t) && t[p] == '.' {
		return p + 1
	}
	q := p
	for q < len(t) && q-p < maxPhoneSep && isPhoneSep(t[q]) && t[q] != '.' {
		q++
	}
	return q
}

// phoneEndOK reports whether a number may end at e: where a number may end
// (numberEnd), and if more digits follow after separators, only when the
// separators include a space ("900123 2 times"), not when a lone dash or
// dot joins them into one longer number.
func phoneEndOK(t string, e int) bool {
	if !numberEnd(t, e) {
		return false
	}
	q := sepRun(t, e)
	if !moreDigits(t, q) {
		return true
	}
	for k := e; k < q; k++ {
		if t[k] == ' ' {
			return true
		}
	}
	return false
}

// acceptPhone decides whether digits, read at t[i], are a phone number.
func (r *Redactor) acceptPhone(t string, i int, digits []byte, plus, grouped bool) bool {
	if plus {
		return possibleInternational(digits)
	}
	if cueBefore(t, i, cueRef) {
		return false // "order 0161 496 0000" is an order number
	}
	if hasPrefix(digits, r.idd) {
		// Without the '+' the prefix is a weaker sign: ask for a country
		// code and at least seven more digits.
		return len(digits)-len(r.idd) >= minIDDDigits && possibleInternational(digits[len(r.idd):])
	}
	if r.ndd != "" && hasPrefix(digits, r.ndd) {
		nsn := digits[len(r.ndd):]
		if !possible(r.cc, nsn) {
			return false
		}
		// A full-length number written the way people write phone
		// numbers is taken without the costly range check; that also
		// catches numbers outside the allocated ranges, like Ofcom's
		// drama numbers. Short or unformatted ones must be valid.
		if len(nsn) >= minNationalFast && (grouped || cueBefore(t, i, cuePhone)) {
			return true
		}
		return valid(r.cc, nsn)
	}
	if r.nddRequired || !(grouped || cueBefore(t, i, cuePhone)) {
		return false
	}
	return valid(r.cc, digits)
}

// possibleInternational reports whether digits (after '+' or the
// international prefix) start with a country calling code and continue with
// a national number of a possible length for that country. A national
// prefix written after the country code, as in "+44 (0)20…", is dropped.
func possibleInternational(digits []byte) bool {
	for l := 1; l <= 3 && l < len(digits); l++ {
		cc := atoi(digits[:l])
		region := phonenumbers.GetRegionCodeForCountryCode(cc)
		if region == "ZZ" {
			continue
		}
		// Country calling codes are prefix-free: the first match decides.
		nsn := digits[l:]
		if possible(cc, nsn) {
			return true
		}
		return len(nsn) > 1 && nsn[0] == '0' &&
			phonenumbers.GetNddPrefixForRegion(region, true) == "0" && possible(cc, nsn[1:])
	}
	return false
}

// possible asks the library whether nsn has a possible length for country
// calling code cc (IS_POSSIBLE only: a local-only length is not enough).
func possible(cc int, nsn []byte) bool {
	num, ok := phoneNumber(cc, nsn)
	return ok && phonenumbers.IsPossibleNumberWithReason(num) == phonenumbers.IS_POSSIBLE
}

// valid asks the library whether nsn matches a number range of country cc.
func valid(cc int, nsn []byte) bool {
	num, ok := phoneNumber(cc, nsn)
	return ok && phonenumbers.IsValidNumber(num)
}

func phoneNumber(cc int, nsn []byte) (*phonenumbers.PhoneNumber, bool) {
	if len(nsn) < 2 || len(nsn) > 17 {
		return nil, false
	}
	zeros := 0
	for zeros < len(nsn)-1 && nsn[zeros] == '0' {
		zeros++
	}
	c := int32(cc)
	nat := uint64(atoi(nsn))
	num := &phonenumbers.PhoneNumber{CountryCode: &c, NationalNumber: &nat}
	if zeros > 0 {
		lead := true
		z := int32(zeros)
		num.ItalianLeadingZero = &lead
		num.NumberOfLeadingZeros = &z
	}
	return num, true
}

func hasPrefix(digits []byte, prefix string) bool {
	if prefix == "" || len(digits) < len(prefix) {
		return false
	}
	return string(digits[:len(prefix)]) == prefix
}

// atoi converts a run of at most 18 ASCII digits.
func atoi(digits []byte) int {
	v := 0
	for _, d := range digits {
		v = v*10 + int(d-'0')
	}
	return v
}
