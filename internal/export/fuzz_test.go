package export_test

import (
	"bytes"
	"crypto/hpke"
	"io"
	"testing"

	"github.com/northstar-cx/northstar/internal/export"
)

// FuzzReader feeds the decrypting reader altered extracts. The key is
// derived from a fixed seed, so every fuzzing process can open the seed
// corpus. Whatever the input, the reader must not panic, and it may only
// ever return the plaintext that was sealed: anything else is an error.
func FuzzReader(f *testing.F) {
	priv, err := hpke.MLKEM768X25519().DeriveKeyPair(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		f.Fatal(err)
	}
	plain := bytes.Repeat([]byte(`{"source":"s","id":"I1","channel":"chat"}`+"\n"), 4000) // over two frames
	for _, p := range [][]byte{plain, nil, plain[:100]} {
		var buf bytes.Buffer
		w, err := export.NewWriter(&buf, priv.PublicKey(), export.Header{Kind: "interactions", Format: "ndjson"})
		if err != nil {
			f.Fatal(err)
		}
		w.Write(p)
		if err := w.Close(); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte("NSX1"))
	f.Add([]byte("NSX1\x00\x05{}{}{"))
	f.Fuzz(func(t *testing.T, file []byte) {
		r, err := export.NewReader(bytes.NewReader(file), priv)
		if err != nil {
			return
		}
		got, err := io.ReadAll(r)
		if err != nil {
			return
		}
		if !bytes.Equal(got, plain) && len(got) != 0 && !bytes.Equal(got, plain[:100]) {
			t.Fatalf("the reader accepted an altered extract: %d bytes back", len(got))
		}
	})
}
