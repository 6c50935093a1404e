package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/ingest"
	"github.com/northstar-cx/northstar/internal/pgtest"
	"github.com/northstar-cx/northstar/internal/store"
	"github.com/northstar-cx/northstar/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var fixedNow = time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)

// engines runs one test body against every engine: the conformance suite.
// It runs on DuckDB opened for a bulk load too, whose lookups skip keys it
// has not stored itself.
func engines(t *testing.T, body func(t *testing.T, s *store.Store)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, eng string) { body(t, mustOpen(t, eng)) })
	t.Run("duckdb-bulk", func(t *testing.T) { body(t, mustOpen(t, "duckdb", store.BulkLoad())) })
}

func mustOpen(t *testing.T, eng string, opts ...store.Option) *store.Store {
	t.Helper()
	return storetest.Open(t, eng, append(opts, store.WithNow(func() time.Time { return fixedNow }))...)
}

func importFile(t *testing.T, s *store.Store, path string) *ingest.Report {
	t.Helper()
	rep, err := ingest.Import(context.Background(), s, []ingest.Source{ingest.FileSource(path)},
		ingest.Options{Normalizer: identity.Normalizer{Region: "GB"}, BatchSize: 3})
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return rep
}

func TestImportIsIdempotentAndMergesCustomers(t *testing.T) {
	engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		rep := importFile(t, s, "testdata/world.ndjson")
		tot := rep.Total()
		if tot.Read != 10 || tot.Inserted != 9 || tot.Rejected != 1 {
			t.Fatalf("first import: %+v, problems %v", tot, rep.Problems)
		}
		if p := rep.Problems[0]; p.Line != 10 || p.Field != "interaction" {
			t.Errorf("survey of unknown interaction: %+v", p)
		}
		again := importFile(t, s, "testdata/world.ndjson").Total()
		if again.Unchanged != 9 || again.Inserted != 0 || again.Updated != 0 {
			t.Fatalf("re-import should change nothing: %+v", again)
		}

		// The phone-only contact and event and the email contacts are one customer.
		byPhone, err := s.CustomerID(ctx, cx.Identity{Kind: cx.IdentityPhone, Value: "+447700900123"})
		if err != nil {
			t.Fatal(err)
		}
		byEmail, err := s.CustomerID(ctx, cx.Identity{Kind: cx.IdentityEmail, Value: "ana@example.com"})
		if err != nil || byEmail != byPhone {
			t.Fatalf("email → %d, phone → %d (%v); want the same customer", byEmail, byPhone, err)
		}
		c, err := s.Customer(ctx, cx.Scope{}, byEmail)
		if err != nil {
			t.Fatal(err)
		}
		if c.ExternalID != "C1001" || c.Name != "Ana Silva" || len(c.Identities) != 4 || len(c.Merges) != 1 {
			t.Fatalf("customer: %+v", c)
		}
		if m := c.Merges[0]; m.Identity.Kind != cx.IdentityPhone || m.Record != "interaction zendesk/I3" {
			t.Errorf("merge: %+v", m)
		}
		if c.Value.Orders != 1 || c.Value.Revenue != 5499 || c.Value.Refunds != 1050 || c.Value.Status != "active" {
			t.Errorf("value: %+v", c.Value)
		}
		tl, err := s.Timeline(ctx, cx.Scope{}, byEmail, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, it := range tl.Items {
			kinds = append(kinds, it.Kind+":"+it.Ref)
		}
		want := []string{"event:E1", "event:E2", "event:E3", "interaction:zendesk/I1", "interaction:zendesk/I2", "interaction:zendesk/I3", "survey:zendesk/S1"}
		if tl.Total != len(want) || len(kinds) != len(want) {
			t.Fatalf("timeline = %v, want %v", kinds, want)
		}
		for i := range want {
			if kinds[i] != want[i] {
				t.Fatalf("timeline = %v, want %v", kinds, want)
			}
		}
		in, err := s.Interaction(ctx, cx.Scope{}, cx.Key{Source: "zendesk", ID: "I2"})
		if err != nil {
			t.Fatal(err)
		}
		if in.Attributes["crm_score"] != float64(7) || in.CustomerID != byEmail || in.Customer.Email != "" {
			t.Errorf("interaction I2: attrs %v, customer %d, ref %+v (identities must not be stored in the body)", in.Attributes, in.CustomerID, in.Customer)
		}
		counts, err := s.Counts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts["customers"] != 2 || counts["merged_customers"] != 1 || counts["interactions"] != 3 || counts["surveys"] != 1 {
			t.Errorf("counts: %v", counts)
		}
	})
}

func TestUpdatedRecordReplacesAndDuplicateInOneImportIsRejected(t *testing.T) {
	engines(t, func(t *testing.T, s *store.Store) {
		dir := t.TempDir()
		v1 := filepath.Join(dir, "v1.ndjson")
		v2 := filepath.Join(dir, "v2.ndjson")
		line := `{"type":"interaction","id":"X1","source":"s","customer":{"id":"C9"},"channel":"chat","handler":"human","started_at":"2025-09-01T10:00:00Z","resolved":%s,"turns":[]}` + "\n"
		os.WriteFile(v1, []byte(fmt.Sprintf(line, "false")), 0o644)
		os.WriteFile(v2, []byte(fmt.Sprintf(line, "true")+fmt.Sprintf(line, "false")), 0o644)
		if tot := importFile(t, s, v1).Total(); tot.Inserted != 1 {
			t.Fatalf("v1: %+v", tot)
		}
		rep := importFile(t, s, v2)
		if tot := rep.Total(); tot.Updated != 1 || tot.Rejected != 1 {
			t.Fatalf("v2: %+v %v", tot, rep.Problems)
		}
		in, err := s.Interaction(context.Background(), cx.Scope{}, cx.Key{Source: "s", ID: "X1"})
		if err != nil || in.Resolved == nil || !*in.Resolved {
			t.Fatalf("after update: %+v, %v", in, err)
		}
		counts, _ := s.Counts(context.Background())
		if counts["interactions"] != 1 {
			t.Errorf("interactions = %d, want 1", counts["interactions"])
		}
	})
}

func TestReopenKeepsDataAndMigrationsRunOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.db")
	for i := range 2 {
		s, err := store.Open(context.Background(), "duckdb:"+path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if i == 0 {
			importFile(t, s, "testdata/world.ndjson")
		} else if n, _ := s.Counts(context.Background()); n["interactions"] != 3 {
			t.Errorf("after reopen: %v", n)
		}
		s.Close()
	}
}

func TestOpenRejectsUnknownDSN(t *testing.T) {
	_, err := store.Open(context.Background(), "mysql://x")
	if cx.ErrorCode(err) != cx.EINVALID {
		t.Fatalf("err = %v, want invalid", err)
	}
}

func TestRepeatContactsAcrossChannels(t *testing.T) {
	engines(t, func(t *testing.T, s *store.Store) {
		dir := t.TempDir()
		f := filepath.Join(dir, "r.ndjson")
		line := `{"type":"interaction","id":"%s","source":"s","customer":{"id":"C1"},"channel":"%s","handler":"human","started_at":"%s","resolved":%s,"intent":"%s","turns":[]}` + "\n"
		data := fmt.Sprintf(line, "a", "chat", "2025-09-01T10:00:00Z", "true", "refund") + // repeated by b (3 days later, by phone)
			fmt.Sprintf(line, "b", "voice", "2025-09-04T10:00:00Z", "true", "refund") + // repeat of a; not repeated
			fmt.Sprintf(line, "c", "email", "2025-09-20T10:00:00Z", "true", "refund") + // first contact again (16 days later), FCR
			fmt.Sprintf(line, "d", "chat", "2025-09-04T11:00:00Z", "false", "billing") // other intent: first, unresolved
		os.WriteFile(f, []byte(data), 0o644)
		importFile(t, s, f)
		want := map[string][4]any{ // repeat_of, repeated, first_contact, fcr
			"a": {nil, true, true, false}, "b": {"a", false, false, false}, "c": {nil, false, true, true}, "d": {nil, false, true, false},
		}
		rows, err := s.DB().Query(`SELECT i.ext_id, p.ext_id, i.repeated, i.first_contact, i.fcr FROM interactions i LEFT JOIN interactions p ON p.id = i.repeat_of`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		n := 0
		for rows.Next() {
			var id string
			var prev *string
			var rep, first, fcr bool
			if err := rows.Scan(&id, &prev, &rep, &first, &fcr); err != nil {
				t.Fatal(err)
			}
			n++
			w := want[id]
			var p any
			if prev != nil {
				p = *prev
			}
			if p != w[0] || rep != w[1] || first != w[2] || fcr != w[3] {
				t.Errorf("%s: repeat_of=%v repeated=%v first=%v fcr=%v; want %v", id, p, rep, first, fcr, w)
			}
		}
		if n != 4 {
			t.Fatalf("%d interactions", n)
		}
	})
}

// Bulk work gives DuckDB one thread and gives the default back; an import in
// between is stored whole, and its repeat linking (which has every thread)
// leaves one behind.
func TestBulkWorkRestoresThreads(t *testing.T) {
	s := mustOpen(t, "duckdb")
	threads := func() string {
		var v string
		if err := s.DB().QueryRow(`SELECT current_setting('threads')`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	before := threads()
	restore, err := s.BulkWork(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := threads(); got != "1" {
		t.Errorf("threads during bulk work = %s, want 1", got)
	}
	importFile(t, s, "testdata/world.ndjson")
	if got := threads(); got != "1" {
		t.Errorf("threads after the import's linking = %s, want 1 until bulk work ends", got)
	}
	restore()
	if got := threads(); got != before {
		t.Errorf("threads after bulk work = %s, want %s as before", got, before)
	}
	if n, _ := s.Counts(context.Background()); n["interactions"] != 3 {
		t.Errorf("stored %v", n)
	}
}

// A bulk load writes no write-ahead log, where a normal store logs every
// commit; what it imported is in the file once the import returns, and a
// normal store opens it.
func TestBulkLoadSkipsTheLog(t *testing.T) {
	dir := t.TempDir()
	walAfterImport := func(name string, opts ...store.Option) int64 {
		path := filepath.Join(dir, name)
		s, err := store.Open(context.Background(), "duckdb:"+path, append(opts, store.WithKeyFile(filepath.Join(dir, name+".key")))...)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		importFile(t, s, "testdata/world.ndjson")
		fi, err := os.Stat(path + ".wal")
		if errors.Is(err, os.ErrNotExist) {
			return 0
		} else if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	logged := walAfterImport("logged.db")
	bulk := walAfterImport("bulk.db", store.BulkLoad())
	t.Logf("write-ahead log after the import: %d bytes normally, %d in a bulk load", logged, bulk)
	// A log holds at most its header once a checkpoint has emptied it.
	if logged < 4096 || bulk > 256 {
		t.Errorf("write-ahead log after the import: %d bytes normally, %d in a bulk load; want the rows in the first only", logged, bulk)
	}
	s, err := store.Open(context.Background(), "duckdb:"+filepath.Join(dir, "bulk.db"), store.WithKeyFile(filepath.Join(dir, "bulk.db.key")))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, _ := s.Counts(context.Background()); n["interactions"] != 3 || n["customers"] != 2 {
		t.Errorf("after the bulk load: %v", n)
	}
}

// A bulk load splits a batch where a row group of interactions fills, and
// checkpoints there: after one batch holding the world's three interactions,
// a store two rows short of the boundary holds only the third's body
// unsaved, where a store far from it holds all three.
func TestBulkLoadCheckpointsAtRowGroupBoundaries(t *testing.T) {
	// importWorld imports the world in one batch and reports the store's
	// bulk state right after that batch.
	importWorld := func(s *store.Store, inserted int) (rows, unsaved int64) {
		o := ingest.Options{Normalizer: identity.Normalizer{Region: "GB"}, BatchSize: 100,
			Progress: func(ingest.Progress) { rows, unsaved = s.BulkState() }}
		rep, err := ingest.Import(context.Background(), s, []ingest.Source{ingest.FileSource("testdata/world.ndjson")}, o)
		if err != nil {
			t.Fatal(err)
		}
		if tot := rep.Total(); tot.Inserted != inserted || tot.Rejected != 1 {
			t.Fatalf("import %+v %v", tot, rep.Problems)
		}
		return rows, unsaved
	}
	near := mustOpen(t, "duckdb", store.BulkLoad())
	near.SetBulkRows(store.RowGroupRows - 2)
	rows, split := importWorld(near, 9)
	_, whole := importWorld(mustOpen(t, "duckdb", store.BulkLoad()), 9)
	if rows != store.RowGroupRows+1 || split <= 0 || split >= whole {
		t.Errorf("across the boundary: %d rows, %d bytes unsaved; far from it %d bytes; want the boundary passed by one and fewer bytes", rows, split, whole)
	}
	// Importing the same world again stores nothing: nothing waits for a
	// checkpoint, and the row count stays.
	if rows, unsaved := importWorld(near, 0); rows != store.RowGroupRows+1 || unsaved != 0 {
		t.Errorf("re-import: %d rows, %d bytes unsaved; want %d rows and nothing unsaved", rows, unsaved, store.RowGroupRows+1)
	}
}

// After a reopen, and in a batch that mixes stored, changed and new keys,
// every stored key is found: nothing is inserted twice. Reopened for a bulk
// load too, which must look up keys it did not store itself when the table
// already held rows.
func TestStoredKeysAreFoundAfterReopenAndInMixedBatches(t *testing.T) {
	lines, err := os.ReadFile("testdata/world.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	var again []string
	for _, l := range strings.Split(strings.TrimSpace(string(lines)), "\n") {
		switch {
		case strings.Contains(l, `"id":"I1"`): // stored, same content
			again = append(again, l)
		case strings.Contains(l, `"id":"I2"`): // stored, changed
			again = append(again, strings.Replace(l, `"escalated":true`, `"escalated":false`, 1))
		}
	}
	again = append(again, strings.Replace(again[0], `"id":"I1"`, `"id":"I9"`, 1)) // new
	file := filepath.Join(t.TempDir(), "again.ndjson")
	if err := os.WriteFile(file, []byte(strings.Join(again, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		reopen []store.Option
	}{{"logged", nil}, {"bulk", []store.Option{store.BulkLoad()}}} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "n.db")
			open := func(opts ...store.Option) *store.Store {
				s, err := store.Open(context.Background(), "duckdb:"+path, opts...)
				if err != nil {
					t.Fatal(err)
				}
				return s
			}
			s := open()
			importFile(t, s, "testdata/world.ndjson")
			s.Close()

			s = open(tc.reopen...)
			defer s.Close()
			rep := importFile(t, s, file)
			got := rep.Counts[cx.TypeInteraction]
			if got == nil || got.Unchanged != 1 || got.Updated != 1 || got.Inserted != 1 {
				t.Fatalf("counts %+v, want 1 unchanged, 1 updated, 1 inserted", got)
			}
			if n, _ := s.Counts(context.Background()); n["interactions"] != 4 {
				t.Errorf("stored %d interactions, want the 3 of the world and I9", n["interactions"])
			}
		})
	}
}
