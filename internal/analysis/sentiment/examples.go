package sentiment

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Example is a labelled message. Label is negative, neutral or positive.
type Example struct {
	Text  string
	Label string
}

// ReadExamples reads labelled messages from CSV with a header row that has
// (at least) the columns text and label, in any order and case; other
// columns are ignored. Labels are negative, neutral or positive (any case).
// name is used in errors, which read "name:line: what is wrong".
func ReadExamples(r io.Reader, name string) ([]Example, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked below with a clearer message
	cr.ReuseRecord = true
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s:1: empty file; want a header with text,label", name)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	textCol, labelCol := -1, -1
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch {
		case h == "text" && textCol < 0:
			textCol = i
		case h == "label" && labelCol < 0:
			labelCol = i
		}
	}
	if textCol < 0 || labelCol < 0 {
		return nil, fmt.Errorf("%s:1: header %q lacks a text and a label column", name, strings.Join(head, ","))
	}
	need := max(textCol, labelCol) + 1
	var out []Example
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) < need {
			return nil, fmt.Errorf("%s:%d: %d fields, want at least %d", name, line, len(rec), need)
		}
		label := strings.ToLower(strings.TrimSpace(rec[labelCol]))
		if labelIndex(label) < 0 {
			return nil, fmt.Errorf("%s:%d: label %q is not negative, neutral or positive", name, line, rec[labelCol])
		}
		if strings.TrimSpace(rec[textCol]) == "" {
			return nil, fmt.Errorf("%s:%d: empty text", name, line)
		}
		out = append(out, Example{Text: rec[textCol], Label: label})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no examples after the header", name)
	}
	return out, nil
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %w", name, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %w", name, err)
}
