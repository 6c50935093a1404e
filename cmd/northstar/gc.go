package main

import (
	"context"
	"os"
	"runtime/debug"

	"github.com/northstar-cx/northstar/internal/store"
)

// startBulkWork readies the process and the store for imports and
// re-analysis, which allocate many short-lived records: the garbage collector
// runs every 400% heap growth instead of 100% (measured 6% faster imports for
// about 40% more peak memory; GOGC, when set, wins), and the store gets the
// settings of store.BulkWork. The returned function restores the store's.
func startBulkWork(ctx context.Context, st *store.Store) (restore func(), err error) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	return st.BulkWork(ctx)
}
