package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"os"
	"strings"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
)

// Personal data at rest.
//
// Customer identities (identities.value, merges.value) and the customer's
// name and external id (customers.name, customers.ext_id) are stored sealed
// with AES-256-GCM: "KID:" followed by base64url(nonce ‖ ciphertext ‖ tag),
// where KID names the data key (8 hex digits) and the 12-byte nonce is
// random. The associated data binds each value to what it is ("identity:email",
// "customer:name"), so a ciphertext cannot be passed off as another kind.
//
// Lookups and merges need equality without decryption: identities.bidx is a
// keyed blind index, base64url(HMAC-SHA256(Kmac, kind ‖ 0 ‖ normalised value))
// truncated to 128 bits. Encryption and index keys are derived from the one
// data key with HKDF-SHA256 under different labels, so learning one does not
// give the other.
//
// A data key is 32 random bytes in a key file ("nsk1:" + base64) or in
// NORTHSTAR_DATA_KEY. A key file may hold several keys, one a line: the
// first is used for new data, the others only open older data (during a
// rotation). The database records which key ids it holds data under
// (data_keys), so opening it with the wrong key, or none, fails with advice
// instead of returning garbage.

const (
	keyPrefix  = "nsk1:"
	keyBytes   = 32
	kidLen     = 8  // hex digits of a key id
	bidxBytes  = 16 // truncated HMAC: 128 bits leave collisions out of reach
	nonceBytes = 12
)

// DataKey is one data key with its derived subkeys.
type DataKey struct {
	ID   string // 8 hex digits derived from the key; safe to show and store
	aead cipher.AEAD
	mac  []byte
}

func newDataKey(raw []byte) (*DataKey, error) {
	if len(raw) != keyBytes {
		return nil, fmt.Errorf("a data key is %d bytes, this one is %d", keyBytes, len(raw))
	}
	derive := func(label string) []byte {
		k, err := hkdf.Key(sha256.New, raw, nil, "northstar data key v1: "+label, keyBytes)
		if err != nil {
			panic(err) // only for lengths over 255*32 bytes
		}
		return k
	}
	block, err := aes.NewCipher(derive("encryption"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &DataKey{ID: hex.EncodeToString(derive("key id")[:kidLen/2]), aead: aead, mac: derive("blind index")}, nil
}

// Keyring is the data keys a process holds: the first seals new values
// unless the database names another of them as its primary key.
type Keyring struct {
	keys []*DataKey
}

// ParseKeyring reads keys from key-file text or an environment value: one
// "nsk1:BASE64" per line (or separated by commas); lines starting with # are
// comments.
func ParseKeyring(text string) (*Keyring, error) {
	r := &Keyring{}
	for _, f := range strings.FieldsFunc(text, func(c rune) bool { return c == '\n' || c == ',' || c == '\r' }) {
		f = strings.TrimSpace(f)
		if f == "" || strings.HasPrefix(f, "#") {
			continue
		}
		b64, ok := strings.CutPrefix(f, keyPrefix)
		if !ok {
			return nil, fmt.Errorf("a data key starts with %q (make one with `northstar keys new-data-key` or let `northstar serve` create it)", keyPrefix)
		}
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, fmt.Errorf("data key is not valid base64: %w", err)
		}
		k, err := newDataKey(raw)
		if err != nil {
			return nil, err
		}
		if r.byID(k.ID) == nil {
			r.keys = append(r.keys, k)
		}
	}
	if len(r.keys) == 0 {
		return nil, errors.New("no data key found")
	}
	return r, nil
}

// ReadKeyFile loads a key file. It refuses files others may read: the key
// is the only thing between a copy of the database and its identities.
func ReadKeyFile(path string) (*Keyring, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("data key file: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("data key file %s is readable by others (mode %v): run chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("data key file: %w", err)
	}
	r, err := ParseKeyring(string(b))
	if err != nil {
		return nil, fmt.Errorf("data key file %s: %w", path, err)
	}
	return r, nil
}

// NewKeyText returns a fresh random data key as key-file text.
func NewKeyText() string {
	raw := make([]byte, keyBytes)
	if _, err := rand.Read(raw); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return "# Northstar data key: keep it secret and keep a backup apart from the database.\n" +
		"# Without it the customers' identities in the database cannot be read.\n" +
		keyPrefix + base64.StdEncoding.EncodeToString(raw) + "\n"
}

// CreateKeyFile writes a new random data key to path with mode 0600; it
// never overwrites an existing file.
func CreateKeyFile(path string) (*Keyring, error) {
	text := NewKeyText()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create data key file: %w", err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("write data key file %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("write data key file %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("write data key file %s: %w", path, err)
	}
	return ParseKeyring(text)
}

// Primary is the first key of the ring.
func (r *Keyring) Primary() *DataKey { return r.keys[0] }

// IDs lists the ring's key ids, primary first.
func (r *Keyring) IDs() []string {
	out := make([]string, len(r.keys))
	for i, k := range r.keys {
		out[i] = k.ID
	}
	return out
}

func (r *Keyring) byID(id string) *DataKey {
	if r == nil {
		return nil
	}
	for _, k := range r.keys {
		if k.ID == id {
			return k
		}
	}
	return nil
}

// With returns a ring with k's keys first, then r's (rotation holds both).
func (r *Keyring) With(k *Keyring) *Keyring {
	out := &Keyring{keys: append([]*DataKey{}, k.keys...)}
	for _, x := range r.keys {
		if out.byID(x.ID) == nil {
			out.keys = append(out.keys, x)
		}
	}
	return out
}

// vault is the current vault: readers may run while a writer follows a
// rotation and swaps it.
func (s *Store) vault() *vault { return s.vaultp.Load() }

// vault seals, opens and blinds values with the database's primary key,
// opening older values with any key of the ring.
type vault struct {
	ring    *Keyring
	primary *DataKey
	mac     hash.Hash // HMAC under primary.mac; used only by the serialised writer
}

func newVault(ring *Keyring, primary *DataKey) *vault {
	return &vault{ring: ring, primary: primary, mac: hmac.New(sha256.New, primary.mac)}
}

// Associated data per kind of value.
func identityAD(kind string) string { return "identity:" + kind }

const (
	adCustomerName = "customer:name"
	adCustomerExt  = "customer:ext_id"
	adRecord       = "identity:record" // the record that added an identity or caused a merge
)

// seal encrypts a value under the primary key; "" stays "" (no value).
func (v *vault) seal(ad, plain string) string {
	if plain == "" {
		return ""
	}
	k := v.primary
	buf := make([]byte, nonceBytes, nonceBytes+len(plain)+k.aead.Overhead())
	if _, err := rand.Read(buf); err != nil {
		panic(err)
	}
	buf = k.aead.Seal(buf, buf[:nonceBytes], []byte(plain), []byte(ad))
	return k.ID + ":" + base64.RawURLEncoding.EncodeToString(buf)
}

// sealedKeyID returns the key id of a sealed value, or "" when the value
// does not have the sealed form.
func sealedKeyID(s string) string {
	if len(s) <= kidLen+1 || s[kidLen] != ':' {
		return ""
	}
	for _, c := range s[:kidLen] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return ""
		}
	}
	return s[:kidLen]
}

// open decrypts a sealed value with whichever ring key sealed it.
func (v *vault) open(ad, sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	kid := sealedKeyID(sealed)
	if kid == "" {
		return "", errors.New("stored value is not encrypted (was the database written without a data key?)")
	}
	k := v.ring.byID(kid)
	if k == nil {
		return "", fmt.Errorf("stored value is encrypted with data key %s, which this process does not hold (give it with data-key-file or NORTHSTAR_DATA_KEY)", kid)
	}
	buf, err := base64.RawURLEncoding.DecodeString(sealed[kidLen+1:])
	if err != nil || len(buf) < nonceBytes+k.aead.Overhead() {
		return "", fmt.Errorf("stored value under data key %s is damaged", kid)
	}
	plain, err := k.aead.Open(nil, buf[:nonceBytes], buf[nonceBytes:], []byte(ad))
	if err != nil {
		return "", fmt.Errorf("stored value under data key %s failed authentication (damaged or moved)", kid)
	}
	return string(plain), nil
}

func (v *vault) openNull(ad string, s sql.NullString) (string, error) {
	if !s.Valid {
		return "", nil
	}
	return v.open(ad, s.String)
}

// blind is the primary key's blind index of an identity. Only the
// serialised writer calls it (it reuses one HMAC state).
func (v *vault) blind(kind cx.IdentityKind, value string) string {
	return blindWith(v.mac, kind, value)
}

func blindWith(h hash.Hash, kind cx.IdentityKind, value string) string {
	h.Reset()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write([]byte(value))
	var sum [sha256.Size]byte
	return base64.RawURLEncoding.EncodeToString(h.Sum(sum[:0])[:bidxBytes])
}

// blindAll returns an identity's blind index under every key of the ring
// (any of them may have written it while a rotation is under way); safe for
// concurrent readers.
func (v *vault) blindAll(id cx.Identity) []string {
	out := make([]string, 0, len(v.ring.keys))
	for _, k := range v.ring.keys {
		out = append(out, blindWith(hmac.New(sha256.New, k.mac), id.Kind, id.Value))
	}
	return out
}

// blindIdentity is the index form of an identity: the same kind, the blind
// index as value. The in-memory identity index only ever holds these.
func (v *vault) blindIdentity(id cx.Identity) cx.Identity {
	return cx.Identity{Kind: id.Kind, Value: v.blind(id.Kind, id.Value)}
}

// Key states in data_keys.
const (
	keyPrimary  = "primary"  // seals new values
	keyRetiring = "retiring" // a rotation away from it is under way
	keyRetired  = "retired"  // no value is sealed with it any more
)

// ErrNoDataKey is returned by Open for an encrypted database when no data
// key was given.
var ErrNoDataKey = errors.New("no data key")

// setupVault checks the ring against the keys the database records and
// picks the primary. A database that records none is new (or predates
// encryption): it takes the ring's primary, and identities already stored in
// clear are sealed now.
func (s *Store) setupVault(ctx context.Context) error {
	keys, err := s.dataKeys(ctx)
	if err != nil {
		return err
	}
	if len(keys) == 0 {
		if s.ring == nil {
			return &cx.Error{Code: cx.EINVALID, Message: fmt.Sprintf(
				"database %s has no data key yet: give one with data-key-file (a key file made by `northstar keys new-data-key`) or NORTHSTAR_DATA_KEY", s.dsn)}
		}
		k := s.ring.Primary()
		s.vaultp.Store(newVault(s.ring, k))
		// Databases from before encryption hold identities in clear. The key
		// is recorded after they are sealed, so an interrupted run starts over
		// here (values already sealed under this key are skipped).
		rep, err := s.reseal(ctx, 0, nil, true)
		if err != nil {
			return fmt.Errorf("encrypt identities stored before encryption: %w", err)
		}
		if rep.Identities+rep.Merges+rep.Customers > 0 {
			// The values in clear stay in freed blocks of a DuckDB file
			// until it is rewritten, which openKeys does next.
			if err := s.noteRewrite(); err != nil {
				return err
			}
		}
		if _, err := s.db.ExecContext(ctx, `INSERT INTO data_keys (kid, state, created_at) VALUES ($1, $2, $3)`, k.ID, keyPrimary, s.now().UTC()); err != nil {
			return fmt.Errorf("record data key: %w", err)
		}
		return nil
	}
	var primary, retiring string
	for _, k := range keys {
		switch k.state {
		case keyPrimary:
			primary = k.kid
		case keyRetiring:
			retiring = k.kid
		}
	}
	if s.ring == nil {
		return &cx.Error{Code: cx.EINVALID, Message: fmt.Sprintf(
			"database %s is encrypted with data key %s, and no data key was given: set data-key-file (or NORTHSTAR_DATA_KEY) to that key; "+
				"a DuckDB database's key is created beside it as %s.key unless configured otherwise", s.dsn, primary, strings.TrimPrefix(s.dsn, "duckdb:"))}
	}
	pk := s.ring.byID(primary)
	if retiring != "" && (pk == nil || s.ring.byID(retiring) == nil) {
		return &cx.Error{Code: cx.EINVALID, Message: fmt.Sprintf(
			"database %s is being re-encrypted from data key %s to %s; until `northstar keys rotate-data-key` finishes, give both keys "+
				"(a key file may list several, one a line, or run the rotation again to finish it)", s.dsn, retiring, primary)}
	}
	if pk == nil {
		return &cx.Error{Code: cx.EINVALID, Message: fmt.Sprintf(
			"database %s is encrypted with data key %s, but the key given is %s: set data-key-file (or NORTHSTAR_DATA_KEY) to the database's key",
			s.dsn, primary, strings.Join(s.ring.IDs(), ", "))}
	}
	s.vaultp.Store(newVault(s.ring, pk))
	return nil
}

type dataKeyRow struct {
	kid, state string
	created    time.Time
}

func (s *Store) dataKeys(ctx context.Context) ([]dataKeyRow, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT kid, state, created_at FROM data_keys ORDER BY created_at`)
	if err != nil {
		return nil, fmt.Errorf("read data keys: %w", err)
	}
	defer rows.Close()
	var out []dataKeyRow
	for rows.Next() {
		var k dataKeyRow
		if err := rows.Scan(&k.kid, &k.state, &k.created); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// checkPrimary makes the writer follow a rotation started by another
// process: when the database's primary key changed, seal with the new one
// (which this process must hold) and rebuild the identity index, whose
// blind indexes are the primary key's. Called inside the writer's
// transaction.
func (s *Store) checkPrimary(ctx context.Context, c *sql.Conn) error {
	var kid string
	err := c.QueryRowContext(ctx, `SELECT kid FROM data_keys WHERE state = $1`, keyPrimary).Scan(&kid)
	if err != nil {
		return fmt.Errorf("read data key: %w", err)
	}
	if kid == s.vault().primary.ID {
		return nil
	}
	k := s.ring.byID(kid)
	if k == nil {
		return &cx.Error{Code: cx.EUNAVAILABLE, Message: fmt.Sprintf(
			"the database's data key was rotated to %s, which this process does not hold: restart it with the new key (data-key-file)", kid)}
	}
	s.vaultp.Store(newVault(s.ring, k))
	s.index = nil
	return nil
}

// DataKeyID is the id of the key new values are sealed with.
func (s *Store) DataKeyID() string { return s.vault().primary.ID }

// KeyFileCreated is the key file Open created for a new database, if any.
func (s *Store) KeyFileCreated() string { return s.keyCreated }

// WithDataKey gives Open the data keys (from NORTHSTAR_DATA_KEY or a key
// file the caller read).
func WithDataKey(r *Keyring) Option { return func(s *Store) { s.ring = r } }

// WithKeyFile names the data key file. When it does not exist and the
// database has no data yet, Open creates it with a new random key (mode
// 0600) and reports it in KeyFileCreated.
func WithKeyFile(path string) Option { return func(s *Store) { s.keyFile = path } }

// WithExtraKeys adds keys that open older values (a rotation's other key)
// to those Open resolves otherwise.
func WithExtraKeys(r *Keyring) Option { return func(s *Store) { s.extra = r } }

// DefaultKeyFile is where a DuckDB database's key lives unless configured:
// beside the database file.
func DefaultKeyFile(dsn string) string {
	if path, ok := strings.CutPrefix(dsn, "duckdb:"); ok && path != "" {
		return path + ".key"
	}
	return ""
}

// openKeys resolves the data keys for Open: given keys, else the key file
// (the DuckDB default beside the database), created for a new database.
func (s *Store) openKeys(ctx context.Context) error {
	if s.ring == nil && s.keyFile == "" {
		s.keyFile = DefaultKeyFile(s.dsn)
	}
	if s.ring == nil && s.keyFile != "" {
		ring, err := ReadKeyFile(s.keyFile)
		switch {
		case err == nil:
			s.ring = ring
		case errors.Is(err, os.ErrNotExist):
			keys, kerr := s.dataKeys(ctx)
			if kerr != nil {
				return kerr
			}
			if len(keys) > 0 {
				return &cx.Error{Code: cx.EINVALID, Message: fmt.Sprintf(
					"database %s is encrypted with data key %s, but its key file %s does not exist: restore the key file from your backup, "+
						"or set data-key-file (or NORTHSTAR_DATA_KEY) to the key", s.dsn, keys[len(keys)-1].kid, s.keyFile)}
			}
			if s.ring, err = CreateKeyFile(s.keyFile); err != nil {
				return err
			}
			s.keyCreated = s.keyFile
		default:
			return err
		}
	}
	if s.extra != nil {
		if s.ring == nil {
			s.ring = s.extra
		} else {
			r := &Keyring{keys: append([]*DataKey{}, s.ring.keys...)}
			for _, k := range s.extra.keys {
				if r.byID(k.ID) == nil {
					r.keys = append(r.keys, k)
				}
			}
			s.ring = r
		}
	}
	if err := s.setupVault(ctx); err != nil {
		return err
	}
	return s.rewriteIfNoted(ctx)
}

// rewriteIfNoted rewrites a DuckDB file that setupVault just sealed values
// in clear in (see CompactFile), reopening it.
func (s *Store) rewriteIfNoted(ctx context.Context) error {
	path, ok := strings.CutPrefix(s.dsn, "duckdb:")
	if !ok {
		return nil
	}
	if _, err := os.Stat(path + compactMarker); err != nil {
		return nil
	}
	if err := s.db.Close(); err != nil {
		return err
	}
	if err := CompactPending(ctx, s.dsn); err != nil {
		return err
	}
	db, eng, err := openDuckDB(path, s.bulkLoad)
	if err != nil {
		return err // s.db stays the closed pool, which Open closes again harmlessly
	}
	s.db, s.eng = db, eng
	return nil
}

// ResealReport counts the values a rotation (or the first encryption of a
// database from before encryption) sealed again.
type ResealReport struct {
	From       []string `json:"from,omitempty"` // key ids retired
	To         string   `json:"to"`             // key id now sealing everything
	Resumed    bool     `json:"resumed"`        // an interrupted rotation was finished
	Identities int64    `json:"identities"`
	Merges     int64    `json:"merges"`
	Customers  int64    `json:"customers"`
}

// RotateDataKey re-encrypts every sealed value and recomputes every blind
// index under the primary key of next, in batches of batch rows, each its
// own short transaction so imports and reads go on between them. It is
// resumable: run again after an interruption (with the same keys) and it
// continues where it stopped. The old key stays needed until it returns;
// then it is recorded as retired and can be destroyed. progress, when not
// nil, is called after each batch.
func (s *Store) RotateDataKey(ctx context.Context, next *Keyring, batch int, progress func(ResealReport)) (*ResealReport, error) {
	nk := next.Primary()
	rep := &ResealReport{To: nk.ID}
	err := func() error {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.tx(ctx, func(c *sql.Conn) error {
			if err := s.eng.lockWriters(ctx, c); err != nil {
				return err
			}
			var state sql.NullString
			err := c.QueryRowContext(ctx, `SELECT max(state) FROM data_keys WHERE kid = $1`, nk.ID).Scan(&state)
			if err != nil {
				return err
			}
			switch state.String {
			case keyPrimary:
				rep.Resumed = true
				return nil
			case keyRetiring, keyRetired:
				return cx.Errorf(cx.EINVALID, "data key %s was this database's key before; rotate to a new key (northstar keys new-data-key --out FILE)", nk.ID)
			}
			if _, err := c.ExecContext(ctx, `UPDATE data_keys SET state = $1 WHERE state = $2`, keyRetiring, keyPrimary); err != nil {
				return err
			}
			_, err = c.ExecContext(ctx, `INSERT INTO data_keys (kid, state, created_at) VALUES ($1, $2, $3)`, nk.ID, keyPrimary, s.now().UTC())
			return err
		})
	}()
	if err != nil {
		return nil, fmt.Errorf("rotate data key: %w", err)
	}
	s.mu.Lock()
	s.ring = next.With(s.ring)
	s.vaultp.Store(newVault(s.ring, nk))
	s.index = nil
	s.mu.Unlock()
	if _, err := s.reseal(ctx, batch, func(r ResealReport) {
		rep.Identities, rep.Merges, rep.Customers = r.Identities, r.Merges, r.Customers
		if progress != nil {
			progress(*rep)
		}
	}, false); err != nil {
		return rep, fmt.Errorf("rotate data key (run the rotation again to resume): %w", err)
	}
	keys, err := s.dataKeys(ctx)
	if err != nil {
		return rep, err
	}
	for _, k := range keys {
		if k.state == keyRetiring {
			rep.From = append(rep.From, k.kid)
		}
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE data_keys SET state = $1, retired_at = $2 WHERE state = $3`, keyRetired, s.now().UTC(), keyRetiring); err != nil {
		return rep, fmt.Errorf("rotate data key: retire the old key: %w", err)
	}
	return rep, nil
}

// reseal seals again, under the primary key, every value sealed under
// another key — or, for a database from before encryption (legacy), stored
// in clear — and recomputes blind indexes.
func (s *Store) reseal(ctx context.Context, batch int, progress func(ResealReport), legacy bool) (*ResealReport, error) {
	if batch <= 0 {
		batch = 2000
	}
	rep := &ResealReport{To: s.vault().primary.ID}
	pattern := s.vault().primary.ID + ":%"
	open := func(ad, v string) (string, error) {
		if v == "" {
			return "", nil
		}
		if legacy && sealedKeyID(v) == "" {
			return v, nil // stored in clear before encryption
		}
		return s.vault().open(ad, v)
	}
	type table struct {
		name, sel, upd string
		count          *int64
		reseal         func(r *sql.Rows) ([]any, error) // scans one row, returns key and new column values
	}
	update := func(tbl, key string, cols []string) string {
		return s.zipUpdate(tbl, key, cols, tbl == "customers", nil)
	}
	tables := []table{
		{name: "identities", count: &rep.Identities,
			sel: `SELECT seq, kind, value, record FROM identities WHERE value NOT LIKE $1 OR bidx IS NULL OR (record <> '' AND record NOT LIKE $1) ORDER BY seq LIMIT $2`,
			upd: update("identities", "seq", []string{"value", "record", "bidx"}),
			reseal: func(r *sql.Rows) ([]any, error) {
				var seq int64
				var kind, value, record string
				if err := r.Scan(&seq, &kind, &value, &record); err != nil {
					return nil, err
				}
				plain, err := open(identityAD(kind), value)
				if err != nil {
					return nil, fmt.Errorf("identity %d: %w", seq, err)
				}
				label, err := open(adRecord, record)
				if err != nil {
					return nil, fmt.Errorf("identity %d: %w", seq, err)
				}
				return []any{seq, s.vault().seal(identityAD(kind), plain), s.vault().seal(adRecord, label), s.vault().blind(cx.IdentityKind(kind), plain)}, nil
			}},
		{name: "merges", count: &rep.Merges,
			sel: `SELECT seq, kind, value, record FROM merges WHERE (value <> '' AND value NOT LIKE $1) OR (record <> '' AND record NOT LIKE $1) ORDER BY seq LIMIT $2`,
			upd: update("merges", "seq", []string{"value", "record"}),
			reseal: func(r *sql.Rows) ([]any, error) {
				var seq int64
				var kind, value, record string
				if err := r.Scan(&seq, &kind, &value, &record); err != nil {
					return nil, err
				}
				plain, err := open(identityAD(kind), value)
				if err != nil {
					return nil, fmt.Errorf("merge %d: %w", seq, err)
				}
				label, err := open(adRecord, record)
				if err != nil {
					return nil, fmt.Errorf("merge %d: %w", seq, err)
				}
				return []any{seq, s.vault().seal(identityAD(kind), plain), s.vault().seal(adRecord, label)}, nil
			}},
		{name: "customers", count: &rep.Customers,
			sel: `SELECT id, name, ext_id FROM customers WHERE (name IS NOT NULL AND name NOT LIKE $1) OR (ext_id IS NOT NULL AND ext_id NOT LIKE $1) ORDER BY id LIMIT $2`,
			upd: update("customers", "id", []string{"name", "ext_id"}),
			reseal: func(r *sql.Rows) ([]any, error) {
				var id int64
				var name, ext sql.NullString
				if err := r.Scan(&id, &name, &ext); err != nil {
					return nil, err
				}
				n, err := open(adCustomerName, name.String)
				if err != nil {
					return nil, fmt.Errorf("customer %d name: %w", id, err)
				}
				e, err := open(adCustomerExt, ext.String)
				if err != nil {
					return nil, fmt.Errorf("customer %d external id: %w", id, err)
				}
				return []any{id, s.vault().seal(adCustomerName, n), s.vault().seal(adCustomerExt, e)}, nil
			}},
	}
	for _, t := range tables {
		for {
			n, err := s.resealBatch(ctx, t.sel, t.upd, pattern, batch, t.reseal)
			if err != nil {
				return rep, fmt.Errorf("re-encrypt %s: %w", t.name, err)
			}
			if n == 0 {
				break
			}
			*t.count += int64(n)
			if progress != nil {
				progress(*rep)
			}
		}
	}
	return rep, nil
}

// resealBatch re-encrypts one batch in its own writer transaction.
func (s *Store) resealBatch(ctx context.Context, sel, upd, pattern string, batch int, fn func(*sql.Rows) ([]any, error)) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	err := s.tx(ctx, func(c *sql.Conn) error {
		if err := s.eng.lockWriters(ctx, c); err != nil {
			return err
		}
		rows, err := c.QueryContext(ctx, sel, pattern, batch)
		if err != nil {
			return err
		}
		var cols [][]any
		for rows.Next() {
			vals, err := fn(rows)
			if err != nil {
				rows.Close()
				return err
			}
			if cols == nil {
				cols = make([][]any, len(vals))
			}
			for i, v := range vals {
				cols[i] = append(cols[i], v)
			}
			n++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		args := make([]any, len(cols))
		keys := make([]int64, n)
		for i, v := range cols[0] {
			keys[i] = v.(int64)
		}
		args[0] = keys
		for i := 1; i < len(cols); i++ {
			ss := make([]string, n)
			for j, v := range cols[i] {
				ss[j] = v.(string)
			}
			args[i] = ss
		}
		_, err = c.ExecContext(ctx, upd, args...)
		return err
	})
	if n > 0 {
		s.index = nil // blind indexes changed: reload
	}
	return n, err
}

// zipUpdate is an UPDATE of tbl setting cols from parallel arrays: $1 the
// BIGINT keys (column key), $2… the new values as strings. With nullable,
// "" stands for NULL. casts gives a column's PostgreSQL type when it is not
// text (json).
func (s *Store) zipUpdate(tbl, key string, cols []string, nullable bool, casts map[string]string) string {
	var set, sel, names, types []string
	pg := s.eng.name() == "postgres"
	for i, c := range cols {
		v := fmt.Sprintf("m.c%d", i)
		if nullable {
			v = "NULLIF(" + v + ", '')"
		}
		if t := casts[c]; t != "" && pg {
			v = "CAST(" + v + " AS " + t + ")"
		}
		set = append(set, c+" = "+v)
		sel = append(sel, fmt.Sprintf("unnest($%d::VARCHAR[]) AS c%d", i+2, i))
		names = append(names, fmt.Sprintf("c%d", i))
		types = append(types, fmt.Sprintf("$%d::text[]", i+2))
	}
	from := `(SELECT unnest($1::BIGINT[]) AS k, ` + strings.Join(sel, ", ") + `) m`
	if pg {
		from = `unnest($1::bigint[], ` + strings.Join(types, ", ") + `) AS m(k, ` + strings.Join(names, ", ") + `)`
	}
	return `UPDATE ` + tbl + ` SET ` + strings.Join(set, ", ") + ` FROM ` + from + ` WHERE ` + tbl + `.` + key + ` = m.k`
}
