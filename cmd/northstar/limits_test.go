package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An ingest body over the limit is refused with 413 and says how far it got;
// the batches before the limit stay stored.
func TestOversizedIngestBodySaysHowFarItGot(t *testing.T) {
	addr := freeAddr(t)
	db := "duckdb:" + filepath.Join(t.TempDir(), "n.db")
	key := createKey(t, db, "limits", "admin")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", db, "--addr", addr, "--max-body-mib", "1"},
			strings.NewReader(""), io.Discard, io.Discard, func(string) string { return "" })
	}()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("server did not stop")
		}
	}()
	base := "http://" + addr
	waitReady(t, base)
	var body strings.Builder
	for i := 0; body.Len() < 2<<20; i++ {
		fmt.Fprintf(&body, `{"type":"customer","id":"C%d","identities":{"email":"c%d@example.com"},"name":"%s"}`+"\n", i, i, strings.Repeat("x", 80))
	}
	resp := withKey(t, key, "POST", base+"/v1/ingest", body.String())
	var e struct{ Code, Message string }
	json.NewDecoder(resp.Body).Decode(&e)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || e.Code != "too_large" || !strings.Contains(e.Message, "send the rest") {
		t.Fatalf("oversized body: %d %+v", resp.StatusCode, e)
	}
	resp = withKey(t, key, "GET", base+"/v1/customers/C1", "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("a customer from before the limit: status %d, want 200 (stored)", resp.StatusCode)
	}
}
