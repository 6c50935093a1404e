package server_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/server"
)

// start serves s on a loopback port until the test ends.
func start(t *testing.T, s *server.Server) string {
	t.Helper()
	if s.Log == nil {
		s.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.Handler == nil {
		s.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n, err := io.Copy(io.Discard, r.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			fmt.Fprintf(w, "read %d", n)
		})
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String()
}

func TestTLSNegotiatesPostQuantumKeyExchange(t *testing.T) {
	cert, err := server.SelfSigned("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	addr := start(t, &server.Server{TLS: server.TLSConfig(cert)})
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)

	// A client with Go's defaults: the server's preference picks the hybrid.
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	st := conn.ConnectionState()
	conn.Close()
	if st.CurveID != tls.X25519MLKEM768 {
		t.Errorf("negotiated %v, want X25519MLKEM768", st.CurveID)
	}
	if st.Version != tls.VersionTLS13 {
		t.Errorf("version %x, want TLS 1.3", st.Version)
	}

	// TLS 1.2 is refused.
	if c, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MaxVersion: tls.VersionTLS12}); err == nil {
		c.Close()
		t.Error("a TLS 1.2 client was accepted")
	}

	// HTTPS answers carry HSTS.
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get("https://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !strings.Contains(resp.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Errorf("no HSTS over TLS: %v", resp.Header)
	}
	if fp := server.Fingerprint(cert); len(fp) != 95 {
		t.Errorf("fingerprint %q", fp)
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	addr := start(t, &server.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/panic" {
			panic("boom")
		}
		http.NotFound(w, r)
	})})
	for _, path := range []string{"/", "/v1/nothing", "/panic"} {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		if h.Get("Content-Security-Policy") != server.ContentSecurityPolicy || strings.Contains(h.Get("Content-Security-Policy"), "unsafe-inline") {
			t.Errorf("%s: CSP %q", path, h.Get("Content-Security-Policy"))
		}
		for k, v := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"} {
			if h.Get(k) != v {
				t.Errorf("%s: %s = %q, want %q", path, k, h.Get(k), v)
			}
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain HTTP", path)
		}
	}
}

func TestIngestRateLimitPerKeyAndAddress(t *testing.T) {
	lim := server.IngestLimiter(60)
	lim.Burst = 3
	addr := start(t, &server.Server{Limits: lim})
	post := func(key string) *http.Response {
		req, _ := http.NewRequest("POST", "http://"+addr+"/v1/ingest", strings.NewReader("{}\n"))
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	for i := range 3 {
		if r := post("ns_abc_secret"); r.StatusCode != 200 {
			t.Fatalf("request %d: %d", i+1, r.StatusCode)
		}
	}
	r := post("ns_abc_secret")
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("4th request: %d, Retry-After %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
	// Another key from the same address is limited by the address bucket.
	if r := post("ns_xyz_secret"); r.StatusCode != http.StatusTooManyRequests {
		t.Errorf("other key, same address: %d", r.StatusCode)
	}
	// Reads are not limited.
	resp, err := http.Get("http://" + addr + "/v1/customers/x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusTooManyRequests {
		t.Error("a read was rate limited")
	}
}

func TestStalledBodyIsCutOff(t *testing.T) {
	addr := start(t, &server.Server{BodyIdle: 300 * time.Millisecond})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /v1/ingest HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc")
	start := time.Now()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	b, _ := io.ReadAll(conn)
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("a stalled body held the connection %v", d)
	}
	if bytes.Contains(b, []byte("read 1000")) {
		t.Fatalf("handler read a whole body that never came: %s", b)
	}

	// A slow but steady body is fine.
	conn2, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close()
	fmt.Fprintf(conn2, "POST /v1/ingest HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nConnection: close\r\n\r\n")
	for range 6 {
		time.Sleep(100 * time.Millisecond)
		conn2.Write([]byte("x"))
	}
	b, _ = io.ReadAll(conn2)
	if !bytes.Contains(b, []byte("read 6")) {
		t.Fatalf("steady body: %s", b)
	}
}
