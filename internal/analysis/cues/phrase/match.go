package phrase

// tok is one token of the text being scanned.
type tok struct {
	start, end int
	id         int32
	brk        bool // a clause ended just before this token
}

// stackTokens is how many tokens a text may have before its token list moves
// to the heap; a customer-service turn is usually well under it.
const stackTokens = 96

// AppendMatches appends the matches in text to dst, in order, and returns
// the extended slice. It allocates nothing when dst has room and the text
// has at most a few dozen tokens.
func (s *Set) AppendMatches(dst []Match, text string) []Match {
	var stack [stackTokens]tok
	toks := s.tokens(stack[:0], text)
	for i := 0; i < len(toks); {
		label, last := s.longest(toks, i)
		if label < 0 {
			i++
			continue
		}
		first := i
		dst = append(dst, Match{
			Label:   int(label),
			Start:   toks[first].start,
			End:     toks[last].end,
			Tok:     first,
			Toks:    last - first + 1,
			Negated: s.negated(toks, first),
		})
		i = last + 1
	}
	return dst
}

// tokens appends the tokens of text, with their ids, to dst.
func (s *Set) tokens(dst []tok, text string) []tok {
	var buf [maxWord]byte
	for i := 0; ; {
		start, end, brk, ok := nextToken(text, i)
		if !ok {
			return dst
		}
		i = end
		id := idUnknown
		if n, fits := normalise(&buf, text[start:end]); fits {
			id = s.vocab[string(buf[:n])]
		}
		dst = append(dst, tok{start: start, end: end, id: id, brk: brk || len(dst) == 0})
	}
}

// step follows the trie edge for id from node; 0 means no edge.
func (s *Set) step(node, id int32) int32 {
	if node == 0 {
		return s.root[id]
	}
	return s.edges[uint64(node)<<32|uint64(id)]
}

// longest returns the label and last token of the longest phrase starting at
// token i, or label -1. On a tie the clause-anchored (^) phrase wins, being
// the more specific.
func (s *Set) longest(toks []tok, i int) (label int32, last int) {
	label, last = -1, -1
	if toks[i].id == idUnknown {
		return label, last
	}
	if toks[i].brk {
		if n := s.root[idStart]; n != 0 {
			label, last = s.walk(toks, i, n)
		}
	}
	if l, e := s.walk(toks, i, 0); l >= 0 && e > last {
		label, last = l, e
	}
	return label, last
}

// walk follows the trie from node consuming tokens from i and returns the
// label and last token of the longest phrase completed, or label -1.
func (s *Set) walk(toks []tok, i int, node int32) (label int32, last int) {
	label, last = -1, -1
	for k := i; ; {
		node = s.step(node, toks[k].id)
		if node == 0 {
			return label, last
		}
		if l := s.nodeLabel[node]; l >= 0 {
			label, last = l, k
		}
		k++
		atEnd := k == len(toks) || toks[k].brk
		if atEnd {
			if e := s.edges[uint64(node)<<32|uint64(idEnd)]; e != 0 && s.nodeLabel[e] >= 0 {
				label, last = s.nodeLabel[e], k-1
			}
			return label, last
		}
		if toks[k].id == idUnknown {
			return label, last
		}
	}
}

// negated reports whether a negator governs the phrase starting at token i.
func (s *Set) negated(toks []tok, i int) bool {
	if s.window < 0 {
		return false
	}
	if s.attr[toks[i].id]&attrClause != 0 {
		return false // the phrase opens its own clause: "if it isn't fixed I'm leaving"
	}
	lo := max(i-s.window, 0)
	for j := i - 1; j >= lo; j-- {
		if toks[j+1].brk {
			return false
		}
		a := s.attr[toks[j].id]
		if a&attrClause != 0 {
			return false
		}
		if a&attrNegator != 0 && !s.exception(toks, j) {
			return true
		}
	}
	return false
}

// exception reports whether the negator at token j begins a negation
// exception ("never been so").
func (s *Set) exception(toks []tok, j int) bool {
	for _, seq := range s.exceptions {
		if j+len(seq) > len(toks) || toks[j].id != seq[0] {
			continue
		}
		ok := true
		for k := 1; k < len(seq); k++ {
			if toks[j+k].id != seq[k] || toks[j+k].brk {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
