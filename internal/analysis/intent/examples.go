package intent

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Unknown is the intent Predict returns when no intent is confident enough.
const Unknown = "unknown"

// oosLabel is CLINC150's and most public sets' name for out-of-scope rows.
const oosLabel = "oos"

// Example is one labelled utterance.
type Example struct {
	Text   string
	Intent string
}

// OutOfScope reports whether the gold label marks the example as belonging to
// no intent ("oos" or "unknown", any case). Such rows never become a class.
func (e Example) OutOfScope() bool { return isOutOfScope(e.Intent) }

func isOutOfScope(label string) bool {
	return strings.EqualFold(label, oosLabel) || strings.EqualFold(label, Unknown)
}

// ReadExamples reads a CSV with a header row naming the columns "text" and
// "intent" (any order, any case; other columns are ignored). name is used in
// error messages, which read "name:line: what is wrong".
func ReadExamples(r io.Reader, name string) ([]Example, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked below, with a clearer message
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s:1: empty file: want a header row with columns text,intent", name)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	textCol, intentCol := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "text":
			textCol = i
		case "intent":
			intentCol = i
		}
	}
	if textCol < 0 || intentCol < 0 {
		return nil, fmt.Errorf("%s:1: header %q: want columns named text and intent", name, strings.Join(header, ","))
	}
	width := len(header)
	var out []Example
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != width {
			return nil, fmt.Errorf("%s:%d: %d fields, want %d as in the header", name, line, len(rec), width)
		}
		text := strings.TrimSpace(rec[textCol])
		label := strings.TrimSpace(rec[intentCol])
		switch {
		case text == "":
			return nil, fmt.Errorf("%s:%d: empty text", name, line)
		case label == "":
			return nil, fmt.Errorf("%s:%d: empty intent", name, line)
		}
		out = append(out, Example{Text: text, Intent: label})
	}
}

// csvError turns encoding/csv's errors into the "name:line: ..." form.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %w", name, pe.StartLine, pe.Err)
	}
	return fmt.Errorf("%s: reading CSV: %w", name, err)
}
