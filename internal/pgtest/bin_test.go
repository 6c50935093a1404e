package pgtest

import (
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// fakeBinDir makes a dir holding the named files, executable or not.
func fakeBinDir(t *testing.T, mode os.FileMode, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("#!/bin/sh\n"), mode); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestBinDir(t *testing.T) {
	full := fakeBinDir(t, 0o755, "initdb", "postgres", "pg_ctl")
	other := fakeBinDir(t, 0o755, "initdb", "postgres")
	noServer := fakeBinDir(t, 0o755, "initdb")
	notExec := fakeBinDir(t, 0o644, "initdb", "postgres")
	missing := filepath.Join(t.TempDir(), "missing")
	noPgConfig := func() (string, error) { return "", errors.New("pg_config: not found") }
	notOnPath := func(string) (string, error) { return "", errors.New("not found") }

	tests := []struct {
		name    string
		env     string
		debian  string
		config  func() (string, error)
		path    func(string) (string, error)
		want    string
		wantErr string
	}{
		{"env wins", full, other, noPgConfig, notOnPath, full, ""},
		{"bad env is an error, not a fallback", noServer, full, noPgConfig, notOnPath, "", "NORTHSTAR_PG_BIN"},
		{"non-executable env is an error", notExec, full, noPgConfig, notOnPath, "", "not an executable"},
		{"debian dir", "", full, noPgConfig, notOnPath, full, ""},
		{"pg_config", "", missing, func() (string, error) { return other, nil }, notOnPath, other, ""},
		{"pg_config without a server falls to PATH", "", missing,
			func() (string, error) { return noServer, nil },
			func(string) (string, error) { return filepath.Join(full, "initdb"), nil }, full, ""},
		{"PATH", "", missing, noPgConfig, func(string) (string, error) { return filepath.Join(other, "initdb"), nil }, other, ""},
		{"nothing", "", missing, noPgConfig, notOnPath, "", "no PostgreSQL server binaries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := locator{
				getenv:   func(k string) string { return map[string]string{"NORTHSTAR_PG_BIN": tt.env}[k] },
				debian:   tt.debian,
				pgConfig: tt.config,
				lookPath: tt.path,
			}
			got, err := l.binDir()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("binDir() = %q, %v; want an error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("binDir() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestServerCredential(t *testing.T) {
	users := func(known ...*user.User) func(string) (*user.User, error) {
		return func(name string) (*user.User, error) {
			for _, u := range known {
				if u.Username == name {
					return u, nil
				}
			}
			return nil, user.UnknownUserError(name)
		}
	}
	postgres := &user.User{Username: "postgres", Uid: "101", Gid: "104"}
	nobody := &user.User{Username: "nobody", Uid: "65534", Gid: "65534"}
	tests := []struct {
		name    string
		euid    int
		lookup  func(string) (*user.User, error)
		want    *syscall.Credential
		wantErr bool
	}{
		{"not root runs as itself", 1000, users(postgres), nil, false},
		{"root uses postgres", 0, users(nobody, postgres), &syscall.Credential{Uid: 101, Gid: 104}, false},
		{"root falls back to nobody", 0, users(nobody), &syscall.Credential{Uid: 65534, Gid: 65534}, false},
		{"root without either user", 0, users(), nil, true},
		{"bad uid", 0, users(&user.User{Username: "postgres", Uid: "x", Gid: "1"}), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := serverCredential(tt.euid, tt.lookup)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			switch {
			case tt.want == nil && got != nil:
				t.Fatalf("credential %+v, want none", got)
			case tt.want != nil && (got == nil || got.Uid != tt.want.Uid || got.Gid != tt.want.Gid || len(got.Groups) != 0):
				t.Fatalf("credential %+v, want uid %d gid %d and no supplementary groups", got, tt.want.Uid, tt.want.Gid)
			}
		})
	}
}
