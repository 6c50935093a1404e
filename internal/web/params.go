package web

import (
	"fmt"
	"html/template"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/store"
)

// period is the time window a page shows, from the URL: period=7d|30d|90d|all
// or from=YYYY-MM-DD&to=YYYY-MM-DD (both days included), and compare=on to
// set it beside the previous window of equal length.
type period struct {
	Key      string // 7d, 30d, 90d, all, custom
	From, To time.Time
	Compare  bool
	Grain    string // day or week: the trend's step
}

var periodKeys = []struct{ Key, Label string }{{"7d", "7 days"}, {"30d", "30 days"}, {"90d", "90 days"}, {"all", "All"}}

// Label is the period for people: "1 Oct – 31 Oct 2026".
func (p *period) Label() string {
	last := p.To.Add(-time.Second)
	return p.From.Format("2 Jan") + " – " + last.Format("2 Jan 2006")
}

// FromDay and ToDay are the URL forms (to is the last day included).
func (p *period) FromDay() string { return p.From.Format(time.DateOnly) }
func (p *period) ToDay() string   { return p.To.Add(-time.Second).Format(time.DateOnly) }

// Keys lists the preset periods for the picker.
func (p *period) Keys() []struct{ Key, Label string } { return periodKeys }

// Days is the window's length.
func (p *period) Days() int { return int(math.Round(p.To.Sub(p.From).Hours() / 24)) }

// values are the URL parameters that reproduce the period.
func (p *period) values() url.Values {
	v := url.Values{}
	if p.Key == "custom" {
		v.Set("from", p.FromDay())
		v.Set("to", p.ToDay())
	} else {
		v.Set("period", p.Key)
	}
	if p.Compare {
		v.Set("compare", "on")
	}
	return v
}

// parsePeriod reads the period from q, anchored at the day after the latest
// contact (last) so that a world whose data ends in the past still shows its
// latest window.
func parsePeriod(q url.Values, first, last time.Time) (*period, error) {
	end := last.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	if last.IsZero() {
		end = time.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	}
	p := &period{Key: q.Get("period"), Compare: q.Get("compare") == "on" || q.Get("compare") == "1"}
	// A preset wins over from and to: the period form carries the custom
	// days along so that toggling the comparison keeps them.
	if (p.Key == "" || p.Key == "custom") && (q.Get("from") != "" || q.Get("to") != "") {
		from, err := time.Parse(time.DateOnly, q.Get("from"))
		if err != nil {
			return nil, cx.Errorf(cx.EINVALID, "from: want a date like 2026-10-01, got %q", q.Get("from"))
		}
		to, err := time.Parse(time.DateOnly, q.Get("to"))
		if err != nil {
			return nil, cx.Errorf(cx.EINVALID, "to: want a date like 2026-10-31, got %q", q.Get("to"))
		}
		if to.Before(from) {
			return nil, cx.Errorf(cx.EINVALID, "to (%s) is before from (%s): swap them", q.Get("to"), q.Get("from"))
		}
		p.Key, p.From, p.To = "custom", from, to.Add(24*time.Hour)
	} else {
		days := map[string]int{"7d": 7, "30d": 30, "90d": 90}
		switch {
		case p.Key == "" || p.Key == "custom":
			p.Key = "30d"
			p.From = end.AddDate(0, 0, -30)
		case p.Key == "all":
			p.From = first.UTC().Truncate(24 * time.Hour)
			if first.IsZero() {
				p.From = end.AddDate(0, 0, -30)
			}
		case days[p.Key] > 0:
			p.From = end.AddDate(0, 0, -days[p.Key])
		default:
			return nil, cx.Errorf(cx.EINVALID, "period: want 7d, 30d, 90d or all, got %q (or give from= and to= dates)", p.Key)
		}
		p.To = end
	}
	p.Grain = "day"
	if p.To.Sub(p.From) > 45*24*time.Hour {
		p.Grain = "week"
	}
	return p, nil
}

// listFilter reads interaction-list filters from q. Every parameter is one a
// drill-down link may set, so links and the filter form share one language.
func listFilter(q url.Values) (store.ListFilter, error) {
	var f store.ListFilter
	multi := func(name string) []string {
		var out []string
		for _, v := range q[name] {
			for _, s := range strings.Split(v, "|") {
				if s = strings.TrimSpace(s); s != "" {
					out = append(out, s)
				}
			}
		}
		return out
	}
	f.Channels, f.Intents, f.Partners = multi("channel"), multi("intent"), multi("partner")
	f.Teams, f.Agents, f.Flags = multi("team"), multi("agent"), multi("flag")
	f.Queues, f.Stages = multi("queue"), multi("journey_stage")
	switch h := q.Get("handler"); h {
	case "", "bot", "human":
		f.Handler = h
	default:
		return f, cx.Errorf(cx.EINVALID, "handler: want bot or human, got %q", h)
	}
	var err error
	yesNo := func(name string) *bool {
		switch q.Get(name) {
		case "yes", "true":
			b := true
			return &b
		case "no", "false":
			b := false
			return &b
		case "", "any":
			return nil
		}
		err = cx.Errorf(cx.EINVALID, "%s: want yes or no, got %q", name, q.Get(name))
		return nil
	}
	f.Resolved, f.Repeated, f.Vulnerable = yesNo("resolved"), yesNo("repeated"), yesNo("vulnerable")
	f.Escalated, f.Abandoned = yesNo("escalated"), yesNo("abandoned")
	num := func(name string, lo, hi float64) *float64 {
		s := q.Get(name)
		if s == "" {
			return nil
		}
		v, e := strconv.ParseFloat(s, 64)
		if e != nil || v < lo || v > hi {
			err = cx.Errorf(cx.EINVALID, "%s: want a number from %g to %g, got %q", name, lo, hi, s)
			return nil
		}
		return &v
	}
	f.SentMin, f.SentMax = num("sent_min", -1, 1), num("sent_max", -1, 1)
	f.QAMin, f.QAMax = num("qa_min", 0, 100), num("qa_max", 0, 100)
	// QA is shown as a percentage; accept 0–100 and store 0–1.
	for _, p := range []**float64{&f.QAMin, &f.QAMax} {
		if *p != nil && **p > 1 {
			v := **p / 100
			*p = &v
		}
	}
	f.HasQA = q.Get("has_qa") == "yes"
	if s := q.Get("customer"); s != "" {
		id, e := strconv.ParseInt(s, 10, 64)
		if e != nil {
			return f, cx.Errorf(cx.EINVALID, "customer: want a customer number, got %q", s)
		}
		f.Customer = id
	}
	for _, d := range []struct {
		name string
		t    *time.Time
		add  int
	}{{"from", &f.From, 0}, {"to", &f.To, 1}} {
		s := q.Get(d.name)
		if s == "" {
			continue
		}
		t, e := time.Parse(time.DateOnly, s)
		if e != nil {
			return f, cx.Errorf(cx.EINVALID, "%s: want a date like 2026-10-01, got %q", d.name, s)
		}
		*d.t = t.AddDate(0, 0, d.add)
	}
	return f, err
}

// link builds path?query from key/value pairs; empty values are left out.
func link(path string, kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			v.Add(kv[i], kv[i+1])
		}
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// withValues merges extra into base (replacing keys) and returns the URL.
func withValues(path string, base url.Values, extra url.Values) string {
	v := url.Values{}
	for k, vs := range base {
		v[k] = append([]string(nil), vs...)
	}
	for k, vs := range extra {
		if len(vs) == 0 || (len(vs) == 1 && vs[0] == "") {
			v.Del(k)
			continue
		}
		v[k] = vs
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// interactionsLink is the drill-down from a number to the contacts behind it.
func interactionsLink(p *period, kv ...string) string {
	v := url.Values{}
	if p != nil {
		v.Set("from", p.FromDay())
		v.Set("to", p.ToDay())
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			v.Add(kv[i], kv[i+1])
		}
	}
	return "/interactions?" + v.Encode()
}

func interactionHref(k cx.Key) string {
	return "/interactions/" + url.PathEscape(k.Source) + "/" + url.PathEscape(k.ID)
}

// Formatting for templates and charts.

func pct(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) + "%" }

func pctPtr(v *float64) string {
	if v == nil {
		return "–"
	}
	return pct(*v)
}

func money(minor float64) string {
	neg := minor < 0
	v := math.Abs(minor) / 100
	var s string
	switch {
	case v >= 1e6:
		s = fmt.Sprintf("£%.2fm", v/1e6)
	case v >= 1000:
		s = "£" + thousands(int64(math.Round(v)))
	default:
		s = fmt.Sprintf("£%.2f", v)
	}
	if neg {
		return "−" + s
	}
	return s
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "−" + b.String()
	}
	return b.String()
}

func signed(v float64) string {
	s := strconv.FormatFloat(v, 'f', 2, 64)
	if v > 0 {
		return "+" + s
	}
	if v < 0 {
		return "−" + s[1:]
	}
	return s
}

func duration(sec float64) string {
	switch {
	case sec < 90:
		return fmt.Sprintf("%.0f s", sec)
	case sec < 5400:
		return fmt.Sprintf("%.1f min", sec/60)
	}
	return fmt.Sprintf("%.1f h", sec/3600)
}

// sentimentWord gives sentiment a word as well as a colour.
func sentimentWord(v float64) string {
	switch {
	case v <= -0.5:
		return "very negative"
	case v <= -0.15:
		return "negative"
	case v < 0.15:
		return "neutral"
	case v < 0.5:
		return "positive"
	}
	return "very positive"
}

func sentimentClass(v float64) string {
	switch {
	case v <= -0.15:
		return "neg"
	case v < 0.15:
		return "neu"
	}
	return "pos"
}

var funcs = template.FuncMap{
	"pct":       pct,
	"pctp":      pctPtr,
	"money":     func(m cx.Money) string { return money(float64(m)) },
	"moneyf":    money,
	"num":       func(n int64) string { return thousands(n) },
	"numi":      func(n int) string { return thousands(int64(n)) },
	"signed":    signed,
	"f2":        func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) },
	"sentword":  sentimentWord,
	"sentclass": sentimentClass,
	"when":      func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04") },
	"day":       func(t time.Time) string { return t.UTC().Format("2 Jan 2006") },
	"iso":       func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"ihref":     interactionHref,
	"link":      link,
	"join":      strings.Join,
	"has": func(list []string, v string) bool {
		for _, s := range list {
			if s == v {
				return true
			}
		}
		return false
	},
	"qget": func(q map[string][]string, k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	},
	"qall":   func(q map[string][]string, k string) []string { return q[k] },
	"derefb": func(b *bool) bool { return b != nil && *b },
	"add":    func(a, b int) int { return a + b },
	"words":  func(s string) string { return strings.ReplaceAll(s, "_", " ") },
	"sorted": func(m map[string]int) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	},
}

func init() {
	// qs is the current URL with some parameters replaced: links that change
	// one piece of state keep the rest.
	funcs["qs"] = func(path string, q map[string][]string, kv ...string) string {
		extra := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			extra.Set(kv[i], kv[i+1])
		}
		return withValues(path, q, extra)
	}
}
