package web

import (
	"net/url"
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	first := time.Date(2026, 8, 3, 10, 0, 0, 0, time.UTC)
	last := time.Date(2026, 10, 31, 23, 54, 0, 0, time.UTC)
	cases := []struct {
		query          string
		from, to, key  string
		compare, fails bool
	}{
		{"", "2026-10-02", "2026-10-31", "30d", false, false},
		{"period=7d&compare=on", "2026-10-25", "2026-10-31", "7d", true, false},
		{"period=all", "2026-08-03", "2026-10-31", "all", false, false},
		{"from=2026-09-01&to=2026-09-30", "2026-09-01", "2026-09-30", "custom", false, false},
		{"period=90d&from=2026-09-01&to=2026-09-30", "2026-08-03", "2026-10-31", "90d", false, false}, // a preset wins
		{"from=2026-09-30&to=2026-09-01", "", "", "", false, true},
		{"from=yesterday&to=2026-09-01", "", "", "", false, true},
		{"period=3y", "", "", "", false, true},
	}
	for _, c := range cases {
		q, _ := url.ParseQuery(c.query)
		p, err := parsePeriod(q, first, last)
		if c.fails {
			if err == nil {
				t.Errorf("%q: want an error, got %+v", c.query, p)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.query, err)
			continue
		}
		if p.FromDay() != c.from || p.ToDay() != c.to || p.Key != c.key || p.Compare != c.compare {
			t.Errorf("%q: %s..%s %s compare=%v, want %s..%s %s compare=%v", c.query, p.FromDay(), p.ToDay(), p.Key, p.Compare, c.from, c.to, c.key, c.compare)
		}
	}
}

func TestListFilterFromURL(t *testing.T) {
	q, _ := url.ParseQuery("channel=voice&channel=chat|email&resolved=no&qa_min=80&sent_max=-0.2&from=2026-10-01&to=2026-10-01&flag=anger")
	f, err := listFilter(q)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Channels) != 3 || f.Resolved == nil || *f.Resolved || *f.QAMin != 0.8 || *f.SentMax != -0.2 || len(f.Flags) != 1 {
		t.Errorf("filter: %+v", f)
	}
	if !f.From.Equal(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) || !f.To.Equal(time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("a one-day range: %s – %s", f.From, f.To)
	}
	for _, bad := range []string{"handler=alien", "resolved=maybe", "sent_min=-3", "qa_max=x", "from=01/10/2026", "customer=bob"} {
		q, _ := url.ParseQuery(bad)
		if _, err := listFilter(q); err == nil {
			t.Errorf("%s: want an error", bad)
		}
	}
}

func TestRefCandidates(t *testing.T) {
	cases := map[string]string{
		"ana@example.com":   "email:ana@example.com",
		"@ana_s":            "handle:@ana_s",
		"07700 900123":      "phone:07700 900123",
		"+44 7700 900123":   "phone:+44 7700 900123",
		"C1001":             "id:C1001",
		"phone:07700900123": "phone:07700900123",
		"account:ACC-1":     "account:ACC-1",
	}
	for in, want := range cases {
		if got := refCandidates(in); len(got) == 0 || got[0] != want {
			t.Errorf("%q: tries %v first, want %s", in, got, want)
		}
	}
}

func TestDrillDown(t *testing.T) {
	p := &period{From: time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}
	cases := []struct {
		metric string
		by     []string
		keys   []string
		want   string
	}{
		{"csat", nil, nil, "/interactions?from=2026-10-02&to=2026-10-31"},
		{"containment", []string{"intent"}, []string{"missing_item"}, "/interactions?from=2026-10-02&handler=bot&intent=missing_item&to=2026-10-31"},
		{"qa_score", []string{"partner", "day"}, []string{"Coastline Contact", "2026-10-05"}, "/interactions?from=2026-10-05&has_qa=yes&partner=Coastline+Contact&to=2026-10-05"},
		// A week that starts before the period is cut to the period.
		{"fcr", []string{"week"}, []string{"2026-09-28"}, "/interactions?from=2026-10-02&to=2026-10-04"},
		{"sentiment", []string{"flag:anger"}, []string{"yes"}, "/interactions?flag=anger&from=2026-10-02&to=2026-10-31"},
	}
	for _, c := range cases {
		if got := drill(p, c.metric, c.by, c.keys); got != c.want {
			t.Errorf("%s by %v %v:\n got %s\nwant %s", c.metric, c.by, c.keys, got, c.want)
		}
	}
}
