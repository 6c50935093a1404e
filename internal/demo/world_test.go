package demo

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The world most tests inspect: small enough to generate in well under a second.
func smallConfig() Config { return Config{Seed: 2026, Customers: 2000, Days: 30} }

type generated struct {
	dir   string
	truth *Truth
	err   error
}

var (
	smallOnce  sync.Once
	smallWorld generated
)

// mustSmallWorld generates the shared small world once per test binary.
func mustSmallWorld(tb testing.TB) generated {
	tb.Helper()
	smallOnce.Do(func() {
		dir, err := os.MkdirTemp("", "northstar-demo-*")
		if err != nil {
			smallWorld.err = err
			return
		}
		smallWorld.dir = dir
		smallWorld.truth, smallWorld.err = Write(context.Background(), dir, smallConfig(), nil)
	})
	if smallWorld.err != nil {
		tb.Fatalf("generate small world: %v", smallWorld.err)
	}
	return smallWorld
}

func TestMain(m *testing.M) {
	code := m.Run()
	if smallWorld.dir != "" {
		os.RemoveAll(smallWorld.dir)
	}
	os.Exit(code)
}

// outputFiles lists every file Write produces.
func outputFiles() []string {
	return append(WorldFiles(), TruthFile, TruthIntentsFile, TruthContactsFile, TruthIdentityFile, TruthPIIFile, IntentsTrainFile)
}

func TestWriteIsDeterministic(t *testing.T) {
	w := mustSmallWorld(t)
	again := t.TempDir()
	if _, err := Write(context.Background(), again, smallConfig(), nil); err != nil {
		t.Fatal(err)
	}
	for _, f := range outputFiles() {
		a, err := os.ReadFile(filepath.Join(w.dir, f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(again, f))
		if err != nil {
			t.Fatal(err)
		}
		if sha256.Sum256(a) != sha256.Sum256(b) {
			t.Errorf("%s differs between two runs of the same config", f)
		}
	}
	// A different seed must give a different world.
	other := t.TempDir()
	cfg := smallConfig()
	cfg.Seed++
	cfg.Customers = 50
	if _, err := Write(context.Background(), other, cfg, nil); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(filepath.Join(w.dir, WorldDir, CustomersFile))
	b, _ := os.ReadFile(filepath.Join(other, WorldDir, CustomersFile))
	if bytes.HasPrefix(a, b[:200]) {
		t.Error("seed does not change the world")
	}
}

func TestConfigValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"default", DefaultConfig(), true},
		{"zero end takes the default", Config{Customers: 10, Days: 14}, true},
		{"no customers", Config{Customers: 0, Days: 30}, false},
		{"too many customers", Config{Customers: MaxCustomers + 1, Days: 30}, false},
		{"window too short for the incidents", Config{Customers: 10, Days: 13}, false},
		{"window too long", Config{Customers: 10, Days: MaxDays + 1}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.cfg.normalised()
			if (err == nil) != tc.ok {
				t.Fatalf("normalised() error = %v, want ok=%v", err, tc.ok)
			}
			if tc.ok && !got.End.Equal(DefaultEnd()) && tc.cfg.End.IsZero() {
				t.Errorf("End = %v, want the default %v", got.End, DefaultEnd())
			}
		})
	}
	if _, err := Write(context.Background(), t.TempDir(), Config{Customers: 10, Days: 5}, nil); err == nil {
		t.Error("Write accepted a 5-day window")
	}
}

func TestWriteStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Write(ctx, t.TempDir(), Config{Seed: 1, Customers: 1000, Days: 14}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Write on a cancelled context = %v, want context.Canceled", err)
	}
}

func TestProgressReportsToTheEnd(t *testing.T) {
	var calls [][2]int
	cfg := Config{Seed: 3, Customers: 5000, Days: 14}
	if _, err := Write(context.Background(), t.TempDir(), cfg, func(done, total int) {
		calls = append(calls, [2]int{done, total})
	}); err != nil {
		t.Fatal(err)
	}
	if len(calls) < 2 {
		t.Fatalf("progress called %d times, want several", len(calls))
	}
	for i, c := range calls {
		if c[1] != cfg.Customers || (i > 0 && c[0] <= calls[i-1][0]) {
			t.Fatalf("progress calls not increasing to the total: %v", calls)
		}
	}
	if last := calls[len(calls)-1]; last[0] != cfg.Customers {
		t.Errorf("last progress = %v, want done = total", last)
	}
}

// ---- reading the world back ----

type record map[string]any

func readNDJSON(tb testing.TB, path string) []record {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []record
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	line := 0
	for sc.Scan() {
		line++
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatalf("%s:%d: invalid JSON: %v", path, line, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}

func readCSV(tb testing.TB, path string) [][]string {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return rows
}

func str(r record, k string) string {
	s, _ := r[k].(string)
	return s
}

func obj(r record, k string) record {
	m, _ := r[k].(map[string]any)
	return m
}

func num(r record, k string) (float64, bool) {
	v, ok := r[k].(float64)
	return v, ok
}

func ts(tb testing.TB, where string, r record, k string) time.Time {
	tb.Helper()
	t, err := time.Parse(time.RFC3339, str(r, k))
	if err != nil {
		tb.Fatalf("%s: %s = %q is not RFC 3339: %v", where, k, str(r, k), err)
	}
	if t.Location() != time.UTC {
		tb.Fatalf("%s: %s is not UTC", where, k)
	}
	return t
}

// canonPhone turns any of the world's phone formats into E.164.
func canonPhone(s string) string {
	var d []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			d = append(d, s[i])
		}
	}
	ds := string(d)
	switch {
	case strings.HasPrefix(ds, "00440"):
		ds = ds[5:]
	case strings.HasPrefix(ds, "0044"):
		ds = ds[4:]
	case strings.HasPrefix(ds, "440"):
		ds = ds[3:]
	case strings.HasPrefix(ds, "44"):
		ds = ds[2:]
	case strings.HasPrefix(ds, "0"):
		ds = ds[1:]
	}
	return "+44" + ds
}

// world is the small world read back into maps.
type worldRecords struct {
	customers, events, interactions, surveys []record
}

var (
	readOnce sync.Once
	readBack worldRecords
)

func mustRead(tb testing.TB) (generated, worldRecords) {
	tb.Helper()
	w := mustSmallWorld(tb)
	readOnce.Do(func() {
		readBack.customers = readNDJSON(tb, filepath.Join(w.dir, WorldDir, CustomersFile))
		readBack.events = readNDJSON(tb, filepath.Join(w.dir, WorldDir, EventsFile))
		readBack.interactions = readNDJSON(tb, filepath.Join(w.dir, WorldDir, InteractionsFile))
		readBack.surveys = readNDJSON(tb, filepath.Join(w.dir, WorldDir, SurveysFile))
	})
	return w, readBack
}

func TestRecordsAreValidAndReferencesResolve(t *testing.T) {
	w, recs := mustRead(t)
	end := w.truth.End
	stages := map[string]bool{}
	for _, s := range []string{"marketing", "sales", "onboarding", "service", "fulfilment", "billing", "retention"} {
		stages[s] = true
	}
	channels := map[string]bool{}
	for _, c := range channelNames() {
		channels[c] = true
	}

	byID := map[string]record{}
	byEmail := map[string]string{}
	byPhone := map[string]string{}
	byHandle := map[string]string{}
	for i, c := range recs.customers {
		where := fmt.Sprintf("customers line %d", i+1)
		id := str(c, "id")
		if str(c, "type") != "customer" || id == "" || str(c, "name") == "" || str(c, "segment") == "" || str(c, "region") == "" {
			t.Fatalf("%s: missing required fields: %v", where, c)
		}
		if _, dup := byID[id]; dup {
			t.Fatalf("%s: duplicate customer id %s", where, id)
		}
		byID[id] = c
		ts(t, where, c, "signup_at")
		ids := obj(c, "identities")
		email := strings.ToLower(str(ids, "email"))
		if !strings.Contains(email, "@example.") {
			t.Fatalf("%s: email %q is not on a reserved example domain", where, email)
		}
		if prev, dup := byEmail[email]; dup {
			t.Fatalf("%s: email %s shared with %s", where, email, prev)
		}
		byEmail[email] = id
		if p := str(ids, "phone"); p != "" {
			e := canonPhone(p)
			if len(e) != 13 || !strings.HasPrefix(e, "+4477") || strings.HasPrefix(e, "+447700") {
				t.Fatalf("%s: phone %q (%s) is not a 07701–07799 mobile", where, p, e)
			}
			if prev, dup := byPhone[e]; dup {
				t.Fatalf("%s: phone %s shared with %s", where, e, prev)
			}
			byPhone[e] = id
		}
		if h := strings.ToLower(str(ids, "handle")); h != "" {
			byHandle[h] = id
		}
		if plan := str(obj(c, "attributes"), "plan"); plan == "" {
			t.Fatalf("%s: no plan attribute", where)
		}
	}

	seen := map[string]bool{}
	for i, e := range recs.events {
		where := fmt.Sprintf("events line %d", i+1)
		id := str(e, "id")
		if str(e, "type") != "event" || id == "" || str(e, "name") == "" {
			t.Fatalf("%s: missing required fields: %v", where, e)
		}
		if seen[id] {
			t.Fatalf("%s: duplicate event id %s", where, id)
		}
		seen[id] = true
		at := ts(t, where, e, "at")
		if !at.Before(end) {
			t.Fatalf("%s: at %v is not before the end %v", where, at, end)
		}
		ref := obj(e, "customer")
		cid := str(ref, "id")
		if cid == "" {
			cid = byEmail[strings.ToLower(str(ref, "email"))]
		}
		c, ok := byID[cid]
		if !ok {
			t.Fatalf("%s: customer reference %v does not resolve", where, ref)
		}
		if at.Before(ts(t, where, c, "signup_at")) {
			t.Fatalf("%s: event before the customer's signup", where)
		}
		v, hasV := num(e, "value")
		switch str(e, "name") {
		case "order_placed", "refund_issued":
			if !hasV || v <= 0 || v > 120 || str(e, "currency") != "GBP" {
				t.Fatalf("%s: %s value %v %q out of range", where, str(e, "name"), v, str(e, "currency"))
			}
		default:
			if hasV {
				t.Fatalf("%s: journey event %s has a value", where, str(e, "name"))
			}
		}
	}

	// Identities only known through truth-identities.csv (the alternative ones).
	alt := map[string]string{}
	for _, row := range readCSV(t, filepath.Join(w.dir, TruthIdentityFile))[1:] {
		alt[strings.ToLower(row[3])] = row[0]
	}
	resolveRef := func(ref record) string {
		if id := str(ref, "id"); id != "" {
			return id
		}
		if e := str(ref, "email"); e != "" {
			return byEmail[strings.ToLower(e)]
		}
		if p := str(ref, "phone"); p != "" {
			if id, ok := byPhone[canonPhone(p)]; ok {
				return id
			}
			return alt[canonPhone(p)]
		}
		if h := strings.ToLower(str(ref, "handle")); h != "" {
			if id, ok := byHandle[h]; ok {
				return id
			}
			return alt[h]
		}
		return ""
	}
	start := w.truth.Start
	sources := map[string]string{}
	for i, in := range recs.interactions {
		where := fmt.Sprintf("interactions line %d", i+1)
		id := str(in, "id")
		for _, k := range []string{"id", "source", "channel", "journey_stage", "queue", "handler", "started_at", "ended_at"} {
			if str(in, k) == "" {
				t.Fatalf("%s: missing %s", where, k)
			}
		}
		if _, dup := sources[id]; dup {
			t.Fatalf("%s: duplicate interaction id %s", where, id)
		}
		sources[id] = str(in, "source")
		if resolveRef(obj(in, "customer")) == "" {
			t.Fatalf("%s: customer %v does not resolve", where, in["customer"])
		}
		if !channels[str(in, "channel")] || !stages[str(in, "journey_stage")] {
			t.Fatalf("%s: bad channel or stage: %s %s", where, str(in, "channel"), str(in, "journey_stage"))
		}
		h := str(in, "handler")
		if h != "bot" && h != "human" {
			t.Fatalf("%s: handler %q", where, h)
		}
		if in["escalated"] == true && h != "bot" {
			t.Fatalf("%s: a human-handled contact cannot be escalated", where)
		}
		if (h == "bot") != botFirst(chIndex(str(in, "channel"))) {
			t.Fatalf("%s: handler %s on channel %s", where, h, str(in, "channel"))
		}
		s, e := ts(t, where, in, "started_at"), ts(t, where, in, "ended_at")
		if s.Before(start) || !e.Before(end) || e.Before(s) {
			t.Fatalf("%s: times %v – %v outside the window or reversed", where, s, e)
		}
		turns, _ := in["turns"].([]any)
		if len(turns) == 0 {
			t.Fatalf("%s: no turns", where)
		}
		for j, tv := range turns {
			tr, _ := tv.(map[string]any)
			sp := str(tr, "speaker")
			if sp != "customer" && sp != "bot" && sp != "agent" && sp != "system" {
				t.Fatalf("%s: turn %d speaker %q", where, j, sp)
			}
			if strings.TrimSpace(str(tr, "text")) == "" {
				t.Fatalf("%s: turn %d has no text", where, j)
			}
			at := ts(t, where, tr, "at")
			if at.Before(s) || at.After(e) {
				t.Fatalf("%s: turn %d at %v outside %v – %v", where, j, at, s, e)
			}
		}
		if cost, ok := num(in, "cost"); !ok || cost <= 0 || cost > 20 {
			t.Fatalf("%s: cost %v", where, in["cost"])
		}
		if sv := obj(in, "survey"); sv != nil {
			checkScores(t, where, sv)
		}
	}

	seenS := map[string]bool{}
	for i, s := range recs.surveys {
		where := fmt.Sprintf("surveys line %d", i+1)
		id := str(s, "id")
		if str(s, "type") != "survey" || id == "" || seenS[id] {
			t.Fatalf("%s: missing or duplicate id: %v", where, s)
		}
		seenS[id] = true
		ref := obj(s, "interaction")
		src, ok := sources[str(ref, "id")]
		if !ok || src != str(ref, "source") {
			t.Fatalf("%s: interaction reference %v does not resolve", where, ref)
		}
		if !ts(t, where, s, "at").Before(end) {
			t.Fatalf("%s: survey after the end", where)
		}
		checkScores(t, where, s)
	}

	labels := readCSV(t, filepath.Join(w.dir, TruthIntentsFile))
	if len(labels)-1 != len(recs.interactions) {
		t.Fatalf("truth-intents.csv has %d rows, interactions.ndjson %d", len(labels)-1, len(recs.interactions))
	}
	known := map[string]bool{}
	for _, s := range Intents() {
		known[s.ID] = true
	}
	for i, row := range labels[1:] {
		if row[0] != str(recs.interactions[i], "id") || !known[row[1]] {
			t.Fatalf("truth-intents.csv row %d = %v does not match interaction %s", i+1, row, str(recs.interactions[i], "id"))
		}
	}
}

func chIndex(name string) int {
	for i, n := range channelNames() {
		if n == name {
			return i
		}
	}
	return -1
}

func checkScores(tb testing.TB, where string, s record) {
	tb.Helper()
	for _, r := range []struct {
		k      string
		lo, hi float64
	}{{"csat", 1, 5}, {"nps", 0, 10}, {"ces", 1, 7}} {
		if v, ok := num(s, r.k); ok && (v < r.lo || v > r.hi || v != float64(int(v))) {
			tb.Fatalf("%s: %s = %v outside %v–%v", where, r.k, v, r.lo, r.hi)
		}
	}
	if _, ok := num(s, "csat"); !ok {
		tb.Fatalf("%s: survey without csat", where)
	}
}

// TestCountsInRange pins the shape of the world: if a tuning change moves these, the docs move too.
func TestCountsInRange(t *testing.T) {
	w, recs := mustRead(t)
	tr := w.truth
	n := len(recs.interactions)
	cfg := smallConfig()
	perCustomerMonth := float64(n) / float64(cfg.Customers) / (float64(cfg.Days) / 30)
	inline := 0
	resolvedGiven := 0
	bot := 0
	for _, in := range recs.interactions {
		if in["survey"] != nil {
			inline++
		}
		if _, ok := in["resolved"]; ok {
			resolvedGiven++
		}
		if str(in, "handler") == "bot" {
			bot++
		}
	}
	between := func(name string, v, lo, hi float64) {
		t.Helper()
		if v < lo || v > hi {
			t.Errorf("%s = %.3f, want %.3f–%.3f", name, v, lo, hi)
		}
	}
	between("interactions per customer per 30 days (≈2.5 gives 150,000 for the default world)", perCustomerMonth, 2.2, 3.3)
	between("turns per interaction", float64(tr.Counts.Turns)/float64(n), 8.5, 11.5)
	between("survey share", float64(tr.Counts.Surveys)/float64(n), 0.25, 0.35)
	between("share of surveys inline", float64(inline)/float64(tr.Counts.Surveys), 0.4, 0.75)
	between("resolved given by the helpdesk", float64(resolvedGiven)/float64(n), 0.65, 0.75)
	between("bot-started share", float64(bot)/float64(n), 0.35, 0.65)
	between("vulnerable contact share", tr.Vulnerability.ContactShare, 0.025, 0.06)
	between("linked customers share", float64(tr.Identity.LinkedCustomers)/float64(cfg.Customers), 0.04, 0.14)
	between("churned share", float64(tr.Counts.Churned)/float64(cfg.Customers), 0.02, 0.2)
	between("resolution rate", float64(tr.Counts.Resolved)/float64(n), 0.7, 0.9)
	if len(recs.surveys) != tr.Counts.SurveysSeparate || inline != tr.Counts.SurveysInline {
		t.Errorf("surveys in files (%d inline, %d separate) differ from truth (%d, %d)", inline, len(recs.surveys), tr.Counts.SurveysInline, tr.Counts.SurveysSeparate)
	}
	if tr.Counts.Interactions != n || tr.Counts.Events != len(recs.events) || tr.Counts.Customers != len(recs.customers) {
		t.Errorf("truth counts %d/%d/%d differ from files %d/%d/%d", tr.Counts.Interactions, tr.Counts.Events, tr.Counts.Customers, n, len(recs.events), len(recs.customers))
	}
	for _, ic := range tr.Intents {
		if ic.Contacts == 0 {
			t.Errorf("intent %s never occurs", ic.Intent)
		}
	}
	for _, ch := range tr.Counts.InteractionsByCh {
		if ch.Count == 0 {
			t.Errorf("channel %s never used", ch.Name)
		}
	}
}

func TestIncidentsInsideTheWindow(t *testing.T) {
	for _, days := range []int{MinDays, 15, 30, 90, 91, MaxDays} {
		start := DefaultEnd().Unix() - int64(days)*day
		s := newSchedule(start, days)
		for _, iv := range [][2]int64{{s.courierFrom, s.courierTo}, {s.priceAnnounce, s.priceEffective}, {s.botRelease, s.end}, {s.payFrom, s.payTo}, {s.slideFrom, s.end}} {
			if iv[0] < s.start || iv[1] > s.end || iv[0] >= iv[1] {
				t.Errorf("days=%d: incident %v–%v outside %v–%v", days, iv[0], iv[1], s.start, s.end)
			}
		}
		if s.payTo-s.payFrom != 6*hour || s.courierTo-s.courierFrom != 2*day {
			t.Errorf("days=%d: incident lengths wrong", days)
		}
	}
	w := mustSmallWorld(t)
	if len(w.truth.Incidents) < 4 {
		t.Fatalf("%d incidents in truth, want at least 4", len(w.truth.Incidents))
	}
	for _, inc := range w.truth.Incidents {
		if inc.Start.Before(w.truth.Start) || inc.End.After(w.truth.End) || !inc.Start.Before(inc.End) {
			t.Errorf("%s: %v – %v outside the window", inc.ID, inc.Start, inc.End)
		}
		if len(inc.Measured) == 0 {
			t.Errorf("%s: nothing measured", inc.ID)
		}
	}
	// The spikes were built in, so they must show.
	m := func(id string, i int) Measure {
		for _, inc := range w.truth.Incidents {
			if inc.ID == id {
				return inc.Measured[i]
			}
		}
		t.Fatalf("no incident %s", id)
		return Measure{}
	}
	for _, c := range []struct {
		id     string
		i      int
		factor float64 // during ≥ factor × baseline (or ≤ for factor < 1)
	}{
		{"courier-outage", 0, 4}, {"courier-outage", 1, 1.3}, {"payment-provider-outage", 0, 10},
		{"payment-provider-outage", 1, 3}, {"price-rise", 0, 5}, {"bot-release-4.3.0", 0, 0.7},
		{"bot-release-4.3.0", 1, 2}, {"partner-quality-slide", 0, 0.95}, {"partner-quality-slide", 1, 1.5},
	} {
		x := m(c.id, c.i)
		if (c.factor >= 1 && x.During < c.factor*x.Baseline) || (c.factor < 1 && x.During > c.factor*x.Baseline) {
			t.Errorf("%s %q: during %.3f vs baseline %.3f, want factor %.2f", c.id, x.Metric, x.During, x.Baseline, c.factor)
		}
	}
}

func TestIdentityLinks(t *testing.T) {
	w, recs := mustRead(t)
	rows := readCSV(t, filepath.Join(w.dir, TruthIdentityFile))[1:]
	if len(rows) == 0 || len(rows) != w.truth.Identity.LinkedCustomers || len(w.truth.Identity.Links) != len(rows) {
		t.Fatalf("%d links in the CSV, truth says %d (listed %d)", len(rows), w.truth.Identity.LinkedCustomers, len(w.truth.Identity.Links))
	}
	cust := map[string]record{}
	for _, c := range recs.customers {
		cust[str(c, "id")] = c
	}
	pos := map[string]int{}
	for i, in := range recs.interactions {
		pos[str(in, "id")] = i
	}
	altOf := func(ref record, kind string) string {
		if kind == "phone" {
			if p := str(ref, "phone"); p != "" {
				return canonPhone(p)
			}
			return ""
		}
		return strings.ToLower(str(ref, "handle"))
	}
	for _, row := range rows {
		cid, email, kind, value := row[0], row[1], row[2], strings.ToLower(row[3])
		ids := obj(cust[cid], "identities")
		if ids == nil || strings.ToLower(str(ids, "email")) != email {
			t.Fatalf("link %v: customer record missing or email differs", row)
		}
		if str(ids, kind) != "" {
			t.Fatalf("link %v: the customer record already has a %s", row, kind)
		}
		link, ok := pos[row[5]]
		if !ok {
			t.Fatalf("link %v: linking record not found", row)
		}
		lref := obj(recs.interactions[link], "customer")
		if strings.ToLower(str(lref, "email")) != email || altOf(lref, kind) != value {
			t.Fatalf("link %v: linking record carries %v", row, lref)
		}
		for _, a := range strings.Split(row[4], ";") {
			p, ok := pos[a]
			if !ok || p >= link {
				t.Fatalf("link %v: alternative record %s missing or after the link", row, a)
			}
			ref := obj(recs.interactions[p], "customer")
			if len(ref) != 1 || altOf(ref, kind) != value {
				t.Fatalf("link %v: alternative record %s carries %v, want only the %s", row, a, ref, kind)
			}
			if !ts(t, a, recs.interactions[p], "started_at").Before(ts(t, row[5], recs.interactions[link], "started_at")) {
				t.Fatalf("link %v: alternative record %s is not earlier than the link", row, a)
			}
		}
	}
	// Formats vary, so normalisation has something to do.
	formats := map[string]bool{}
	for _, in := range recs.interactions {
		if p := str(obj(in, "customer"), "phone"); p != "" {
			switch {
			case strings.HasPrefix(p, "+44 (0)"):
				formats["trunk"] = true
			case strings.HasPrefix(p, "+44 "):
				formats["intl"] = true
			case strings.HasPrefix(p, "+44"):
				formats["e164"] = true
			case strings.HasPrefix(p, "0044"):
				formats["00"] = true
			case strings.Contains(p, " "):
				formats["national"] = true
			default:
				formats["compact"] = true
			}
		}
		if e := str(obj(in, "customer"), "email"); e != strings.ToLower(e) {
			formats["email-case"] = true
		}
	}
	if len(formats) < 7 {
		t.Errorf("identity formats seen: %v, want all six phone formats and mixed-case emails", formats)
	}
}

// turnText returns the text of turn i of an interaction.
func turnText(in record, i int) (speaker, text string) {
	turns, _ := in["turns"].([]any)
	if i >= len(turns) {
		return "", ""
	}
	tr, _ := turns[i].(map[string]any)
	return str(tr, "speaker"), str(tr, "text")
}

func TestPlantedPIIIsInTheText(t *testing.T) {
	w, recs := mustRead(t)
	byID := map[string]record{}
	for _, in := range recs.interactions {
		byID[str(in, "id")] = in
	}
	rows := readCSV(t, filepath.Join(w.dir, TruthPIIFile))[1:]
	if len(rows) != w.truth.PII.Planted || len(rows) == 0 {
		t.Fatalf("truth-pii.csv has %d rows, truth.json says %d", len(rows), w.truth.PII.Planted)
	}
	kinds := map[string]int{}
	for _, row := range rows {
		in := byID[row[0]]
		var ti int
		fmt.Sscan(row[1], &ti)
		sp, text := turnText(in, ti)
		if sp != "customer" || !strings.Contains(text, row[3]) {
			t.Fatalf("pii %v: turn %d (%s) %q does not contain it", row, ti, sp, text)
		}
		kinds[row[2]]++
		if row[2] == "card_number" && !luhnValid(row[3]) {
			t.Fatalf("pii %v: card number fails Luhn", row)
		}
	}
	for _, k := range piiKinds() {
		if kinds[k] == 0 {
			t.Errorf("no %s planted", k)
		}
	}
}

// The closing turns must tell the same story as the truth, so resolution can be inferred from text.
func TestClosingTurnsAgreeWithTruth(t *testing.T) {
	w, recs := mustRead(t)
	c := commonTexts()
	isIn := func(s string, set []string) bool {
		s = letters(s)
		for _, x := range set {
			x = letters(x)
			if d := editDistance(s, x); d <= 2 || (d <= 4 && len(x) >= 20) { // customers make typos
				return true
			}
		}
		return false
	}
	rows := readCSV(t, filepath.Join(w.dir, TruthContactsFile))
	checked := 0
	for i, row := range rows[1:] {
		in := recs.interactions[i]
		if row[0] != str(in, "id") {
			t.Fatalf("truth-contacts.csv row %d is %s, interaction is %s", i+1, row[0], str(in, "id"))
		}
		if row[7] == "1" { // abandoned: no closing
			continue
		}
		resolved := row[8] == "1"
		if v, ok := in["resolved"].(bool); ok && v != resolved {
			t.Fatalf("%s: resolved field %v, truth %v", row[0], v, resolved)
		}
		good, bad := false, false
		turns, _ := in["turns"].([]any)
		for j := range turns {
			sp, text := turnText(in, j)
			if sp != "customer" {
				continue
			}
			good = good || isIn(text, c.custResolved)
			bad = bad || isIn(text, c.custUnresolved)
		}
		email := str(in, "channel") == "email" && str(in, "handler") == "human"
		if resolved && (bad || (!good && !email)) || !resolved && good { // an email thread may end with the agent's reply
			t.Fatalf("%s: resolved=%v but closing turns say resolved=%v unresolved=%v", row[0], resolved, good, bad)
		}
		checked++
	}
	if checked < len(recs.interactions)/2 {
		t.Fatalf("only %d interactions checked", checked)
	}
}

func TestTrainingExamplesAreNotInteractionText(t *testing.T) {
	w, recs := mustRead(t)
	rows := readCSV(t, filepath.Join(w.dir, IntentsTrainFile))
	if rows[0][0] != "text" || rows[0][1] != "intent" {
		t.Fatalf("header %v", rows[0])
	}
	train := map[string]bool{}
	per := map[string]int{}
	for _, r := range rows[1:] {
		if train[r[0]] {
			t.Fatalf("duplicate training text %q", r[0])
		}
		train[r[0]] = true
		per[r[1]]++
	}
	for _, s := range Intents() {
		if per[s.ID] < trainPerIntent/2 {
			t.Errorf("intent %s has %d training examples", s.ID, per[s.ID])
		}
	}
	for _, in := range recs.interactions {
		turns, _ := in["turns"].([]any)
		for j := range turns {
			if sp, text := turnText(in, j); sp == "customer" && train[text] {
				t.Fatalf("%s turn %d copies a training example: %q", str(in, "id"), j, text)
			}
		}
	}
}

func TestAutomationVerdictsMatchTheWorld(t *testing.T) {
	w := mustSmallWorld(t)
	a := w.truth.Automation
	if len(a.AutomateMore) == 0 || len(a.KeepHuman) == 0 || len(a.FixBot) == 0 {
		t.Fatalf("automation verdicts missing: %+v", a)
	}
	for _, c := range a.AutomateMore {
		if c.Containment < 0.75 || c.BotCSAT < c.HumanCSAT-0.25 { // a small world: about 40 ratings a side
			t.Errorf("automate_more %s: containment %.2f, bot CSAT %.2f vs human %.2f", c.Intent, c.Containment, c.BotCSAT, c.HumanCSAT)
		}
	}
	for _, c := range a.KeepHuman {
		if c.Containment > 0.3 || c.BotCSAT >= c.HumanCSAT {
			t.Errorf("keep_human %s: containment %.2f, bot CSAT %.2f vs human %.2f", c.Intent, c.Containment, c.BotCSAT, c.HumanCSAT)
		}
	}
	// Effects: unresolved experiences churn more than resolved ones.
	g := w.truth.Effects.ChurnByExperience
	if g[2].ChurnRate <= g[1].ChurnRate {
		t.Errorf("churn with an unresolved contact %.3f not above all-resolved %.3f", g[2].ChurnRate, g[1].ChurnRate)
	}
	b, err := os.ReadFile(filepath.Join(w.dir, TruthFile))
	if err != nil {
		t.Fatal(err)
	}
	var back Truth
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("truth.json does not decode into Truth: %v", err)
	}
	if back.Counts.Interactions != w.truth.Counts.Interactions || back.Counts.Turns != w.truth.Counts.Turns ||
		len(back.Identity.Links) != len(w.truth.Identity.Links) || len(back.Taxonomy) != numIntents {
		t.Error("truth.json differs from the returned Truth")
	}
}

// letters keeps lower-cased ASCII letters and apostrophes.
func letters(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if (c >= 'a' && c <= 'z') || c == '\'' || c == ' ' {
			b = append(b, c)
		}
	}
	return strings.TrimSpace(string(b))
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
