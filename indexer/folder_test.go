package indexer

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// names lists a folder's entries.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// newIndex makes an index at dir holding the notices of one file.
func newIndex(t *testing.T, dir string) {
	t.Helper()
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Add(t.Context(), []string{filepath.Join(noticeDir, "ouhai-2022-xuncha-zhenggai.txt")}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestRebuildRemovesOnlyAnIndex(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string) // leaves a file of the user's, mine.txt
	}{
		{"a folder of the user's files", func(t *testing.T, dir string) {
			os.MkdirAll(dir, 0o755)
			os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("keep me"), 0o644)
		}},
		{"an index with a file of the user's in it", func(t *testing.T, dir string) {
			newIndex(t, dir)
			os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("keep me"), 0o644)
		}},
		{"a user's folder with a meta.json of its own", func(t *testing.T, dir string) {
			os.MkdirAll(dir, 0o755)
			os.WriteFile(filepath.Join(dir, "meta.json"), []byte(`{"title":"mine"}`), 0o644)
			os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("keep me"), 0o644)
		}},
		{"an index whose segment's notices folder holds a file of the user's", func(t *testing.T, dir string) {
			newIndex(t, dir)
			os.WriteFile(filepath.Join(dir, "seg-000000.bleve", "mine.txt"), []byte("keep me"), 0o644)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "ix")
			tc.setup(t, dir)
			before := names(t, dir)
			_, err := Open(dir, Options{Rebuild: true})
			t.Log(err)
			var ne *NotIndexError
			if !errors.Is(err, ErrNotIndex) || !errors.As(err, &ne) || !ne.Rebuild || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), " / ") {
				t.Fatalf("err = %v, want a bilingual ErrNotIndex naming %s", err, dir)
			}
			if after := names(t, dir); !slices.Equal(after, before) {
				t.Errorf("the folder held %q, now %q", before, after)
			}
			mine := filepath.Join(dir, "mine.txt")
			if _, err := os.Stat(mine); err != nil {
				mine = filepath.Join(dir, "seg-000000.bleve", "mine.txt")
			}
			if b, err := os.ReadFile(mine); err != nil || string(b) != "keep me" {
				t.Errorf("the user's file: %q, %v", b, err)
			}
		})
	}
}

func TestRebuildOfAnIndexStartsAfresh(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ix")
	newIndex(t, dir)
	os.WriteFile(filepath.Join(dir, "seg-000007.tix.tmp"), []byte("left by a run cut short"), 0o644)
	ix, err := Open(dir, Options{Rebuild: true})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n := ix.Text().Docs(); n != 0 {
		t.Errorf("rebuilt index holds %d notices", n)
	}
	one := filepath.Join(noticeDir, "wuhou-2023-yingshang-yaodian.txt")
	if _, err := ix.Add(t.Context(), []string{one}, nil); err != nil {
		t.Fatal(err)
	}
	if n := ix.Text().Docs(); n != 1 || ix.Text().DocID(0) != NoticeID(one) {
		t.Errorf("rebuilt index holds %d notices", n)
	}
	// The old segment and the leftover go once the new state is committed.
	if got := names(t, dir); !slices.Equal(got, []string{lockFile, manifestName, metaFile, "seg-000001.bleve", "seg-000001.tix"}) {
		t.Errorf("rebuilt index folder holds %q", got)
	}
}

func TestOpenRefusesAFolderThatIsNotAnIndex(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "mine.txt"), []byte("keep me"), 0o644)
	_, err := Open(dir, Options{})
	t.Log(err)
	if !errors.Is(err, ErrNotIndex) || errors.Is(err, ErrStale) || strings.Contains(err.Error(), "--rebuild") || !strings.Contains(err.Error(), "--index") {
		t.Fatalf("err = %v, want ErrNotIndex advising another --index folder, not --rebuild", err)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"mine.txt"}) {
		t.Errorf("the folder now holds %q", got)
	}
}

func TestOpenCreatesAnIndexInAnEmptyFolder(t *testing.T) {
	dir := t.TempDir()
	ix, err := Open(dir, Options{Rebuild: true})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
}
