package ingest

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/identity"
)

// The start of a valid interaction line, for cases about what follows.
const ixHead = `{"type":"interaction","id":"I1","source":"s","customer":{"email":"ana@example.com"},"channel":"chat","handler":"bot","started_at":"2025-09-01T10:00:00Z"`

// TestDecodeInteractions decodes realistic and odd interaction lines and
// compares each with a reference decode by encoding/json (refInteraction):
// the hand-written scanner, its substrings of the line and its one-pass
// turns must give what a straightforward decoder gives.
func TestDecodeInteractions(t *testing.T) {
	for _, tc := range []struct{ name, line string }{
		{"generated", interactionLine(7, 10)},
		{"generated, no turns", interactionLine(8, 0)},
		{"escapes", ixHead + `,"queue":"a\"b","intent":"refund\/return","turns":[` +
			`{"speaker":"customer","text":"line one\nline two \"quoted\" \\ back\\\\slash\tcaf\u00e9 \ud83d\ude00"},` +
			`{"speaker":"agent","text":"\u00fcber","at":"2025-09-01T10:00:05Z"}],"tags":["a\"b","c"]}`},
		{"escaped ids", `{"type":"interaction","id":"I\u0031\"","source":"s\\n","customer":{"email":"ana@example.com","handle":"@\u0061na"},"channel":"chat","handler":"bot","started_at":"2025-09-01T10:00:00Z"}`},
		{"unicode", ixHead + `,"queue":"Ünterstützung","agent":{"id":"Zoë","team":"東京"},"turns":[` +
			`{"speaker":"Customer","text":"Grüße, 你好 😀 — “smart quotes”"},{"speaker":"AGENT","text":"ça va ✓"}],` +
			`"tags":["naïve","日本"],"attributes":{"sprache":"Deutsch","émoji":"😀"}}`},
		{"nested attributes and unknown fields", ixHead + `,"attributes":{"order":{"id":1,"items":[1,2.5,"x"]},"vip":true,"note":null,"tier":"gold"},` +
			`"crm":{"a":[1,{"b":null}]},"score":1.5,"note":"top-level","tier":"silver","turns":[{"speaker":"bot","text":"hi"}]}`},
		{"numbers as ids", `{"type":"interaction","id":42,"source":"s","customer":{"id":1001,"phone":"07700 900123","account":-7.5},` +
			`"channel":"voice","handler":"human","agent":{"id":7,"name":"Jo"},"started_at":"2025-09-01T10:00:00Z","transfers":2,"wait_seconds":12.6}`},
		{"odd spacing", "{ \"type\" : \"interaction\" ,\t\"id\" :\"I2\",\"source\":\"s\" , \"customer\" : { \"email\" : \"ana@example.com\" } ," +
			"\"channel\":\"chat\",\"handler\":\"bot\",\"started_at\":\"2025-09-01T10:00:00Z\",\r\"turns\" : [ { \"speaker\" : \"agent\" , \"text\" : \"hi\" } ,\t" +
			"{\"text\":\"yo\" ,\"speaker\":\"customer\" } ] , \"tags\" : [ \"a\" , \"b\" ] , \"survey\" : { \"csat\" : 4 , \"comment\" : \"ok\" } }  "},
		{"turn times and extra turn members", ixHead + `,"turns":[` +
			`{"speaker":"agent","text":"a","at":"2025-09-01T12:00:00.123+02:00","meta":{"x":[1,"]}"]},"n":-1.5e3,"ok":true},` +
			`{"speaker":"customer","text":null,"at":null},{"speaker":"bot","speaker":"system","text":"x","text":"y"},` +
			`{"speaker":"agent","text":"","at":""}]}`},
		{"empty and null members", ixHead + `,"turns":[],"tags":[],"attributes":{},"agent":null,"survey":null,"resolved":null,"ended_at":null}`},
		{"everything", ixHead + `,"journey_stage":"fulfilment","queue":"q","agent":{"id":"A1","team":"t","partner":"p"},` +
			`"ended_at":"2025-09-01T11:06:00+01:00","wait_seconds":3,"handle_seconds":360,"transfers":0,"escalated":true,"abandoned":false,` +
			`"resolved":false,"intent":"refund","cost":"54.9","currency":"eur","survey":{"csat":5,"nps":0,"ces":7},"tags":["x"]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := refInteraction(t, tc.line)
			d := &decoder{norm: identity.Normalizer{Region: "GB"}}
			line := []byte(tc.line)
			typ, rec, probs := d.decodeLine(line)
			if rec == nil || len(probs) > 0 || typ != cx.TypeInteraction {
				t.Fatalf("rejected (%s): %v", typ, probs)
			}
			clear(line) // the record must not alias the line
			if !reflect.DeepEqual(rec.Interaction, want) {
				got, _ := json.MarshalIndent(rec.Interaction, "", " ")
				exp, _ := json.MarshalIndent(want, "", " ")
				t.Fatalf("decoded\n%s\nreference\n%s", got, exp)
			}
			if rec.Hash != contentHash([]byte(tc.line)) || len(rec.Identities) == 0 {
				t.Fatalf("hash %x, identities %v", rec.Hash, rec.Identities)
			}
		})
	}
}

// refInteraction decodes an interaction line the slow, obvious way: by
// encoding/json, then the decoder's documented conversions (ids may be
// numbers, speakers are lower-cased, times are UTC, currencies upper-case,
// unknown members go to attributes, explicit attributes win).
func refInteraction(t *testing.T, line string) *cx.Interaction {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(line), &raw); err != nil {
		t.Fatal(err)
	}
	str := func(m json.RawMessage) string {
		if m == nil {
			return "" // absent
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(m))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		switch v := v.(type) {
		case string:
			return v
		case json.Number:
			return v.String()
		case nil:
			return ""
		}
		t.Fatalf("not a string: %s", m)
		return ""
	}
	tm := func(m json.RawMessage) *time.Time {
		s := str(m)
		if s == "" {
			return nil
		}
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		v = v.UTC()
		return &v
	}
	into := func(m json.RawMessage, v any) {
		if err := json.Unmarshal(m, v); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
	}
	in := &cx.Interaction{}
	var extra, attrs map[string]any
	for k, m := range raw {
		switch k {
		case "type":
		case "id":
			in.ID = str(m)
		case "source":
			in.Source = str(m)
		case "customer":
			var c map[string]json.RawMessage
			into(m, &c)
			in.Customer = cx.Ref{ID: str(c["id"]), Email: str(c["email"]), Phone: str(c["phone"]), Handle: str(c["handle"]), Account: str(c["account"])}
		case "channel":
			in.Channel = cx.Channel(str(m))
		case "journey_stage":
			in.JourneyStage = str(m)
		case "queue":
			in.Queue = str(m)
		case "handler":
			in.Handler = cx.Handler(str(m))
		case "agent":
			var a map[string]json.RawMessage
			into(m, &a)
			in.Agent = cx.Agent{ID: str(a["id"]), Team: str(a["team"]), Partner: str(a["partner"])}
		case "started_at":
			in.StartedAt = *tm(m)
		case "ended_at":
			in.EndedAt = tm(m)
		case "wait_seconds", "handle_seconds", "transfers":
			var v float64
			into(m, &v)
			switch k {
			case "wait_seconds":
				in.WaitSeconds = int(math.Round(v))
			case "handle_seconds":
				in.HandleSeconds = int(math.Round(v))
			default:
				in.Transfers = int(v)
			}
		case "escalated":
			into(m, &in.Escalated)
		case "abandoned":
			into(m, &in.Abandoned)
		case "resolved":
			into(m, &in.Resolved)
		case "intent":
			in.Intent = str(m)
		case "cost":
			c, err := parseMoney(str(m))
			if err != nil {
				t.Fatal(err)
			}
			in.Cost = &c
		case "currency":
			in.Currency = strings.ToUpper(str(m))
		case "turns":
			var turns []map[string]json.RawMessage
			into(m, &turns)
			if turns != nil {
				in.Turns = make([]cx.Turn, len(turns))
			}
			// Duplicate members: the last wins, as json.Unmarshal into a map gives.
			for i, tr := range turns {
				in.Turns[i] = cx.Turn{Speaker: strings.ToLower(str(tr["speaker"])), Text: str(tr["text"]), At: tm(tr["at"])}
			}
		case "survey":
			if string(m) != "null" {
				in.Survey = &cx.Scores{}
				into(m, in.Survey)
			}
		case "tags":
			into(m, &in.Tags)
		case "attributes":
			into(m, &attrs)
		default:
			if extra == nil {
				extra = map[string]any{}
			}
			var v any
			into(m, &v)
			extra[k] = v
		}
	}
	in.Attributes = mergeAttrs(extra, attrs)
	return in
}

// TestDecodeRejects: the problems of lines the one-pass turns decoder leaves
// to the careful one, and of broken lines around it.
func TestDecodeRejects(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		want       []Problem
	}{
		{"unknown speaker", ixHead + `,"turns":[{"speaker":"agent","text":"a"},{"speaker":"Robot","text":"b"}]}`,
			[]Problem{{Field: "turns[1].speaker", Message: `"robot" is not one of customer, agent, bot, system`}}},
		{"missing speaker and text", ixHead + `,"turns":[{"speaker":"agent"},{"text":"b"},{}]}`,
			[]Problem{{Field: "turns[0].text", Message: "missing"}, {Field: "turns[1].speaker", Message: "missing"},
				{Field: "turns[2].speaker", Message: "missing"}, {Field: "turns[2].text", Message: "missing"}}},
		{"bad turn time", ixHead + `,"turns":[{"speaker":"agent","text":"a","at":"yesterday"}]}`,
			[]Problem{{Field: "turns[0].at", Message: `expected an RFC 3339 time like 2025-09-01T12:00:00Z, got "yesterday"`}}},
		{"number as text", ixHead + `,"turns":[{"speaker":"agent","text":5}]}`,
			[]Problem{{Field: "turns[0].text", Message: "expected a string, got a number"}}},
		{"not an object", ixHead + `,"turns":[{"speaker":"agent","text":"a"},"hello"]}`,
			[]Problem{{Field: "turns[1]", Message: "expected an object {speaker, text}: a record must be a JSON object"}}},
		{"missing comma", ixHead + `,"turns":[{"speaker":"agent","text":"a"} {"speaker":"agent","text":"b"}]}`,
			[]Problem{{Field: "turns", Message: "expected an array of {speaker, text}: expected ',' or ']' in array"}}},
		{"turns not an array", ixHead + `,"turns":{"speaker":"agent"}}`,
			[]Problem{{Field: "turns", Message: "expected an array of {speaker, text}, got an object"}}},
		{"unterminated text", ixHead + `,"turns":[{"speaker":"agent","text":"a\"}]}`,
			[]Problem{{Message: "malformed JSON: unterminated string"}}},
		{"unclosed turns", ixHead + `,"turns":[{"speaker":"agent","text":"a"}`,
			[]Problem{{Message: "malformed JSON: unbalanced brackets"}}},
		{"mismatched bracket", ixHead + `,"turns":[{"speaker":"agent","text":"a"}}`,
			[]Problem{{Message: "malformed JSON: unexpected end of line: object not closed"}}},
		{"data after the record", ixHead + `,"turns":[{"speaker":"agent","text":"a"}]} x`,
			[]Problem{{Message: "malformed JSON: unexpected data after the record's closing '}'"}}},
		{"bad nested names", ixHead + `,"customer":{"email":5,"fax":"1"},"survey":{"csat":6,"comment":1}}`,
			[]Problem{{Field: "customer.email", Message: "expected a string, got a number"},
				{Field: "customer.fax", Message: "unknown identity kind (use id, email, phone, handle or account)"},
				{Field: "survey.csat", Message: "must be a whole number from 1 to 5, got 6"},
				{Field: "survey.comment", Message: "expected a string, got a number"},
				{Field: "customer", Message: "missing: give at least one of id, email, phone, handle, account"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := &decoder{norm: identity.Normalizer{Region: "GB"}}
			_, rec, probs := d.decodeLine([]byte(tc.line))
			if rec != nil || !reflect.DeepEqual(probs, tc.want) {
				t.Fatalf("record %v, problems\n%#v\nwant\n%#v", rec, probs, tc.want)
			}
		})
	}
}

// FuzzTurns holds the one-pass turns decoder to the careful one: whenever it
// answers, f.turns (which walks the array again, element by element) finds no
// problem and gives the same turns, and the array ends where skipValue says.
func FuzzTurns(f *testing.F) {
	for _, s := range []string{
		`[{"speaker":"agent","text":"a"}]`, `[]`, ` [ ] `, `[{"speaker":"Agent","text":null,"at":"2025-09-01T12:00:00+02:00"}]`,
		`[{"speaker":"bot","text":"a\nb","x":tru"e}]`, `[{"speaker":"bot","text":"a","x":{"y":"]"}}]`, `[{"speaker":"ſystem","text":"a"}]`,
		`[{"speaker":"agent","text":"a"},1]`, `[{"speaker":"agent","text":"a"}1]`, `[{"sp\u0065aker":"agent","text":"a"}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if len(raw) == 0 || raw[0] != '[' || !utf8.Valid(raw) {
			return
		}
		fast := &fields{line: raw, s: string(raw)}
		end, got, ok := fast.fastTurns(raw, 0, &decoder{})
		if !ok {
			return
		}
		skip, err := skipValue(raw, 0)
		if err != nil || skip != end {
			t.Fatalf("%q: fast path ends at %d, skipValue at %d (%v)", raw, end, skip, err)
		}
		slow := &fields{}
		want := slow.turns(raw[:end])
		if len(slow.problems) > 0 || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: fast path %+v, f.turns %+v (%v)", raw, got, want, slow.problems)
		}
	})
}

// FuzzStrings holds the fast path for arrays of plain strings to encoding/json.
func FuzzStrings(f *testing.F) {
	for _, s := range []string{`["a","b"]`, `[]`, ` [ "a" ] `, `["a\"b"]`, `["a",1]`, `["a",]`, `["é","日本"]`, `["a"]x`, `["tab	in"]`, "[\"\xff\"]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, fl := range []*fields{{}, {line: raw, s: string(raw)}} {
			if fl.s != "" && !utf8.Valid(raw) {
				continue // a line is checked to be UTF-8 before any field is read
			}
			fast, ok := fl.plainStrings(raw)
			if !ok {
				continue
			}
			var want []string
			if err := json.Unmarshal(raw, &want); err != nil || !reflect.DeepEqual(fast, want) || (want == nil) != (fast == nil) {
				t.Fatalf("%q: fast path %#v, encoding/json %#v (%v)", raw, fast, want, err)
			}
		}
	})
}

// FuzzSkipString holds the vectorised skipString to the byte-by-byte scan
// it replaced.
func FuzzSkipString(f *testing.F) {
	for _, s := range []string{`"a"`, `"a\"b"x`, `"a\\"b`, `"\\\\\"`, `"`, `"abc`, `"a\`, `""`, `"\\\"\\"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 || b[0] != '"' {
			return
		}
		want := 0
		for j := 1; j < len(b); j++ {
			if b[j] == '\\' {
				j++
			} else if b[j] == '"' {
				want = j + 1
				break
			}
		}
		got, err := skipString(b, 0)
		if got != want || (err != nil) != (want == 0) {
			t.Fatalf("%q: skipString %d (%v), want %d", b, got, err, want)
		}
	})
}

// FuzzUnquote holds the unescaping fast path to encoding/json: whenever it
// answers, json.Unmarshal gives the same string.
func FuzzUnquote(f *testing.F) {
	for _, s := range []string{`"a\nb"`, `"\"q\" \\ \/ \b\f\r\t"`, `"caf\u00e9 \u00E9 \u20ac"`, `"\ud83d\ude00"`, `"\u0000"`,
		`"\x41"`, `"\u12"`, `"tab	in"`, `"a\"`, `"é\n"`, "\"\xff\\n\"", `"\uD800"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := unquote(raw)
		if !ok {
			return
		}
		var want string
		if err := json.Unmarshal(raw, &want); err != nil || got != want {
			t.Fatalf("%q: fast path %q, encoding/json %q (%v)", raw, got, want, err)
		}
	})
}
