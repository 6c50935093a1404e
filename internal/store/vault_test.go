package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/store"
	"github.com/northstar-cx/northstar/internal/store/storetest"
)

// The personal values planted in testdata/personal.ndjson, as stored
// (normalised) and as given.
var (
	quokka = cx.Identity{Kind: cx.IdentityEmail, Value: "quokka.zebra@example.com"}
	wombat = cx.Identity{Kind: cx.IdentityEmail, Value: "wombat.yak@example.org"}

	quokkaPersonal = []string{"quokka.zebra@example.com", "@quokkazebra", "+447700900872", "Quentin Zebrawski", "CUSTQZX7001"}
	wombatPersonal = []string{"wombat.yak@example.org", "+447700900871", "Wilhelmina Yakovleva", "CUSTQZX7002"}
	// Free text of the quokka customer's records, which erasure removes.
	quokkaText = []string{"TRANSCRIPTQUOKKA", "TRANSCRIPTQUOKKA2", "SURVEYCOMMENTQUOKKA", "EMBEDDEDCOMMENTQUOKKA", "TAGQUOKKA", "ATTRQUOKKA", "EVATTRQUOKKA"}
)

// opened is a store with where its data lives, to look at the raw files.
type opened struct {
	*store.Store
	eng, dsn, dir, keyFile string
}

func openPersonal(t *testing.T, eng string) *opened {
	t.Helper()
	o := &opened{eng: eng}
	o.dsn, o.dir = storetest.DSN(t, eng)
	o.keyFile = filepath.Join(o.dir, "data.key")
	o.Store = o.reopen(t, store.WithKeyFile(o.keyFile))
	importFile(t, o.Store, "testdata/personal.ndjson")
	return o
}

func (o *opened) reopen(t *testing.T, opts ...store.Option) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), o.dsn, append([]store.Option{store.WithNow(func() time.Time { return fixedNow })}, opts...)...)
	if err != nil {
		t.Fatalf("open %s: %v", o.eng, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// everyEngine runs body on a store holding testdata/personal.ndjson.
func everyEngine(t *testing.T, body func(t *testing.T, o *opened)) {
	for _, eng := range storetest.Engines {
		t.Run(eng, func(t *testing.T) { body(t, openPersonal(t, eng)) })
	}
}

// tableText is every row of every table as text (PostgreSQL) or every byte
// of the database files after a checkpoint (DuckDB): what someone with a
// copy of the database, and without the key, would see.
func (o *opened) raw(t *testing.T) []byte {
	t.Helper()
	ctx := context.Background()
	if err := o.Compact(ctx, true); err != nil {
		t.Fatal(err)
	}
	if o.eng == "duckdb" {
		var all []byte
		for _, suffix := range []string{"", ".wal"} {
			b, err := os.ReadFile(strings.TrimPrefix(o.dsn, "duckdb:") + suffix)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		return all
	}
	tables := queryStrings(t, o.DB(), `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)
	var b bytes.Buffer
	for _, tb := range tables {
		for _, row := range queryStrings(t, o.DB(), `SELECT CAST(t AS TEXT) FROM `+tb+` t`) {
			b.WriteString(row)
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// files is every byte of the PostgreSQL database's files (its directory
// under the cluster's base/), or of the DuckDB files.
func (o *opened) files(t *testing.T) []byte {
	t.Helper()
	if o.eng == "duckdb" {
		return o.raw(t)
	}
	if err := o.Compact(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	if _, err := o.DB().Exec(`CHECKPOINT`); err != nil {
		t.Fatal(err)
	}
	dataDir := queryStrings(t, o.DB(), `SHOW data_directory`)[0]
	oid := queryStrings(t, o.DB(), `SELECT CAST(oid AS TEXT) FROM pg_database WHERE datname = current_database()`)[0]
	var all []byte
	err := filepath.WalkDir(filepath.Join(dataDir, "base", oid), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) { // dropped by a concurrent checkpoint
			return nil
		}
		all = append(all, b...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func queryStrings(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		if s.Valid {
			out = append(out, s.String)
		}
	}
	return out
}

func mustNotContain(t *testing.T, where string, raw []byte, values []string) {
	t.Helper()
	if len(raw) == 0 {
		t.Fatalf("%s: nothing read: the search would be blind", where)
	}
	for _, v := range values {
		if bytes.Contains(raw, []byte(v)) {
			t.Errorf("%s holds %q", where, v)
		}
	}
}

func TestIdentitiesAreNotStoredInClear(t *testing.T) {
	everyEngine(t, func(t *testing.T, o *opened) {
		ctx := context.Background()
		id, err := o.CustomerID(ctx, quokka)
		if err != nil {
			t.Fatal(err)
		}
		byPhone, err := o.CustomerID(ctx, cx.Identity{Kind: cx.IdentityPhone, Value: "+447700900872"})
		if err != nil || byPhone != id {
			t.Fatalf("phone → %d (%v), email → %d: the phone-only customer should have merged in", byPhone, err, id)
		}
		c, err := o.Customer(ctx, cx.Scope{}, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.Name != "Quentin Zebrawski" || c.ExternalID != "CUSTQZX7001" {
			t.Errorf("profile = %q %q, want it decrypted", c.Name, c.ExternalID)
		}
		got := map[string]bool{}
		for _, i := range c.Identities {
			got[i.String()] = true
		}
		for _, want := range []string{"email:quokka.zebra@example.com", "handle:@quokkazebra", "id:CUSTQZX7001", "phone:+447700900872"} {
			if !got[want] {
				t.Errorf("identities %v lack %s", c.Identities, want)
			}
		}
		if len(c.Merges) != 1 || c.Merges[0].Identity.Value == "" || !strings.Contains(c.Merges[0].Record, "IQZ2") {
			t.Errorf("merges = %+v, want the phone merge with its identity and record decrypted", c.Merges)
		}
		// The ciphertexts are there (the search is not blind) and nothing personal is.
		raw := o.raw(t)
		if !bytes.Contains(raw, []byte(o.DataKeyID()+":")) {
			t.Fatalf("no value sealed under key %s found: the search is blind", o.DataKeyID())
		}
		mustNotContain(t, o.eng+" database", raw, append(quokkaPersonal, wombatPersonal...))
	})
}

func TestOpenNeedsTheRightDataKey(t *testing.T) {
	everyEngine(t, func(t *testing.T, o *opened) {
		o.Close()
		other, err := store.ParseKeyring(store.NewKeyText())
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name string
			opts []store.Option
			want string
		}{
			{"wrong key", []store.Option{store.WithDataKey(other)}, "is encrypted with data key " + o.DataKeyID() + ", but the key given is " + other.Primary().ID},
			{"missing key file", []store.Option{store.WithKeyFile(filepath.Join(o.dir, "gone.key"))}, "does not exist: restore the key file"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := store.Open(context.Background(), o.dsn, tc.opts...)
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("err = %v, want it to say %q", err, tc.want)
				}
			})
		}
		if os.Chmod(o.keyFile, 0o644) == nil {
			_, err := store.Open(context.Background(), o.dsn, store.WithKeyFile(o.keyFile))
			if err == nil || !strings.Contains(err.Error(), "chmod 600") {
				t.Errorf("a key file others can read: err = %v", err)
			}
		}
	})
}

func TestNewDuckDBDatabaseCreatesItsKeyBesideIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "n.db")
	s, err := store.Open(context.Background(), "duckdb:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.KeyFileCreated() != path+".key" {
		t.Fatalf("KeyFileCreated = %q", s.KeyFileCreated())
	}
	fi, err := os.Stat(path + ".key")
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v", err, fi.Mode())
	}
}

func TestRotateDataKeyIsResumable(t *testing.T) {
	everyEngine(t, func(t *testing.T, o *opened) {
		ctx := context.Background()
		old := o.DataKeyID()
		oldRing, err := store.ReadKeyFile(o.keyFile)
		if err != nil {
			t.Fatal(err)
		}
		newFile := filepath.Join(o.dir, "new.key")
		next, err := store.CreateKeyFile(newFile)
		if err != nil {
			t.Fatal(err)
		}
		// Interrupt after the first batch of one row.
		cctx, cancel := context.WithCancel(ctx)
		_, err = o.RotateDataKey(cctx, next, 1, func(store.ResealReport) { cancel() })
		if err == nil {
			t.Fatal("rotation with a cancelled context succeeded")
		}
		o.Close()
		// Half-rotated: the old key alone is not enough, and says why.
		if _, err := store.Open(ctx, o.dsn, store.WithDataKey(oldRing)); err == nil || !strings.Contains(err.Error(), "being re-encrypted") {
			t.Fatalf("open half-rotated with the old key: %v", err)
		}
		s := o.reopen(t, store.WithDataKey(oldRing), store.WithExtraKeys(next))
		// Reads work mid-rotation, under both keys.
		if _, err := s.CustomerID(ctx, quokka); err != nil {
			t.Fatalf("lookup mid-rotation: %v", err)
		}
		rep, err := s.RotateDataKey(ctx, next, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Resumed || rep.To != next.Primary().ID || len(rep.From) != 1 || rep.From[0] != old || rep.Identities == 0 || rep.Customers == 0 {
			t.Errorf("report = %+v", rep)
		}
		// Writes after the rotation seal under the new key and resolve against the old identities.
		importFile(t, s, "testdata/personal.ndjson")
		s.Close()
		if _, err := store.Open(ctx, o.dsn, store.WithDataKey(oldRing)); err == nil || !strings.Contains(err.Error(), "encrypted with data key "+next.Primary().ID) {
			t.Fatalf("open with the retired key: %v", err)
		}
		s = o.reopen(t, store.WithKeyFile(newFile))
		id, err := s.CustomerID(ctx, quokka)
		if err != nil {
			t.Fatal(err)
		}
		c, err := s.Customer(ctx, cx.Scope{}, id)
		if err != nil || c.Name != "Quentin Zebrawski" {
			t.Fatalf("customer after rotation: %+v, %v", c, err)
		}
		n := queryStrings(t, s.DB(), `SELECT CAST(count(*) AS TEXT) FROM identities WHERE value NOT LIKE $1`, next.Primary().ID+":%")
		if n[0] != "0" {
			t.Errorf("%s identities not under the new key", n[0])
		}
		counts, _ := s.Counts(ctx)
		if counts["customers"] != 2 {
			t.Errorf("customers = %d after re-import, want 2 (identities still resolve)", counts["customers"])
		}
	})
}

func TestEraseLeavesNoTraceAndKeepsAggregates(t *testing.T) {
	everyEngine(t, func(t *testing.T, o *opened) {
		ctx := context.Background()
		id, err := o.CustomerID(ctx, quokka)
		if err != nil {
			t.Fatal(err)
		}
		// What the erased identities look like at rest: their blind indexes
		// (deterministic) and ciphertexts must go too.
		sealed := queryStrings(t, o.DB(), `SELECT bidx FROM identities WHERE customer_id = $1 UNION ALL SELECT value FROM identities WHERE customer_id = $1
			UNION ALL SELECT name FROM customers WHERE id = $1`, id)
		if len(sealed) < 9 {
			t.Fatalf("only %d sealed values of the customer found", len(sealed))
		}
		before := aggregates(t, o.Store)
		e, err := o.Erase(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if e.Customers != 2 || e.Identities != 4 || e.Interactions != 2 || e.Events != 2 || e.Surveys < 1 {
			t.Errorf("erasure = %+v", e)
		}
		if after := aggregates(t, o.Store); after != before {
			t.Errorf("aggregates changed:\n before %s\n after  %s", before, after)
		}
		if _, err := o.CustomerID(ctx, quokka); cx.ErrorCode(err) != cx.ENOTFOUND {
			t.Errorf("erased customer still found: %v", err)
		}
		in, err := o.Interaction(ctx, cx.Scope{}, cx.Key{Source: "desk", ID: "IQZ1"})
		if err != nil {
			t.Fatal(err)
		}
		if len(in.Turns) != 0 || in.Attributes[store.Purged] != "erasure" || in.HandleSeconds != 300 {
			t.Errorf("erased interaction = %+v", in)
		}
		// The other customer is untouched.
		if _, err := o.CustomerID(ctx, wombat); err != nil {
			t.Errorf("other customer: %v", err)
		}
		mustNotContain(t, o.eng+" tables", o.raw(t), append(append(quokkaPersonal, quokkaText...), sealed...))
		files := o.files(t)
		mustNotContain(t, o.eng+" files", files, append(quokkaPersonal, sealed...))
		if o.eng == "duckdb" {
			mustNotContain(t, "duckdb file", files, quokkaText)
		}
		n := queryStrings(t, o.DB(), `SELECT CAST(identities AS TEXT) FROM erasures WHERE customer_id = $1`, id)
		if len(n) != 1 || n[0] != "4" {
			t.Errorf("erasure record = %v", n)
		}
		if o.eng != "duckdb" {
			return
		}
		// The next open rewrites the DuckDB file (freed blocks keep old
		// values in larger files); the data survives it.
		path := strings.TrimPrefix(o.dsn, "duckdb:")
		if _, err := os.Stat(path + ".compact-pending"); err != nil {
			t.Fatalf("no rewrite noted after the erasure: %v", err)
		}
		o.Close()
		s := o.reopen(t, store.WithKeyFile(o.keyFile))
		if _, err := os.Stat(path + ".compact-pending"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("rewrite still pending after open: %v", err)
		}
		if _, err := s.CustomerID(ctx, wombat); err != nil {
			t.Errorf("after the rewrite: %v", err)
		}
		if after := aggregates(t, s); after != before {
			t.Errorf("aggregates changed by the rewrite:\n before %s\n after  %s", before, after)
		}
	})
}

func TestRetentionDropsOldContentAndKeepsAggregates(t *testing.T) {
	everyEngine(t, func(t *testing.T, o *opened) {
		ctx := context.Background()
		before := aggregates(t, o.Store)
		rules := map[string]int{"voice": 90, "chat": 365}
		dry, err := o.ApplyRetention(ctx, rules, true)
		if err != nil {
			t.Fatal(err)
		}
		got := fmt.Sprint(dry)
		res, err := o.ApplyRetention(ctx, rules, false)
		if err != nil {
			t.Fatal(err)
		}
		// Voice before 2025-07-03 (90 days before the store's clock): IQZ1 and IQZ4.
		if len(res) != 2 || res[1].Channel != "voice" || res[1].Interactions != 2 || res[1].Surveys != 1 || res[0].Interactions != 0 {
			t.Fatalf("retention = %+v", res)
		}
		if got != fmt.Sprint(res) {
			t.Errorf("dry run %s, real run %v", got, res)
		}
		again, err := o.ApplyRetention(ctx, rules, false)
		if err != nil || again[1].Interactions != 0 {
			t.Errorf("second run purged again: %+v, %v", again, err)
		}
		if after := aggregates(t, o.Store); after != before {
			t.Errorf("aggregates changed:\n before %s\n after  %s", before, after)
		}
		for _, k := range []string{"IQZ1", "IQZ4"} {
			in, err := o.Interaction(ctx, cx.Scope{}, cx.Key{Source: "desk", ID: k})
			if err != nil {
				t.Fatal(err)
			}
			if len(in.Turns) != 0 || in.Attributes[store.Purged] != "retention" {
				t.Errorf("%s after retention: %+v", k, in)
			}
		}
		kept, err := o.Interaction(ctx, cx.Scope{}, cx.Key{Source: "desk", ID: "IQZ3"})
		if err != nil || len(kept.Turns) != 1 {
			t.Errorf("recent chat lost its transcript: %+v, %v", kept, err)
		}
		if c := queryStrings(t, o.DB(), `SELECT comment FROM surveys WHERE ext_id = 'SQZ2'`); len(c) != 0 {
			t.Errorf("old survey comment kept: %v", c)
		}
		mustNotContain(t, o.eng+" tables", o.raw(t), []string{"OLDWOMBATCALL", "OLDWOMBATCOMMENT", "TRANSCRIPTQUOKKA "})
	})
}

// aggregates is a fingerprint of what metrics count: per channel, contacts,
// handle time, resolutions and survey scores; customers; order value.
func aggregates(t *testing.T, s *store.Store) string {
	t.Helper()
	rows := queryStrings(t, s.DB(), `SELECT channel || ' n=' || CAST(count(*) AS TEXT) || ' aht=' || CAST(sum(handle_seconds) AS TEXT)
		|| ' resolved=' || CAST(count(*) FILTER (WHERE resolved) AS TEXT) || ' csat=' || CAST(coalesce(sum(csat), 0) AS TEXT)
		FROM interactions GROUP BY channel ORDER BY channel`)
	rows = append(rows, queryStrings(t, s.DB(), `SELECT 'customers=' || CAST(count(*) AS TEXT) FROM customers WHERE merged_into IS NULL`)...)
	rows = append(rows, queryStrings(t, s.DB(), `SELECT 'orders=' || CAST(count(*) AS TEXT) || ' value=' || CAST(sum(value) AS TEXT) FROM events`)...)
	rows = append(rows, queryStrings(t, s.DB(), `SELECT 'surveys=' || CAST(count(*) AS TEXT) || ' csat=' || CAST(sum(csat) AS TEXT) FROM surveys`)...)
	return strings.Join(rows, "; ")
}

// TestOtherWritersFollowARotation: on PostgreSQL another process keeps
// importing through a rotation when it holds both keys, and is stopped
// with advice when it holds only the old one.
func TestOtherWritersFollowARotation(t *testing.T) {
	o := openPersonal(t, "postgres")
	ctx := context.Background()
	oldRing, err := store.ReadKeyFile(o.keyFile)
	if err != nil {
		t.Fatal(err)
	}
	next, err := store.CreateKeyFile(filepath.Join(o.dir, "new.key"))
	if err != nil {
		t.Fatal(err)
	}
	both := o.reopen(t, store.WithDataKey(oldRing), store.WithExtraKeys(next))
	oldOnly := o.reopen(t, store.WithDataKey(oldRing))
	importFile(t, both, "testdata/world.ndjson") // loads its identity index under the old key
	if _, err := o.RotateDataKey(ctx, next, 0, nil); err != nil {
		t.Fatal(err)
	}
	// Same identities again, and a new one: resolved against the rotated index, sealed under the new key.
	f := filepath.Join(o.dir, "more.ndjson")
	os.WriteFile(f, []byte(`{"type":"event","id":"EVNEW","customer":{"email":"quokka.zebra@example.com","handle":"@brandnew"},"name":"order_placed","at":"2025-09-09T12:00:00Z","value":5}`+"\n"), 0o644)
	importFile(t, both, f)
	id, err := both.CustomerID(ctx, cx.Identity{Kind: cx.IdentityHandle, Value: "@brandnew"})
	if err != nil {
		t.Fatal(err)
	}
	if q, _ := both.CustomerID(ctx, quokka); q != id {
		t.Errorf("new handle went to customer %d, quokka is %d", id, q)
	}
	if n := queryStrings(t, o.DB(), `SELECT CAST(count(*) AS TEXT) FROM identities WHERE value NOT LIKE $1`, next.Primary().ID+":%"); n[0] != "0" {
		t.Errorf("%s identities not under the new key", n[0])
	}
	if _, err := oldOnly.Apply(ctx, 0, nil); err == nil || !strings.Contains(err.Error(), "rotated to "+next.Primary().ID) {
		t.Errorf("writer without the new key: %v", err)
	}
}

// TestDatabaseFromBeforeEncryptionIsSealedOnOpen: identities, merges and
// names stored in clear (as before encryption existed) are sealed the first
// time the database is opened with a key, and resolve as before.
func TestDatabaseFromBeforeEncryptionIsSealedOnOpen(t *testing.T) {
	everyEngine(t, func(t *testing.T, o *opened) {
		ctx := context.Background()
		id, err := o.CustomerID(ctx, quokka)
		if err != nil {
			t.Fatal(err)
		}
		c, err := o.Customer(ctx, cx.Scope{}, id)
		if err != nil {
			t.Fatal(err)
		}
		// Put the database back the way an older Northstar wrote it.
		db := o.DB()
		for _, i := range c.Identities {
			if _, err := db.Exec(`UPDATE identities SET value = $1, bidx = NULL, record = 'customer CUSTQZX7001' WHERE customer_id = $2 AND kind = $3`, i.Value, id, string(i.Kind)); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range []string{`UPDATE merges SET value = '+447700900872', record = 'interaction desk/IQZ2'`,
			`UPDATE customers SET name = 'Quentin Zebrawski', ext_id = 'CUSTQZX7001' WHERE id = ` + fmt.Sprint(id), `DELETE FROM data_keys`} {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		o.Close()
		s := o.reopen(t, store.WithKeyFile(o.keyFile))
		if got, err := s.CustomerID(ctx, quokka); err != nil || got != id {
			t.Fatalf("after sealing: %d, %v", got, err)
		}
		c2, err := s.Customer(ctx, cx.Scope{}, id)
		if err != nil || c2.Name != "Quentin Zebrawski" || len(c2.Identities) != len(c.Identities) || c2.Merges[0].Identity.Value != "+447700900872" {
			t.Fatalf("after sealing: %+v, %v", c2, err)
		}
		o.Store = s
		mustNotContain(t, o.eng+" database", o.raw(t), quokkaPersonal)
	})
}
