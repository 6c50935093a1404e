package sentiment

import (
	_ "embed"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// The VADER lexicons are embedded unmodified (see data/LICENSE-VADER); the
// customer-service layer is ours and is applied on top of them.
var (
	//go:embed data/vader_lexicon.txt
	vaderLexicon string
	//go:embed data/emoji_utf8_lexicon.txt
	emojiLexicon string
	//go:embed data/customer_service.txt
	csLexicon string
)

// Entry flags.
const (
	eWord     uint16 = 1 << iota // a complete entry (a word, or the last token of a phrase)
	ePrefix                      // a longer phrase starts with this token sequence
	eNegator                     // flips the valence of what follows in its clause
	eContrast                    // "but": the clause after it counts more
	ePolite                      // courtesy ("thanks", "please") that a complaint outweighs
	eNegSet                      // negVal is explicit: the valence when negated
	eEmoticon                    // matched on raw bytes, case-sensitive
	eQuestion                    // an interrogative that opens a complaint ("why", "how come")
	eIrrealis                    // praise after it is wished for, not given ("would be nice")
)

// entry is what the lexicon knows about a word or phrase. Valences are on
// VADER's −4…4 scale.
type entry struct {
	val    float32
	negVal float32
	boost  float32 // added to the magnitude of a valence within three words after it; < 0 dampens
	flags  uint16
}

// lexicon is immutable after newLexicon and shared by every Model.
type lexicon struct {
	m         map[uint64]entry
	emoStart  [256]bool // first bytes of emoticons, so most punctuation costs no lookup
	maxEmo    int
	maxPhrase int
	pool      sync.Pool // *scratch
}

func (lx *lexicon) get() *scratch {
	if s, ok := lx.pool.Get().(*scratch); ok {
		return s
	}
	return &scratch{
		low:   make([]byte, 0, 256),
		toks:  make([]token, 0, 64),
		units: make([]unit, 0, 64),
		feats: make([]uint32, 0, 512),
	}
}

func (lx *lexicon) put(s *scratch) {
	if cap(s.low) > 1<<16 || cap(s.toks) > 1<<12 || cap(s.feats) > 1<<16 {
		return // let an outsized message's buffers go rather than pin them
	}
	lx.pool.Put(s)
}

// newLexicon builds the lexicon from the embedded data files.
func newLexicon() (*lexicon, error) {
	return buildLexicon(vaderLexicon, emojiLexicon, csLexicon)
}

func buildLexicon(vader, emoji, cs string) (*lexicon, error) {
	lx := &lexicon{m: make(map[uint64]entry, 12000)}
	if err := lx.loadVADER(vader); err != nil {
		return nil, fmt.Errorf("vader_lexicon.txt:%w", err)
	}
	if err := lx.loadEmoji(emoji); err != nil {
		return nil, fmt.Errorf("emoji_utf8_lexicon.txt:%w", err)
	}
	if err := lx.loadCS(cs); err != nil {
		return nil, fmt.Errorf("customer_service.txt:%w", err)
	}
	return lx, nil
}

// loadVADER reads "token<TAB>mean<TAB>sd<TAB>ratings" lines. Tokens with
// punctuation are emoticons; the rest go through the tokenizer so that the
// keys match what scoring will look up ("can't stand" → cant, stand).
func (lx *lexicon) loadVADER(data string) error {
	for ln, line := range lines(data) {
		if line == "" {
			continue
		}
		f := strings.SplitN(line, "\t", 3)
		if len(f) < 2 {
			return fmt.Errorf("%d: want token<TAB>valence, got %q", ln, line)
		}
		v, err := strconv.ParseFloat(f[1], 32)
		if err != nil || math.IsNaN(v) || v < -4 || v > 4 {
			return fmt.Errorf("%d: valence %q is not a number in -4…4", ln, f[1])
		}
		if isNumber(f[0]) {
			continue // "1337" is leet; in service messages numbers are order and flight numbers
		}
		if isEmoticonText(f[0]) {
			lx.addEmoticon(f[0], float32(v))
			continue
		}
		if err := lx.set(f[0], func(e *entry) bool {
			if e.flags&eWord != 0 {
				return false // the file lists a few tokens twice; the first wins
			}
			e.val = float32(v)
			return true
		}); err != nil {
			return fmt.Errorf("%d: %w", ln, err)
		}
	}
	return nil
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isEmoticonText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlnum(c) && c != '\'' && c != '-' && c != ' ' {
			return true
		}
	}
	return false
}

func (lx *lexicon) addEmoticon(s string, v float32) {
	h := hashString(s)
	if e, ok := lx.m[h]; ok && e.flags&eWord != 0 {
		return
	}
	lx.m[h] = entry{val: v, flags: eWord | eEmoticon}
	// Emoticons that start with a letter or digit ("d:", "8-)") would need a
	// lookup at every word; they are rare in customer messages and skipped.
	if !isAlnum(s[0]) {
		lx.emoStart[s[0]] = true
		if s[0] == '<' {
			lx.emoStart['&'] = true // "&lt;3"
		}
	}
	lx.maxEmo = max(lx.maxEmo, len(s))
}

// loadEmoji reads "emoji<TAB>description" lines and scores each emoji by the
// VADER valences of its description ("angry face" → angry), as VADER does.
func (lx *lexicon) loadEmoji(data string) error {
	s := lx.get()
	defer lx.put(s)
	for ln, line := range lines(data) {
		if line == "" {
			continue
		}
		glyph, desc, ok := strings.Cut(line, "\t")
		if !ok {
			return fmt.Errorf("%d: want emoji<TAB>description, got %q", ln, line)
		}
		r, size := utf8.DecodeRuneInString(glyph)
		if !isEmoji(r) {
			continue // keycaps, letters and such carry no sentiment
		}
		key := hashString(glyph[:size])
		if _, ok := lx.m[key]; ok {
			continue // the base emoji is listed before its variants
		}
		lx.tokenize(desc, s)
		var v float32
		for _, t := range s.toks {
			if e, ok := lx.m[t.h]; ok && e.flags&eWord != 0 {
				v += e.val
			}
		}
		if v != 0 {
			lx.m[key] = entry{val: max(-3, min(3, v)), flags: eWord}
		}
	}
	return nil
}

// loadCS reads the customer-service layer: INI-like sections of
// "phrase = value" or bare "phrase" lines; '#' starts a comment.
func (lx *lexicon) loadCS(data string) error {
	section := ""
	for ln, line := range lines(data) {
		if i := strings.IndexByte(line, '#'); i >= 0 && section != "emoticons" {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			section = line[1 : len(line)-1]
			switch section {
			case "valence", "negated", "negators", "boosters", "contrast", "polite", "questions", "irrealis", "emoji", "emoticons":
			default:
				return fmt.Errorf("%d: unknown section [%s]", ln, section)
			}
			continue
		}
		if section == "" {
			return fmt.Errorf("%d: %q before any [section]", ln, line)
		}
		phrase, num, hasNum := strings.Cut(line, "=")
		phrase = strings.TrimSpace(phrase)
		var v float32
		if hasNum {
			f, err := strconv.ParseFloat(strings.TrimSpace(num), 32)
			if err != nil || math.IsNaN(f) || f < -4 || f > 4 {
				return fmt.Errorf("%d: value %q is not a number in -4…4", ln, strings.TrimSpace(num))
			}
			v = float32(f)
		}
		needNum := section == "valence" || section == "negated" || section == "boosters" || section == "emoji" || section == "emoticons"
		if needNum != hasNum {
			if needNum {
				return fmt.Errorf("%d: [%s] needs \"phrase = value\", got %q", ln, section, line)
			}
			return fmt.Errorf("%d: [%s] takes a bare phrase, got %q", ln, section, line)
		}
		var err error
		switch section {
		case "emoticons":
			delete(lx.m, hashString(phrase)) // replace VADER's value
			lx.addEmoticon(phrase, v)
		case "emoji":
			r, size := utf8.DecodeRuneInString(phrase)
			if !isEmoji(r) {
				return fmt.Errorf("%d: %q is not an emoji", ln, phrase)
			}
			k := hashString(phrase[:size])
			e := lx.m[k]
			e.val, e.flags = v, e.flags|eWord
			lx.m[k] = e
		default:
			err = lx.set(phrase, func(e *entry) bool {
				switch section {
				case "valence":
					e.val = v
				case "negated":
					e.negVal = v
					e.flags |= eNegSet
				case "negators":
					e.flags |= eNegator
				case "boosters":
					e.boost = v
				case "contrast":
					e.flags |= eContrast
				case "polite":
					e.flags |= ePolite
				case "questions":
					e.flags |= eQuestion
				case "irrealis":
					e.flags |= eIrrealis
				}
				return true
			})
		}
		if err != nil {
			return fmt.Errorf("%d: %w", ln, err)
		}
	}
	return nil
}

// set tokenizes phrase, marks the prefixes of a multi-word phrase and lets
// fn edit the entry of the whole phrase. fn returns false to leave it alone.
func (lx *lexicon) set(phrase string, fn func(*entry) bool) error {
	s := lx.get()
	defer lx.put(s)
	lx.tokenize(phrase, s)
	if len(s.toks) == 0 {
		return fmt.Errorf("%q has no words", phrase)
	}
	k := s.toks[0].h
	for i := 1; i < len(s.toks); i++ {
		e := lx.m[k]
		e.flags |= ePrefix
		lx.m[k] = e
		k = combine(k, s.toks[i].h)
	}
	lx.maxPhrase = max(lx.maxPhrase, len(s.toks))
	e := lx.m[k]
	if fn(&e) {
		e.flags |= eWord
		lx.m[k] = e
	}
	return nil
}

// lines iterates over the lines of data with 1-based numbers.
func lines(data string) func(func(int, string) bool) {
	return func(yield func(int, string) bool) {
		n := 0
		for len(data) > 0 {
			n++
			line, rest, _ := strings.Cut(data, "\n")
			data = rest
			if !yield(n, strings.TrimRight(line, "\r")) {
				return
			}
		}
	}
}
