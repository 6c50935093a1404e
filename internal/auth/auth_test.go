package auth

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestPasswordHashes(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(h, "horse") {
		t.Fatalf("hash %q", h)
	}
	h2, _ := HashPassword("correct horse battery staple")
	if h == h2 {
		t.Error("same password, same hash: the salt is not random")
	}
	for _, tc := range []struct {
		hash, pw string
		ok       bool
		err      bool
	}{
		{h, "correct horse battery staple", true, false},
		{h, "correct horse battery stapl", false, false},
		{h, "", false, false},
		{"$2a$10$bcryptlooking", "x", false, true},
		{"$argon2id$v=19$m=0,t=2,p=1$c2FsdA$a2V5", "x", false, true},
		{"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdA$a2V5", "x", false, true}, // a hostile hash must not allocate 95 GiB
		{"$argon2id$v=18$m=19456,t=2,p=1$c2FsdA$a2V5", "x", false, true},
	} {
		ok, err := CheckPassword(tc.hash, tc.pw)
		if ok != tc.ok || (err != nil) != tc.err {
			t.Errorf("CheckPassword(%.30q, %q) = %v, %v", tc.hash, tc.pw, ok, err)
		}
	}
}

func TestKeysAndTokens(t *testing.T) {
	k, prefix := NewKey()
	if !strings.HasPrefix(k, "ns_"+prefix+"_") || len(k) != 3+10+1+32 {
		t.Fatalf("key %q prefix %q", k, prefix)
	}
	k2, _ := NewKey()
	if k == k2 {
		t.Fatal("two keys alike")
	}
	for _, tc := range []struct {
		key string
		ok  bool
	}{
		{k, true}, {"ns_short_x", false}, {"xx_" + k[3:], false}, {k + "x", false}, {"", false}, {"Bearer " + k, false},
	} {
		if p, ok := ParseKey(tc.key); ok != tc.ok || (ok && p != prefix) {
			t.Errorf("ParseKey(%q) = %q, %v", tc.key, p, ok)
		}
	}
	if GeneratePassword() == GeneratePassword() || len(GeneratePassword()) != 20 {
		t.Error("generated passwords")
	}
	a, b := csrfToken("session-a"), csrfToken("session-b")
	if a == b || a != csrfToken("session-a") || !equalTokens(a, csrfToken("session-a")) || equalTokens("", "") {
		t.Error("CSRF tokens must be per session, stable, and never empty-equal")
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/customers?q=x": "/customers?q=x", "": "/", "//evil.example/": "/", `/\evil.example`: "/",
		"https://evil.example": "/", "javascript:alert(1)": "/", "/ok\r\nSet-Cookie: x": "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckRole(t *testing.T) {
	for _, tc := range []struct {
		role, partner string
		ok            bool
	}{
		{RoleAnalyst, "", true}, {RoleAnalyst, "northwind", true}, {RolePartnerManager, "", false},
		{RolePartnerManager, "northwind", true}, {RoleIngest, "northwind", false}, {RoleAdmin, "x", false},
		{"root", "", false}, {RoleSupervisor, "a\x00b", false},
	} {
		if err := CheckRole(tc.role, tc.partner); (err == nil) != tc.ok {
			t.Errorf("CheckRole(%q, %q) = %v", tc.role, tc.partner, err)
		}
	}
}

func TestScopeFailsClosedWithoutPrincipal(t *testing.T) {
	if sc := ScopeOf(context.Background()); sc.Partner != NoAccess {
		t.Errorf("no principal: scope %+v", sc)
	}
	ctx := WithPrincipal(context.Background(), &Principal{ID: "user:a", Role: RoleAnalyst, Partner: "northwind"})
	if sc := ScopeOf(ctx); sc.Partner != "northwind" {
		t.Errorf("bound principal: %+v", sc)
	}
	var nobody *Principal
	if nobody.Can(ReadMetrics) || !nobody.Can(Public) || nobody.Can(Authenticated) {
		t.Error("a nil principal holds only Public")
	}
}

func TestHandleRefusesUnguardedRoutes(t *testing.T) {
	g := &Guard{mux: http.NewServeMux()}
	for _, rt := range []Route{
		{Pattern: "GET /x", Handler: http.NotFoundHandler()},
		{Pattern: "GET /y", Perm: "made:up", Handler: http.NotFoundHandler()},
		{Pattern: "GET /z", Perm: ReadMetrics},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("route %+v was accepted", rt)
				}
			}()
			g.Handle(rt)
		}()
	}
}
