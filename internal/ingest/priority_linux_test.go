package ingest

import (
	"sync"
	"syscall"
	"testing"

	"github.com/northstar-cx/northstar/internal/cx"
)

// niceOfThisThread is the calling thread's nice value. The raw syscall
// answers 20 − nice.
func niceOfThisThread(t *testing.T) int {
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		t.Fatal(err)
	}
	return 20 - p
}

// With WriterFirst the analysis runs on threads of lower priority than the
// writer's, and the import stores everything as it does without.
func TestWriterFirstLowersOnlyTheWorkers(t *testing.T) {
	path := writeTemp(t, "in.ndjson", []byte(lines(ix("I1"), ix("I2"), ix("I3"))))
	base := niceOfThisThread(t)
	for _, writerFirst := range []bool{false, true} {
		var mu sync.Mutex
		var nices []int
		o := testOptions()
		o.WriterFirst = writerFirst
		o.Analyze = func(*cx.Interaction) {
			mu.Lock()
			nices = append(nices, niceOfThisThread(t))
			mu.Unlock()
		}
		rep := mustImport(t, mustStore(t), o, path)
		if tot := rep.Total(); tot.Inserted != 3 {
			t.Fatalf("WriterFirst %v: %+v %v", writerFirst, tot, problemStrings(rep))
		}
		want := base
		if writerFirst {
			want = min(base+10, 19)
		}
		for _, n := range nices {
			if n != want {
				t.Errorf("WriterFirst %v: analysis ran at nice %d, want %d", writerFirst, n, want)
			}
		}
		if n := niceOfThisThread(t); n != base {
			t.Errorf("the caller's thread ended at nice %d: only the workers' threads may be lowered", n)
		}
	}
}
