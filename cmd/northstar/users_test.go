package main

import (
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/auth"
)

// TestUsersKeysAndAuditCommands walks the admin's workflow on a database
// file: add people, change a role, reset a password, make and revoke a key,
// and read the audit trail all of it left.
func TestUsersKeysAndAuditCommands(t *testing.T) {
	db := "duckdb:" + filepath.Join(t.TempDir(), "n.db")
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		code  int
		out   string // in stdout
		errs  string // in stderr
	}{
		{"add analyst", "", []string{"users", "add", "ana", "--role", "analyst"}, 0, "Password (shown once): ", ""},
		{"add with own password", "a long enough passphrase\n", []string{"users", "add", "nw", "--role", "partner_manager", "--partner", "northwind", "--password-stdin"}, 0, "Added nw (partner_manager, partner northwind)", ""},
		{"partner role needs a partner", "", []string{"users", "add", "pm", "--role", "partner_manager"}, exitFatal, "", "must be bound to a partner"},
		{"unknown role", "", []string{"users", "add", "bob", "--role", "root"}, exitFatal, "", "want one of admin, analyst"},
		{"short password", "short\n", []string{"users", "add", "bob", "--role", "analyst", "--password-stdin"}, exitFatal, "", "at least 12 characters"},
		{"duplicate", "", []string{"users", "add", "ana", "--role", "admin"}, exitFatal, "", "exists already"},
		{"role is required", "", []string{"users", "add", "bob"}, exitUsage, "", "--role"},
		{"set role", "", []string{"users", "set-role", "ana", "--role", "qa_lead"}, 0, "ana is now qa_lead", ""},
		{"reset password", "", []string{"users", "passwd", "ana"}, 0, "New password (shown once)", ""},
		{"unlock", "", []string{"users", "unlock", "ana"}, 0, "ana is unlocked", ""},
		{"list", "", []string{"users", "list"}, 0, "nw    partner_manager  northwind", ""},
		{"unknown user", "", []string{"users", "passwd", "zed"}, exitFatal, "", `no user "zed"`},
		{"key", "", []string{"keys", "create", "--name", "nightly", "--role", "ingest", "--expires", "30d"}, 0, "Key (shown once", ""},
		{"key bad lifetime", "", []string{"keys", "create", "--name", "x", "--role", "ingest", "--expires", "soon"}, exitUsage, "", "lifetime"},
		{"key list", "", []string{"keys", "list"}, 0, "nightly  ingest", ""},
		{"remove", "", []string{"users", "remove", "nw"}, 0, "Removed nw", ""},
		{"audit verify", "", []string{"audit", "verify"}, 0, "Audit log intact: 7 entries", ""},
		{"audit list", "", []string{"audit", "list", "--action", "user."}, 0, "user.role", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := northstar(t, tc.stdin, append(tc.args, "--db", db)...)
			if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errs, tc.errs) {
				t.Errorf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errs)
			}
		})
	}

	// JSON: the key list never holds a secret or hash; revoking by prefix works.
	code, out, _ := northstar(t, "", "keys", "list", "--json", "--db", db)
	var keys []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &keys) != nil || len(keys) != 1 || keys[0]["hash"] != nil || keys[0]["key"] != nil {
		t.Fatalf("keys list --json: %s", out)
	}
	prefix := keys[0]["prefix"].(string)
	if code, out, errs := northstar(t, "", "keys", "revoke", prefix, "--db", db); code != 0 || !strings.Contains(out, "Revoked") {
		t.Errorf("revoke: %d %s %s", code, out, errs)
	}
	code, out, _ = northstar(t, "", "audit", "list", "--json", "--actor", "cli:"+strings.TrimPrefix(cliActor(), "cli:"), "--db", db)
	var entries []struct{ Action, Target string }
	if code != 0 || json.Unmarshal([]byte(out), &entries) != nil || len(entries) != 8 || entries[7].Action != "key.revoke" || entries[7].Target != "key:"+prefix {
		t.Errorf("audit list --json: %s", out)
	}
	if strings.Contains(out, "passphrase") {
		t.Error("a password reached the audit log")
	}
	code, out, _ = northstar(t, "", "--help")
	for _, c := range []string{"users", "keys", "audit"} {
		if !strings.Contains(out, c) {
			t.Errorf("--help lacks %s", c)
		}
	}
}

// TestAccessCommandsThroughTheServer: while the server holds the database,
// users, keys and the audit log are managed through its API, as the caller's
// key, with the same checks and audit entries.
func TestAccessCommandsThroughTheServer(t *testing.T) {
	s := startAuthServer(t)
	admin := s.apiKey(t, "ops", "admin", "", time.Hour)
	auditor := s.apiKey(t, "review", "auditor", "", time.Hour)
	remote := func(key string, args ...string) (int, string, string) {
		return northstar(t, "", append(args, "--server", s.base, "--api-key", key)...)
	}
	code, out, errs := remote(admin.key, "users", "add", "remote-ana", "--role", "supervisor", "--partner", "coastline", "--json")
	var u struct{ Name, Role, Partner, Password string }
	if code != 0 || json.Unmarshal([]byte(out), &u) != nil || u.Partner != "coastline" || len(u.Password) != 20 {
		t.Fatalf("users add --server: exit %d\n%s\n%s", code, out, errs)
	}
	if resp := s.postLogin(t, newBrowser(), "remote-ana", u.Password); resp.StatusCode != 303 {
		t.Errorf("the new user cannot sign in: %d", resp.StatusCode)
	}
	for _, tc := range []struct {
		key  string
		args []string
		code int
		out  string
		errs string
	}{
		{admin.key, []string{"users", "set-role", "remote-ana", "--role", "analyst"}, 0, "remote-ana is now analyst", ""},
		{admin.key, []string{"users", "passwd", "remote-ana"}, 0, "New password", ""},
		{admin.key, []string{"users", "unlock", "remote-ana"}, 0, "unlocked", ""},
		{admin.key, []string{"users", "list"}, 0, "remote-ana", ""},
		{auditor.key, []string{"users", "list"}, 0, "remote-ana", ""},
		{auditor.key, []string{"users", "add", "sneaky", "--role", "admin"}, exitFatal, "", "forbidden"},
		{auditor.key, []string{"keys", "create", "--name", "x", "--role", "admin"}, exitFatal, "", "forbidden"},
		{admin.key, []string{"keys", "create", "--name", "feed", "--role", "ingest", "--expires", "7d"}, 0, "Key (shown once", ""},
		{admin.key, []string{"keys", "list"}, 0, "feed", ""},
		{admin.key, []string{"users", "remove", "remote-ana"}, 0, "Removed", ""},
		{admin.key, []string{"users", "remove", "remote-ana"}, exitFatal, "", "no user"},
		{auditor.key, []string{"audit", "verify"}, 0, "Audit log intact", ""},
		{auditor.key, []string{"audit", "list", "--action", "user."}, 0, "user.delete", ""},
	} {
		code, out, errs := remote(tc.key, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errs, tc.errs) {
			t.Errorf("%v: exit %d (want %d)\n%s\n%s", tc.args, code, tc.code, out, errs)
		}
	}
	adminPrefix, _ := auth.ParseKey(admin.key)
	var byKey int
	for _, e := range s.entries(t, "user.") {
		if e.Actor == "key:"+adminPrefix {
			byKey++
		}
	}
	if byKey != 5 { // create, role, password, unlock, delete
		t.Errorf("%d user changes audited under the admin's key, want 5", byKey)
	}
}

// TestFirstStartAdminLandsOnDashboard: `serve` on a new database prints the
// admin's one-time password; the printed address sends a browser to sign
// in, and signing in lands on the dashboard. A second start creates no one.
func TestFirstStartAdminLandsOnDashboard(t *testing.T) {
	db := "duckdb:" + filepath.Join(t.TempDir(), "n.db")
	if code, out, errs := northstar(t, "", "import", "--db", db, partnersFixture); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	serve := func() (string, *syncBuffer, func()) {
		addr := freeAddr(t)
		out := &syncBuffer{}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan int, 1)
		go func() {
			done <- run(ctx, []string{"serve", "--db", db, "--addr", addr}, strings.NewReader(""), out, io.Discard, func(string) string { return "" })
		}()
		base := "http://" + addr
		waitReady(t, base)
		return base, out, func() { cancel(); <-done }
	}
	base, out, stop := serve()
	m := regexp.MustCompile(`user:\s+(\S+)\n\s+password: (\S+)\n`).FindStringSubmatch(out.String())
	if m == nil || m[1] != "admin" || !strings.Contains(out.String(), base+"/") {
		t.Fatalf("first start output:\n%s", out.String())
	}
	c := newBrowser()
	resp, err := c.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != "/login?next=%2F" {
		t.Fatalf("the printed address: %d → %q, want the sign-in page", resp.StatusCode, loc)
	}
	s := &authServer{base: base}
	resp = s.postLogin(t, c, m[1], m[2])
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != "/" {
		t.Fatalf("sign in: %d → %q", resp.StatusCode, loc)
	}
	resp, err = c.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Overview") {
		t.Errorf("after sign-in: %d\n%.300s", resp.StatusCode, body)
	}
	stop()
	_, out, stop = serve()
	stop()
	if strings.Contains(out.String(), "password:") {
		t.Errorf("a second start created another admin:\n%s", out.String())
	}
}
