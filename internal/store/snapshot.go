package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Facts is a read-only columnar copy of what the metrics layer counts: the
// interactions' fact and dimension columns (sorted by started_at, then id),
// the survey responses linked to their interaction's row, and the customer
// attributes the customer dimensions read. The in-memory metrics source
// builds on it; nothing writes to it after ReadFacts returns.
type Facts struct {
	// Rows is the number of interactions.
	Rows int
	// StartedAt is each interaction's start in Unix microseconds, ascending:
	// a period is a contiguous range of rows.
	StartedAt []int64
	// Customer is each interaction's customer after merges (the store
	// re-points rows of merged customers at their survivor).
	Customer []int32
	// Columns asked for by name, by type.
	Text map[string]*TextColumn
	Bool map[string]*BoolColumn
	Num  map[string]*NumColumn

	Surveys   SurveyFacts
	Customers CustomerFacts
	Events    EventFacts
	// ReadAt is when the read transaction began.
	ReadAt time.Time
}

// TextColumn is a dictionary-encoded text column: Codes index Dict, and code
// 0 is SQL NULL (Dict[0] is "").
type TextColumn struct {
	Dict  []string
	Codes []uint32
}

// BoolColumn holds a nullable boolean column as two bitsets: row i is true
// when bit i of True is set, and null when bit i of Valid is clear.
type BoolColumn struct {
	True, Valid []uint64
}

// NumColumn holds a nullable number column. Integer columns that fit 32 bits
// use I32 with NullI32 for null; the others use F64 with NaN for null.
// Exactly one of the two is set.
type NumColumn struct {
	I32 []int32
	F64 []float64
}

// NullI32 marks a null in NumColumn.I32.
const NullI32 = math.MinInt32

// Null reports whether row i is null.
func (c *NumColumn) Null(i int) bool {
	if c.I32 != nil {
		return c.I32[i] == NullI32
	}
	return math.IsNaN(c.F64[i])
}

// SurveyFacts are the rows of the surveys table (separate survey records),
// each pointing at the row of the interaction it rates, ascending by Row.
type SurveyFacts struct {
	Rows       int
	Row        []int32
	AnsweredAt []int64 // Unix microseconds
	Num        map[string]*NumColumn
}

// CustomerFacts are indexed by customer id (ids are small sequential
// integers); ids without a row, and merged customers, hold zero values.
type CustomerFacts struct {
	Segment, Region TextColumn
	// SignupAt in Unix microseconds, math.MinInt64 when unknown.
	SignupAt []int64
	// Realised is revenue − refunds to date in minor units (order_placed
	// minus refund_issued event values).
	Realised []int64
	// Survivor marks ids with a customers row that was not merged away.
	Survivor []uint64
}

// EventFacts are the customer events, ordered by customer then time, for
// customer-level metrics (retention, churn, value).
type EventFacts struct {
	Rows     int
	Customer []int32
	At       []int64 // Unix microseconds
	Name     TextColumn
	Value    []float64 // NaN when the event carries no value
}

// FactColumns lists the interactions columns ReadFacts can load and their
// type: "text", "bool" or "num".
var FactColumns = map[string]string{
	"source": "text", "channel": "text", "journey_stage": "text", "queue": "text", "handler": "text",
	"agent_id": "text", "team": "text", "partner": "text", "intent": "text", "currency": "text", "flags": "text",
	"escalated": "bool", "abandoned": "bool", "resolved_given": "bool", "resolved": "bool", "vulnerable": "bool",
	"repeated": "bool", "first_contact": "bool", "fcr": "bool",
	"wait_seconds": "num", "handle_seconds": "num", "transfers": "num", "turns": "num", "csat": "num", "nps": "num", "ces": "num",
	"cost": "num", "intent_confidence": "num", "sentiment": "num", "sentiment_change": "num", "effort": "num", "qa_score": "num",
}

// intColumns are the integer columns that fit 32 bits; cost (BIGINT minor
// units) is read as a double, exact below 2^53.
var intColumns = map[string]bool{"wait_seconds": true, "handle_seconds": true, "transfers": true, "turns": true,
	"csat": true, "nps": true, "ces": true}

// surveyNums are the survey columns loaded into SurveyFacts.Num.
var surveyNums = []string{"csat", "nps", "ces"}

// ReadFacts reads the named interactions columns (see FactColumns) with the
// surveys, customers and events, in one read-only transaction so the parts
// agree with each other. It streams rows straight into typed columns; the
// cost is one pass over each table.
func (s *Store) ReadFacts(ctx context.Context, columns []string) (*Facts, error) {
	for _, c := range columns {
		if FactColumns[c] == "" {
			return nil, fmt.Errorf("read facts: unknown interactions column %q", c)
		}
	}
	c, err := s.db.Conn(ctx)
	if err != nil {
		return nil, s.connError(err)
	}
	defer c.Close()
	begin := "BEGIN TRANSACTION"
	if s.eng.name() == "postgres" {
		begin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
	}
	if _, err := c.ExecContext(ctx, begin); err != nil {
		return nil, s.connError(err)
	}
	// Read-only: rolling back is the cheapest end and never loses anything.
	defer c.ExecContext(context.Background(), "ROLLBACK")
	f := &Facts{Text: map[string]*TextColumn{}, Bool: map[string]*BoolColumn{}, Num: map[string]*NumColumn{}, ReadAt: s.now().UTC()}
	if err := s.readInteractions(ctx, c, f, columns); err != nil {
		return nil, fmt.Errorf("read facts (interactions): %w", err)
	}
	if err := s.readSurveys(ctx, c, f); err != nil {
		return nil, fmt.Errorf("read facts (surveys): %w", err)
	}
	if err := s.readCustomers(ctx, c, f); err != nil {
		return nil, fmt.Errorf("read facts (customers): %w", err)
	}
	if err := s.readEvents(ctx, c, f); err != nil {
		return nil, fmt.Errorf("read facts (events): %w", err)
	}
	return f, nil
}

func (s *Store) epochUS(col string) string {
	if s.eng.name() == "postgres" {
		return "(EXTRACT(EPOCH FROM " + col + ") * 1000000)::bigint"
	}
	return "epoch_us(" + col + ")"
}

func (s *Store) numExpr(col string) string {
	if intColumns[col] {
		return "CAST(" + col + " AS INTEGER)"
	}
	if s.eng.name() == "postgres" {
		return "CAST(" + col + " AS DOUBLE PRECISION)"
	}
	return "CAST(" + col + " AS DOUBLE)"
}

func (s *Store) count(ctx context.Context, c *sql.Conn, q string) (int, error) {
	var n int64
	if err := c.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return 0, err
	}
	return int(n), nil
}

// dictBuilder assigns codes to the distinct values of a text column.
type dictBuilder struct {
	codes map[string]uint32
	col   *TextColumn
}

func newDict(col *TextColumn) *dictBuilder {
	col.Dict = []string{""}
	return &dictBuilder{codes: map[string]uint32{}, col: col}
}

// code returns b's code; the string conversion in the lookup does not
// allocate, so only new values cost an allocation.
func (d *dictBuilder) code(b []byte) uint32 {
	if k, ok := d.codes[string(b)]; ok {
		return k
	}
	k := uint32(len(d.col.Dict))
	v := string(b)
	d.codes[v] = k
	d.col.Dict = append(d.col.Dict, v)
	return k
}

func (d *dictBuilder) codeString(v string) uint32 {
	if k, ok := d.codes[v]; ok {
		return k
	}
	k := uint32(len(d.col.Dict))
	d.codes[v] = k
	d.col.Dict = append(d.col.Dict, v)
	return k
}

func bitset(n int) []uint64 { return make([]uint64, (n+63)/64) }

func setBit(b []uint64, i int) { b[i>>6] |= 1 << (uint(i) & 63) }

// colReader stores one result column into its typed destination.
type colReader func(row int, v cell)

// cell is one value of a result row, whichever engine produced it.
type cell interface {
	null() bool
	i64() int64
	f64() float64
	boolean() bool
	text(d *dictBuilder) uint32
}

func (s *Store) readInteractions(ctx context.Context, c *sql.Conn, f *Facts, columns []string) error {
	n, err := s.count(ctx, c, `SELECT count(*) FROM interactions`)
	if err != nil {
		return err
	}
	return s.readInteractionsPacked(ctx, c, f, columns, n)
}

func numColumn(name string, n int) *NumColumn {
	if intColumns[name] {
		return &NumColumn{I32: make([]int32, n)}
	}
	return &NumColumn{F64: make([]float64, n)}
}

func numReader(col *NumColumn) colReader {
	if col.I32 != nil {
		return func(r int, v cell) {
			if v.null() {
				col.I32[r] = NullI32
			} else {
				col.I32[r] = int32(v.i64())
			}
		}
	}
	return func(r int, v cell) {
		if v.null() {
			col.F64[r] = math.NaN()
		} else {
			col.F64[r] = v.f64()
		}
	}
}

func (s *Store) readSurveys(ctx context.Context, c *sql.Conn, f *Facts) error {
	n, err := s.count(ctx, c, `SELECT count(*) FROM surveys s JOIN interactions i ON i.id = s.interaction_id`)
	if err != nil {
		return err
	}
	sv := &f.Surveys
	sv.Rows, sv.Row, sv.AnsweredAt, sv.Num = n, make([]int32, n), make([]int64, n), map[string]*NumColumn{}
	sel := []string{"r.rn", s.epochUS("s.answered_at")}
	readers := []colReader{
		func(r int, v cell) { sv.Row[r] = int32(v.i64()) },
		func(r int, v cell) { sv.AnsweredAt[r] = v.i64() },
	}
	for _, name := range surveyNums {
		col := numColumn(name, n)
		sv.Num[name] = col
		sel = append(sel, s.numExpr("s."+name))
		readers = append(readers, numReader(col))
	}
	// The row number is the interaction's position in readInteractions'
	// order, which the same snapshot guarantees.
	q := `SELECT ` + strings.Join(sel, ", ") + ` FROM surveys s
		JOIN (SELECT id, row_number() OVER (ORDER BY started_at, id) - 1 AS rn FROM interactions) r ON r.id = s.interaction_id
		ORDER BY r.rn, s.source, s.ext_id`
	rows := 0
	err = s.scan(ctx, c, q, func(v []cell) error {
		if rows >= n {
			return errors.New("more surveys than counted")
		}
		for i, rd := range readers {
			rd(rows, v[i])
		}
		rows++
		return nil
	})
	if err == nil && rows != n {
		err = fmt.Errorf("read %d surveys of %d counted", rows, n)
	}
	return err
}

func (s *Store) readCustomers(ctx context.Context, c *sql.Conn, f *Facts) error {
	maxID, err := s.count(ctx, c, `SELECT coalesce(max(id), 0) FROM customers`)
	if err != nil {
		return err
	}
	n := maxID + 1
	cf := &f.Customers
	cf.Segment.Codes, cf.Region.Codes = make([]uint32, n), make([]uint32, n)
	cf.SignupAt, cf.Realised, cf.Survivor = make([]int64, n), make([]int64, n), bitset(n)
	seg, reg := newDict(&cf.Segment), newDict(&cf.Region)
	for i := range cf.SignupAt {
		cf.SignupAt[i] = math.MinInt64
	}
	// Merged customers keep their rows (contacts are re-pointed at the
	// survivor, so none should point at them); Survivor tells them apart.
	q := `SELECT id, segment, region, ` + s.epochUS("signup_at") + `, merged_into IS NULL FROM customers`
	err = s.scan(ctx, c, q, func(v []cell) error {
		id := int(v[0].i64())
		if id < 0 || id >= n {
			return fmt.Errorf("customer id %d outside 0…%d", id, maxID)
		}
		if v[4].boolean() {
			setBit(cf.Survivor, id)
		}
		if !v[1].null() {
			cf.Segment.Codes[id] = v[1].text(seg)
		}
		if !v[2].null() {
			cf.Region.Codes[id] = v[2].text(reg)
		}
		if !v[3].null() {
			cf.SignupAt[id] = v[3].i64()
		}
		return nil
	})
	if err != nil {
		return err
	}
	q = `SELECT customer_id, CAST(sum(CASE WHEN name = 'order_placed' THEN coalesce(value, 0) WHEN name = 'refund_issued' THEN -coalesce(value, 0) ELSE 0 END) AS BIGINT)
		FROM events GROUP BY customer_id`
	return s.scan(ctx, c, q, func(v []cell) error {
		id := int(v[0].i64())
		if id >= 0 && id < n && !v[1].null() {
			cf.Realised[id] = v[1].i64()
		}
		return nil
	})
}

func (s *Store) readEvents(ctx context.Context, c *sql.Conn, f *Facts) error {
	n, err := s.count(ctx, c, `SELECT count(*) FROM events`)
	if err != nil {
		return err
	}
	ev := &f.Events
	ev.Rows, ev.Customer, ev.At, ev.Value = n, make([]int32, n), make([]int64, n), make([]float64, n)
	ev.Name.Codes = make([]uint32, n)
	names := newDict(&ev.Name)
	q := `SELECT customer_id, ` + s.epochUS("occurred_at") + `, name, CAST(value AS ` + s.doubleType() + `) FROM events ORDER BY customer_id, occurred_at, ext_id`
	rows := 0
	err = s.scan(ctx, c, q, func(v []cell) error {
		if rows >= n {
			return errors.New("more events than counted")
		}
		ev.Customer[rows] = int32(v[0].i64())
		ev.At[rows] = v[1].i64()
		ev.Name.Codes[rows] = v[2].text(names)
		if v[3].null() {
			ev.Value[rows] = math.NaN()
		} else {
			ev.Value[rows] = v[3].f64()
		}
		rows++
		return nil
	})
	if err == nil && rows != n {
		err = fmt.Errorf("read %d events of %d counted", rows, n)
	}
	return err
}

func (s *Store) doubleType() string {
	if s.eng.name() == "postgres" {
		return "DOUBLE PRECISION"
	}
	return "DOUBLE"
}

// scan runs q on the connection's driver directly: database/sql's Scan
// converts every value through reflection, which costs more than the read
// itself at millions of rows.
func (s *Store) scan(ctx context.Context, c *sql.Conn, q string, fn func([]cell) error) error {
	return c.Raw(func(dc any) error {
		if pc, ok := dc.(*stdlib.Conn); ok {
			return scanPG(ctx, pc.Conn(), q, fn)
		}
		qc, ok := dc.(driver.QueryerContext)
		if !ok {
			return fmt.Errorf("driver %T cannot query", dc)
		}
		return scanDriver(ctx, qc, q, fn)
	})
}

// duckCell is a value as database/sql/driver returns it.
type duckCell struct{ v driver.Value }

func (c *duckCell) null() bool { return c.v == nil }
func (c *duckCell) i64() int64 {
	switch x := c.v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case uint64:
		return int64(x)
	case uint32:
		return int64(x)
	case float64:
		return int64(x)
	}
	return 0
}
func (c *duckCell) f64() float64 {
	switch x := c.v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	}
	return float64(c.i64())
}
func (c *duckCell) boolean() bool { b, _ := c.v.(bool); return b }
func (c *duckCell) text(d *dictBuilder) uint32 {
	if s, ok := c.v.(string); ok {
		return d.codeString(s)
	}
	return d.codeString(fmt.Sprint(c.v))
}

func scanDriver(ctx context.Context, qc driver.QueryerContext, q string, fn func([]cell) error) error {
	rows, err := qc.QueryContext(ctx, q, nil)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := len(rows.Columns())
	dest := make([]driver.Value, n)
	cells := make([]duckCell, n)
	vals := make([]cell, n)
	for i := range cells {
		vals[i] = &cells[i]
	}
	for k := 0; ; k++ {
		if k&0xffff == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := rows.Next(dest); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		for i := range dest {
			cells[i].v = dest[i]
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
}

// pgCell decodes PostgreSQL's binary wire format without allocating.
type pgCell struct {
	b      []byte
	oid    uint32
	binary bool
}

const (
	oidBool    = 16
	oidInt8    = 20
	oidInt2    = 21
	oidInt4    = 23
	oidFloat4  = 700
	oidFloat8  = 701
	oidNumeric = 1700
)

func (c *pgCell) null() bool { return c.b == nil }
func (c *pgCell) i64() int64 {
	if !c.binary || c.oid == oidNumeric {
		n, err := strconv.ParseInt(string(c.b), 10, 64)
		if err != nil {
			f, _ := strconv.ParseFloat(string(c.b), 64)
			return int64(f)
		}
		return n
	}
	switch c.oid {
	case oidInt8:
		return int64(binary.BigEndian.Uint64(c.b))
	case oidInt4:
		return int64(int32(binary.BigEndian.Uint32(c.b)))
	case oidInt2:
		return int64(int16(binary.BigEndian.Uint16(c.b)))
	case oidFloat8:
		return int64(math.Float64frombits(binary.BigEndian.Uint64(c.b)))
	}
	return 0
}
func (c *pgCell) f64() float64 {
	if !c.binary || c.oid == oidNumeric {
		f, _ := strconv.ParseFloat(string(c.b), 64)
		return f
	}
	switch c.oid {
	case oidFloat8:
		return math.Float64frombits(binary.BigEndian.Uint64(c.b))
	case oidFloat4:
		return float64(math.Float32frombits(binary.BigEndian.Uint32(c.b)))
	}
	return float64(c.i64())
}
func (c *pgCell) boolean() bool {
	if !c.binary {
		return len(c.b) > 0 && (c.b[0] == 't' || c.b[0] == 'T')
	}
	return len(c.b) == 1 && c.b[0] == 1
}
func (c *pgCell) text(d *dictBuilder) uint32 { return d.code(c.b) }

func scanPG(ctx context.Context, conn *pgx.Conn, q string, fn func([]cell) error) error {
	rows, err := conn.Query(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	fds := rows.FieldDescriptions()
	cells := make([]pgCell, len(fds))
	vals := make([]cell, len(fds))
	for i, fd := range fds {
		cells[i].oid, cells[i].binary = fd.DataTypeOID, fd.Format == 1
		vals[i] = &cells[i]
	}
	for rows.Next() {
		raw := rows.RawValues()
		for i := range cells {
			cells[i].b = raw[i]
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return rows.Err()
}

// packField is one small column packed into a BIGINT of the DuckDB read:
// its code (0 for null) occupies bits [shift, shift+bits) of word.
type packField struct {
	name        string
	expr        string
	bits, shift int
	word        int
	min         int64 // small integers: code = value − min + 1
	store       func(row int, code uint64)
}

// readInteractionsPacked reads interactions with few values per row: the
// DuckDB driver hands every value over as a boxed driver.Value, and
// PostgreSQL's wire format carries each value with its length, both costing
// more than the engines' own scans. So the query dictionary-encodes text (a join with each column's distinct
// values), folds booleans and small integers into codes, and packs the
// codes into a few BIGINTs: about a dozen values per row instead of thirty.
func (s *Store) readInteractionsPacked(ctx context.Context, c *sql.Conn, f *Facts, columns []string, n int) error {
	f.Rows = n
	f.StartedAt = make([]int64, n)
	f.Customer = make([]int32, n)
	var fields []*packField
	var args []any
	var joins []string
	var wide []string // columns read as values of their own
	var wideReaders []colReader
	for _, name := range columns {
		switch FactColumns[name] {
		case "text":
			var dict []string
			rows, err := c.QueryContext(ctx, `SELECT DISTINCT `+name+` FROM interactions WHERE `+name+` IS NOT NULL`)
			if err != nil {
				return err
			}
			for rows.Next() {
				var v string
				if err := rows.Scan(&v); err != nil {
					rows.Close()
					return err
				}
				dict = append(dict, v)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			col := &TextColumn{Dict: append([]string{""}, dict...), Codes: make([]uint32, n)}
			f.Text[name] = col
			codes := make([]int64, len(dict))
			for i := range codes {
				codes[i] = int64(i + 1)
			}
			args = append(args, dict, codes)
			alias := fmt.Sprintf("d%d", len(joins))
			joins = append(joins, fmt.Sprintf(`LEFT JOIN (SELECT unnest(CAST($%d AS VARCHAR[])) AS v, unnest(CAST($%d AS BIGINT[])) AS k) %s ON %s.v = i.%s`,
				len(args)-1, len(args), alias, alias, name))
			fields = append(fields, &packField{name: name, expr: "coalesce(" + alias + ".k, 0)", bits: bitsFor(uint64(len(dict))),
				store: func(r int, code uint64) { col.Codes[r] = uint32(code) }})
		case "bool":
			col := &BoolColumn{True: bitset(n), Valid: bitset(n)}
			f.Bool[name] = col
			fields = append(fields, &packField{name: name, expr: "CASE WHEN i." + name + " IS NULL THEN 0 WHEN i." + name + " THEN 2 ELSE 1 END", bits: 2,
				store: func(r int, code uint64) {
					if code > 0 {
						setBit(col.Valid, r)
					}
					if code == 2 {
						setBit(col.True, r)
					}
				}})
		case "num":
			col := numColumn(name, n)
			f.Num[name] = col
			if col.I32 != nil {
				var lo, hi sql.NullInt64
				if err := c.QueryRowContext(ctx, `SELECT min(`+name+`), max(`+name+`) FROM interactions`).Scan(&lo, &hi); err != nil {
					return err
				}
				if !lo.Valid || hi.Int64-lo.Int64 < 1<<20 {
					min := lo.Int64
					for i := range col.I32 {
						col.I32[i] = NullI32
					}
					fields = append(fields, &packField{name: name, min: min, bits: bitsFor(uint64(hi.Int64-min) + 1),
						expr: fmt.Sprintf("coalesce(CAST(i.%s AS BIGINT) - (%d) + 1, 0)", name, min),
						store: func(r int, code uint64) {
							if code > 0 {
								col.I32[r] = int32(int64(code) - 1 + min)
							}
						}})
					continue
				}
			}
			wide = append(wide, s.numExpr("i."+name))
			wideReaders = append(wideReaders, numReader(col))
		}
	}
	// Pack the codes into words of at most 62 bits (kept positive).
	var words []string
	used := 62
	for _, fd := range fields {
		if used+fd.bits > 62 {
			words = append(words, "")
			used = 0
		}
		fd.word, fd.shift = len(words)-1, used
		used += fd.bits
		term := "CAST(" + fd.expr + " AS BIGINT)"
		if fd.shift > 0 {
			term = fmt.Sprintf("(%s << %d)", term, fd.shift)
		}
		if words[fd.word] != "" {
			words[fd.word] += " + "
		}
		words[fd.word] += term
	}
	sel := append([]string{s.epochUS("i.started_at"), "i.customer_id"}, words...)
	sel = append(sel, wide...)
	q := "SELECT " + strings.Join(sel, ",\n  ") + "\nFROM interactions i\n" + strings.Join(joins, "\n") + "\nORDER BY i.started_at, i.id"
	masks := make([]uint64, len(fields))
	for i, fd := range fields {
		masks[i] = 1<<uint(fd.bits) - 1
	}
	rows := 0
	nw := len(words)
	row := func(at, cust int64, cells []cell) error {
		if rows >= n {
			return errors.New("more interactions than counted: the transaction did not hold its snapshot")
		}
		f.StartedAt[rows] = at
		f.Customer[rows] = int32(cust)
		for i, fd := range fields {
			fd.store(rows, uint64(cells[fd.word].i64())>>uint(fd.shift)&masks[i])
		}
		for i, rd := range wideReaders {
			rd(rows, cells[nw+i])
		}
		rows++
		return nil
	}
	err := c.Raw(func(dc any) error {
		if pc, ok := dc.(*stdlib.Conn); ok {
			prs, err := pc.Conn().Query(ctx, q, args...)
			if err != nil {
				return err
			}
			defer prs.Close()
			fds := prs.FieldDescriptions()
			pcells := make([]pgCell, len(fds))
			vals := make([]cell, len(fds))
			for i, fd := range fds {
				pcells[i].oid, pcells[i].binary = fd.DataTypeOID, fd.Format == 1
				vals[i] = &pcells[i]
			}
			for prs.Next() {
				raw := prs.RawValues()
				for i := range pcells {
					pcells[i].b = raw[i]
				}
				if err := row(vals[0].i64(), vals[1].i64(), vals[2:]); err != nil {
					return err
				}
			}
			return prs.Err()
		}
		qc, ok := dc.(driver.QueryerContext)
		if !ok {
			return fmt.Errorf("driver %T cannot query", dc)
		}
		nargs := make([]driver.NamedValue, len(args))
		for i, a := range args {
			nargs[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
		}
		rs, err := qc.QueryContext(ctx, q, nargs)
		if err != nil {
			return err
		}
		defer rs.Close()
		dest := make([]driver.Value, 2+nw+len(wide))
		dcells := make([]duckCell, len(dest))
		vals := make([]cell, len(dest))
		for i := range dcells {
			vals[i] = &dcells[i]
		}
		for {
			if rows&0xffff == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if err := rs.Next(dest); err != nil {
				if err == io.EOF {
					return nil
				}
				return err
			}
			for i := range dest {
				dcells[i].v = dest[i]
			}
			if err := row(dest[0].(int64), dest[1].(int64), vals[2:]); err != nil {
				return err
			}
		}
	})
	if err == nil && rows != n {
		err = fmt.Errorf("read %d interactions of %d counted", rows, n)
	}
	return err
}

// bitsFor is the bits that hold codes 0…n.
func bitsFor(n uint64) int {
	b := 1
	for n >= 1<<uint(b) {
		b++
	}
	return b
}
