package phrase

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
)

// Lexicon is a parsed lexicon file: patterns under labels, plus the options
// that go with them.
type Lexicon struct {
	Patterns []Pattern
	Options  Options
}

// ParseLexicon parses a lexicon. name is used in error messages (a file
// name). The format is line based; blank lines and lines starting with # are
// ignored, and " #" starts a trailing comment:
//
//	@class family = husband | wife | mother in law   a class for {family} (lines add up)
//	@alias can't = cant | cannot                      variants of a canonical word
//	@negators = not | never | don't                   (may repeat; lists add up)
//	@exceptions = never been so | not only
//	@clause = but | i'm
//	@window = 3
//	[label]                                           the label of the patterns below
//	cancel my|the {service} | close my account        patterns; " | " (spaced) separates several on one line
func ParseLexicon(name, text string) (*Lexicon, error) {
	lex := &Lexicon{Options: Options{
		Classes: make(map[string][]string),
		Aliases: make(map[string]string),
	}}
	label := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		where := fmt.Sprintf("%s:%d", name, n)
		switch line[0] {
		case '[':
			if !strings.HasSuffix(line, "]") || len(line) < 3 {
				return nil, fmt.Errorf("%s: label line %q: want [name]", where, line)
			}
			label = strings.TrimSpace(line[1 : len(line)-1])
			if label == "" || strings.ContainsAny(label, "[] ") {
				return nil, fmt.Errorf("%s: label %q: want a name without spaces or brackets", where, label)
			}
		case '@':
			if err := lex.directive(line); err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
		default:
			if label == "" {
				return nil, fmt.Errorf("%s: pattern %q before any [label] line", where, line)
			}
			for _, text := range strings.Split(line, " | ") {
				text = strings.TrimSpace(text)
				if text == "" {
					return nil, fmt.Errorf("%s: empty pattern between \" | \" separators", where)
				}
				lex.Patterns = append(lex.Patterns, Pattern{Text: text, Label: label})
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return lex, nil
}

// directive applies one @ line.
func (lex *Lexicon) directive(line string) error {
	head, body, ok := strings.Cut(line[1:], "=")
	if !ok {
		return fmt.Errorf("directive %q: want @name = value", line)
	}
	fields := strings.Fields(head)
	body = strings.TrimSpace(body)
	var list []string
	for _, v := range strings.Split(body, "|") {
		if v = strings.Join(strings.Fields(v), " "); v != "" {
			list = append(list, v)
		}
	}
	if len(fields) == 0 {
		return fmt.Errorf("directive %q: missing name", line)
	}
	o := &lex.Options
	switch kind := fields[0]; kind {
	case "class", "alias":
		if len(fields) != 2 {
			return fmt.Errorf("@%s: want @%s NAME = a | b", kind, kind)
		}
		if len(list) == 0 {
			return fmt.Errorf("@%s %s: no values", kind, fields[1])
		}
		if kind == "class" {
			// Repeated lines add to the class, to keep long classes readable.
			o.Classes[fields[1]] = append(o.Classes[fields[1]], list...)
			return nil
		}
		for _, v := range list {
			if prev, dup := o.Aliases[v]; dup && prev != fields[1] {
				return fmt.Errorf("@alias %s: %q is already an alias of %q", fields[1], v, prev)
			}
			o.Aliases[v] = fields[1]
		}
	case "negators", "exceptions", "clause":
		if len(fields) != 1 {
			return fmt.Errorf("@%s: want @%s = a | b", kind, kind)
		}
		switch kind {
		case "negators":
			o.Negators = append(o.Negators, list...)
		case "exceptions":
			o.NegationExceptions = append(o.NegationExceptions, list...)
		default:
			o.ClauseWords = append(o.ClauseWords, list...)
		}
	case "window":
		w, err := strconv.Atoi(body)
		if err != nil || len(fields) != 1 {
			return fmt.Errorf("@window %q: want @window = an integer", body)
		}
		o.NegationWindow = w
	default:
		return fmt.Errorf("unknown directive @%s (want class, alias, negators, exceptions, clause or window)", kind)
	}
	return nil
}

// CompileLexicon parses and compiles a lexicon in one step.
func CompileLexicon(name, text string) (*Set, error) {
	lex, err := ParseLexicon(name, text)
	if err != nil {
		return nil, err
	}
	set, err := Compile(lex.Patterns, lex.Options)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return set, nil
}
