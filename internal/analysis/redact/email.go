package redact

import "strings"

const (
	maxLocalPart = 64  // RFC 5321
	maxDomain    = 253 // RFC 1035
)

// nextEmail returns the first email address in s that starts at or after
// from, or -1, -1.
func nextEmail(s string, from int) (start, end int) {
	for from < len(s) {
		k := strings.IndexByte(s[from:], '@')
		if k < 0 {
			return -1, -1
		}
		at := from + k
		if st, en, ok := emailAround(s, from, at); ok {
			return st, en
		}
		from = at + 1
	}
	return -1, -1
}

// emailAround recognises an address around the '@' at s[at], its local part
// not reaching before lo. The local part is dot-atom-ish
// ([A-Za-z0-9._%+-], starting with a letter or digit); the domain is at
// least two labels of letters, digits and inner hyphens, the last all
// letters.
func emailAround(s string, lo, at int) (start, end int, ok bool) {
	st := at
	for st > lo && at-st <= maxLocalPart && isLocalChar(s[st-1]) {
		st--
	}
	if at-st > maxLocalPart {
		return 0, 0, false
	}
	for st < at && !isAlnum(s[st]) {
		st++
	}
	if st == at {
		return 0, 0, false
	}
	p := at + 1
	labels := 0
	tldOK := false
	for p-at <= maxDomain {
		ls := p
		letters := true
		for p < len(s) && (isAlnum(s[p]) || s[p] == '-') {
			if !isLetter(s[p]) {
				letters = false
			}
			p++
		}
		if p == ls || s[ls] == '-' || s[p-1] == '-' {
			return 0, 0, false
		}
		labels++
		tldOK = letters && p-ls >= 2
		if p+1 < len(s) && s[p] == '.' && isAlnum(s[p+1]) {
			p++
			continue
		}
		break
	}
	if labels < 2 || !tldOK || p-at > maxDomain || gluedToPlaceholder(s, p) {
		return 0, 0, false
	}
	return st, p, true
}

func isLocalChar(b byte) bool {
	return isAlnum(b) || b == '.' || b == '_' || b == '%' || b == '+' || b == '-'
}

// gluedToPlaceholder reports whether a domain ending at p runs on into a
// placeholder ("[", ".[" or "-["): in the first pass that was more domain,
// so it is not an end in the second either.
func gluedToPlaceholder(s string, p int) bool {
	if p < len(s) && (s[p] == '.' || s[p] == '-') {
		p++
	}
	return p < len(s) && s[p] == '['
}
