package redact

const (
	minYear   = 1900 // four-digit years outside [minYear, maxYear] are not dates
	maxYear   = 2099
	dobMinAge = 10 // years; older full dates are birth dates without a cue
)

// dateAt recognises a full date starting with a digit at t[i]:
// day-month-year or month-day-year with '/', '-' or '.' ("12/03/1985",
// "3-12-85"), year-month-day ("1985-03-12"), and a day before a month name
// ("12 March 1985", "12th of Mar. 1985", "12-Mar-1985"). two reports a
// two-digit year; year is then 2000+yy and only served the leap-year check,
// since a two-digit year never makes a date old enough on its own.
func dateAt(t string, i int) (end, year int, two, ok bool) {
	if end, year, two, ok = numericDate(t, i); ok {
		return end, year, two, true
	}
	end, year, ok = dayFirstDate(t, i)
	return end, year, false, ok
}

func isDateSep(b byte) bool { return b == '/' || b == '-' || b == '.' }

func numericDate(t string, i int) (end, year int, two, ok bool) {
	a, p, long := readDigits(t, i, 4)
	la := p - i
	if long || p+1 >= len(t) || !isDateSep(t[p]) || la == 3 {
		return 0, 0, false, false
	}
	sep := t[p]
	b, q, long := readDigits(t, p+1, 2)
	if long || q == p+1 || q >= len(t) || t[q] != sep {
		return 0, 0, false, false
	}
	c, e, long := readDigits(t, q+1, 4)
	lc := e - (q + 1)
	if long || !boundaryAt(t, e) || (e < len(t) && isDateSep(t[e]) && moreDigits(t, e+1)) {
		return 0, 0, false, false // part of a longer dotted or dashed number
	}
	switch {
	case la == 4 && (lc == 1 || lc == 2): // year-month-day
		if a < minYear || a > maxYear || !validDay(c, b, a) {
			return 0, 0, false, false
		}
		return e, a, false, true
	case la <= 2 && (lc == 4 || lc == 2):
		y := c
		if lc == 2 {
			y = 2000 + c // only for validDay's leap years; callers treat two-digit years apart
		} else if y < minYear || y > maxYear {
			return 0, 0, false, false
		}
		if !validDay(a, b, y) && !validDay(b, a, y) {
			return 0, 0, false, false
		}
		return e, y, lc == 2, true
	}
	return 0, 0, false, false
}

// dayFirstDate reads "12 March 1985", "12th March, 1985", "12th of March
// 1985", "12 Mar. 1985" and "12-Mar-1985".
func dayFirstDate(t string, i int) (end, year int, ok bool) {
	d, p, long := readDigits(t, i, 2)
	if long {
		return 0, 0, false
	}
	p = skipOrdinal(t, p)
	if p >= len(t) {
		return 0, 0, false
	}
	dash := t[p] == '-'
	if t[p] != ' ' && !dash {
		return 0, 0, false
	}
	p++
	if !dash && p+3 <= len(t) && eqFold(t[p:p+3], "of ") {
		p += 3
	}
	ms := p
	p = wordEnd(t, p)
	m := monthIndex(t[ms:p])
	if m == 0 {
		return 0, 0, false
	}
	if p < len(t) && t[p] == '.' {
		p++
	}
	switch {
	case dash && p < len(t) && t[p] == '-':
		p++
	case !dash && p+1 < len(t) && t[p] == ',' && t[p+1] == ' ':
		p += 2
	case !dash && p < len(t) && t[p] == ' ':
		p++
	default:
		return 0, 0, false
	}
	y, e, long := readDigits(t, p, 4)
	if long || e-p != 4 || y < minYear || y > maxYear || !boundaryAt(t, e) || !validDay(d, m, y) {
		return 0, 0, false
	}
	return e, y, true
}

// monthFirstDate reads "March 12, 1985", "March 12th, 1985", "Mar. 12 1985"
// at t[i], which starts a month name.
func monthFirstDate(t string, i int) (end, year int, ok bool) {
	p := wordEnd(t, i)
	m := monthIndex(t[i:p])
	if m == 0 {
		return 0, 0, false
	}
	if p < len(t) && t[p] == '.' {
		p++
	}
	if p >= len(t) || t[p] != ' ' {
		return 0, 0, false
	}
	d, q, long := readDigits(t, p+1, 2)
	if long || q == p+1 {
		return 0, 0, false
	}
	q = skipOrdinal(t, q)
	if q < len(t) && t[q] == ',' {
		q++
	}
	if q >= len(t) || t[q] != ' ' {
		return 0, 0, false
	}
	y, e, long := readDigits(t, q+1, 4)
	if long || e-(q+1) != 4 || y < minYear || y > maxYear || !boundaryAt(t, e) || !validDay(d, m, y) {
		return 0, 0, false
	}
	return e, y, true
}

// skipOrdinal skips "st", "nd", "rd" or "th" after a day number.
func skipOrdinal(t string, p int) int {
	if p+2 <= len(t) && boundaryAt(t, p+2) && in(t[p:p+2], "st", "nd", "rd", "th") {
		return p + 2
	}
	return p
}

// monthIndex returns 1–12 for an English month name or its usual
// abbreviation, in any case, else 0.
func monthIndex(w string) int {
	if len(w) < 3 || len(w) > 9 {
		return 0
	}
	switch lower(w[0]) {
	case 'j':
		switch {
		case in(w, "january", "jan"):
			return 1
		case in(w, "june", "jun"):
			return 6
		case in(w, "july", "jul"):
			return 7
		}
	case 'f':
		if in(w, "february", "feb") {
			return 2
		}
	case 'm':
		switch {
		case in(w, "march", "mar"):
			return 3
		case in(w, "may"):
			return 5
		}
	case 'a':
		switch {
		case in(w, "april", "apr"):
			return 4
		case in(w, "august", "aug"):
			return 8
		}
	case 's':
		if in(w, "september", "sep", "sept") {
			return 9
		}
	case 'o':
		if in(w, "october", "oct") {
			return 10
		}
	case 'n':
		if in(w, "november", "nov") {
			return 11
		}
	case 'd':
		if in(w, "december", "dec") {
			return 12
		}
	}
	return 0
}

// validDay reports whether day d exists in month m of year y.
func validDay(d, m, y int) bool {
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	switch m {
	case 4, 6, 9, 11:
		return d <= 30
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return d <= 29
		}
		return d <= 28
	}
	return d <= 31
}
