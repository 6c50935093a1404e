package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/api"
	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/ingest"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/store"
)

// metricsServer serves the real API over a temporary DuckDB holding the
// metrics fixtures. partner, when set, puts a principal bound to that
// partner on every request, as the authentication guard would.
func metricsServer(t *testing.T, partner string) string {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(context.Background(), "duckdb:"+filepath.Join(dir, "n.db"), store.WithKeyFile(filepath.Join(dir, "data.key")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var srcs []ingest.Source
	for _, f := range []string{"base.ndjson", "later.ndjson"} {
		srcs = append(srcs, ingest.FileSource(filepath.Join("..", "metrics", "testdata", f)))
	}
	if _, err := ingest.Import(context.Background(), st, srcs, ingest.Options{Normalizer: identity.Normalizer{Region: "GB"}, RepeatWindow: 7 * 24 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	a := &api.API{Store: st, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	mux := http.NewServeMux()
	for _, r := range a.Routes() {
		mux.Handle(r.Pattern, r.Handler)
	}
	// The principal the authentication guard would put on the request.
	p := &auth.Principal{ID: "user:analyst", Name: "analyst", Role: auth.RoleAnalyst}
	if partner != "" {
		p = &auth.Principal{ID: "user:bpo", Name: "bpo", Role: auth.RolePartnerManager, Partner: partner}
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func get(t *testing.T, u string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

func TestGetMetrics(t *testing.T) {
	base := metricsServer(t, "")
	q := url.Values{"m": {"contacts,csat,cost_to_serve"}, "by": {"handler"}, "from": {"2026-10-01"}, "to": {"2026-11-01"},
		"where": {"channel!:web"}, "min_n": {"1"}, "compare": {"true"}}
	code, body := get(t, base+"/v1/metrics?"+q.Encode())
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	var res metrics.Result
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Metrics, ",") != "contacts,csat,cost_to_serve" || strings.Join(res.By, ",") != "handler" ||
		!res.From.Equal(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) || len(res.Rows) != 2 {
		t.Fatalf("result: %s", body)
	}
	human := res.Rows[1]
	if strings.Join(human.Keys, ",") != "human" || human.Cells[0].N != 4 || *human.Cells[0].Value != 4 {
		t.Errorf("human contacts (web excluded): %+v", human.Cells[0])
	}
	// Inline 4 (I2), S1 2 (I2), 2 (I5); S3 rates the excluded web contact.
	if c := human.Cells[1]; c.N != 3 || c.Low == nil || c.Previous == nil || c.Previous.N != 0 {
		t.Errorf("human csat: %+v", c)
	}

	// Without a period: the last 28 days of data, to midnight after the latest contact (25 October).
	code, body = get(t, base+"/v1/metrics?m=contacts")
	if code != 200 || !strings.Contains(string(body), `"from": "2026-09-28T00:00:00Z"`) || !strings.Contains(string(body), `"to": "2026-10-26T00:00:00Z"`) {
		t.Errorf("default period: %d %s", code, body)
	}
	// Low n is marked, not shown as a value.
	code, body = get(t, base+"/v1/metrics?m=csat&from=2026-10-01&to=2026-11-01")
	if code != 200 || !strings.Contains(string(body), `"low_n": true`) || !strings.Contains(string(body), `"value": null`) {
		t.Errorf("low n: %d %s", code, body)
	}
}

func TestGetMetricsIsScoped(t *testing.T) {
	base := metricsServer(t, "beta")
	code, body := get(t, base+"/v1/metrics?m=contacts&by=partner&from=2026-10-01&to=2026-11-01")
	var res metrics.Result
	if err := json.Unmarshal(body, &res); code != 200 || err != nil {
		t.Fatalf("%d %v %s", code, err, body)
	}
	if len(res.Rows) != 1 || res.Rows[0].Keys[0] != "beta" || res.Rows[0].Cells[0].N != 1 {
		t.Errorf("a beta manager sees %s", body)
	}
}

func TestGetMetricsErrors(t *testing.T) {
	base := metricsServer(t, "")
	for _, tc := range []struct{ query, want string }{
		{"m=csta", `m: unknown metric \"csta\" (valid: contacts, csat`},
		{"", "m: no metric given"},
		{"m=csat&by=colour", `by: unknown dimension \"colour\" (valid: hour, day`},
		{"m=csat&where=channel", "where: filter \\\"channel\\\": write dim:value"},
		{"m=csat&where=chanel:chat", `where: filter \"chanel:chat\": unknown dimension \"chanel\"`},
		{"m=csat&from=yesterday", "from: want a date like 2026-10-01"},
		{"m=csat&min_n=0", "min_n: want a whole number"},
		{"m=csat&compare=yes", "compare: want true or false"},
		{"m=csat&zone=Mars/Olympus", "zone: \\\"Mars/Olympus\\\" is not a time zone"},
		{"m=retention&by=intent", "cannot be sliced by intent"},
		{"m=csat&metric=csat", "metric: unknown parameter"},
	} {
		code, body := get(t, base+"/v1/metrics?"+tc.query)
		if code != 400 || !strings.Contains(string(body), `"code": "invalid"`) || !strings.Contains(string(body), tc.want) {
			t.Errorf("?%s: %d %s; want 400 with %s", tc.query, code, body, tc.want)
		}
	}
}

func TestGetMetricsRegistry(t *testing.T) {
	base := metricsServer(t, "")
	code, body := get(t, base+"/v1/metrics/registry")
	var rv api.RegistryView
	if err := json.Unmarshal(body, &rv); code != 200 || err != nil {
		t.Fatalf("%d %v %s", code, err, body)
	}
	if len(rv.Metrics) != len(metrics.Registry()) || len(rv.Dimensions) == 0 || rv.Defaults["min_n"] != metrics.DefaultMinN {
		t.Errorf("registry: %s", body)
	}
	for _, m := range rv.Metrics {
		if m.ID == "nps" && (m.Aggregate != "mean" || m.Over != "survey responses" || m.Better != "higher" || m.Term != "medium") {
			t.Errorf("nps: %+v", m)
		}
	}
}
