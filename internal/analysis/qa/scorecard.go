package qa

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"cel.dev/cel-go/cel"
	"gopkg.in/yaml.v3"
)

// Version is the version of the scoring rules; a scorecard's own version
// (Scorecard.Version) adds its name and content hash.
const Version = "qa/1"

// Scorecard is a parsed, compiled scorecard. It is immutable and safe for
// concurrent use.
type Scorecard struct {
	name, description string
	version           string
	criteria          []criterion
	info              []Criterion
	conds             []*condition
	phrases           *phraseSet
	scan              scanPlan  // which turns phrase checks read
	scratch           sync.Pool // *scratch
}

// scanPlan says which turns need tokenising: a check of the bot's first
// turn should not pay for every later bot turn.
type scanPlan struct {
	bySpeaker [4]window // by speaker bit
	any       window    // checks on any speaker count turns over all speakers
}

// window is the union of the turn windows of some checks: all turns, or
// the first and last so many.
type window struct {
	all         bool
	first, last int
}

func (w *window) add(within int, fromEnd bool) {
	switch {
	case within == 0:
		w.all = true
	case fromEnd:
		w.last = max(w.last, within)
	default:
		w.first = max(w.first, within)
	}
}

func (w *window) holds(ord, total int) bool {
	return w.all || ord < w.first || total-ord <= w.last
}

// add records that a check on speaker m reads the given window.
func (p *scanPlan) add(m speakerMask, within int, fromEnd bool) {
	if m == spAny {
		p.any.add(within, fromEnd)
		return
	}
	for b := 0; b < 4; b++ {
		if m&(1<<b) != 0 {
			p.bySpeaker[b].add(within, fromEnd)
		}
	}
}

// Criterion describes one criterion of a scorecard as written, for
// documentation, the dashboard and the content hash.
type Criterion struct {
	ID            string   `json:"id"`
	Label         string   `json:"label"`
	Description   string   `json:"description,omitempty"`
	Weight        float64  `json:"weight"`
	AutoFail      bool     `json:"auto_fail,omitempty"`
	AppliesWhen   string   `json:"applies_when,omitempty"`
	Check         string   `json:"check"`             // require_any, forbid_any, pattern, forbid_pattern or expect
	Speaker       string   `json:"speaker,omitempty"` // agent, bot, customer or any; empty for expect
	WithinTurns   int      `json:"within_turns,omitempty"`
	From          string   `json:"from,omitempty"` // start or end, with WithinTurns
	Phrases       []string `json:"phrases,omitempty"`
	Pattern       string   `json:"pattern,omitempty"`
	Expect        string   `json:"expect,omitempty"`
	Before        []string `json:"before,omitempty"`
	BeforeSpeaker string   `json:"before_speaker,omitempty"`
	Line          int      `json:"-"` // where the criterion starts in the file
}

// checkKind is what a criterion checks.
type checkKind uint8

const (
	checkRequire checkKind = iota
	checkForbid
	checkPattern
	checkForbidPattern
	checkExpect
)

func (k checkKind) String() string {
	return [...]string{"require_any", "forbid_any", "pattern", "forbid_pattern", "expect"}[k]
}

// speakerMask selects turns by speaker.
type speakerMask uint8

const (
	spAgent speakerMask = 1 << iota
	spBot
	spCustomer
	spOther // system messages and anything unrecognised
	spAny   = spAgent | spBot | spCustomer | spOther
)

func parseSpeaker(s string) (speakerMask, bool) {
	switch s {
	case "agent":
		return spAgent, true
	case "bot":
		return spBot, true
	case "customer":
		return spCustomer, true
	case "any":
		return spAny, true
	}
	return 0, false
}

func (m speakerMask) String() string {
	switch m {
	case spAgent:
		return "agent"
	case spBot:
		return "bot"
	case spCustomer:
		return "customer"
	}
	return "any"
}

// classify maps a turn's speaker to one bit; case is ignored because
// sources spell roles differently.
func classify(speaker string) speakerMask {
	switch {
	case strings.EqualFold(speaker, "agent"):
		return spAgent
	case strings.EqualFold(speaker, "customer"):
		return spCustomer
	case strings.EqualFold(speaker, "bot"):
		return spBot
	}
	return spOther
}

// criterion is one compiled criterion.
type criterion struct {
	Criterion
	kind     checkKind
	when     int // index into Scorecard.conds, -1 for always
	expect   int // index into Scorecard.conds for checkExpect
	speaker  speakerMask
	within   int // 0: all turns
	fromEnd  bool
	list     int32 // phrase list of require_any/forbid_any
	before   int32 // phrase list that ends the search, -1 for none
	beforeSp speakerMask
	re       *regexp.Regexp
	filter   litFilter

	// Notes that do not depend on the interaction, made once.
	naWhen, naSpeaker, missing, expectFailed string
}

// ParseError is a scorecard that could not be parsed: File:Line says where.
type ParseError struct {
	File string
	Line int // 0 when the error is about the whole file
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// maxNoteExpr is the longest condition a note quotes.
const maxNoteExpr = 60

// maxCriteria bounds a scorecard, so a runaway file is an error rather
// than a slow ingest.
const maxCriteria = 100

var (
	idPattern       = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)
	yamlLinePattern = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
)

// Parse parses and compiles a scorecard. file names it in errors, which are
// *ParseError values saying file:line and what is wrong. The format is
// described in the package documentation.
func Parse(file string, data []byte) (*Scorecard, error) {
	p := &parser{file: file}
	sc, err := p.parse(data)
	if err != nil {
		return nil, err
	}
	return sc, nil
}

// parser carries the state of one Parse.
type parser struct {
	file  string
	env   *cel.Env
	sc    *Scorecard
	conds map[string]int // source → index, to evaluate each distinct condition once
}

func (p *parser) errorf(line int, format string, args ...any) error {
	return &ParseError{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) parse(data []byte) (*Scorecard, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLinePattern.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			return nil, p.errorf(line, "%s", m[2])
		}
		return nil, p.errorf(0, "%s", msg)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, p.errorf(0, "empty scorecard: want name and criteria")
	}
	root := deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		return nil, p.errorf(root.Line, "want a mapping with name, description and criteria")
	}
	env, err := newCELEnv()
	if err != nil {
		return nil, fmt.Errorf("qa: condition environment: %w", err)
	}
	p.env = env
	p.sc = &Scorecard{phrases: newPhraseSet()}
	p.conds = make(map[string]int)

	var criteria *yaml.Node
	err = p.fields(root, "scorecard", func(key string, k, v *yaml.Node) error {
		switch key {
		case "name":
			s, err := p.str(v, "name")
			if err != nil {
				return err
			}
			if !idPattern.MatchString(s) {
				return p.errorf(v.Line, "name %q: want lower-case letters, digits, '_', '-' or '.', at most 64", s)
			}
			p.sc.name = s
		case "description":
			s, err := p.str(v, "description")
			if err != nil {
				return err
			}
			p.sc.description = s
		case "criteria":
			criteria = v
		default:
			return p.errorf(k.Line, "unknown key %q (want name, description or criteria)", key)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if p.sc.name == "" {
		return nil, p.errorf(root.Line, "missing name")
	}
	if criteria == nil {
		return nil, p.errorf(root.Line, "missing criteria")
	}
	if criteria.Kind != yaml.SequenceNode || len(criteria.Content) == 0 {
		return nil, p.errorf(criteria.Line, "criteria: want a list of at least one criterion")
	}
	if len(criteria.Content) > maxCriteria {
		return nil, p.errorf(criteria.Line, "criteria: %d criteria, at most %d", len(criteria.Content), maxCriteria)
	}
	seen := make(map[string]int)
	for _, n := range criteria.Content {
		c, err := p.criterion(deref(n))
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[c.ID]; dup {
			return nil, p.errorf(c.Line, "criterion id %q repeats the one at line %d", c.ID, prev)
		}
		seen[c.ID] = c.Line
		p.sc.criteria = append(p.sc.criteria, c)
		p.sc.info = append(p.sc.info, c.Criterion)
	}
	p.sc.phrases.finish()
	p.sc.version = Version + "+" + p.sc.name + "@" + p.sc.hash()
	return p.sc, nil
}

// fields calls fn for each key of a mapping, refusing duplicate keys.
func (p *parser) fields(n *yaml.Node, what string, fn func(key string, k, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return p.errorf(n.Line, "%s: want a mapping", what)
	}
	seen := make(map[string]int, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			return p.errorf(k.Line, "%s: keys must be plain words", what)
		}
		if prev, dup := seen[k.Value]; dup {
			return p.errorf(k.Line, "%s: key %q repeats the one at line %d", what, k.Value, prev)
		}
		seen[k.Value] = k.Line
		if err := fn(k.Value, k, v); err != nil {
			return err
		}
	}
	return nil
}

// deref follows YAML aliases, so phrase lists can be shared with &anchors.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// criterion parses one entry of criteria.
func (p *parser) criterion(n *yaml.Node) (criterion, error) {
	c := criterion{when: -1, expect: -1, list: -1, before: -1, speaker: spAgent}
	c.Line = n.Line
	c.Weight = 1
	var checks []string
	checkLine := map[string]int{}
	var speakerSet, withinSet, fromSet, beforeSet bool
	var speakerLine, withinLine, fromLine, beforeLine int
	var phrases, before []string
	var whenNode, expectNode, patternNode *yaml.Node
	what := "criterion"
	err := p.fields(n, what, func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case "id":
			c.ID, err = p.str(v, "id")
			if err == nil && !idPattern.MatchString(c.ID) {
				err = p.errorf(v.Line, "id %q: want lower-case letters, digits, '_', '-' or '.', at most 64", c.ID)
			}
		case "label":
			c.Label, err = p.str(v, "label")
		case "description":
			c.Description, err = p.str(v, "description")
		case "weight":
			c.Weight, err = p.float(v, "weight")
			if err == nil && !(c.Weight > 0 && c.Weight <= 1e6) {
				err = p.errorf(v.Line, "weight %s: want a number above 0 (and at most 1e6)", v.Value)
			}
		case "auto_fail":
			c.AutoFail, err = p.bool(v, "auto_fail")
		case "applies_when":
			whenNode = v
		case "speaker":
			var s string
			s, err = p.str(v, "speaker")
			if err == nil {
				var ok bool
				if c.speaker, ok = parseSpeaker(s); !ok {
					err = p.errorf(v.Line, "speaker %q: want agent, bot, customer or any", s)
				}
			}
			speakerSet, speakerLine = true, k.Line
		case "within_turns":
			c.within, err = p.int(v, "within_turns")
			if err == nil && (c.within < 1 || c.within > 10000) {
				err = p.errorf(v.Line, "within_turns %d: want 1 or more", c.within)
			}
			withinSet, withinLine = true, k.Line
		case "from":
			var s string
			s, err = p.str(v, "from")
			if err == nil && s != "start" && s != "end" {
				err = p.errorf(v.Line, "from %q: want start or end", s)
			}
			c.fromEnd = s == "end"
			fromSet, fromLine = true, k.Line
		case "require_any", "forbid_any":
			checks = append(checks, key)
			checkLine[key] = k.Line
			phrases, err = p.strs(v, key)
		case "pattern", "forbid_pattern":
			checks = append(checks, key)
			checkLine[key] = k.Line
			patternNode = v
		case "expect":
			checks = append(checks, key)
			checkLine[key] = k.Line
			expectNode = v
		case "before":
			beforeSet, beforeLine = true, k.Line
			before, c.beforeSp, err = p.before(v)
		default:
			err = p.errorf(k.Line, "unknown key %q in criterion (want id, label, description, weight, auto_fail, "+
				"applies_when, require_any, forbid_any, pattern, forbid_pattern, expect, speaker, within_turns, from or before)", key)
		}
		return err
	})
	if err != nil {
		return c, err
	}
	if c.ID == "" {
		return c, p.errorf(n.Line, "criterion without an id")
	}
	where := fmt.Sprintf("criterion %q", c.ID)
	switch len(checks) {
	case 0:
		return c, p.errorf(n.Line, "%s has no check: give one of require_any, forbid_any, pattern, forbid_pattern or expect", where)
	case 1:
	default:
		return c, p.errorf(checkLine[checks[1]], "%s has two checks, %s (line %d) and %s: give one per criterion",
			where, checks[0], checkLine[checks[0]], checks[1])
	}
	if c.Label == "" {
		c.Label = c.ID
	}
	c.Check = checks[0]
	switch c.Check {
	case "require_any":
		c.kind = checkRequire
	case "forbid_any":
		c.kind = checkForbid
	case "pattern":
		c.kind = checkPattern
	case "forbid_pattern":
		c.kind = checkForbidPattern
	default:
		c.kind = checkExpect
	}
	if c.kind == checkExpect {
		for _, o := range []struct {
			set  bool
			line int
			key  string
		}{{speakerSet, speakerLine, "speaker"}, {withinSet, withinLine, "within_turns"}, {fromSet, fromLine, "from"}, {beforeSet, beforeLine, "before"}} {
			if o.set {
				return c, p.errorf(o.line, "%s: %s has no meaning with expect, which reads no turns", where, o.key)
			}
		}
	} else {
		c.Speaker = c.speaker.String()
	}
	if fromSet && !withinSet {
		return c, p.errorf(fromLine, "%s: from needs within_turns", where)
	}
	if beforeSet && c.kind != checkRequire && c.kind != checkPattern {
		return c, p.errorf(beforeLine, "%s: before goes with require_any or pattern only", where)
	}
	if withinSet {
		c.WithinTurns = c.within
		c.From = "start"
		if c.fromEnd {
			c.From = "end"
		}
	}

	if whenNode != nil {
		if c.when, c.AppliesWhen, err = p.condition(whenNode, where, "applies_when"); err != nil {
			return c, err
		}
	}
	switch c.kind {
	case checkRequire, checkForbid:
		c.Phrases = phrases
		if c.list, err = p.phraseList(phrases, checkLine[c.Check], where); err != nil {
			return c, err
		}
	case checkPattern, checkForbidPattern:
		src, err := p.str(patternNode, c.Check)
		if err != nil {
			return c, err
		}
		if src == "" {
			return c, p.errorf(patternNode.Line, "%s: empty %s", where, c.Check)
		}
		// Case-insensitive like phrases; a pattern may still say (?-i).
		re, err := regexp.Compile("(?i)" + src)
		if err != nil {
			return c, p.errorf(patternNode.Line, "%s: %s: %v", where, c.Check, err)
		}
		if re.MatchString("") {
			return c, p.errorf(patternNode.Line, "%s: %s %q matches empty text, so it would match every turn", where, c.Check, src)
		}
		c.re, c.Pattern, c.filter = re, src, newLitFilter(src)
	case checkExpect:
		if c.expect, c.Expect, err = p.condition(expectNode, where, "expect"); err != nil {
			return c, err
		}
	}
	if beforeSet {
		c.Before, c.BeforeSpeaker = before, c.beforeSp.String()
		if c.before, err = p.phraseList(before, beforeLine, where+": before"); err != nil {
			return c, err
		}
		p.sc.scan.add(c.beforeSp, 0, false)
	}
	if c.kind == checkRequire || c.kind == checkForbid {
		p.sc.scan.add(c.speaker, c.within, c.fromEnd)
	}
	// Notes are stored with every result: name a short condition, not a
	// long one the scorecard already holds.
	c.naWhen = "not applicable: applies_when is false"
	if len(c.AppliesWhen) <= maxNoteExpr {
		c.naWhen = "not applicable: " + c.AppliesWhen + " is false"
	}
	c.expectFailed = "expect is false"
	if len(c.Expect) <= maxNoteExpr {
		c.expectFailed = "expected " + c.Expect + ", which is false"
	}
	c.naSpeaker = "not applicable: no " + c.speaker.String() + " turns"
	c.missing = missingNote(&c)
	return c, nil
}

// before parses `before: {any: [...], speaker: agent}`.
func (p *parser) before(n *yaml.Node) ([]string, speakerMask, error) {
	var list []string
	sp := spAgent
	err := p.fields(n, "before", func(key string, k, v *yaml.Node) error {
		var err error
		switch key {
		case "any":
			list, err = p.strs(v, "before: any")
		case "speaker":
			var s string
			if s, err = p.str(v, "before: speaker"); err == nil {
				var ok bool
				if sp, ok = parseSpeaker(s); !ok {
					err = p.errorf(v.Line, "before: speaker %q: want agent, bot, customer or any", s)
				}
			}
		default:
			err = p.errorf(k.Line, "unknown key %q in before (want any or speaker)", key)
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	if list == nil {
		return nil, 0, p.errorf(n.Line, "before: missing any: [phrases]")
	}
	return list, sp, nil
}

// phraseList adds a list of phrases to the scorecard's phrase set.
func (p *parser) phraseList(phrases []string, line int, where string) (int32, error) {
	list := int32(len(p.sc.phrases.lists))
	p.sc.phrases.lists = append(p.sc.phrases.lists, phrases)
	for _, ph := range phrases {
		if _, err := p.sc.phrases.add(list, ph); err != nil {
			return 0, p.errorf(line, "%s: %v", where, err)
		}
	}
	return list, nil
}

// condition compiles a CEL expression once per distinct source.
func (p *parser) condition(n *yaml.Node, where, key string) (int, string, error) {
	src, err := p.str(n, key)
	if err != nil {
		return 0, "", err
	}
	src = strings.TrimSpace(src)
	if src == "" {
		return 0, "", p.errorf(n.Line, "%s: empty %s", where, key)
	}
	if i, ok := p.conds[src]; ok {
		return i, src, nil
	}
	c, err := compileCondition(p.env, src)
	if err != nil {
		line := n.Line
		if ee, ok := err.(exprError); ok {
			if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 && ee.line > 0 {
				line = n.Line + ee.line // a block scalar starts on the next line
			}
			if ee.col > 0 {
				return 0, "", p.errorf(line, "%s: %s %q: %s (column %d of the expression)", where, key, src, ee.msg, ee.col)
			}
		}
		return 0, "", p.errorf(line, "%s: %s %q: %v", where, key, src, err)
	}
	p.conds[src] = len(p.sc.conds)
	p.sc.conds = append(p.sc.conds, c)
	return len(p.sc.conds) - 1, src, nil
}

func (p *parser) str(n *yaml.Node, key string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", p.errorf(n.Line, "%s: want a text value", key)
	}
	return n.Value, nil
}

func (p *parser) strs(n *yaml.Node, key string) ([]string, error) {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		return nil, p.errorf(n.Line, "%s: want a list of at least one phrase, like [\"thank you\", \"thanks\"]", key)
	}
	out := make([]string, 0, len(n.Content))
	for _, e := range n.Content {
		e = deref(e)
		s, err := p.str(e, key)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(s) == "" {
			return nil, p.errorf(e.Line, "%s: empty phrase", key)
		}
		out = append(out, s)
	}
	return out, nil
}

func (p *parser) float(n *yaml.Node, key string) (float64, error) {
	var v float64
	if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, p.errorf(n.Line, "%s: want a number, got %q", key, n.Value)
	}
	return v, nil
}

func (p *parser) int(n *yaml.Node, key string) (int, error) {
	var v int
	if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil {
		return 0, p.errorf(n.Line, "%s: want a whole number, got %q", key, n.Value)
	}
	return v, nil
}

func (p *parser) bool(n *yaml.Node, key string) (bool, error) {
	var v bool
	if n.Kind != yaml.ScalarNode || n.Decode(&v) != nil {
		return false, p.errorf(n.Line, "%s: want true or false, got %q", key, n.Value)
	}
	return v, nil
}

// hash is a short hash of what the scorecard means, not how it is written:
// comments, key order and spacing do not change it.
func (s *Scorecard) hash() string {
	b, err := json.Marshal(struct {
		Name        string      `json:"name"`
		Description string      `json:"description"`
		Criteria    []Criterion `json:"criteria"`
	}{s.name, s.description, s.info})
	if err != nil {
		panic(fmt.Sprintf("qa: hashing scorecard: %v", err)) // plain strings and numbers always marshal
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}

// Name returns the scorecard's name.
func (s *Scorecard) Name() string { return s.name }

// Description returns the scorecard's description.
func (s *Scorecard) Description() string { return s.description }

// Version returns "qa/1+<name>@<hash>", the hash covering the content, so a
// stored result says exactly which rules produced it.
func (s *Scorecard) Version() string { return s.version }

// Criteria describes the criteria in order.
func (s *Scorecard) Criteria() []Criterion {
	out := make([]Criterion, len(s.info))
	for i, c := range s.info {
		c.Phrases = append([]string(nil), c.Phrases...)
		c.Before = append([]string(nil), c.Before...)
		out[i] = c
	}
	return out
}
