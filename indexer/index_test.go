package indexer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	count, _ := ix.Bleve().DocCount()
	if count != uint64(ix.Text().Docs()) || count == 0 {
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

	// Drop the last top-level part: fewer sections, a new notice ID.
	cut := strings.LastIndex(string(src), "三、")
	if err := os.WriteFile(path, src[:cut], 0o644); err != nil {
		t.Fatal(err)
	}
	second, err := ix.Add(t.Context(), []string{path}, nil)
	if err != nil || second.Indexed != 1 {
		t.Fatal(err, second)
	}
	now, _ := ReadFile(path)
	if old.ID == now.ID {
		t.Fatal("the change kept the notice ID")
	}
	text := ix.Text()
	if text.Docs() != 1 || text.DocID(0) != now.ID || text.Sections() != 1+len(now.Sections) || text.Text(0) != now.Title {
		t.Errorf("text index after the change: %d notices (first %s), %d sections; want %s with %d sections",
			text.Docs(), text.DocID(0), text.Sections(), now.ID, len(now.Sections))
	}
	count, _ := ix.Bleve().DocCount()
	if d, _ := ix.Bleve().Document(old.ID); count != 1 || d != nil {
		t.Errorf("bleve after the change: %d notices, old notice still there: %v", count, d != nil)
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
	ix.Close()
	if err := os.WriteFile(filepath.Join(path, metaFile), []byte(`{"checksum":"other","analyzer_version":1,"format_version":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, Options{}); !errors.Is(err, ErrStale) || !strings.Contains(err.Error(), "--rebuild") {
		t.Fatalf("err = %v, want ErrStale naming --rebuild", err)
	}
	ix, err = Open(path, Options{Rebuild: true})
	if err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	ix.Close()
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
	before, _ := ix.Bleve().DocCount()
	sections := ix.Text().Sections()
	os.WriteFile(a, y, 0o644)
	os.WriteFile(b, x, 0o644)
	rep, err := ix.Add(t.Context(), []string{a, b}, nil)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := ix.Bleve().DocCount()
	if after != before || after != 2 || ix.Text().Sections() != sections || rep.Indexed != 2 {
		t.Errorf("after swapping contents: %d notices (was %d), %d sections (was %d), report %+v", after, before, ix.Text().Sections(), sections, rep)
	}
}

// TestIndexWithADamagedTextIndexIsStale: a text index cut short is
// refused with the advice to rebuild, and a rebuild gets the notices back.
func TestIndexWithADamagedTextIndexIsStale(t *testing.T) {
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
	text := filepath.Join(path, textFile)
	data, err := os.ReadFile(text)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(text, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, Options{}); !errors.Is(err, ErrStale) || !strings.Contains(err.Error(), "--rebuild") {
		t.Fatalf("err = %v, want ErrStale naming --rebuild", err)
	}
	ix, err = Open(path, Options{Rebuild: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Add(t.Context(), []string{noticeDir}, nil); err != nil {
		t.Fatal(err)
	}
	if got := ix.Text().Sections(); got != want {
		t.Errorf("rebuilt: %d sections, want %d", got, want)
	}
}

// TestAddThatFailsToWriteSaysHowLong: the report of a run whose write
// failed still says how long it took, so that a rate from it is real.
func TestAddThatFailsToWriteSaysHowLong(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// The text index's temporary file cannot be created where a folder is.
	if err := os.Mkdir(filepath.Join(dir, textFile+".tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	rep, err := ix.Add(t.Context(), []string{noticeDir}, nil)
	if err == nil {
		t.Fatal("Add succeeded")
	}
	if rep == nil || rep.ReadBytes == 0 || rep.Seconds <= 0 {
		t.Errorf("report after a failed write: %+v", rep)
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
