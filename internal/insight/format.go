package insight

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money formats an amount in minor units of currency for a sentence:
// "£41,000" for large amounts (rounded to three significant figures),
// "£4.92" for small ones.
func Money(minor float64, currency string) string {
	sym, suffix := currencySymbol(currency)
	v := minor / 100
	neg := v < 0
	v = math.Abs(v)
	var s string
	switch {
	case v >= 1000:
		s = group(roundSig(v, 3))
	case v >= 100:
		s = group(math.Round(v))
	default:
		s = strconv.FormatFloat(v, 'f', 2, 64)
	}
	if neg {
		return "−" + sym + s + suffix
	}
	return sym + s + suffix
}

func currencySymbol(c string) (prefix, suffix string) {
	switch strings.ToUpper(c) {
	case "GBP":
		return "£", ""
	case "USD":
		return "$", ""
	case "EUR":
		return "€", ""
	case "":
		return "", ""
	}
	return "", " " + strings.ToUpper(c)
}

// roundSig rounds v to n significant figures.
func roundSig(v float64, n int) float64 {
	if v == 0 {
		return 0
	}
	p := math.Pow(10, float64(n)-math.Ceil(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// group writes a whole number with thousands separators.
func group(v float64) string {
	s := strconv.FormatInt(int64(math.Round(v)), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Pct formats a proportion as a percentage: "23%", or "2.3%" below 10%.
func Pct(p float64) string {
	x := p * 100
	if math.Abs(x) < 10 && x != 0 {
		return strconv.FormatFloat(x, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(math.Round(x), 'f', 0, 64) + "%"
}

// pctEst is a proportion with its interval and n: "20% (17–24%, n=585)".
func pctEst(e Est) string {
	if e.Value == nil {
		return "no data"
	}
	if !e.hasInterval() {
		return fmt.Sprintf("%s (n=%s)", Pct(*e.Value), group(float64(e.N)))
	}
	return fmt.Sprintf("%s (%s–%s, n=%s)", Pct(*e.Value), strings.TrimSuffix(Pct(*e.Low), "%"), Pct(*e.High), group(float64(e.N)))
}

// Times formats a ratio: "2.3×".
func Times(r float64) string { return strconv.FormatFloat(r, 'f', 1, 64) + "×" }

// Count formats a whole number with separators.
func Count(n int64) string { return group(float64(n)) }

func strconvFloat(v float64, prec int) string { return strconv.FormatFloat(v, 'f', prec, 64) }
