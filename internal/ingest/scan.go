package ingest

import (
	"bytes"
	"errors"
)

// member is one top-level member of a JSON object: its key (unescaped only
// when it has no escapes, which is all our keys) and its raw value.
type member struct {
	key string
	raw []byte
	// turns is 1 + the index in decoder.pre of this member's turns when the
	// line's single pass decoded them already (0: decode from raw).
	turns int
}

var errNotObject = errors.New("a record must be a JSON object")

// members splits a JSON object into its top-level members without decoding
// the values. It checks only the structure it walks; encoding/json checks the
// rest when values are decoded.
//
// Keys are substrings of the line's string where f has one (no copy per
// key). With d set, it is the record's top-level walk: a "turns" array is
// decoded as it is walked (see fastTurns), so the bytes of the turns, most
// of a line, are scanned once instead of three times.
func (f *fields) members(b []byte, dst []member, d *decoder) ([]member, error) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return nil, errNotObject
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return dst, trailing(b, i+1)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return nil, errors.New("expected a quoted member name")
		}
		end, err := skipString(b, i)
		if err != nil {
			return nil, err
		}
		key := f.sub(b[i+1 : end-1])
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return nil, errors.New("expected ':' after member name " + key)
		}
		i = skipSpace(b, i+1)
		turns := 0
		vend := -1
		if d != nil && key == "turns" && i < len(b) && b[i] == '[' {
			if end, ts, ok := f.fastTurns(b, i, d); ok {
				d.pre = append(d.pre, ts)
				vend, turns = end, len(d.pre)
			}
		}
		if vend < 0 {
			if vend, err = skipValue(b, i); err != nil {
				return nil, err
			}
		}
		dst = append(dst, member{key: key, raw: b[i:vend], turns: turns})
		i = skipSpace(b, vend)
		if i >= len(b) {
			return nil, errors.New("unexpected end of line: object not closed")
		}
		if b[i] == '}' {
			return dst, trailing(b, i+1)
		}
		if b[i] != ',' {
			return nil, errors.New("expected ',' or '}' after the value of " + key)
		}
		i = skipSpace(b, i+1)
	}
}

func trailing(b []byte, i int) error {
	if skipSpace(b, i) != len(b) {
		return errors.New("unexpected data after the record's closing '}'")
	}
	return nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// skipString returns the index just past the string whose opening quote is
// at b[i]. It jumps from quote to quote with bytes.IndexByte (vectorised;
// strings are most of a line's bytes): a quote ends the string unless an odd
// number of backslashes comes right before it.
func skipString(b []byte, i int) (int, error) {
	for j := i + 1; j < len(b); {
		q := bytes.IndexByte(b[j:], '"')
		if q < 0 {
			break
		}
		k := j + q
		n := 0
		for k-n-1 > i && b[k-n-1] == '\\' {
			n++
		}
		if n%2 == 0 {
			return k + 1, nil
		}
		j = k + 1
	}
	return 0, errors.New("unterminated string")
}

// skipValue returns the index just past the JSON value starting at i.
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errors.New("missing value")
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, err := skipString(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errors.New("unbalanced brackets")
	default:
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\r' && b[j] != '\n' {
			j++
		}
		if j == i {
			return 0, errors.New("missing value")
		}
		return j, nil
	}
}

// elements splits a JSON array into its raw elements, like members does for
// objects.
func elements(b []byte, dst [][]byte) ([][]byte, error) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return nil, errors.New("expected an array")
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return dst, trailing(b, i+1)
	}
	for {
		end, err := skipValue(b, i)
		if err != nil {
			return nil, err
		}
		dst = append(dst, b[i:end])
		i = skipSpace(b, end)
		if i >= len(b) {
			return nil, errors.New("unexpected end of array")
		}
		if b[i] == ']' {
			return dst, trailing(b, i+1)
		}
		if b[i] != ',' {
			return nil, errors.New("expected ',' or ']' in array")
		}
		i = skipSpace(b, i+1)
	}
}
