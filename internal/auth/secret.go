package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, one
// lane), about 30 ms a check on one core, so a guessing attacker with the
// database pays the same per guess while sign-ins stay quick.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLength is the shortest password a user may choose.
const MinPasswordLength = 12

// HashPassword returns the argon2id hash of password in PHC string form.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the PHC hash. The
// comparison takes the same time wherever the first difference is.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("password hash: not an argon2id PHC string")
	}
	var v int
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, fmt.Errorf("password hash: unsupported argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<22 || t > 64 {
		return false, fmt.Errorf("password hash: bad parameters %q", parts[3])
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("password hash: salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errors.New("password hash: bad key")
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked against when the user does not exist, so a sign-in
// for an unknown name takes as long as one for a known name.
// It is made on first use: every CLI command would otherwise pay for it.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("northstar-no-such-user")
	return h
})

// token returns n random bytes as lower-case base32 without padding: safe
// in URLs, cookies and shells, and easy to read out.
func token(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error()) // the platform's entropy source is gone; nothing is safe
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// GeneratePassword returns a random 20-character password (100 bits).
func GeneratePassword() string { return token(13)[:20] }

// sha256Hex is the SHA-256 of s in hex. Session ids and API keys are
// 160 bits or more of randomness, so one fast hash is enough: there is
// nothing to guess that a slow hash would protect.
func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// KeyPrefix starts every API key, so a key pasted somewhere it should not
// be is recognisable (secret scanners, logs).
const KeyPrefix = "ns_"

// NewKey returns a fresh API key "ns_PREFIX_SECRET" and its prefix. The
// prefix (50 bits) names the key in lists and audit entries; the secret
// (160 bits) is what proves possession.
func NewKey() (key, prefix string) {
	prefix = token(7)[:10]
	return KeyPrefix + prefix + "_" + token(20), prefix
}

// ParseKey splits a presented key into its prefix; ok is false for
// anything that is not shaped like a Northstar key.
func ParseKey(key string) (prefix string, ok bool) {
	rest, found := strings.CutPrefix(key, KeyPrefix)
	if !found {
		return "", false
	}
	prefix, secret, found := strings.Cut(rest, "_")
	if !found || len(prefix) != 10 || len(secret) != 32 {
		return "", false
	}
	return prefix, true
}

// csrfToken is the synchronizer token of a session: an HMAC of a fixed
// label under the session id, so it needs no storage, differs per session,
// and cannot be computed without the (HttpOnly) session cookie.
func csrfToken(sessionID string) string {
	m := hmac.New(sha256.New, []byte(sessionID))
	m.Write([]byte("northstar-csrf-v1"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func equalTokens(a, b string) bool {
	return len(a) > 0 && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
