package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/northstar-cx/northstar/internal/analysis"
	"github.com/northstar-cx/northstar/internal/analysis/intent"
	"github.com/northstar-cx/northstar/internal/api"
	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/demo"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/ingest"
	"github.com/northstar-cx/northstar/internal/insight"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/store"
)

// insightsServer serves the real API over a small demo world imported with
// the full analysis pipeline (intents from a model trained on the world's
// examples, as `northstar demo` does), with an insight service that caches.
func insightsServer(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := demo.Write(ctx, dir, demo.Config{Seed: 11, Customers: 400, Days: 60}, nil); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, demo.IntentsTrainFile))
	if err != nil {
		t.Fatal(err)
	}
	ex, err := intent.ReadExamples(f, demo.IntentsTrainFile)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	m, err := intent.Train(ex, intent.TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	m.SetThreshold(0.5)
	model := filepath.Join(dir, "intents.model")
	mf, err := os.Create(model)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Save(mf); err != nil {
		t.Fatal(err)
	}
	mf.Close()
	pipe, err := analysis.New(analysis.Options{Redact: true, Region: "GB", IntentModel: model})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, "duckdb:"+filepath.Join(dir, "n.db"), store.WithKeyFile(filepath.Join(dir, "data.key")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	var srcs []ingest.Source
	for _, name := range demo.WorldFiles() {
		srcs = append(srcs, ingest.FileSource(filepath.Join(dir, name)))
	}
	norm := identity.Normalizer{Region: "GB"}
	if _, err := ingest.Import(ctx, st, srcs, ingest.Options{Normalizer: norm, Analyze: pipe.Analyze}); err != nil {
		t.Fatal(err)
	}
	a := &api.API{Store: st, Normalizer: norm, Analyze: pipe.Analyze, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	a.Insights = insight.NewService(st.DB(), metrics.NewSQL(st))
	a.Insights.Log = nil
	mux := http.NewServeMux()
	for _, r := range a.Routes() {
		mux.Handle(r.Pattern, r.Handler)
	}
	// A principal bound to a partner when the test asks for one, as the
	// authentication guard would put it on the request.
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pr := &auth.Principal{ID: "user:analyst", Name: "analyst", Role: auth.RoleAnalyst}
		if p := r.Header.Get("X-Test-Partner"); p != "" {
			pr = &auth.Principal{ID: "user:bpo", Name: "bpo", Role: auth.RolePartnerManager, Partner: p}
		}
		r = r.WithContext(auth.WithPrincipal(r.Context(), pr))
		mux.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func getAs(t *testing.T, u, partner string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if partner != "" {
		req.Header.Set("X-Test-Partner", partner)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func TestInsightsEndpoints(t *testing.T) {
	base := insightsServer(t)
	for _, tc := range []struct {
		name, path string
		status     int
		says       string // in the body
	}{
		{"automation", "/v1/insights/automation", 200, `"recommendation"`},
		{"automation in a period", "/v1/insights/automation?from=2026-09-01&to=2026-10-01", 200, `"from": "2026-09-01T00:00:00Z"`},
		{"value", "/v1/insights/value", 200, `"statements"`},
		{"value shows its queries", "/v1/insights/value", 200, `GROUPING SETS`},
		{"portfolio", "/v1/portfolio?focus=profit_protection", 200, `"cost_to_serve"`},
		{"portfolio needs a focus", "/v1/portfolio", 400, "focus: required"},
		{"unknown focus", "/v1/portfolio?focus=moonshot", 400, "growth, profit_protection"},
		{"half a period", "/v1/insights/value?from=2026-09-01", 400, "both from and to"},
		{"bad date", "/v1/insights/automation?from=yesterday&to=2026-10-01", 400, "from: want a date"},
		{"empty period", "/v1/insights/automation?from=2026-10-01&to=2026-09-01", 400, "is empty"},
		{"unknown parameter", "/v1/insights/automation?by=intent", 400, "by: unknown parameter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := getAs(t, base+tc.path, "")
			if code != tc.status || !strings.Contains(string(body), tc.says) {
				t.Errorf("GET %s: %d, want %d with %q:\n%.600s", tc.path, code, tc.status, tc.says, body)
			}
		})
	}

	t.Run("partner scope", func(t *testing.T) {
		var all, scoped insight.ValueReport
		_, b := getAs(t, base+"/v1/insights/value", "")
		json.Unmarshal(b, &all)
		_, b = getAs(t, base+"/v1/insights/value", "Northwind BPO")
		json.Unmarshal(b, &scoped)
		if scoped.Customers == 0 || scoped.Customers >= all.Customers {
			t.Errorf("Northwind BPO sees %d customers, everyone %d", scoped.Customers, all.Customers)
		}
	})

	t.Run("value is cached until an ingest", func(t *testing.T) {
		var r1, r2, r3 insight.ValueReport
		_, b := getAs(t, base+"/v1/insights/value", "")
		json.Unmarshal(b, &r1)
		_, b = getAs(t, base+"/v1/insights/value", "")
		json.Unmarshal(b, &r2)
		if !r1.Computed.Equal(r2.Computed) {
			t.Errorf("second call recomputed: %s then %s", r1.Computed, r2.Computed)
		}
		resp, err := http.Post(base+"/v1/ingest", "application/x-ndjson", strings.NewReader(
			`{"type":"customer","id":"C-NEW","identities":{"email":"new@example.com"},"segment":"family"}`+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("ingest: %d", resp.StatusCode)
		}
		_, b = getAs(t, base+"/v1/insights/value", "")
		json.Unmarshal(b, &r3)
		if r3.Computed.Equal(r1.Computed) {
			t.Error("value linkage still served from memory after an ingest")
		}
	})
}
