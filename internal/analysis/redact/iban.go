package redact

// matchIBAN recognises an IBAN at t[i]: a country code with a known IBAN
// length, two check digits, then the rest of that length, either contiguous
// or in groups of four separated by single spaces, in any case, passing the
// ISO 13616 mod-97 check.
func matchIBAN(t string, i int) (int, bool) {
	if i+4 > len(t) || !isLetter(t[i]) || !isLetter(t[i+1]) || !isDigit(t[i+2]) || !isDigit(t[i+3]) {
		return 0, false
	}
	n := ibanLength(upper(t[i]), upper(t[i+1]))
	if n == 0 {
		return 0, false
	}
	var buf [34]byte
	p, k := i, 0
	for k < n {
		if p >= len(t) {
			return 0, false
		}
		b := t[p]
		switch {
		case isAlnum(b):
			buf[k] = upper(b)
			k++
			p++
		case b == ' ' && k%4 == 0 && p+1 < len(t) && isAlnum(t[p+1]):
			p++
		default:
			return 0, false
		}
	}
	if !boundaryAt(t, p) {
		return 0, false
	}
	return p, mod97(buf[:n]) == 1
}

// mod97 computes the IBAN remainder: the first four characters moved to the
// end, letters read as 10–35.
func mod97(iban []byte) int {
	rem := 0
	add := func(b byte) {
		if isDigit(b) {
			rem = (rem*10 + int(b-'0')) % 97
		} else {
			rem = (rem*100 + int(b-'A') + 10) % 97
		}
	}
	for _, b := range iban[4:] {
		add(b)
	}
	for _, b := range iban[:4] {
		add(b)
	}
	return rem
}

// ibanLength returns the IBAN length of a country (SWIFT IBAN registry), or
// 0 when the country has no IBAN.
func ibanLength(a, b byte) int {
	switch string([]byte{a, b}) {
	case "NO":
		return 15
	case "BE":
		return 16
	case "DK", "FI", "FK", "FO", "GL", "NL", "SD":
		return 18
	case "MK", "SI":
		return 19
	case "AT", "BA", "EE", "KZ", "LT", "LU", "MN", "XK":
		return 20
	case "CH", "HR", "LI", "LV":
		return 21
	case "BG", "BH", "CR", "DE", "GB", "GE", "IE", "ME", "RS", "VA":
		return 22
	case "AE", "GI", "IL", "IQ", "OM", "SO", "TL":
		return 23
	case "AD", "CZ", "ES", "MD", "PK", "RO", "SA", "SE", "SK", "TN", "VG":
		return 24
	case "LY", "PT", "ST":
		return 25
	case "IS", "TR":
		return 26
	case "BI", "DJ", "FR", "GR", "IT", "MC", "MR", "SM":
		return 27
	case "AL", "AZ", "BY", "CY", "DO", "GT", "HU", "LB", "NI", "PL", "SV":
		return 28
	case "BR", "EG", "PS", "QA", "UA":
		return 29
	case "JO", "KW", "MU", "YE":
		return 30
	case "MT", "SC":
		return 31
	case "LC":
		return 32
	case "RU":
		return 33
	}
	return 0
}
