package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Planted identifiers in transcripts never reach the database file, the
// logs or API output. A marker of ordinary words in the same text proves
// the search would find plain text in each place.
func TestPlantedIdentifiersNeverStored(t *testing.T) {
	planted := []string{"zoe.planted@example.org", "07700 900461", "4539 1488 0343 6467", "GB82 WEST 1234 5698 7654 32",
		"JG 10 37 26 A", "078-05-1120", "SW1A 2AA", "192.168.14.201", "14/02/1979"}
	marker := "marmalade-kangaroo-umbrella"
	var text strings.Builder
	text.WriteString(marker + " my details: ")
	for _, p := range planted {
		text.WriteString(p + ", ")
	}
	rec := `{"type":"interaction","id":"P1","source":"chat","customer":{"id":"C77"},"channel":"chat","handler":"human","started_at":"2026-10-01T10:00:00Z","turns":[{"speaker":"customer","text":"` + text.String() + `"}],"survey":{"csat":2,"comment":"call me on 07700 900461"}}` + "\n"

	dir := t.TempDir()
	dbPath := filepath.Join(dir, "n.db")
	addr := freeAddr(t)
	key := createKey(t, "duckdb:"+dbPath, "pii", "admin")
	ctx, cancel := context.WithCancel(context.Background())
	var logs bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", "duckdb:" + dbPath, "--addr", addr, "--verbose"}, strings.NewReader(""), io.Discard, &logs, func(string) string { return "" })
	}()
	base := "http://" + addr
	waitReady(t, base)
	resp := withKey(t, key, "POST", base+"/v1/ingest", rec)
	ingestOut, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp = withKey(t, key, "GET", base+"/v1/interactions/chat/P1", "")
	apiOut, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(apiOut), marker) || !strings.Contains(string(apiOut), "[EMAIL]") {
		t.Fatalf("API output lacks the marker or placeholders:\n%s", apiOut)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("server did not stop")
	}
	db, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	if wal, err := os.ReadFile(dbPath + ".wal"); err == nil {
		db = append(db, wal...)
	}
	places := map[string][]byte{"API output": append(ingestOut, apiOut...), "logs": logs.Bytes(), "database file": db}
	for where, content := range places {
		for _, p := range planted {
			for _, form := range []string{p, strings.ReplaceAll(p, " ", "")} {
				if bytes.Contains(content, []byte(form)) {
					t.Errorf("%s contains planted identifier %q", where, form)
				}
			}
		}
	}
	if !bytes.Contains(logs.Bytes(), []byte("/v1/ingest")) {
		t.Errorf("logs do not show requests, so the search proves nothing:\n%s", logs.String())
	}
	if !bytes.Contains(db, []byte(marker)) {
		t.Errorf("the database file does not hold the marker verbatim, so searching it for identifiers proves nothing")
	}
}
