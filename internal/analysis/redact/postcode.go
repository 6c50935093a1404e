package redact

// matchPostcode recognises a UK postcode at t[i], in any case, with or
// without the space: an outward code (a real postcode area, a district
// digit, then optionally a second digit or a letter allowed in that
// position) and an inward code (a digit and two letters other than C, I, K,
// M, O and V); or the special "GIR 0AA".
func matchPostcode(t string, i int) (int, bool) {
	if i+7 <= len(t) && eqFold(t[i:i+7], "gir 0aa") && boundaryAt(t, i+7) {
		return i + 7, true
	}
	la := 0
	for la < 2 && i+la < len(t) && isLetter(t[i+la]) {
		la++
	}
	if la == 0 || !postcodeArea(t[i:i+la]) {
		return 0, false
	}
	area := t[i : i+la]
	p := i + la
	if p >= len(t) || !isDigit(t[p]) {
		return 0, false
	}
	district := int(t[p] - '0')
	p++
	// The inward code always has three characters, so without a space the
	// optional third outward character is ambiguous: try it, then not.
	if p < len(t) {
		b := upper(t[p])
		third := isDigit(b) ||
			(la == 1 && isLetter(b) && isAny(b, "ABCDEFGHJKPSTUW")) ||
			(la == 2 && isLetter(b) && isAny(b, "ABEHMNPRVWXY"))
		d := district
		if isDigit(b) {
			d = d*10 + int(b-'0')
		}
		if third && londonDistrict(area, d) {
			if e, ok := inward(t, p+1); ok {
				return e, true
			}
		}
	}
	if !londonDistrict(area, district) {
		return 0, false
	}
	return inward(t, p)
}

// londonDistrict checks the district number of the London postcode areas,
// whose ranges are small and well known (N1–N22, W1–W14…), so that
// look-alikes such as the aircraft registration "N747UW" are not read as
// "N74 7UW". Other areas accept any district.
func londonDistrict(area string, d int) bool {
	var b [2]byte
	for k := 0; k < len(area); k++ {
		b[k] = upper(area[k])
	}
	switch string(b[:len(area)]) {
	case "E":
		return (d >= 1 && d <= 20) || d == 98
	case "N":
		return (d >= 1 && d <= 22) || d == 81
	case "W":
		return d >= 1 && d <= 14
	case "SE":
		return d >= 1 && d <= 28
	case "SW":
		return d >= 1 && d <= 20
	case "NW":
		return (d >= 1 && d <= 11) || d == 26
	case "EC":
		return (d >= 1 && d <= 4) || d == 50
	case "WC":
		return (d >= 1 && d <= 2) || d == 99
	}
	return true
}

// inward reads an optional space and an inward code at t[p].
func inward(t string, p int) (int, bool) {
	if p < len(t) && t[p] == ' ' {
		p++
	}
	if p+3 > len(t) || !isDigit(t[p]) || !boundaryAt(t, p+3) {
		return 0, false
	}
	for _, b := range []byte{t[p+1], t[p+2]} {
		if !isLetter(b) || isAny(upper(b), "CIKMOV") {
			return 0, false
		}
	}
	return p + 3, true
}

func isAny(b byte, set string) bool {
	for k := 0; k < len(set); k++ {
		if set[k] == b {
			return true
		}
	}
	return false
}

// postcodeArea reports whether w (one or two letters, any case) is one of
// the 121 UK postcode areas (and BF, BX, the non-geographic ones).
func postcodeArea(w string) bool {
	var b [2]byte
	for k := 0; k < len(w); k++ {
		b[k] = upper(w[k])
	}
	switch string(b[:len(w)]) {
	case "B", "E", "G", "L", "M", "N", "S", "W",
		"AB", "AL", "BA", "BB", "BD", "BF", "BH", "BL", "BN", "BR", "BS", "BT", "BX",
		"CA", "CB", "CF", "CH", "CM", "CO", "CR", "CT", "CV", "CW",
		"DA", "DD", "DE", "DG", "DH", "DL", "DN", "DT", "DY",
		"EC", "EH", "EN", "EX", "FK", "FY", "GL", "GU", "GY",
		"HA", "HD", "HG", "HP", "HR", "HS", "HU", "HX",
		"IG", "IM", "IP", "IV", "JE", "KA", "KT", "KW", "KY",
		"LA", "LD", "LE", "LL", "LN", "LS", "LU",
		"ME", "MK", "ML", "NE", "NG", "NN", "NP", "NR", "NW",
		"OL", "OX", "PA", "PE", "PH", "PL", "PO", "PR",
		"RG", "RH", "RM", "SA", "SE", "SG", "SK", "SL", "SM", "SN", "SO", "SP", "SR", "SS", "ST", "SW", "SY",
		"TA", "TD", "TF", "TN", "TQ", "TR", "TS", "TW", "UB",
		"WA", "WC", "WD", "WF", "WN", "WR", "WS", "WV", "YO", "ZE":
		return true
	}
	return false
}
