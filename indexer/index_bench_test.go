package indexer

import (
	"path/filepath"
	"testing"

	"noticesearch/dict"
)

// BenchmarkIndex indexes testdata end to end into a fresh index each time;
// MB/s counts raw file bytes. The segmenter is loaded before timing.
func BenchmarkIndex(b *testing.B) {
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
		rep, err := ix.Add(b.Context(), []string{noticeDir}, nil)
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
