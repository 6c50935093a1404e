package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLoadLayersFileEnvFlags(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "northstar.yaml")
	os.WriteFile(file, []byte("db: postgres://ns:s3cret@db.internal/ns\nregion: US\nrepeat-window: 3d\n"), 0o600)
	env := map[string]string{"NORTHSTAR_REGION": "IE", "NORTHSTAR_ADDR": "0.0.0.0:9000"}
	c, err := Load(file, func(k string) string { return env[k] }, map[string]string{"addr": "127.0.0.1:7000"})
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "postgres://ns:s3cret@db.internal/ns" || c.Region != "IE" || c.Addr != "127.0.0.1:7000" || c.RepeatWindow != 72*time.Hour || !c.Redact {
		t.Errorf("config = %+v", c)
	}
	for _, kv := range c.Show() {
		if strings.Contains(kv[1], "s3cret") {
			t.Errorf("config show leaks the password: %v", kv)
		}
		if kv[0] == "db" && kv[1] != "postgres://****@db.internal/ns" {
			t.Errorf("masked db = %q", kv[1])
		}
	}
}

func TestLoadErrorsSayWhere(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "bad.yaml")
	os.WriteFile(file, []byte("colour: blue\n"), 0o600)
	none := func(string) string { return "" }
	for _, tt := range []struct {
		path  string
		env   map[string]string
		flags map[string]string
		want  string
	}{
		{file, nil, nil, `unknown key "colour"`},
		{"", map[string]string{"NORTHSTAR_REDACT": "maybe"}, nil, "NORTHSTAR_REDACT: want true or false"},
		{"", nil, map[string]string{"repeat-window": "soon"}, "--repeat-window: want a duration"},
		{"", nil, map[string]string{"time-zone": "Mars/Base"}, "time-zone"},
		{filepath.Join(dir, "missing.yaml"), nil, nil, "no such file"},
	} {
		get := none
		if tt.env != nil {
			get = func(k string) string { return tt.env[k] }
		}
		_, err := Load(tt.path, get, tt.flags)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%q, %v, %v) err = %v, want %q", tt.path, tt.env, tt.flags, err, tt.want)
		}
	}
}
