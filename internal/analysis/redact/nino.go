package redact

// matchNINO recognises a UK National Insurance number at t[i]: a two-letter
// prefix allowed by HMRC's rules, six digits, and a suffix A–D, with
// optional single spaces after the prefix, between the digit pairs and
// before the suffix ("AB123456C", "AB 12 34 56 C"), in any case.
func matchNINO(t string, i int) (int, bool) {
	if i+9 > len(t) || !ninoPrefix(upper(t[i]), upper(t[i+1])) {
		return 0, false
	}
	p := i + 2
	for pair := 0; pair < 3; pair++ {
		if p < len(t) && t[p] == ' ' {
			p++
		}
		if p+2 > len(t) || !isDigit(t[p]) || !isDigit(t[p+1]) {
			return 0, false
		}
		p += 2
	}
	if p < len(t) && t[p] == ' ' {
		p++
	}
	if p >= len(t) || upper(t[p])-'A' > 3 || !boundaryAt(t, p+1) {
		return 0, false
	}
	return p + 1, true
}

// ninoPrefix applies HMRC's prefix rules: neither letter D, F, I, Q, U or V;
// the second not O; and not BG, GB, KN, NK, NT, TN or ZZ.
func ninoPrefix(a, b byte) bool {
	if !isLetter(a) || !isLetter(b) {
		return false
	}
	switch a {
	case 'D', 'F', 'I', 'Q', 'U', 'V':
		return false
	}
	switch b {
	case 'D', 'F', 'I', 'O', 'Q', 'U', 'V':
		return false
	}
	switch string([]byte{a, b}) {
	case "BG", "GB", "KN", "NK", "NT", "TN", "ZZ":
		return false
	}
	return true
}
