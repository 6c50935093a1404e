package ingest

import (
	"bytes"
	"encoding/json"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/identity"
)

// Limits on a record's content; beyond them a record is rejected, not truncated.
const (
	maxTurns    = 2000
	maxTextSize = 1 << 20
)

// decoder turns one NDJSON line into a validated record.
type decoder struct {
	norm    identity.Normalizer
	members []member
	scratch []member    // fields.scratch between lines
	pre     [][]cx.Turn // turns decoded in the line's single pass, by member.turns
	turnBuf []scanTurn  // fastTurns' turns before they are copied out
	texts   []string    // fastTurns' unescaped texts
}

func contentHash(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

// decodeLine decodes and validates one NDJSON line. It returns the record, or
// the problems that reject it (without file and line, which the caller adds).
func (d *decoder) decodeLine(line []byte) (cx.RecordType, *cx.Record, []Problem) {
	// One copy of the line: every plain string of the record is a substring
	// of it, where copying each would cost an allocation.
	f := &fields{line: line, s: string(line), scratch: d.scratch}
	typ, rec, probs := d.decode(f, line)
	d.scratch = f.scratch[:0]
	clear(d.pre) // the record has its turns; the decoder keeps no part of it
	d.pre = d.pre[:0]
	return typ, rec, probs
}

func (d *decoder) decode(f *fields, line []byte) (cx.RecordType, *cx.Record, []Problem) {
	if !utf8.Valid(line) {
		i := 0
		for i < len(line) {
			r, size := utf8.DecodeRune(line[i:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			i += size
		}
		return "", nil, []Problem{{Message: "not valid UTF-8 (first bad byte at column " + strconv.Itoa(i+1) + "); re-export the file as UTF-8"}}
	}
	ms, err := f.members(line, d.members[:0], d)
	if err != nil {
		return "", nil, []Problem{{Message: "malformed JSON: " + err.Error()}}
	}
	d.members = ms
	var typ string
	for _, m := range ms {
		if m.key == "type" {
			typ = f.str("type", m.raw, false)
		}
	}
	if len(f.problems) > 0 {
		return "", nil, f.problems
	}
	var rec *cx.Record
	switch cx.RecordType(typ) {
	case cx.TypeInteraction:
		rec = d.interaction(f, ms)
	case cx.TypeCustomer:
		rec = d.customer(f, ms)
	case cx.TypeEvent:
		rec = d.event(f, ms)
	case cx.TypeSurvey:
		rec = d.survey(f, ms)
	case cx.TypeQAReview:
		rec = d.qaReview(f, ms)
	case "":
		return "", nil, []Problem{{Field: "type", Message: "missing; every record needs \"type\": customer, event, interaction, survey or qa_review"}}
	default:
		return "", nil, []Problem{{Field: "type", Message: "unknown record type " + quote(typ) + " (use customer, event, interaction, survey or qa_review)"}}
	}
	if len(f.problems) > 0 {
		return rec.Type, nil, f.problems
	}
	rec.Hash = contentHash(line)
	return rec.Type, rec, nil
}

// extra keeps an unknown member in attributes: unknown fields are data, not errors.
func (f *fields) extra(attrs map[string]any, m member) map[string]any {
	if attrs == nil {
		attrs = make(map[string]any)
	}
	var v any
	if err := json.Unmarshal(m.raw, &v); err != nil {
		f.bad(m.key, "invalid JSON value: %v", err)
		return attrs
	}
	if _, taken := attrs[m.key]; !taken {
		attrs[m.key] = v
	}
	return attrs
}

func mergeAttrs(dst, src map[string]any) map[string]any {
	if dst == nil {
		return src
	}
	for k, v := range src {
		dst[k] = v // explicit attributes win over unknown top-level fields
	}
	return dst
}

func (d *decoder) interaction(f *fields, ms []member) *cx.Record {
	in := &cx.Interaction{}
	var extra, attrs map[string]any
	var hasStart bool
	for _, m := range ms {
		switch m.key {
		case "type":
		case "id":
			in.ID = f.str("id", m.raw, true)
		case "source":
			in.Source = f.str("source", m.raw, false)
		case "customer":
			in.Customer = f.ref("customer", m.raw)
		case "channel":
			in.Channel = cx.Channel(f.str("channel", m.raw, false))
		case "journey_stage":
			in.JourneyStage = f.str("journey_stage", m.raw, false)
		case "queue":
			in.Queue = f.str("queue", m.raw, false)
		case "handler":
			in.Handler = cx.Handler(f.str("handler", m.raw, false))
		case "agent":
			in.Agent = f.agent(m.raw)
		case "started_at":
			if t, ok := f.timeValue("started_at", m.raw); ok {
				in.StartedAt, hasStart = t, true
			}
		case "ended_at":
			in.EndedAt = f.timestamp("ended_at", m.raw)
		case "wait_seconds":
			in.WaitSeconds = f.seconds("wait_seconds", m.raw)
		case "handle_seconds":
			in.HandleSeconds = f.seconds("handle_seconds", m.raw)
		case "transfers":
			in.Transfers = f.count("transfers", m.raw)
		case "escalated":
			in.Escalated = f.flag("escalated", m.raw)
		case "abandoned":
			in.Abandoned = f.flag("abandoned", m.raw)
		case "resolved":
			in.Resolved = f.boolean("resolved", m.raw)
		case "intent":
			in.Intent = f.str("intent", m.raw, false)
		case "cost":
			in.Cost = f.money("cost", m.raw)
		case "currency":
			in.Currency = strings.ToUpper(f.str("currency", m.raw, false))
		case "turns":
			if m.turns > 0 {
				in.Turns = d.pre[m.turns-1]
			} else {
				in.Turns = f.turns(m.raw)
			}
		case "survey":
			in.Survey = f.scores("survey", m.raw)
		case "tags":
			in.Tags = f.strings("tags", m.raw)
		case "attributes":
			attrs = f.object("attributes", m.raw)
		default:
			extra = f.extra(extra, m)
		}
	}
	in.Attributes = mergeAttrs(extra, attrs)
	rec := &cx.Record{Type: cx.TypeInteraction, Interaction: in}
	d.checkInteraction(f, rec, hasStart)
	return rec
}

func deref(b *bool) bool { return b != nil && *b }

// checkInteraction validates an interaction however it was read (NDJSON or CSV).
func (d *decoder) checkInteraction(f *fields, rec *cx.Record, hasStart bool) {
	in := rec.Interaction
	if in.ID == "" {
		f.bad("id", "missing")
	}
	if in.Source == "" {
		f.bad("source", "missing: name the system the interaction came from, e.g. \"zendesk\"")
	}
	if in.Customer.Empty() {
		f.bad("customer", "missing: give at least one of id, email, phone, handle, account")
	} else if ids, err := d.norm.Identities("customer", in.Customer); err != nil {
		f.identity(err)
	} else {
		rec.Identities = ids
	}
	if in.Channel == "" {
		f.bad("channel", "missing")
	} else {
		f.oneOf("channel", string(in.Channel), channelNames)
	}
	if in.Handler == "" {
		f.bad("handler", "missing: bot or human (who took the contact first)")
	} else {
		f.oneOf("handler", string(in.Handler), []string{string(cx.Bot), string(cx.Human)})
	}
	if in.JourneyStage != "" {
		f.oneOf("journey_stage", in.JourneyStage, cx.Stages)
	}
	if !hasStart {
		f.bad("started_at", "missing")
	} else if in.EndedAt != nil && in.EndedAt.Before(in.StartedAt) {
		f.bad("ended_at", "is before started_at (%s < %s)", in.EndedAt.Format("2006-01-02T15:04:05Z07:00"), in.StartedAt.Format("2006-01-02T15:04:05Z07:00"))
	}
	if in.Escalated && in.Handler == cx.Human {
		f.bad("escalated", "only a bot-handled contact can be escalated to a human (handler is human)")
	}
	if len(in.Turns) > maxTurns {
		f.bad("turns", "%d turns, more than the limit of %d", len(in.Turns), maxTurns)
	}
}

var channelNames = func() []string {
	out := make([]string, len(cx.Channels))
	for i, c := range cx.Channels {
		out[i] = string(c)
	}
	return out
}()

func (f *fields) agent(raw []byte) cx.Agent {
	var a cx.Agent
	if isNull(raw) {
		return a
	}
	ms, err := f.nested(raw)
	if err != nil {
		f.bad("agent", "expected an object with id, team, partner: %v", err)
		return a
	}
	for _, m := range ms {
		switch m.key {
		case "id":
			a.ID = f.str("agent.id", m.raw, true)
		case "team":
			a.Team = f.str("agent.team", m.raw, false)
		case "partner":
			a.Partner = f.str("agent.partner", m.raw, false)
		default:
			// Agent names and other details are not needed for analysis; dropping
			// them keeps personal data of staff out of the store.
		}
	}
	return a
}

func (f *fields) turns(raw []byte) []cx.Turn {
	if isNull(raw) {
		return nil
	}
	if len(raw) == 0 || raw[0] != '[' {
		f.bad("turns", "expected an array of {speaker, text}, got %s", kindOf(raw))
		return nil
	}
	// The member scanner is several times faster than reflection here, and
	// turns are most of an interaction's bytes.
	elems, err := elements(raw, nil)
	if err != nil {
		f.bad("turns", "expected an array of {speaker, text}: %v", err)
		return nil
	}
	out := make([]cx.Turn, len(elems))
	var ms []member
	for i, el := range elems {
		// Field names are built only for problems: most turns have none.
		field := func() string { return "turns[" + strconv.Itoa(i) + "]" }
		ms, err = f.members(el, ms[:0], nil)
		if err != nil {
			f.bad(field(), "expected an object {speaker, text}: %v", err)
			continue
		}
		hasText, speakerBad := false, false
		for _, m := range ms {
			switch m.key {
			case "speaker":
				n := len(f.problems)
				out[i].Speaker = strings.ToLower(plainOr(m.raw, func() string { return f.str(field()+".speaker", m.raw, false) }))
				speakerBad = len(f.problems) > n
			case "at":
				out[i].At = f.timestamp(field()+".at", m.raw)
			case "text":
				out[i].Text, hasText = plainOr(m.raw, func() string { return f.str(field()+".text", m.raw, false) }), true
			}
		}
		switch {
		case out[i].Speaker != "":
			if !slices.Contains(cx.Speakers, out[i].Speaker) {
				f.oneOf(field()+".speaker", out[i].Speaker, cx.Speakers)
			}
		case !speakerBad:
			f.bad(field()+".speaker", "missing")
		}
		if !hasText {
			f.bad(field()+".text", "missing")
		} else if len(out[i].Text) > maxTextSize {
			f.bad(field()+".text", "longer than %d bytes", maxTextSize)
		}
	}
	return out
}

// scanTurn is a turn read by fastTurns, before the turns are copied out. It
// holds no pointers (indexes into the line and cx.Speakers, the time as
// Unix seconds), so filling and reusing the buffer costs no GC write
// barriers.
type scanTurn struct {
	speaker int8 // index in cx.Speakers, -1 for none
	hasAt   bool
	nsec    int32
	sec     int64
	textAt  int // where the text starts in the line; -1: d.texts[textLen]
	textLen int
}

// fastTurns reads the turns array starting at b[i] as the top-level walk
// meets it, in one pass, and returns the index just past it; b is f.line.
// It takes only what needs no problem reported: well-formed objects with a
// known speaker, a text and an optional plain RFC 3339 time. Anything else
// — a problem, an escape in a speaker, odd JSON — says no, and the array is
// then skipped and decoded by f.turns as before, which reports what is
// wrong. So when it says yes, the result is what f.turns would give, and
// the index is where skipValue would end (FuzzTurns holds it to that).
func (f *fields) fastTurns(b []byte, i int, d *decoder) (int, []cx.Turn, bool) {
	buf := d.turnBuf[:0]
	d.texts = d.texts[:0]
	defer func() {
		d.turnBuf = buf[:0]
		clear(d.texts) // do not keep the line's strings alive
	}()
	j := skipSpace(b, i+1)
	if j < len(b) && b[j] == ']' {
		return j + 1, make([]cx.Turn, 0), true
	}
	for {
		if j >= len(b) || b[j] != '{' {
			return 0, nil, false
		}
		j = skipSpace(b, j+1)
		t := scanTurn{speaker: -1}
		hasText := false
		for {
			if j >= len(b) || b[j] != '"' {
				return 0, nil, false
			}
			kend, err := skipString(b, j)
			if err != nil {
				return 0, nil, false
			}
			key := b[j+1 : kend-1]
			j = skipSpace(b, kend)
			if j >= len(b) || b[j] != ':' {
				return 0, nil, false
			}
			j = skipSpace(b, j+1)
			vend, err := skipValue(b, j)
			if err != nil {
				return 0, nil, false
			}
			v := b[j:vend]
			switch {
			case string(key) == "speaker":
				if t.speaker = speakerIndex(v); t.speaker < 0 {
					return 0, nil, false
				}
			case string(key) == "text":
				switch {
				case v[0] == '"' && bytes.IndexByte(v, '\\') < 0:
					t.textAt, t.textLen = j+1, len(v)-2
				case v[0] == '"':
					s, ok := unquote(v)
					if !ok {
						var u string // here, so only this rare case allocates it
						if err := json.Unmarshal(v, &u); err != nil {
							return 0, nil, false
						}
						s = u
					}
					d.texts = append(d.texts, s)
					t.textAt, t.textLen = -1, len(d.texts)-1
				case isNull(v):
					t.textAt, t.textLen = 0, 0
				default:
					return 0, nil, false
				}
				hasText = true
			case string(key) == "at":
				at, ok := plainTime(v)
				if !ok {
					return 0, nil, false
				}
				t.hasAt, t.sec, t.nsec = true, at.Unix(), int32(at.Nanosecond())
			case v[0] != '"' && v[0] != '{' && v[0] != '[' && bytes.ContainsAny(v, "\"{["):
				// A bare value with a quote or bracket inside: skipValue's
				// bracket counting would read it differently; leave it to f.turns.
				return 0, nil, false
			}
			j = skipSpace(b, vend)
			if j >= len(b) {
				return 0, nil, false
			}
			if b[j] == '}' {
				j++
				break
			}
			if b[j] != ',' {
				return 0, nil, false
			}
			j = skipSpace(b, j+1)
		}
		if t.speaker < 0 || !hasText || (t.textAt >= 0 && t.textLen > maxTextSize) ||
			(t.textAt < 0 && len(d.texts[t.textLen]) > maxTextSize) {
			return 0, nil, false
		}
		buf = append(buf, t)
		j = skipSpace(b, j)
		if j >= len(b) {
			return 0, nil, false
		}
		if b[j] == ']' {
			break
		}
		if b[j] != ',' {
			return 0, nil, false
		}
		j = skipSpace(b, j+1)
	}
	out := make([]cx.Turn, len(buf))
	nAt := 0
	for k := range buf {
		if buf[k].hasAt {
			nAt++
		}
	}
	var ats []time.Time
	if nAt > 0 {
		ats = make([]time.Time, 0, nAt) // one allocation for every turn's time
	}
	for k := range buf {
		t := &buf[k]
		out[k].Speaker = cx.Speakers[t.speaker]
		if t.textAt >= 0 {
			out[k].Text = f.s[t.textAt : t.textAt+t.textLen]
		} else {
			out[k].Text = d.texts[t.textLen]
		}
		if t.hasAt {
			ats = append(ats, time.Unix(t.sec, int64(t.nsec)).UTC())
			out[k].At = &ats[len(ats)-1]
		}
	}
	return j + 1, out, true
}

// speakerIndex returns the index in cx.Speakers of the speaker a plain
// string names, lower-cased exactly as f.turns lower-cases it ("Agent"),
// or -1.
func speakerIndex(raw []byte) int8 {
	if len(raw) < 2 || raw[0] != '"' || bytes.IndexByte(raw, '\\') >= 0 {
		return -1
	}
	for k, sp := range cx.Speakers {
		if string(raw[1:len(raw)-1]) == sp {
			return int8(k)
		}
	}
	if k := slices.Index(cx.Speakers, strings.ToLower(string(raw[1:len(raw)-1]))); k >= 0 {
		return int8(k)
	}
	return -1
}

func (f *fields) scores(field string, raw []byte) *cx.Scores {
	if isNull(raw) {
		return nil
	}
	ms, err := f.nested(raw)
	if err != nil {
		f.bad(field, "expected an object with csat, nps, ces, comment: %v", err)
		return nil
	}
	s := &cx.Scores{}
	for _, m := range ms {
		f.scoreMember(field, s, m)
	}
	if s.Empty() && s.Comment == "" {
		return nil
	}
	return s
}

// scoreMember decodes csat, nps, ces or comment of the object named field
// ("" at the top level); it reports whether m was one.
func (f *fields) scoreMember(field string, s *cx.Scores, m member) bool {
	switch m.key {
	case "csat":
		s.CSAT = f.memberScore(field, m, 1, 5)
	case "nps":
		s.NPS = f.memberScore(field, m, 0, 10)
	case "ces":
		s.CES = f.memberScore(field, m, 1, 7)
	case "comment":
		s.Comment = f.memberStr(field, m, false)
	default:
		return false
	}
	return true
}

func (d *decoder) customer(f *fields, ms []member) *cx.Record {
	c := &cx.Customer{}
	var ref cx.Ref
	var extra, attrs map[string]any
	for _, m := range ms {
		switch m.key {
		case "type":
		case "id":
			ref.ID = f.str("id", m.raw, true)
		case "identities":
			ids := f.ref("identities", m.raw)
			ref.Email, ref.Phone, ref.Handle, ref.Account = ids.Email, ids.Phone, ids.Handle, ids.Account
			if ids.ID != "" && ref.ID == "" {
				ref.ID = ids.ID
			}
		case "name":
			c.Name = f.str("name", m.raw, false)
		case "segment":
			c.Segment = f.str("segment", m.raw, false)
		case "region":
			c.Region = f.str("region", m.raw, false)
		case "signup_at":
			c.SignupAt = f.timestamp("signup_at", m.raw)
		case "attributes":
			attrs = f.object("attributes", m.raw)
		default:
			extra = f.extra(extra, m)
		}
	}
	c.Attributes = mergeAttrs(extra, attrs)
	rec := &cx.Record{Type: cx.TypeCustomer, Customer: c}
	d.checkCustomer(f, rec, ref)
	return rec
}

func (d *decoder) checkCustomer(f *fields, rec *cx.Record, ref cx.Ref) {
	rec.Customer.ExternalID = ref.ID
	if ref.ID == "" {
		f.bad("id", "missing: the brand's customer id")
		return
	}
	ids, err := d.norm.Identities("identities", ref)
	if err != nil {
		f.identity(err)
		return
	}
	rec.Identities = ids
}

func (d *decoder) event(f *fields, ms []member) *cx.Record {
	e := &cx.Event{}
	var extra, attrs map[string]any
	var at bool
	for _, m := range ms {
		switch m.key {
		case "type":
		case "id":
			e.ID = f.str("id", m.raw, true)
		case "customer":
			e.Customer = f.ref("customer", m.raw)
		case "name":
			e.Name = f.str("name", m.raw, false)
		case "at":
			if t, ok := f.timeValue("at", m.raw); ok {
				e.At, at = t, true
			}
		case "value":
			e.Value = f.money("value", m.raw)
		case "currency":
			e.Currency = strings.ToUpper(f.str("currency", m.raw, false))
		case "attributes":
			attrs = f.object("attributes", m.raw)
		default:
			extra = f.extra(extra, m)
		}
	}
	e.Attributes = mergeAttrs(extra, attrs)
	rec := &cx.Record{Type: cx.TypeEvent, Event: e}
	if e.ID == "" {
		f.bad("id", "missing")
	}
	if e.Name == "" {
		f.bad("name", "missing: e.g. order_placed, refund_issued, subscription_cancelled")
	}
	if !at {
		f.bad("at", "missing")
	}
	if e.Customer.Empty() {
		f.bad("customer", "missing: give at least one of id, email, phone, handle, account")
	} else if ids, err := d.norm.Identities("customer", e.Customer); err != nil {
		f.identity(err)
	} else {
		rec.Identities = ids
	}
	if (e.Name == cx.OrderPlaced || e.Name == cx.RefundIssued) && e.Value == nil {
		f.bad("value", "missing: %s needs the amount", e.Name)
	}
	if e.Value != nil && *e.Value < 0 {
		f.bad("value", "must not be negative (a refund_issued event's value is the amount refunded)")
	}
	return rec
}

func (d *decoder) survey(f *fields, ms []member) *cx.Record {
	s := &cx.Survey{}
	var extra, attrs map[string]any
	var at bool
	for _, m := range ms {
		switch m.key {
		case "type":
		case "id":
			s.ID = f.str("id", m.raw, true)
		case "source":
			s.Source = f.str("source", m.raw, false)
		case "interaction":
			s.Interaction = f.key("interaction", m.raw)
		case "at":
			if t, ok := f.timeValue("at", m.raw); ok {
				s.At, at = t, true
			}
		case "attributes":
			attrs = f.object("attributes", m.raw)
		default:
			if !f.scoreMember("", &s.Scores, m) {
				extra = f.extra(extra, m)
			}
		}
	}
	s.Attributes = mergeAttrs(extra, attrs)
	if s.Source == "" {
		s.Source = s.Interaction.Source
	}
	if s.ID == "" {
		f.bad("id", "missing")
	}
	if s.Interaction.ID == "" || s.Interaction.Source == "" {
		f.bad("interaction", "missing: {\"source\": …, \"id\": …} of the interaction surveyed")
	}
	if !at {
		f.bad("at", "missing")
	}
	if s.Scores.Empty() && len(f.problems) == 0 {
		f.bad("csat", "a survey needs at least one of csat, nps, ces")
	}
	return &cx.Record{Type: cx.TypeSurvey, Survey: s}
}

func (f *fields) key(field string, raw []byte) cx.Key {
	var k cx.Key
	ms, err := f.nested(raw)
	if err != nil {
		f.bad(field, "expected {\"source\": …, \"id\": …}: %v", err)
		return k
	}
	for _, m := range ms {
		switch m.key {
		case "source":
			k.Source = f.str(field+".source", m.raw, false)
		case "id":
			k.ID = f.str(field+".id", m.raw, true)
		}
	}
	return k
}

func quote(s string) string {
	if len(s) > 40 {
		// Cut on a rune boundary so the message stays valid UTF-8.
		n := 40
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n] + "…"
	}
	return `"` + s + `"`
}

func (d *decoder) qaReview(f *fields, ms []member) *cx.Record {
	r := &cx.QAReview{}
	var at bool
	for _, m := range ms {
		switch m.key {
		case "type":
		case "id":
			r.ID = f.str("id", m.raw, true)
		case "interaction":
			r.Interaction = f.key("interaction", m.raw)
		case "reviewer":
			r.Reviewer = f.str("reviewer", m.raw, true)
		case "at":
			if t, ok := f.timeValue("at", m.raw); ok {
				r.At, at = t, true
			}
		case "score":
			if v, ok := f.number("score", m.raw); ok {
				if v < 0 || v > 1 {
					f.bad("score", "must be from 0 to 1 (the share of criteria met), got %v", v)
				} else {
					r.Score = &v
				}
			}
		case "criteria":
			if isNull(m.raw) {
				continue
			}
			if err := json.Unmarshal(m.raw, &r.Criteria); err != nil {
				f.bad("criteria", "expected an object of criterion id → true/false, e.g. {\"greeting\": true}")
			}
		default:
			f.bad(m.key, "unknown field of a qa_review (use id, interaction, reviewer, at, score, criteria)")
		}
	}
	if r.ID == "" {
		f.bad("id", "missing")
	}
	if r.Interaction.ID == "" || r.Interaction.Source == "" {
		f.bad("interaction", "missing: {\"source\": …, \"id\": …} of the interaction reviewed")
	}
	if !at {
		f.bad("at", "missing")
	}
	if len(r.Criteria) == 0 && r.Score == nil && len(f.problems) == 0 {
		f.bad("criteria", "a review needs criteria verdicts or a score")
	}
	return &cx.Record{Type: cx.TypeQAReview, QAReview: r}
}

// plainTime parses a plain RFC 3339 string in UTC; anything else is left to
// fields.timestamp, which reports what is wrong under the field's name.
func plainTime(raw []byte) (time.Time, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, string(raw[1:len(raw)-1]))
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// plainOr returns a JSON string's content directly when it needs no
// unescaping (the common case, no allocation for the name of a field that
// has no problem), and otherwise what slow returns.
func plainOr(raw []byte, slow func() string) string {
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' && bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1])
	}
	return slow()
}
