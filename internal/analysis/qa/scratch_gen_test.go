package qa

import (
	"context"
	"os"
	"testing"

	"github.com/northstar-cx/northstar/internal/demo"
)

func TestScratchGen(t *testing.T) {
	dir := os.Getenv("QA_GEN_DIR")
	if dir == "" {
		t.Skip()
	}
	if _, err := demo.Write(context.Background(), dir, demo.Config{Seed: 7, Customers: 300, Days: 30}, nil); err != nil {
		t.Fatal(err)
	}
}
