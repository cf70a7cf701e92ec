package indexer

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCheckReportsAMissingBleveIndexAsRepairable: a segment's bleve index
// is derived data; without it Check says the next writer rebuilds it, and
// the index is not damaged.
func TestCheckReportsAMissingBleveIndexAsRepairable(t *testing.T) {
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
	if err != nil || len(m.Segments) != 1 {
		t.Fatal(err, m)
	}
	if err := os.RemoveAll(filepath.Join(path, m.Segments[0].Name+bleveExt)); err != nil {
		t.Fatal(err)
	}
	rep, err := Check(path)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Damaged() || len(rep.Problems) != 1 || rep.Problems[0].Part != m.Segments[0].Name+bleveExt {
		t.Errorf("problems %+v, want one repairable problem with %s", rep.Problems, m.Segments[0].Name+bleveExt)
	}
}
