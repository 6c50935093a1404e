package intent

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
)

func tinyModelBytes(tb testing.TB) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := mustTinyModel(tb).Save(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzLoad feeds Load arbitrary bytes: it must return a model or an error,
// never panic or allocate beyond what the input declares and holds.
func FuzzLoad(f *testing.F) {
	good := tinyModelBytes(f)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte(magic))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load(bytes.NewReader(data))
		if err == nil {
			checkLoaded(t, m)
		}
	})
}

// FuzzLoadPayload reaches the payload decoder behind a valid header and
// checksum, which random bytes almost never get past in FuzzLoad.
func FuzzLoadPayload(f *testing.F) {
	good := tinyModelBytes(f)
	payload := good[headerSize : len(good)-32]
	f.Add(slices.Clone(payload))
	f.Add(slices.Clone(payload[:40]))
	f.Add([]byte{3, 's', 'v', 'm', 9, 2, 4})
	f.Fuzz(func(t *testing.T, payload []byte) {
		m, err := Load(bytes.NewReader(seal(payload, formatVersion, 0.5)))
		if err == nil {
			checkLoaded(t, m)
		}
	})
}

// checkLoaded asserts a model that loaded without error works and survives
// another save and load unchanged.
func checkLoaded(t *testing.T, m *Model) {
	t.Helper()
	got, conf := m.Predict("where is my parcel")
	if got != Unknown && !slices.Contains(m.Intents(), got) {
		t.Fatalf("Predict answered %q, not an intent of the model", got)
	}
	if !(conf >= 0 && conf <= 1) {
		t.Fatalf("confidence %v outside [0, 1]", conf)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	again, err := Load(&buf)
	if err != nil {
		t.Fatalf("reloading a loaded model: %v", err)
	}
	if again.Version() != m.Version() {
		t.Fatalf("version changed on reload: %s → %s", m.Version(), again.Version())
	}
}

// FuzzPredict: any text gives a known intent or Unknown, a confidence in
// [0, 1], and the same answer twice.
func FuzzPredict(f *testing.F) {
	m := mustTinyModel(f)
	for _, s := range []string{"", "where is my parcel", "RESET PASWORD!!!", "日本語", "\xff\xfe", "a'b'c", strings.Repeat("cancel ", 500), "0\u0301\u200d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, conf := m.Predict(text)
		if got != Unknown && !slices.Contains(m.Intents(), got) {
			t.Fatalf("Predict(%q) = %q, not an intent", text, got)
		}
		if math.IsNaN(conf) || conf < 0 || conf > 1 {
			t.Fatalf("Predict(%q) confidence %v", text, conf)
		}
		if got2, conf2 := m.Predict(text); got2 != got || conf2 != conf {
			t.Fatalf("Predict(%q) not deterministic: %s %v then %s %v", text, got, conf, got2, conf2)
		}
	})
}

// FuzzReadExamples: arbitrary CSV gives examples with text and intent, or an
// error that names the file and a line.
func FuzzReadExamples(f *testing.F) {
	f.Add("text,intent\nhi,greet\n")
	f.Add("intent,text,x\ngreet,\"a\nb\",1\n")
	f.Add("text,intent\n\"unterminated,x\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, in string) {
		ex, err := ReadExamples(strings.NewReader(in), "f.csv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.csv:") {
				t.Fatalf("error %q does not start with the file name", err)
			}
			return
		}
		for _, e := range ex {
			if e.Text == "" || e.Intent == "" {
				t.Fatalf("empty field in %+v", e)
			}
		}
	})
}
