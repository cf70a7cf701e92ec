package indexer

import (
	"os"
	"testing"
)

// BenchmarkParse parses every testdata notice; MB/s counts raw file bytes.
func BenchmarkParse(b *testing.B) {
	files, _ := Files(b.Context(), []string{noticeDir})
	var data [][]byte
	var total int64
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, d)
		total += int64(len(d))
	}
	b.SetBytes(total)
	b.ReportAllocs()
	for b.Loop() {
		for i, d := range data {
			if _, err := Parse(files[i], d); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkSplitSections measures the section splitter alone on a long
// one-line body with inline headings.
func BenchmarkSplitSections(b *testing.B) {
	n, err := ReadFile(noticeDir + "/pingtan-2019-anquan-yaodian.txt")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(n.Body)))
	for b.Loop() {
		splitSections(n.Body)
	}
}
