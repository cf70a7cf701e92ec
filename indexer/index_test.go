package indexer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"noticesearch/indexer/textindex"
)

func TestIndexAddReportsAndSkips(t *testing.T) {
	ix, err := Open(filepath.Join(t.TempDir(), "ix"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	rep, err := ix.Add(t.Context(), []string{noticeDir, brokenDir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	notices := noticeFiles(t)
	broken, _ := filepath.Glob(filepath.Join(brokenDir, "*"))
	if rep.Indexed != len(notices) || rep.Notices != len(notices) || len(rep.Skipped) != len(broken) || len(rep.Ignored) != 0 {
		t.Errorf("report: indexed %d, notices %d, skipped %d, ignored %d; want %d, %d, %d, 0", rep.Indexed, rep.Notices, len(rep.Skipped), len(rep.Ignored), len(notices), len(notices), len(broken))
	}
	for _, s := range rep.Skipped {
		if !strings.HasPrefix(s.Path, brokenDir) || s.Reason == "" {
			t.Errorf("skipped %+v", s)
		}
	}
	// The text index holds each notice's title as a section before its body.
	if got, titles := ix.Text().Sections(), countTitles(ix.Text()); got != rep.Sections+titles || titles != rep.Notices {
		t.Errorf("text index holds %d sections (%d titles), report says %d written for %d notices", got, titles, rep.Sections, rep.Notices)
	}
	if count := liveNotices(t, ix); count != ix.Text().Docs() || count == 0 {
		t.Errorf("%d notice documents in bleve, %d notices in the text index", count, ix.Text().Docs())
	}

	again, err := ix.Add(t.Context(), []string{noticeDir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.Indexed != 0 || again.Unchanged != len(notices) || again.Sections != 0 {
		t.Errorf("re-indexing unchanged files: %+v", again)
	}
}

func TestIndexReplacesAChangedFile(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(noticeDir, "ouhai-2022-xuncha-zhenggai.txt"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "notice.txt")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(filepath.Join(dir, "ix"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	first, err := ix.Add(t.Context(), []string{path}, nil)
	if err != nil || first.Indexed != 1 {
		t.Fatal(err, first)
	}
	old, _ := ReadFile(path)

	// Drop the last top-level part: fewer sections, the same notice.
	cut := strings.LastIndex(string(src), "三、")
	if err := os.WriteFile(path, src[:cut], 0o644); err != nil {
		t.Fatal(err)
	}
	second, err := ix.Add(t.Context(), []string{path}, nil)
	if err != nil || second.Indexed != 1 {
		t.Fatal(err, second)
	}
	now, _ := ReadFile(path)
	if old.ID != now.ID || old.Fingerprint == now.Fingerprint {
		t.Fatal("the change changed the notice ID, or kept the fingerprint")
	}
	text := ix.Text()
	if text.Docs() != 1 || text.DocID(0) != now.ID || text.Sections() != 1+len(now.Sections) || text.Text(0) != now.Title {
		t.Errorf("text index after the change: %d notices (first %s), %d sections; want %s with %d sections",
			text.Docs(), text.DocID(0), text.Sections(), now.ID, len(now.Sections))
	}
	if count := liveNotices(t, ix); count != 1 {
		t.Errorf("bleve after the change: %d live notices", count)
	}
	// Reopened from disk, the index is the same.
	ix.Close()
	ix, err = Open(filepath.Join(dir, "ix"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := ix.Text(); got.Docs() != 1 || got.Sections() != 1+len(now.Sections) || got.Text(1) != now.Sections[0].Text {
		t.Errorf("reopened: %d notices, %d sections", got.Docs(), got.Sections())
	}
}

func TestIndexWithOtherDictionariesIsStale(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ix")
	ix, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Add(t.Context(), []string{filepath.Join(noticeDir, "ouhai-2022-xuncha-zhenggai.txt")}, nil); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	m, err := readManifest(path)
	if err != nil {
		t.Fatal(err)
	}
	m.Checksum = "other"
	if err := writeManifest(path, m); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, Options{}); !errors.Is(err, ErrStale) || !strings.Contains(err.Error(), "--rebuild") {
		t.Fatalf("err = %v, want ErrStale naming --rebuild", err)
	}
	if _, err := OpenReader(path); !errors.Is(err, ErrStale) {
		t.Fatalf("reader: err = %v, want ErrStale", err)
	}
	ix, err = Open(path, Options{Rebuild: true})
	if err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	ix.Close()
}

// TestTheLayoutBeforeSegmentsIsStale: an index of the single-file layout
// is refused with the advice to rebuild, and a rebuild replaces it.
func TestTheLayoutBeforeSegmentsIsStale(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ix")
	os.MkdirAll(filepath.Join(path, bleveDir), 0o755)
	os.WriteFile(filepath.Join(path, metaFile), []byte(`{"checksum":"x","analyzer_version":1,"format_version":5}`), 0o644)
	os.WriteFile(filepath.Join(path, textFile), []byte("NSTEXT"), 0o644)
	if _, err := Open(path, Options{}); !errors.Is(err, ErrStale) {
		t.Fatalf("err = %v, want ErrStale", err)
	}
	ix, err := Open(path, Options{Rebuild: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Add(t.Context(), []string{filepath.Join(noticeDir, "ouhai-2022-xuncha-zhenggai.txt")}, nil); err != nil {
		t.Fatal(err)
	}
	for _, old := range []string{textFile, bleveDir} {
		if _, err := os.Stat(filepath.Join(path, old)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s still there after the rebuild: %v", old, err)
		}
	}
}

// TestTwoFilesWithTheSameTextAreTwoNotices: identity is the file; editing
// one leaves the other as it was.
func TestTwoFilesWithTheSameTextAreTwoNotices(t *testing.T) {
	dir := t.TempDir()
	x, _ := os.ReadFile(filepath.Join(noticeDir, "ouhai-2022-xuncha-zhenggai.txt"))
	y, _ := os.ReadFile(filepath.Join(noticeDir, "wuhou-2023-yingshang-yaodian.txt"))
	a, b := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	os.WriteFile(a, x, 0o644)
	os.WriteFile(b, x, 0o644)
	ix, err := Open(filepath.Join(dir, "ix"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Add(t.Context(), []string{a, b}, nil); err != nil {
		t.Fatal(err)
	}
	if n := ix.Text().Docs(); n != 2 {
		t.Fatalf("%d notices for two files with the same text", n)
	}
	os.WriteFile(a, y, 0o644)
	if _, err := ix.Add(t.Context(), []string{a, b}, nil); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for d := range ix.Text().Docs() {
		m, _ := DecodeMeta(ix.Text().DocMeta(d))
		got[ix.Text().DocID(d)] = m.Title
	}
	wantA, _ := ReadFile(a)
	wantB, _ := ReadFile(b)
	if len(got) != 2 || got[NoticeID(a)] != wantA.Title || got[NoticeID(b)] != wantB.Title {
		t.Errorf("after editing one: %v", got)
	}
}

// TestReindexingAFolderRemovesTheNoticesOfFilesGone, and remove removes
// named ones; a file that cannot be read stays as it was.
func TestReindexingAFolderRemovesTheNoticesOfFilesGone(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.MkdirAll(src, 0o755)
	for _, name := range []string{"ouhai-2022-xuncha-zhenggai.txt", "wuhou-2023-yingshang-yaodian.txt", "ouhai-2018-dianxing-wenti.txt"} {
		data, _ := os.ReadFile(filepath.Join(noticeDir, name))
		os.WriteFile(filepath.Join(src, name), data, 0o644)
	}
	ix, err := Open(filepath.Join(dir, "ix"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Add(t.Context(), []string{src}, nil); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(src, "wuhou-2023-yingshang-yaodian.txt"))
	rep, err := ix.Add(t.Context(), []string{src}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Removed != 1 || rep.Unchanged != 2 || ix.Text().Docs() != 2 || liveNotices(t, ix) != 2 {
		t.Errorf("after removing a file: %+v, %d notices, %d in bleve", rep, ix.Text().Docs(), liveNotices(t, ix))
	}
	rep, err = ix.Remove(t.Context(), []string{filepath.Join(src, "ouhai-2018-dianxing-wenti.txt"), filepath.Join(src, "never-indexed.txt")})
	if err == nil && (rep.Removed != 1 || len(rep.Skipped) != 1 || ix.Text().Docs() != 1) {
		t.Errorf("remove: %+v, %d notices", rep, ix.Text().Docs())
	}
	if err != nil {
		t.Fatal(err)
	}
	if ix.Text().DocID(0) != NoticeID(filepath.Join(src, "ouhai-2022-xuncha-zhenggai.txt")) {
		t.Errorf("the notice left is %s", ix.Text().DocID(0))
	}
}

// TestAReaderSeesCommitsWhenItRefreshes: a reader opened beside a writer
// keeps its state until Refresh, then sees the writer's last commit.
func TestAReaderSeesCommitsWhenItRefreshes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ix")
	w, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Add(t.Context(), []string{filepath.Join(noticeDir, "ouhai-2022-xuncha-zhenggai.txt")}, nil); err != nil {
		t.Fatal(err)
	}
	r, err := OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := OpenReader(path); err != nil {
		t.Fatalf("a second reader: %v", err)
	}
	if _, err := w.Add(t.Context(), []string{noticeDir}, nil); err != nil {
		t.Fatal(err)
	}
	if r.Text().Docs() != 1 {
		t.Errorf("the reader moved without Refresh: %d notices", r.Text().Docs())
	}
	moved, err := r.Refresh()
	if err != nil || !moved || r.Text().Docs() != w.Text().Docs() || r.State().Generation != w.State().Generation {
		t.Errorf("after Refresh (%v, %v): %d notices at generation %d, the writer %d at %d", moved, err, r.Text().Docs(), r.State().Generation, w.Text().Docs(), w.State().Generation)
	}
	if _, err := r.Add(t.Context(), []string{noticeDir}, nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("a reader's Add: %v", err)
	}
}

// TestDamagedSegmentsAreRefused: a segment missing, cut short or with a
// byte changed is refused with ErrDamaged naming it; a bleve index of a
// segment removed by hand is rebuilt from the segment.
func TestDamagedSegmentsAreRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ix")
	ix, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Add(t.Context(), []string{noticeDir}, nil); err != nil {
		t.Fatal(err)
	}
	want := ix.Text().Sections()
	ix.Close()
	m, err := readManifest(path)
	if err != nil || len(m.Segments) != 1 {
		t.Fatal(err, m)
	}
	seg := filepath.Join(path, m.Segments[0].Name+textExt)
	os.RemoveAll(filepath.Join(path, m.Segments[0].Name+bleveExt))
	r, err := OpenReader(path)
	if err != nil || r.Text().Sections() != want || liveNotices(t, r) != r.Text().Docs() {
		t.Fatalf("without its bleve index: %v", err)
	}
	r.Close()
	data, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	for name, damage := range map[string]func() error{
		"missing": func() error { return os.Remove(seg) },
		// Never read as an empty index, which the next commit would
		// make of it.
		"manifest missing": func() error { return os.Remove(filepath.Join(path, manifestName)) },
		"cut":              func() error { return os.WriteFile(seg, data[:len(data)/2], 0o644) },
		"manifest": func() error {
			raw, _ := os.ReadFile(filepath.Join(path, manifestName))
			raw[len(raw)/2] ^= 1
			return os.WriteFile(filepath.Join(path, manifestName), raw, 0o644)
		},
	} {
		raw, _ := os.ReadFile(filepath.Join(path, manifestName))
		if err := damage(); err != nil {
			t.Fatal(err)
		}
		for _, open := range []func() (*Index, error){func() (*Index, error) { return Open(path, Options{}) }, func() (*Index, error) { return OpenReader(path) }} {
			if ix, err := open(); !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "check") {
				t.Errorf("%s: err = %v, want ErrDamaged", name, err)
				if err == nil {
					ix.Close()
				}
			}
		}
		os.WriteFile(seg, data, 0o644)
		os.WriteFile(filepath.Join(path, manifestName), raw, 0o644)
	}
}

// TestMergesKeepTheSegmentsBounded: many small commits leave few
// segments, and Optimize leaves one, with every notice still there.
func TestMergesKeepTheSegmentsBounded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ix")
	ix, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	files := noticeFiles(t)
	for _, f := range files {
		if _, err := ix.Add(t.Context(), []string{f}, nil); err != nil {
			t.Fatal(err)
		}
		// Fewer than mergeFactor segments in each tier, up to the
		// tier of the whole.
		if n, most := ix.State().Segments(), (mergeFactor-1)*(tier(ix.Text().Sections())+1); n > most {
			t.Fatalf("%d segments after a commit, want at most %d", n, most)
		}
	}
	if n := ix.Text().Docs(); n != len(files) {
		t.Errorf("%d notices after merges, want %d", n, len(files))
	}
	if err := ix.Optimize(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := ix.State().Segments(); n != 1 || ix.Text().Docs() != len(files) || liveNotices(t, ix) != len(files) {
		t.Errorf("optimized: %d segments, %d notices", n, ix.Text().Docs())
	}
}

// TestIndexKeepsContentThatMovedToAnotherFile: two files swap their
// contents; after re-indexing both notices are still there.
func TestIndexKeepsContentThatMovedToAnotherFile(t *testing.T) {
	dir := t.TempDir()
	x, _ := os.ReadFile(filepath.Join(noticeDir, "ouhai-2022-xuncha-zhenggai.txt"))
	y, _ := os.ReadFile(filepath.Join(noticeDir, "wuhou-2023-yingshang-yaodian.txt"))
	a, b := filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt")
	os.WriteFile(a, x, 0o644)
	os.WriteFile(b, y, 0o644)
	ix, err := Open(filepath.Join(dir, "ix"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Add(t.Context(), []string{a, b}, nil); err != nil {
		t.Fatal(err)
	}
	before := liveNotices(t, ix)
	sections := ix.Text().Sections()
	os.WriteFile(a, y, 0o644)
	os.WriteFile(b, x, 0o644)
	rep, err := ix.Add(t.Context(), []string{a, b}, nil)
	if err != nil {
		t.Fatal(err)
	}
	after := liveNotices(t, ix)
	if after != before || after != 2 || ix.Text().Sections() != sections || rep.Indexed != 2 {
		t.Errorf("after swapping contents: %d notices (was %d), %d sections (was %d), report %+v", after, before, ix.Text().Sections(), sections, rep)
	}
}

// TestAddThatFailsToWriteSaysHowLong: the report of a run whose write
// failed still says how long it took, so that a rate from it is real; and
// the index is as it was.
func TestAddThatFailsToWriteSaysHowLong(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// The segment's temporary file cannot be created where a folder is.
	if err := os.Mkdir(filepath.Join(dir, segmentName(0)+textExt+".tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	rep, err := ix.Add(t.Context(), []string{noticeDir}, nil)
	if err == nil {
		t.Fatal("Add succeeded")
	}
	if rep == nil || rep.ReadBytes == 0 || rep.Seconds <= 0 {
		t.Errorf("report after a failed write: %+v", rep)
	}
	if ix.Text().Docs() != 0 || ix.State().Generation != 0 {
		t.Errorf("after a failed write: %d notices at generation %d", ix.Text().Docs(), ix.State().Generation)
	}
}

// countTitles counts the sections of text that are titles.
func countTitles(text *textindex.Index) int {
	n := 0
	for s := range text.Sections() {
		if text.IsTitle(s) {
			n++
		}
	}
	return n
}

// liveNotices counts the live notices the bleve indexes of ix's state
// find.
func liveNotices(t *testing.T, ix *Index) int {
	t.Helper()
	n := 0
	req := bleve.NewSearchRequest(bleve.NewMatchAllQuery())
	if err := ix.State().Notices(t.Context(), req, func(int) { n++ }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAWriterBesideAReaderRewritesNothing: segments' bleve indexes are
// opened read-only by writers too, so a writer opened while a reader holds
// them neither waits for the reader nor rebuilds what it holds.
func TestAWriterBesideAReaderRewritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ix")
	w, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Add(t.Context(), []string{noticeDir}, nil); err != nil {
		t.Fatal(err)
	}
	w.Close()
	r, err := OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	bleveOf := filepath.Join(path, segmentName(0)+bleveExt, "index_meta.json")
	before, err := os.Stat(bleveOf)
	if err != nil {
		t.Fatal(err)
	}
	w, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	extra := filepath.Join(t.TempDir(), "extra.txt")
	src, _ := os.ReadFile(filepath.Join(noticeDir, "ouhai-2022-xuncha-zhenggai.txt"))
	os.WriteFile(extra, src, 0o644)
	if _, err := w.Add(t.Context(), []string{extra}, nil); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(bleveOf)
	if err != nil || !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the first segment's bleve index was rewritten: %v", err)
	}
	if _, err := r.Refresh(); err != nil || liveNotices(t, r) != r.Text().Docs() || r.Text().Docs() != w.Text().Docs() {
		t.Errorf("the reader after the writer's commit: %v, %d notices", err, r.Text().Docs())
	}
}

// TestARunWritesBoundedSegments: a run over more text than a segment
// holds writes several, committed together, each notice once.
func TestARunWritesBoundedSegments(t *testing.T) {
	defer func(n int) { segmentBytes = n }(segmentBytes)
	segmentBytes = 20_000
	path := filepath.Join(t.TempDir(), "ix")
	ix, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	rep, err := ix.Add(t.Context(), []string{noticeDir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	files := noticeFiles(t)
	if ix.Text().Docs() != len(files) || rep.Indexed != len(files) || liveNotices(t, ix) != len(files) {
		t.Errorf("%d notices, %d indexed, want %d", ix.Text().Docs(), rep.Indexed, len(files))
	}
	if ix.man.NextSegment < 3 {
		t.Errorf("the run wrote %d segments, want several", ix.man.NextSegment)
	}
	ids := map[string]bool{}
	for d := range ix.Text().Docs() {
		if ids[ix.Text().DocID(d)] {
			t.Errorf("notice %s twice", ix.Text().DocID(d))
		}
		ids[ix.Text().DocID(d)] = true
	}
	rep2, err := Check(path)
	if err != nil || len(rep2.Problems) > 0 {
		t.Errorf("check: %v %+v", err, rep2)
	}
}

// TestMergesStopAtTheirBound: eight segments of a tier merge only as far
// as maxMergeBytes lets them, and a segment past it is never merged.
func TestMergesStopAtTheirBound(t *testing.T) {
	m := &manifest{}
	for i := range mergeFactor {
		m.Segments = append(m.Segments, segmentEntry{Name: segmentName(uint64(i)), Docs: 100, Sections: 5000, Bytes: maxMergeBytes / 3})
	}
	if got := pickMerge(m); len(got) != 3 {
		t.Errorf("picked %v, want the three that fit", got)
	}
	for i := range m.Segments {
		m.Segments[i].Bytes = maxMergeBytes
	}
	if got := pickMerge(m); got != nil {
		t.Errorf("picked %v of segments each at the bound", got)
	}
	if got := pickOptimize(m); got != nil {
		t.Errorf("optimize picked %v of segments each at the bound", got)
	}
}
