package phrase

import (
	"fmt"
	"strings"
)

// Pattern is one phrase pattern and the label its matches carry.
type Pattern struct {
	Text  string // slots separated by spaces; see the package doc
	Label string
}

// Options configures how patterns are compiled and how negation is found.
type Options struct {
	// Classes names word groups usable as {name} in patterns; each
	// alternative may be several words.
	Classes map[string][]string
	// Aliases maps a variant spelling to its canonical word ("cant" → "can't",
	// "hospitalized" → "hospitalised"). Both must be single tokens.
	Aliases map[string]string
	// Negators are the words that negate a match that follows them.
	Negators []string
	// NegationExceptions are phrases beginning with a negator that do not
	// negate what follows ("never been so", "not only").
	NegationExceptions []string
	// ClauseWords stop the search for a negator ("but", "i'm"): a negator
	// before them belongs to another clause.
	ClauseWords []string
	// NegationWindow is how many tokens before a match are searched for a
	// negator; 0 means DefaultNegationWindow, a negative value disables
	// negation.
	NegationWindow int
}

// DefaultNegationWindow is the negation window used when Options leaves it 0.
const DefaultNegationWindow = 3

// maxExpansions bounds the token sequences one pattern may expand to, so a
// typo in a lexicon cannot make compilation explode.
const maxExpansions = 20000

// Token ids: 0 is "not in the vocabulary", then the two anchors, then words.
const (
	idUnknown int32 = iota
	idStart
	idEnd
	idFirstWord
)

// Per-word attributes.
const (
	attrNegator uint8 = 1 << iota
	attrClause
)

// Match is one phrase found in a text.
type Match struct {
	Label      int  // index into Set.Labels
	Start, End int  // byte span of the phrase in the text
	Tok, Toks  int  // index of the phrase's first token in the text, and its number of tokens
	Negated    bool // a negator precedes it in the same clause
}

// Set is a compiled set of patterns. It is immutable and safe for concurrent
// use.
type Set struct {
	labels     []string
	vocab      map[string]int32 // normalised word or alias → id
	attr       []uint8          // by id
	root       []int32          // by id: the node reached from the root, 0 if none
	edges      map[uint64]int32 // (node<<32 | id) → node, for nodes other than the root
	nodeLabel  []int32          // by node: label index, -1 if no pattern ends here
	exceptions [][]int32        // negation exceptions as id sequences
	window     int
}

// Labels returns the labels in index order, as used by Match.Label.
func (s *Set) Labels() []string {
	return append([]string(nil), s.labels...)
}

// Label returns the index of a label, or -1 if the set has none by that name.
func (s *Set) Label(name string) int {
	for i, l := range s.labels {
		if l == name {
			return i
		}
	}
	return -1
}

// compiler holds the state of one Compile call.
type compiler struct {
	opts    Options
	set     *Set
	aliases map[string]string
	owner   []Pattern // by node: the first pattern ending there, for conflict messages
}

// Compile expands and compiles patterns. Labels are indexed in order of first
// appearance.
func Compile(patterns []Pattern, opts Options) (*Set, error) {
	c := &compiler{
		opts:    opts,
		aliases: make(map[string]string, len(opts.Aliases)),
		owner:   []Pattern{{}},
		set: &Set{
			vocab:     make(map[string]int32),
			edges:     make(map[uint64]int32),
			nodeLabel: []int32{-1},
			attr:      make([]uint8, idFirstWord),
			root:      make([]int32, idFirstWord),
			window:    opts.NegationWindow,
		},
	}
	if c.set.window == 0 {
		c.set.window = DefaultNegationWindow
	}
	for variant, canonical := range opts.Aliases {
		v, cw := words(variant), words(canonical)
		if len(v) != 1 || len(cw) != 1 {
			return nil, fmt.Errorf("alias %q → %q: both sides must be exactly one word", variant, canonical)
		}
		if v[0] != cw[0] {
			c.aliases[v[0]] = cw[0]
		}
	}
	for variant := range c.aliases {
		if _, chained := c.aliases[c.aliases[variant]]; chained {
			return nil, fmt.Errorf("alias %q → %q: the target is itself an alias", variant, c.aliases[variant])
		}
	}
	labelIndex := make(map[string]int32)
	for _, p := range patterns {
		li, ok := labelIndex[p.Label]
		if !ok {
			li = int32(len(c.set.labels))
			labelIndex[p.Label] = li
			c.set.labels = append(c.set.labels, p.Label)
		}
		if err := c.add(p, li); err != nil {
			return nil, err
		}
	}
	for _, w := range opts.Negators {
		if err := c.mark(w, attrNegator, "negator"); err != nil {
			return nil, err
		}
	}
	for _, w := range opts.ClauseWords {
		if err := c.mark(w, attrClause, "clause word"); err != nil {
			return nil, err
		}
	}
	for _, e := range opts.NegationExceptions {
		ws := words(e)
		if len(ws) < 2 {
			return nil, fmt.Errorf("negation exception %q: need a negator and at least one more word", e)
		}
		seq := make([]int32, len(ws))
		for i, w := range ws {
			seq[i] = c.intern(w)
		}
		if c.set.attr[seq[0]]&attrNegator == 0 {
			return nil, fmt.Errorf("negation exception %q: %q is not a negator", e, ws[0])
		}
		c.set.exceptions = append(c.set.exceptions, seq)
	}
	// Aliases last: a variant only needs an entry when its canonical word is
	// used somewhere.
	for variant, canonical := range c.aliases {
		if id, ok := c.set.vocab[canonical]; ok {
			c.set.vocab[variant] = id
		}
	}
	return c.set, nil
}

// mark interns a single word and sets an attribute on it.
func (c *compiler) mark(w string, a uint8, what string) error {
	ws := words(w)
	if len(ws) != 1 {
		return fmt.Errorf("%s %q: must be exactly one word", what, w)
	}
	c.set.attr[c.intern(ws[0])] |= a
	return nil
}

// intern returns the id of a normalised word, adding it if new.
func (c *compiler) intern(w string) int32 {
	if a, ok := c.aliases[w]; ok {
		w = a
	}
	if id, ok := c.set.vocab[w]; ok {
		return id
	}
	id := int32(len(c.set.attr))
	c.set.vocab[w] = id
	c.set.attr = append(c.set.attr, 0)
	c.set.root = append(c.set.root, 0)
	return id
}

// add expands one pattern and inserts its sequences into the trie.
func (c *compiler) add(p Pattern, label int32) error {
	slots := strings.Fields(p.Text)
	if len(slots) == 0 {
		return fmt.Errorf("pattern %q (%s): empty", p.Text, p.Label)
	}
	// Each slot becomes a list of alternatives, each a list of token ids.
	alts := make([][][]int32, 0, len(slots))
	total := 1
	for i, slot := range slots {
		var a [][]int32
		switch slot {
		case "^":
			if i != 0 {
				return fmt.Errorf("pattern %q (%s): ^ must be the first slot", p.Text, p.Label)
			}
			a = [][]int32{{idStart}}
		case "$":
			if i != len(slots)-1 {
				return fmt.Errorf("pattern %q (%s): $ must be the last slot", p.Text, p.Label)
			}
			a = [][]int32{{idEnd}}
		default:
			var err error
			if a, err = c.slot(slot); err != nil {
				return fmt.Errorf("pattern %q (%s): %w", p.Text, p.Label, err)
			}
		}
		total *= len(a)
		if total > maxExpansions {
			return fmt.Errorf("pattern %q (%s): expands to more than %d phrases", p.Text, p.Label, maxExpansions)
		}
		alts = append(alts, a)
	}
	seq := make([]int32, 0, 8)
	var expand func(i int) error
	expand = func(i int) error {
		if i == len(alts) {
			return c.insert(seq, p, label)
		}
		for _, alt := range alts[i] {
			n := len(seq)
			seq = append(seq, alt...)
			if err := expand(i + 1); err != nil {
				return err
			}
			seq = seq[:n]
		}
		return nil
	}
	return expand(0)
}

// slot parses one slot into its alternatives.
func (c *compiler) slot(slot string) ([][]int32, error) {
	var out [][]int32
	for _, alt := range strings.Split(slot, "|") {
		switch {
		case alt == "":
			return nil, fmt.Errorf("slot %q: empty alternative (use _ for an optional slot)", slot)
		case alt == "_":
			out = append(out, nil)
		case alt[0] == '{':
			end := strings.IndexByte(alt, '}')
			if end < 0 {
				return nil, fmt.Errorf("slot %q: unclosed {", slot)
			}
			name, suffix := alt[1:end], alt[end+1:]
			members, ok := c.opts.Classes[name]
			if !ok {
				return nil, fmt.Errorf("slot %q: unknown class %q", slot, name)
			}
			if len(members) == 0 {
				return nil, fmt.Errorf("slot %q: class %q is empty", slot, name)
			}
			for _, m := range members {
				ws := words(m)
				if len(ws) == 0 {
					return nil, fmt.Errorf("class %q: member %q has no words", name, m)
				}
				if suffix != "" {
					last := words(ws[len(ws)-1] + suffix)
					ws = append(ws[:len(ws)-1], last...)
				}
				out = append(out, c.ids(ws))
			}
		default:
			ws := words(alt)
			if len(ws) == 0 {
				return nil, fmt.Errorf("slot %q: alternative %q has no words", slot, alt)
			}
			out = append(out, c.ids(ws))
		}
	}
	return out, nil
}

func (c *compiler) ids(ws []string) []int32 {
	ids := make([]int32, len(ws))
	for i, w := range ws {
		ids[i] = c.intern(w)
	}
	return ids
}

// insert adds one expanded sequence to the trie.
func (c *compiler) insert(seq []int32, p Pattern, label int32) error {
	words := 0
	for _, id := range seq {
		if id >= idFirstWord {
			words++
		}
	}
	if words == 0 {
		return fmt.Errorf("pattern %q (%s): an expansion has no words", p.Text, p.Label)
	}
	s := c.set
	node := int32(0)
	for _, id := range seq {
		var next int32
		if node == 0 {
			next = s.root[id]
		} else {
			next = s.edges[uint64(node)<<32|uint64(id)]
		}
		if next == 0 {
			next = int32(len(s.nodeLabel))
			s.nodeLabel = append(s.nodeLabel, -1)
			c.owner = append(c.owner, Pattern{})
			if node == 0 {
				s.root[id] = next
			} else {
				s.edges[uint64(node)<<32|uint64(id)] = next
			}
		}
		node = next
	}
	if old := s.nodeLabel[node]; old >= 0 {
		if old != label {
			return fmt.Errorf("pattern %q (%s) and pattern %q (%s) both produce the phrase %q",
				p.Text, p.Label, c.owner[node].Text, c.owner[node].Label, c.phrase(seq))
		}
		return nil
	}
	s.nodeLabel[node] = label
	c.owner[node] = p
	return nil
}

// phrase renders an id sequence back to words for error messages.
func (c *compiler) phrase(seq []int32) string {
	byID := make(map[int32]string, len(c.set.vocab))
	for w, id := range c.set.vocab {
		if prev, ok := byID[id]; !ok || w < prev {
			byID[id] = w
		}
	}
	parts := make([]string, len(seq))
	for i, id := range seq {
		switch id {
		case idStart:
			parts[i] = "^"
		case idEnd:
			parts[i] = "$"
		default:
			parts[i] = byID[id]
		}
	}
	return strings.Join(parts, " ")
}
