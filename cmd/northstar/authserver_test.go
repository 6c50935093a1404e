package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/audit"
	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/config"
	"github.com/northstar-cx/northstar/internal/pgtest"
	"github.com/northstar-cx/northstar/internal/server"
	"github.com/northstar-cx/northstar/internal/store"
	"github.com/northstar-cx/northstar/internal/store/storetest"
)

// partnersFixture has two outsourcing partners, northwind and coastline,
// a customer each, one shared customer and one the bot served alone.
const partnersFixture = "../../internal/store/testdata/partners.ndjson"

// partnerMarkers are strings only a principal allowed to see that partner's
// contacts (or, for "bot", unscoped principals) may ever receive.
var partnerMarkers = map[string][]string{
	"northwind": {"NW-A1", "NW-A2", "nora@north.example", "Nora North"},
	"coastline": {"CL-B1", "CL-B2", "carl@coast.example", "Carl Coast"},
	"bot":       {"bo@bot.example", "Bo Bot"},
}

// authServer is the real server (the handler `serve` builds) on loopback
// over a DuckDB file holding the partners fixture.
type authServer struct {
	base    string
	db      string
	keyFile string // the data key of the fixture's database
	st      *store.Store
	guard   *auth.Guard
	admin   *auth.Admin
	audit   *audit.StoreLog
	logs    *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// engines runs body once per engine, each with its own server: the
// permission and injection tests must hold for PostgreSQL's SQL as well.
func engines(t *testing.T, body func(t *testing.T, s *authServer)) {
	for _, eng := range storetest.Engines {
		t.Run(eng, func(t *testing.T) { body(t, startAuthServerOn(t, eng)) })
	}
}

func startAuthServer(t *testing.T) *authServer { return startAuthServerOn(t, "duckdb") }

func startAuthServerOn(t *testing.T, engine string) *authServer {
	t.Helper()
	db, dir := storetest.DSN(t, engine)
	keyFile := filepath.Join(dir, "data.key")
	if code, out, errs := northstar(t, "", "import", "--db", db, "--data-key-file", keyFile, partnersFixture); code != 0 {
		t.Fatalf("import fixture: exit %d\n%s\n%s", code, out, errs)
	}
	logs := &syncBuffer{}
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: logs, getenv: func(string) string { return "" }}
	g := &globals{e: e}
	c, err := config.Load("", e.getenv, map[string]string{"db": db, "data-key-file": keyFile})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	st, err := g.openStore(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	pipe, err := newPipeline(c)
	if err != nil {
		t.Fatal(err)
	}
	guard, err := g.handler(c, st, pipe, nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &server.Server{Handler: guard, Log: slog.New(slog.NewTextHandler(logs, nil)), MaxBody: 1 << 20}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		<-done
		st.Close()
		if t.Failed() {
			var bad []string
			for _, l := range strings.Split(logs.String(), "\n") {
				if strings.Contains(l, "level=ERROR") || strings.Contains(l, "level=WARN") {
					bad = append(bad, l)
				}
			}
			if len(bad) > 20 {
				bad = bad[len(bad)-20:]
			}
			t.Logf("server warnings and errors:\n%s", strings.Join(bad, "\n"))
		}
	})
	log := audit.New(st)
	return &authServer{base: "http://" + ln.Addr().String(), db: db, keyFile: keyFile, st: st, guard: guard, audit: log,
		admin: &auth.Admin{Store: st, Audit: log, Actor: "cli:test"}, logs: logs}
}

// principal is one way of calling the server: a signed-in browser or a key.
type principal struct {
	label         string
	role, partner string
	key           string // Bearer key; empty for a browser session
	http          *http.Client
	csrf          string
}

func (p *principal) String() string { return p.label }

func newBrowser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// loginForm fetches the sign-in form and returns its CSRF token.
func (s *authServer) loginForm(t *testing.T, c *http.Client) string {
	t.Helper()
	resp, err := c.Get(s.base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(body)
	if resp.StatusCode != 200 || m == nil {
		t.Fatalf("GET /login: %d\n%s", resp.StatusCode, body)
	}
	return string(m[1])
}

// postLogin submits the sign-in form.
func (s *authServer) postLogin(t *testing.T, c *http.Client, user, password string) *http.Response {
	t.Helper()
	tok := s.loginForm(t, c)
	resp, err := c.PostForm(s.base+"/login", url.Values{"csrf_token": {tok}, "user": {user}, "password": {password}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// browser adds a user and signs them in.
func (s *authServer) browser(t *testing.T, name, role, partner string) *principal {
	t.Helper()
	pw, err := s.admin.AddUser(context.Background(), name, role, partner, "")
	if err != nil {
		t.Fatal(err)
	}
	c := newBrowser()
	if resp := s.postLogin(t, c, name, pw); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: %d", name, resp.StatusCode)
	}
	p := &principal{label: "session " + name, role: role, partner: partner, http: c}
	u, _ := url.Parse(s.base)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == auth.CSRFCookie {
			p.csrf = ck.Value
		}
	}
	if p.csrf == "" {
		t.Fatalf("sign in %s: no %s cookie", name, auth.CSRFCookie)
	}
	return p
}

// apiKey creates a key.
func (s *authServer) apiKey(t *testing.T, name, role, partner string, ttl time.Duration) *principal {
	t.Helper()
	key, _, err := s.admin.CreateKey(context.Background(), name, role, partner, ttl)
	if err != nil {
		t.Fatal(err)
	}
	return &principal{label: "key " + name, role: role, partner: partner, key: key, http: newBrowser()}
}

// do sends a request as p (nil: anonymous) and returns status and body.
func (s *authServer) do(t *testing.T, p *principal, method, path, body string, hdr ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/x-ndjson")
	}
	c := newBrowser()
	if p != nil {
		c = p.http
		if p.key != "" {
			req.Header.Set("Authorization", "Bearer "+p.key)
		} else if p.csrf != "" {
			req.Header.Set(auth.CSRFHeader, p.csrf)
		}
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// entries lists audit entries of one action.
func (s *authServer) entries(t *testing.T, action string) []audit.Entry {
	t.Helper()
	es, err := s.audit.List(context.Background(), audit.Filter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// leaks returns the markers of partners other than p's found in the body
// of the answer to request; markers the request itself carried (an error
// message may echo them) do not count.
func leaks(p *principal, request, body string) []string {
	if p == nil || p.partner == "" {
		return nil
	}
	if u, err := url.QueryUnescape(request); err == nil {
		request = u
	}
	var out []string
	for partner, ms := range partnerMarkers {
		if partner == p.partner {
			continue
		}
		for _, m := range ms {
			if strings.Contains(body, m) && !strings.Contains(request, m) {
				out = append(out, m)
			}
		}
	}
	return out
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// withKey sends a request with an API key (tests that drive `serve`).
func withKey(t *testing.T, key, method, url, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if body != "" {
		req.Header.Set("Content-Type", "application/x-ndjson")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// cli runs a northstar command on the server's database.
func (s *authServer) cli(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	return northstar(t, "", append(args, "--db", s.db, "--data-key-file", s.keyFile)...)
}
