package search

import (
	"os"
	"path/filepath"
	"testing"

	"noticesearch/indexer"
)

// TestNoticeAfter: walking sections in ascending order, with any gaps,
// noticeAfter finds each one's notice as doc says, over an index of
// several segments with a notice deleted and one changed; and doc, filled
// in notice by notice, is the text index's.
func TestNoticeAfter(t *testing.T) {
	src, dir := t.TempDir(), t.TempDir()
	entries, err := os.ReadDir(noticeDir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if data, err := os.ReadFile(filepath.Join(noticeDir, e.Name())); err == nil && !e.IsDir() {
			os.WriteFile(filepath.Join(src, e.Name()), data, 0o644)
			names = append(names, e.Name())
		}
	}
	if len(names) < 4 {
		t.Fatalf("%d notices in %s", len(names), noticeDir)
	}
	ix, err := indexer.Open(filepath.Join(dir, "ix"), indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	add := func() {
		if _, err := ix.Add(t.Context(), []string{src}, nil); err != nil {
			t.Fatal(err)
		}
	}
	add()
	// A second segment: one notice gone, one changed.
	os.Remove(filepath.Join(src, names[1]))
	data, _ := os.ReadFile(filepath.Join(src, names[2]))
	os.WriteFile(filepath.Join(src, names[2]), append(data, "\n\n补充说明：本通知自印发之日起施行。\n"...), 0o644)
	add()
	s := New(ix).snapshot()
	if len(s.segs) < 2 {
		t.Fatalf("%d segments, want several", len(s.segs))
	}
	// The tables filled in by notice are the text index's, section by
	// section.
	total := int64(0)
	for sec := range s.doc {
		if s.doc[sec] != uint32(s.text.Doc(sec)) {
			t.Fatalf("section %d: notice %d, the text index says %d", sec, s.doc[sec], s.text.Doc(sec))
		}
		total += int64(s.text.NormLen(sec))
	}
	if total != s.textBytes || len(s.doc) != s.text.Sections() {
		t.Errorf("%d bytes of %d sections, the text index has %d of %d", s.textBytes, len(s.doc), total, s.text.Sections())
	}
	for stride := 1; stride <= 40; stride += 3 {
		for start := range min(stride, len(s.doc)) {
			d := -1
			for sec := start; sec < len(s.doc); sec += stride {
				if d = s.noticeAfter(d, uint32(sec)); d != int(s.doc[sec]) {
					t.Fatalf("stride %d: section %d is notice %d's, noticeAfter says %d", stride, sec, s.doc[sec], d)
				}
			}
		}
	}
}
