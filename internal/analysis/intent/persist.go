package intent

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// The file format, all integers little-endian:
//
//	magic      8 bytes "NSINTENT"
//	format     uint32 (formatVersion)
//	threshold  float64
//	length     uint64, bytes of payload
//	payload    the model (appendPayload)
//	checksum   SHA-256 of everything before it
//
// The payload's own SHA-256 names the model in Version, so a model keeps its
// version across save and load, and a changed threshold does not change it.
const (
	magic         = "NSINTENT"
	formatVersion = 1
	headerSize    = len(magic) + 4 + 8 + 8
	maxLabelLen   = 1 << 10
	maxCharN      = 16
)

// Save writes the model in its binary format.
func (m *Model) Save(w io.Writer) error {
	payload := m.appendPayload(nil)
	buf := make([]byte, 0, headerSize+len(payload)+sha256.Size)
	buf = append(buf, magic...)
	buf = binary.LittleEndian.AppendUint32(buf, formatVersion)
	buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(m.Threshold()))
	buf = binary.LittleEndian.AppendUint64(buf, uint64(len(payload)))
	buf = append(buf, payload...)
	sum := sha256.Sum256(buf)
	buf = append(buf, sum[:]...)
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("saving intent model: %w", err)
	}
	return nil
}

// appendPayload encodes everything that decides predictions but the threshold.
func (m *Model) appendPayload(b []byte) []byte {
	le := binary.LittleEndian
	b = appendString(b, m.algo)
	var flags byte
	for i, on := range []bool{m.vec.cfg.WordBigrams, m.vec.cfg.Trigrams, m.vec.cfg.SkipBigrams, m.vec.cfg.FoldDigits} {
		if on {
			flags |= 1 << i
		}
	}
	b = append(b, flags, byte(m.vec.cfg.CharMin), byte(m.vec.cfg.CharMax))
	b = le.AppendUint32(b, math.Float32bits(m.vec.cfg.CharWeight))
	b = le.AppendUint32(b, math.Float32bits(m.platt[0]))
	b = le.AppendUint32(b, math.Float32bits(m.platt[1]))
	b = le.AppendUint32(b, uint32(len(m.intents)))
	for _, s := range m.intents {
		b = appendString(b, s)
	}
	nFeat := len(m.vec.idf)
	b = le.AppendUint32(b, uint32(nFeat))
	b = le.AppendUint32(b, uint32(m.vec.nWord))
	for _, h := range m.vec.hashes() {
		b = le.AppendUint64(b, h)
	}
	b = appendFloats(b, m.vec.idf)
	b = appendFloats(b, m.bias)
	return appendFloats(b, m.weights)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendFloats(b []byte, fs []float32) []byte {
	for _, f := range fs {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(f))
	}
	return b
}

// hashes lists the vocabulary's feature hashes in index order.
func (v *vectorizer) hashes() []uint64 {
	hs := make([]uint64, len(v.idf))
	for _, sl := range v.voc.slots {
		if sl.key != 0 {
			hs[sl.idx] = sl.key
		}
	}
	return hs
}

// ErrFormat is wrapped by every error about a malformed model file.
var ErrFormat = errors.New("not a valid intent model")

// Load reads a model written by Save. It checks the header, format version
// and checksum before decoding, and every size against the bytes present.
func Load(r io.Reader) (*Model, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("loading intent model: %w", err)
	}
	return decode(data)
}

func decode(data []byte) (*Model, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("loading intent model: %w: %s", ErrFormat, fmt.Sprintf(format, args...))
	}
	le := binary.LittleEndian
	if len(data) < headerSize+sha256.Size || !bytes.HasPrefix(data, []byte(magic)) {
		return nil, bad("missing %q header (is this a model file?)", magic)
	}
	if v := le.Uint32(data[8:]); v != formatVersion {
		return nil, bad("format version %d, this build reads version %d", v, formatVersion)
	}
	threshold := math.Float64frombits(le.Uint64(data[12:]))
	n := le.Uint64(data[20:])
	if n != uint64(len(data)-headerSize-sha256.Size) {
		return nil, bad("payload of %d bytes declared, %d present (truncated file?)", n, len(data)-headerSize-sha256.Size)
	}
	body := data[:len(data)-sha256.Size]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], data[len(body):]) {
		return nil, bad("checksum mismatch (corrupted file)")
	}
	if !(threshold >= 0 && threshold <= 1) {
		return nil, bad("threshold %v outside [0, 1]", threshold)
	}
	payload := body[headerSize:]
	m, err := decodePayload(payload)
	if err != nil {
		return nil, bad("%v", err)
	}
	sum := sha256.Sum256(payload)
	m.version = "intent/" + m.algo + "-" + hex.EncodeToString(sum[:5])
	m.SetThreshold(threshold)
	return m, nil
}

// reader decodes the payload with bounds checks; the first error sticks.
type reader struct {
	b   []byte
	err error
}

func (r *reader) take(n uint64, what string) []byte {
	if r.err != nil {
		return nil
	}
	if n > uint64(len(r.b)) {
		r.err = fmt.Errorf("%s: need %d bytes, %d left", what, n, len(r.b))
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) u32(what string) uint32 {
	if b := r.take(4, what); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (r *reader) f32(what string) float32 { return math.Float32frombits(r.u32(what)) }

func (r *reader) str(what string) string {
	if r.err != nil {
		return ""
	}
	n, k := binary.Uvarint(r.b)
	if k <= 0 || n > maxLabelLen {
		r.err = fmt.Errorf("%s: bad length", what)
		return ""
	}
	r.b = r.b[k:]
	return string(r.take(n, what))
}

func (r *reader) floats(n uint64, what string) []float32 {
	if n > math.MaxInt/4 {
		r.err = fmt.Errorf("%s: %d values is too many", what, n)
		return nil
	}
	b := r.take(4*n, what)
	if b == nil {
		return nil
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		if math.IsNaN(float64(out[i])) || math.IsInf(float64(out[i]), 0) {
			r.err = fmt.Errorf("%s: value %d is not finite", what, i)
			return nil
		}
	}
	return out
}

func decodePayload(payload []byte) (*Model, error) {
	r := &reader{b: payload}
	m := &Model{}
	m.algo = r.str("algorithm")
	cfgb := r.take(3, "feature settings")
	if r.err != nil {
		return nil, r.err
	}
	if m.algo != algoSVM {
		return nil, fmt.Errorf("unknown algorithm %q", m.algo)
	}
	flags := cfgb[0]
	if flags>>4 != 0 {
		return nil, fmt.Errorf("unknown feature flags %#x", flags)
	}
	cfg := featureConfig{
		WordBigrams: flags&1 != 0, Trigrams: flags&2 != 0, SkipBigrams: flags&4 != 0, FoldDigits: flags&8 != 0,
		CharMin: int(cfgb[1]), CharMax: int(cfgb[2]), CharWeight: r.f32("char weight"),
	}
	m.platt = [2]float32{r.f32("calibration slope"), r.f32("calibration intercept")}
	nClass := uint64(r.u32("intent count"))
	if r.err != nil {
		return nil, r.err
	}
	if cfg.CharMin < 1 || cfg.CharMax < cfg.CharMin || cfg.CharMax > maxCharN {
		return nil, fmt.Errorf("character n-grams %d–%d out of range", cfg.CharMin, cfg.CharMax)
	}
	if !(cfg.CharWeight > 0 && cfg.CharWeight < math.MaxFloat32) {
		return nil, errors.New("char weight is not a positive number")
	}
	for _, v := range m.platt {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, errors.New("calibration is not a finite number")
		}
	}
	if nClass < 2 || nClass > uint64(len(r.b)) { // every intent takes at least a byte
		return nil, fmt.Errorf("%d intents", nClass)
	}
	m.intents = make([]string, nClass)
	for i := range m.intents {
		m.intents[i] = r.str("intent name")
		if r.err == nil && (m.intents[i] == "" || (i > 0 && m.intents[i] <= m.intents[i-1])) {
			return nil, fmt.Errorf("intent names must be non-empty, sorted and unique (at %d: %q)", i, m.intents[i])
		}
	}
	nFeat := uint64(r.u32("feature count"))
	nWord := uint64(r.u32("word feature count"))
	if r.err != nil {
		return nil, r.err
	}
	// Check the sizes against the bytes left before allocating anything.
	need := nFeat*8 + nFeat*4 + nClass*4 + nFeat*nClass*4
	if nFeat == 0 || nWord > nFeat || nFeat > math.MaxInt32 || nFeat > uint64(len(r.b)) || need != uint64(len(r.b)) {
		return nil, fmt.Errorf("%d features (%d words) and %d intents do not match %d bytes of weights", nFeat, nWord, nClass, len(r.b))
	}
	hb := r.take(nFeat*8, "feature hashes")
	hashes := make([]uint64, nFeat)
	for i := range hashes {
		hashes[i] = binary.LittleEndian.Uint64(hb[8*i:])
	}
	if i := slices.Index(hashes, 0); i >= 0 {
		return nil, fmt.Errorf("feature %d has the reserved hash 0", i)
	}
	sorted := slices.Clone(hashes)
	slices.Sort(sorted)
	if len(slices.Compact(sorted)) != len(hashes) {
		return nil, errors.New("duplicate feature hashes")
	}
	idf := r.floats(nFeat, "idf")
	m.bias = r.floats(nClass, "intercepts")
	m.weights = r.floats(nFeat*nClass, "weights")
	if r.err != nil {
		return nil, r.err
	}
	for i, v := range idf {
		if v <= 0 {
			return nil, fmt.Errorf("idf %d is %v, want > 0", i, v)
		}
	}
	m.vec = vectorizer{cfg: cfg, voc: newVocab(hashes, idf), nWord: int32(nWord), idf: idf}
	return m, nil
}
