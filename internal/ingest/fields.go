package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
)

// Problem is one thing wrong with one record.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	if p.Field == "" {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Field, p.Message)
}

// fields decodes the members of one record, collecting problems by field so a
// record reports everything wrong with it at once.
type fields struct {
	problems []Problem // File and Line are filled in by the caller
}

func (f *fields) bad(field, format string, args ...any) {
	f.problems = append(f.problems, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

func isNull(raw []byte) bool { return len(raw) == 4 && string(raw) == "null" }

func kindOf(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// str decodes a string; ids may also be given as numbers.
func (f *fields) str(field string, raw []byte, numberOK bool) string {
	if isNull(raw) {
		return ""
	}
	if len(raw) > 0 && raw[0] == '"' {
		if bytes.IndexByte(raw, '\\') < 0 {
			return string(raw[1 : len(raw)-1])
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			f.bad(field, "invalid string: %v", err)
		}
		return s
	}
	if numberOK && len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		if _, err := strconv.ParseFloat(string(raw), 64); err == nil {
			return string(raw)
		}
	}
	f.bad(field, "expected a string, got %s", kindOf(raw))
	return ""
}

func (f *fields) boolean(field string, raw []byte) *bool {
	switch string(raw) {
	case "true":
		t := true
		return &t
	case "false":
		b := false
		return &b
	case "null":
		return nil
	}
	f.bad(field, "expected true or false, got %s", kindOf(raw))
	return nil
}

// number decodes a JSON number; whole says it must have no fraction.
func (f *fields) number(field string, raw []byte) (float64, bool) {
	if isNull(raw) {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || len(raw) == 0 || raw[0] == '"' {
		f.bad(field, "expected a number, got %s", kindOf(raw))
		return 0, false
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		f.bad(field, "number out of range")
		return 0, false
	}
	return v, true
}

// seconds decodes a non-negative duration in seconds, rounded to whole seconds.
func (f *fields) seconds(field string, raw []byte) int {
	v, ok := f.number(field, raw)
	if !ok {
		return 0
	}
	if v < 0 || v > 365*24*3600 {
		f.bad(field, "must be between 0 and one year in seconds, got %v", v)
		return 0
	}
	return int(math.Round(v))
}

// count decodes a small non-negative integer.
func (f *fields) count(field string, raw []byte) int {
	v, ok := f.number(field, raw)
	if !ok {
		return 0
	}
	if v < 0 || v != math.Trunc(v) || v > 1e6 {
		f.bad(field, "must be a whole number ≥ 0, got %v", v)
		return 0
	}
	return int(v)
}

// score decodes a survey score and checks its scale.
func (f *fields) score(field string, raw []byte, lo, hi int) *int {
	v, ok := f.number(field, raw)
	if !ok {
		return nil
	}
	if v != math.Trunc(v) || v < float64(lo) || v > float64(hi) {
		f.bad(field, "must be a whole number from %d to %d, got %v", lo, hi, v)
		return nil
	}
	n := int(v)
	return &n
}

// money decodes a decimal amount in major units ("54.99") into minor units
// exactly, without going through a float.
func (f *fields) money(field string, raw []byte) *cx.Money {
	if isNull(raw) {
		return nil
	}
	s := string(raw)
	if len(raw) > 0 && raw[0] == '"' {
		s = strings.Trim(s, `"`)
	}
	m, err := parseMoney(s)
	if err != nil {
		f.bad(field, "%v", err)
		return nil
	}
	return &m
}

func parseMoney(given string) (cx.Money, error) {
	s := given
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	// Digits only: strconv would also take signs, so "5.-5" or "--5" would slip through.
	if whole == "" || len(frac) > 2 || !isDigits(whole) || !isDigits(frac) {
		return 0, fmt.Errorf("expected an amount like 54.99 (at most 2 decimals), got %q", given)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || w > math.MaxInt64/1000 {
		return 0, fmt.Errorf("expected an amount like 54.99, got %q", given)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	p, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("expected an amount like 54.99, got %q", given)
	}
	m := cx.Money(w*100 + p)
	if neg {
		m = -m
	}
	return m, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// timestamp decodes an RFC 3339 time into UTC.
func (f *fields) timestamp(field string, raw []byte) *time.Time {
	s := f.str(field, raw, false)
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		f.bad(field, "expected an RFC 3339 time like 2025-09-01T12:00:00Z, got %q", s)
		return nil
	}
	t = t.UTC()
	return &t
}

func (f *fields) object(field string, raw []byte) map[string]any {
	if isNull(raw) {
		return nil
	}
	if len(raw) == 0 || raw[0] != '{' {
		f.bad(field, "expected an object, got %s", kindOf(raw))
		return nil
	}
	if m, ok := flatStrings(raw); ok {
		return m
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		f.bad(field, "invalid object: %v", err)
	}
	return m
}

// flatStrings reads an object whose values are all plain strings — what
// nearly every record's attributes are — without encoding/json's reflection,
// giving the map json.Unmarshal would. Anything else (escapes, control
// characters, other values, nesting) says no and is left to encoding/json.
func flatStrings(raw []byte) (map[string]any, bool) {
	ms, err := members(raw, nil)
	if err != nil {
		return nil, false
	}
	m := make(map[string]any, len(ms))
	for _, x := range ms {
		v := x.raw
		if len(v) < 2 || v[0] != '"' || !plainJSON(v[1:len(v)-1]) || !plainJSON([]byte(x.key)) {
			return nil, false
		}
		m[x.key] = string(v[1 : len(v)-1])
	}
	return m, true
}

// plainJSON reports whether b is the inside of a JSON string that means
// itself: no escapes and no control characters.
func plainJSON(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c == '\\' || c == '"' {
			return false
		}
	}
	return true
}

func (f *fields) strings(field string, raw []byte) []string {
	if isNull(raw) {
		return nil
	}
	var out []string
	if err := json.Unmarshal(raw, &out); err != nil {
		f.bad(field, "expected an array of strings, got %s", kindOf(raw))
	}
	return out
}

// ref decodes a customer reference object.
func (f *fields) ref(field string, raw []byte) cx.Ref {
	var r cx.Ref
	if isNull(raw) {
		return r
	}
	ms, err := members(raw, nil)
	if err != nil {
		f.bad(field, "expected an object with id, email, phone, handle or account: %v", err)
		return r
	}
	for _, m := range ms {
		name := field + "." + m.key
		switch m.key {
		case "id":
			r.ID = f.str(name, m.raw, true)
		case "email":
			r.Email = f.str(name, m.raw, false)
		case "phone":
			r.Phone = f.str(name, m.raw, true)
		case "handle":
			r.Handle = f.str(name, m.raw, false)
		case "account":
			r.Account = f.str(name, m.raw, true)
		default:
			f.bad(name, "unknown identity kind (use id, email, phone, handle or account)")
		}
	}
	return r
}

// identity reports an identity normalisation error under the field it names
// ("customer.email: not an email address"), so --json output has the field.
func (f *fields) identity(err error) {
	field, msg, ok := strings.Cut(err.Error(), ": ")
	if !ok || strings.ContainsAny(field, " \"") {
		field, msg = "", err.Error()
	}
	f.bad(field, "%s", msg)
}

// oneOf checks an enumerated value.
func (f *fields) oneOf(field, v string, allowed []string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	f.bad(field, "%q is not one of %s", v, strings.Join(allowed, ", "))
}
