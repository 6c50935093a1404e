package cx

// A hand-written encoder for the stored interaction body.
//
// The import encodes one body per interaction on the worker goroutines, and
// json.Marshal's reflection, per-field dispatch and float/string encoders made
// that about a ninth of all import CPU. This encoder writes the same bytes as
// json.Marshal (escapeHTML on, fields in struct order, omitempty honoured,
// map keys sorted) without reflection. The contract is byte equality with
// encoding/json; body_test.go checks it on hand-made edge cases, on random
// interactions and under fuzzing, and fails when a struct gains a field this
// file does not know.
//
// Anything unusual — a NaN, a time json cannot represent, an attribute value
// of a type handled only by reflection that fails — makes the fast encoder
// give up, and StoredBody then asks encoding/json itself, so errors (and their
// messages) are exactly encoding/json's.

import (
	"encoding/json"
	"errors"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// errSlowPath tells StoredBody to let encoding/json encode the interaction:
// either it fails (and its error is the one to return) or the value needs a
// case the fast encoder does not cover.
var errSlowPath = errors.New("cx: body needs encoding/json")

// bodyBufs recycles encoding buffers so that the only allocation of a
// StoredBody call is its exact-size result, whatever the body's size.
var bodyBufs = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

// maxPooledBuf keeps a rare huge body from pinning its buffer in the pool.
const maxPooledBuf = 256 << 10

func storedBodyFast(in *Interaction) (string, error) {
	bp := bodyBufs.Get().(*[]byte)
	b, err := appendBody((*bp)[:0], in)
	var out string
	if err == nil {
		out = string(b)
	}
	if cap(b) <= maxPooledBuf {
		*bp = b[:0]
		bodyBufs.Put(bp)
	}
	return out, err
}

// appendBody appends the stored body of in — in as json.Marshal prints it,
// with Customer cleared and CustomerID left out — to dst. It returns
// errSlowPath when encoding/json has to decide.
func appendBody(b []byte, in *Interaction) ([]byte, error) {
	var err error
	b = append(b, `{"source":`...)
	b = appendString(b, in.Source)
	b = append(b, `,"id":`...)
	b = appendString(b, in.ID)
	// The stored body clears the customer reference; every Ref field is
	// omitempty, so the zero Ref is an empty object.
	b = append(b, `,"customer":{},"channel":`...)
	b = appendString(b, string(in.Channel))
	if in.JourneyStage != "" {
		b = append(b, `,"journey_stage":`...)
		b = appendString(b, in.JourneyStage)
	}
	if in.Queue != "" {
		b = append(b, `,"queue":`...)
		b = appendString(b, in.Queue)
	}
	b = append(b, `,"handler":`...)
	b = appendString(b, string(in.Handler))
	b = append(b, `,"agent":{`...)
	if in.Agent.ID != "" {
		b = append(b, `"id":`...)
		b = appendString(b, in.Agent.ID)
	}
	if in.Agent.Team != "" {
		b = appendKey(b, `"team":`)
		b = appendString(b, in.Agent.Team)
	}
	if in.Agent.Partner != "" {
		b = appendKey(b, `"partner":`)
		b = appendString(b, in.Agent.Partner)
	}
	b = append(b, `},"started_at":`...)
	if b, err = appendTime(b, in.StartedAt); err != nil {
		return b, err
	}
	if in.EndedAt != nil {
		b = append(b, `,"ended_at":`...)
		if b, err = appendTime(b, *in.EndedAt); err != nil {
			return b, err
		}
	}
	b = append(b, `,"wait_seconds":`...)
	b = strconv.AppendInt(b, int64(in.WaitSeconds), 10)
	b = append(b, `,"handle_seconds":`...)
	b = strconv.AppendInt(b, int64(in.HandleSeconds), 10)
	b = append(b, `,"transfers":`...)
	b = strconv.AppendInt(b, int64(in.Transfers), 10)
	b = append(b, `,"escalated":`...)
	b = strconv.AppendBool(b, in.Escalated)
	b = append(b, `,"abandoned":`...)
	b = strconv.AppendBool(b, in.Abandoned)
	if in.Resolved != nil {
		b = append(b, `,"resolved":`...)
		b = strconv.AppendBool(b, *in.Resolved)
	}
	if in.Intent != "" {
		b = append(b, `,"intent":`...)
		b = appendString(b, in.Intent)
	}
	if in.Cost != nil {
		b = append(b, `,"cost":`...)
		b = strconv.AppendInt(b, int64(*in.Cost), 10)
	}
	if in.Currency != "" {
		b = append(b, `,"currency":`...)
		b = appendString(b, in.Currency)
	}
	b = append(b, `,"turns":`...)
	if in.Turns == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range in.Turns {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendTurn(b, &in.Turns[i]); err != nil {
				return b, err
			}
		}
		b = append(b, ']')
	}
	if in.Survey != nil {
		b = append(b, `,"survey":`...)
		b = appendScores(b, in.Survey)
	}
	if len(in.Tags) > 0 {
		b = append(b, `,"tags":[`...)
		for i, t := range in.Tags {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, t)
		}
		b = append(b, ']')
	}
	if len(in.Attributes) > 0 {
		b = append(b, `,"attributes":`...)
		if b, err = appendAnyMap(b, in.Attributes, 0); err != nil {
			return b, err
		}
	}
	if in.Analysis != nil {
		b = append(b, `,"analysis":`...)
		if b, err = appendAnalysis(b, in.Analysis); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// appendKey appends an object key, preceded by a comma unless it is the
// object's first member. It is for objects whose leading fields are all
// omitempty; no member value ends in '{', so the last byte tells.
func appendKey(b []byte, key string) []byte {
	if b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	return append(b, key...)
}

func appendTurn(b []byte, t *Turn) ([]byte, error) {
	var err error
	b = append(b, `{"speaker":`...)
	b = appendString(b, t.Speaker)
	if t.At != nil {
		b = append(b, `,"at":`...)
		if b, err = appendTime(b, *t.At); err != nil {
			return b, err
		}
	}
	b = append(b, `,"text":`...)
	b = appendString(b, t.Text)
	if t.Sentiment != nil {
		b = append(b, `,"sentiment":`...)
		if b, err = appendFloat(b, *t.Sentiment); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

func appendScores(b []byte, s *Scores) []byte {
	b = append(b, '{')
	if s.CSAT != nil {
		b = append(b, `"csat":`...)
		b = strconv.AppendInt(b, int64(*s.CSAT), 10)
	}
	if s.NPS != nil {
		b = appendKey(b, `"nps":`)
		b = strconv.AppendInt(b, int64(*s.NPS), 10)
	}
	if s.CES != nil {
		b = appendKey(b, `"ces":`)
		b = strconv.AppendInt(b, int64(*s.CES), 10)
	}
	if s.Comment != "" {
		b = appendKey(b, `"comment":`)
		b = appendString(b, s.Comment)
	}
	return append(b, '}')
}

func appendAnalysis(b []byte, a *Analysis) ([]byte, error) {
	var err error
	b = append(b, `{"versions":`...)
	if a.Versions == nil {
		b = append(b, "null"...)
	} else {
		b, _ = appendSortedMap(b, a.Versions, appendStringValue)
	}
	if len(a.Redactions) > 0 {
		b = append(b, `,"redactions":`...)
		b, _ = appendSortedMap(b, a.Redactions, appendIntValue)
	}
	for _, f := range [...]struct {
		key string
		v   *float64
	}{
		{`,"sentiment":`, a.Sentiment},
		{`,"sentiment_start":`, a.SentimentStart},
		{`,"sentiment_end":`, a.SentimentEnd},
		{`,"sentiment_change":`, a.SentimentChange},
	} {
		if f.v != nil {
			b = append(b, f.key...)
			if b, err = appendFloat(b, *f.v); err != nil {
				return b, err
			}
		}
	}
	if a.Intent != "" {
		b = append(b, `,"intent":`...)
		b = appendString(b, a.Intent)
	}
	if a.IntentConfidence != 0 { // omitempty: -0 is empty too
		b = append(b, `,"intent_confidence":`...)
		if b, err = appendFloat(b, a.IntentConfidence); err != nil {
			return b, err
		}
	}
	if a.IntentSource != "" {
		b = append(b, `,"intent_source":`...)
		b = appendString(b, a.IntentSource)
	}
	if len(a.Flags) > 0 {
		b = append(b, `,"flags":[`...)
		for i := range a.Flags {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"kind":`...)
			b = appendString(b, a.Flags[i].Kind)
			b = append(b, `,"evidence":`...)
			b = appendSpans(b, a.Flags[i].Evidence)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if a.Vulnerable {
		b = append(b, `,"vulnerable":true`...)
	}
	b = append(b, `,"resolved":`...)
	b = strconv.AppendBool(b, a.Resolved)
	if a.ResolvedSource != "" {
		b = append(b, `,"resolved_source":`...)
		b = appendString(b, a.ResolvedSource)
	}
	if a.ResolvedEvidence != nil {
		b = append(b, `,"resolved_evidence":`...)
		b = appendSpan(b, a.ResolvedEvidence)
	}
	b = append(b, `,"effort":`...)
	if b, err = appendFloat(b, a.Effort); err != nil {
		return b, err
	}
	if a.QA != nil {
		b = append(b, `,"qa":`...)
		if b, err = appendQA(b, a.QA); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

func appendQA(b []byte, q *QAResult) ([]byte, error) {
	var err error
	b = append(b, `{"scorecard":`...)
	b = appendString(b, q.Scorecard)
	b = append(b, `,"score":`...)
	if b, err = appendFloat(b, q.Score); err != nil {
		return b, err
	}
	b = append(b, `,"auto_fail":`...)
	b = strconv.AppendBool(b, q.AutoFail)
	b = append(b, `,"criteria":`...)
	if q.Criteria == nil {
		return append(b, "null}"...), nil
	}
	b = append(b, '[')
	for i := range q.Criteria {
		c := &q.Criteria[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = appendString(b, c.ID)
		if c.Label != "" {
			b = append(b, `,"label":`...)
			b = appendString(b, c.Label)
		}
		b = append(b, `,"weight":`...)
		if b, err = appendFloat(b, c.Weight); err != nil {
			return b, err
		}
		b = append(b, `,"passed":`...)
		b = strconv.AppendBool(b, c.Passed)
		b = append(b, `,"applies":`...)
		b = strconv.AppendBool(b, c.Applies)
		if c.AutoFail {
			b = append(b, `,"auto_fail":true`...)
		}
		if len(c.Evidence) > 0 {
			b = append(b, `,"evidence":`...)
			b = appendSpans(b, c.Evidence)
		}
		if c.Note != "" {
			b = append(b, `,"note":`...)
			b = appendString(b, c.Note)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...), nil
}

// appendSpans encodes a slice without omitempty: nil is null, empty is [].
func appendSpans(b []byte, spans []Span) []byte {
	if spans == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range spans {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendSpan(b, &spans[i])
	}
	return append(b, ']')
}

func appendSpan(b []byte, s *Span) []byte {
	b = append(b, `{"turn":`...)
	b = strconv.AppendInt(b, int64(s.Turn), 10)
	b = append(b, `,"start":`...)
	b = strconv.AppendInt(b, int64(s.Start), 10)
	b = append(b, `,"end":`...)
	b = strconv.AppendInt(b, int64(s.End), 10)
	return append(b, '}')
}

// appendTime writes t as time.Time.MarshalJSON does. AppendText shares its
// strict RFC 3339 check (4-digit year, zone hour below 24); when it fails,
// encoding/json must produce the error.
func appendTime(b []byte, t time.Time) ([]byte, error) {
	out, err := t.AppendText(append(b, '"'))
	if err != nil {
		return b, errSlowPath // AppendText returns nil; keep the buffer for the pool
	}
	return append(out, '"'), nil
}

// appendFloat writes f as encoding/json's float64 encoder does: like
// JavaScript's Number toString, 'e' notation below 1e-6 and from 1e21, with
// single-digit negative exponents unpadded. NaN and ±Inf are errors.
func appendFloat(b []byte, f float64) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return b, errSlowPath
	}
	abs := math.Abs(f)
	if abs < 1e15 && abs != 0 && f == math.Trunc(f) {
		// An integer this small is exact in a float64 and is its own
		// shortest representation: strconv would print just its digits.
		return strconv.AppendInt(b, int64(f), 10), nil
	}
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-07 → e-7
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// appendSortedMap encodes a non-nil map with its keys in the order
// encoding/json writes them: byte-wise, as strings.Compare orders. The keys
// of a body's maps (stage versions, redaction kinds, attributes) nearly
// always fit the stack array.
func appendSortedMap[V any](b []byte, m map[string]V, value func([]byte, V) ([]byte, error)) ([]byte, error) {
	var arr [16]string
	keys := arr[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var err error
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		if b, err = value(b, m[k]); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

func appendStringValue(b []byte, s string) ([]byte, error) { return appendString(b, s), nil }

func appendIntValue(b []byte, i int) ([]byte, error) { return strconv.AppendInt(b, int64(i), 10), nil }

// maxAnyDepth bounds the recursion of the attribute encoder; deeper values
// go to encoding/json, which also detects cycles.
const maxAnyDepth = 32

// appendAnyMap encodes a non-nil map[string]any.
func appendAnyMap(b []byte, m map[string]any, depth int) ([]byte, error) {
	return appendSortedMap(b, m, func(b []byte, v any) ([]byte, error) { return appendAny(b, v, depth+1) })
}

// appendAny encodes what JSON decoding produces directly and hands any other
// type to encoding/json; the bytes are the same as encoding it in place,
// since an interface value is encoded by its dynamic type's encoder with the
// same options.
func appendAny(b []byte, v any, depth int) ([]byte, error) {
	if depth > maxAnyDepth {
		return appendMarshal(b, v)
	}
	var err error
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, v), nil
	case float64:
		return appendFloat(b, v)
	case bool:
		return strconv.AppendBool(b, v), nil
	case map[string]any:
		if v == nil {
			return append(b, "null"...), nil
		}
		return appendAnyMap(b, v, depth)
	case []any:
		if v == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			if b, err = appendAny(b, e, depth+1); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	}
	return appendMarshal(b, v)
}

func appendMarshal(b []byte, v any) ([]byte, error) {
	j, err := json.Marshal(v)
	if err != nil {
		return b, errSlowPath
	}
	return append(b, j...), nil
}

// appendString writes s as a JSON string exactly as encoding/json does with
// HTML escaping on: " and \ backslash-escaped; \b \f \n \r \t short; other
// control bytes and < > & as \u00XX; U+2028 and U+2029 as \u2028 and \u2029;
// each invalid UTF-8 byte as \ufffd. Turn texts are most of a body and
// mostly safe ASCII, so runs of eight safe bytes are skipped a word at a time.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		// Skip eight safe bytes at a time (see unsafeBytes), or jump
		// straight to the first byte of the word that needs a look.
		if i+8 <= len(s) {
			bad := unsafeBytes(load64(s[i:]))
			if bad == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(bad) >> 3
		} else if j := len(s) - 8; j >= 0 {
			// The tail: check the string's last eight bytes, ignoring
			// those before i (already written, and possibly unsafe).
			// A borrow from one of those can flag a safe byte, which
			// the byte-wise code below simply passes over.
			skip := uint(i-j) * 8
			bad := unsafeBytes(load64(s[j:])) >> skip << skip
			if bad == 0 {
				break
			}
			i = j + bits.TrailingZeros64(bad)>>3
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if htmlSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// load64 reads the first eight bytes of s as a little-endian word (the
// compiler makes it one load).
func load64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

const (
	lsb = 0x0101010101010101 // 0x01 in every byte
	msb = 0x8080808080808080 // 0x80 in every byte
)

// unsafeBytes is non-zero when one of the eight bytes of w needs escaping:
// non-ASCII, a control byte, or one of " \ < > &. It uses the classic "has a
// zero byte" trick: (x - 0x01…) & ^x & 0x80… is non-zero iff some byte of x
// is zero (false positives occur only above a true zero, which is unsafe
// anyway). Each test XORs the word so that the bytes to escape become zero.
// '<' and '>' differ only in bit 1, '"' and '&' only in bit 2, so setting
// that bit folds each pair into one comparison.
//
// Borrows only run towards higher bytes, so the lowest flagged byte is always
// a true one: appendString jumps straight to it.
func unsafeBytes(w uint64) uint64 {
	bad := w | (w-0x20*lsb)&^w // non-ASCII, or below 0x20 (exact when no byte has its high bit set)
	x := w ^ ('\\' * lsb)      // backslash → 0
	bad |= (x - lsb) &^ x
	x = (w | 0x02*lsb) ^ ('>' * lsb) // < or > → 0
	bad |= (x - lsb) &^ x
	x = (w | 0x04*lsb) ^ ('&' * lsb) // " or & → 0
	bad |= (x - lsb) &^ x
	return bad & msb
}

const hexDigits = "0123456789abcdef"

// htmlSafe marks the ASCII bytes encoding/json writes as they are with HTML
// escaping on.
var htmlSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = true
	}
	for _, c := range `"\<>&` {
		t[c] = false
	}
	t[0x7f] = true // DEL is printed as is
	return t
}()
