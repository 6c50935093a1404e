package sentiment

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"strconv"
	"strings"
)

// The model file: a text header that says what the file is, then the
// weights in binary, then a checksum.
//
//	northstar-sentiment-model 1
//	version: sentiment/trained-3f2a9c01b7de
//	lexicon: sentiment/1
//	labels: negative,neutral,positive
//	bits: 18
//	chars: 3 4 1
//	dense: 24
//	rows: 81234
//	bias: -0.1 0.2 0.05
//	<blank line>
//	rows × (uint32 row, 3 × float32), little endian, rows ascending
//	uint32 CRC-32 (IEEE) of the header and the rows
//
// Only rows with a non-zero weight are stored. The lexicon version is
// checked on load because the lexicon's scores are features: weights
// learned over one lexicon are wrong for another.
const (
	fileMagic   = "northstar-sentiment-model"
	fileFormat  = 1
	maxHeader   = 4096
	headerLines = 16
)

// Save writes a trained model to w. The default model has nothing to save:
// it is built into the binary.
func (m *Model) Save(w io.Writer) error {
	if m.lin == nil {
		return errors.New("sentiment: save: the default model is built in; only trained models are saved")
	}
	l := m.lin
	var rows int
	for i := 0; i < len(l.w); i += 3 {
		if l.w[i] != 0 || l.w[i+1] != 0 || l.w[i+2] != 0 {
			rows++
		}
	}
	crc := crc32.NewIEEE()
	bw := bufio.NewWriter(io.MultiWriter(w, crc))
	fmt.Fprintf(bw, "%s %d\n", fileMagic, fileFormat)
	fmt.Fprintf(bw, "version: %s\n", m.version)
	fmt.Fprintf(bw, "lexicon: %s\n", Version)
	fmt.Fprintf(bw, "labels: %s\n", strings.Join(labelNames[:], ","))
	fmt.Fprintf(bw, "bits: %d\n", l.bits)
	fmt.Fprintf(bw, "chars: %d %d %s\n", l.charMin, l.charMax, fmtFloat(l.charWeight))
	fmt.Fprintf(bw, "dense: %d\n", nDense)
	fmt.Fprintf(bw, "rows: %d\n", rows)
	fmt.Fprintf(bw, "bias: %s %s %s\n\n", fmtFloat(l.b[0]), fmtFloat(l.b[1]), fmtFloat(l.b[2]))
	var rec [16]byte
	for i := 0; i < len(l.w); i += 3 {
		if l.w[i] == 0 && l.w[i+1] == 0 && l.w[i+2] == 0 {
			continue
		}
		binary.LittleEndian.PutUint32(rec[0:], uint32(i/3))
		for c := range 3 {
			binary.LittleEndian.PutUint32(rec[4+4*c:], math.Float32bits(l.w[i+c]))
		}
		bw.Write(rec[:])
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("sentiment: save: %w", err)
	}
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], crc.Sum32())
	if _, err := w.Write(sum[:]); err != nil {
		return fmt.Errorf("sentiment: save: %w", err)
	}
	return nil
}

func fmtFloat(f float32) string { return strconv.FormatFloat(float64(f), 'g', -1, 32) }

// Load reads a model written by Save. Errors say what is wrong with the
// file: not a model, a format or lexicon this build does not read, a
// malformed header line, truncated or corrupt weights.
func Load(r io.Reader) (*Model, error) {
	m, err := load(r)
	if err != nil {
		return nil, fmt.Errorf("sentiment: load model: %w", err)
	}
	return m, nil
}

func load(r io.Reader) (*Model, error) {
	crc := crc32.NewIEEE() // covers every byte before the checksum
	br := bufio.NewReader(r)
	var hdr strings.Builder
	readLine := func(n int) (string, error) {
		var b []byte
		for {
			c, err := br.ReadByte()
			if err != nil {
				if errors.Is(err, io.EOF) {
					return "", fmt.Errorf("header line %d: unexpected end of file", n)
				}
				return "", fmt.Errorf("header line %d: %w", n, err)
			}
			crc.Write([]byte{c})
			if hdr.Len()+len(b) >= maxHeader {
				return "", fmt.Errorf("header longer than %d bytes: not a sentiment model", maxHeader)
			}
			if c == '\n' {
				hdr.Write(b)
				return string(b), nil
			}
			b = append(b, c)
		}
	}
	first, err := readLine(1)
	if err != nil {
		return nil, err
	}
	magic, num, _ := strings.Cut(first, " ")
	if magic != fileMagic {
		return nil, fmt.Errorf("not a sentiment model (the first line is %q, want %q)", clip(first), fileMagic+" "+strconv.Itoa(fileFormat))
	}
	if num != strconv.Itoa(fileFormat) {
		return nil, fmt.Errorf("format %q is not supported; this build reads format %d", clip(num), fileFormat)
	}
	fields := map[string]string{}
	for n := 2; ; n++ {
		if n > headerLines {
			return nil, fmt.Errorf("header has more than %d lines and no blank line ending it", headerLines)
		}
		line, err := readLine(n)
		if err != nil {
			return nil, err
		}
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, ": ")
		if !ok || k == "" {
			return nil, fmt.Errorf("header line %d: %q is not \"key: value\"", n, clip(line))
		}
		if _, dup := fields[k]; dup {
			return nil, fmt.Errorf("header line %d: %q given twice", n, k)
		}
		fields[k] = v
	}
	need := func(k string) (string, error) {
		v, ok := fields[k]
		if !ok {
			return "", fmt.Errorf("header lacks %q", k)
		}
		return v, nil
	}
	version, err := need("version")
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(version, "sentiment/trained-") {
		return nil, fmt.Errorf("version %q is not a trained sentiment model", clip(version))
	}
	lex, err := need("lexicon")
	if err != nil {
		return nil, err
	}
	if lex != Version {
		return nil, fmt.Errorf("model was trained over lexicon %q but this build has %q; retrain it", clip(lex), Version)
	}
	labels, err := need("labels")
	if err != nil {
		return nil, err
	}
	if labels != strings.Join(labelNames[:], ",") {
		return nil, fmt.Errorf("labels %q, want %q", clip(labels), strings.Join(labelNames[:], ","))
	}
	bits, err := headerInt(fields, "bits", minBits, maxBits)
	if err != nil {
		return nil, err
	}
	if d, err := headerInt(fields, "dense", 0, 1<<20); err != nil {
		return nil, err
	} else if d != nDense {
		return nil, fmt.Errorf("dense: %d features, this build has %d; retrain the model", d, nDense)
	}
	rows, err := headerInt(fields, "rows", 0, 1<<bits)
	if err != nil {
		return nil, err
	}
	l := &linear{bits: bits}
	chars, err := need("chars")
	if err != nil {
		return nil, err
	}
	cf := strings.Fields(chars)
	if len(cf) != 3 {
		return nil, fmt.Errorf("chars: %q, want \"min max weight\"", clip(chars))
	}
	l.charMin, err = strconv.Atoi(cf[0])
	if err == nil {
		l.charMax, err = strconv.Atoi(cf[1])
	}
	if err != nil || l.charMin < 0 || l.charMax > 8 || l.charMin > l.charMax || (l.charMax > 0 && l.charMin < 1) {
		return nil, fmt.Errorf("chars: %q: n-gram sizes must satisfy 1 ≤ min ≤ max ≤ 8, or both 0", clip(chars))
	}
	w, err := parseFloat32(cf[2])
	if err != nil || w < 0 {
		return nil, fmt.Errorf("chars: weight %q is not a non-negative number", clip(cf[2]))
	}
	l.charWeight = w
	bias, err := need("bias")
	if err != nil {
		return nil, err
	}
	bf := strings.Fields(bias)
	if len(bf) != 3 {
		return nil, fmt.Errorf("bias: %q, want three numbers", clip(bias))
	}
	for c := range 3 {
		if l.b[c], err = parseFloat32(bf[c]); err != nil {
			return nil, fmt.Errorf("bias: %q is not a finite number", clip(bf[c]))
		}
	}

	// Read the rows (as many as there are, not as many as the header
	// claims) before allocating the weight table, so that a truncated or
	// lying file fails cheaply.
	body, err := io.ReadAll(io.LimitReader(br, int64(16*rows+5)))
	if err != nil {
		return nil, fmt.Errorf("weights: %w", err)
	}
	switch n := len(body); {
	case n < 16*rows:
		return nil, fmt.Errorf("weights truncated after %d of %d rows", n/16, rows)
	case n < 16*rows+4:
		return nil, errors.New("checksum missing: the file is truncated")
	case n > 16*rows+4:
		return nil, errors.New("data after the checksum: the file is corrupt or two files were joined")
	}
	crc.Write(body[:16*rows])
	if got, want := crc.Sum32(), binary.LittleEndian.Uint32(body[16*rows:]); got != want {
		return nil, fmt.Errorf("checksum mismatch (file says %08x, content gives %08x): the file is corrupt", want, got)
	}
	l.w = make([]float32, 3<<bits)
	prev := -1
	for i := range rows {
		rec := body[16*i : 16*i+16]
		row := int(binary.LittleEndian.Uint32(rec))
		if row <= prev || row >= 1<<bits {
			return nil, fmt.Errorf("weights: row %d of %d has index %d; indices must ascend below %d", i+1, rows, row, 1<<bits)
		}
		prev = row
		for c := range 3 {
			f := math.Float32frombits(binary.LittleEndian.Uint32(rec[4+4*c:]))
			if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) {
				return nil, fmt.Errorf("weights: row %d has a non-finite weight", i+1)
			}
			l.w[3*row+c] = f
		}
	}
	if got := l.version(); got != version {
		return nil, fmt.Errorf("version %q does not match the weights (%q): the header was edited", clip(version), got)
	}
	lx, err := loadLexicon()
	if err != nil {
		return nil, err
	}
	return &Model{lx: lx, rules: defaultRules(), lin: l, version: version}, nil
}

func headerInt(fields map[string]string, k string, lo, hi int) (int, error) {
	v, ok := fields[k]
	if !ok {
		return 0, fmt.Errorf("header lacks %q", k)
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s: %q is not a whole number in %d…%d", k, clip(v), lo, hi)
	}
	return n, nil
}

func parseFloat32(s string) (float32, error) {
	f, err := strconv.ParseFloat(s, 32)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a finite number", s)
	}
	return float32(f), nil
}

// clip keeps error messages short when a file is not what it should be.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
