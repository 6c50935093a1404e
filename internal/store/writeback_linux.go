package store

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// writeBehind has the kernel start writing the file's dirty pages to disk
// every 50 ms until stop is called. A checkpoint writes hundreds of MB and
// then waits for all of them in one fsync, with the disk idle until then;
// written back as they come, most are on disk by the time the fsync asks
// (PostgreSQL's checkpoint_flush_after does the same). It only starts
// writes: durability still comes from the database's own fsync.
func writeBehind(path string) (stop func()) {
	f, err := os.Open(path)
	if err != nil {
		return func() {} // only the head start is lost
	}
	done, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				_ = unix.SyncFileRange(int(f.Fd()), 0, 0, unix.SYNC_FILE_RANGE_WRITE)
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
		f.Close()
	}
}
