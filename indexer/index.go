package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"

	"noticesearch/dict"
	"noticesearch/indexer/textindex"
)

// Index is a notice index on disk, a folder holding:
//
//   - text.idx, the text index: every section's text and the postings
//     that find literal terms in it (package textindex), with each
//     notice's metadata for display;
//   - notices/, a bleve (scorch) index with one document per notice, its
//     metadata as keywords for filters, and a record of every file indexed
//     so that re-indexing an unchanged file is a no-op;
//   - meta.json, the dictionaries and versions the index was built with;
//   - lock, held by the process that has the index open (lock.go).
type Index struct {
	bleve bleve.Index
	path  string
	text  atomic.Pointer[textindex.Index]
	lock  *indexLock

	maxFileSize int64 // Options.MaxFileSize

	closeOnce sync.Once
	closeErr  error
}

// ErrStale says an index was built with other dictionaries, analyzers or
// layout than this program's, or that its text index cannot be read.
var ErrStale = errors.New("index built with other dictionaries, by another version, or damaged; re-index with `noticesearch index --rebuild` / 索引与当前版本或词典不一致或已损坏，请用 noticesearch index --rebuild 重建")

// Files of an index folder.
const (
	metaFile   = "meta.json"
	textFile   = "text.idx"
	bleveDir   = "notices"
	filePrefix = "file:" // bleve internal key of a file's record
)

type indexMeta struct {
	Checksum        string `json:"checksum"`
	AnalyzerVersion int    `json:"analyzer_version"`
	FormatVersion   int    `json:"format_version"`
}

// FormatVersion changes whenever the index layout or the documents change
// in a way that an existing index would not match.
const FormatVersion = 5

// Options for opening an index.
type Options struct {
	Rebuild bool // delete the index at the path and start afresh
	// MaxFileSize bounds the bytes of one file to index; a larger file is
	// skipped with the reason. 0 means DefaultMaxFileSize.
	MaxFileSize int64
}

// Open opens the index at path, creating it if there is none (or the
// folder is empty). An index built with other dictionaries or by another
// version fails with ErrStale unless opts.Rebuild; a folder that is not
// an index fails with ErrNotIndex, and a rebuild removes nothing but a
// recognisable index (folder.go). The index is locked until Close: an
// index open elsewhere fails at once with ErrBusy.
func Open(path string, opts Options) (*Index, error) {
	// A first look before the lock, whose file would otherwise land in a
	// folder that is not ours; the look that counts is under the lock.
	if _, err := inspect(path, opts.Rebuild); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	lock, err := lockIndex(path)
	if err != nil {
		return nil, err
	}
	ix, err := openLocked(path, opts)
	if err != nil {
		lock.release()
		return nil, err
	}
	ix.lock = lock
	ix.maxFileSize = opts.MaxFileSize
	return ix, nil
}

func openLocked(path string, opts Options) (*Index, error) {
	want := indexMeta{Checksum: dict.Checksum(), AnalyzerVersion: dict.AnalyzerVersion, FormatVersion: FormatVersion}
	f, err := inspect(path, opts.Rebuild)
	if err != nil {
		return nil, err
	}
	if opts.Rebuild && !f.empty {
		if err := f.remove(path); err != nil {
			return nil, err
		}
		f.empty = true
	}
	if f.empty {
		return create(path, want)
	}
	if f.meta != want || !f.has[bleveDir] {
		return nil, fmt.Errorf("%s: %w", path, ErrStale)
	}
	b, err := bleve.OpenUsing(filepath.Join(path, bleveDir), bleveConfig())
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	ix := &Index{bleve: b, path: path}
	var text *textindex.Index
	seg, err := textindex.OpenSegment(filepath.Join(path, textFile))
	if err == nil {
		text = textindex.NewIndex([]*textindex.Segment{seg}, nil)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		text = textindex.Empty() // nothing indexed yet
	case errors.Is(err, textindex.ErrFormat):
		b.Close()
		return nil, fmt.Errorf("%s: %s: %w", path, textFile, ErrStale)
	case err != nil:
		b.Close()
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	ix.text.Store(text)
	return ix, nil
}

// create makes an index in an empty folder, meta.json first so that a
// creation cut short leaves a folder that a rebuild recognises.
func create(path string, meta indexMeta) (*Index, error) {
	raw, _ := json.Marshal(meta)
	if err := os.WriteFile(filepath.Join(path, metaFile), raw, 0o644); err != nil {
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	b, err := bleve.NewUsing(filepath.Join(path, bleveDir), NewMapping(), "scorch", "scorch", bleveConfig())
	if err != nil {
		os.RemoveAll(filepath.Join(path, bleveDir))
		os.Remove(filepath.Join(path, metaFile))
		return nil, fmt.Errorf("create index %s: %w", path, err)
	}
	ix := &Index{bleve: b, path: path}
	ix.text.Store(textindex.Empty())
	return ix, nil
}

// bleveConfig bounds the wait for bolt's lock (see boltTimeout). bleve
// also records it in notices/index_meta.json, where it bounds the wait of
// any program that opens the index with bleve.Open.
func bleveConfig() map[string]any {
	return map[string]any{"bolt_timeout": boltTimeout}
}

// Bleve is the bleve index of notices, for filters.
func (ix *Index) Bleve() bleve.Index { return ix.bleve }

// Text is the text index as the last indexing run left it.
func (ix *Index) Text() *textindex.Index { return ix.text.Load() }

// Close closes the index and lets its lock go; closing it again does
// nothing.
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() {
		ix.closeErr = ix.bleve.Close()
		if err := ix.lock.release(); ix.closeErr == nil {
			ix.closeErr = err
		}
	})
	return ix.closeErr
}

// Report says what an indexing run did.
type Report struct {
	Files     int       `json:"files"`      // files seen
	Indexed   int       `json:"indexed"`    // files whose notice was (re)indexed
	Unchanged int       `json:"unchanged"`  // files already indexed as they are
	Notices   int       `json:"notices"`    // notices in the files seen, indexed or unchanged
	Sections  int       `json:"sections"`   // sections written
	Bytes     int64     `json:"bytes"`      // size of the files seen
	ReadBytes int64     `json:"read_bytes"` // size of the files read (a file unchanged in size and time is not)
	Seconds   float64   `json:"seconds"`    // time taken, whether the run succeeded or not
	Skipped   []Skipped `json:"skipped"`    // files that could not be read as notices: a failed run (exit status 1)
	Ignored   []Skipped `json:"ignored"`    // entries of folders that are not notice files by their kind (other types, hidden), listed but not a failure
}

// Skipped is a file that was not indexed, and why.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Progress is reported while indexing.
type Progress struct {
	Files, Done int
	Bytes, Read int64
	Elapsed     time.Duration
}

// fileRecord remembers what a file held when it was last indexed.
type fileRecord struct {
	NoticeID string `json:"notice_id"`
	Sections int    `json:"sections"`
	Size     int64  `json:"size"`
	ModTime  int64  `json:"mtime"`
}

// parsed is one file's outcome, from the parsing workers to the writer.
type parsed struct {
	path   string // as given
	key    string // absolute, the file's record key
	size   int64
	mtime  int64
	notice *Notice
	doc    *textindex.Doc // the notice, analysed for the text index
	err    error
	same   bool        // unchanged since the last run
	old    *fileRecord // what the file held in the last run, if it was indexed
}

// batchNotices bounds a bleve batch of notice documents and file records.
const batchNotices = 1000

// Add indexes the notice files under paths (files or folders). Files are
// parsed and analysed on all cores; one bad file is reported in the
// Report and the run goes on. A changed file replaces its old notice.
//
// The text index is rewritten whole (the notices already indexed are
// carried over without being read again), then the bleve index records
// the notices and files: a run cut short leaves files unrecorded, to be
// read again by the next run, never recorded but missing.
func (ix *Index) Add(ctx context.Context, paths []string, progress func(Progress)) (*Report, error) {
	start := time.Now()
	rep := &Report{Skipped: []Skipped{}, Ignored: []Skipped{}}
	defer func() { rep.Seconds = time.Since(start).Seconds() }() // on every return
	files, walkErrs := Files(ctx, paths)
	for _, err := range walkErrs {
		var fe *FileError
		if !errors.As(err, &fe) {
			return rep, err
		}
		if IsIgnored(fe) {
			rep.Ignored = append(rep.Ignored, Skipped{fe.Path, fe.Err.Error()})
		} else {
			rep.Skipped = append(rep.Skipped, Skipped{fe.Path, fe.Err.Error()})
		}
	}
	rep.Files = len(files) + len(rep.Skipped) + len(rep.Ignored)
	var total, read int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			total += fi.Size()
		}
	}

	builder := textindex.NewBuilder()
	var batches []*bleve.Batch
	batch := ix.bleve.NewBatch()
	record := func(r parsed, n *Notice) {
		rec, _ := json.Marshal(fileRecord{NoticeID: n.ID, Sections: len(n.Sections), Size: r.size, ModTime: r.mtime})
		batch.SetInternal([]byte(filePrefix+r.key), rec)
		if batch.Size() >= batchNotices {
			batches = append(batches, batch)
			batch = ix.bleve.NewBatch()
		}
	}
	stale := map[string]bool{}   // notice IDs that changed files held
	written := map[string]bool{} // notice IDs indexed in this run
	done := 0
	for r := range ix.parseAll(ctx, files) {
		done++
		read += r.size
		rep.Bytes += r.size
		if (!r.same || r.notice != nil) && !errors.Is(r.err, ErrTooLarge) { // a file over the limit is refused unread
			rep.ReadBytes += r.size
		}
		if progress != nil {
			progress(Progress{Files: len(files), Done: done, Bytes: total, Read: read, Elapsed: time.Since(start)})
		}
		switch {
		case r.err != nil:
			reason := r.err.Error()
			var fe *FileError
			if errors.As(r.err, &fe) {
				reason = fe.Err.Error()
			}
			rep.Skipped = append(rep.Skipped, Skipped{r.path, reason})
		case r.same:
			rep.Unchanged++
			rep.Notices++
			if r.notice != nil { // same content, new mtime: remember it
				record(r, r.notice)
			}
		default:
			n := r.notice
			if r.old != nil && r.old.NoticeID != n.ID {
				stale[r.old.NoticeID] = true
			}
			if !written[n.ID] { // the same notice in two files is indexed once
				written[n.ID] = true
				builder.Add(r.doc)
				if err := batch.Index(n.ID, document(n)); err != nil {
					return rep, fmt.Errorf("index %s: %w", n.Path, err)
				}
				rep.Sections += len(n.Sections)
			}
			record(r, n)
			rep.Indexed++
			rep.Notices++
		}
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	// A changed file's old notice goes, unless a file of this run holds
	// that content now.
	for id := range stale {
		if !written[id] {
			batch.Delete(id)
		}
	}
	batches = append(batches, batch)
	if len(written) > 0 || len(stale) > 0 {
		old := ix.Text()
		builder.Inherit(old, func(id string) bool { return written[id] || stale[id] })
		seg, err := builder.Write(filepath.Join(ix.path, textFile))
		if err != nil {
			return rep, fmt.Errorf("write index %s: %w", ix.path, err)
		}
		ix.text.Store(textindex.NewIndex([]*textindex.Segment{seg}, nil))
	}
	for _, b := range batches {
		if err := ix.bleve.Batch(b); err != nil {
			return rep, fmt.Errorf("write index %s: %w", ix.path, err)
		}
	}
	return rep, nil
}

// parseAll parses and analyses files on all cores; the channel closes when
// all are done or ctx ends. Parsing does not wait for the segmenter, which
// takes a second or two to load: parsed notices queue up for analysis
// meanwhile.
func (ix *Index) parseAll(ctx context.Context, files []string) <-chan parsed {
	jobs := make(chan string)
	read := make(chan parsed, 1024)
	results := make(chan parsed, 64)
	var parsing, analysing sync.WaitGroup
	for range runtime.NumCPU() {
		parsing.Add(1)
		go func() {
			defer parsing.Done()
			for f := range jobs {
				read <- ix.parse(f)
			}
		}()
		analysing.Add(1)
		go func() {
			defer analysing.Done()
			for r := range read {
				if ctx.Err() != nil {
					continue // cancelled: what is queued is dropped, not analysed
				}
				results <- analyse(r)
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, f := range files {
			select {
			case jobs <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { parsing.Wait(); close(read) }()
	go func() { analysing.Wait(); close(results) }()
	return results
}

// parse reads one file unless the index holds it unchanged (same size and
// modification time, or the same content).
func (ix *Index) parse(path string) parsed {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	r := parsed{path: path, key: abs}
	fi, err := os.Stat(path)
	if err != nil {
		r.err = &FileError{path, err}
		return r
	}
	r.size, r.mtime = fi.Size(), fi.ModTime().UnixNano()
	old, _ := ix.record(abs)
	r.old = old
	if old != nil && old.Size == r.size && old.ModTime == r.mtime {
		r.same = true
		return r
	}
	r.notice, r.err = ReadFileLimit(path, ix.maxFileSize)
	if r.err == nil && old != nil && old.NoticeID == r.notice.ID && old.Sections == len(r.notice.Sections) {
		r.same = true
	}
	return r
}

// analyse prepares a new or changed notice for the text index.
func analyse(r parsed) parsed {
	if r.err != nil || r.same {
		return r
	}
	seg, err := dict.Segmenter()
	if err != nil {
		r.err = fmt.Errorf("load segmenter: %w", err)
		return r
	}
	r.doc = textDoc(r.notice)
	textindex.Analyze(seg, r.doc)
	return r
}

// textDoc is a notice as the text index takes it: its title, when it has
// one, as a first section of level textindex.TitleLevel, so that a title
// is searched, counted and checked like any section; then its sections.
func textDoc(n *Notice) *textindex.Doc {
	d := &textindex.Doc{ID: n.ID, Meta: encodeMeta(n), Sections: make([]textindex.Section, 0, len(n.Sections)+1)}
	if n.Title != "" {
		d.Sections = append(d.Sections, textindex.Section{Level: textindex.TitleLevel, Text: n.Title})
	}
	for _, s := range n.Sections {
		d.Sections = append(d.Sections, textindex.Section{Seq: s.Seq, Level: s.Level, Path: strings.Join(s.Path, PathSep), Text: s.Text})
	}
	return d
}

func (ix *Index) record(absPath string) (*fileRecord, error) {
	raw, err := ix.bleve.GetInternal([]byte(filePrefix + absPath))
	if err != nil || raw == nil {
		return nil, err
	}
	var rec fileRecord
	if err := json.Unmarshal(raw, &rec); err != nil {
		return nil, err
	}
	return &rec, nil
}
