package redact

const (
	minCardDigits = 13
	maxCardDigits = 19
)

// matchCard recognises a payment card number at t[i]: 13–19 digits starting
// with 2–6 (the major networks' first digits), either contiguous or in
// groups separated by one space or one dash each (the same throughout),
// grouped as printed on cards (see cardGroups), and Luhn-valid.
// A contiguous run right after a reference word ("order", "sku", …) is
// taken as that reference.
func (r *Redactor) matchCard(t string, i int) (int, bool) {
	if t[i] < '2' || t[i] > '6' {
		return 0, false
	}
	var digits [maxCardDigits]byte
	var sizes, starts, ends [maxCardDigits]int
	nd, ng := 0, 0
	overflow := false
	var sep byte
	p := i
	for {
		gs := p
		for p < len(t) && isDigit(t[p]) {
			if nd == maxCardDigits {
				if ng == 0 {
					return 0, false // one run longer than any card
				}
				overflow = true
				break
			}
			digits[nd] = t[p]
			nd++
			p++
		}
		if overflow {
			break
		}
		sizes[ng], starts[ng], ends[ng] = p-gs, gs, p
		ng++
		if p+1 < len(t) && (t[p] == ' ' || t[p] == '-') && (sep == 0 || sep == t[p]) && isDigit(t[p+1]) {
			sep = t[p]
			p++
			continue
		}
		break
	}
	// Try the longest grouping that is a card; a shorter one is only taken
	// when a space (not the dash of one longer number) follows it.
	var counts [maxCardDigits]int
	for g, c := 0, 0; g < ng; g++ {
		c += sizes[g]
		counts[g] = c
	}
	accept := func(g int) bool {
		e, count := ends[g], counts[g]
		if count < minCardDigits || count > maxCardDigits || !numberEnd(t, e) ||
			!((g == ng-1 && !overflow) || sep == ' ') || !luhn(digits[:count]) {
			return false
		}
		if g == 0 {
			return !cueBefore(t, i, cueRef)
		}
		return cardGroups(sizes[:g+1])
	}
	for g := ng - 1; g >= 0; g-- {
		if !accept(g) {
			continue
		}
		// A 19-digit reading that swallows the start of an SSN, a date or a
		// phone number ("2478 0108 2287 8763 375 60 7546") gives way to a
		// shorter one.
		if g > 0 && sep == ' ' && r.tailLonger(t, starts[g], ends[g]) {
			for h := g - 1; h >= 0; h-- {
				if accept(h) {
					return ends[h], true
				}
			}
		}
		return ends[g], true
	}
	return 0, false
}

// startsLonger reports whether an SSN or a date starts at t[i] and runs
// past end.
func startsLonger(t string, i, end int) bool {
	if e, ok := matchSSN(t, i); ok && e > end {
		return true
	}
	e, _, _, ok := dateAt(t, i)
	return ok && e > end
}

// tailLonger is startsLonger for a card's last group, with phone numbers
// too (looked for without their own tail checks, which bounds the nesting).
func (r *Redactor) tailLonger(t string, i, end int) bool {
	if startsLonger(t, i, end) {
		return true
	}
	e, ok := r.phoneAt(t, i, false)
	return ok && e > end
}

// cardGroups reports whether group sizes follow a printed card layout:
// 4-4-4-1…4 (13–16 digits), 4-4-4-4-3 (19), Amex 4-6-5 and Diners 4-6-4.
// Seventeen and eighteen digits are left out: they are rare as cards and
// are what a card followed by an unrelated short number looks like.
func cardGroups(sizes []int) bool {
	if sizes[0] != 4 {
		return false
	}
	switch len(sizes) {
	case 3:
		return sizes[1] == 6 && (sizes[2] == 5 || sizes[2] == 4)
	case 4:
		return sizes[1] == 4 && sizes[2] == 4 && sizes[3] >= 1 && sizes[3] <= 4
	case 5:
		return sizes[1] == 4 && sizes[2] == 4 && sizes[3] == 4 && sizes[4] == 3
	}
	return false
}

// luhn reports whether the digits pass the Luhn (mod 10) check.
func luhn(digits []byte) bool {
	sum := 0
	double := false
	for k := len(digits) - 1; k >= 0; k-- {
		d := int(digits[k] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// matchSSN recognises a US Social Security number at t[i]: "123-45-6789"
// or "123 45 6789", or nine contiguous digits after an SSN cue; the area is
// not 000, 666 or 900–999, the group not 00 and the serial not 0000.
func matchSSN(t string, i int) (int, bool) {
	area, p, long := readDigits(t, i, 9)
	if long {
		return 0, false
	}
	var group, serial, e int
	switch p - i {
	case 9:
		if !boundaryAt(t, p) || !cueBefore(t, i, cueSSN) {
			return 0, false
		}
		area, group, serial, e = area/1000000, area/10000%100, area%10000, p
	case 3:
		if p+1 >= len(t) || (t[p] != '-' && t[p] != ' ') {
			return 0, false
		}
		sep := t[p]
		g, q, long := readDigits(t, p+1, 2)
		if long || q-(p+1) != 2 || q >= len(t) || t[q] != sep {
			return 0, false
		}
		s, r, long := readDigits(t, q+1, 4)
		if long || r-(q+1) != 4 || !boundaryAt(t, r) ||
			(sep == '-' && r < len(t) && t[r] == '-' && moreDigits(t, r+1)) {
			return 0, false // "123-45-6789-0" is a longer number
		}
		group, serial, e = g, s, r
	default:
		return 0, false
	}
	if area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 {
		return 0, false
	}
	return e, true
}
