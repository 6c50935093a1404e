package web_test

import (
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/analysis"
	"github.com/northstar-cx/northstar/internal/analysis/intent"
	"github.com/northstar-cx/northstar/internal/auth"
	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/demo"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/ingest"
	"github.com/northstar-cx/northstar/internal/metrics"
	"github.com/northstar-cx/northstar/internal/metrics/memory"
	"github.com/northstar-cx/northstar/internal/store"
	"github.com/northstar-cx/northstar/internal/web"
)

// world is a generated demo world imported through the real path (demo →
// NDJSON files → ingest with the full analysis pipeline → DuckDB), shared
// by the tests of one run.
type world struct {
	dir   string
	st    *store.Store
	truth *demo.Truth
	// link is one customer the world reaches through two identities that a
	// later contact merged.
	link demo.IdentityLink
}

var (
	worldOnce sync.Once
	theWorld  *world
	worldErr  error
)

// demoWorld builds (once per test binary) a small world: 1,500 customers
// over 60 days, about 8,000 contacts.
func demoWorld(t testing.TB) *world {
	t.Helper()
	worldOnce.Do(func() {
		dir, err := os.MkdirTemp("", "northstar-web-")
		if err != nil {
			worldErr = err
			return
		}
		theWorld, worldErr = buildWorld(dir, demo.Config{Seed: 42, Customers: 1500, Days: 60})
	})
	if worldErr != nil {
		t.Fatalf("demo world: %v", worldErr)
	}
	return theWorld
}

func buildWorld(dir string, cfg demo.Config) (*world, error) {
	ctx := context.Background()
	truth, err := demo.Write(ctx, dir, cfg, nil)
	if err != nil {
		return nil, err
	}
	// The brand's intent model, trained on the world's examples as
	// `northstar demo` does.
	f, err := os.Open(filepath.Join(dir, demo.IntentsTrainFile))
	if err != nil {
		return nil, err
	}
	ex, err := intent.ReadExamples(f, demo.IntentsTrainFile)
	f.Close()
	if err != nil {
		return nil, err
	}
	m, err := intent.Train(ex, intent.TrainOptions{})
	if err != nil {
		return nil, err
	}
	m.SetThreshold(0.5)
	modelPath := filepath.Join(dir, "intents.model")
	mf, err := os.Create(modelPath)
	if err != nil {
		return nil, err
	}
	if err := m.Save(mf); err != nil {
		return nil, err
	}
	mf.Close()
	card := filepath.Join(dir, "scorecard.yaml")
	if err := os.WriteFile(card, demo.Scorecard(), 0o644); err != nil {
		return nil, err
	}
	pipe, err := analysis.New(analysis.Options{Redact: true, Region: "GB", IntentModel: modelPath, IntentThreshold: 0.5, Scorecard: card})
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, "duckdb:"+filepath.Join(dir, "northstar.db"))
	if err != nil {
		return nil, err
	}
	var sources []ingest.Source
	for _, f := range demo.WorldFiles() {
		sources = append(sources, ingest.FileSource(filepath.Join(dir, f)))
	}
	if _, err := ingest.Import(ctx, st, sources, ingest.Options{Normalizer: identity.Normalizer{Region: "GB"}, Analyze: pipe.Analyze}); err != nil {
		return nil, err
	}
	w := &world{dir: dir, st: st, truth: truth}
	// A merged customer: truth-identities.csv lists every link.
	lf, err := os.Open(filepath.Join(dir, demo.TruthIdentityFile))
	if err != nil {
		return nil, err
	}
	defer lf.Close()
	recs, err := csv.NewReader(lf).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) > 1 {
		r := recs[1]
		w.link = demo.IdentityLink{Customer: r[0], Email: r[1], AltKind: r[2], AltValue: r[3]}
	}
	return w, nil
}

// dashboard is the dashboard over the world, as `northstar serve` builds it.
// Metric numbers come from the SQL reference source, or from the fast
// in-memory source when NORTHSTAR_WEB_SOURCE=memory.
func (w *world) dashboard() *web.Handler {
	var src metrics.Source = metrics.NewSQL(w.st)
	if os.Getenv("NORTHSTAR_WEB_SOURCE") == "memory" {
		m, err := memory.Load(context.Background(), w.st)
		if err != nil {
			panic(err)
		}
		src = m
	}
	return &web.Handler{Store: w.st, Metrics: src, Normalizer: identity.Normalizer{Region: "GB"},
		Log: slog.New(slog.NewTextHandler(logOut(), nil)), Now: func() time.Time { return demo.DefaultEnd() }}
}

// handler is the dashboard as a signed-in analyst sees it.
func (w *world) handler() http.Handler { return signedIn(w.dashboard()) }

// signedIn puts an analyst on requests that carry no principal, as the
// authentication guard would after sign-in: the pages read the scope of the
// request's principal and show nothing without one.
func signedIn(h http.Handler) http.Handler {
	analyst := &auth.Principal{ID: "user:analyst", Name: "analyst", Role: auth.RoleAnalyst}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := auth.FromContext(r.Context()); !ok {
			r = r.WithContext(auth.WithPrincipal(r.Context(), analyst))
		}
		h.ServeHTTP(w, r)
	})
}

// logOut is where the dashboard logs in tests: nowhere, unless
// NORTHSTAR_WEB_LOG is set (to see why a page failed).
func logOut() io.Writer {
	if os.Getenv("NORTHSTAR_WEB_LOG") != "" {
		return os.Stderr
	}
	return io.Discard
}

// get fetches path from h and returns status and body.
func get(t testing.TB, h http.Handler, path string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

var (
	scopeAll = cx.Scope{}
	listAll  = store.ListFilter{}
)

// TestMain removes the shared world after the run.
func TestMain(m *testing.M) {
	code := m.Run()
	if theWorld != nil {
		theWorld.st.Close()
		os.RemoveAll(theWorld.dir)
	}
	os.Exit(code)
}
