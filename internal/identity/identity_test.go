package identity

import (
	"testing"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
)

func TestNormalize(t *testing.T) {
	n := Normalizer{Region: "GB"}
	tests := []struct {
		kind    cx.IdentityKind
		in, out string
		wantErr bool
	}{
		{cx.IdentityEmail, " Ana@Example.COM ", "ana@example.com", false},
		{cx.IdentityEmail, "not-an-email", "", true},
		{cx.IdentityEmail, "a b@example.com", "", true},
		{cx.IdentityPhone, "+44 7700 900123", "+447700900123", false},
		{cx.IdentityPhone, "07700 900123", "+447700900123", false},
		{cx.IdentityPhone, "0044 7700-900-123", "+447700900123", false},
		{cx.IdentityPhone, "(020) 7946 0958", "+442079460958", false},
		{cx.IdentityPhone, "+1 415 555 0132", "+14155550132", false},
		{cx.IdentityPhone, "12", "", true},
		{cx.IdentityPhone, "call me", "", true},
		{cx.IdentityHandle, "Ana_S", "@ana_s", false},
		{cx.IdentityHandle, "@Ana_S", "@ana_s", false},
		{cx.IdentityID, " C1001 ", "C1001", false},
		{cx.IdentityID, "  ", "", true},
	}
	// A memo answers as the plain normaliser does, the second time from memory.
	memo := n.Memo()
	for _, norm := range []struct {
		name string
		n    Normalizer
	}{{"plain", n}, {"memo", memo}, {"memo again", memo}} {
		for _, tt := range tests {
			got, err := norm.n.Normalize(tt.kind, tt.in)
			if (err != nil) != tt.wantErr || got != tt.out {
				t.Errorf("%s: Normalize(%s, %q) = %q, %v; want %q, err=%v", norm.name, tt.kind, tt.in, got, err, tt.out, tt.wantErr)
			}
		}
	}
	// The same number spaced another way is found in the memo, not parsed again.
	if got, err := memo.Normalize(cx.IdentityPhone, "07700.900.123"); err != nil || got != "+447700900123" {
		t.Errorf("memo: Normalize(phone, 07700.900.123) = %q, %v", got, err)
	}
	if len(memo.phones) != 7 {
		t.Errorf("memo holds %d phone numbers, want the 7 of the table", len(memo.phones))
	}
}

func TestParseRef(t *testing.T) {
	n := Normalizer{Region: "GB"}
	for in, want := range map[string]cx.Identity{
		"C1001":                 {Kind: cx.IdentityID, Value: "C1001"},
		"email:Ana@example.com": {Kind: cx.IdentityEmail, Value: "ana@example.com"},
		"phone:07700900123":     {Kind: cx.IdentityPhone, Value: "+447700900123"},
		"handle:@ana_s":         {Kind: cx.IdentityHandle, Value: "@ana_s"},
	} {
		got, err := n.ParseRef(in)
		if err != nil || got != want {
			t.Errorf("ParseRef(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := n.ParseRef("email:nope"); cx.ErrorCode(err) != cx.EINVALID {
		t.Errorf("ParseRef(email:nope) err = %v, want invalid", err)
	}
}

func TestResolveCreatesAccumulatesAndMerges(t *testing.T) {
	x := NewIndex(1)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	email := cx.Identity{Kind: cx.IdentityEmail, Value: "ana@example.com"}
	phone := cx.Identity{Kind: cx.IdentityPhone, Value: "+447700900123"}
	handle := cx.Identity{Kind: cx.IdentityHandle, Value: "@ana_s"}

	a := x.Resolve([]cx.Identity{email}, "r1", at)
	if !a.Created || a.Customer != 1 || len(a.NewIdentities) != 1 {
		t.Fatalf("first record: %+v", a)
	}
	b := x.Resolve([]cx.Identity{phone}, "r2", at)
	if !b.Created || b.Customer != 2 {
		t.Fatalf("second record: %+v", b)
	}
	// The same email again: nothing new.
	if r := x.Resolve([]cx.Identity{email}, "r3", at); r.Created || r.Customer != 1 || len(r.NewIdentities) != 0 || len(r.Merges) != 0 {
		t.Fatalf("repeat: %+v", r)
	}
	// A record naming both merges customer 2 into the older customer 1.
	m := x.Resolve([]cx.Identity{phone, email, handle}, "r4", at)
	if m.Customer != 1 || len(m.Merges) != 1 || m.Merges[0].Merged != 2 || m.Merges[0].Identity != phone || m.Merges[0].Record != "r4" {
		t.Fatalf("merge: %+v", m)
	}
	if len(m.NewIdentities) != 1 || m.NewIdentities[0] != handle {
		t.Fatalf("merge should add only the handle: %+v", m.NewIdentities)
	}
	for _, id := range []cx.Identity{email, phone, handle} {
		if c, ok := x.Lookup(id); !ok || c != 1 {
			t.Errorf("Lookup(%v) = %d, %v; want 1", id, c, ok)
		}
	}
	if x.Canonical(2) != 1 {
		t.Errorf("Canonical(2) = %d", x.Canonical(2))
	}
}

// FuzzNormalizePhone: a memo answers as the plain normaliser does, however
// the number is written, and neither panics.
func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"+44 7700 900123", "07700-900-123", "0044 7700.900.123", "(020) 7946 0958", "+44 (0)7770 420226", "0 044 7700 900123", "ext 12", ""} {
		f.Add(s)
	}
	plain := Normalizer{Region: "GB"}
	memo := plain.Memo()
	f.Fuzz(func(t *testing.T, v string) {
		want, werr := plain.Normalize(cx.IdentityPhone, v)
		for range 2 {
			got, err := memo.Normalize(cx.IdentityPhone, v)
			if got != want || (err == nil) != (werr == nil) {
				t.Fatalf("memo: Normalize(%q) = %q, %v; plain %q, %v", v, got, err, want, werr)
			}
		}
	})
}
