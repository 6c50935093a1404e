package qa

import (
	"bytes"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// litFilter is a cheap test run before a regular expression: every match
// of the expression contains one of lits (lower-case ASCII), so a turn that
// contains none cannot match. Running Go's regexp over every agent turn of
// every interaction costs more than all the phrase checks together; most
// turns fail this filter with a few substring searches.
type litFilter struct {
	lits [][]byte // nil: no filter, always run the expression
}

// minLit is the shortest literal worth filtering on: a one-letter literal
// is in nearly every turn.
const minLit = 3

// newLitFilter derives a filter from a pattern compiled with (?i).
func newLitFilter(pattern string) litFilter {
	re, err := syntax.Parse("(?i)"+pattern, syntax.Perl)
	if err != nil {
		return litFilter{}
	}
	lits, ok := required(re.Simplify())
	if !ok {
		return litFilter{}
	}
	f := litFilter{}
	for _, l := range lits {
		if len(l) < minLit {
			return litFilter{}
		}
		f.lits = append(f.lits, []byte(l))
	}
	return f
}

// required returns literals one of which every match of re contains, or
// false when it finds none. Literals are lower-cased; any non-ASCII
// literal gives up, because Unicode case folding (the Kelvin sign folds to
// k) would make a lower-cased ASCII comparison unsound.
func required(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		s := string(re.Rune)
		for i := 0; i < len(s); i++ {
			if s[i] >= utf8.RuneSelf {
				return nil, false
			}
		}
		return []string{asciiLower(s)}, true
	case syntax.OpCapture:
		return required(re.Sub[0])
	case syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		// Any child's requirement holds for the whole; take the one whose
		// shortest literal is longest, the most selective.
		var best []string
		bestLen := 0
		for _, sub := range re.Sub {
			lits, ok := required(sub)
			if !ok {
				continue
			}
			if m := shortest(lits); m > bestLen {
				best, bestLen = lits, m
			}
		}
		return best, best != nil
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			lits, ok := required(sub)
			if !ok {
				return nil, false
			}
			all = append(all, lits...)
		}
		return all, len(all) > 0
	}
	return nil, false
}

func shortest(lits []string) int {
	m := -1
	for _, l := range lits {
		if m < 0 || len(l) < m {
			m = len(l)
		}
	}
	return m
}

// mayMatch reports whether a turn can match, given its text lower-cased by
// appendLower; ok false means it could not be, and the turn always may.
func (f litFilter) mayMatch(lower []byte, ok bool) bool {
	if f.lits == nil || !ok {
		return true
	}
	for _, l := range f.lits {
		if bytes.Contains(lower, l) {
			return true
		}
	}
	return false
}

// appendLower appends text with ASCII letters lower-cased to dst. Other
// characters are copied: they cannot be part of an ASCII literal, except
// the two whose case folds to an ASCII letter (the Kelvin sign K and the
// long s ſ), and then ok is false (and dst unchanged): the caller must run
// the expression.
func appendLower(dst []byte, text string) (out []byte, ok bool) {
	n := len(dst)
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c == 0xE2 && strings.HasPrefix(text[i:], "\u212A"), c == 0xC5 && strings.HasPrefix(text[i:], "\u017F"):
			return dst[:n], false
		}
		dst = append(dst, c)
	}
	return dst, true
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
