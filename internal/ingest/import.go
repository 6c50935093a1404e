package ingest

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/northstar-cx/northstar/internal/cx"
	"github.com/northstar-cx/northstar/internal/identity"
)

// Store is where an import writes: the store package implements it.
type Store interface {
	BeginImport(ctx context.Context, origin string) (int64, error)
	Apply(ctx context.Context, importID int64, recs []*cx.Record) ([]cx.Result, error)
	// Relink recomputes repeat-contact links of the customers the import touched.
	Relink(ctx context.Context, importID int64, window time.Duration) error
	// Checkpoint makes every committed batch survive a crash (a store that
	// does not sync each commit, such as store.BulkLoad, does it here).
	Checkpoint(ctx context.Context) error
}

// Source is one input: a file, stdin, or an HTTP request body.
type Source struct {
	Name string                        // shown in errors: "world/interactions.ndjson", "-", "request"
	Size int64                         // bytes, for progress; 0 if unknown
	Open func() (io.ReadCloser, error) // opened once per pass
}

// FileSource opens a file by path; "-" is standard input.
func FileSource(path string) Source {
	if path == "-" {
		return Source{Name: "-", Open: func() (io.ReadCloser, error) { return io.NopCloser(os.Stdin), nil }}
	}
	var size int64
	if st, err := os.Stat(path); err == nil {
		size = st.Size()
	}
	return Source{Name: path, Size: size, Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// Options tune an import. The zero value works.
type Options struct {
	Normalizer identity.Normalizer
	// Analyze runs the analysis pipeline on an interaction before it is
	// stored (redaction first: nothing unredacted reaches the store).
	Analyze   func(*cx.Interaction)
	BatchSize int  // records per transaction; default 5000
	MaxLine   int  // bytes; longer NDJSON lines are rejected; default 16 MiB
	Strict    bool // store nothing if any record is rejected
	Workers   int  // decoding and analysis goroutines; default GOMAXPROCS
	// WriterFirst runs the decoding workers at a lower OS priority than the
	// writer (Linux; elsewhere it changes nothing). The writer stores batches
	// one after another and is the import's critical path: when it shares the
	// cores equally with the workers, they run ahead while it falls behind.
	// For an import that has the machine to itself, with GOMAXPROCS one above
	// the workers so the writer's Go side has a P of its own.
	WriterFirst bool
	Progress    func(Progress)
	// RepeatWindow is how close two contacts with the same intent must be
	// for the later to be a repeat; default 7 days.
	RepeatWindow time.Duration
}

// Progress is reported after every stored batch.
type Progress struct {
	Bytes, TotalBytes int64
	Records           int64
}

// Counts are what happened to the records of one type.
type Counts struct {
	Read      int `json:"read"`
	Inserted  int `json:"inserted"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Rejected  int `json:"rejected"`
}

// Report summarises an import.
type Report struct {
	Sources  []string                  `json:"sources"`
	Counts   map[cx.RecordType]*Counts `json:"counts"`
	Problems []Problem                 `json:"problems"`
	// Stored is false when --strict found problems and stored nothing.
	Stored          bool    `json:"stored"`
	Seconds         float64 `json:"seconds"`
	ProblemsDropped int     `json:"problems_not_listed,omitempty"`
}

// maxProblems bounds the problems kept in a report; the counts stay exact.
const maxProblems = 10000

// Merge adds another report's counts and problems (several requests of one import).
func (r *Report) Merge(o *Report) {
	r.Sources = append(r.Sources, o.Sources...)
	for t, c := range o.Counts {
		m := r.count(t)
		m.Read += c.Read
		m.Inserted += c.Inserted
		m.Updated += c.Updated
		m.Unchanged += c.Unchanged
		m.Rejected += c.Rejected
	}
	for _, p := range o.Problems {
		r.problem(p)
	}
	r.ProblemsDropped += o.ProblemsDropped
	r.Stored = r.Stored && o.Stored
	r.Seconds += o.Seconds
}

// Total sums the counts over record types.
func (r *Report) Total() Counts {
	var t Counts
	for _, c := range r.Counts {
		t.Read += c.Read
		t.Inserted += c.Inserted
		t.Updated += c.Updated
		t.Unchanged += c.Unchanged
		t.Rejected += c.Rejected
	}
	return t
}

func (r *Report) problem(p Problem) {
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, p)
	} else {
		r.ProblemsDropped++
	}
}

func (r *Report) count(t cx.RecordType) *Counts {
	c, ok := r.Counts[t]
	if !ok {
		c = &Counts{}
		r.Counts[t] = c
	}
	return c
}

// Import reads every source in order and stores its valid records. Bad
// records are reported and skipped; each batch of good ones is stored in one
// transaction, so an import that stops early keeps every batch it finished
// and no partial record. Everything it stored is durable when it returns,
// an error or not; a crash before that loses only what the store had not
// made durable (with store.BulkLoad, what followed its last checkpoint). The
// returned error is for failures that stop the import (unreadable file,
// database down), not for bad records.
func Import(ctx context.Context, st Store, sources []Source, o Options) (*Report, error) {
	if o.BatchSize <= 0 {
		o.BatchSize = 5000
	}
	if o.MaxLine <= 0 {
		o.MaxLine = 16 << 20
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	start := time.Now()
	rep := &Report{Counts: map[cx.RecordType]*Counts{}, Problems: []Problem{}}
	for _, s := range sources {
		rep.Sources = append(rep.Sources, s.Name)
	}
	if o.Strict {
		check := &importer{o: o, rep: rep}
		if err := check.run(ctx, sources); err != nil {
			return nil, err
		}
		if len(rep.Problems) > 0 || rep.ProblemsDropped > 0 {
			for _, c := range rep.Counts {
				c.Inserted, c.Updated, c.Unchanged = 0, 0, 0
			}
			rep.Seconds = time.Since(start).Seconds()
			return rep, nil
		}
		rep.Counts = map[cx.RecordType]*Counts{}
	}
	importID, err := st.BeginImport(ctx, strings.Join(rep.Sources, ","))
	if err != nil {
		return nil, err
	}
	im := &importer{o: o, rep: rep, st: st, importID: importID}
	err = im.run(ctx, sources)
	if err == nil {
		if o.RepeatWindow <= 0 {
			o.RepeatWindow = 7 * 24 * time.Hour
		}
		err = st.Relink(ctx, importID, o.RepeatWindow)
	}
	// Even when the import stops early, the batches it finished are kept.
	if cerr := st.Checkpoint(ctx); err == nil {
		err = cerr
	}
	rep.Stored = true
	rep.Seconds = time.Since(start).Seconds()
	return rep, err
}

// importer runs one pass over the sources: validation only when st is nil.
type importer struct {
	o        Options
	rep      *Report
	st       Store
	importID int64
	bytes    atomic.Int64
	total    int64
	records  int64
}

// item is one input record: an NDJSON line or a CSV row.
type item struct {
	line int
	raw  []byte        // NDJSON
	row  []string      // CSV
	typ  cx.RecordType // known even for most rejected records
	rec  *cx.Record
	errs []Problem
}

type chunk struct {
	source string
	csv    *csvReader
	items  []item
	done   chan struct{}
}

const chunkSize = 512

func (im *importer) run(ctx context.Context, sources []Source) error {
	for _, s := range sources {
		im.total += s.Size
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan *chunk, 4*im.o.Workers)
	// Decoded chunks wait in order for the writer. The room lets the workers
	// keep going through a long commit (a checkpoint writes hundreds of MB)
	// instead of stopping with a core idle: 32 chunks per worker measured
	// 3-4% faster than 8 for a few hundred MB more at most.
	ordered := make(chan *chunk, 32*im.o.Workers)
	var wg sync.WaitGroup
	for range im.o.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if im.o.WriterFirst {
				// The thread stays locked until the goroutine ends, when the
				// runtime discards it: its lower priority leaves with it.
				runtime.LockOSThread()
				lowerThreadPriority()
			}
			d := &decoder{norm: im.o.Normalizer.Memo()}
			for c := range work {
				im.decode(d, c)
				close(c.done)
			}
		}()
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(ordered)
		defer close(work)
		for _, s := range sources {
			if err := im.read(ctx, s, work, ordered); err != nil {
				readErr <- err
				return
			}
		}
		readErr <- nil
	}()
	applyErr := im.collect(ctx, ordered)
	if applyErr != nil {
		cancel()
	}
	for range ordered { // drain so the reader can finish
	}
	wg.Wait()
	if err := <-readErr; err != nil && applyErr == nil {
		return err
	}
	return applyErr
}

// read splits a source into chunks, sending each to the workers and, in
// order, to the collector.
func (im *importer) read(ctx context.Context, s Source, work, ordered chan<- *chunk) error {
	f, err := s.Open()
	if err != nil {
		return fmt.Errorf("import %s: %w", s.Name, err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(&countingReader{r: f, n: &im.bytes}, 256<<10)
	var r io.Reader = br
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("import %s: gzip: %w", s.Name, err)
		}
		defer gz.Close()
		r = bufio.NewReaderSize(gz, 256<<10)
	}
	in := r.(*bufio.Reader)
	// A UTF-8 byte order mark (Excel and Windows tools write one) is not data.
	if bom, _ := in.Peek(3); string(bom) == "\ufeff" {
		_, _ = in.Discard(3)
	}
	first, _ := in.Peek(64)
	first = bytes.TrimLeft(first, " \t\r\n\ufeff")
	send := func(c *chunk) error {
		c.done = make(chan struct{})
		select {
		case work <- c:
		case <-ctx.Done():
			return ctx.Err()
		}
		select {
		case ordered <- c:
		case <-ctx.Done():
			return ctx.Err()
		}
		return nil
	}
	if isCSV(s.Name, first) {
		return im.readCSV(s, in, send)
	}
	return im.readNDJSON(s, in, send)
}

// isCSV decides the format: by extension when it says, else by content (NDJSON
// records start with '{').
func isCSV(name string, head []byte) bool {
	name = strings.ToLower(strings.TrimSuffix(name, ".gz"))
	switch {
	case strings.HasSuffix(name, ".csv"):
		return true
	case strings.HasSuffix(name, ".ndjson"), strings.HasSuffix(name, ".jsonl"), strings.HasSuffix(name, ".json"):
		return false
	}
	return len(head) > 0 && head[0] != '{'
}

func (im *importer) readNDJSON(s Source, in *bufio.Reader, send func(*chunk) error) error {
	c := &chunk{source: s.Name}
	line := 0
	var long []byte
	for {
		frag, err := in.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			if len(long) <= im.o.MaxLine {
				long = append(long, frag...)
			}
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("import %s line %d: %w", s.Name, line+1, err)
		}
		if len(frag) > 0 || long != nil {
			line++
			var data []byte
			if long != nil {
				data = append(long, frag...)
				long = nil
			} else {
				data = append([]byte(nil), frag...)
			}
			data = bytes.TrimRight(data, "\r\n")
			switch {
			case len(data) > im.o.MaxLine:
				c.items = append(c.items, item{line: line, errs: []Problem{{Message: fmt.Sprintf(
					"line longer than the %s limit; the record was skipped (split it, or raise the limit with --max-line-mib)", sizeLimit(im.o.MaxLine))}}})
			case len(bytes.TrimSpace(data)) == 0:
				// blank lines are allowed between records
			default:
				c.items = append(c.items, item{line: line, raw: data})
			}
			if len(c.items) >= chunkSize {
				if err := send(c); err != nil {
					return err
				}
				c = &chunk{source: s.Name}
			}
		}
		if err != nil {
			break
		}
	}
	if len(c.items) > 0 {
		return send(c)
	}
	return nil
}

func (im *importer) readCSV(s Source, in io.Reader, send func(*chunk) error) error {
	cr, err := newCSVReader(in)
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err != nil {
		// A file whose header is unusable rejects as a whole; other files go on.
		return send(&chunk{source: s.Name, items: []item{{line: 1, typ: "file", errs: []Problem{{Message: err.Error()}}}}})
	}
	c := &chunk{source: s.Name, csv: cr}
	for {
		line, row, err := cr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return fmt.Errorf("import %s line %d: %w", s.Name, line, err)
			}
			c.items = append(c.items, item{line: pe.Line, typ: cr.typ, errs: []Problem{{Message: "malformed CSV: " + pe.Err.Error()}}})
			continue
		}
		c.items = append(c.items, item{line: line, row: row})
		if len(c.items) >= chunkSize {
			if err := send(c); err != nil {
				return err
			}
			c = &chunk{source: s.Name, csv: cr}
		}
	}
	if len(c.items) > 0 {
		return send(c)
	}
	return nil
}

// sizeLimit names a byte limit the way it is configured: in MiB when whole.
func sizeLimit(n int) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.Itoa(n>>20) + " MiB"
	}
	return strconv.Itoa(n) + "-byte"
}

// decode validates and analyses one chunk (in a worker).
func (im *importer) decode(d *decoder, c *chunk) {
	for i := range c.items {
		it := &c.items[i]
		if it.errs != nil {
			continue
		}
		if c.csv != nil {
			it.typ = c.csv.typ
			it.rec, it.errs = c.csv.decodeRow(d, it.row)
		} else {
			it.typ, it.rec, it.errs = d.decodeLine(it.raw)
		}
		it.raw, it.row = nil, nil
		if it.rec != nil {
			it.rec.Origin = c.source + ":" + strconv.Itoa(it.line)
			if im.st != nil && it.rec.Interaction != nil {
				if im.o.Analyze != nil {
					im.o.Analyze(it.rec.Interaction)
				}
				body, err := cx.StoredBody(it.rec.Interaction)
				if err != nil {
					it.rec, it.errs = nil, []Problem{{Message: "cannot encode the interaction: " + err.Error()}}
					continue
				}
				it.rec.Body = body
			}
		}
	}
}

// collect takes chunks in input order and stores their records in batches.
func (im *importer) collect(ctx context.Context, ordered <-chan *chunk) error {
	var pending []*cx.Record
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		if im.st != nil {
			results, err := im.st.Apply(ctx, im.importID, pending)
			if err != nil {
				return err
			}
			for i, res := range results {
				rec := pending[i]
				c := im.rep.count(rec.Type)
				switch res.Outcome {
				case cx.Inserted:
					c.Inserted++
				case cx.Updated:
					c.Updated++
				case cx.Unchanged:
					c.Unchanged++
				case cx.Rejected:
					c.Rejected++
					file, line := splitOrigin(rec.Origin)
					im.rep.problem(Problem{File: file, Line: line, Field: res.Field, Message: res.Err.Error()})
				}
			}
		}
		im.records += int64(len(pending))
		pending = pending[:0]
		if im.o.Progress != nil {
			im.o.Progress(Progress{Bytes: im.bytes.Load(), TotalBytes: im.total, Records: im.records})
		}
		return nil
	}
	for c := range ordered {
		<-c.done
		for _, it := range c.items {
			if it.rec == nil {
				typ := it.typ
				if typ == "" {
					typ = "unknown"
				}
				im.rep.count(typ).Read++
				im.rep.count(typ).Rejected++
				for _, p := range it.errs {
					p.File, p.Line = c.source, it.line
					im.rep.problem(p)
				}
				continue
			}
			im.rep.count(it.rec.Type).Read++
			pending = append(pending, it.rec)
			if len(pending) >= im.o.BatchSize {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return flush()
}

func splitOrigin(o string) (string, int) {
	i := strings.LastIndexByte(o, ':')
	if i < 0 {
		return o, 0
	}
	n := 0
	for _, ch := range o[i+1:] {
		n = n*10 + int(ch-'0')
	}
	return o[:i], n
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
