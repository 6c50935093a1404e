package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/northstar-cx/northstar/internal/cx"
)

// ix returns a valid interaction line with the given id. Edits change it:
// "key:raw JSON" sets a member (appended when new) and "-key" removes one.
func ix(id string, edits ...string) string {
	members := [][2]string{
		{"type", `"interaction"`},
		{"id", `"` + id + `"`},
		{"source", `"s"`},
		{"customer", `{"email":"ana@example.com"}`},
		{"channel", `"chat"`},
		{"handler", `"bot"`},
		{"started_at", `"2025-09-01T10:00:00Z"`},
		{"ended_at", `"2025-09-01T10:05:00Z"`},
		{"turns", `[{"speaker":"customer","text":"Where is my order?"},{"speaker":"bot","text":"Let me check."}]`},
	}
	for _, e := range edits {
		if key, ok := strings.CutPrefix(e, "-"); ok {
			members = slices.DeleteFunc(members, func(m [2]string) bool { return m[0] == key })
			continue
		}
		key, raw, _ := strings.Cut(e, ":")
		i := slices.IndexFunc(members, func(m [2]string) bool { return m[0] == key })
		if i < 0 {
			members = append(members, [2]string{key, raw})
		} else {
			members[i][1] = raw
		}
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, m := range members {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + m[0] + `":` + m[1])
	}
	b.WriteByte('}')
	return b.String()
}

// lines joins records into an NDJSON file.
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// badCase is one file with bad records among good ones.
type badCase struct {
	name   string
	file   string   // file name; its extension picks the format
	data   string   // file content
	o      *Options // nil: testOptions()
	want   []string // problems as "LINE: field: message", in order
	stored []string // interaction keys stored afterwards, sorted
	read   int      // records read (lines or rows that are not blank)
}

// run imports the case into a fresh store and checks the problems, the
// counts and that every good record of the file was stored.
func (c badCase) run(t *testing.T) {
	t.Helper()
	st := mustStore(t)
	path := writeTemp(t, c.file, []byte(c.data))
	o := testOptions()
	if c.o != nil {
		o = *c.o
	}
	rep := mustImport(t, st, o, path)
	var got []string
	for _, p := range rep.Problems {
		if p.File != path {
			t.Errorf("problem names file %q, want %q", p.File, path)
		}
		got = append(got, strings.TrimPrefix(p.String(), path+":"))
	}
	if !slices.Equal(got, c.want) {
		t.Errorf("problems:\n got %q\nwant %q", got, c.want)
	}
	tot := rep.Total()
	rejected := map[int]bool{}
	for _, p := range rep.Problems {
		rejected[p.Line] = true
	}
	if tot.Read != c.read || tot.Rejected != len(rejected) || tot.Inserted != tot.Read-tot.Rejected {
		t.Errorf("counts %+v; want read %d, rejected %d, the rest inserted", tot, c.read, len(rejected))
	}
	if !rep.Stored {
		t.Error("report says nothing was stored")
	}
	if keys := storedKeys(t, st); !slices.Equal(keys, c.stored) {
		t.Errorf("stored interactions %q, want %q", keys, c.stored)
	}
}

func TestBadNDJSONRecordsAreRejectedAndTheRestStored(t *testing.T) {
	good := []string{"s/G1", "s/G2"}
	cases := []badCase{
		{
			name: "malformed JSON",
			data: lines(ix("G1"),
				`{"type":"interaction","id":"X1"`,
				`not json`,
				`[1,2]`,
				`{"type":"interaction",}`,
				`{"type" "interaction"}`,
				`{"type":"interaction"} trailing`,
				`{"type":"interaction","id":"X2","source":"s","text":"unterminated}`,
				ix("X3", `mood:tru`),
				ix("G2")),
			want: []string{
				"2: malformed JSON: unexpected end of line: object not closed",
				"3: malformed JSON: a record must be a JSON object",
				"4: malformed JSON: a record must be a JSON object",
				"5: malformed JSON: expected a quoted member name",
				"6: malformed JSON: expected ':' after member name type",
				"7: malformed JSON: unexpected data after the record's closing '}'",
				"8: malformed JSON: unterminated string",
				"9: mood: invalid JSON value: invalid character ' ' in literal true (expecting 'e')",
			},
			read: 10, stored: good,
		},
		{
			name: "wrong types",
			data: lines(ix("G1"),
				ix("X1", `started_at:1`, `wait_seconds:"45"`, `escalated:"yes"`, `turns:{}`, `tags:"vip"`, `attributes:[1]`),
				ix("X2", `customer:"C1"`),
				ix("X3", `turns:[{"speaker":1,"text":"hi"},"hello",{"speaker":"agent","text":5,"at":"noon"}]`),
				ix("X4", `survey:{"csat":"5"}`, `transfers:1.5`, `handle_seconds:-3`),
				ix("G2")),
			want: []string{
				"2: started_at: expected a string, got a number",
				"2: turns: expected an array of {speaker, text}, got an object",
				"2: wait_seconds: expected a number, got a string",
				"2: escalated: expected true or false, got a string",
				"2: tags: expected an array of strings, got a string",
				"2: attributes: expected an object, got an array",
				"2: started_at: missing",
				"3: customer: expected an object with id, email, phone, handle or account: a record must be a JSON object",
				"3: customer: missing: give at least one of id, email, phone, handle, account",
				"4: turns[0].speaker: expected a string, got a number",
				`4: turns[1]: expected an object {speaker, text}: a record must be a JSON object`,
				"4: turns[2].text: expected a string, got a number",
				`4: turns[2].at: expected an RFC 3339 time like 2025-09-01T12:00:00Z, got "noon"`,
				"5: survey.csat: expected a number, got a string",
				"5: transfers: must be a whole number ≥ 0, got 1.5",
				"5: handle_seconds: must be between 0 and one year in seconds, got -3",
			},
			read: 6, stored: good,
		},
		{
			name: "unknown channel, speaker, stage and handler",
			data: lines(ix("G1"),
				ix("X1", `channel:"fax"`),
				ix("X2", `channel:"Chat"`),
				ix("X3", `handler:"robot"`, `journey_stage:"after-sales"`),
				ix("X4", `turns:[{"speaker":"caller","text":"hi"},{"text":"no speaker"},{"speaker":"agent"}]`),
				ix("X5", `handler:"human"`, `escalated:true`),
				ix("G2")),
			want: []string{
				`2: channel: "fax" is not one of voice, chat, email, social, messaging, sms, web`,
				`3: channel: "Chat" is not one of voice, chat, email, social, messaging, sms, web`,
				`4: handler: "robot" is not one of bot, human`,
				`4: journey_stage: "after-sales" is not one of marketing, sales, onboarding, service, fulfilment, billing, retention`,
				`5: turns[0].speaker: "caller" is not one of customer, agent, bot, system`,
				`5: turns[1].speaker: missing`,
				`5: turns[2].text: missing`,
				`6: escalated: only a bot-handled contact can be escalated to a human (handler is human)`,
			},
			read: 7, stored: good,
		},
		{
			name: "unknown or missing record type",
			data: lines(ix("G1"),
				`{"type":"ticket","id":"T1"}`,
				`{"id":"T2"}`,
				`{"type":7}`,
				`{"type":"`+strings.Repeat("é", 30)+`"}`,
				ix("G2")),
			want: []string{
				`2: type: unknown record type "ticket" (use customer, event, interaction, survey or qa_review)`,
				`3: type: missing; every record needs "type": customer, event, interaction, survey or qa_review`,
				`4: type: expected a string, got a number`,
				`5: type: unknown record type "` + strings.Repeat("é", 20) + `…" (use customer, event, interaction, survey or qa_review)`,
			},
			read: 6, stored: good,
		},
		{
			name: "missing required fields",
			data: lines(ix("G1"),
				`{"type":"interaction"}`,
				ix("X1", "-customer"),
				`{"type":"customer","name":"No Id"}`,
				`{"type":"event"}`,
				`{"type":"event","id":"E1","customer":{"id":"C1"},"name":"order_placed","at":"2025-09-01T10:00:00Z"}`,
				`{"type":"survey"}`,
				`{"type":"survey","id":"S1","interaction":{"source":"s","id":"G1"},"at":"2025-09-02T10:00:00Z"}`,
				ix("G2")),
			want: []string{
				"2: id: missing",
				`2: source: missing: name the system the interaction came from, e.g. "zendesk"`,
				"2: customer: missing: give at least one of id, email, phone, handle, account",
				"2: channel: missing",
				"2: handler: missing: bot or human (who took the contact first)",
				"2: started_at: missing",
				"3: customer: missing: give at least one of id, email, phone, handle, account",
				"4: id: missing: the brand's customer id",
				"5: id: missing",
				"5: name: missing: e.g. order_placed, refund_issued, subscription_cancelled",
				"5: at: missing",
				"5: customer: missing: give at least one of id, email, phone, handle, account",
				"6: value: missing: order_placed needs the amount",
				"7: id: missing",
				`7: interaction: missing: {"source": …, "id": …} of the interaction surveyed`,
				"7: at: missing",
				"8: csat: a survey needs at least one of csat, nps, ces",
			},
			read: 9, stored: good,
		},
		{
			name: "invalid UTF-8",
			data: lines(ix("G1"),
				ix("X1", `turns:[{"speaker":"customer","text":"caf`+"\xe9"+`"}]`),
				ix("G2")),
			want: []string{"2: not valid UTF-8 (first bad byte at column 230); re-export the file as UTF-8"},
			read: 3, stored: good,
		},
		{
			name: "ended_at before started_at",
			data: lines(ix("G1"),
				ix("X1", `ended_at:"2025-09-01T09:59:59Z"`),
				ix("X2", `started_at:"2025-09-01T12:00:00+02:00"`, `ended_at:"2025-09-01T09:30:00Z"`),
				ix("G2")),
			want: []string{
				"2: ended_at: is before started_at (2025-09-01T09:59:59Z < 2025-09-01T10:00:00Z)",
				"3: ended_at: is before started_at (2025-09-01T09:30:00Z < 2025-09-01T10:00:00Z)",
			},
			read: 4, stored: good,
		},
		{
			name: "survey scores out of range",
			data: lines(ix("G1"),
				`{"type":"survey","id":"S1","interaction":{"source":"s","id":"G1"},"at":"2025-09-02T10:00:00Z","csat":6}`,
				`{"type":"survey","id":"S2","interaction":{"source":"s","id":"G1"},"at":"2025-09-02T10:00:00Z","nps":11}`,
				`{"type":"survey","id":"S3","interaction":{"source":"s","id":"G1"},"at":"2025-09-02T10:00:00Z","ces":0}`,
				`{"type":"survey","id":"S4","interaction":{"source":"s","id":"G1"},"at":"2025-09-02T10:00:00Z","csat":4.5,"nps":-1,"ces":8}`,
				ix("X1", `survey:{"csat":0,"nps":10,"ces":7}`),
				`{"type":"survey","id":"S5","interaction":{"source":"s","id":"G1"},"at":"2025-09-02T10:00:00Z","csat":5,"nps":0,"ces":1}`,
				ix("G2")),
			want: []string{
				"2: csat: must be a whole number from 1 to 5, got 6",
				"3: nps: must be a whole number from 0 to 10, got 11",
				"4: ces: must be a whole number from 1 to 7, got 0",
				"5: csat: must be a whole number from 1 to 5, got 4.5",
				"5: nps: must be a whole number from 0 to 10, got -1",
				"5: ces: must be a whole number from 1 to 7, got 8",
				"6: survey.csat: must be a whole number from 1 to 5, got 0",
			},
			read: 8, stored: good,
		},
		{
			name: "identities that cannot be normalised",
			data: lines(ix("G1"),
				ix("X1", `customer:{"email":"ana.example.com"}`),
				ix("X2", `customer:{"phone":"call me"}`),
				ix("X3", `customer:{"handle":"ana s"}`),
				ix("X4", `customer:{"twitter":"@ana"}`),
				ix("G2")),
			want: []string{
				"2: customer.email: not an email address",
				"3: customer.phone: not a phone number (national numbers are read in region GB)",
				`4: customer.handle: handle "ana s" has spaces or is empty`,
				"5: customer.twitter: unknown identity kind (use id, email, phone, handle or account)",
				"5: customer: missing: give at least one of id, email, phone, handle, account",
			},
			read: 6, stored: good,
		},
		{
			name: "money",
			data: lines(ix("G1", `cost:5.8`),
				ix("X1", `cost:"--5.50"`),
				ix("X2", `cost:"5.-5"`),
				ix("X3", `cost:1e3`),
				ix("X4", `cost:54.999`),
				`{"type":"event","id":"E1","customer":{"id":"C1"},"name":"refund_issued","at":"2025-09-01T10:00:00Z","value":-10.5}`,
				ix("G2", `cost:"0.35"`)),
			want: []string{
				`2: cost: expected an amount like 54.99 (at most 2 decimals), got "--5.50"`,
				`3: cost: expected an amount like 54.99 (at most 2 decimals), got "5.-5"`,
				`4: cost: expected an amount like 54.99 (at most 2 decimals), got "1e3"`,
				`5: cost: expected an amount like 54.99 (at most 2 decimals), got "54.999"`,
				`6: value: must not be negative (a refund_issued event's value is the amount refunded)`,
			},
			read: 7, stored: good,
		},
		{
			name: "blank lines keep line numbers",
			data: "\n" + ix("G1") + "\n\n   \n\t\n" + ix("X1", `channel:"fax"`) + "\n\n" + ix("G2") + "\n\n",
			want: []string{`6: channel: "fax" is not one of voice, chat, email, social, messaging, sms, web`},
			read: 3, stored: good,
		},
		{
			name: "CRLF line endings",
			data: ix("G1") + "\r\n" + ix("X1", `channel:"fax"`) + "\r\n" + ix("G2") + "\r\n",
			want: []string{`2: channel: "fax" is not one of voice, chat, email, social, messaging, sms, web`},
			read: 3, stored: good,
		},
		{
			name: "byte order mark at the start",
			data: "\ufeff" + lines(ix("G1"), ix("X1", `channel:"fax"`), ix("G2")),
			want: []string{`2: channel: "fax" is not one of voice, chat, email, social, messaging, sms, web`},
			read: 3, stored: good,
		},
		{
			name: "last line without a newline",
			data: ix("G1") + "\n" + ix("G2"),
			read: 2, stored: good,
		},
		{
			name: "line over the limit",
			o:    &Options{MaxLine: 600},
			data: lines(ix("G1"), ix("X1", `note:"`+strings.Repeat("x", 600)+`"`), ix("G2")),
			want: []string{"2: line longer than the 600-byte limit; the record was skipped (split it, or raise the limit with --max-line-mib)"},
			read: 3, stored: good,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.file = "in.ndjson"
			c.run(t)
		})
	}
}

// csvHeader is a complete interaction header.
const csvHeader = "id,source,customer_email,channel,handler,started_at,ended_at,escalated,csat,tags,transcript"

func TestBadCSVRowsAreRejectedAndTheRestStored(t *testing.T) {
	good := []string{"s/G1", "s/G2"}
	g1 := "G1,s,ana@example.com,chat,bot,2025-09-01T10:00:00Z,2025-09-01T10:05:00Z,no,5,delivery;late,\"customer: where is it?\nbot: on its way\""
	g2 := "G2,s,ben@example.com,Voice,Human,2025-09-02T10:00:00Z,,,,,agent: hello"
	cases := []badCase{
		{
			name: "wrong field count",
			data: lines(csvHeader, g1, "X1,s,ana@example.com,chat,bot", "X2,s,ana@example.com,chat,bot,2025-09-01T10:00:00Z,,,,,,extra", g2),
			want: []string{"4: has 5 fields, the header has 11", "5: has 12 fields, the header has 11"},
			read: 4, stored: good,
		},
		{
			name: "bad values",
			data: lines(csvHeader, g1,
				"X1,s,ana@example.com,fax,bot,2025-09-01T10:00:00Z,,maybe,6,,hello",
				"X2,s,,chat,bot,yesterday,,,,,",
				"X3,s,ana@example.com,chat,human,2025-09-01T10:00:00Z,2025-09-01T09:00:00Z,yes,,,", g2),
			want: []string{
				`4: escalated: expected true or false, got a string`,
				`4: csat: must be a whole number from 1 to 5, got 6`,
				`4: transcript: line 1 does not start with a speaker (customer:, agent:, bot: or system:)`,
				`4: channel: "fax" is not one of voice, chat, email, social, messaging, sms, web`,
				`5: started_at: expected an RFC 3339 time like 2025-09-01T12:00:00Z, got "yesterday"`,
				`5: customer: missing: give at least one of id, email, phone, handle, account`,
				`5: started_at: missing`,
				`6: ended_at: is before started_at (2025-09-01T09:00:00Z < 2025-09-01T10:00:00Z)`,
				`6: escalated: only a bot-handled contact can be escalated to a human (handler is human)`,
			},
			read: 5, stored: good,
		},
		{
			name: "invalid UTF-8",
			data: lines(csvHeader, g1, "X1,s,ana@example.com,chat,bot,2025-09-01T10:00:00Z,,,,,customer: caf\xe9", g2),
			want: []string{"4: transcript: not valid UTF-8; re-export the file as UTF-8"},
			read: 3, stored: good,
		},
		{
			name: "malformed quoting",
			data: lines(csvHeader, g1, `X1,s,ana@example.com,chat,bot,2025-09-01T10:00:00Z,,,,,customer: "hi"`, g2),
			want: []string{`4: malformed CSV: bare " in non-quoted-field`},
			read: 3, stored: good,
		},
		{
			// This once panicked the importer: csv.Reader.FieldPos after a failed read.
			name: "quote left open at the end",
			data: lines(csvHeader, g1, g2) + `X1,s,ana@example.com,chat,bot,2025-09-01T10:00:00Z,,,,,"customer: hi` + "\n\n",
			want: []string{`6: malformed CSV: extraneous or missing " in quoted-field`},
			read: 3, stored: good,
		},
		{
			name: "CRLF line endings and a byte order mark",
			data: "\ufeff" + strings.ReplaceAll(lines(csvHeader, g1, "X1,s,ana@example.com,fax,bot,2025-09-01T10:00:00Z,,,,,", g2), "\n", "\r\n"),
			want: []string{`4: channel: "fax" is not one of voice, chat, email, social, messaging, sms, web`},
			read: 3, stored: good,
		},
		{
			name: "blank lines",
			data: lines(csvHeader, "", g1, "", "X1,s,ana@example.com,fax,bot,2025-09-01T10:00:00Z,,,,,", "", g2),
			want: []string{`6: channel: "fax" is not one of voice, chat, email, social, messaging, sms, web`},
			read: 3, stored: good,
		},
		{
			name: "missing required column",
			data: lines("id,source,customer_email,channel,handler", "G1,s,ana@example.com,chat,bot"),
			want: []string{`1: header: missing required column "started_at" for interaction records (see docs/import-format.md)`},
			read: 1,
		},
		{
			name: "missing customer column",
			data: lines("id,source,channel,handler,started_at", "G1,s,chat,bot,2025-09-01T10:00:00Z"),
			want: []string{"1: header: missing a customer column (customer_id, customer_email, customer_phone, customer_handle or customer_account)"},
			read: 1,
		},
		{
			name: "missing customer id column",
			data: lines("email,name", "ana@example.com,Ana"),
			want: []string{`1: header: missing required column "id" for customer records (see docs/import-format.md)`},
			read: 1,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.file = "in.csv"
			c.run(t)
		})
	}
}

// TestCSVValuesAreRead checks what a CSV row becomes: the transcript's turns,
// tags, booleans, the survey and unknown columns as attributes.
func TestCSVValuesAreRead(t *testing.T) {
	st := mustStore(t)
	path := writeTemp(t, "in.csv", []byte(lines(
		"ID,Source,Customer_Phone,Channel,Handler,Started_At,Escalated,Abandoned,Resolved,CSAT,NPS,Comment,Tags,Transcript,Cost,Currency,Crm_Score",
		`T1,s,07700 900123,CHAT,bot,2025-09-01T10:00:00Z,Y,0,yes,4,9,quick, late ; ;vip ,"Bot: hi
customer: my order
  is late

AGENT: sorry",1.5,gbp,7`)))
	rep := mustImport(t, st, testOptions(), path)
	if tot := rep.Total(); tot.Inserted != 1 {
		t.Fatalf("%+v %v", tot, problemStrings(rep))
	}
	in, err := st.Interaction(context.Background(), cx.Scope{}, cx.Key{Source: "s", ID: "T1"})
	if err != nil {
		t.Fatal(err)
	}
	var turns []string
	for _, tu := range in.Turns {
		turns = append(turns, tu.Speaker+"|"+tu.Text)
	}
	wantTurns := []string{"bot|hi", "customer|my order\n  is late", "agent|sorry"}
	if !slices.Equal(turns, wantTurns) {
		t.Errorf("turns %q, want %q", turns, wantTurns)
	}
	if !slices.Equal(in.Tags, []string{"late", "vip"}) {
		t.Errorf("tags %q", in.Tags)
	}
	if in.Channel != cx.Chat || !in.Escalated || in.Abandoned || in.Resolved == nil || !*in.Resolved {
		t.Errorf("channel %q escalated %v abandoned %v resolved %v", in.Channel, in.Escalated, in.Abandoned, in.Resolved)
	}
	if in.Survey == nil || *in.Survey.CSAT != 4 || *in.Survey.NPS != 9 || in.Survey.CES != nil || in.Survey.Comment != "quick" {
		t.Errorf("survey %+v", in.Survey)
	}
	if in.Cost == nil || *in.Cost != 150 || in.Currency != "GBP" {
		t.Errorf("cost %v %q", in.Cost, in.Currency)
	}
	if in.Attributes["crm_score"] != "7" {
		t.Errorf("attributes %v", in.Attributes)
	}
	id, err := st.CustomerID(context.Background(), cx.Identity{Kind: cx.IdentityPhone, Value: "+447700900123"})
	if err != nil || id != in.CustomerID {
		t.Errorf("phone resolves to %d (%v), interaction customer %d", id, err, in.CustomerID)
	}
}

func TestNDJSONValuesAreNormalised(t *testing.T) {
	st := mustStore(t)
	path := writeTemp(t, "in.ndjson", []byte(lines(
		`{"type":"customer","id":"C1","identities":{"email":"Ana@Example.COM","handle":"Ana_S"},"name":"Ana","tier":"gold","attributes":{"plan":"4x2","tier":"platinum"}}`,
		`{"type":"customer","id":"C2","identities":{"phone":"00 44 7700 900456"}}`,
		ix("I1", `customer:{"phone":"07700 900456","email":"ana@example.com"}`, `cost:5`, `currency:"gbp"`, `crm_score:7`),
		`{"type":"event","id":"E1","customer":{"handle":"@ana_s"},"name":"order_placed","at":"2025-09-01T12:00:00+01:00","value":"54.99"}`,
	)))
	rep := mustImport(t, st, testOptions(), path)
	if tot := rep.Total(); tot.Inserted != 4 {
		t.Fatalf("%+v %v", tot, problemStrings(rep))
	}
	ctx := context.Background()
	byEmail, err := st.CustomerID(ctx, cx.Identity{Kind: cx.IdentityEmail, Value: "ana@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	byPhone, err := st.CustomerID(ctx, cx.Identity{Kind: cx.IdentityPhone, Value: "+447700900456"})
	if err != nil || byPhone != byEmail {
		t.Fatalf("phone → %d (%v), email → %d: the interaction names both, so one customer", byPhone, err, byEmail)
	}
	c, err := st.Customer(ctx, cx.Scope{}, byEmail)
	if err != nil {
		t.Fatal(err)
	}
	if c.ExternalID != "C1" || len(c.Merges) != 1 || c.Merges[0].Record != "interaction s/I1" {
		t.Errorf("customer %+v: C1 (the older) must survive the merge made by I1", c)
	}
	if c.Attributes["tier"] != "platinum" || c.Attributes["plan"] != "4x2" {
		t.Errorf("attributes %v: unknown fields are kept, explicit attributes win", c.Attributes)
	}
	var ids []string
	for _, id := range c.Identities {
		ids = append(ids, id.String())
	}
	slices.Sort(ids)
	want := []string{"email:ana@example.com", "handle:@ana_s", "id:C1", "id:C2", "phone:+447700900456"}
	if !slices.Equal(ids, want) {
		t.Errorf("identities %q, want %q", ids, want)
	}
	if c.Value.Revenue != 5499 || c.Value.Orders != 1 {
		t.Errorf("value %+v: 54.99 is 5499 minor units", c.Value)
	}
	in, err := st.Interaction(ctx, cx.Scope{}, cx.Key{Source: "s", ID: "I1"})
	if err != nil {
		t.Fatal(err)
	}
	if *in.Cost != 500 || in.Currency != "GBP" || in.Attributes["crm_score"] != float64(7) {
		t.Errorf("cost %d %q attributes %v", *in.Cost, in.Currency, in.Attributes)
	}
}

func TestEmptyInputsImportNothing(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Close()
	for _, c := range []struct{ name, data string }{
		{"empty.ndjson", ""},
		{"empty.csv", ""},
		{"blank.ndjson", "\n\n  \r\n"},
		{"bom-only.ndjson", "\ufeff"},
		{"header-only.csv", csvHeader + "\n"},
		{"empty.ndjson.gz", gz.String()},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := mustStore(t)
			rep := mustImport(t, st, testOptions(), writeTemp(t, c.name, []byte(c.data)))
			if tot := rep.Total(); tot != (Counts{}) || len(rep.Problems) != 0 || !rep.Stored {
				t.Errorf("report %+v, problems %v", tot, rep.Problems)
			}
		})
	}
}

func gzipped(tb testing.TB, data string) []byte {
	tb.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := io.WriteString(zw, data); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestGzipInputIsReadLikePlain(t *testing.T) {
	nd := lines(ix("G1"), ix("X1", `channel:"fax"`), ix("G2"))
	csv := lines(csvHeader, "G3,s,ana@example.com,chat,bot,2025-09-01T10:00:00Z,,,,,", "X2,s,ana@example.com,fax,bot,2025-09-01T10:00:00Z,,,,,")
	for _, c := range []struct {
		name, data string
		want       []string
		stored     []string
	}{
		{"in.ndjson.gz", nd, []string{`2: channel: "fax"`}, []string{"s/G1", "s/G2"}},
		{"in.csv.gz", csv, []string{`3: channel: "fax"`}, []string{"s/G3"}},
		// Compressed files are recognised by content, whatever their name;
		// without an extension, a first character other than '{' means CSV.
		{"export.bin", nd, []string{`2: channel: "fax"`}, []string{"s/G1", "s/G2"}},
		{"export", csv, []string{`3: channel: "fax"`}, []string{"s/G3"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := mustStore(t)
			path := writeTemp(t, c.name, gzipped(t, c.data))
			rep := mustImport(t, st, testOptions(), path)
			got := problemStrings(rep)
			if len(got) != len(c.want) || !strings.HasPrefix(got[0], path+":"+c.want[0]) {
				t.Errorf("problems %q, want %q", got, c.want)
			}
			if keys := storedKeys(t, st); !slices.Equal(keys, c.stored) {
				t.Errorf("stored %q, want %q", keys, c.stored)
			}
			// The same data uncompressed is the same records: nothing changes.
			plain := writeTemp(t, strings.TrimSuffix(c.name, ".gz"), []byte(c.data))
			again := mustImport(t, st, testOptions(), plain).Total()
			if again.Unchanged != len(c.stored) || again.Inserted+again.Updated != 0 {
				t.Errorf("plain re-import %+v; want %d unchanged", again, len(c.stored))
			}
		})
	}
}

// TestStandardInputIsSniffed reads an unnamed stream ("-"), as the CLI does
// with standard input: CSV or NDJSON by its first character, gzip by magic.
func TestStandardInputIsSniffed(t *testing.T) {
	for _, c := range []struct {
		name string
		data []byte
		key  string
	}{
		{"ndjson", []byte("  \n" + lines(ix("G1"))), "s/G1"},
		{"csv", []byte(lines(csvHeader, "G3,s,ana@example.com,chat,bot,2025-09-01T10:00:00Z,,,,,")), "s/G3"},
		{"gzip", gzipped(t, lines(ix("G4"))), "s/G4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := mustStore(t)
			src := Source{Name: "-", Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(c.data)), nil }}
			rep, err := Import(context.Background(), st, []Source{src}, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			if keys := storedKeys(t, st); !slices.Equal(keys, []string{c.key}) || len(rep.Problems) != 0 {
				t.Errorf("stored %q, problems %v", keys, rep.Problems)
			}
		})
	}
}

func TestDuplicateKeysInOneImport(t *testing.T) {
	survey := func(id string, csat int) string {
		return `{"type":"survey","id":"` + id + `","interaction":{"source":"s","id":"G1"},"at":"2025-09-02T10:00:00Z","csat":` + string(rune('0'+csat)) + `}`
	}
	event := func(id, value string) string {
		return `{"type":"event","id":"` + id + `","customer":{"id":"C1"},"name":"order_placed","at":"2025-09-01T12:00:00Z","value":` + value + `}`
	}
	st := mustStore(t)
	path := writeTemp(t, "dups.ndjson", []byte(lines(
		ix("G1"),
		ix("G1"), // the same again: unchanged
		ix("G1", `handler:"human"`, `-ended_at`),
		survey("S1", 4), survey("S1", 4), survey("S1", 2),
		event("E1", "10"), event("E1", "10"), event("E1", "12"),
	)))
	other := writeTemp(t, "more.ndjson", []byte(lines(ix("G1", `channel:"email"`), event("E1", "11"))))
	rep := mustImport(t, st, Options{BatchSize: 2}, path, other)
	want := []string{
		path + ":3: id: interaction s/G1 appears earlier in this import with different content; keep one version of each record per import",
		path + ":6: id: survey s/S1 appears earlier in this import with different content; keep one version of each record per import",
		path + ":9: id: event E1 appears earlier in this import with different content; keep one version of each record per import",
		other + ":1: id: interaction s/G1 appears earlier in this import with different content; keep one version of each record per import",
		other + ":2: id: event E1 appears earlier in this import with different content; keep one version of each record per import",
	}
	if got := problemStrings(rep); !slices.Equal(got, want) {
		t.Errorf("problems:\n got %q\nwant %q", got, want)
	}
	for typ, want := range map[cx.RecordType]Counts{
		cx.TypeInteraction: {Read: 4, Inserted: 1, Unchanged: 1, Rejected: 2},
		cx.TypeSurvey:      {Read: 3, Inserted: 1, Unchanged: 1, Rejected: 1},
		cx.TypeEvent:       {Read: 4, Inserted: 1, Unchanged: 1, Rejected: 2},
	} {
		if got := countsOf(rep, typ); got != want {
			t.Errorf("%s: %+v, want %+v", typ, got, want)
		}
	}
	in, err := st.Interaction(context.Background(), cx.Scope{}, cx.Key{Source: "s", ID: "G1"})
	if err != nil || in.Handler != cx.Bot || in.Channel != cx.Chat {
		t.Errorf("stored G1 %+v (%v); the first version must stay", in, err)
	}

	// In a later import a different version is an update: last write wins.
	rep = mustImport(t, st, testOptions(), other)
	if tot := rep.Total(); tot.Updated != 2 || tot.Rejected != 0 {
		t.Errorf("later import %+v %v", tot, problemStrings(rep))
	}
	in, err = st.Interaction(context.Background(), cx.Scope{}, cx.Key{Source: "s", ID: "G1"})
	if err != nil || in.Channel != cx.Email {
		t.Errorf("after update G1 %+v (%v)", in, err)
	}
	n := counts(t, st)
	if n["interactions"] != 1 || n["events"] != 1 || n["surveys"] != 1 {
		t.Errorf("counts %v; want one of each", n)
	}
}

// TestCustomerTwiceInOneImportLastWins pins what the store does with a
// customer record repeated with different content in one import: customers
// are keyed by their identities, and the later version wins.
func TestCustomerTwiceInOneImportLastWins(t *testing.T) {
	st := mustStore(t)
	path := writeTemp(t, "c.ndjson", []byte(lines(
		`{"type":"customer","id":"C1","name":"Ana"}`,
		`{"type":"customer","id":"C1","name":"Ana"}`,
		`{"type":"customer","id":"C1","name":"Ana Silva"}`,
	)))
	rep := mustImport(t, st, testOptions(), path)
	if got, want := countsOf(rep, cx.TypeCustomer), (Counts{Read: 3, Inserted: 1, Unchanged: 1, Updated: 1}); got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
	id, err := st.CustomerID(context.Background(), cx.Identity{Kind: cx.IdentityID, Value: "C1"})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := st.Customer(context.Background(), cx.Scope{}, id); err != nil || c.Name != "Ana Silva" {
		t.Errorf("customer %+v (%v)", c, err)
	}
}

func TestCRLFAndLFAreTheSameContent(t *testing.T) {
	st := mustStore(t)
	lf := lines(ix("G1"), ix("G2"))
	mustImport(t, st, testOptions(), writeTemp(t, "lf.ndjson", []byte(lf)))
	crlf := strings.ReplaceAll(lf, "\n", "\r\n")
	tot := mustImport(t, st, testOptions(), writeTemp(t, "crlf.ndjson", []byte("\ufeff"+crlf))).Total()
	if tot.Unchanged != 2 || tot.Read != 2 {
		t.Errorf("CRLF re-import %+v; want both unchanged", tot)
	}
}

func TestStrictStoresNothingWhenARecordIsBad(t *testing.T) {
	st := mustStore(t)
	bad := writeTemp(t, "bad.ndjson", []byte(lines(
		`{"type":"customer","id":"C1","identities":{"email":"ana@example.com"}}`,
		ix("G1"),
		ix("X1", `channel:"fax"`),
	)))
	good := writeTemp(t, "good.csv", []byte(lines(csvHeader, "G3,s,ana@example.com,chat,bot,2025-09-01T10:00:00Z,,,,,")))
	o := testOptions()
	o.Strict = true
	o.BatchSize = 1
	rep := mustImport(t, st, o, bad, good)
	if rep.Stored {
		t.Error("strict import with a bad record says it stored")
	}
	if got := problemStrings(rep); len(got) != 1 || got[0] != bad+`:3: channel: "fax" is not one of voice, chat, email, social, messaging, sms, web` {
		t.Errorf("problems %q", got)
	}
	if tot := rep.Total(); tot != (Counts{Read: 4, Rejected: 1}) {
		t.Errorf("counts %+v; want 4 read, 1 rejected, nothing stored", tot)
	}
	for table, n := range counts(t, st) {
		if n != 0 {
			t.Errorf("%s: %d rows after a failed strict import", table, n)
		}
	}
	// Fixed, the same import stores everything.
	os.WriteFile(bad, []byte(lines(`{"type":"customer","id":"C1","identities":{"email":"ana@example.com"}}`, ix("G1"))), 0o644)
	rep = mustImport(t, st, o, bad, good)
	if tot := rep.Total(); !rep.Stored || tot != (Counts{Read: 3, Inserted: 3}) {
		t.Errorf("strict import of good files: stored %v, %+v %v", rep.Stored, tot, rep.Problems)
	}
	if keys := storedKeys(t, st); !slices.Equal(keys, []string{"s/G1", "s/G3"}) {
		t.Errorf("stored %q", keys)
	}
}

// TestFiftyMegabyteLine imports a real 50 MB line under the default limit:
// it is rejected with the limit in the message, and the lines around it,
// including one right after it, are read.
func TestFiftyMegabyteLine(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(ix("G1") + "\n")
	huge := ix("X1", `note:"`+strings.Repeat("a", 50<<20)+`"`)
	b.WriteString(huge + "\n")
	b.WriteString(ix("G2") + "\n")
	b.WriteString(huge) // and once more, at the end without a newline
	st := mustStore(t)
	path := writeTemp(t, "huge.ndjson", b.Bytes())
	b = bytes.Buffer{}
	rep := mustImport(t, st, testOptions(), path)
	msg := "line longer than the 16 MiB limit; the record was skipped (split it, or raise the limit with --max-line-mib)"
	want := []string{path + ":2: " + msg, path + ":4: " + msg}
	if got := problemStrings(rep); !slices.Equal(got, want) {
		t.Errorf("problems %q, want %q", got, want)
	}
	if keys := storedKeys(t, st); !slices.Equal(keys, []string{"s/G1", "s/G2"}) {
		t.Errorf("stored %q", keys)
	}
	if tot := rep.Total(); tot.Read != 4 || tot.Rejected != 2 {
		t.Errorf("counts %+v", tot)
	}
}

// TestSurveyOfUnknownInteraction is rejected by the store, after validation:
// the interaction must be stored first (earlier in the import or before it).
func TestSurveyOfUnknownInteraction(t *testing.T) {
	st := mustStore(t)
	path := writeTemp(t, "s.ndjson", []byte(lines(
		`{"type":"survey","id":"S1","interaction":{"source":"s","id":"G1"},"at":"2025-09-02T10:00:00Z","csat":5}`,
		ix("G1"),
		`{"type":"survey","id":"S2","interaction":{"source":"s","id":"G1"},"at":"2025-09-02T10:00:00Z","csat":5}`,
	)))
	rep := mustImport(t, st, testOptions(), path)
	want := []string{path + ":1: interaction: unknown interaction s/G1 (import interactions before their surveys)"}
	if got := problemStrings(rep); !slices.Equal(got, want) {
		t.Errorf("problems %q, want %q", got, want)
	}
	if got := countsOf(rep, cx.TypeSurvey); got != (Counts{Read: 2, Inserted: 1, Rejected: 1}) {
		t.Errorf("survey counts %+v", got)
	}
}

// TestTruncatedGzipStopsTheImport: a damaged file is a fatal error naming the
// file, not a bad record; batches stored before it stay stored.
func TestTruncatedGzipStopsTheImport(t *testing.T) {
	for _, c := range []struct{ name, data string }{
		{"in.ndjson.gz", lines(ix("G1"), ix("G2"), ix("G3"))},
		{"in.csv.gz", lines(csvHeader, "G1,s,ana@example.com,chat,bot,2025-09-01T10:00:00Z,,,,,", "G2,s,ana@example.com,chat,bot,2025-09-01T10:00:00Z,,,,,")},
	} {
		t.Run(c.name, func(t *testing.T) {
			z := gzipped(t, c.data)
			path := writeTemp(t, c.name, z[:len(z)-12])
			_, err := Import(context.Background(), mustStore(t), []Source{FileSource(path)}, testOptions())
			if err == nil || !strings.Contains(err.Error(), "import "+path) || !strings.Contains(err.Error(), "unexpected EOF") {
				t.Errorf("err = %v; want the file named and unexpected EOF", err)
			}
		})
	}
}
