package qa

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
)

func TestWords(t *testing.T) {
	tests := []struct {
		text string
		want string // words as found in the text, separated by |
	}{
		{"Hello, world!", "Hello|world"},
		{"that's can’t customers' 'quoted'", "that's|can’t|customers|quoted"},
		{"Café crème — brûlée", "Café|crème|brûlée"},
		{"24/7 £12.50 A1", "24|7|12|50|A1"},
		{"  ", ""},
		{"don't'", "don't"},
		{"ÀÉÎ ÕÜ", "ÀÉÎ|ÕÜ"},
		{"日本語のテキスト", "日本語のテキスト"},
		{"a\u00a0b", "a|b"},
		{"\xff\xfeok", "ok"},
	}
	s := newPhraseSet()
	s.finish()
	for _, tt := range tests {
		var got []string
		for _, w := range s.words(nil, tt.text) {
			got = append(got, tt.text[w.start:w.end])
		}
		if strings.Join(got, "|") != tt.want {
			t.Errorf("words(%q) = %q, want %q", tt.text, strings.Join(got, "|"), tt.want)
		}
		// The fused fast path must agree with nextWord, the reference.
		var ref []string
		for i := 0; ; {
			start, end, ok := nextWord(tt.text, i)
			if !ok {
				break
			}
			ref = append(ref, tt.text[start:end])
			i = end
		}
		if strings.Join(ref, "|") != tt.want {
			t.Errorf("nextWord over %q = %q, want %q", tt.text, strings.Join(ref, "|"), tt.want)
		}
	}
}

func TestLowerHashMatchesLowerWord(t *testing.T) {
	for _, w := range []string{"Hello", "CAFÉ", "can’t", "ǅungla", "straße", strings.Repeat("A", 64), strings.Repeat("é", 40)} {
		var b1, b2 [maxWord]byte
		n1, ok1 := lowerWord(&b1, w)
		n2, h, ok2 := lowerHash(&b2, w)
		if ok1 != ok2 || ok1 && string(b1[:n1]) != string(b2[:n2]) {
			t.Errorf("%q: lowerWord %q %v, lowerHash %q %v", w, b1[:n1], ok1, b2[:n2], ok2)
		}
		if ok1 {
			var b3 [maxWord]byte
			_, h2, _ := lowerHash(&b3, string(b1[:n1]))
			if h != h2 {
				t.Errorf("%q: hash differs from the hash of its lower-cased form", w)
			}
		}
	}
}

// TestScanAllMatches: every phrase ending at every word is reported, even
// when one phrase is a prefix or a suffix of another.
func TestScanAllMatches(t *testing.T) {
	s := newPhraseSet()
	lists := [][]string{{"thank you", "thank you for calling"}, {"you for"}, {"calling"}, {"CAFÉ crème"}}
	for i, l := range lists {
		for _, p := range l {
			if _, err := s.add(int32(i), p); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.finish()
	text := "Thank you for calling. café CRÈME, thank-you"
	hits, _ := s.scan(nil, nil, 3, text)
	var got []string
	for _, h := range hits {
		if h.turn != 3 {
			t.Fatalf("turn %d", h.turn)
		}
		got = append(got, fmt.Sprintf("%s=%q", s.phrase[h.phrase].text, text[h.start:h.end]))
	}
	want := `thank you="Thank you" thank you for calling="Thank you for calling" you for="you for" calling="calling" ` +
		`CAFÉ crème="café CRÈME" thank you="thank-you"`
	if strings.Join(got, " ") != want {
		t.Errorf("hits\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
}

// TestUnicodeFoldOrbits guards appendLower's assumption that only the
// Kelvin sign and the long s fold to ASCII letters.
func TestUnicodeFoldOrbits(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < 0x80 && r != '\u212A' && r != '\u017F' {
				t.Errorf("%U folds to ASCII %q: appendLower must refuse it", r, f)
			}
		}
	}
}
