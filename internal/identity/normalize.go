package identity

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"

	"github.com/northstar-cx/northstar/internal/cx"
)

// Normalizer turns identities as sources write them into one canonical form.
type Normalizer struct {
	// Region is the ISO 3166 region used to read national phone formats ("GB").
	Region string
	phones map[string]phoneResult // see Memo
}

type phoneResult struct {
	e164 string
	err  error
}

// maxPhones bounds a memo: enough for the active customers of a large import.
const maxPhones = 1 << 16

// Memo returns a copy of n that remembers the phone numbers it normalised.
// Parsing one with the phone-number library costs microseconds of regular
// expressions, and a customer's number recurs on every contact of an import.
// The copy is not safe for concurrent use: one per goroutine.
func (n Normalizer) Memo() Normalizer {
	n.phones = make(map[string]phoneResult)
	return n
}

// Normalize returns the canonical form of one identity value, or an error
// that says why the value cannot be an identity of that kind.
func (n Normalizer) Normalize(kind cx.IdentityKind, value string) (string, error) {
	v := strings.TrimSpace(value)
	if v == "" {
		return "", fmt.Errorf("empty %s", kind)
	}
	switch kind {
	case cx.IdentityEmail:
		return normalizeEmail(v)
	case cx.IdentityPhone:
		return n.normalizePhone(v)
	case cx.IdentityHandle:
		v = strings.ToLower(v)
		if !strings.HasPrefix(v, "@") {
			v = "@" + v
		}
		if len(v) < 2 || strings.ContainsFunc(v, unicode.IsSpace) {
			return "", fmt.Errorf("handle %q has spaces or is empty", value)
		}
		return v, nil
	case cx.IdentityID, cx.IdentityAccount:
		if len(v) > 200 {
			return "", fmt.Errorf("%s longer than 200 characters", kind)
		}
		return v, nil
	}
	return "", fmt.Errorf("unknown identity kind %q", kind)
}

func normalizeEmail(v string) (string, error) {
	at := strings.LastIndexByte(v, '@')
	if at <= 0 || at == len(v)-1 || strings.ContainsFunc(v, unicode.IsSpace) || !strings.Contains(v[at:], ".") {
		return "", fmt.Errorf("not an email address")
	}
	return strings.ToLower(v), nil
}

func (n Normalizer) normalizePhone(v string) (string, error) {
	// Sources space the same number differently from contact to contact.
	// The number is parsed without the separators the phone library ignores
	// anyway, and that form is the memo's key: "07700 900123" and
	// "07700-900-123" are parsed once.
	var buf [32]byte
	key, ok := phoneKey(buf[:0], v)
	if !ok {
		key = append(buf[:0], v...) // a number in some other form is its own key
	}
	if n.phones == nil {
		return n.parsePhone(string(key))
	}
	if r, ok := n.phones[string(key)]; ok {
		return r.e164, r.err
	}
	k := string(key) // a copy: v may be a substring of a whole input line, which the memo must not keep alive
	e164, err := n.parsePhone(k)
	if len(n.phones) >= maxPhones {
		clear(n.phones)
	}
	n.phones[k] = phoneResult{e164, err}
	return e164, err
}

// phoneKey appends v without spaces, hyphens and dots to dst, when v is
// written with digits, '+', those separators and parentheses only.
func phoneKey(dst []byte, v string) ([]byte, bool) {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == ' ' || c == '-' || c == '.':
		case c >= '0' && c <= '9' || c == '+' || c == '(' || c == ')':
			dst = append(dst, c)
		default:
			return dst, false
		}
	}
	return dst, true
}

func (n Normalizer) parsePhone(v string) (string, error) {
	region := n.Region
	if region == "" {
		region = "GB"
	}
	if strings.HasPrefix(v, "00") {
		v = "+" + v[2:]
	}
	num, err := phonenumbers.Parse(v, region)
	if err != nil {
		return "", fmt.Errorf("not a phone number (national numbers are read in region %s)", region)
	}
	if !phonenumbers.IsPossibleNumber(num) {
		if r := phonenumbers.GetRegionCodeForNumber(num); r != "" {
			region = r
		}
		return "", fmt.Errorf("not a possible phone number in region %s (too short or too long)", region)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// Identities normalises every identity a reference names, in the fixed order
// of cx.IdentityKinds. Errors name the field ("customer.phone: …").
func (n Normalizer) Identities(field string, r cx.Ref) ([]cx.Identity, error) {
	out := make([]cx.Identity, 0, 2)
	for _, kv := range [...]struct {
		kind cx.IdentityKind
		v    string
	}{{cx.IdentityID, r.ID}, {cx.IdentityEmail, r.Email}, {cx.IdentityPhone, r.Phone}, {cx.IdentityHandle, r.Handle}, {cx.IdentityAccount, r.Account}} {
		if kv.v == "" {
			continue
		}
		norm, err := n.Normalize(kv.kind, kv.v)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", field, kv.kind, err)
		}
		out = append(out, cx.Identity{Kind: kv.kind, Value: norm})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: names no identity (give id, email, phone, handle or account)", field)
	}
	return out, nil
}

// ParseRef reads a command-line or URL customer reference: "C1001" (an id),
// "email:ana@example.com", "phone:+447700900123", "handle:@ana_s", "account:X".
func (n Normalizer) ParseRef(s string) (cx.Identity, error) {
	kind, value := cx.IdentityID, s
	if k, v, ok := strings.Cut(s, ":"); ok {
		switch cx.IdentityKind(k) {
		case cx.IdentityID, cx.IdentityEmail, cx.IdentityPhone, cx.IdentityHandle, cx.IdentityAccount:
			kind, value = cx.IdentityKind(k), v
		}
	}
	norm, err := n.Normalize(kind, value)
	if err != nil {
		return cx.Identity{}, cx.Errorf(cx.EINVALID, "customer reference %q: %v (use id, email:…, phone:…, handle:… or account:…)", s, err)
	}
	return cx.Identity{Kind: kind, Value: norm}, nil
}
