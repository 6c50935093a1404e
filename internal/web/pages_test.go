package web_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestEveryPageRenders(t *testing.T) {
	w := demoWorld(t)
	if err := w.dashboard().Check(); err != nil {
		t.Fatal(err)
	}
	h := w.handler()
	cases := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"Portfolio", "What changed", "<svg", "Cost to serve", "Profit protection"}},
		{"/?focus=growth&period=90d&compare=on", 200, []string{"Retention", "previous period", "Long term"}},
		{"/?focus=exit_preparation&period=7d", 200, []string{"Cost per contact"}},
		{"/?focus=turnaround&from=2026-10-01&to=2026-10-14", 200, []string{"Churn", "1 Oct – 14 Oct 2026"}},
		{"/?focus=world_domination", 400, []string{"unknown focus"}},
		{"/customers", 200, []string{"Find customer"}},
		{"/customers?q=nobody@example.com", 404, []string{"No customer found"}},
		{"/interactions", 200, []string{"contacts", "Apply filters"}},
		{"/interactions?channel=voice&resolved=no", 200, []string{"channel: voice"}},
		{"/interactions?page=0", 400, []string{"page"}},
		{"/interactions/nosuch/I1", 404, []string{"no interaction"}},
		{"/intents", 200, []string{"Automation fit", "<svg"}},
		{"/quality", 200, []string{"QA score by partner", "Criteria missed most", "Coaching list"}},
		{"/value", 200, []string{"Cost of failure", "Margin by segment"}},
		{"/nope", 404, []string{"no page"}},
		// A period with no data renders, with nothing to show.
		{"/?from=2030-01-01&to=2030-01-31", 200, []string{"Portfolio"}},
		{"/intents?from=2030-01-01&to=2030-01-31", 200, []string{"No contacts with an intent"}},
		{"/quality?from=2030-01-01&to=2030-01-31", 200, []string{"No scored contacts"}},
		{"/value?from=2030-01-01&to=2030-01-31", 200, []string{"Cost of failure"}},
		{"/customers/C100007", 200, []string{"Timeline", "Identities and merges"}},
		{"/?period=3y", 400, []string{"period"}},
	}
	dump := os.Getenv("NORTHSTAR_WEB_DUMP")
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			code, body := get(t, h, c.path)
			if dump != "" {
				os.WriteFile(filepath.Join(dump, url.PathEscape(c.path)+".html"), []byte(body), 0o644)
			}
			if code != c.status {
				t.Errorf("status %d, want %d\n%s", code, c.status, excerpt(body))
			}
			for _, s := range c.want {
				if !strings.Contains(body, s) {
					t.Errorf("page lacks %q\n%s", s, excerpt(body))
				}
			}
			if strings.Contains(body, "style=") || strings.Contains(body, "<script>") {
				t.Errorf("inline style or script: the CSP forbids them")
			}
		})
	}
}

func excerpt(s string) string {
	if i := strings.Index(s, `<main`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 1500 {
		s = s[:1500]
	}
	return s
}

// TestStaleFiltersAreServedWhileRefreshed checks the facet cache: after a
// minute the old values answer at once while a background read replaces
// them.
func TestStaleFiltersAreServedWhileRefreshed(t *testing.T) {
	w := demoWorld(t)
	d := w.dashboard()
	var mu sync.Mutex
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	d.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	h := signedIn(d)
	for i := 0; i < 3; i++ {
		if code, _ := get(t, h, "/interactions"); code != 200 {
			t.Fatalf("status %d", code)
		}
		mu.Lock()
		now = now.Add(2 * time.Minute)
		mu.Unlock()
		time.Sleep(200 * time.Millisecond) // let a background refresh land
	}
}
