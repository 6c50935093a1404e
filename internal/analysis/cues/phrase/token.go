package phrase

import (
	"unicode"
	"unicode/utf8"
)

// maxWord is the longest token, in bytes, that can match a lexicon word.
// Longer tokens are still counted as tokens but never looked up, which keeps
// the normalisation buffer on the stack.
const maxWord = 40

// Byte classes of ASCII characters, as digits in asciiClass.
const (
	clsSep   = '0' // separates tokens
	clsWord  = '1' // letter or digit
	clsBreak = '2' // separates tokens and ends a clause: . , ; : ! ? ( ) [ ] CR LF
	clsQuote = '3' // apostrophe: part of a word when between word characters
)

// asciiClass is the class of every byte below 0x80, indexed by the byte. A
// constant string keeps the table immutable.
const asciiClass = "" +
	"00000000002002000000000000000000" +
	"02000003220020201111111111220002" +
	"01111111111111111111111111120200" +
	"01111111111111111111111111100000"

// isBreakRune reports whether a non-ASCII separator rune ends a clause.
func isBreakRune(r rune) bool {
	switch r {
	case '…', '–', '—', '\u2028', '\u2029', '¿', '¡', '。', '！', '？':
		return true
	}
	return false
}

// isWordAt reports whether a word character starts at s[i].
func isWordAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	c := s[i]
	if c < utf8.RuneSelf {
		return asciiClass[c] == clsWord
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// nextToken finds the next token in s at or after i. It returns the token's
// byte span, whether a clause ended between i and the token, and ok=false when
// there is no further token. Spans always start and end on rune boundaries of
// valid UTF-8: invalid bytes are separators.
func nextToken(s string, i int) (start, end int, brk, ok bool) {
	// Skip separators.
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch asciiClass[c] {
			case clsWord:
				goto word
			case clsBreak:
				brk = true
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			goto word
		}
		if isBreakRune(r) {
			brk = true
		}
		i += w
	}
	return 0, 0, brk, false

word:
	start = i
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch asciiClass[c] {
			case clsWord:
				i++
				continue
			case clsQuote:
				if isWordAt(s, i+1) {
					i++
					continue
				}
			}
			break
		}
		r, w := utf8.DecodeRuneInString(s[i:])
		if r == '’' && isWordAt(s, i+w) {
			i += w
			continue
		}
		if r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			i += w
			continue
		}
		break
	}
	return start, i, brk, true
}

// normalise writes the lookup form of the token s[start:end] into buf: ASCII
// letters folded to lower case and ’ written as '. It returns false when the
// token does not fit, which means it cannot be a lexicon word.
func normalise(buf *[maxWord]byte, s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if n == maxWord {
			return 0, false
		}
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && s[i+2] == 0x99: // ’
			c = '\''
			i += 2
		}
		buf[n] = c
		n++
	}
	return n, true
}

// words splits s into normalised tokens; used when compiling, never on the
// hot path.
func words(s string) []string {
	var out []string
	var buf [maxWord]byte
	for i := 0; ; {
		start, end, _, ok := nextToken(s, i)
		if !ok {
			return out
		}
		i = end
		if n, fits := normalise(&buf, s[start:end]); fits {
			out = append(out, string(buf[:n]))
		} else {
			out = append(out, toLowerASCII(s[start:end]))
		}
	}
}

func toLowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
