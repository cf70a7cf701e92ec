package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"

	"noticesearch/dict"
)

// Index is a notice index on disk: bleve (scorch), one document per
// section, plus a record of every file indexed so that re-indexing an
// unchanged file is a no-op.
type Index struct {
	bleve bleve.Index
	path  string
}

// ErrStale says an index was built with other dictionaries or another
// analyzer version than this program's.
var ErrStale = errors.New("index built with other dictionaries or analyzers; re-index with `noticesearch index --rebuild` / 索引与当前词典不一致，请用 noticesearch index --rebuild 重建")

// Internal keys of the index.
const (
	metaKey    = "noticesearch:meta"
	filePrefix = "file:"
)

type indexMeta struct {
	Checksum        string `json:"checksum"`
	AnalyzerVersion int    `json:"analyzer_version"`
	FormatVersion   int    `json:"format_version"`
}

// FormatVersion changes whenever the index mapping or the documents change
// in a way that an existing index would not match.
const FormatVersion = 3

// Options for opening an index.
type Options struct {
	Rebuild bool // delete whatever is at the path and start afresh
}

// Open opens the index at path, creating it if there is none. An index
// built with other dictionaries fails with ErrStale unless opts.Rebuild.
func Open(path string, opts Options) (*Index, error) {
	if opts.Rebuild {
		if err := os.RemoveAll(path); err != nil {
			return nil, fmt.Errorf("remove old index %s: %w", path, err)
		}
	}
	want := indexMeta{Checksum: dict.Checksum(), AnalyzerVersion: dict.AnalyzerVersion, FormatVersion: FormatVersion}
	b, err := bleve.Open(path)
	if errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
		b, err = bleve.NewUsing(path, NewMapping(), "scorch", "scorch", nil)
		if err != nil {
			return nil, fmt.Errorf("create index %s: %w", path, err)
		}
		raw, _ := json.Marshal(want)
		if err := b.SetInternal([]byte(metaKey), raw); err != nil {
			b.Close()
			return nil, err
		}
		return &Index{bleve: b, path: path}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	raw, err := b.GetInternal([]byte(metaKey))
	var got indexMeta
	if err == nil {
		err = json.Unmarshal(raw, &got)
	}
	if err != nil || got != want {
		b.Close()
		return nil, fmt.Errorf("%s: %w", path, ErrStale)
	}
	return &Index{bleve: b, path: path}, nil
}

// Bleve is the underlying bleve index, for searching.
func (ix *Index) Bleve() bleve.Index { return ix.bleve }

// Close closes the index.
func (ix *Index) Close() error { return ix.bleve.Close() }

// Report says what an indexing run did.
type Report struct {
	Files     int       `json:"files"`     // files seen
	Indexed   int       `json:"indexed"`   // files whose notice was (re)indexed
	Unchanged int       `json:"unchanged"` // files already indexed as they are
	Notices   int       `json:"notices"`   // notices in the files seen, indexed or unchanged
	Sections  int       `json:"sections"`  // sections written
	Bytes     int64     `json:"bytes"`
	Seconds   float64   `json:"seconds"`
	Skipped   []Skipped `json:"skipped"`
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
	err    error
	same   bool // unchanged since the last run
}

// batchSections bounds a bleve batch; larger batches gain little and cost memory.
const batchSections = 2000

// Add indexes the notice files under paths (files or folders). Files are
// parsed on all cores and written in batches; one bad file is reported in
// the Report and the run goes on. A changed file replaces its old sections.
func (ix *Index) Add(ctx context.Context, paths []string, progress func(Progress)) (*Report, error) {
	start := time.Now()
	rep := &Report{Skipped: []Skipped{}}
	files, walkErrs := Files(ctx, paths)
	for _, err := range walkErrs {
		var fe *FileError
		if !errors.As(err, &fe) {
			return nil, err
		}
		rep.Skipped = append(rep.Skipped, Skipped{fe.Path, fe.Err.Error()})
	}
	rep.Files = len(files) + len(rep.Skipped)
	var total, read int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			total += fi.Size()
		}
	}

	w := ix.newBatchWriter()
	stale := map[string]int{}    // notice IDs that changed files held, with their section counts
	written := map[string]bool{} // notice IDs indexed in this run
	done := 0
	for r := range ix.parseAll(ctx, files) {
		done++
		read += r.size
		rep.Bytes += r.size
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
				w.record(r, r.notice)
			}
		default:
			n := r.notice
			written[n.ID] = true
			if old, _ := ix.record(r.key); old != nil && old.NoticeID != n.ID {
				stale[old.NoticeID] = max(stale[old.NoticeID], old.Sections)
			}
			for _, s := range n.Sections {
				w.index(s.ID, document(n, s))
			}
			w.record(r, n)
			rep.Indexed++
			rep.Notices++
			rep.Sections += len(n.Sections)
		}
	}
	err := w.close()
	// A changed file's old sections go last, once every batch is in, and
	// only if no file of this run holds that content now: batches run
	// concurrently, and a delete must not overtake the same ID's index.
	if err == nil && len(stale) > 0 {
		del := ix.bleve.NewBatch()
		for id, n := range stale {
			if !written[id] {
				for i := range n {
					del.Delete(sectionID(id, i))
				}
			}
		}
		err = ix.bleve.Batch(del)
	}
	rep.Seconds = time.Since(start).Seconds()
	if err != nil {
		return rep, fmt.Errorf("write index %s: %w", ix.path, err)
	}
	return rep, ctx.Err()
}

// parseAll parses files on all cores; the channel closes when all are done
// or ctx ends.
func (ix *Index) parseAll(ctx context.Context, files []string) <-chan parsed {
	jobs := make(chan string)
	results := make(chan parsed, 64)
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range jobs {
				results <- ix.parse(f)
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
	go func() { wg.Wait(); close(results) }()
	return results
}

// batchWriter fills bleve batches and writes them with two writers, so
// that one batch's analysis overlaps the other's segment building, which
// bleve does on one core.
type batchWriter struct {
	ix      *Index
	batch   *bleve.Batch
	batches chan *bleve.Batch
	wg      sync.WaitGroup
	mu      sync.Mutex
	err     error
}

func (ix *Index) newBatchWriter() *batchWriter {
	w := &batchWriter{ix: ix, batch: ix.bleve.NewBatch(), batches: make(chan *bleve.Batch)}
	for range 2 {
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			for b := range w.batches {
				if err := ix.bleve.Batch(b); err != nil {
					w.fail(err)
				}
			}
		}()
	}
	return w
}

func (w *batchWriter) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

func (w *batchWriter) index(id string, doc map[string]any) {
	if err := w.batch.Index(id, doc); err != nil {
		w.fail(fmt.Errorf("index %s: %w", id, err))
	}
}

// record remembers what a file held, in the same batch as its sections,
// and sends the batch once it is full.
func (w *batchWriter) record(r parsed, n *Notice) {
	rec, _ := json.Marshal(fileRecord{NoticeID: n.ID, Sections: len(n.Sections), Size: r.size, ModTime: r.mtime})
	w.batch.SetInternal([]byte(filePrefix+r.key), rec)
	if w.batch.Size() >= batchSections {
		w.batches <- w.batch
		w.batch = w.ix.bleve.NewBatch()
	}
}

// close writes what is left and waits for the writers.
func (w *batchWriter) close() error {
	if w.batch.Size() > 0 {
		w.batches <- w.batch
	}
	close(w.batches)
	w.wg.Wait()
	return w.err
}

func sectionID(noticeID string, seq int) string {
	return fmt.Sprintf("%s-%03d", noticeID, seq)
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
	if old != nil && old.Size == r.size && old.ModTime == r.mtime {
		r.same = true
		return r
	}
	r.notice, r.err = ReadFile(path)
	if r.err == nil {
		if old != nil && old.NoticeID == r.notice.ID && old.Sections == len(r.notice.Sections) {
			r.same = true
		}
	}
	return r
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
