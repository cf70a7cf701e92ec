package indexer

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestAddPassesOverTheIndexFolder: an index kept inside the folder it
// indexes is not read, even a notice file put there by hand; the report
// lists the folder once as ignored.
func TestAddPassesOverTheIndexFolder(t *testing.T) {
	src := t.TempDir()
	notice, err := os.ReadFile(filepath.Join(noticeDir, "ouhai-2022-xuncha-zhenggai.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "notice.txt"), notice, 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(src, "ix")
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := os.WriteFile(filepath.Join(dir, "stray.txt"), notice, 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second run walks the index's own files too
		rep, err := ix.Add(t.Context(), []string{src}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Notices != 1 || len(rep.Skipped) != 0 || len(rep.Ignored) != 1 || rep.Ignored[0].Path != dir || rep.Ignored[0].Reason != ErrIndexFolder.Error() {
			t.Errorf("report: %d notices, skipped %v, ignored %v; want 1 notice and the index folder ignored", rep.Notices, rep.Skipped, rep.Ignored)
		}
		if ix.Text().Docs() != 1 {
			t.Errorf("%d notices in the index, want 1", ix.Text().Docs())
		}
	}
	if !IsIgnored(&FileError{dir, ErrIndexFolder}) || !errors.Is(&FileError{dir, ErrIndexFolder}, ErrIndexFolder) {
		t.Error("the index folder is not listed as ignored")
	}
}
