package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"noticesearch/dict"
	"noticesearch/indexer/textindex"
)

// Report says what an indexing run did.
type Report struct {
	Files     int       `json:"files"`      // files seen
	Indexed   int       `json:"indexed"`    // files whose notice was (re)indexed
	Unchanged int       `json:"unchanged"`  // files already indexed as they are
	Removed   int       `json:"removed"`    // notices removed: their files are gone from the folders indexed, or were named to remove
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

// fileRecord is what a notice's segment records of its file (in
// textindex.Doc.Record): which file, and what it held.
type fileRecord struct {
	Path        string `json:"path"` // absolute
	Size        int64  `json:"size"`
	ModTime     int64  `json:"mtime"`
	Fingerprint string `json:"fingerprint"` // of the content (Notice.Fingerprint)
	Sections    int    `json:"sections"`
}

// fileLoc is where the live notice of a file is: the segment, by name, and
// its number there.
type fileLoc struct {
	seg string
	doc int
	rec fileRecord
}

// parsed is one file's outcome, from the parsing workers to the writer.
type parsed struct {
	path   string // as given
	key    string // absolute, the file's identity
	size   int64
	mtime  int64
	notice *Notice
	doc    *textindex.Doc // the notice, analysed for the text index
	err    error
	same   bool     // unchanged since the last run: same size and time
	old    *fileLoc // the file's notice in the index, if it has one
}

// indexFiles maps each file to its live notice. The caller holds ix.mu or
// is opening the index.
func (ix *Index) indexFiles() {
	st := ix.State()
	ix.files = make(map[string]fileLoc, st.Text.Docs())
	for d := range st.Text.Docs() {
		var rec fileRecord
		if json.Unmarshal(st.Text.DocRecord(d), &rec) != nil || rec.Path == "" {
			continue // not the indexer's: never a file to skip or remove
		}
		seg, local := st.Text.Locate(d)
		ix.files[rec.Path] = fileLoc{seg: st.segs[seg].name, doc: local, rec: rec}
	}
}

// change is what one commit does: the notices of new segments, and the
// notices deleted, by segment name.
type change struct {
	ix      *Index
	add     *textindex.Builder // the segment being filled
	added   int                // notices in it
	bytes   int                // of text in it
	deletes map[string][]int
	// The segments of this change already written (see flush), and the
	// one being written: a segment holds at most segmentBytes of text, so
	// that a run's memory is bounded however many files it reads, and is
	// written while the next one fills.
	written []*segment
	writing chan segmentWritten
	next    uint64 // the number of the next segment to write
}

type segmentWritten struct {
	seg *segment
	err error
}

// segmentBytes bounds the text of one segment a run writes (a variable for
// the tests). On the laws
// corpus the builder holds about nine times the text it has taken.
var segmentBytes = 48 << 20

func (ix *Index) newChange() *change {
	return &change{ix: ix, add: textindex.NewBuilder(), next: ix.man.NextSegment}
}

// take adds a notice to the segment being filled, and starts writing it
// once it is full.
func (c *change) take(d *textindex.Doc) error {
	c.add.Add(d)
	c.added++
	for _, s := range d.Sections {
		c.bytes += len(s.Text)
	}
	if c.bytes < segmentBytes {
		return nil
	}
	return c.flush()
}

// flush starts writing the segment being filled, after the one being
// written, if any, is done; and starts a new one.
func (c *change) flush() error {
	if err := c.wait(); err != nil {
		return err
	}
	b, name := c.add, segmentName(c.next)
	c.next++
	c.writing = make(chan segmentWritten, 1)
	go func(done chan<- segmentWritten) {
		seg, err := c.ix.writeSegment(name, b)
		done <- segmentWritten{seg, err}
	}(c.writing)
	c.add, c.added, c.bytes = textindex.NewBuilder(), 0, 0
	return nil
}

// wait waits for the segment being written, if any.
func (c *change) wait() error {
	if c.writing == nil {
		return nil
	}
	w := <-c.writing
	c.writing = nil
	if w.err != nil {
		return w.err
	}
	c.written = append(c.written, w.seg)
	return nil
}

// discard closes the segments written for a change that will not be
// committed: their files are garbage, which the next commit removes.
func (c *change) discard() {
	c.wait()
	for _, s := range c.written {
		s.close()
	}
	c.written = nil
}

func (c *change) delete(loc fileLoc) {
	if c.deletes == nil {
		c.deletes = map[string][]int{}
	}
	c.deletes[loc.seg] = append(c.deletes[loc.seg], loc.doc)
}

func (c *change) empty() bool {
	return c.added == 0 && len(c.deletes) == 0 && len(c.written) == 0 && c.writing == nil
}

// Add indexes the notice files under paths (files or folders). Files are
// parsed and analysed on all cores; one bad file is reported in the
// Report and the run goes on. A changed file replaces its old notice; the
// notice of a file gone from a folder indexed goes (a file that could not
// be read stays as it was).
//
// The new and changed notices make one new segment, and the run commits
// with one manifest: a run cut short leaves the index as it was.
func (ix *Index) Add(ctx context.Context, paths []string, progress func(Progress)) (*Report, error) {
	start := time.Now()
	rep := &Report{Skipped: []Skipped{}, Ignored: []Skipped{}}
	defer func() { rep.Seconds = time.Since(start).Seconds() }() // on every return
	if ix.writer == nil {
		return rep, ErrReadOnly
	}
	files, walkErrs := ix.withoutOwnFolder(Files(ctx, paths))
	files = distinctFiles(files)
	kept := map[string]bool{} // files that are still there, indexed or not
	for _, err := range walkErrs {
		var fe *FileError
		if !errors.As(err, &fe) {
			return rep, err
		}
		if IsIgnored(fe) {
			rep.Ignored = append(rep.Ignored, Skipped{fe.Path, fe.Err.Error()})
		} else {
			rep.Skipped = append(rep.Skipped, Skipped{fe.Path, fe.Err.Error()})
			kept[absPath(fe.Path)] = true
		}
	}
	rep.Files = len(files) + len(rep.Skipped) + len(rep.Ignored)
	var total, read int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			total += fi.Size()
		}
	}

	ix.mu.Lock()
	defer ix.mu.Unlock()
	replace := ix.man.Generation == 0 && len(ix.man.Segments) == 0 && ix.State().Generation != ix.man.Generation
	_ = replace
	c := ix.newChange()
	defer c.discard() // nothing once committed
	done := 0
	for r := range ix.parseAll(ctx, files) {
		done++
		read += r.size
		rep.Bytes += r.size
		kept[r.key] = true
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
		default:
			if r.old != nil {
				c.delete(*r.old)
			}
			if err := c.take(r.doc); err != nil {
				return rep, err
			}
			rep.Sections += len(r.notice.Sections)
			rep.Indexed++
			rep.Notices++
		}
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	// The notices of files gone from the folders indexed go too, each
	// once however many of the folders hold it.
	dirs := folders(paths)
	for path, loc := range ix.files {
		if !kept[path] && slices.ContainsFunc(dirs, func(dir string) bool { return within(path, dir) }) {
			c.delete(loc)
			rep.Removed++
		}
	}
	if err := ix.commit(ctx, c); err != nil {
		return rep, err
	}
	return rep, ix.mergeLocked(ctx, false)
}

// Remove removes the notices of the files named, and of every file
// indexed under the folders named; a path that names no notice of the
// index is reported as skipped. It commits once.
func (ix *Index) Remove(ctx context.Context, paths []string) (*Report, error) {
	start := time.Now()
	rep := &Report{Skipped: []Skipped{}, Ignored: []Skipped{}}
	defer func() { rep.Seconds = time.Since(start).Seconds() }()
	if ix.writer == nil {
		return rep, ErrReadOnly
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	c := ix.newChange()
	defer c.discard()
	removed := map[string]bool{} // a notice named twice (a file and its folder) is removed once
	for _, p := range paths {
		abs := absPath(p)
		n := 0
		for path, loc := range ix.files {
			if path == abs || within(path, abs) {
				n++
				if !removed[path] {
					removed[path] = true
					c.delete(loc)
					rep.Removed++
				}
			}
		}
		if n == 0 {
			rep.Skipped = append(rep.Skipped, Skipped{p, "索引中没有该文件的公文 / no notice of this path in the index"})
		}
		rep.Files++
	}
	if err := ix.commit(ctx, c); err != nil {
		return rep, err
	}
	return rep, ix.mergeLocked(ctx, false)
}

// distinctFiles drops the repeats of a file listed twice (named, and in a
// folder named too; or named twice) by its absolute path, its identity:
// each would otherwise be parsed and added as a live notice of its own.
func distinctFiles(files []string) []string {
	seen := make(map[string]bool, len(files))
	return slices.DeleteFunc(files, func(f string) bool {
		k := absPath(f)
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	})
}

// folders are the paths that are folders, absolute.
func folders(paths []string) []string {
	var out []string
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			out = append(out, absPath(p))
		}
	}
	return out
}

// within says whether path lies under the folder dir.
func within(path, dir string) bool {
	return strings.HasPrefix(path, strings.TrimSuffix(dir, string(filepath.Separator))+string(filepath.Separator))
}

func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// commit writes c's segment, then a manifest naming the new state, and
// moves to it. The caller holds ix.mu.
func (ix *Index) commit(ctx context.Context, c *change) error {
	if c.empty() {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.added > 0 {
		if err := c.flush(); err != nil {
			return err
		}
	}
	if err := c.wait(); err != nil {
		return err
	}
	m := *ix.man // a rebuild's names no segment yet: its first commit replaces them all
	m.Segments = slices.Clone(m.Segments)
	m.NextSegment = max(m.NextSegment, c.next)
	for _, s := range c.written {
		m.Segments = append(m.Segments, s.entry)
	}
	for i := range m.Segments {
		e := &m.Segments[i]
		if del := c.deletes[e.Name]; len(del) > 0 {
			e.Deleted = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(e.Deleted), del...))))
		}
	}
	// A segment whose every notice is deleted leaves the state.
	m.Segments = slices.DeleteFunc(m.Segments, func(e segmentEntry) bool { return len(e.Deleted) == e.Docs })
	if err := ctx.Err(); err != nil {
		return err
	}
	segs := c.written
	c.written = nil // the commit's now: published, or closed by publish
	return ix.publish(&m, segs...)
}

// publish commits m, the next state, with segs, the segments written for
// it, and moves to it. The caller holds ix.mu.
func (ix *Index) publish(m *manifest, segs ...*segment) error {
	m.Generation++
	var live []*segment
	for _, seg := range segs {
		if slices.ContainsFunc(m.Segments, func(e segmentEntry) bool { return e.Name == seg.name }) {
			live = append(live, seg)
		} else {
			seg.close() // nothing of it is live: it is garbage already
		}
	}
	if err := writeManifest(ix.path, m); err != nil {
		for _, seg := range live {
			seg.close()
		}
		return fmt.Errorf("write index %s: %w", ix.path, err)
	}
	// Committed. From here on the new state is the index's, whatever
	// happens to this process.
	for _, seg := range live {
		ix.open[seg.name] = seg
	}
	st, err := ix.openState(m, true)
	if err != nil {
		return err
	}
	ix.man = m
	ix.swap(st)
	ix.indexFiles()
	ix.collectGarbage()
	return nil
}

// writeSegment writes the segment of b's notices, and its bleve index.
func (ix *Index) writeSegment(name string, b *textindex.Builder) (*segment, error) {
	path := filepath.Join(ix.path, name+textExt)
	text, err := b.Write(path)
	if err != nil {
		return nil, fmt.Errorf("write index %s: %w", ix.path, err)
	}
	fail := func(err error) (*segment, error) {
		text.Close()
		os.Remove(path)
		os.RemoveAll(filepath.Join(ix.path, name+bleveExt))
		return nil, fmt.Errorf("write index %s: %w", ix.path, err)
	}
	if err := writeNotices(filepath.Join(ix.path, name+bleveExt), text); err != nil {
		return fail(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fail(err)
	}
	e := segmentEntry{Name: name, Docs: text.Docs(), Sections: text.Sections(), Bytes: fi.Size()}
	s := &segment{name: name, text: text, byID: make(map[string]int, text.Docs()), entry: e}
	for d := range text.Docs() {
		s.byID[text.DocID(d)] = d
	}
	if s.notices, err = openSegmentNotices(ix.path, s, true); err != nil {
		return fail(err)
	}
	text.Release() // what building its bleve index read: see Segment.Release
	return s, nil
}

// collectGarbage removes the segment files no manifest names (left by a
// run cut short, or by a state replaced), and the files of the layout
// before segments once a manifest replaces it. It removes nothing it does
// not recognise as the writer's own. The caller holds ix.mu or is opening
// the index.
func (ix *Index) collectGarbage() {
	entries, err := os.ReadDir(ix.path)
	if err != nil {
		return
	}
	named := map[string]bool{}
	for _, e := range ix.man.Segments {
		named[e.Name+textExt], named[e.Name+bleveExt] = true, true
	}
	committed := ix.man.Generation > 0
	for _, e := range entries {
		name := e.Name()
		switch {
		case segmentFile.MatchString(name) && !named[name]:
			os.RemoveAll(filepath.Join(ix.path, name))
		case committed && (name == textFile || name == tempTextFile || name == bleveDir):
			os.RemoveAll(filepath.Join(ix.path, name))
		}
	}
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
// modification time).
func (ix *Index) parse(path string) parsed {
	r := parsed{path: path, key: absPath(path)}
	fi, err := os.Stat(path)
	if err != nil {
		r.err = &FileError{path, err}
		return r
	}
	r.size, r.mtime = fi.Size(), fi.ModTime().UnixNano()
	if old, ok := ix.files[r.key]; ok {
		r.old = &old
		if old.rec.Size == r.size && old.rec.ModTime == r.mtime {
			r.same = true
			return r
		}
	}
	r.notice, r.err = ReadFileLimit(path, ix.maxFileSize)
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
	r.doc.Record, _ = json.Marshal(fileRecord{Path: r.key, Size: r.size, ModTime: r.mtime, Fingerprint: r.notice.Fingerprint, Sections: len(r.notice.Sections)})
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
