package ingest

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/identity"
)

// checkProblems holds for every rejection: a reason in valid UTF-8 (it is
// printed and sent as JSON), without file and line (the caller adds them).
func checkProblems(t *testing.T, probs []Problem) {
	t.Helper()
	for _, p := range probs {
		if p.Message == "" || !utf8.ValidString(p.Message) || !utf8.ValidString(p.Field) {
			t.Fatalf("problem %+v: empty or not UTF-8", p)
		}
		if p.File != "" || p.Line != 0 {
			t.Fatalf("problem %+v: the decoder cannot know file and line", p)
		}
	}
}

// checkRecord holds for every accepted record: its type and payload agree.
func checkRecord(t *testing.T, rec *cx.Record) {
	t.Helper()
	set := 0
	for _, p := range []bool{rec.Customer != nil, rec.Event != nil, rec.Interaction != nil, rec.Survey != nil} {
		if p {
			set++
		}
	}
	ok := set == 1
	switch rec.Type {
	case cx.TypeCustomer:
		ok = ok && rec.Customer != nil && rec.Customer.ExternalID != "" && len(rec.Identities) > 0
	case cx.TypeEvent:
		ok = ok && rec.Event != nil && rec.Event.ID != "" && len(rec.Identities) > 0
	case cx.TypeInteraction:
		in := rec.Interaction
		ok = ok && in != nil && in.ID != "" && in.Source != "" && len(rec.Identities) > 0 && !in.StartedAt.IsZero() &&
			(in.EndedAt == nil || !in.EndedAt.Before(in.StartedAt)) && len(in.Turns) <= maxTurns
	case cx.TypeSurvey:
		ok = ok && rec.Survey != nil && rec.Survey.ID != "" && !rec.Survey.Scores.Empty()
	default:
		ok = false
	}
	if !ok {
		t.Fatalf("accepted record is inconsistent: %+v", rec)
	}
}

func FuzzDecodeLine(f *testing.F) {
	for _, s := range []string{
		ix("I1"),
		ix("I2", `cost:"12.50"`, `survey:{"csat":5,"nps":10,"ces":7,"comment":"ok"}`, `tags:["a","b"]`, `attributes:{"x":[1,{"y":null}]}`, `crm:7`),
		ix("I3", `id:42`, `customer:{"phone":"07700 900123","handle":"Ana"}`, `agent:{"id":7,"name":"Jo"}`, `resolved:null`),
		`{"type":"customer","id":"C1","identities":{"email":"ana@example.com","handle":"@ana_s"},"name":"Ana","signup_at":"2025-03-02T10:00:00Z"}`,
		`{"type":"event","id":"E1","customer":{"id":"C1"},"name":"order_placed","at":"2025-09-01T12:00:00Z","value":54.99,"currency":"gbp"}`,
		`{"type":"survey","id":"S1","interaction":{"source":"s","id":"I1"},"at":"2025-09-07T10:00:00Z","csat":5,"comment":"great"}`,
		`{"type":"interaction","id":"I\u00e9\"x","source":"s\\n"}`,
		`{"type":"ticket"}`, `{}`, `{`, `[]`, ``, `{"a":}`, "{\"type\":\"customer\",\"id\":\"\xff\"}",
	} {
		f.Add([]byte(s))
	}
	norm := identity.Normalizer{Region: "GB"}
	reused := &decoder{norm: norm}
	f.Fuzz(func(t *testing.T, line []byte) {
		in := bytes.Clone(line)
		typ, rec, probs := reused.decodeLine(in)
		checkProblems(t, probs)
		if rec == nil {
			if len(probs) == 0 {
				t.Fatal("rejected without a problem")
			}
			return
		}
		if len(probs) > 0 {
			t.Fatalf("accepted with problems %v", probs)
		}
		if rec.Type == "" || typ != rec.Type {
			t.Fatalf("type %q, record type %q", typ, rec.Type)
		}
		checkRecord(t, rec)
		// The record must not alias the input buffer (the reader reuses it),
		// and decoding is deterministic, with a fresh decoder or a reused one.
		clear(in)
		_, again, probs := (&decoder{norm: norm}).decodeLine(bytes.Clone(line))
		if again == nil || len(probs) > 0 {
			t.Fatalf("accepted once, then rejected: %v", probs)
		}
		if again.Hash != rec.Hash {
			t.Fatalf("hash %x, then %x", rec.Hash, again.Hash)
		}
		if !reflect.DeepEqual(again, rec) {
			t.Fatalf("decoded differently:\n%+v\n%+v", rec, again)
		}
	})
}

func FuzzCSV(f *testing.F) {
	for _, s := range []string{
		csvHeader + "\nG1,s,ana@example.com,chat,bot,2025-09-01T10:00:00Z,,no,5,a;b,\"customer: hi\nbot: hello\"\n",
		"id,email,phone,handle,account,name,segment,region,signup_at,plan\nC1,ana@example.com,07700 900123,@ana,X1,Ana,family,UK,2025-03-02T10:00:00Z,4x2\n",
		"\ufeffID,Source,Customer_ID,Channel,Handler,Started_At\r\n1,s,C1,CHAT,Bot,2025-09-01T10:00:00Z\r\n2,s\r\n",
		"id,source,customer_id,channel,handler,started_at,transcript\n1,s,C1,chat,bot,2025-09-01T10:00:00Z,no speaker\n",
		"id,source,channel\n", "a\n\"b", "", "id\n\xff\n",
	} {
		f.Add([]byte(s))
	}
	norm := identity.Normalizer{Region: "GB"}
	f.Fuzz(func(t *testing.T, data []byte) {
		cr, err := newCSVReader(bytes.NewReader(data))
		if err != nil {
			if err != io.EOF && err.Error() == "" {
				t.Fatal("header rejected without a reason")
			}
			return
		}
		if cr.typ != cx.TypeInteraction && cr.typ != cx.TypeCustomer {
			t.Fatalf("file type %q", cr.typ)
		}
		d := &decoder{norm: norm}
		for range 10000 {
			_, row, err := cr.next()
			if errors.Is(err, io.EOF) {
				return
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				continue
			}
			if err != nil {
				t.Fatalf("reading from memory: %v", err)
			}
			rec, probs := cr.decodeRow(d, row)
			checkProblems(t, probs)
			if (rec == nil) == (len(probs) == 0) {
				t.Fatalf("record %+v with problems %v", rec, probs)
			}
			if rec != nil {
				if rec.Type != cr.typ {
					t.Fatalf("row of a %s file decoded as %s", cr.typ, rec.Type)
				}
				checkRecord(t, rec)
			}
		}
	})
}

// FuzzObject holds the fast path for flat string attributes to encoding/json:
// whenever it answers, json.Unmarshal gives the same map.
func FuzzObject(f *testing.F) {
	for _, s := range []string{
		`{"language":"en-GB","bot_version":"4.2.1"}`, `{}`, `{"a":"x","a":"y"}`, `{"a":"\"q\""}`, `{"a\u00e9":"b"}`,
		`{"a":1}`, `{"a":{"b":"c"}}`, `{"a":"tab	in"}`, `{"a":"b",}`, `{"a" : "b" }`, `{"é":"ü"}`, `{"a":"b"}x`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		fast, ok := (&fields{}).flatStrings(raw)
		if !ok {
			return
		}
		var want map[string]any
		if err := json.Unmarshal(raw, &want); err != nil {
			if utf8.Valid(raw) { // decodeLine rejects invalid UTF-8 before any field is read
				t.Fatalf("fast path read %q, encoding/json rejects it: %v", raw, err)
			}
			return
		}
		if utf8.Valid(raw) && !reflect.DeepEqual(fast, want) {
			t.Fatalf("%q: fast path %v, encoding/json %v", raw, fast, want)
		}
	})
}
