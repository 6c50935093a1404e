package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/store"
)

func TestUsersSessionsAndKeys(t *testing.T) {
	engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if n, err := s.CountUsers(ctx); err != nil || n != 0 {
			t.Fatalf("new store: %d users, %v", n, err)
		}
		if err := s.CreateUser(ctx, store.User{Name: "ana", Role: "analyst", PasswordHash: "$argon2id$x"}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateUser(ctx, store.User{Name: "ana", Role: "admin", PasswordHash: "x"}); cx.ErrorCode(err) != cx.ECONFLICT {
			t.Errorf("duplicate user: %v, want conflict", err)
		}
		if err := s.CreateUser(ctx, store.User{Name: "nw", Role: "partner_manager", Partner: "northwind", PasswordHash: "y"}); err != nil {
			t.Fatal(err)
		}
		us, err := s.Users(ctx)
		if err != nil || len(us) != 2 || us[1].Partner != "northwind" || us[0].Role != "analyst" {
			t.Fatalf("users: %+v %v", us, err)
		}

		// Three failures lock for an hour; the lock restarts the count.
		for i := 1; i <= 3; i++ {
			locked, err := s.LoginFailed(ctx, "ana", 3, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			if (locked != nil) != (i == 3) {
				t.Errorf("failure %d: locked %v", i, locked)
			}
		}
		u, _ := s.User(ctx, "ana")
		if u.LockedUntil == nil || !u.LockedUntil.Equal(fixedNow.Add(time.Hour)) || u.FailedLogins != 0 {
			t.Errorf("after lock: %+v", u)
		}
		if err := s.UpdateUser(ctx, "ana", store.UserChange{Unlock: true}); err != nil {
			t.Fatal(err)
		}
		if u, _ := s.User(ctx, "ana"); u.LockedUntil != nil {
			t.Errorf("unlock left %v", u.LockedUntil)
		}
		role := "qa_lead"
		if err := s.UpdateUser(ctx, "ana", store.UserChange{Role: &role}); err != nil {
			t.Fatal(err)
		}
		if u, _ := s.User(ctx, "ana"); u.Role != "qa_lead" {
			t.Errorf("role %s", u.Role)
		}

		// Sessions: found until they expire, gone after sign-out.
		if err := s.CreateSession(ctx, store.Session{IDHash: "h1", User: "ana", CreatedAt: fixedNow, ExpiresAt: fixedNow.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateSession(ctx, store.Session{IDHash: "h2", User: "ana", CreatedAt: fixedNow.Add(-2 * time.Hour), ExpiresAt: fixedNow.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if se, err := s.Session(ctx, "h1"); err != nil || se.User != "ana" {
			t.Errorf("live session: %+v %v", se, err)
		}
		if _, err := s.Session(ctx, "h2"); cx.ErrorCode(err) != cx.EUNAUTHORIZED {
			t.Errorf("expired session: %v", err)
		}
		if err := s.DeleteSession(ctx, "h1"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, "h1"); err == nil {
			t.Error("session survived sign-out")
		}

		// Keys: revocation and last use.
		exp := fixedNow.Add(24 * time.Hour)
		if err := s.CreateAPIKey(ctx, store.APIKey{Prefix: "abcdefghij", Hash: "h", Name: "import", Role: "ingest", CreatedBy: "cli:test", ExpiresAt: &exp}); err != nil {
			t.Fatal(err)
		}
		if err := s.TouchAPIKey(ctx, "abcdefghij", fixedNow); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeAPIKey(ctx, "abcdefghij"); err != nil {
			t.Fatal(err)
		}
		k, err := s.APIKeyByPrefix(ctx, "abcdefghij")
		if err != nil || k.RevokedAt == nil || k.LastUsedAt == nil || !k.ExpiresAt.Equal(exp) || k.Role != "ingest" {
			t.Errorf("key: %+v %v", k, err)
		}
		if err := s.RevokeAPIKey(ctx, "nosuchkey0"); cx.ErrorCode(err) != cx.ENOTFOUND {
			t.Errorf("revoke unknown: %v", err)
		}
		if err := s.DeleteUser(ctx, "nw"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.User(ctx, "nw"); cx.ErrorCode(err) != cx.ENOTFOUND {
			t.Errorf("deleted user: %v", err)
		}
	})
}

func TestAuditAppendAndFilter(t *testing.T) {
	engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		seal := func(e *store.AuditEntry) { e.Hash = "h" + e.Action + e.PrevHash }
		for i, a := range []string{"login", "key.create", "key.revoke", "login"} {
			e, err := s.AppendAudit(ctx, store.AuditEntry{At: fixedNow.Add(time.Duration(i) * time.Hour), Actor: "user:ana", Action: a, Outcome: "success", Details: "{}"}, seal)
			if err != nil {
				t.Fatal(err)
			}
			if e.Seq != int64(i+1) {
				t.Errorf("entry %d got seq %d", i+1, e.Seq)
			}
		}
		all, err := s.ListAudit(ctx, store.AuditFilter{})
		if err != nil || len(all) != 4 || all[1].PrevHash != all[0].Hash || all[3].Hash != "hlogin"+all[2].Hash {
			t.Fatalf("chain: %+v %v", all, err)
		}
		keys, _ := s.ListAudit(ctx, store.AuditFilter{Action: "key."})
		logins, _ := s.ListAudit(ctx, store.AuditFilter{Action: "login", Since: fixedNow.Add(time.Hour)})
		last, _ := s.ListAudit(ctx, store.AuditFilter{Limit: 2})
		if len(keys) != 2 || len(logins) != 1 || logins[0].Seq != 4 || len(last) != 2 || last[0].Seq != 3 {
			t.Errorf("filters: keys %d, logins %+v, last %+v", len(keys), logins, last)
		}
		// Filter values are bound, never spliced into SQL.
		inj, err := s.ListAudit(ctx, store.AuditFilter{Actor: "x' OR '1'='1"})
		if err != nil || len(inj) != 0 {
			t.Errorf("injection through actor: %d rows, %v", len(inj), err)
		}
	})
}

// TestScopeLimitsReadsToThePartner: a partner-bound scope sees only its
// agents' contacts, the customers they handled (as "not found" otherwise,
// like a customer that does not exist), and no events or value.
func TestScopeLimitsReadsToThePartner(t *testing.T) {
	engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		importFile(t, s, "testdata/partners.ndjson")
		id := func(email string) int64 {
			n, err := s.CustomerID(ctx, cx.Identity{Kind: cx.IdentityEmail, Value: email})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		nora, carl, mia, bo := id("nora@north.example"), id("carl@coast.example"), id("mia@both.example"), id("bo@bot.example")
		nw, cl := cx.Scope{Partner: "northwind"}, cx.Scope{Partner: "coastline"}
		none := cx.Scope{Partner: "\x00no-access"}

		for _, tc := range []struct {
			name  string
			scope cx.Scope
			cust  int64
			ok    bool
		}{
			{"northwind sees its customer", nw, nora, true},
			{"northwind does not see coastline's", nw, carl, false},
			{"coastline does not see northwind's", cl, nora, false},
			{"both see a shared customer", cl, mia, true},
			{"nobody partner-bound sees bot-only customers", nw, bo, false},
			{"no principal sees nothing", none, nora, false},
			{"unscoped sees all", cx.Scope{}, bo, true},
		} {
			c, err := s.Customer(ctx, tc.scope, tc.cust)
			_, terr := s.Timeline(ctx, tc.scope, tc.cust, 0, 50)
			if tc.ok != (err == nil) || tc.ok != (terr == nil) {
				t.Errorf("%s: customer %v, timeline %v", tc.name, err, terr)
				continue
			}
			if !tc.ok && (cx.ErrorCode(err) != cx.ENOTFOUND || cx.ErrorCode(terr) != cx.ENOTFOUND) {
				t.Errorf("%s: want not_found, got %v / %v", tc.name, err, terr)
			}
			if tc.ok && tc.scope.Partner != "" && (len(c.Merges) != 0 || c.Value.Orders != 0 || c.Attributes != nil) {
				t.Errorf("%s: partner sees brand data %+v", tc.name, c)
			}
		}

		tl, err := s.Timeline(ctx, nw, mia, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		var refs []string
		for _, it := range tl.Items {
			refs = append(refs, it.Kind+":"+it.Ref)
		}
		if got := strings.Join(refs, " "); got != "interaction:desk/N2" || tl.Total != 1 {
			t.Errorf("northwind's view of a shared customer: %s (total %d); want only its own contact", got, tl.Total)
		}
		tl, _ = s.Timeline(ctx, cl, mia, 0, 50)
		if len(tl.Items) != 2 || tl.Items[0].Ref != "desk/K2" || tl.Items[1].Kind != "survey" {
			t.Errorf("coastline's view: %+v; want K2 and its survey", tl.Items)
		}
		tl, _ = s.Timeline(ctx, cx.Scope{}, mia, 0, 50)
		if tl.Total != 4 {
			t.Errorf("unscoped timeline has %d items, want 4 (2 contacts, 1 survey, 1 order)", tl.Total)
		}

		for _, tc := range []struct {
			scope cx.Scope
			id    string
			ok    bool
		}{{nw, "N1", true}, {nw, "K1", false}, {cl, "K1", true}, {cl, "B1", false}, {none, "N1", false}, {cx.Scope{}, "K1", true}} {
			_, err := s.Interaction(ctx, tc.scope, cx.Key{Source: "desk", ID: tc.id})
			if tc.ok != (err == nil) || (!tc.ok && cx.ErrorCode(err) != cx.ENOTFOUND) {
				t.Errorf("interaction %s as %q: %v", tc.id, tc.scope.Partner, err)
			}
		}
	})
}
