package redact

import (
	"net/netip"
	"strings"
)

const maxIPv6Text = 45 // "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"

// matchIPv4 recognises a dotted quad at t[i] (each part at most three digits
// and 255), not followed by more dotted digits and not after a version cue
// ("version 1.2.3.4", "build 10.0.0.1").
func matchIPv4(t string, i int) (int, bool) {
	p := i
	for part := 0; part < 4; part++ {
		if part > 0 {
			if p >= len(t) || t[p] != '.' {
				return 0, false
			}
			p++
		}
		v, e, long := readDigits(t, p, 3)
		if long || e == p || v > 255 {
			return 0, false
		}
		p = e
	}
	if !boundaryAt(t, p) || (p < len(t) && t[p] == '.' && moreDigits(t, p+1)) {
		return 0, false
	}
	if cueBefore(t, i, cueVersion) {
		return 0, false
	}
	return p, true
}

// matchIPv6 recognises an IPv6 address at t[i], which starts a word or is
// "::". The text must contain "::" or seven colons and at least one decimal
// digit (so "a::b" in code and "10:30:00" stay), and net/netip must accept
// it. A trailing '.' or single ':' is punctuation, not part of the address.
func matchIPv6(t string, i int) (int, bool) {
	p := i
	for p < len(t) && p-i <= maxIPv6Text && (isHex(t[p]) || t[p] == ':' || t[p] == '.') {
		p++
	}
	e := p
	for e > i && t[e-1] == '.' {
		e--
	}
	if e-i >= 2 && t[e-1] == ':' && t[e-2] != ':' {
		e--
	}
	if e-i > maxIPv6Text || !boundaryAt(t, p) {
		return 0, false
	}
	a := t[i:e]
	colons := strings.Count(a, ":")
	if colons < 2 || (colons != 7 && !strings.Contains(a, "::")) || strings.IndexAny(a, "0123456789") < 0 {
		return 0, false
	}
	addr, err := netip.ParseAddr(a)
	if err != nil || !addr.Is6() {
		return 0, false
	}
	return e, true
}
