package indexer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"noticesearch/dict"
	"noticesearch/indexer/textindex"
)

// Index is a notice index on disk, a folder holding:
//
//   - manifest.json, the commit point: the segments of the current state,
//     in order, with the notices deleted from each (manifest.go);
//   - for each segment NAME, NAME.tix, its notices' text, sections,
//     postings and metadata with checksums (package textindex), and
//     NAME.bleve/, a bleve (scorch) index of its notices' metadata for
//     filters, derived from NAME.tix;
//   - meta.json, which says the folder is an index, and of which format;
//   - lock, held by the one process writing the index (lock.go).
//
// Segments never change once written. A writer (Open) adds a segment for
// new and changed files and records deletions in a new manifest; merges
// keep the number of segments bounded (merge.go). Readers (OpenReader)
// take no lock: they read a committed state, and Refresh moves them to the
// newest. Every search reads one State from start to end.
type Index struct {
	path   string
	state  atomic.Pointer[State]
	writer *indexLock // nil for a reader

	mu      sync.Mutex          // held by commits and refreshes
	man     *manifest           // of the current state
	open    map[string]*segment // the current state's segments, by name
	retired []*segment          // segments of states replaced, to close
	files   map[string]fileLoc  // a writer's: the live notice of each file, by absolute path
	closed  bool

	maxFileSize int64 // Options.MaxFileSize
	// RetireAfter is how long a segment left out of a new state stays open
	// for the searches still reading an older one: longer than any search.
	RetireAfter time.Duration

	closeOnce sync.Once
	closeErr  error
}

// ErrStale says an index was built with other dictionaries, analyzers or
// layout than this program's.
var ErrStale = errors.New("index built with other dictionaries, by another version, or in an older layout; re-index with `noticesearch index --rebuild` / 索引与当前版本或词典不一致，请用 noticesearch index --rebuild 重建")

// ErrReadOnly says a change was asked of an index opened for reading.
var ErrReadOnly = errors.New("索引以只读方式打开 / index opened read-only")

// Files of an index folder. textFile and bleveDir are the layout before
// segments, recognised so that a rebuild can replace it.
const (
	metaFile   = "meta.json"
	textFile   = "text.idx"
	bleveDir   = "notices"
	filePrefix = "file:"
)

type indexMeta struct {
	Checksum        string `json:"checksum"`
	AnalyzerVersion int    `json:"analyzer_version"`
	FormatVersion   int    `json:"format_version"`
}

// FormatVersion changes whenever the index layout or the documents change
// in a way that an existing index would not match.
const FormatVersion = 10

// DefaultRetireAfter is Index.RetireAfter unless set.
const DefaultRetireAfter = time.Minute

// Options for opening an index.
type Options struct {
	// Rebuild replaces the index's notices by those of the next Add,
	// however it was built; the old files go once the new state is
	// committed.
	Rebuild bool
	// MaxFileSize bounds the bytes of one file to index; a larger file is
	// skipped with the reason. 0 means DefaultMaxFileSize.
	MaxFileSize int64
}

func wantMeta() indexMeta {
	return indexMeta{Checksum: dict.Checksum(), AnalyzerVersion: dict.AnalyzerVersion, FormatVersion: FormatVersion}
}

// Open opens the index at path for writing, creating it if there is none
// (or the folder is empty). An index built with other dictionaries, by
// another version or in an older layout fails with ErrStale unless
// opts.Rebuild; a folder that is not an index fails with ErrNotIndex. The
// index is locked for writing until Close: a second writer fails at once
// with ErrBusy. Readers are not locked out.
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
	ix := blankIndex(path)
	ix.writer, ix.maxFileSize = lock, opts.MaxFileSize
	if err := ix.openWriter(opts); err != nil {
		ix.closeSegments()
		lock.release()
		return nil, err
	}
	return ix, nil
}

// OpenReader opens the index at path for reading, without a lock: a
// writer may change it meanwhile, and Refresh moves to its newest state.
func OpenReader(path string) (*Index, error) {
	f, err := inspect(path, false)
	if err != nil {
		return nil, err
	}
	if f.empty {
		return nil, fmt.Errorf("%s: %w", path, ErrNoIndex)
	}
	ix := blankIndex(path)
	if _, err := ix.Refresh(); err != nil {
		ix.closeSegments()
		return nil, err
	}
	return ix, nil
}

// ErrNoIndex says there is no index at a path to read.
var ErrNoIndex = errors.New("还没有索引，请先运行 noticesearch index / no index yet; run `noticesearch index` first")

func blankIndex(path string) *Index {
	ix := &Index{path: path, open: map[string]*segment{}, RetireAfter: DefaultRetireAfter}
	ix.state.Store(&State{Text: textindex.Empty()})
	return ix
}

func (ix *Index) openWriter(opts Options) error {
	f, err := inspect(ix.path, opts.Rebuild)
	if err != nil {
		return err
	}
	if f.empty {
		// meta.json first, so that a creation cut short leaves a folder
		// recognisably an index's; then the manifest of the empty state, so
		// that segment files never lie in a folder without one.
		raw, _ := json.Marshal(wantMeta())
		if err := writeSynced(filepath.Join(ix.path, metaFile), raw); err != nil {
			return fmt.Errorf("create index %s: %w", ix.path, err)
		}
		ix.man = newManifest(0)
		if err := writeManifest(ix.path, ix.man); err != nil {
			return fmt.Errorf("create index %s: %w", ix.path, err)
		}
		return nil
	}
	m, err := readManifest(ix.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		switch {
		case opts.Rebuild:
		case f.has[textFile] || f.has[bleveDir]: // the layout before segments
			return fmt.Errorf("%s: %w", ix.path, ErrStale)
		case f.segments() > 0:
			return damaged(ix.path, manifestName, "文件缺失", "missing")
		}
		ix.man = newManifest(f.nextSegment()) // created, nothing committed yet
	case err != nil:
		return err
	case opts.Rebuild:
		ix.man = newManifest(m.NextSegment)
		ix.man.Generation = m.Generation
	case !m.sameBuild():
		return fmt.Errorf("%s: %w", ix.path, ErrStale)
	default:
		st, err := ix.openState(m, true)
		if err != nil {
			return err
		}
		ix.man = m
		ix.swap(st)
	}
	ix.indexFiles()
	return nil
}

func newManifest(next uint64) *manifest {
	w := wantMeta()
	return &manifest{NextSegment: next, Checksum: w.Checksum, AnalyzerVersion: w.AnalyzerVersion, FormatVersion: w.FormatVersion}
}

// sameBuild says whether m was built with this program's dictionaries,
// analyzers and format.
func (m *manifest) sameBuild() bool {
	w := wantMeta()
	return m.Checksum == w.Checksum && m.AnalyzerVersion == w.AnalyzerVersion && m.FormatVersion == w.FormatVersion
}

// State is the index's current state: what one search reads.
func (ix *Index) State() *State { return ix.state.Load() }

// Text is the current state's text index.
func (ix *Index) Text() *textindex.Index { return ix.State().Text }

// Path is the index's folder.
func (ix *Index) Path() string { return ix.path }

// Writable says whether the index was opened for writing.
func (ix *Index) Writable() bool { return ix.writer != nil }

// Refresh moves the index to the newest committed state, if it is not
// there already, and says whether it moved. On an error the index stays
// in the state it was in.
func (ix *Index) Refresh() (bool, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return false, errors.New("index closed")
	}
	m, err := readManifest(ix.path)
	if errors.Is(err, fs.ErrNotExist) {
		f, ferr := inspect(ix.path, false)
		if ferr != nil {
			return false, ferr
		}
		if f.has[textFile] || f.has[bleveDir] {
			return false, fmt.Errorf("%s: %w", ix.path, ErrStale)
		}
		if f.segments() > 0 {
			return false, damaged(ix.path, manifestName, "文件缺失", "missing")
		}
		return false, nil // created, nothing committed yet
	}
	if err != nil {
		return false, err
	}
	if ix.man != nil && m.Generation == ix.man.Generation {
		return false, nil
	}
	if !m.sameBuild() {
		return false, fmt.Errorf("%s: %w", ix.path, ErrStale)
	}
	st, err := ix.openState(m, ix.writer != nil)
	if err != nil {
		return false, err
	}
	ix.man = m
	ix.swap(st)
	return true, nil
}

// openState opens the state m names, sharing the segments already open.
// The caller holds ix.mu (or is opening the index).
func (ix *Index) openState(m *manifest, writer bool) (*State, error) {
	st := &State{Generation: m.Generation}
	var opened []*segment
	segs := make([]*textindex.Segment, len(m.Segments))
	deleted := make([][]int, len(m.Segments))
	for i, e := range m.Segments {
		s, ok := ix.open[e.Name]
		if !ok {
			var err error
			s, err = openSegment(ix.path, e, writer)
			if err != nil {
				for _, s := range opened {
					s.close()
				}
				return nil, err
			}
			opened = append(opened, s)
		} else if s.entry.Docs != e.Docs || s.entry.Sections != e.Sections {
			return nil, damaged(ix.path, e.Name+textExt, "与清单记录的条数不符", "does not hold what the manifest says")
		}
		st.segs = append(st.segs, s)
		segs[i], deleted[i] = s.text, e.Deleted
	}
	st.Text = textindex.NewIndex(segs, deleted)
	return st, nil
}

// swap makes st the current state. Segments it leaves out are closed
// after RetireAfter, when no search can be reading them any more. The
// caller holds ix.mu.
func (ix *Index) swap(st *State) {
	old := ix.state.Swap(st)
	keep := map[string]*segment{}
	for _, s := range st.segs {
		keep[s.name] = s
	}
	var gone []*segment
	for _, s := range old.segs {
		if keep[s.name] != s {
			gone = append(gone, s)
		}
	}
	ix.open = keep
	if len(gone) == 0 {
		return
	}
	ix.retired = append(ix.retired, gone...)
	time.AfterFunc(ix.RetireAfter, func() {
		ix.mu.Lock()
		defer ix.mu.Unlock()
		if ix.closed {
			return // Close closed them
		}
		for _, s := range gone {
			s.close()
		}
		ix.retired = slices.DeleteFunc(ix.retired, func(s *segment) bool { return slices.Contains(gone, s) })
	})
}

// closeSegments closes every open segment, retired ones included.
func (ix *Index) closeSegments() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.closed = true
	var err error
	for _, s := range append(slices.Collect(maps.Values(ix.open)), ix.retired...) {
		if e := s.close(); err == nil {
			err = e
		}
	}
	ix.open, ix.retired = map[string]*segment{}, nil
	return err
}

// Close closes the index and lets its lock go; closing it again does
// nothing.
func (ix *Index) Close() error {
	ix.closeOnce.Do(func() {
		ix.closeErr = ix.closeSegments()
		if ix.writer != nil {
			if err := ix.writer.release(); ix.closeErr == nil {
				ix.closeErr = err
			}
		}
	})
	return ix.closeErr
}
