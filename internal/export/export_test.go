package export_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/northstar-cx/northstar/internal/export"
)

func keys(t *testing.T, dir, name string) (pub, priv string) {
	t.Helper()
	base := filepath.Join(dir, name)
	if _, err := export.GenerateKeys(base); err != nil {
		t.Fatal(err)
	}
	return base + ".pub", base + ".key"
}

func seal(t *testing.T, pubFile string, plain []byte) []byte {
	t.Helper()
	pub, err := export.ReadPublicKey(pubFile)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := export.NewWriter(&buf, pub, export.Header{Kind: "interactions", Format: "ndjson"})
	if err != nil {
		t.Fatal(err)
	}
	// Odd write sizes cross frame boundaries.
	for p := plain; len(p) > 0; {
		n := min(len(p), 7919)
		if _, err := w.Write(p[:n]); err != nil {
			t.Fatal(err)
		}
		p = p[n:]
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func open(privFile string, file []byte) ([]byte, error) {
	priv, err := export.ReadPrivateKey(privFile)
	if err != nil {
		return nil, err
	}
	r, err := export.NewReader(bytes.NewReader(file), priv)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	pub, priv := keys(t, dir, "analyst")
	if fi, err := os.Stat(priv); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("private key mode: %v %v", fi.Mode(), err)
	}
	for _, size := range []int{0, 1, export.ChunkSize - 1, export.ChunkSize, export.ChunkSize + 1, 3*export.ChunkSize + 17} {
		plain := make([]byte, size)
		rand.Read(plain)
		file := seal(t, pub, plain)
		if bytes.Contains(file, plain[:min(size, 64)]) && size >= 16 {
			t.Fatalf("size %d: plaintext visible in the file", size)
		}
		got, err := open(priv, file)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if !bytes.Equal(got, plain) {
			t.Fatalf("size %d: round trip differs (%d bytes back)", size, len(got))
		}
	}
}

func TestRejectsWrongKeyTamperingAndTruncation(t *testing.T) {
	dir := t.TempDir()
	pub, priv := keys(t, dir, "analyst")
	_, otherPriv := keys(t, dir, "someone-else")
	plain := bytes.Repeat([]byte(`{"key":{"source":"desk","id":"I1"},"channel":"chat"}`+"\n"), 5000) // ~3 frames
	file := seal(t, pub, plain)
	headerEnd := bytes.Index(file, []byte("}")) + 1

	flip := func(i int) []byte {
		b := bytes.Clone(file)
		b[i] ^= 0x01
		return b
	}
	cases := []struct {
		name string
		key  string
		file []byte
		want string
	}{
		{"wrong key", otherPriv, file, "not to this key"},
		{"header changed", priv, bytes.Replace(file, []byte(`"kind":"interactions"`), []byte(`"kind":"metrics"     `), 1), "authentication"},
		{"encapsulation changed", priv, flip(headerEnd + 10), "authentication"},
		{"first frame changed", priv, flip(headerEnd + 2 + 1120 + 5 + 100), "authentication"},
		{"last byte changed", priv, flip(len(file) - 1), "authentication"},
		{"final frame cut off", priv, file[:len(file)-(len(plain)%export.ChunkSize)-16-5], "authentication"},
		{"cut mid-frame", priv, file[:len(file)-10], "authentication"},
		{"cut after the header", priv, file[:headerEnd+2+1120], "authentication"},
		{"data after the final frame", priv, append(bytes.Clone(file), 0), "authentication"},
		{"not an export", priv, []byte("hello world"), "not a Northstar export"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := open(tc.key, tc.file)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v (%d bytes out), want %q", err, len(got), tc.want)
			}
			if strings.Contains(tc.want, "authentication") && !errors.Is(err, export.ErrTampered) {
				t.Errorf("err = %v, want ErrTampered", err)
			}
		})
	}
}

func TestReaderReleasesOnlyAuthenticatedFrames(t *testing.T) {
	dir := t.TempDir()
	pub, priv := keys(t, dir, "analyst")
	plain := bytes.Repeat([]byte("x"), 2*export.ChunkSize+5)
	file := seal(t, pub, plain)
	file[len(file)-1] ^= 1 // the final frame is bad
	k, err := export.ReadPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	r, err := export.NewReader(bytes.NewReader(file), k)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(r)
	if !errors.Is(err, export.ErrTampered) || len(got) != 2*export.ChunkSize {
		t.Fatalf("read %d bytes, err %v; want the two good frames then ErrTampered", len(got), err)
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"q3.nsx", true}, {"out/q3.nsx", true}, {"/tmp/q3.nsx", true},
		{"../q3.nsx", false}, {"out/../../etc/passwd", false}, {`..\q3`, false}, {"", false}, {"a\nb", false},
	} {
		if err := export.ValidName(tc.name); (err == nil) != tc.ok {
			t.Errorf("ValidName(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"q3.nsx", true}, {"sub/q3.nsx", false}, {"../q3.nsx", false}, {".hidden", false}, {"/etc/passwd", false},
	} {
		p, err := export.InDir(dir, tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("InDir(%q) = %q, %v; want ok=%v", tc.name, p, err, tc.ok)
		}
		if err == nil && filepath.Dir(p) != dir {
			t.Errorf("InDir(%q) = %q, outside %s", tc.name, p, dir)
		}
	}
	// keygen validates its name too, and never overwrites.
	if _, err := export.GenerateKeys(dir + "/../x"); err == nil {
		t.Error("keygen accepted a name with ..")
	}
	base := filepath.Join(dir, "k")
	if _, err := export.GenerateKeys(base); err != nil {
		t.Fatal(err)
	}
	if _, err := export.GenerateKeys(base); err == nil {
		t.Error("keygen overwrote a key pair")
	}
}
