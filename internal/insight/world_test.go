package insight_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/northstar-cx/northstar/internal/analysis"
	"github.com/northstar-cx/northstar/internal/analysis/intent"
	"github.com/northstar-cx/northstar/internal/demo"
	"github.com/northstar-cx/northstar/internal/identity"
	"github.com/northstar-cx/northstar/internal/ingest"
	"github.com/northstar-cx/northstar/internal/pgtest"
	"github.com/northstar-cx/northstar/internal/store"
)

// world is a generated demo world imported through the real import path
// (intent model trained as `northstar demo` trains it, full analysis) into
// a DuckDB file, shared by the tests of this package.
type world struct {
	dir   string
	st    *store.Store
	truth demo.Truth
}

var (
	worldOnce sync.Once
	theWorld  *world
	worldErr  error
	worldDir  string
)

func TestMain(m *testing.M) {
	code := pgtest.Main(m)
	if theWorld != nil {
		theWorld.st.Close()
	}
	if worldDir != "" {
		os.RemoveAll(worldDir)
	}
	os.Exit(code)
}

// demoCustomers sizes the shared world: big enough that every intent the
// truth names has a few hundred contacts, small enough to build in seconds.
const demoCustomers = 3000

func demoWorld(t testing.TB) *world {
	t.Helper()
	worldOnce.Do(func() {
		worldDir, worldErr = os.MkdirTemp("", "insight-world-")
		if worldErr != nil {
			return
		}
		theWorld, worldErr = buildWorld(worldDir, demo.Config{Seed: 42, Customers: demoCustomers, Days: 90})
	})
	if worldErr != nil {
		t.Fatalf("demo world: %v", worldErr)
	}
	return theWorld
}

func buildWorld(dir string, cfg demo.Config) (*world, error) {
	ctx := context.Background()
	pipe, truth, err := writeWorld(dir, cfg)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, "duckdb:"+filepath.Join(dir, "northstar.db"), store.WithKeyFile(filepath.Join(dir, "data.key")))
	if err != nil {
		return nil, err
	}
	if err := importWorld(ctx, st, dir, pipe); err != nil {
		st.Close()
		return nil, err
	}
	return &world{dir: dir, st: st, truth: *truth}, nil
}

// writeWorld generates the world's files in dir and the analysis pipeline
// `northstar demo` would build for it: the intent model trained on the
// world's examples (threshold 0.5, as trainDemoIntents sets) and the
// brand's scorecard.
func writeWorld(dir string, cfg demo.Config) (*analysis.Pipeline, *demo.Truth, error) {
	if _, err := demo.Write(context.Background(), dir, cfg, nil); err != nil {
		return nil, nil, err
	}
	f, err := os.Open(filepath.Join(dir, demo.IntentsTrainFile))
	if err != nil {
		return nil, nil, err
	}
	ex, err := intent.ReadExamples(f, demo.IntentsTrainFile)
	f.Close()
	if err != nil {
		return nil, nil, err
	}
	m, err := intent.Train(ex, intent.TrainOptions{})
	if err != nil {
		return nil, nil, err
	}
	m.SetThreshold(0.5)
	modelPath := filepath.Join(dir, "intents.model")
	mf, err := os.Create(modelPath)
	if err != nil {
		return nil, nil, err
	}
	if err := m.Save(mf); err != nil {
		mf.Close()
		return nil, nil, err
	}
	if err := mf.Close(); err != nil {
		return nil, nil, err
	}
	scorecard := filepath.Join(dir, "scorecard.yaml")
	if err := os.WriteFile(scorecard, demo.Scorecard(), 0o644); err != nil {
		return nil, nil, err
	}
	pipe, err := analysis.New(analysis.Options{Redact: true, Region: "GB", IntentModel: modelPath, Scorecard: scorecard})
	if err != nil {
		return nil, nil, err
	}
	// Read truth.json back as a consumer would, to test what is published.
	b, err := os.ReadFile(filepath.Join(dir, demo.TruthFile))
	if err != nil {
		return nil, nil, err
	}
	var t demo.Truth
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, nil, err
	}
	return pipe, &t, nil
}

// importWorld imports the world's files through the real import path.
func importWorld(ctx context.Context, st *store.Store, dir string, pipe *analysis.Pipeline) error {
	var sources []ingest.Source
	for _, name := range demo.WorldFiles() {
		sources = append(sources, ingest.FileSource(filepath.Join(dir, name)))
	}
	_, err := ingest.Import(ctx, st, sources, ingest.Options{Normalizer: identity.Normalizer{Region: "GB"}, Analyze: pipe.Analyze})
	return err
}
