package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/identity"
)

var (
	interactionCols = []string{"id", "source", "ext_id", "customer_id", "channel", "journey_stage", "queue", "handler",
		"agent_id", "team", "partner", "started_at", "ended_at", "wait_seconds", "handle_seconds", "transfers",
		"escalated", "abandoned", "resolved_given", "resolved", "intent", "intent_confidence", "cost", "currency",
		"csat", "nps", "ces", "sentiment", "sentiment_change", "effort", "qa_score", "flags", "vulnerable", "turns",
		"body", "content_hash", "import_id", "imported_at", "repeat_of", "repeated", "first_contact", "fcr",
		"contact_effort", "prior_contacts", "channel_switches"}
	customerCols = []string{"id", "ext_id", "name", "segment", "region", "signup_at", "attributes", "content_hash",
		"merged_into", "created_at", "updated_at"}
	identityCols = []string{"seq", "kind", "value", "customer_id", "added_at", "record", "bidx"}
	mergeCols    = []string{"seq", "merged_at", "survivor", "merged", "kind", "value", "record"}
	eventCols    = []string{"ext_id", "customer_id", "name", "occurred_at", "value", "currency", "attributes", "content_hash", "import_id"}
	reviewCols   = []string{"ext_id", "interaction_id", "reviewer", "reviewed_at", "score", "criteria", "content_hash", "import_id"}
	surveyCols   = []string{"source", "ext_id", "interaction_id", "customer_id", "answered_at", "csat", "nps", "ces", "comment",
		"attributes", "content_hash", "import_id"}
)

// BeginImport registers an import run; records written by it carry its id so
// a key seen twice with different content within one run is reported.
func (s *Store) BeginImport(ctx context.Context, origin string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var id int64
	err := s.tx(ctx, func(c *sql.Conn) error {
		if err := s.eng.lockWriters(ctx, c); err != nil {
			return err
		}
		if err := c.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM imports`).Scan(&id); err != nil {
			return err
		}
		_, err := c.ExecContext(ctx, `INSERT INTO imports (id, started_at, origin) VALUES ($1, $2, $3)`, id, s.now().UTC(), origin)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("begin import: %w", err)
	}
	return id, nil
}

type existing struct {
	id         int64
	customerID int64
	hash       int64
	importID   int64
}

type existingCustomer struct {
	hash       sql.NullInt64
	mergedInto sql.NullInt64
	createdAt  time.Time
}

// batch collects the writes of one Apply.
type batch struct {
	importID    int64
	now         time.Time
	inserts     map[string][][]any
	delInter    []int64
	delCust     []int64
	delEvents   []string
	delReviews  []string
	delSurveySr []string
	delSurveyID []string
	merges      []cx.Merge
	customerRow map[int64]int // customer id → index in inserts["customers"]
	identSeq    int64
	mergeSeq    int64
	plain       map[cx.Identity]string // blinded identity → its value, to seal new ones
}

func (b *batch) add(table string, row []any) { b.inserts[table] = append(b.inserts[table], row) }

// addCustomer adds a customer row, remembering where so a later record of
// the same batch can replace it.
func (b *batch) addCustomer(id int64, row []any) {
	if b.customerRow == nil {
		b.customerRow = map[int64]int{}
	}
	b.customerRow[id] = len(b.inserts["customers"])
	b.add("customers", row)
}

// Apply stores a batch of validated records in one transaction: all of it or
// none of it. It returns one result per record, in order. Records whose key
// is already stored with the same content are unchanged; with different
// content they are updated (last write wins) unless the same import wrote
// that key already, which rejects the later one as a conflicting duplicate.
//
// A BulkLoad store may commit a batch in two transactions, split where the
// interactions table fills a row group, and checkpoints there: each
// checkpoint then writes whole row groups, which DuckDB never rewrites. A
// checkpoint that ends inside a row group leaves it part-full, and a later
// checkpoint merges part-full row groups by rewriting them: with checkpoints
// every 256 MB, an import of 1M interactions rewrote most rows and took
// 82 s instead of 47 s (docs/BENCHMARKS.md).
func (s *Store) Apply(ctx context.Context, importID int64, recs []*cx.Record) ([]cx.Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.bulkLoad {
		return s.apply(ctx, importID, recs)
	}
	if s.rows < 0 {
		// rowid is the position in storage, deleted rows included.
		if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(rowid) + 1, 0) FROM interactions`).Scan(&s.rows); err != nil {
			return nil, fmt.Errorf("store batch: size of the interactions table: %w", err)
		}
	}
	if s.known == nil {
		s.known = map[string]map[uint64]struct{}{}
		for _, t := range []string{"interactions", "surveys", "events", "qa_reviews"} {
			var empty bool
			if err := s.db.QueryRowContext(ctx, `SELECT NOT EXISTS (SELECT 1 FROM `+t+`)`).Scan(&empty); err != nil {
				return nil, fmt.Errorf("store batch: is %s empty: %w", t, err)
			}
			if empty {
				s.known[t] = map[uint64]struct{}{}
			}
		}
	}
	cut, room := len(recs), rowGroupRows-s.rows%rowGroupRows
	for i, r := range recs {
		if r.Type == cx.TypeInteraction {
			if room--; room == 0 {
				cut = i + 1
				break
			}
		}
	}
	results := make([]cx.Result, 0, len(recs))
	for _, part := range [][]*cx.Record{recs[:cut], recs[cut:]} {
		if len(part) == 0 {
			continue
		}
		res, err := s.apply(ctx, importID, part)
		if err != nil {
			return nil, err
		}
		results = append(results, res...)
		if s.unsaved > 0 && s.rows%rowGroupRows == 0 || s.unsaved >= bulkCheckpointCap {
			if err := s.checkpoint(ctx); err != nil {
				return nil, err
			}
		}
	}
	return results, nil
}

// apply stores recs in one transaction; s.mu is held.
func (s *Store) apply(ctx context.Context, importID int64, recs []*cx.Record) ([]cx.Result, error) {
	results := make([]cx.Result, len(recs))
	var b *batch
	err := s.tx(ctx, func(c *sql.Conn) error {
		if err := s.eng.lockWriters(ctx, c); err != nil {
			return err
		}
		if err := s.checkPrimary(ctx, c); err != nil {
			return err
		}
		if err := s.refreshIndex(ctx, c); err != nil {
			return err
		}
		var err error
		b, err = s.plan(ctx, c, importID, recs, results)
		if err != nil {
			return err
		}
		return s.write(ctx, c, b)
	})
	if err != nil {
		s.index = nil // it saw resolutions that were rolled back: reload next time
		return nil, fmt.Errorf("store batch: %w", err)
	}
	s.identSeq, s.mergeSeq = b.identSeq, b.mergeSeq
	if s.bulkLoad {
		// What this commit appended: rows, and the bodies of the contacts
		// stored (unchanged ones append nothing).
		s.rows += int64(len(b.inserts["interactions"]))
		for i, r := range recs {
			if o := results[i].Outcome; r.Type == cx.TypeInteraction && (o == cx.Inserted || o == cx.Updated) {
				s.unsaved += int64(len(r.Body))
			}
		}
	}
	return results, nil
}

// refreshIndex loads identities and merges that this process has not seen:
// all of them the first time, and on PostgreSQL those other processes wrote.
func (s *Store) refreshIndex(ctx context.Context, c *sql.Conn) error {
	if s.index == nil {
		s.index, s.identSeq, s.mergeSeq = identity.NewIndex(1), 0, 0
	}
	// The index holds blind indexes under the primary key. Rows sealed under
	// another key (a rotation under way) come with their value, to re-blind.
	rows, err := c.QueryContext(ctx, `SELECT seq, kind, bidx, customer_id, CASE WHEN value LIKE $2 THEN NULL ELSE value END
		FROM identities WHERE seq > $1`, s.identSeq, s.vault().primary.ID+":%")
	if err != nil {
		return fmt.Errorf("load identities: %w", err)
	}
	for rows.Next() {
		var seq, cust int64
		var kind string
		var bidx, other sql.NullString
		if err := rows.Scan(&seq, &kind, &bidx, &cust, &other); err != nil {
			rows.Close()
			return err
		}
		id := cx.Identity{Kind: cx.IdentityKind(kind), Value: bidx.String}
		if other.Valid {
			plain, err := s.vault().open(identityAD(kind), other.String)
			if err != nil {
				rows.Close()
				return fmt.Errorf("load identity %d: %w", seq, err)
			}
			id = s.vault().blindIdentity(cx.Identity{Kind: id.Kind, Value: plain})
		}
		s.index.Add(id, cust)
		s.identSeq = max(s.identSeq, seq)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = c.QueryContext(ctx, `SELECT seq, merged, survivor FROM merges WHERE seq > $1`, s.mergeSeq)
	if err != nil {
		return fmt.Errorf("load merges: %w", err)
	}
	for rows.Next() {
		var seq, merged, survivor int64
		if err := rows.Scan(&seq, &merged, &survivor); err != nil {
			rows.Close()
			return err
		}
		s.index.AddMerge(merged, survivor)
		s.mergeSeq = max(s.mergeSeq, seq)
	}
	rows.Close()
	var maxID int64
	if err := c.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM customers`).Scan(&maxID); err != nil {
		return err
	}
	s.index.NoteCustomer(maxID)
	return rows.Err()
}

// lookups finds what the batch's keys already have in the store.
type lookups struct {
	inter     map[cx.Key]existing
	surveys   map[cx.Key]existing
	events    map[string]existing
	reviews   map[string]existing
	customers map[int64]existingCustomer
}

func (s *Store) lookup(ctx context.Context, c *sql.Conn, recs []*cx.Record, blinded [][]cx.Identity) (*lookups, error) {
	l := &lookups{inter: map[cx.Key]existing{}, surveys: map[cx.Key]existing{}, events: map[string]existing{}, reviews: map[string]existing{}, customers: map[int64]existingCustomer{}}
	var iSrc, iID, sSrc, sID, eID, rID []string
	var custIDs []int64
	inter := func(k cx.Key) {
		if s.mayHold("interactions", k) {
			iSrc, iID = append(iSrc, k.Source), append(iID, k.ID)
		}
	}
	for i, r := range recs {
		switch r.Type {
		case cx.TypeInteraction:
			inter(r.Interaction.Key())
		case cx.TypeSurvey:
			inter(r.Survey.Interaction)
			if k := (cx.Key{Source: r.Survey.Source, ID: r.Survey.ID}); s.mayHold("surveys", k) {
				sSrc, sID = append(sSrc, k.Source), append(sID, k.ID)
			}
		case cx.TypeEvent:
			if s.mayHold("events", cx.Key{ID: r.Event.ID}) {
				eID = append(eID, r.Event.ID)
			}
		case cx.TypeQAReview:
			inter(r.QAReview.Interaction)
			if s.mayHold("qa_reviews", cx.Key{ID: r.QAReview.ID}) {
				rID = append(rID, r.QAReview.ID)
			}
		case cx.TypeCustomer:
			for _, id := range blinded[i] {
				if c, ok := s.index.Lookup(id); ok {
					custIDs = append(custIDs, c)
				}
			}
		}
	}
	scan := func(q string, args []any, fn func(*sql.Rows) error) error {
		rows, err := c.QueryContext(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	if len(iSrc) > 0 {
		err := scan(s.eng.keyLookup("interactions", "t.source, t.ext_id, t.id, t.customer_id, t.content_hash, t.import_id"), []any{iSrc, iID}, func(r *sql.Rows) error {
			var k cx.Key
			var e existing
			err := r.Scan(&k.Source, &k.ID, &e.id, &e.customerID, &e.hash, &e.importID)
			l.inter[k] = e
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("look up interactions: %w", err)
		}
	}
	if len(sSrc) > 0 {
		err := scan(s.eng.keyLookup("surveys", "t.source, t.ext_id, t.content_hash, t.import_id"), []any{sSrc, sID}, func(r *sql.Rows) error {
			var k cx.Key
			var e existing
			err := r.Scan(&k.Source, &k.ID, &e.hash, &e.importID)
			l.surveys[k] = e
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("look up surveys: %w", err)
		}
	}
	if len(eID) > 0 {
		err := scan(s.eng.keyLookup("events", "ext_id, customer_id, content_hash, import_id"), []any{eID}, func(r *sql.Rows) error {
			var id string
			var e existing
			err := r.Scan(&id, &e.customerID, &e.hash, &e.importID)
			l.events[id] = e
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("look up events: %w", err)
		}
	}
	if len(rID) > 0 {
		err := scan(s.eng.keyLookup("qa_reviews", "ext_id, content_hash, import_id"), []any{rID}, func(r *sql.Rows) error {
			var id string
			var e existing
			err := r.Scan(&id, &e.hash, &e.importID)
			l.reviews[id] = e
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("look up QA reviews: %w", err)
		}
	}
	if len(custIDs) > 0 {
		err := scan(`SELECT id, content_hash, merged_into, created_at FROM customers WHERE id = ANY($1)`, []any{custIDs}, func(r *sql.Rows) error {
			var id int64
			var e existingCustomer
			err := r.Scan(&id, &e.hash, &e.mergedInto, &e.createdAt)
			l.customers[id] = e
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("look up customers: %w", err)
		}
	}
	return l, nil
}

// mayHold reports whether table may hold a row with key k (events and QA
// reviews: the ext_id alone). s.mu is held.
func (s *Store) mayHold(table string, k cx.Key) bool {
	set, ok := s.known[table]
	if !ok {
		return true
	}
	_, hit := set[maphash.Comparable(s.keySeed, k)]
	return hit
}

// stored notes that a row with key k is being written to table; a batch
// rolled back leaves its keys behind, which only costs a lookup.
func (s *Store) stored(table string, k cx.Key) {
	if set, ok := s.known[table]; ok {
		set[maphash.Comparable(s.keySeed, k)] = struct{}{}
	}
}

func (s *Store) plan(ctx context.Context, c *sql.Conn, importID int64, recs []*cx.Record, results []cx.Result) (*batch, error) {
	// Identities are resolved by their blind index; the batch keeps each
	// one's value only to seal the identities it stores.
	plain := map[cx.Identity]string{}
	blinded := make([][]cx.Identity, len(recs))
	for i, r := range recs {
		if len(r.Identities) == 0 {
			continue
		}
		bl := make([]cx.Identity, len(r.Identities))
		for j, id := range r.Identities {
			bl[j] = s.vault().blindIdentity(id)
			plain[bl[j]] = id.Value
		}
		blinded[i] = bl
	}
	l, err := s.lookup(ctx, c, recs, blinded)
	if err != nil {
		return nil, err
	}
	b := &batch{importID: importID, now: s.now().UTC(), inserts: map[string][][]any{}, identSeq: s.identSeq, mergeSeq: s.mergeSeq, plain: plain}
	var nextInteraction int64
	if err := c.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM interactions`).Scan(&nextInteraction); err != nil {
		return nil, err
	}
	// settle decides a keyed record against what is stored: unchanged,
	// rejected as a conflicting duplicate of this import (both false: done),
	// or to be written — replacing the stored row when found.
	settle := func(res *cx.Result, e existing, found bool, hash uint64, what string) bool {
		switch {
		case !found:
			res.Outcome = cx.Inserted
			return true
		case int64(hash) == e.hash:
			res.Outcome = cx.Unchanged
			return false
		case e.importID == importID:
			*res = cx.Result{Outcome: cx.Rejected, Field: "id",
				Err: fmt.Errorf("%s appears earlier in this import with different content; keep one version of each record per import", what)}
			return false
		}
		res.Outcome = cx.Updated
		return true
	}
	for i, r := range recs {
		label := r.Label()
		switch r.Type {
		case cx.TypeInteraction:
			in := r.Interaction
			k := in.Key()
			e, found := l.inter[k]
			if !settle(&results[i], e, found, r.Hash, "interaction "+k.String()) {
				continue
			}
			id := e.id
			if found {
				b.delInter = append(b.delInter, id)
			} else {
				id = nextInteraction
				nextInteraction++
			}
			cust := s.resolve(b, blinded[i], label)
			row, err := interactionRow(id, cust, r, importID, b.now)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", r.Origin, err)
			}
			b.add("interactions", row)
			s.stored("interactions", k)
			l.inter[k] = existing{id: id, customerID: cust, hash: int64(r.Hash), importID: importID}
		case cx.TypeSurvey:
			sv := r.Survey
			k := cx.Key{Source: sv.Source, ID: sv.ID}
			inter, ok := l.inter[sv.Interaction]
			if !ok {
				results[i] = cx.Result{Outcome: cx.Rejected, Field: "interaction",
					Err: fmt.Errorf("unknown interaction %s (import interactions before their surveys)", sv.Interaction)}
				continue
			}
			e, found := l.surveys[k]
			if !settle(&results[i], e, found, r.Hash, "survey "+k.String()) {
				continue
			}
			if found {
				b.delSurveySr, b.delSurveyID = append(b.delSurveySr, k.Source), append(b.delSurveyID, k.ID)
			}
			cust := s.index.Canonical(inter.customerID)
			b.add("surveys", []any{sv.Source, sv.ID, inter.id, cust, sv.At, intp(sv.CSAT), intp(sv.NPS), intp(sv.CES),
				nullStr(sv.Comment), jsonOrNil(sv.Attributes), int64(r.Hash), importID})
			l.surveys[k] = existing{hash: int64(r.Hash), importID: importID}
			s.stored("surveys", k)
		case cx.TypeEvent:
			ev := r.Event
			e, found := l.events[ev.ID]
			if !settle(&results[i], e, found, r.Hash, "event "+ev.ID) {
				continue
			}
			if found {
				b.delEvents = append(b.delEvents, ev.ID)
			}
			cust := s.resolve(b, blinded[i], label)
			var value any
			if ev.Value != nil {
				value = int64(*ev.Value)
			}
			b.add("events", []any{ev.ID, cust, ev.Name, ev.At, value, nullStr(ev.Currency), jsonOrNil(ev.Attributes), int64(r.Hash), importID})
			l.events[ev.ID] = existing{customerID: cust, hash: int64(r.Hash), importID: importID}
			s.stored("events", cx.Key{ID: ev.ID})
		case cx.TypeQAReview:
			rv := r.QAReview
			inter, ok := l.inter[rv.Interaction]
			if !ok {
				results[i] = cx.Result{Outcome: cx.Rejected, Field: "interaction",
					Err: fmt.Errorf("unknown interaction %s (import interactions before their reviews)", rv.Interaction)}
				continue
			}
			e, found := l.reviews[rv.ID]
			if !settle(&results[i], e, found, r.Hash, "qa_review "+rv.ID) {
				continue
			}
			if found {
				b.delReviews = append(b.delReviews, rv.ID)
			}
			crit, err := json.Marshal(rv.Criteria)
			if err != nil {
				return nil, err
			}
			var score any
			if rv.Score != nil {
				score = *rv.Score
			}
			b.add("qa_reviews", []any{rv.ID, inter.id, nullStr(rv.Reviewer), rv.At, score, string(crit), int64(r.Hash), importID})
			l.reviews[rv.ID] = existing{hash: int64(r.Hash), importID: importID}
			s.stored("qa_reviews", cx.Key{ID: rv.ID})
		case cx.TypeCustomer:
			res := s.index.Resolve(blinded[i], label, b.now)
			s.record(b, res, label)
			cu := r.Customer
			e, known := l.customers[res.Customer]
			switch {
			case res.Created:
				results[i].Outcome = cx.Inserted
				b.pendingCustomer(res.Customer, s.customerRow(res.Customer, cu, r.Hash, nil, b.now, b.now))
			case known && e.hash.Valid && e.hash.Int64 == int64(r.Hash):
				results[i].Outcome = cx.Unchanged
			default:
				results[i].Outcome = cx.Updated
				created := b.now
				var merged *int64
				if known {
					created = e.createdAt
					if e.mergedInto.Valid {
						merged = &e.mergedInto.Int64
					}
				}
				if b.pendingCustomer(res.Customer, s.customerRow(res.Customer, cu, r.Hash, merged, created, b.now)) {
					break
				}
				b.delCust = append(b.delCust, res.Customer)
				b.addCustomer(res.Customer, s.customerRow(res.Customer, cu, r.Hash, merged, created, b.now))
			}
			l.customers[res.Customer] = existingCustomer{hash: sql.NullInt64{Int64: int64(r.Hash), Valid: true}, createdAt: b.now}
		}
	}
	return b, nil
}

// pendingCustomer replaces a customer row written earlier in this batch.
func (b *batch) pendingCustomer(id int64, row []any) bool {
	i, ok := b.customerRow[id]
	if ok {
		b.inserts["customers"][i] = row
	}
	return ok
}

// resolve finds or creates the record's customer and records the changes;
// ids are blinded (vault.blindIdentity).
func (s *Store) resolve(b *batch, ids []cx.Identity, label string) int64 {
	res := s.index.Resolve(ids, label, b.now)
	s.record(b, res, label)
	return res.Customer
}

func (s *Store) record(b *batch, res identity.Resolution, label string) {
	if res.Created {
		b.addCustomer(res.Customer, []any{res.Customer, nil, nil, nil, nil, nil, nil, nil, nil, b.now, b.now})
	}
	// Labels of customer records name the customer's external id: sealed too.
	var sealedLabel string
	if len(res.NewIdentities) > 0 || len(res.Merges) > 0 {
		sealedLabel = s.vault().seal(adRecord, label)
	}
	for _, id := range res.NewIdentities {
		b.identSeq++
		ad := identityAD(string(id.Kind))
		b.add("identities", []any{b.identSeq, string(id.Kind), s.vault().seal(ad, b.plain[id]), res.Customer, b.now, sealedLabel, id.Value})
	}
	for _, m := range res.Merges {
		b.mergeSeq++
		ad := identityAD(string(m.Identity.Kind))
		b.add("merges", []any{b.mergeSeq, m.At, m.Survivor, m.Merged, string(m.Identity.Kind), s.vault().seal(ad, b.plain[m.Identity]), sealedLabel})
		b.merges = append(b.merges, m)
	}
}

func (s *Store) customerRow(id int64, c *cx.Customer, hash uint64, mergedInto *int64, created, updated time.Time) []any {
	var signup any
	if c.SignupAt != nil {
		signup = *c.SignupAt
	}
	var merged any
	if mergedInto != nil {
		merged = *mergedInto
	}
	return []any{id, nullStr(s.vault().seal(adCustomerExt, c.ExternalID)), nullStr(s.vault().seal(adCustomerName, c.Name)), nullStr(c.Segment), nullStr(c.Region), signup,
		jsonOrNil(c.Attributes), int64(hash), merged, created, updated}
}

// write executes a planned batch: deletions of replaced rows, bulk inserts,
// then merges (which re-point rows already written, including this batch's).
func (s *Store) write(ctx context.Context, c *sql.Conn, b *batch) error {
	if len(b.delInter) > 0 {
		if _, err := c.ExecContext(ctx, `DELETE FROM interactions WHERE id = ANY($1)`, b.delInter); err != nil {
			return fmt.Errorf("replace interactions: %w", err)
		}
	}
	if len(b.delCust) > 0 {
		if _, err := c.ExecContext(ctx, `DELETE FROM customers WHERE id = ANY($1)`, b.delCust); err != nil {
			return fmt.Errorf("replace customers: %w", err)
		}
	}
	if len(b.delEvents) > 0 {
		if _, err := c.ExecContext(ctx, `DELETE FROM events WHERE ext_id = ANY($1)`, b.delEvents); err != nil {
			return fmt.Errorf("replace events: %w", err)
		}
	}
	if len(b.delReviews) > 0 {
		if _, err := c.ExecContext(ctx, `DELETE FROM qa_reviews WHERE ext_id = ANY($1)`, b.delReviews); err != nil {
			return fmt.Errorf("replace QA reviews: %w", err)
		}
	}
	for i := range b.delSurveySr {
		if _, err := c.ExecContext(ctx, `DELETE FROM surveys WHERE source = $1 AND ext_id = $2`, b.delSurveySr[i], b.delSurveyID[i]); err != nil {
			return fmt.Errorf("replace surveys: %w", err)
		}
	}
	for _, t := range []struct {
		table string
		cols  []string
	}{{"customers", customerCols}, {"identities", identityCols}, {"merges", mergeCols}, {"events", eventCols},
		{"interactions", interactionCols}, {"surveys", surveyCols}, {"qa_reviews", reviewCols}} {
		if err := s.eng.bulkInsert(ctx, c, t.table, t.cols, b.inserts[t.table]); err != nil {
			return err
		}
	}
	if len(b.merges) == 0 {
		return nil
	}
	// Every statement covers the whole batch's merges: one per table.
	from, to := make([]int64, len(b.merges)), make([]int64, len(b.merges))
	for i, m := range b.merges {
		from[i], to[i] = m.Merged, s.index.Canonical(m.Survivor)
	}
	pairs := s.eng.pairs()
	stmts := []struct{ what, sql string }{
		// The survivor keeps its own profile and takes the merged customer's
		// where it has none (an implicit customer merged with a known one).
		{"profiles", `UPDATE customers SET
			ext_id = coalesce(customers.ext_id, src.ext_id), name = coalesce(customers.name, src.name),
			segment = coalesce(customers.segment, src.segment), region = coalesce(customers.region, src.region),
			signup_at = coalesce(customers.signup_at, src.signup_at), attributes = coalesce(customers.attributes, src.attributes),
			updated_at = $3
			FROM (SELECT m.t, c.ext_id, c.name, c.segment, c.region, c.signup_at, c.attributes FROM ` + pairs + ` JOIN customers c ON c.id = m.f) src
			WHERE customers.id = src.t`},
		{"customers", `UPDATE customers SET merged_into = m.t, updated_at = $3 FROM ` + pairs + ` WHERE customers.id = m.f`},
	}
	// Re-point every row of a merged customer at its final survivor.
	for _, table := range []string{"interactions", "events", "surveys", "identities"} {
		stmts = append(stmts, struct{ what, sql string }{table,
			`UPDATE ` + table + ` SET customer_id = m.t FROM ` + pairs + ` WHERE ` + table + `.customer_id = m.f`})
	}
	for _, st := range stmts {
		args := []any{from, to}
		if strings.Contains(st.sql, "$3") {
			args = append(args, b.now)
		}
		if _, err := c.ExecContext(ctx, st.sql, args...); err != nil {
			return fmt.Errorf("merge customers (%s): %w", st.what, err)
		}
	}
	return nil
}

func interactionRow(id, cust int64, r *cx.Record, importID int64, now time.Time) ([]any, error) {
	in := r.Interaction
	body := r.Body
	if body == "" {
		var err error
		if body, err = cx.StoredBody(in); err != nil {
			return nil, err
		}
	}
	var ended, cost, csat, nps, ces any
	if in.EndedAt != nil {
		ended = *in.EndedAt
	}
	if in.Cost != nil {
		cost = int64(*in.Cost)
	}
	if in.Survey != nil {
		csat, nps, ces = intp(in.Survey.CSAT), intp(in.Survey.NPS), intp(in.Survey.CES)
	}
	var resolvedGiven, resolved any
	if in.Resolved != nil {
		resolvedGiven, resolved = *in.Resolved, *in.Resolved
	}
	intent := nullStr(in.Intent)
	var conf, sent, sentChange, effort, qa, flags, vulnerable any
	if a := in.Analysis; a != nil {
		resolved = a.Resolved
		if a.Intent != "" {
			intent, conf = a.Intent, a.IntentConfidence
		}
		sent, sentChange = floatp(a.Sentiment), floatp(a.SentimentChange)
		effort = a.Effort
		if a.QA != nil {
			qa = a.QA.Score
		}
		flags, vulnerable = flagList(a.Flags), a.Vulnerable
	}
	return []any{id, in.Source, in.ID, cust, string(in.Channel), nullStr(in.JourneyStage), nullStr(in.Queue), string(in.Handler),
		nullStr(in.Agent.ID), nullStr(in.Agent.Team), nullStr(in.Agent.Partner), in.StartedAt, ended,
		int32(in.WaitSeconds), int32(in.HandleSeconds), int32(in.Transfers), in.Escalated, in.Abandoned, resolvedGiven, resolved,
		intent, conf, cost, nullStr(in.Currency), csat, nps, ces, sent, sentChange, effort, qa, flags, vulnerable,
		int32(len(in.Turns)), body, int64(r.Hash), importID, now,
		nil, nil, nil, nil, // repeat links: set by Relink once the import is stored
		effort, nil, nil}, nil // the contact's own effort; Relink adds the journey's
}

// flagList stores flags as ",kind,kind," so "flags LIKE '%,anger,%'" filters
// the same way on both engines.
func flagList(fs []cx.Flag) any {
	if len(fs) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteByte(',')
	for _, f := range fs {
		b.WriteString(f.Kind)
		b.WriteByte(',')
	}
	return b.String()
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func intp(p *int) any {
	if p == nil {
		return nil
	}
	return int16(*p)
}

func floatp(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func jsonOrNil(m map[string]any) any {
	if len(m) == 0 {
		return nil
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil
	}
	return string(b)
}
