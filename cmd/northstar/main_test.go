package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/demo"
)

// northstar runs the CLI in-process and returns its exit status and output.
func northstar(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb, func(string) string { return "" })
	return code, out.String(), errb.String()
}

func TestDemoThenReimportChangesNothing(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := northstar(t, "", "demo", "--no-serve", "--dir", dir, "--seed", "7", "--customers", "300", "--days", "30")
	if code != 0 {
		t.Fatalf("demo exit %d\n%s\n%s", code, out, errs)
	}
	for _, f := range append(demo.WorldFiles(), "northstar.db", demo.TruthFile) {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("demo did not write %s: %v", f, err)
		}
	}
	args := []string{"import", "--json", "--db", "duckdb:" + filepath.Join(dir, "northstar.db")}
	for _, f := range demo.WorldFiles() {
		args = append(args, filepath.Join(dir, f))
	}
	code, out, errs = northstar(t, "", args...)
	if code != 0 {
		t.Fatalf("re-import exit %d: %s", code, errs)
	}
	var rep struct {
		Counts map[string]struct{ Read, Inserted, Updated, Unchanged, Rejected int }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json output: %v\n%s", err, out)
	}
	for typ, c := range rep.Counts {
		if c.Read == 0 || c.Unchanged != c.Read {
			t.Errorf("%s: %+v; want every record unchanged", typ, c)
		}
	}
}

// The demo imports as a bulk load, then serves from the same file opened
// again with the write-ahead log: it answers, and what it acknowledges
// through the API is stored.
func TestDemoServesAfterItsBulkImport(t *testing.T) {
	dir := t.TempDir()
	db := "duckdb:" + filepath.Join(dir, "northstar.db")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	var sout, serr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"demo", "--dir", dir, "--seed", "7", "--customers", "300", "--days", "30", "--addr", addr},
			strings.NewReader(""), &sout, &serr, func(string) string { return "" })
	}()
	base := "http://" + addr
	waitReady(t, base)
	key := createKey(t, db, "importer", "ingest")
	file := filepath.Join(dir, "late.ndjson")
	os.WriteFile(file, []byte(`{"type":"customer","id":"LATE1","identities":{"email":"late@example.com"},"name":"Late"}`+"\n"), 0o644)
	if code, out, errs := northstar(t, "", "import", "--server", base, "--api-key", key, file); code != 0 {
		t.Fatalf("import --server: exit %d\n%s\n%s", code, out, errs)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("demo exit %d\n%s\n%s", code, sout.String(), serr.String())
	}
	code, out, errs := northstar(t, "", "customer", "--db", db, "--json", "email:late@example.com")
	if code != 0 || !strings.Contains(out, "LATE1") {
		t.Errorf("the customer imported through the demo's server: exit %d\n%s\n%s", code, out, errs)
	}
}

func TestImportReportsBadRecordsAndExits3(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "mixed.ndjson")
	os.WriteFile(file, []byte(`{"type":"customer","id":"C1","identities":{"email":"a@example.com"}}
{"type":"interaction","id":"I1","source":"s","customer":{"id":"C1"},"channel":"fax","handler":"human","started_at":"2025-01-01T00:00:00Z"}
{"type":"survey","id":"S1","interaction":{"source":"s","id":"I1"},"at":"2025-01-01T00:00:00Z","csat":9}
not json
`), 0o644)
	code, out, errs := northstar(t, "", "import", "--db", "duckdb:"+filepath.Join(dir, "n.db"), file)
	if code != exitRejected {
		t.Fatalf("exit %d, want 3\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{
		file + `:2: channel: "fax" is not one of voice, chat, email, social, messaging, sms, web`,
		file + ":3: csat: must be a whole number from 1 to 5, got 9",
		file + ":4: malformed JSON",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if !strings.Contains(out, "customer") {
		t.Errorf("summary lacks the stored customer:\n%s", out)
	}
}

func TestLockedDatabaseSaysUseServer(t *testing.T) {
	dir := t.TempDir()
	db := "duckdb:" + filepath.Join(dir, "n.db")
	// The server wants a key: one that may only import, one that may read.
	ingestKey := createKey(t, db, "importer", "ingest")
	readKey := createKey(t, db, "reader", "analyst")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var sout, serr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve", "--db", db, "--addr", addr}, strings.NewReader(""), &sout, &serr, func(string) string { return "" })
	}()
	base := "http://" + addr
	waitReady(t, base)

	// A second process opening the file would get DuckDB's lock error; in
	// one process the same file opens twice, so check the message via a child.
	child := exec.Command(os.Args[0], "-test.run=^TestChildImport$", "-test.v")
	child.Env = append(os.Environ(), "NORTHSTAR_TEST_DB="+db)
	childOut, _ := child.CombinedOutput()
	if strings.Count(string(childOut), "--server") < 2 || strings.Count(string(childOut), "in use by") < 2 {
		t.Errorf("locked database message, from customer and from import:\n%s", childOut)
	}

	// --server sends the import to the running server.
	file := filepath.Join(dir, "one.ndjson")
	os.WriteFile(file, []byte(`{"type":"customer","id":"C1","identities":{"email":"Ana@Example.com","phone":"07700 900123"},"name":"Ana"}`+"\n"), 0o644)
	code, out, errs := northstar(t, "", "import", "--server", base, "--api-key", ingestKey, file)
	if code != 0 || !strings.Contains(out, "1") {
		t.Fatalf("import --server: exit %d\n%s\n%s", code, out, errs)
	}
	// The ingest key cannot read back what it wrote; the analyst's can.
	if code, _, errs := northstar(t, "", "customer", "--server", base, "--api-key", ingestKey, "phone:+447700900123"); code == 0 || !strings.Contains(errs, "forbidden") {
		t.Errorf("customer --server with the ingest key: exit %d %s", code, errs)
	}
	code, out, errs = northstar(t, "", "customer", "--server", base, "--api-key", readKey, "phone:+447700900123")
	if code != 0 || !strings.Contains(out, "ana@example.com") {
		t.Fatalf("customer --server: exit %d\n%s\n%s", code, out, errs)
	}
	for _, tc := range []struct {
		key  string
		want int
		code string
	}{{"", 401, "unauthorized"}, {readKey, 404, "not_found"}} {
		req, _ := http.NewRequest("GET", base+"/v1/customers/email:nobody@example.com", nil)
		if tc.key != "" {
			req.Header.Set("Authorization", "Bearer "+tc.key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want || !strings.Contains(string(body), `"code": "`+tc.code+`"`) {
			t.Errorf("unknown customer with key %t: %d %s", tc.key != "", resp.StatusCode, body)
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exit %d: %s", code, serr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not shut down")
	}
	// The first start created an admin and showed its password once.
	if o := sout.String(); !strings.Contains(o, "created the admin user") || !regexp.MustCompile(`password: [a-z2-7]{20}\n`).MatchString(o) {
		t.Errorf("first start did not print the admin's credentials:\n%s", o)
	}
}

// createKey makes an API key with the CLI and returns it.
func createKey(t *testing.T, db, name, role string) string {
	t.Helper()
	code, out, errs := northstar(t, "", "keys", "create", "--db", db, "--name", name, "--role", role, "--json")
	var k struct{ Key, Prefix, Role string }
	if code != 0 || json.Unmarshal([]byte(out), &k) != nil || !strings.HasPrefix(k.Key, "ns_") || k.Role != role {
		t.Fatalf("keys create: exit %d\n%s\n%s", code, out, errs)
	}
	return k.Key
}

// TestChildImport runs in a child process for TestLockedDatabaseSaysUseServer.
func TestChildImport(t *testing.T) {
	db := os.Getenv("NORTHSTAR_TEST_DB")
	if db == "" {
		t.Skip("child process only")
	}
	_, _, errs := northstar(t, "", "customer", "--db", db, "C1")
	fmt.Print(errs)
	// import opens the file its own way (store.BulkLoad), with the same advice.
	_, _, errs = northstar(t, "", "import", "--db", db, os.DevNull)
	fmt.Print(errs)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server at %s never became ready", base)
}

func TestHelpIsCompleteAndUsageErrorsExit2(t *testing.T) {
	code, out, _ := northstar(t, "", "--help")
	for _, cmd := range []string{"import", "customer", "interaction", "serve", "demo", "config"} {
		if code != 0 || !strings.Contains(out, cmd) {
			t.Errorf("--help lacks %s", cmd)
		}
	}
	if code, _, errs := northstar(t, "", "import"); code != exitUsage || !strings.Contains(errs, "--help") {
		t.Errorf("import with no file: exit %d, %s", code, errs)
	}
	if code, _, errs := northstar(t, "", "interaction", "nosource"); code != exitUsage {
		t.Errorf("interaction without source: exit %d, %s", code, errs)
	}
}

// --cpuprofile writes a whole profile, also when the command fails
// (an import with rejected records exits 3).
func TestCPUProfileIsWrittenHoweverTheCommandEnds(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "bad.ndjson")
	if err := os.WriteFile(file, []byte(`{"type":"ticket"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	prof := filepath.Join(dir, "cpu.prof")
	code, _, stderr := northstar(t, "", "import", "--cpuprofile", prof, "--db", "duckdb:"+filepath.Join(dir, "n.db"), file)
	if code != exitRejected {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	f, err := os.Open(prof)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// A profile is a gzipped protocol buffer: it must decompress whole.
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("the profile is not gzip: %v", err)
	}
	if n, err := io.Copy(io.Discard, zr); err != nil || n == 0 {
		t.Fatalf("the profile decompresses to %d bytes: %v", n, err)
	}
}
