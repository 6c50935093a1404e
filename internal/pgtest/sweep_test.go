package pgtest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSweepStale(t *testing.T) {
	const live, dead = 100, 200
	alive := func(pid int) bool { return pid == live }
	tests := []struct {
		name       string
		owner      string // owner.pid content; "" writes no file
		postmaster string // data/postmaster.pid content; "" writes no file
		removed    bool
	}{
		{"dead owner, no server", "200", "", true},
		{"dead owner, dead server", "200\n", "200\n/tmp/x\n", true},
		{"dead owner, live server", "200", "100\n/tmp/x\n", false},
		{"live owner", "100", "", false},
		{"no owner file", "", "", false},
		{"garbage owner file", "not a pid", "", false},
	}
	root := t.TempDir()
	dirs := make([]string, len(tests))
	for i, tt := range tests {
		dir, err := os.MkdirTemp(root, dirPrefix)
		if err != nil {
			t.Fatal(err)
		}
		dirs[i] = dir
		if tt.owner != "" {
			if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(tt.owner), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Mkdir(filepath.Join(dir, "data"), 0o700); err != nil {
			t.Fatal(err)
		}
		if tt.postmaster != "" {
			if err := os.WriteFile(filepath.Join(dir, "data", "postmaster.pid"), []byte(tt.postmaster), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	unrelated := filepath.Join(root, "someone-else")
	if err := os.Mkdir(unrelated, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(unrelated, ownerFile), []byte("200"), 0o644); err != nil {
		t.Fatal(err)
	}

	n, err := sweepStale(root, alive)
	if err != nil {
		t.Fatalf("sweepStale: %v", err)
	}
	want := 0
	for i, tt := range tests {
		_, statErr := os.Stat(dirs[i])
		if gone := os.IsNotExist(statErr); gone != tt.removed {
			t.Errorf("%s: removed = %v, want %v", tt.name, gone, tt.removed)
		}
		if tt.removed {
			want++
		}
	}
	if n != want {
		t.Errorf("sweepStale reported %d removed, want %d", n, want)
	}
	if _, err := os.Stat(unrelated); err != nil {
		t.Errorf("a dir without the prefix was touched: %v", err)
	}
}

func TestProcessAlive(t *testing.T) {
	if !processAlive(os.Getpid()) {
		t.Error("this process is reported dead")
	}
	// Far above any pid_max, so no process can have it.
	if processAlive(1 << 30) {
		t.Error("a pid no process can have is reported alive")
	}
}
