package qa

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// maxWord is the longest word, in bytes once lower-cased, that a phrase may
// hold; longer words in a transcript can never match and are skipped.
const maxWord = 64

// phraseSet is every phrase of a scorecard compiled into one trie over word
// ids, so a turn is tokenised once and walked once whatever the number of
// phrase lists. Unlike a leftmost-longest matcher it reports every phrase
// that ends at every position: two criteria may list overlapping phrases
// ("thank you" and "thank you for calling") and each must see its own.
type phraseSet struct {
	vocab  map[string]int32 // lower-cased word → id ≥ 1; 0 is "not a phrase word"
	table  vocabTable       // vocab again, built by finish for fast lookups
	root   []int32          // by word id: the node after that first word, 0 if none
	edges  map[uint64]int32 // node<<32 | word id → next node
	out    [][]int32        // by node: the phrase ids that end there
	nodes  int32
	phrase []phraseInfo // by phrase id
	lists  [][]string   // by list id: the phrases as written, for notes
}

// phraseInfo is one phrase: the list (one check's require/forbid/before
// list) it belongs to, and its text as written, for notes.
type phraseInfo struct {
	list        int32
	text        string
	found, said string // the notes naming it: found "…", said "…"
}

func newPhraseSet() *phraseSet {
	return &phraseSet{
		vocab: make(map[string]int32),
		root:  []int32{0},
		edges: make(map[uint64]int32),
		out:   [][]int32{nil}, // node 0 is the root itself
		nodes: 1,
	}
}

// add compiles one phrase of list into the trie and returns its phrase id.
// Phrases are matched on words: punctuation and case are ignored, and an
// apostrophe inside a word is part of it ("that's", "can’t").
func (s *phraseSet) add(list int32, text string) (int32, error) {
	var words []string
	var buf [maxWord]byte
	for i := 0; ; {
		start, end, ok := nextWord(text, i)
		if !ok {
			break
		}
		i = end
		n, fits := lowerWord(&buf, text[start:end])
		if !fits {
			return 0, fmt.Errorf("phrase %q: word %q is longer than %d bytes", text, text[start:end], maxWord)
		}
		words = append(words, string(buf[:n]))
	}
	if len(words) == 0 {
		return 0, fmt.Errorf("phrase %q has no words", text)
	}
	node := int32(0)
	for _, w := range words {
		id, ok := s.vocab[w]
		if !ok {
			id = int32(len(s.root))
			s.vocab[w] = id
			s.root = append(s.root, 0)
		}
		node = s.child(node, id)
	}
	pid := int32(len(s.phrase))
	s.phrase = append(s.phrase, phraseInfo{list: list, text: text, found: "found " + quote(text), said: "said " + quote(text)})
	s.out[node] = append(s.out[node], pid)
	return pid, nil
}

// child returns the node after word id from node, creating it.
func (s *phraseSet) child(node, id int32) int32 {
	if next := s.step(node, id); next != 0 {
		return next
	}
	next := s.nodes
	s.nodes++
	s.out = append(s.out, nil)
	if node == 0 {
		s.root[id] = next
	} else {
		s.edges[uint64(node)<<32|uint64(id)] = next
	}
	return next
}

// step follows the edge for word id from node; 0 means none.
func (s *phraseSet) step(node, id int32) int32 {
	if node == 0 {
		return s.root[id]
	}
	return s.edges[uint64(node)<<32|uint64(id)]
}

// word is one word of a turn being scanned: its byte range in the original
// text and its vocabulary id (0 when no phrase uses it).
type word struct {
	start, end int32
	id         int32
}

// hit is one phrase found in one turn: bytes [start, end) of its text.
type hit struct {
	phrase     int32
	turn       int32
	start, end int32
}

// scan appends to dst every phrase occurrence in text, turn being its index,
// and returns dst. words is scratch space, returned for reuse.
func (s *phraseSet) scan(dst []hit, words []word, turn int, text string) ([]hit, []word) {
	words = s.words(words[:0], text)
	for i, w := range words {
		if w.id == 0 {
			continue
		}
		node := s.root[w.id]
		for k := i; node != 0; {
			for _, p := range s.out[node] {
				dst = append(dst, hit{phrase: p, turn: int32(turn), start: w.start, end: words[k].end})
			}
			k++
			if k == len(words) || words[k].id == 0 {
				break
			}
			node = s.edges[uint64(node)<<32|uint64(words[k].id)]
		}
	}
	return dst, words
}

// words appends the words of text with their vocabulary ids. It finds,
// lower-cases and hashes each ASCII word in one pass, the common case, and
// hands a word holding other characters to nextWord and lowerHash.
func (s *phraseSet) words(dst []word, text string) []word {
	var buf [maxWord]byte
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf && !asciiWord(c) {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(text[i:])
			if !isWordRune(r) {
				i += size
				continue
			}
		}
		start := i
		h := uint64(fnvOffset)
		n := 0
		fits, ascii := true, true
		for i < len(text) {
			c := text[i]
			if c >= utf8.RuneSelf {
				ascii = false
				break
			}
			if !asciiWord(c) && (c != '\'' || !wordAt(text, i+1)) {
				break
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if n < maxWord {
				buf[n] = c
				h = (h ^ uint64(c)) * fnvPrime
				n++
			} else {
				fits = false
			}
			i++
		}
		if !ascii {
			var end int
			_, end, _ = nextWord(text, start)
			i = end
			n, h, fits = lowerHash(&buf, text[start:end])
		}
		id := int32(0)
		if fits {
			id = s.table.lookup(h, buf[:n])
		}
		dst = append(dst, word{start: int32(start), end: int32(i), id: id})
	}
	return dst
}

// asciiWord reports whether an ASCII byte is a letter or digit.
func asciiWord(c byte) bool {
	return (c|0x20)-'a' < 26 || c-'0' < 10
}

// wordAt reports whether a word character starts at byte i of text.
func wordAt(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	if c := text[i]; c < utf8.RuneSelf {
		return asciiWord(c)
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return isWordRune(r)
}

// nextWord finds the next word at or after byte i of text: a run of letters
// and digits, with apostrophes (' or ’) allowed between two of them.
func nextWord(text string, i int) (start, end int, ok bool) {
	for i < len(text) {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if isWordRune(r) {
			break
		}
		i += size
	}
	if i >= len(text) {
		return 0, 0, false
	}
	start = i
	for i < len(text) {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		if isWordRune(r) {
			i += size
			continue
		}
		if r == '\'' || r == '’' {
			// Part of the word only between two word characters: "that's" but
			// not "the customers' boxes" or a quoted 'word'.
			if j := i + size; j < len(text) {
				r2, _ := utf8.DecodeRuneInString(text[j:])
				if isWordRune(r2) {
					i = j
					continue
				}
			}
		}
		break
	}
	return start, i, true
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWord(byte(r))
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// lowerWord writes the lower-cased form of w into buf, with the typographic
// apostrophe folded to ', and reports its length and whether it fitted.
func lowerWord(buf *[maxWord]byte, w string) (int, bool) {
	n := 0
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			if n == maxWord {
				return n, false
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[n] = c
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		i += size
		if r == '’' {
			r = '\''
		} else {
			r = unicode.ToLower(r)
		}
		if n+utf8.RuneLen(r) > maxWord {
			return n, false
		}
		n += utf8.EncodeRune(buf[n:], r)
	}
	return n, true
}

// vocabTable is an open-addressing hash table of the vocabulary. Looking
// every word of every turn up is the hot loop of scoring; hashing while
// lower-casing and probing a flat table is several times faster than a Go
// map, which would hash the word a second time.
type vocabTable struct {
	mask  uint64
	slots []vocabSlot
}

type vocabSlot struct {
	hash uint64
	id   int32 // 0: empty
	word string
}

// finish builds the lookup table once every phrase has been added.
func (s *phraseSet) finish() {
	size := 16
	for size < 2*len(s.vocab) {
		size *= 2
	}
	s.table = vocabTable{mask: uint64(size - 1), slots: make([]vocabSlot, size)}
	var buf [maxWord]byte
	for w, id := range s.vocab {
		_, h, _ := lowerHash(&buf, w)
		i := h & s.table.mask
		for s.table.slots[i].id != 0 {
			i = (i + 1) & s.table.mask
		}
		s.table.slots[i] = vocabSlot{hash: h, id: id, word: w}
	}
}

// lookup returns the id of the lower-cased word w with hash h, or 0.
func (t *vocabTable) lookup(h uint64, w []byte) int32 {
	if t.slots == nil {
		return 0
	}
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		sl := &t.slots[i]
		if sl.id == 0 {
			return 0
		}
		if sl.hash == h && sl.word == string(w) {
			return sl.id
		}
	}
}

// FNV-1a, computed while lower-casing.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// lowerHash is lowerWord that also hashes the lower-cased bytes.
func lowerHash(buf *[maxWord]byte, w string) (n int, h uint64, fits bool) {
	h = fnvOffset
	for i := 0; i < len(w); {
		c := w[i]
		if c >= utf8.RuneSelf {
			// Rare: fold the rest rune by rune, then hash what was written.
			m, ok := lowerWord(buf, w)
			if !ok {
				return m, 0, false
			}
			h = fnvOffset
			for _, b := range buf[:m] {
				h = (h ^ uint64(b)) * fnvPrime
			}
			return m, h, true
		}
		if n == maxWord {
			return n, 0, false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[n] = c
		h = (h ^ uint64(c)) * fnvPrime
		n++
		i++
	}
	return n, h, true
}
