package redact

// scan makes one left-to-right pass over s and appends the identifiers it
// finds to dst, in order and without overlap.
//
// Candidates only start at word boundaries (the byte before is not an ASCII
// letter or digit) and must end at one, so an identifier is never cut out of
// the middle of a longer token such as a tracking code. Emails are located
// first by searching for '@' (which is fast); the other matchers then only
// see the text up to the next email, so they cannot overlap it. c supplies
// the current year for the date-of-birth rule.
func (r *Redactor) scan(s string, dst []span, c *clock) []span {
	emStart, emEnd := nextEmail(s, 0)
	i := 0
	for i < len(s) {
		if emStart >= 0 && i >= emStart {
			dst = append(dst, span{emStart, emEnd, Email})
			i = emEnd
			emStart, emEnd = nextEmail(s, i)
			continue
		}
		t := s
		if emStart >= 0 {
			t = s[:emStart]
		}
		for i < len(t) && byteClass[t[i]] == classOther {
			i++ // most bytes: spaces and punctuation
		}
		if i >= len(t) {
			continue // the end, or the email that t stops at
		}
		b := t[i]
		if i > 0 && t[i-1] == ']' && isAlnum(b) {
			// Glued to a placeholder, or in the first pass to the word it
			// replaced: not a word start either way (see boundaryAt).
			i = wordEnd(t, i)
			continue
		}
		switch {
		case isDigit(b):
			if i >= 2 && (t[i-1] == '.' || t[i-1] == '-' || t[i-1] == ':') && (isDigit(t[i-2]) || t[i-2] == ']') {
				// The tail of "10.0.19045.2965", "1.2.3.4.5" or
				// "123-4567890-1234567" is not a number of its own (nor is
				// it after a placeholder that replaced a number).
				i = wordEnd(t, i)
				continue
			}
			end, kind, hit := r.atDigit(t, i, c)
			if hit {
				dst = append(dst, span{i, end, kind})
			}
			i = end
		case isLetter(b):
			j := i + 1
			for j < len(t) && byteClass[t[j]] == classLetter {
				j++
			}
			if !letterCandidate(t, i, j) {
				i = wordEnd(t, j)
				continue
			}
			end, kind, hit := r.atLetter(t, i, c)
			if hit {
				dst = append(dst, span{i, end, kind})
			}
			i = end
		case b == '+' || b == '(':
			if end, ok := r.matchPhone(t, i); ok {
				dst = append(dst, span{i, end, Phone})
				i = end
			} else {
				i++
			}
		case b == ':' && i+1 < len(t) && t[i+1] == ':' && (i == 0 || !(isAlnum(t[i-1]) || t[i-1] == ']')):
			if end, ok := matchIPv6(t, i); ok {
				dst = append(dst, span{i, end, IP})
				i = end
			} else {
				i += 2
			}
		default:
			i++
		}
	}
	return dst
}

// atDigit tries the matchers that can start with a digit at t[i], which
// starts a word. It returns where scanning continues and, on a hit, the kind
// found at [i, end).
func (r *Redactor) atDigit(t string, i int, c *clock) (end int, kind Kind, hit bool) {
	w := wordEnd(t, i)
	if w < len(t) && t[w] == ':' && w-i <= 4 && isHexWord(t[i:w]) {
		if e, ok := matchIPv6(t, i); ok {
			return e, IP, true
		}
	}
	if e, year, two, ok := dateAt(t, i); ok {
		if r.isDOB(t, i, year, two, c) {
			return e, DOB, true
		}
		return e, 0, false // an ordinary date: consume it so it is not read as a phone
	}
	if w < len(t) && t[w] == '.' {
		if e, ok := matchIPv4(t, i); ok {
			return e, IP, true
		}
	}
	if e, ok := matchSSN(t, i); ok {
		return e, SSN, true
	}
	if e, ok := r.matchCard(t, i); ok {
		return e, Card, true
	}
	if e, ok := r.matchPhone(t, i); ok {
		return e, Phone, true
	}
	return w, 0, false
}

// atLetter tries the matchers that can start with a letter at t[i], which
// starts a word: IBAN, NINO and postcode (a one- or two-letter prefix before
// a digit), IPv6 (a hex word before ':') and written dates (a month name).
func (r *Redactor) atLetter(t string, i int, c *clock) (end int, kind Kind, hit bool) {
	j := i
	for j < len(t) && isLetter(t[j]) {
		j++
	}
	letters := j - i
	w := wordEnd(t, j)
	if w < len(t) && t[w] == ':' && w-i <= 4 && isHexWord(t[i:w]) {
		if e, ok := matchIPv6(t, i); ok {
			return e, IP, true
		}
	}
	if letters <= 2 && j < len(t) && isDigit(t[j]) {
		if letters == 2 {
			if e, ok := matchIBAN(t, i); ok {
				return e, IBAN, true
			}
			if e, ok := matchNINO(t, i); ok {
				return e, NINO, true
			}
		}
		if e, ok := matchPostcode(t, i); ok {
			return e, Postcode, true
		}
		return w, 0, false
	}
	if w != j {
		return w, 0, false // letters then digits, like "abc123": not ours
	}
	if letters == 2 && j+1 < len(t) && t[j] == ' ' && isDigit(t[j+1]) {
		if e, ok := matchNINO(t, i); ok {
			return e, NINO, true
		}
	}
	if letters == 3 && j+1 < len(t) && t[j] == ' ' && t[j+1] == '0' {
		if e, ok := matchPostcode(t, i); ok { // GIR 0AA
			return e, Postcode, true
		}
	}
	if letters >= 3 && letters <= 9 && monthIndex(t[i:j]) > 0 {
		if e, year, ok := monthFirstDate(t, i); ok {
			if r.isDOB(t, i, year, false, c) {
				return e, DOB, true
			}
			return e, 0, false
		}
	}
	return w, 0, false
}

// letterCandidate is the cheap pre-check for a word whose letters are
// t[i:j]: only letters followed by a digit or ':', two or three letters
// followed by a space and a digit ("AB 12 34 56 C", "GIR 0AA"), and a
// possible month name followed by a space or a dot can start an identifier.
// Ordinary words fail it on the byte after them.
func letterCandidate(t string, i, j int) bool {
	if j >= len(t) {
		return false
	}
	switch next := t[j]; {
	case isDigit(next) || next == ':':
		return true
	case next == ' ':
		n := j - i
		if (n == 2 || n == 3) && j+1 < len(t) && isDigit(t[j+1]) {
			return true
		}
		return n >= 3 && n <= 9 && monthStart(t[i], t[i+1])
	case next == '.':
		n := j - i
		return n >= 3 && n <= 4 && monthStart(t[i], t[i+1])
	}
	return false
}

// monthStart reports whether a word starting with a, b may be a month name.
func monthStart(a, b byte) bool {
	switch b = lower(b); lower(a) {
	case 'j':
		return b == 'a' || b == 'u'
	case 'f', 'd', 's':
		return b == 'e'
	case 'm':
		return b == 'a'
	case 'a':
		return b == 'p' || b == 'u'
	case 'o':
		return b == 'c'
	case 'n':
		return b == 'o'
	}
	return false
}

// isDOB applies the date-of-birth rule to a full date at t[i]: a cue
// before it, or a four-digit year more than dobMinAge years ago unless the
// words before say what else the date is ("customer since", "delivered
// on", "expired").
func (r *Redactor) isDOB(t string, i, year int, two bool, c *clock) bool {
	if dobCue(t, i) {
		return true
	}
	return !two && c.year()-year > dobMinAge && !cueBefore(t, i, cueNotDOB)
}

// clock reads the Redactor's clock at most once per Redact call, and only
// when a date is found; y is preset by RedactAsOf.
type clock struct {
	r *Redactor
	y int
}

func (c *clock) year() int {
	if c.y == 0 {
		c.y = c.r.now().Year()
	}
	return c.y
}

func isDigit(b byte) bool  { return b-'0' < 10 }
func isLetter(b byte) bool { return (b|0x20)-'a' < 26 }
func isAlnum(b byte) bool  { return isDigit(b) || isLetter(b) }
func isHex(b byte) bool    { return isDigit(b) || (b|0x20)-'a' < 6 }
func upper(b byte) byte {
	if b-'a' < 26 {
		return b - 0x20
	}
	return b
}
func lower(b byte) byte {
	if b-'A' < 26 {
		return b + 0x20
	}
	return b
}

// wordEnd returns the end of the run of ASCII letters and digits at t[i].
func wordEnd(t string, i int) int {
	for i < len(t) && byteClass[t[i]]-classDigit <= classLetter-classDigit {
		i++
	}
	return i
}

// Byte classes for the scanner's inner loops: a string constant is an
// immutable lookup table.
const (
	classOther  = 0 // skipped: spaces, punctuation, non-ASCII bytes
	classDigit  = 1
	classLetter = 2
	classMark   = 3 // '+', '(' and ':' may start a phone number or an IPv6 address
)

const byteClass = "" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x03\x00\x00\x00\x00\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x03\x00\x00\x00\x00\x00" +
	"\x00\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x00\x00\x00\x00\x00" +
	"\x00\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x02\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"

// boundaryAt reports whether position i of t ends a word. A '[' counts as
// part of the word: it is how a placeholder starts, and an identifier glued
// to the next one must be judged the same before and after that one is
// replaced, or Redact would find more in its own output.
func boundaryAt(t string, i int) bool { return i >= len(t) || !(isAlnum(t[i]) || t[i] == '[') }

// moreDigits reports whether t[i] continues a number: a digit, or the '['
// of a placeholder that replaced one (see boundaryAt).
func moreDigits(t string, i int) bool { return i < len(t) && (isDigit(t[i]) || t[i] == '[') }

// numberEnd reports whether a number may end at position e of t: at a word
// boundary and not where a '/', ':', '.' or '-' joins it to more digits
// ("13/11/1960", "34.65.109.136").
func numberEnd(t string, e int) bool {
	if !boundaryAt(t, e) {
		return false
	}
	if e < len(t) {
		switch t[e] {
		case '/', ':', '.', '-':
			return !moreDigits(t, e+1)
		}
	}
	return true
}

func isHexWord(w string) bool {
	for k := 0; k < len(w); k++ {
		if !isHex(w[k]) {
			return false
		}
	}
	return true
}

// eqFold reports whether w equals the lower-case ASCII word lit, ignoring
// case.
func eqFold(w, lit string) bool {
	if len(w) != len(lit) {
		return false
	}
	for k := 0; k < len(w); k++ {
		if lower(w[k]) != lit[k] {
			return false
		}
	}
	return true
}

// readDigits reads up to max digits at t[i] and returns their value and the
// end; long reports that more digits follow.
func readDigits(t string, i, max int) (v, end int, long bool) {
	end = i
	for end < len(t) && isDigit(t[end]) {
		if end-i == max {
			return v, end, true
		}
		v = v*10 + int(t[end]-'0')
		end++
	}
	return v, end, false
}
