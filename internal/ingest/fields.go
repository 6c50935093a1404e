package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
	// line is the NDJSON line being decoded and s its one copy as a string:
	// plain strings are taken as substrings of s instead of copied one by one
	// (the record must not alias line, which belongs to the reader). Both are
	// empty for CSV rows.
	line    []byte
	s       string
	scratch []member // for nested objects, which are never nested in each other
}

// sub returns b as a string: a substring of f.s when b lies in f.line, a
// copy otherwise. A subslice of line starts at cap(line) - cap(b); comparing
// the addresses checks that b really is one.
func (f *fields) sub(b []byte) string {
	if f == nil || len(b) == 0 || len(f.s) == 0 {
		return string(b)
	}
	off := cap(f.line) - cap(b)
	if off < 0 || off+len(b) > len(f.line) || &f.line[off] != &b[0] {
		return string(b)
	}
	return f.s[off : off+len(b)]
}

// nested splits a nested object into members in f's scratch space; the
// members are valid until the next call.
func (f *fields) nested(raw []byte) ([]member, error) {
	ms, err := f.members(raw, f.scratch[:0], nil)
	if ms != nil {
		f.scratch = ms
	}
	return ms, err
}

func (f *fields) bad(field, format string, args ...any) {
	// A field name may be a substring of the line (a member's key); problems
	// outlive the line in the import's report, so they get their own copy.
	f.problems = append(f.problems, Problem{Field: strings.Clone(field), Message: fmt.Sprintf(format, args...)})
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
			return f.sub(raw[1 : len(raw)-1])
		}
		if s, ok := unquote(raw); ok {
			return s
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			f.bad(field, "invalid string: %v", err)
		}
		return s
	}
	if numberOK && len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		if _, err := strconv.ParseFloat(string(raw), 64); err == nil {
			return f.sub(raw)
		}
	}
	f.bad(field, "expected a string, got %s", kindOf(raw))
	return ""
}

// flag is deref(f.boolean(field, raw)) without the allocation.
func (f *fields) flag(field string, raw []byte) bool {
	switch string(raw) {
	case "true":
		return true
	case "false", "null":
		return false
	}
	f.bad(field, "expected true or false, got %s", kindOf(raw))
	return false
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

// memberScore is score for member m of the object named field ("" at the
// top level), naming the member only when there is a problem to report.
func (f *fields) memberScore(field string, m member, lo, hi int) *int {
	// The happy path of number and score: a number, whole and in the scale.
	if raw := m.raw; len(raw) > 0 && raw[0] != '"' {
		if v, err := strconv.ParseFloat(string(raw), 64); err == nil && v == math.Trunc(v) && v >= float64(lo) && v <= float64(hi) {
			n := int(v)
			return &n
		}
	}
	return f.score(memberName(field, m.key), m.raw, lo, hi)
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
	s := f.sub(raw)
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
	t, ok := f.timeValue(field, raw)
	if !ok {
		return nil
	}
	return &t
}

// timeValue is timestamp for a time kept by value (no allocation); false
// means none was given or it was reported.
func (f *fields) timeValue(field string, raw []byte) (time.Time, bool) {
	s := f.str(field, raw, false)
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		f.bad(field, "expected an RFC 3339 time like 2025-09-01T12:00:00Z, got %q", s)
		return time.Time{}, false
	}
	return t.UTC(), true
}

func (f *fields) object(field string, raw []byte) map[string]any {
	if isNull(raw) {
		return nil
	}
	if len(raw) == 0 || raw[0] != '{' {
		f.bad(field, "expected an object, got %s", kindOf(raw))
		return nil
	}
	if m, ok := f.flatStrings(raw); ok {
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
func (f *fields) flatStrings(raw []byte) (map[string]any, bool) {
	ms, err := f.nested(raw)
	if err != nil {
		return nil, false
	}
	for _, x := range ms {
		v := x.raw
		if len(v) < 2 || v[0] != '"' || !plainJSON(v[1:len(v)-1]) || !plainJSON(x.key) {
			return nil, false
		}
	}
	m := make(map[string]any, len(ms))
	for _, x := range ms {
		m[x.key] = f.sub(x.raw[1 : len(x.raw)-1])
	}
	return m, true
}

// unquote decodes a JSON string token with escapes (raw is one whole token,
// as skipString delimits it) the way json.Unmarshal does, for the escapes
// text has: \n, \", \uXXXX outside the surrogates and the like. Anything
// else — surrogates, control characters, bad escapes, invalid UTF-8 — says
// no and is left to encoding/json, which reports or replaces it.
func unquote(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' || !utf8.Valid(raw) {
		return "", false
	}
	in := raw[1 : len(raw)-1]
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); i++ {
		c := in[i]
		switch {
		case c < 0x20 || c == '"':
			return "", false
		case c != '\\':
			out = append(out, c)
			continue
		}
		if i+1 >= len(in) {
			return "", false
		}
		i++
		switch in[i] {
		case '"', '\\', '/':
			out = append(out, in[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if i+4 >= len(in) {
				return "", false
			}
			var r rune
			for _, h := range in[i+1 : i+5] {
				switch {
				case h >= '0' && h <= '9':
					r = r<<4 | rune(h-'0')
				case h >= 'a' && h <= 'f':
					r = r<<4 | rune(h-'a'+10)
				case h >= 'A' && h <= 'F':
					r = r<<4 | rune(h-'A'+10)
				default:
					return "", false
				}
			}
			if r >= 0xD800 && r < 0xE000 {
				return "", false
			}
			out = utf8.AppendRune(out, r)
			i += 4
		default:
			return "", false
		}
	}
	return string(out), true
}

// plainJSON reports whether b is the inside of a JSON string that means
// itself: no escapes and no control characters.
func plainJSON[T string | []byte](b T) bool {
	for i := 0; i < len(b); i++ {
		if c := b[i]; c < 0x20 || c == '\\' || c == '"' {
			return false
		}
	}
	return true
}

func (f *fields) strings(field string, raw []byte) []string {
	if isNull(raw) {
		return nil
	}
	if out, ok := f.plainStrings(raw); ok {
		return out
	}
	var out []string
	if err := json.Unmarshal(raw, &out); err != nil {
		f.bad(field, "expected an array of strings, got %s", kindOf(raw))
	}
	return out
}

// plainStrings reads an array of plain strings (what tags are) without
// encoding/json's reflection, giving what json.Unmarshal would; anything
// else says no and is left to encoding/json.
func (f *fields) plainStrings(raw []byte) ([]string, bool) {
	j := skipSpace(raw, 0)
	if j >= len(raw) || raw[j] != '[' {
		return nil, false
	}
	out := []string{}
	j = skipSpace(raw, j+1)
	if j < len(raw) && raw[j] == ']' {
		return out, skipSpace(raw, j+1) == len(raw)
	}
	for {
		if j >= len(raw) || raw[j] != '"' {
			return nil, false
		}
		k := j + 1
		for k < len(raw) && raw[k] != '"' {
			if c := raw[k]; c < 0x20 || c == '\\' {
				return nil, false
			}
			k++
		}
		// The line is valid UTF-8, a CSV cell need not be.
		if k >= len(raw) || len(f.s) == 0 && !utf8.Valid(raw[j+1:k]) {
			return nil, false
		}
		out = append(out, f.sub(raw[j+1:k]))
		j = skipSpace(raw, k+1)
		switch {
		case j < len(raw) && raw[j] == ',':
			j = skipSpace(raw, j+1)
		case j < len(raw) && raw[j] == ']':
			return out, skipSpace(raw, j+1) == len(raw)
		default:
			return nil, false
		}
	}
}

// ref decodes a customer reference object.
func (f *fields) ref(field string, raw []byte) cx.Ref {
	var r cx.Ref
	if isNull(raw) {
		return r
	}
	ms, err := f.nested(raw)
	if err != nil {
		f.bad(field, "expected an object with id, email, phone, handle or account: %v", err)
		return r
	}
	for _, m := range ms {
		switch m.key {
		case "id":
			r.ID = f.memberStr(field, m, true)
		case "email":
			r.Email = f.memberStr(field, m, false)
		case "phone":
			r.Phone = f.memberStr(field, m, true)
		case "handle":
			r.Handle = f.memberStr(field, m, false)
		case "account":
			r.Account = f.memberStr(field, m, true)
		default:
			f.bad(field+"."+m.key, "unknown identity kind (use id, email, phone, handle or account)")
		}
	}
	return r
}

// memberStr is str for member m of the object named field ("" at the top
// level), naming the member ("customer.email") only when there is a problem
// to report: most members have none.
func (f *fields) memberStr(field string, m member, numberOK bool) string {
	if raw := m.raw; len(raw) >= 2 && raw[0] == '"' && bytes.IndexByte(raw, '\\') < 0 {
		return f.sub(raw[1 : len(raw)-1])
	}
	return f.str(memberName(field, m.key), m.raw, numberOK)
}

func memberName(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
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
