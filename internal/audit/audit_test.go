package audit_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/pgtest"
	"github.com/northstar-cx/northstar/internal/store"
	"github.com/northstar-cx/northstar/internal/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var t0 = time.Date(2025, 10, 1, 9, 0, 0, 123456789, time.UTC)

// withLog runs body on a fresh log of 5 entries on every engine.
func withLog(t *testing.T, body func(t *testing.T, st *store.Store, l *audit.StoreLog)) {
	storetest.Each(t, func(t *testing.T, eng string) {
		st := storetest.Open(t, eng, store.WithNow(func() time.Time { return t0 }))
		l := audit.New(st)
		for i, a := range []string{"login", "user.create", "key.create", "access.denied", "login"} {
			e, err := l.Append(context.Background(), audit.Entry{At: t0.Add(time.Duration(i) * time.Minute), Actor: "user:admin", Action: a,
				Target: "user:ana", Details: map[string]string{"role": "analyst", "addr": "127.0.0.1"}})
			if err != nil {
				t.Fatal(err)
			}
			if e.Seq != int64(i+1) || e.Hash == "" || (i > 0 && e.PrevHash == "") {
				t.Fatalf("append %d: %+v", i, e)
			}
		}
		body(t, st, l)
	})
}

func verify(t *testing.T, l *audit.StoreLog) audit.Report {
	t.Helper()
	rep, err := l.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestVerifyDetectsEachKindOfTampering(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper []string // SQL run against the database
		want   string   // in the problems
	}{
		{"clean log", nil, ""},
		{"altered outcome", []string{`UPDATE audit_log SET outcome = 'failure' WHERE seq = 4`}, "entry 4: content does not match"},
		{"altered details", []string{`UPDATE audit_log SET details = '{"role":"admin"}' WHERE seq = 2`}, "entry 2: content does not match"},
		{"altered time", []string{`UPDATE audit_log SET logged_at = logged_at + INTERVAL '1 hour' WHERE seq = 3`}, "entry 3: content does not match"},
		{"removed entry", []string{`DELETE FROM audit_log WHERE seq = 3`}, "entries 3 to 3 are missing"},
		{"removed and renumbered", []string{`DELETE FROM audit_log WHERE seq = 3`, `UPDATE audit_log SET seq = seq - 1 WHERE seq > 3`}, "entry 3: prev_hash"},
		{"reordered entries", []string{`UPDATE audit_log SET seq = 100 WHERE seq = 2`, `UPDATE audit_log SET seq = 2 WHERE seq = 3`, `UPDATE audit_log SET seq = 3 WHERE seq = 100`}, "entry 2: prev_hash"},
		{"rehashed alteration", []string{`UPDATE audit_log SET action = 'logout', hash = 'ab' || substr(hash, 3) WHERE seq = 4`}, "entry 5: prev_hash"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			withLog(t, func(t *testing.T, st *store.Store, l *audit.StoreLog) {
				before := verify(t, l)
				if !before.OK || before.Entries != 5 || len(before.Head) != 64 {
					t.Fatalf("clean log: %+v", before)
				}
				for _, q := range tc.tamper {
					if _, err := st.DB().Exec(q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				rep := verify(t, l)
				if tc.want == "" {
					if !rep.OK {
						t.Errorf("clean log fails: %v", rep.Problems)
					}
					return
				}
				if rep.OK {
					t.Fatalf("tampering went unnoticed: %+v", rep)
				}
				if !strings.Contains(strings.Join(rep.Problems, "\n"), tc.want) {
					t.Errorf("problems %q lack %q", rep.Problems, tc.want)
				}
			})
		})
	}
}

func TestListFiltersAndKeepsDetails(t *testing.T) {
	withLog(t, func(t *testing.T, st *store.Store, l *audit.StoreLog) {
		ctx := context.Background()
		es, err := l.List(ctx, audit.Filter{Action: "login"})
		if err != nil || len(es) != 2 || es[1].Seq != 5 || es[0].Details["role"] != "analyst" || !es[0].At.Equal(t0.Truncate(time.Microsecond)) {
			t.Fatalf("logins: %+v %v", es, err)
		}
		es, _ = l.List(ctx, audit.Filter{Since: t0.Add(3 * time.Minute)})
		if len(es) != 2 || es[0].Action != "access.denied" {
			t.Errorf("since: %+v", es)
		}
		// Appends after a List continue the chain.
		if _, err := l.Append(ctx, audit.Entry{Actor: "cli:root", Action: "customer.erase", Target: "customer:17"}); err != nil {
			t.Fatal(err)
		}
		if rep := verify(t, l); !rep.OK || rep.Entries != 6 {
			t.Errorf("after another append: %+v", rep)
		}
	})
}

func TestVerifyAnchorDetectsTruncation(t *testing.T) {
	withLog(t, func(t *testing.T, st *store.Store, l *audit.StoreLog) {
		ctx := context.Background()
		head := verify(t, l).Head
		if rep, _ := l.VerifyAnchor(ctx, head); !rep.OK {
			t.Fatalf("anchor at the head: %+v", rep)
		}
		if _, err := st.DB().Exec(`DELETE FROM audit_log WHERE seq >= 4`); err != nil {
			t.Fatal(err)
		}
		if rep := verify(t, l); !rep.OK {
			t.Errorf("the chain alone cannot see a cut tail, yet: %+v", rep)
		}
		rep, err := l.VerifyAnchor(ctx, head)
		if err != nil || rep.OK || !strings.Contains(strings.Join(rep.Problems, " "), "anchor") {
			t.Errorf("cut tail with an anchor: %+v %v", rep, err)
		}
	})
}

// TestConcurrentAppendsKeepOneChain: appends racing from many requests
// still form one gap-free chain.
func TestConcurrentAppendsKeepOneChain(t *testing.T) {
	withLog(t, func(t *testing.T, st *store.Store, l *audit.StoreLog) {
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := l.Append(context.Background(), audit.Entry{Actor: "key:k" + strconv.Itoa(i), Action: "key.use", Target: "POST /v1/ingest"})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if rep := verify(t, l); !rep.OK || rep.Entries != 45 {
			t.Errorf("after concurrent appends: %+v", rep)
		}
	})
}
