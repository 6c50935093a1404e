package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/store"
)

// helperEnv makes TestHelperProcess act: it is set only in the child
// process that TestKilledImportKeepsWholeBatches starts and kills.
const helperEnv = "NORTHSTAR_INGEST_HELPER"

// TestHelperProcess is not a test: in a child process it imports the file
// named by the environment into the store named there (HELPER_BULK=1: a
// store.BulkLoad one, readied for bulk work), printing "committed N" after
// every stored batch, until it is killed. With HELPER_HANG=1 it prints
// "imported" once Import returns and waits to be killed without closing the
// store.
func TestHelperProcess(t *testing.T) {
	if os.Getenv(helperEnv) != "1" {
		return
	}
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(2)
	}
	batch, err := strconv.Atoi(os.Getenv("HELPER_BATCH"))
	if err != nil {
		fail(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancelAfter, _ := strconv.Atoi(os.Getenv("HELPER_CANCEL_AFTER"))
	var opts []store.Option
	if os.Getenv("HELPER_BULK") == "1" {
		opts = append(opts, store.BulkLoad())
	}
	st, err := store.Open(ctx, "duckdb:"+os.Getenv("HELPER_DB"), opts...)
	if err != nil {
		fail(err)
	}
	if os.Getenv("HELPER_BULK") == "1" { // as northstar import readies it
		if _, err := st.BulkWork(ctx); err != nil {
			fail(err)
		}
	}
	o := testOptions()
	o.BatchSize = batch
	o.Progress = func(p Progress) {
		// os.Stdout is unbuffered: the parent sees each line as the batch commits.
		fmt.Printf("committed %d\n", p.Records)
		if cancelAfter > 0 && p.Records >= int64(cancelAfter) {
			cancel() // as Ctrl-C does
		}
	}
	if _, err := Import(ctx, st, []Source{FileSource(os.Getenv("HELPER_FILE"))}, o); err != nil && !(cancelAfter > 0 && errors.Is(err, context.Canceled)) {
		fail(err)
	}
	if os.Getenv("HELPER_HANG") == "1" {
		fmt.Println("imported")
		select {}
	}
	if err := st.Close(); err != nil {
		fail(err)
	}
	fmt.Println("done")
	os.Exit(0)
}

// killedImport runs TestHelperProcess over a generated file of n
// interactions and kills it (SIGKILL: no deferred cleanup runs) when it
// prints a line that stop accepts. It returns the database and the last
// number of records the helper said it committed.
func killedImport(t *testing.T, n, batch int, env []string, stop func(line string, committed int) bool) (db, file string, committed int) {
	t.Helper()
	file = generatedFile(t, n)
	db = filepath.Join(t.TempDir(), "n.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(append(os.Environ(), helperEnv+"=1", "HELPER_DB="+db, "HELPER_FILE="+file, "HELPER_BATCH="+strconv.Itoa(batch)), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "committed "); ok {
			if committed, err = strconv.Atoi(v); err != nil {
				t.Fatalf("helper printed %q", sc.Text())
			}
		}
		if stopped = stop(sc.Text(), committed); stopped {
			break
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	werr := cmd.Wait()
	if !stopped {
		t.Fatalf("helper ended after committing %d records without being stopped: %v\n%s", committed, werr, stderr.String())
	}
	return db, file, committed
}

// TestKilledImportKeepsWholeBatches kills an import with SIGKILL after it
// has acknowledged some batches, then checks that nothing acknowledged was
// lost, nothing half-written was kept, and that importing the file again
// completes it without duplicates. A bulk load acknowledges nothing before
// it returns: killed half-way it keeps what it checkpointed (here, before
// its first checkpoint, nothing) and the file is whole; killed once Import
// has returned, before the store is closed, it keeps everything.
func TestKilledImportKeepsWholeBatches(t *testing.T) {
	const n, batch, killAfter = 20000, 250, 4 * 250
	for _, tc := range []struct {
		name string
		bulk bool
	}{{"logged", false}, {"bulk", true}} {
		t.Run(tc.name, func(t *testing.T) {
			var env []string
			if tc.bulk {
				env = []string{"HELPER_BULK=1"}
			}
			db, file, acked := killedImport(t, n, batch, env, func(_ string, committed int) bool { return committed >= killAfter })
			if acked >= n {
				t.Fatalf("the import finished (%d records) before it was killed; make the file larger", acked)
			}
			st := openKilled(t, db)
			stored := checkWhole(t, st)
			t.Logf("committed %d, stored %d of %d when killed", acked, stored, n)
			// A bulk load acknowledges nothing before Import returns.
			if !tc.bulk && stored < acked {
				t.Errorf("stored %d interactions, fewer than the %d acknowledged", stored, acked)
			}
			// (A bulk load may split a batch where a row group fills; none
			// fills in this file.)
			if stored%batch != 0 {
				t.Errorf("stored %d interactions, not a whole number of %d-record batches", stored, batch)
			}
			rep := mustImport(t, st, testOptions(), file)
			tot := rep.Total()
			if tot.Read != n || tot.Rejected != 0 || tot.Unchanged != stored || tot.Inserted != n-stored {
				t.Errorf("re-import %+v; want %d read, %d unchanged, %d inserted (%v)", tot, n, stored, n-stored, rep.Problems)
			}
			if got := checkWhole(t, st); got != n {
				t.Errorf("after re-import %d interactions stored, want %d", got, n)
			}
		})
	}
	t.Run("bulk-returned", func(t *testing.T) {
		const n = 2000
		db, _, _ := killedImport(t, n, batch, []string{"HELPER_BULK=1", "HELPER_HANG=1"}, func(line string, _ int) bool { return line == "imported" })
		if got := checkWhole(t, openKilled(t, db)); got != n {
			t.Errorf("%d interactions stored after Import returned, want all %d", got, n)
		}
	})
	// Cancelled (Ctrl-C), a bulk load keeps every batch it committed.
	t.Run("bulk-cancelled", func(t *testing.T) {
		env := []string{"HELPER_BULK=1", "HELPER_HANG=1", "HELPER_CANCEL_AFTER=" + strconv.Itoa(killAfter)}
		db, _, committed := killedImport(t, n, batch, env, func(line string, _ int) bool { return line == "imported" })
		got := checkWhole(t, openKilled(t, db))
		t.Logf("committed %d, stored %d", committed, got)
		if got < committed || committed < killAfter || got >= n {
			t.Errorf("%d interactions stored after the import was cancelled having committed %d; want those", got, committed)
		}
	})
}

func openKilled(t *testing.T, db string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), "duckdb:"+db)
	if err != nil {
		t.Fatalf("open the killed import's database: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// checkWhole checks every stored interaction is whole and unique, and that
// its customer exists; it returns how many there are.
func checkWhole(t *testing.T, st *store.Store) int {
	t.Helper()
	ctx := context.Background()
	var total, distinct, orphans int
	err := st.DB().QueryRowContext(ctx, `SELECT count(*), count(DISTINCT source || '/' || ext_id) FROM interactions`).Scan(&total, &distinct)
	if err != nil {
		t.Fatal(err)
	}
	if distinct != total {
		t.Errorf("%d interactions but %d distinct keys: duplicates stored", total, distinct)
	}
	err = st.DB().QueryRowContext(ctx, `SELECT count(*) FROM interactions i LEFT JOIN customers c ON c.id = i.customer_id WHERE c.id IS NULL`).Scan(&orphans)
	if err != nil {
		t.Fatal(err)
	}
	if orphans != 0 {
		t.Errorf("%d interactions whose customer was not stored", orphans)
	}
	rows, err := st.DB().QueryContext(ctx, `SELECT ext_id, turns, CAST(body AS TEXT) FROM interactions`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	bad := 0
	for rows.Next() {
		var id, body string
		var turns int
		if err := rows.Scan(&id, &turns, &body); err != nil {
			t.Fatal(err)
		}
		var in cx.Interaction
		if err := json.Unmarshal([]byte(body), &in); err != nil || in.ID != id || len(in.Turns) != turns || turns != 10 {
			if bad++; bad <= 5 {
				t.Errorf("interaction %s is not whole: %d turns in the column, body %d turns (%v)", id, turns, len(in.Turns), err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return total
}
