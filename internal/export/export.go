// Package export writes and reads Northstar's encrypted extracts: data
// leaving the system (metric tables, interaction lists) encrypted to a
// recipient's public key with HPKE (RFC 9180) over the ML-KEM-768 + X25519
// hybrid KEM (X-Wing), HKDF-SHA256 and AES-256-GCM, from Go's crypto/hpke.
// An extract recorded today stays secret even against a future quantum
// computer, and as safe as X25519 if ML-KEM were broken.
//
// # File format (version 1)
//
//	"NSX1"                      4 bytes, magic and version
//	header length               uint16, big-endian
//	header                      JSON: suite, recipient key id, kind, created, chunk size
//	enc length                  uint16
//	enc                         the KEM encapsulation (1,120 bytes for X-Wing)
//	frames…                     each: flag (1 byte: 0 more, 1 final), length
//	                            (uint32), AES-256-GCM ciphertext of up to
//	                            chunk size bytes of plaintext
//
// The HPKE info string is "northstar export v1" followed by the magic and
// the header bytes, so a changed header fails decryption. Frames are sealed
// in order by the HPKE context (the nonce is the frame's sequence number),
// and each frame's associated data is its flag: dropping, reordering or
// altering a frame, or cutting the file after any frame, fails. Exactly one
// final frame ends the file; anything after it is an error.
package export

import (
	"bufio"
	"bytes"
	"crypto/hpke"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const (
	magic      = "NSX1"
	infoPrefix = "northstar export v1"
	// ChunkSize is the plaintext size of every frame but the last.
	ChunkSize = 64 << 10
	maxHeader = 4 << 10

	pubType  = "NORTHSTAR EXPORT PUBLIC KEY"
	privType = "NORTHSTAR EXPORT PRIVATE KEY"
	// Suite names the algorithms, as the header records them.
	Suite = "HPKE MLKEM768-X25519 / HKDF-SHA256 / AES-256-GCM"
)

func suite() (hpke.KEM, hpke.KDF, hpke.AEAD) {
	return hpke.MLKEM768X25519(), hpke.HKDFSHA256(), hpke.AES256GCM()
}

// Header is the clear-text description at the start of an extract.
type Header struct {
	Suite     string    `json:"suite"`
	Recipient string    `json:"recipient"` // key id of the public key it is encrypted to
	Kind      string    `json:"kind"`      // metrics or interactions
	Created   time.Time `json:"created"`
	Chunk     int       `json:"chunk"`
	Format    string    `json:"format"` // of the plaintext: "json" or "ndjson"
}

// KeyID names a public key: the first 8 bytes of the SHA-256 of its bytes, hex.
func KeyID(pub hpke.PublicKey) string {
	sum := sha256.Sum256(pub.Bytes())
	return hex.EncodeToString(sum[:8])
}

// GenerateKeys writes a new key pair to NAME.pub and NAME.key (mode 0600),
// refusing to overwrite either, and returns the key id.
func GenerateKeys(name string) (string, error) {
	if err := ValidName(name); err != nil {
		return "", err
	}
	kem, _, _ := suite()
	priv, err := kem.GenerateKey()
	if err != nil {
		return "", err
	}
	seed, err := priv.Bytes()
	if err != nil {
		return "", err
	}
	pub := priv.PublicKey()
	id := KeyID(pub)
	hdr := map[string]string{"KEM": "MLKEM768-X25519", "Key-Id": id}
	privPEM := pem.EncodeToMemory(&pem.Block{Type: privType, Headers: hdr, Bytes: seed})
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: pubType, Headers: hdr, Bytes: pub.Bytes()})
	if err := writeNew(name+".key", privPEM, 0o600); err != nil {
		return "", err
	}
	if err := writeNew(name+".pub", pubPEM, 0o644); err != nil {
		os.Remove(name + ".key")
		return "", err
	}
	return id, nil
}

func writeNew(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}

// ValidName checks an output name given by a user: a plain file path
// without ".." components or control characters, so a name cannot climb out
// of the directory it is meant for (in the API, names are joined to the
// export directory).
func ValidName(name string) error {
	if name == "" {
		return errors.New("empty file name")
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("file name %q has control characters", name)
		}
	}
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '\\' }) {
		if part == ".." {
			return fmt.Errorf("file name %q climbs out of its directory (..); give a plain name or a path without ..", name)
		}
	}
	return nil
}

// InDir resolves a bare name inside dir, refusing anything that is not a
// single plain file name (for servers that write exports to one directory).
func InDir(dir, name string) (string, error) {
	if err := ValidName(name); err != nil {
		return "", err
	}
	if name != filepath.Base(name) || strings.ContainsAny(name, `/\`) || name == "." || strings.HasPrefix(name, ".") {
		return "", fmt.Errorf("export name %q must be a plain file name (letters, digits, - _ .), not a path", name)
	}
	return filepath.Join(dir, name), nil
}

// ReadPublicKey loads a recipient's NAME.pub.
func ReadPublicKey(path string) (hpke.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("recipient key: %w", err)
	}
	pub, err := ParsePublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("recipient key %s: %w", path, err)
	}
	return pub, nil
}

// ParsePublicKey reads a public key in its PEM form (the content of NAME.pub).
func ParsePublicKey(b []byte) (hpke.PublicKey, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != pubType {
		return nil, errors.New("not a Northstar export public key (make one with `northstar export keygen --out NAME`)")
	}
	kem, _, _ := suite()
	return kem.NewPublicKey(blk.Bytes)
}

// ReadPrivateKey loads NAME.key; it must not be readable by others.
func ReadPrivateKey(path string) (hpke.PrivateKey, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("private key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("private key %s is readable by others (mode %v): run chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("private key: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != privType {
		return nil, fmt.Errorf("private key %s: not a Northstar export private key", path)
	}
	kem, _, _ := suite()
	priv, err := kem.NewPrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("private key %s: %w", path, err)
	}
	return priv, nil
}

// Writer encrypts a stream to one recipient. Close writes the final frame:
// an extract without it is rejected as truncated.
type Writer struct {
	w      io.Writer
	sender *hpke.Sender
	buf    []byte
	closed bool
	err    error
}

// NewWriter writes the file head for h (Suite, Recipient and Chunk are
// filled in) and returns the writer for the plaintext.
func NewWriter(w io.Writer, pub hpke.PublicKey, h Header) (*Writer, error) {
	h.Suite, h.Recipient, h.Chunk = Suite, KeyID(pub), ChunkSize
	if h.Created.IsZero() {
		h.Created = time.Now().UTC()
	}
	hdr, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	_, kdf, aead := suite()
	enc, sender, err := hpke.NewSender(pub, kdf, aead, info(hdr))
	if err != nil {
		return nil, fmt.Errorf("encrypt export: %w", err)
	}
	var head bytes.Buffer
	head.WriteString(magic)
	binary.Write(&head, binary.BigEndian, uint16(len(hdr)))
	head.Write(hdr)
	binary.Write(&head, binary.BigEndian, uint16(len(enc)))
	head.Write(enc)
	if _, err := w.Write(head.Bytes()); err != nil {
		return nil, err
	}
	return &Writer{w: w, sender: sender, buf: make([]byte, 0, ChunkSize)}, nil
}

func info(hdr []byte) []byte {
	return append([]byte(infoPrefix+magic), hdr...)
}

// Write buffers p and writes every full chunk once more data follows it
// (the last chunk must be sealed as final).
func (x *Writer) Write(p []byte) (int, error) {
	if x.err != nil {
		return 0, x.err
	}
	if x.closed {
		return 0, errors.New("export: write after close")
	}
	n := len(p)
	for len(p) > 0 {
		if len(x.buf) == ChunkSize {
			if x.err = x.frame(false); x.err != nil {
				return 0, x.err
			}
		}
		k := min(ChunkSize-len(x.buf), len(p))
		x.buf = append(x.buf, p[:k]...)
		p = p[k:]
	}
	return n, nil
}

func (x *Writer) frame(final bool) error {
	flag := []byte{0}
	if final {
		flag[0] = 1
	}
	ct, err := x.sender.Seal(flag, x.buf)
	if err != nil {
		return err
	}
	var fh [5]byte
	fh[0] = flag[0]
	binary.BigEndian.PutUint32(fh[1:], uint32(len(ct)))
	if _, err := x.w.Write(fh[:]); err != nil {
		return err
	}
	if _, err := x.w.Write(ct); err != nil {
		return err
	}
	x.buf = x.buf[:0]
	return nil
}

// Close seals the final frame. It does not close the underlying writer.
func (x *Writer) Close() error {
	if x.err != nil {
		return x.err
	}
	if x.closed {
		return nil
	}
	x.closed = true
	return x.frame(true)
}

// ErrTampered is returned for an extract that fails authentication:
// altered, truncated, or not encrypted to the given key.
var ErrTampered = errors.New("export failed authentication: the file was altered or cut short, or it is not encrypted to this key")

// Reader decrypts an extract.
type Reader struct {
	Header Header
	r      *bufio.Reader
	recv   *hpke.Recipient
	buf    []byte
	done   bool
	err    error
}

// NewReader reads the file head and prepares decryption with priv.
func NewReader(r io.Reader, priv hpke.PrivateKey) (*Reader, error) {
	br := bufio.NewReader(r)
	var m [4]byte
	if _, err := io.ReadFull(br, m[:]); err != nil || string(m[:]) != magic {
		return nil, errors.New("not a Northstar export (no NSX1 header)")
	}
	var hl uint16
	if err := binary.Read(br, binary.BigEndian, &hl); err != nil || hl == 0 || hl > maxHeader {
		return nil, ErrTampered
	}
	hdr := make([]byte, hl)
	if _, err := io.ReadFull(br, hdr); err != nil {
		return nil, ErrTampered
	}
	x := &Reader{r: br}
	if err := json.Unmarshal(hdr, &x.Header); err != nil {
		return nil, ErrTampered
	}
	if x.Header.Suite != Suite {
		return nil, fmt.Errorf("export uses %q; this version reads %q", x.Header.Suite, Suite)
	}
	if id := KeyID(priv.PublicKey()); id != x.Header.Recipient {
		return nil, fmt.Errorf("export is encrypted to key %s, not to this key (%s)", x.Header.Recipient, id)
	}
	var el uint16
	if err := binary.Read(br, binary.BigEndian, &el); err != nil {
		return nil, ErrTampered
	}
	enc := make([]byte, el)
	if _, err := io.ReadFull(br, enc); err != nil {
		return nil, ErrTampered
	}
	_, kdf, aead := suite()
	recv, err := hpke.NewRecipient(enc, priv, kdf, aead, info(hdr))
	if err != nil {
		return nil, ErrTampered
	}
	x.recv = recv
	return x, nil
}

// Read returns decrypted plaintext. A frame is returned only once it has
// been authenticated; a stream that ends before the final frame fails.
func (x *Reader) Read(p []byte) (int, error) {
	for len(x.buf) == 0 {
		if x.err != nil {
			return 0, x.err
		}
		if x.done {
			// Nothing may follow the final frame.
			if _, err := x.r.ReadByte(); err != io.EOF {
				x.err = ErrTampered
				continue
			}
			return 0, io.EOF
		}
		x.err = x.next()
	}
	n := copy(p, x.buf)
	x.buf = x.buf[n:]
	return n, nil
}

func (x *Reader) next() error {
	var fh [5]byte
	if _, err := io.ReadFull(x.r, fh[:]); err != nil {
		return ErrTampered // cut short: the final frame never came
	}
	n := binary.BigEndian.Uint32(fh[1:])
	if fh[0] > 1 || n > ChunkSize+64 {
		return ErrTampered
	}
	ct := make([]byte, n)
	if _, err := io.ReadFull(x.r, ct); err != nil {
		return ErrTampered
	}
	pt, err := x.recv.Open(fh[:1], ct)
	if err != nil {
		return ErrTampered
	}
	x.buf, x.done = pt, fh[0] == 1
	return nil
}
