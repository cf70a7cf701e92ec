package indexer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/blevesearch/bleve/v2"

	"noticesearch/indexer/textindex"
)

// State is one committed state of an index: what a search reads from
// start to end. It never changes; a commit makes a new one.
type State struct {
	Generation uint64
	// Text holds the live notices' sections, numbered over the live
	// notices of every segment in order.
	Text *textindex.Index
	segs []*segment
}

// segment is one open segment: its text and the bleve index of its
// notices' metadata, which is derived from the text segment (and rebuilt
// from it when missing or disagreeing).
type segment struct {
	name    string
	text    *textindex.Segment
	notices bleve.Index
	byID    map[string]int // notice ID → document number in the segment
	entry   segmentEntry   // as the manifest that opened it had it, deletions aside
}

// close lets the segment's files go.
func (s *segment) close() error {
	err := s.notices.Close()
	if e := s.text.Close(); err == nil {
		err = e
	}
	return err
}

// openSegment opens the segment e of the index at dir: its text, verified
// against its checksums, and its bleve index, which must hold as many
// notices. A missing or disagreeing bleve index is rebuilt from the text
// segment: on disk by a writer, in memory by a reader (which must not
// write).
func openSegment(dir string, e segmentEntry, writer bool) (*segment, error) {
	text, err := textindex.OpenSegment(filepath.Join(dir, e.Name+textExt))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, damaged(dir, e.Name+textExt, "文件缺失", "missing")
	case err != nil:
		return nil, damaged(dir, e.Name+textExt, err.Error(), err.Error())
	case text.Docs() != e.Docs || text.Sections() != e.Sections:
		text.Close()
		return nil, damaged(dir, e.Name+textExt, "与清单记录的条数不符", "does not hold what the manifest says")
	}
	s := &segment{name: e.Name, text: text, byID: make(map[string]int, text.Docs()), entry: e}
	for d := range text.Docs() {
		s.byID[text.DocID(d)] = d
	}
	s.notices, err = openSegmentNotices(dir, s, writer)
	if err != nil {
		text.Close()
		return nil, err
	}
	// What opening read of the text (the notices' IDs, and their metadata
	// for a bleve index rebuilt) is checked as it is read: see
	// textindex.Segment.Damaged.
	if err := text.Damaged(); err != nil {
		s.close()
		return nil, damaged(dir, e.Name+textExt, err.Error(), err.Error())
	}
	return s, nil
}

// openSegmentNotices opens the bleve index of segment s's notices, and
// checks that it is the segment's; or rebuilds it.
func openSegmentNotices(dir string, s *segment, writer bool) (bleve.Index, error) {
	// Read-only, by writers too: a segment's bleve index never changes once
	// written, and readers (with bolt's shared lock) must not lock a writer
	// out, nor a writer them.
	path := filepath.Join(dir, s.name+bleveExt)
	b, err := bleve.OpenUsing(path, map[string]any{"read_only": true, "bolt_timeout": boltTimeout})
	if err == nil {
		if agrees(b, s) {
			b.SetName(s.name)
			return b, nil
		}
		b.Close()
		err = errors.New("disagrees with its segment")
	}
	if !writer {
		// Derived data: a reader builds it in memory, the next writer on disk.
		b, err := buildNotices("", s.text)
		if err != nil {
			return nil, fmt.Errorf("open index %s: %s: %w", dir, s.name+bleveExt, err)
		}
		b.SetName(s.name)
		return b, nil
	}
	if err := os.RemoveAll(path); err != nil {
		return nil, err
	}
	if err := writeNotices(path, s.text); err != nil {
		return nil, fmt.Errorf("rebuild %s: %w", path, err)
	}
	b, err = bleve.OpenUsing(path, map[string]any{"read_only": true, "bolt_timeout": boltTimeout})
	if err != nil {
		return nil, err
	}
	b.SetName(s.name)
	return b, nil
}

// segmentKey is the bleve internal key naming the segment a bleve index
// was built from.
var segmentKey = []byte("segment")

// agrees says whether b was built from segment s: it names it and holds
// as many notices.
func agrees(b bleve.Index, s *segment) bool {
	name, err := b.GetInternal(segmentKey)
	if err != nil || string(name) != s.name+"/"+strconv.Itoa(s.text.Docs()) {
		return false
	}
	n, err := b.DocCount()
	return err == nil && n == uint64(s.text.Docs())
}

// writeNotices writes the bleve index of seg's notices at path, through a
// temporary folder renamed into place.
func writeNotices(path string, seg *textindex.Segment) error {
	tmp := path + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	b, err := buildNotices(tmp, seg)
	if err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := b.Close(); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	// A folder already there is a run's cut short before its commit (a
	// segment's name is never reused once committed, and a disagreeing one
	// is removed before its rebuild): it is replaced, as a rename cannot.
	if err := os.RemoveAll(path); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// buildNotices builds the bleve index of seg's notices at path, or in
// memory when path is "".
func buildNotices(path string, seg *textindex.Segment) (bleve.Index, error) {
	var b bleve.Index
	var err error
	if path == "" {
		b, err = bleve.NewMemOnly(NewMapping())
	} else {
		b, err = bleve.NewUsing(path, NewMapping(), "scorch", "scorch", map[string]any{"bolt_timeout": boltTimeout})
	}
	if err != nil {
		return nil, err
	}
	batch := b.NewBatch()
	for d := range seg.Docs() {
		m, err := DecodeMeta(seg.DocMeta(d))
		if err != nil {
			b.Close()
			return nil, fmt.Errorf("notice %s: %w", seg.DocID(d), err)
		}
		if err := batch.Index(seg.DocID(d), document(seg.DocID(d), &m)); err != nil {
			b.Close()
			return nil, err
		}
		if batch.Size() >= batchNotices {
			if err := b.Batch(batch); err != nil {
				b.Close()
				return nil, err
			}
			batch = b.NewBatch()
		}
	}
	// The name is the segment's, whatever folder it was built in.
	batch.SetInternal(segmentKey, []byte(segmentNameOf(path)+"/"+strconv.Itoa(seg.Docs())))
	if err := b.Batch(batch); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// segmentNameOf is the segment name of a bleve folder's path.
func segmentNameOf(path string) string {
	base := filepath.Base(path)
	for _, ext := range []string{".tmp", bleveExt} {
		if len(base) > len(ext) && base[len(base)-len(ext):] == ext {
			base = base[:len(base)-len(ext)]
		}
	}
	return base
}

// batchNotices bounds a bleve batch of notice documents.
const batchNotices = 1000

// Notices runs req, a search of notice metadata, on every segment, and
// calls found with the number in Text of each live notice it finds.
func (st *State) Notices(ctx context.Context, req *bleve.SearchRequest, found func(doc int)) error {
	for i, s := range st.segs {
		r := *req
		r.Size = max(s.text.Docs(), 1)
		res, err := s.notices.SearchInContext(ctx, &r)
		if err != nil {
			return err
		}
		for _, h := range res.Hits {
			d, ok := s.byID[h.ID]
			if !ok {
				continue
			}
			if v := st.Text.DocAt(i, d); v >= 0 {
				found(v)
			}
		}
	}
	return nil
}

// Segments is the number of segments of the state.
func (st *State) Segments() int { return len(st.segs) }
