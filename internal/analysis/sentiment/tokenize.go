package sentiment

import (
	"unicode"
	"unicode/utf8"
)

// Token flags.
const (
	tCaps     uint8 = 1 << iota // two or more letters, all upper case
	tElong                      // a letter was repeated three or more times ("soooo")
	tHashtag                    // the word followed '#'
	tEmoji                      // an emoji or emoticon (matched on its raw bytes)
	tNumber                     // digits only
	tNegator                    // set by match: the token opens a negator
	tQuestion                   // set by match on units: the unit's sentence ends with '?'
)

// Breaks, recorded on the token that follows them. Negation and boosters do
// not reach across a break; contrast ("but") works within a sentence.
const (
	brkNone     uint8 = iota
	brkClause         // , ; : ( ) quotes, dashes
	brkSentence       // . ! … and new lines
	brkQuestion       // ?
)

// FNV-1a, computed byte by byte while the lowercased token is written so that
// a lexicon lookup costs one map access on an integer key.
const (
	fnvOffset uint64 = 14695981039346656037
	fnvPrime  uint64 = 1099511628211
)

// numHash is the key of every number.
var numHash = hashString("<num>")

// maxElong is how many elongated runs per token are remembered for the
// second lookup that collapses them to one letter ("pleeease" → "please").
const maxElong = 2

type token struct {
	h      uint64
	off, n int32 // the lowercased form is scratch.low[off:off+n]
	flags  uint8
	brk    uint8
	// elong holds offsets (relative to off) of the second letter of each
	// elongated run; 0 means unused since a run cannot start at offset 0.
	elong [maxElong]int32
}

// scratch is the per-call working memory, pooled so that scoring a message
// allocates nothing once the pool is warm.
type scratch struct {
	low   []byte
	toks  []token
	units []unit
	feats []uint32
	excl  int  // '!' count
	quest int  // '?' count
	endQ  bool // the last sentence is a question
	words int  // word tokens
	caps  int  // word tokens flagged tCaps
}

func (s *scratch) reset() {
	s.low = s.low[:0]
	s.toks = s.toks[:0]
	s.units = s.units[:0]
	s.feats = s.feats[:0]
	s.excl, s.quest, s.words, s.caps = 0, 0, 0, 0
	s.endQ = false
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isLower(c byte) bool { return c >= 'a' && c <= 'z' }
func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

// camel reports whether an ASCII hashtag has a lower-to-upper case step.
func camel(tag string) bool {
	for i := 1; i < len(tag); i++ {
		if isLower(tag[i-1]) && isUpper(tag[i]) {
			return true
		}
	}
	return false
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// isEmoji reports whether r is a pictograph worth a lexicon lookup.
func isEmoji(r rune) bool {
	switch {
	case r >= 0x1F3FB && r <= 0x1F3FF: // skin-tone modifiers
		return false
	case r >= 0x1F1E6 && r <= 0x1F1FF: // regional indicators (flags)
		return false
	case r >= 0x1F000 && r <= 0x1FAFF:
		return true
	case r >= 0x2190 && r <= 0x2BFF: // arrows, technical, symbols, dingbats (✈ ❤ ☺ ✔ ⭐)
		return true
	}
	return false
}

// tokenize splits text into s.toks in one pass: words are lowercased with
// apostrophes dropped ("Don't" → "dont"), @handles, URLs and HTML entities
// are skipped, emoji and emoticons become tokens of their own, and
// punctuation becomes breaks. Invalid UTF-8 is treated as a separator.
func (lx *lexicon) tokenize(text string, s *scratch) {
	s.reset()
	pend := brkNone
	var tagged bool
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case isAlnum(c):
				if n := urlLen(text[i:]); n > 0 {
					i += n
					tagged = false
					continue
				}
				i = lx.word(text, i, s, pend, tagged)
				pend, tagged = brkNone, false
				continue
			case c == '\n':
				pend = brkSentence
				tagged = false
				i++
				continue
			case isSpace(c):
				tagged = false
				i++
				continue
			case c == '@':
				i = skipHandle(text, i+1)
				continue
			case c == '#':
				// A camel-case hashtag is a phrase: #NeverAgain, #PoorService.
				j := i + 1
				for j < len(text) && isAlnum(text[j]) {
					j++
				}
				if camel(text[i+1 : j]) {
					for k := i + 1; k < j; {
						e := k + 1
						for e < j && !(isLower(text[e-1]) && isUpper(text[e])) {
							e++
						}
						lx.word(text[:e], k, s, pend, true)
						pend = brkNone
						k = e
					}
					i = j
					continue
				}
				tagged = true
				i++
				continue
			}
			if lx.emoStart[c] || c == '&' {
				if n := lx.emoticon(text, i, s, pend); n > 0 {
					i += n
					pend, tagged = brkNone, false
					continue
				}
			}
			if c == '&' {
				if n, brk := entity(text[i:]); n > 0 {
					pend = max(pend, brk)
					i += n
					continue
				}
			}
			switch c {
			case '!':
				s.excl++
				pend = brkSentence
			case '?':
				s.quest++
				s.endQ = true
				pend = brkQuestion
			case '.':
				pend = brkSentence
			case ',', ';', ':', '(', ')', '"', '[', ']', '{', '}', '-', '/', '|', '*', '~', '<', '>', '=', '+':
				pend = max(pend, brkClause)
			}
			tagged = false
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			pend = max(pend, brkClause)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			i = lx.word(text, i, s, pend, tagged)
			pend, tagged = brkNone, false
			continue
		case isEmoji(r):
			s.addRaw(text[i:i+size], tEmoji, pend)
			pend = brkNone
		case r == '…':
			pend = brkSentence
		case r == '“' || r == '”' || r == '–' || r == '—' || r == '«' || r == '»':
			pend = max(pend, brkClause)
		}
		tagged = false
		i += size
	}
}

// word scans one word starting at text[i] and returns the index after it.
func (lx *lexicon) word(text string, i int, s *scratch, brk uint8, tagged bool) int {
	start := len(s.low)
	h := fnvOffset
	var letters, upper, digits, nel int
	var elong [maxElong]int32
	var prev rune
	run := 0
	for i < len(text) {
		c := text[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			if c == '\'' && len(s.low) > start && i+1 < len(text) && isAlnum(text[i+1]) {
				if n := cliticLen(text[i+1:]); n > 0 {
					i += 1 + n
					break
				}
				i++ // "don't" → "dont": the lexicon's contractions are written both ways
				continue
			}
			if c == '&' && len(s.low) > start && hasPrefix(text[i:], "&#39;") && i+5 < len(text) && isAlnum(text[i+5]) {
				i += 5
				continue
			}
			if !isAlnum(c) {
				break
			}
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(text[i:])
			if r == '’' && len(s.low) > start && i+size < len(text) && isAlnum(text[i+size]) {
				if n := cliticLen(text[i+size:]); n > 0 {
					i += size + n
					break
				}
				i += size
				continue
			}
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
		}
		i += size
		lr := r
		switch {
		case r >= 'A' && r <= 'Z':
			lr = r + ('a' - 'A')
			letters++
			upper++
		case r >= 'a' && r <= 'z':
			letters++
		case r >= '0' && r <= '9':
			digits++
		case unicode.IsUpper(r):
			lr = unicode.ToLower(r)
			letters++
			upper++
		default:
			letters++
		}
		if lr == prev && (lr < '0' || lr > '9') {
			run++
			if run >= 2 { // keep at most two of a repeated letter
				if run == 2 && nel < maxElong {
					elong[nel] = int32(len(s.low) - 1 - start)
					nel++
				}
				continue
			}
		} else {
			run = 0
		}
		prev = lr
		if lr < utf8.RuneSelf {
			s.low = append(s.low, byte(lr))
			h = (h ^ uint64(lr)) * fnvPrime
		} else {
			n := len(s.low)
			s.low = utf8.AppendRune(s.low, lr)
			for _, b := range s.low[n:] {
				h = (h ^ uint64(b)) * fnvPrime
			}
		}
	}
	var fl uint8
	if letters >= 2 && upper == letters {
		fl |= tCaps
		s.caps++
	}
	if nel > 0 {
		fl |= tElong
	}
	if tagged {
		fl |= tHashtag
	}
	if letters == 0 && digits > 0 {
		// All numbers share one key: "45 minutes" and "2 minutes" are the
		// same complaint, and order numbers carry no sentiment.
		fl |= tNumber
		h = numHash
	} else {
		s.words++
	}
	s.toks = append(s.toks, token{h: h, off: int32(start), n: int32(len(s.low) - start), flags: fl, brk: brk, elong: elong})
	s.endQ = false
	return i
}

// cliticLen returns the length of a clitic ('ll, 're, 've, 'd, 'm, 's) at
// the start of rest, given that an apostrophe precedes it, or 0. Clitics are
// dropped rather than glued on: "I'll" must not become "ill", nor "we'll"
// "well". "n't" is kept ("don't" → "dont") because it negates.
func cliticLen(rest string) int {
	n := 0
	for n < len(rest) && n < 3 && isAlnum(rest[n]) {
		n++
	}
	if n < len(rest) && isAlnum(rest[n]) {
		return 0
	}
	switch rest[:n] {
	case "ll", "re", "ve", "d", "m", "s", "LL", "RE", "VE", "D", "M", "S":
		return n
	}
	return 0
}

// addRaw appends a token matched on its raw bytes (emoji, emoticons).
func (s *scratch) addRaw(raw string, fl uint8, brk uint8) {
	start := len(s.low)
	s.low = append(s.low, raw...)
	s.toks = append(s.toks, token{h: hashString(raw), off: int32(start), n: int32(len(raw)), flags: fl, brk: brk})
}

// emoticon tries to match an emoticon at text[i] and returns the number of
// bytes consumed, 0 if none. Candidates are looked up longest first;
// &lt; and &gt; are decoded so that "&lt;3" is a heart.
func (lx *lexicon) emoticon(text string, i int, s *scratch, brk uint8) int {
	var buf [8]byte
	var ends [8]int // source offset after each candidate byte
	n := 0
	j := i
	for n < lx.maxEmo && n < len(buf) && j < len(text) {
		c := text[j]
		if c >= utf8.RuneSelf || isSpace(c) {
			break
		}
		switch {
		case c == '&' && hasPrefix(text[j:], "&lt;"):
			c, j = '<', j+4
		case c == '&' && hasPrefix(text[j:], "&gt;"):
			c, j = '>', j+4
		default:
			j++
		}
		buf[n], ends[n] = c, j
		n++
	}
	for l := n; l >= 2; l-- {
		if ends[l-1] < len(text) && isAlnum(text[ends[l-1]]) && isAlnum(buf[l-1]) {
			continue // ":Probably" is not ":P"
		}
		if e, ok := lx.m[hashBytes(buf[:l])]; ok && e.flags&eEmoticon != 0 {
			start := len(s.low)
			s.low = append(s.low, buf[:l]...)
			s.toks = append(s.toks, token{h: hashBytes(buf[:l]), off: int32(start), n: int32(l), flags: tEmoji, brk: brk})
			return ends[l-1] - i
		}
	}
	return 0
}

// entity skips an HTML entity (helpdesk and social exports keep them) and
// reports the break it stands for.
func entity(text string) (int, uint8) {
	for _, e := range [...]struct {
		s   string
		brk uint8
	}{{"&amp;", brkNone}, {"&quot;", brkClause}, {"&lt;", brkClause}, {"&gt;", brkClause}, {"&#39;", brkNone}, {"&nbsp;", brkNone}} {
		if hasPrefix(text, e.s) {
			return len(e.s), e.brk
		}
	}
	return 0, brkNone
}

// urlLen returns the length of a URL starting at text, 0 if there is none.
func urlLen(text string) int {
	if !hasPrefix(text, "http://") && !hasPrefix(text, "https://") && !hasPrefix(text, "www.") &&
		!hasPrefix(text, "HTTP://") && !hasPrefix(text, "HTTPS://") {
		return 0
	}
	n := 0
	for n < len(text) && !isSpace(text[n]) {
		n++
	}
	return n
}

// skipHandle skips the name of an @handle: it addresses someone and says
// nothing about how the writer feels.
func skipHandle(text string, i int) int {
	for i < len(text) && (isAlnum(text[i]) || text[i] == '_') {
		i++
	}
	return i
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

func hashString(s string) uint64 {
	h := fnvOffset
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

func hashBytes(b []byte) uint64 {
	h := fnvOffset
	for _, c := range b {
		h = (h ^ uint64(c)) * fnvPrime
	}
	return h
}

// collapsedHash is the hash of a token with each elongated run reduced to a
// single letter, for the second lookup of "pleeease".
func (s *scratch) collapsedHash(t *token) uint64 {
	h := fnvOffset
	b := s.low[t.off : t.off+t.n]
	for j := range b {
		skip := false
		for _, e := range t.elong {
			if e != 0 && int32(j) == e {
				skip = true
			}
		}
		if !skip {
			h = (h ^ uint64(b[j])) * fnvPrime
		}
	}
	return h
}

// combine extends a phrase key by one token hash. It is order-sensitive so
// "not bad" and "bad not" differ.
func combine(k, h uint64) uint64 {
	x := k*0x9E3779B97F4A7C15 ^ h
	x ^= x >> 33
	x *= 0xFF51AFD7ED558CCD
	x ^= x >> 33
	return x
}
