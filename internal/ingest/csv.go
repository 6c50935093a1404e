package ingest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/northstar-cx/northstar/internal/cx"
)

// CSV columns. Interactions are recognised by a "channel" column, customers
// by its absence. Other columns are kept in attributes.
var (
	interactionColumns = []string{"id", "source", "customer_id", "customer_email", "customer_phone", "customer_handle", "customer_account",
		"channel", "journey_stage", "queue", "handler", "agent_id", "agent_team", "agent_partner", "started_at", "ended_at",
		"wait_seconds", "handle_seconds", "transfers", "escalated", "abandoned", "resolved", "intent", "cost", "currency",
		"transcript", "csat", "nps", "ces", "comment", "tags"}
	interactionRequired = []string{"id", "source", "channel", "handler", "started_at"}
	customerColumns     = []string{"id", "email", "phone", "handle", "account", "name", "segment", "region", "signup_at"}
	customerRequired    = []string{"id"}
)

// csvReader yields records from a CSV file with a header row.
type csvReader struct {
	r      *csv.Reader
	typ    cx.RecordType
	header []string
	col    map[string]int
	line   int // of the last row read
}

func newCSVReader(r io.Reader) (*csvReader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	c := &csvReader{r: cr, header: header, col: make(map[string]int, len(header))}
	for i, h := range header {
		if !utf8.ValidString(h) {
			return nil, fmt.Errorf("header: column %d is not valid UTF-8; re-export the file as UTF-8", i+1)
		}
		c.col[c.name(i)] = i
	}
	required := customerRequired
	c.typ = cx.TypeCustomer
	if _, ok := c.col["channel"]; ok {
		c.typ, required = cx.TypeInteraction, interactionRequired
	}
	for _, r := range required {
		if _, ok := c.col[r]; !ok {
			return nil, fmt.Errorf("header: missing required column %q for %s records (see docs/import-format.md)", r, c.typ)
		}
	}
	if c.typ == cx.TypeInteraction {
		if !c.hasAny("customer_id", "customer_email", "customer_phone", "customer_handle", "customer_account") {
			return nil, errors.New("header: missing a customer column (customer_id, customer_email, customer_phone, customer_handle or customer_account)")
		}
	}
	return c, nil
}

func (c *csvReader) hasAny(cols ...string) bool {
	for _, col := range cols {
		if _, ok := c.col[col]; ok {
			return true
		}
	}
	return false
}

// next returns the next row's line number and fields.
func (c *csvReader) next() (int, []string, error) {
	row, err := c.r.Read()
	if err != nil {
		// FieldPos panics after a read that failed before the first field
		// (a quote left open at the end of the file).
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return pe.StartLine, nil, err
		}
		return c.line, nil, err
	}
	c.line, _ = c.r.FieldPos(0)
	return c.line, row, nil
}

func (c *csvReader) get(row []string, col string) string {
	if i, ok := c.col[col]; ok && i < len(row) {
		return strings.TrimSpace(row[i])
	}
	return ""
}

// decodeRow validates one CSV row as a record of the file's type.
func (c *csvReader) decodeRow(d *decoder, row []string) (*cx.Record, []Problem) {
	f := &fields{}
	if len(row) != len(c.header) {
		return nil, []Problem{{Message: fmt.Sprintf("has %d fields, the header has %d", len(row), len(c.header))}}
	}
	// The store would silently drop invalid text; NDJSON lines are checked the same way.
	for i, cell := range row {
		if !utf8.ValidString(cell) {
			return nil, []Problem{{Field: c.name(i), Message: "not valid UTF-8; re-export the file as UTF-8"}}
		}
	}
	known := customerColumns
	var rec *cx.Record
	if c.typ == cx.TypeInteraction {
		known = interactionColumns
		rec = c.interaction(d, f, row)
	} else {
		rec = c.customer(d, f, row)
	}
	var attrs map[string]any
	for i := range c.header {
		name := c.name(i)
		if !contains(known, name) && row[i] != "" {
			if attrs == nil {
				attrs = make(map[string]any)
			}
			attrs[name] = row[i]
		}
	}
	if rec.Interaction != nil {
		rec.Interaction.Attributes = attrs
	} else {
		rec.Customer.Attributes = attrs
	}
	if len(f.problems) > 0 {
		return nil, f.problems
	}
	rec.Hash = contentHash([]byte(strings.Join(row, "\x1f")))
	return rec, nil
}

// name is column i's name as matched: trimmed and lower-cased.
func (c *csvReader) name(i int) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(c.header[i], "\ufeff")))
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// jsonish wraps a CSV cell so the NDJSON field decoders can check it.
func jsonish(s string) []byte {
	if s == "" {
		return []byte("null")
	}
	return []byte(strconv.Quote(s))
}

func bare(s string) []byte {
	if s == "" {
		return []byte("null")
	}
	return []byte(s)
}

func (c *csvReader) interaction(d *decoder, f *fields, row []string) *cx.Record {
	g := func(col string) string { return c.get(row, col) }
	in := &cx.Interaction{
		ID: g("id"), Source: g("source"),
		Customer:     cx.Ref{ID: g("customer_id"), Email: g("customer_email"), Phone: g("customer_phone"), Handle: g("customer_handle"), Account: g("customer_account")},
		Channel:      cx.Channel(strings.ToLower(g("channel"))),
		JourneyStage: g("journey_stage"), Queue: g("queue"), Handler: cx.Handler(strings.ToLower(g("handler"))),
		Agent:  cx.Agent{ID: g("agent_id"), Team: g("agent_team"), Partner: g("agent_partner")},
		Intent: g("intent"), Currency: strings.ToUpper(g("currency")),
	}
	var hasStart bool
	if t := f.timestamp("started_at", jsonish(g("started_at"))); t != nil {
		in.StartedAt, hasStart = *t, true
	}
	in.EndedAt = f.timestamp("ended_at", jsonish(g("ended_at")))
	in.WaitSeconds = f.seconds("wait_seconds", bare(g("wait_seconds")))
	in.HandleSeconds = f.seconds("handle_seconds", bare(g("handle_seconds")))
	in.Transfers = f.count("transfers", bare(g("transfers")))
	in.Escalated = deref(f.boolean("escalated", csvBool(g("escalated"))))
	in.Abandoned = deref(f.boolean("abandoned", csvBool(g("abandoned"))))
	in.Resolved = f.boolean("resolved", csvBool(g("resolved")))
	in.Cost = f.money("cost", bare(g("cost")))
	s := &cx.Scores{Comment: g("comment")}
	s.CSAT = f.score("csat", bare(g("csat")), 1, 5)
	s.NPS = f.score("nps", bare(g("nps")), 0, 10)
	s.CES = f.score("ces", bare(g("ces")), 1, 7)
	if !s.Empty() || s.Comment != "" {
		in.Survey = s
	}
	if tags := g("tags"); tags != "" {
		for _, t := range strings.Split(tags, ";") {
			if t = strings.TrimSpace(t); t != "" {
				in.Tags = append(in.Tags, t)
			}
		}
	}
	in.Turns = parseTranscript(f, g("transcript"))
	rec := &cx.Record{Type: cx.TypeInteraction, Interaction: in}
	d.checkInteraction(f, rec, hasStart)
	return rec
}

// csvBool reads true/false, yes/no, 1/0, y/n.
func csvBool(s string) []byte {
	switch strings.ToLower(s) {
	case "":
		return []byte("null")
	case "true", "yes", "y", "1":
		return []byte("true")
	case "false", "no", "n", "0":
		return []byte("false")
	}
	return []byte(strconv.Quote(s))
}

// parseTranscript reads "speaker: text" lines; a line without a known
// speaker prefix continues the previous turn.
func parseTranscript(f *fields, s string) []cx.Turn {
	if s == "" {
		return nil
	}
	var turns []cx.Turn
	for i, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		sp, text, ok := strings.Cut(line, ":")
		sp = strings.ToLower(strings.TrimSpace(sp))
		if ok && contains(cx.Speakers, sp) {
			turns = append(turns, cx.Turn{Speaker: sp, Text: strings.TrimSpace(text)})
			continue
		}
		if len(turns) == 0 {
			f.bad("transcript", "line %d does not start with a speaker (customer:, agent:, bot: or system:)", i+1)
			return nil
		}
		turns[len(turns)-1].Text += "\n" + line
	}
	return turns
}

func (c *csvReader) customer(d *decoder, f *fields, row []string) *cx.Record {
	g := func(col string) string { return c.get(row, col) }
	cu := &cx.Customer{Name: g("name"), Segment: g("segment"), Region: g("region")}
	cu.SignupAt = f.timestamp("signup_at", jsonish(g("signup_at")))
	rec := &cx.Record{Type: cx.TypeCustomer, Customer: cu}
	d.checkCustomer(f, rec, cx.Ref{ID: g("id"), Email: g("email"), Phone: g("phone"), Handle: g("handle"), Account: g("account")})
	return rec
}
