package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/export"
)

// TestLogsCarryNoPersonalDataOrSecrets plants identities in paths, query
// strings, import bodies (good and rejected records) and errors, and an API
// key, a wrong password and an erasure, then searches everything the server
// logged.
func TestLogsCarryNoPersonalDataOrSecrets(t *testing.T) {
	s := startAuthServer(t)
	admin := s.apiKey(t, "planter", "admin", "", time.Hour)
	ingest := s.apiKey(t, "feeder", "ingest", "", time.Hour)
	planted := []string{
		"planted.person@example.com", "+447700900999", "07700 900999", "@plantedhandle", "Planted Person", "PLANTEDACCOUNT77",
		"nora@north.example", "Nora North", "WrongPassw0rd!Planted",
	}
	for _, k := range []*principal{admin, ingest} {
		planted = append(planted, k.key)
		_, secret, _ := strings.Cut(strings.TrimPrefix(k.key, "ns_"), "_")
		planted = append(planted, secret)
	}
	records := `{"type":"customer","id":"PLANTEDACCOUNT77","identities":{"email":"planted.person@example.com","phone":"07700 900999","handle":"@plantedhandle"},"name":"Planted Person"}
{"type":"interaction","id":"P1","source":"s","customer":{"email":"planted.person@example.com"},"channel":"fax","handler":"human","started_at":"2025-01-01T00:00:00Z"}
{"type":"interaction","id":"P2","source":"s","customer":{"email":"not-an-email-planted.person@"},"channel":"chat","handler":"human","started_at":"2025-01-01T00:00:00Z"}
{"type":"event","id":"PE1","customer":{"phone":"+447700900999"},"name":"order_placed","at":"oops","value":1}
`
	requests := []struct {
		p                  *principal
		method, path, body string
	}{
		{ingest, "POST", "/v1/ingest?name=planted.person@example.com", records},
		{admin, "GET", "/v1/customers/email:planted.person@example.com", ""},
		{admin, "GET", "/v1/customers/phone:+447700900999/timeline?offset=x", ""},
		{admin, "GET", "/v1/customers/email:nobody.planted.person@example.com", ""},
		{admin, "GET", "/v1/customers/handle:@plantedhandle/nothing-here", ""},
		{nil, "GET", "/v1/customers/email:planted.person@example.com", ""},
		{ingest, "GET", "/v1/customers/email:planted.person@example.com", ""}, // denied: ingest is write-only
		{admin, "DELETE", "/v1/customers/email:nora@north.example", ""},
	}
	for _, r := range requests {
		s.do(t, r.p, r.method, r.path, r.body)
	}
	// A wrong password and a wrong key.
	s.postLogin(t, newBrowser(), "admin", "WrongPassw0rd!Planted")
	s.do(t, &principal{key: admin.key + "x", http: newBrowser()}, "GET", "/v1/customers/email:planted.person@example.com", "")

	logs := s.logs.String()
	if !strings.Contains(logs, "route=") || strings.Count(logs, "\n") < len(requests) {
		t.Fatalf("the server logged too little for the search to mean anything:\n%s", logs)
	}
	for _, v := range planted {
		if strings.Contains(logs, v) {
			t.Errorf("the logs hold %q", v)
		}
	}
	// The audit log names actors and internal ids, not identities.
	var all bytes.Buffer
	for _, e := range s.entries(t, "") {
		json.NewEncoder(&all).Encode(e)
	}
	for _, v := range planted {
		if strings.Contains(all.String(), v) {
			t.Errorf("the audit log holds %q", v)
		}
	}
	if t.Failed() {
		t.Logf("logs:\n%s", logs)
	}
}

func TestEraseOverTheAPI(t *testing.T) {
	s := startAuthServer(t)
	admin := s.apiKey(t, "dpo", "admin", "", time.Hour)
	if code, body := s.do(t, admin, "DELETE", "/v1/customers/email:nora@north.example", ""); code != 200 || !strings.Contains(body, `"identities": 2`) {
		t.Fatalf("erase: %d %s", code, body)
	}
	if code, _ := s.do(t, admin, "GET", "/v1/customers/email:nora@north.example", ""); code != http.StatusNotFound {
		t.Errorf("erased customer: %d, want 404", code)
	}
	es := s.entries(t, "customer.erase")
	if len(es) != 1 || es[0].Actor != "key:"+strings.Split(admin.key, "_")[1] && !strings.HasPrefix(es[0].Actor, "key:") || es[0].Details["identities"] != "2" {
		t.Errorf("audit entries = %+v", es)
	}
	// The customer's contacts still count (facts kept); their transcripts are gone.
	if code, body := s.do(t, admin, "GET", "/v1/interactions/desk/N1", ""); code != 200 || !strings.Contains(body, `"northstar_purged": "erasure"`) {
		t.Errorf("erased customer's interaction: %d %s", code, body)
	}
}

// TestDataCommands drives the CLI: a new database gets its key file, the
// key rotates, retention and erasure run, and an export round-trips.
func TestDataCommands(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "n.db")
	db := "duckdb:" + dbPath
	code, _, errs := northstar(t, "", "import", "--db", db, partnersFixture)
	if code != 0 || !strings.Contains(errs, "Created the data key file "+dbPath+".key") {
		t.Fatalf("import: exit %d\n%s", code, errs)
	}
	if fi, err := os.Stat(dbPath + ".key"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", fi, err)
	}
	raw, _ := os.ReadFile(dbPath)
	if bytes.Contains(raw, []byte("nora@north.example")) {
		t.Error("identity in clear in the database file")
	}

	// Rotate to a new key; afterwards only the new key opens the database.
	newKey := filepath.Join(dir, "new.key")
	if code, out, errs := northstar(t, "", "keys", "new-data-key", "--out", newKey); code != 0 {
		t.Fatalf("new-data-key: %d %s %s", code, out, errs)
	}
	code, out, errs := northstar(t, "", "keys", "rotate-data-key", "--db", db, "--new-key-file", newKey, "--batch", "2")
	if code != 0 || !strings.Contains(out, "Data key rotated") {
		t.Fatalf("rotate: exit %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := northstar(t, "", "customer", "--db", db, "email:nora@north.example"); code == 0 || !strings.Contains(errs, "encrypted with data key") {
		t.Fatalf("old key still opens the database: exit %d %s", code, errs)
	}
	withKey := []string{"--db", db, "--data-key-file", newKey}
	if code, out, errs := northstar(t, "", append([]string{"customer", "email:nora@north.example"}, withKey...)...); code != 0 || !strings.Contains(out, "Nora North") {
		t.Fatalf("customer with the new key: exit %d\n%s\n%s", code, out, errs)
	}

	// Export: keygen, an extract, a decrypt; a traversal name is refused.
	rcpt := filepath.Join(dir, "analyst")
	if code, _, errs := northstar(t, "", "export", "keygen", "--out", rcpt); code != 0 {
		t.Fatalf("keygen: %s", errs)
	}
	file := filepath.Join(dir, "x.nsx")
	code, out, errs = northstar(t, "", append([]string{"export", "interactions", "--to", rcpt + ".pub", "--out", file, "--from", "2025-01-01", "--until", "2026-01-01", "--where", "channel:chat|voice|email"}, withKey...)...)
	if code != 0 || !strings.Contains(out, "Exported") {
		t.Fatalf("export: exit %d\n%s\n%s", code, out, errs)
	}
	code, plain, errs := northstar(t, "", "export", "decrypt", "--key", rcpt+".key", file)
	if code != 0 || !strings.Contains(plain, `"key":{"source":"desk"`) || strings.Contains(plain, "nora@north.example") {
		t.Fatalf("decrypt: exit %d\n%s\n%s", code, plain, errs)
	}
	if code, _, errs := northstar(t, "", append([]string{"export", "interactions", "--to", rcpt + ".pub", "--out", dir + "/../escape.nsx"}, withKey...)...); code == 0 || !strings.Contains(errs, "climbs out") {
		t.Errorf("traversal name: exit %d %s", code, errs)
	}
	code, _, errs = northstar(t, "", append([]string{"export", "metrics", "--to", rcpt + ".pub", "--out", filepath.Join(dir, "m.nsx"), "--metric", "csat", "--by", "channel", "--from", "2025-01-01", "--until", "2026-01-01"}, withKey...)...)
	if code != 0 {
		t.Fatalf("metrics export: %s", errs)
	}
	code, plain, _ = northstar(t, "", "export", "decrypt", "--key", rcpt+".key", filepath.Join(dir, "m.nsx"))
	if code != 0 || !strings.Contains(plain, `"metrics": [`) {
		t.Fatalf("metrics decrypt: %d %s", code, plain)
	}
	other := filepath.Join(dir, "other")
	northstar(t, "", "export", "keygen", "--out", other)
	if code, _, errs := northstar(t, "", "export", "decrypt", "--key", other+".key", file); code == 0 || !strings.Contains(errs, "not to this key") {
		t.Errorf("decrypt with another key: exit %d %s", code, errs)
	}

	// Retention, then erasure; each leaves its audit entry.
	code, out, errs = northstar(t, "", append([]string{"retention", "apply", "--json", "--retention", "chat=1,voice=1"}, withKey...)...)
	if code != 0 || !strings.Contains(out, `"channel": "chat"`) {
		t.Fatalf("retention: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, errs = northstar(t, "", append([]string{"erase", "--yes", "email:carl@coast.example"}, withKey...)...)
	if code != 0 || !strings.Contains(out, "Erased customer") {
		t.Fatalf("erase: exit %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = northstar(t, "", append([]string{"audit", "list", "--json"}, withKey...)...)
	for _, action := range []string{"data.export", "retention.apply", "customer.erase"} {
		if code != 0 || !strings.Contains(out, `"`+action+`"`) {
			t.Errorf("audit log lacks %s:\n%s", action, out)
		}
	}
	if strings.Contains(out, "carl@coast.example") {
		t.Error("the audit log names the erased customer")
	}
}

// TestExportOverTheAPI: the extract comes back encrypted to the posted key
// and decrypts to the scoped list; traversal names and bad keys are refused.
func TestExportOverTheAPI(t *testing.T) {
	s := startAuthServer(t)
	analyst := s.apiKey(t, "bi", "analyst", "", time.Hour)
	dir := t.TempDir()
	rcpt := filepath.Join(dir, "bi")
	if _, err := export.GenerateKeys(rcpt); err != nil {
		t.Fatal(err)
	}
	pub, _ := os.ReadFile(rcpt + ".pub")
	body := func(name string) string {
		b, _ := json.Marshal(map[string]string{"recipient": string(pub), "name": name, "from": "2025-09-01", "to": "2025-10-01"})
		return string(b)
	}
	for _, name := range []string{"../../etc/passwd", "sub/x.nsx", ".hidden"} {
		if code, resp := s.do(t, analyst, "POST", "/v1/exports/interactions", body(name)); code != http.StatusBadRequest {
			t.Errorf("name %q: %d %s", name, code, resp)
		}
	}
	code, resp := s.do(t, analyst, "POST", "/v1/exports/interactions", body("sept.nsx"))
	if code != 200 || !strings.HasPrefix(resp, "NSX1") {
		t.Fatalf("export: %d %.200q", code, resp)
	}
	priv, err := export.ReadPrivateKey(rcpt + ".key")
	if err != nil {
		t.Fatal(err)
	}
	r, err := export.NewReader(strings.NewReader(resp), priv)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil || !bytes.Contains(plain, []byte(`"source":"desk"`)) || bytes.Contains(plain, []byte("nora@north.example")) {
		t.Fatalf("decrypted: %v\n%s", err, plain)
	}
	es := s.entries(t, "data.export")
	if len(es) != 1 || es[0].Details["file"] != "sept.nsx" || es[0].Details["rows"] == "0" {
		t.Errorf("audit = %+v", es)
	}
}
