package indexer

import (
	"os"
	"path/filepath"
	"testing"

	"noticesearch/dict"
)

// BenchmarkIndex indexes testdata end to end into a fresh index each time;
// MB/s counts raw file bytes. The segmenter is loaded before timing.
// $NOTICESEARCH_BENCH_CORPUS names another folder to index, e.g.
//
//	NOTICESEARCH_BENCH_CORPUS=../../shared/corpus/laws go test ./indexer -run XXX -bench Index -benchtime 1x
func BenchmarkIndex(b *testing.B) {
	dir := noticeDir
	if d := os.Getenv("NOTICESEARCH_BENCH_CORPUS"); d != "" {
		dir = d
	}
	if _, err := dict.Segmenter(); err != nil {
		b.Fatal(err)
	}
	var total int64
	for b.Loop() {
		b.StopTimer()
		ix, err := Open(filepath.Join(b.TempDir(), "ix"), Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := ix.Add(b.Context(), []string{dir}, nil)
		if err != nil {
			b.Fatal(err)
		}
		total = rep.Bytes
		b.StopTimer()
		ix.Close()
		b.StartTimer()
	}
	b.SetBytes(total)
}
