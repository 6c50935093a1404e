package web_test

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

var updateShots = flag.Bool("update-screenshots", false, "also write the browser test's screenshots to docs/screenshots/")

// chromium finds Debian's Chromium. In CI a missing browser fails the test:
// the dashboard must be tested in a real browser there. Locally the test
// skips with a message.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("NORTHSTAR_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed: the browser tests need it in CI (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed; install it (apt-get install -y chromium) to run the browser tests")
	return ""
}

// browser is one headless Chromium tab that records every console error,
// uncaught exception, browser-log error and failed or 4xx/5xx request.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	dir  string // screenshots

	mu       sync.Mutex
	problems []string
}

func newBrowser(t *testing.T, base string) *browser {
	exe := chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	b := &browser{t: t, base: base, dir: artifacts(t)}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(b.listen))
	t.Cleanup(func() { cancel(); cancelA() })
	b.ctx = ctx
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return b
}

// artifacts is where screenshots go: $NORTHSTAR_ARTIFACTS or a temp dir.
func artifacts(t *testing.T) string {
	if d := os.Getenv("NORTHSTAR_ARTIFACTS"); d != "" {
		d = filepath.Join(d, "screenshots")
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// listen runs in the tab's event loop: record, return fast.
func (b *browser) listen(ev any) {
	var p string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value))
			}
			p = "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
		}
	case *runtime.EventExceptionThrown:
		p = "uncaught exception: " + ev.ExceptionDetails.Text
		if ev.ExceptionDetails.Exception != nil {
			p += " " + ev.ExceptionDetails.Exception.Description
		}
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level == cdplog.EntryLevelError {
			p = "browser log: " + ev.Entry.Text + " " + ev.Entry.URL
		}
	case *network.EventLoadingFailed:
		if !ev.Canceled {
			p = "request failed: " + ev.ErrorText + " " + string(ev.BlockedReason)
		}
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 {
			p = fmt.Sprintf("HTTP %d: %s", ev.Response.Status, ev.Response.URL)
		}
	}
	if p != "" {
		b.mu.Lock()
		b.problems = append(b.problems, p)
		b.mu.Unlock()
	}
}

// checkClean fails the test for any problem recorded since the last check.
func (b *browser) checkClean(where string) {
	b.t.Helper()
	b.mu.Lock()
	ps := b.problems
	b.problems = nil
	b.mu.Unlock()
	for _, p := range ps {
		b.t.Errorf("%s: %s", where, p)
	}
}

func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

func run[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// open loads path and waits for the page.
func (b *browser) open(path string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitReady(chromedp.CSS("footer")))
}

// follow clicks sel and waits for the page it leads to.
func (b *browser) follow(sel string) {
	b.t.Helper()
	before := run(b, "location", chromedp.Location())
	b.do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if loc := run(b, "location", chromedp.Location()); loc != before {
			b.do("wait for "+loc, chromedp.WaitReady(chromedp.CSS("footer")))
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("clicking %s on %s led nowhere", sel, before)
}

func (b *browser) path() string {
	loc := run(b, "location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		b.t.Fatal(err)
	}
	return u.RequestURI()
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	return run(b, "text of "+sel, chromedp.Text(chromedp.CSS(sel)))
}

// shot saves a full-page screenshot as name.png in the artifacts folder
// and, with -update-screenshots, the viewport's in docs/screenshots.
func (b *browser) shot(name string) {
	b.t.Helper()
	png := run(b, "screenshot "+name, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(b.dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	if *updateShots {
		// The docs keep what a person sees on opening the page (the
		// viewport), which keeps the repository small.
		view := run(b, "screenshot "+name, chromedp.CaptureScreenshot())
		dir := filepath.Join("..", "..", "docs", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), view, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
}

// checkLinks follows up to 60 distinct links of the open page (HTML and
// SVG anchors) with a plain HTTP client: every drill-down must answer.
func (b *browser) checkLinks(page string) {
	b.t.Helper()
	hrefs := run(b, "links", chromedp.Evaluate[[]string](
		`Array.from(new Set(Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))))`))
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	n := 0
	for _, h := range hrefs {
		if !strings.HasPrefix(h, "/") || strings.HasPrefix(h, "#") {
			continue
		}
		if n++; n > 60 {
			break
		}
		resp, err := client.Get(b.base + h)
		if err != nil {
			b.t.Errorf("%s links to %s: %v", page, h, err)
			continue
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusMovedPermanently {
			b.t.Errorf("%s links to %s, which answers %d", page, h, resp.StatusCode)
		}
	}
}

var countRE = regexp.MustCompile(`^([0-9,]+) contacts`)

func (b *browser) resultCount() string {
	b.t.Helper()
	m := countRE.FindStringSubmatch(strings.TrimSpace(b.text("#result-count")))
	if m == nil {
		b.t.Fatalf("no result count on %s: %q", b.path(), b.text("#result-count"))
	}
	return m[1]
}

func TestDashboardInABrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: not in -short")
	}
	w := demoWorld(t)
	srv := httptest.NewServer(w.handler())
	defer srv.Close()
	b := newBrowser(t, srv.URL)

	t.Run("every page loads cleanly", func(t *testing.T) {
		b.t = t
		for _, p := range []struct{ path, name, want string }{
			{"/", "overview", "Portfolio"},
			{"/?focus=turnaround&period=90d&compare=on", "overview-turnaround", "Churn"},
			{"/interactions", "interactions", "Interactions"},
			{"/intents", "intents", "Automation fit"},
			{"/quality", "quality", "Criteria missed most"},
			{"/value", "value", "Cost of failure"},
			{"/customers", "customers", "Customers"},
		} {
			b.open(p.path)
			if got := b.text("main"); !strings.Contains(got, p.want) {
				t.Errorf("%s lacks %q", p.path, p.want)
			}
			b.shot(p.name)
			b.checkClean(p.path)
			b.checkLinks(p.path)
		}
	})

	t.Run("filters change the results", func(t *testing.T) {
		b.t = t
		b.open("/interactions")
		all := b.resultCount()
		b.do("choose voice", chromedp.SetValue(chromedp.CSS(`select[name=channel]`), "voice"))
		b.do("only unresolved", chromedp.SetValue(chromedp.CSS(`select[name=resolved]`), "no"))
		b.follow(`form.filters button[type=submit]`)
		if p := b.path(); !strings.Contains(p, "channel=voice") || !strings.Contains(p, "resolved=no") {
			t.Fatalf("the filters are not in the URL: %s", p)
		}
		some := b.resultCount()
		if some == all || some == "0" {
			t.Errorf("voice and unresolved: %s contacts of %s; want fewer, not none", some, all)
		}
		channels := run(b, "channels shown", chromedp.Evaluate[[]string](
			`Array.from(document.querySelectorAll('#results tbody tr td:nth-child(3)')).map(td => td.textContent.trim())`))
		for _, c := range channels {
			if c != "voice" {
				t.Errorf("a %s contact in a voice-only list", c)
				break
			}
		}
		b.shot("interactions-filtered")
		// Removing a filter is a link, so the state stays in the URL.
		b.follow(`a[aria-label="Remove filter channel: voice"]`)
		if p := b.path(); strings.Contains(p, "channel=") || !strings.Contains(p, "resolved=no") {
			t.Errorf("removing the channel filter gave %s", p)
		}
		b.checkClean("filters")
	})

	t.Run("numbers drill down to contacts", func(t *testing.T) {
		b.t = t
		b.open("/")
		b.follow(`.cards a.num`)
		if p := b.path(); !strings.HasPrefix(p, "/interactions?") {
			t.Fatalf("a portfolio figure led to %s, want the interaction list", p)
		}
		if b.resultCount() == "0" {
			t.Fatalf("the drill-down from a figure lists no contacts")
		}
		b.follow(`#results tbody a`)
		if p := b.path(); !strings.HasPrefix(p, "/interactions/") {
			t.Fatalf("a contact in the list led to %s", p)
		}
		if got := b.text("main"); !strings.Contains(got, "Transcript") || !strings.Contains(got, "What Northstar found") {
			t.Errorf("the interaction page lacks its transcript or analysis")
		}
		b.shot("interaction")
		b.follow(`a[href^="/customers/"]`)
		if got := b.text("main"); !strings.Contains(got, "Timeline") {
			t.Errorf("the customer page lacks the timeline")
		}
		b.shot("customer")
		// The automation table drills into its contacts too.
		b.open("/intents")
		b.follow(`#automation tbody td.r a`)
		if p := b.path(); !strings.HasPrefix(p, "/interactions?") || !strings.Contains(p, "intent=") {
			t.Errorf("an automation figure led to %s", p)
		}
		b.checkClean("drill-down")
	})

	t.Run("customer search finds a merged customer by either identity", func(t *testing.T) {
		b.t = t
		if w.link.Email == "" {
			t.Fatal("the world lists no linked identities")
		}
		b.open("/customers")
		b.do("type the email", chromedp.SendKeys(chromedp.CSS("#q"), w.link.Email))
		b.follow(`main form button[type=submit]`)
		byEmail := b.path()
		if !strings.HasPrefix(byEmail, "/customers/") {
			t.Fatalf("searching %s led to %s", w.link.Email, byEmail)
		}
		// The other identity, typed as a person would (national format for
		// a UK phone), through the search box in the header.
		alt := w.link.AltValue
		if w.link.AltKind == "phone" && strings.HasPrefix(alt, "+44") {
			alt = "0" + alt[3:6] + " " + alt[6:]
		}
		b.open("/")
		b.do("type the other identity", chromedp.SendKeys(chromedp.CSS("#top-q"), alt))
		b.follow(`header form button[type=submit]`)
		if byAlt := b.path(); byAlt != byEmail {
			t.Errorf("%s led to %s, %s to %s: want the same merged customer", w.link.Email, byEmail, alt, byAlt)
		}
		if got := b.text("main"); !strings.Contains(got, w.link.Email) || !strings.Contains(got, w.link.AltValue) {
			t.Errorf("the merged customer's page does not list both identities (%s, %s)", w.link.Email, w.link.AltValue)
		}
		b.checkClean("customer search")
	})

	t.Run("keyboard and themes", func(t *testing.T) {
		b.t = t
		b.open("/quality")
		b.do("tab", chromedp.KeyEvent("\t"))
		if got := run(b, "focused", chromedp.Evaluate[string](`document.activeElement.className`)); got != "skip" {
			t.Errorf("the first Tab focuses %q, want the skip link", got)
		}
		outline := run(b, "focus style", chromedp.Evaluate[string](`getComputedStyle(document.activeElement).outlineStyle`))
		if outline == "none" {
			t.Errorf("the focused skip link has no visible outline")
		}
		dark := func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}}})
			return err
		}
		b.do("dark mode", chromedp.Func(dark))
		b.open("/")
		bg := run(b, "background", chromedp.Evaluate[string](`getComputedStyle(document.body).backgroundColor`))
		if bg == "rgb(247, 247, 245)" {
			t.Errorf("dark mode kept the light background")
		}
		b.shot("overview-dark")
		b.do("tablet", chromedp.EmulateViewport(1024, 768))
		b.open("/intents")
		b.shot("intents-tablet")
		wide := run(b, "overflow", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth + 1`))
		if wide {
			t.Errorf("the intents page scrolls sideways at 1024 px")
		}
		b.checkClean("keyboard and themes")
	})
	t.Logf("screenshots in %s", b.dir)
}
