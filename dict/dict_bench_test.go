package dict

import (
	"os"
	"path/filepath"
	"testing"
)

// benchText is testdata's notices as one text, a few hundred KB of the genre.
func benchText(b *testing.B) string {
	files, _ := filepath.Glob("../testdata/notices/*.txt")
	var text []byte
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		text = append(text, d...)
	}
	return string(text)
}

func BenchmarkNormalize(b *testing.B) {
	text := benchText(b)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Normalize(text)
	}
}

func BenchmarkSegment(b *testing.B) {
	seg, err := Segmenter()
	if err != nil {
		b.Fatal(err)
	}
	text := []byte(benchText(b))
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		seg.Segment(text)
	}
}

func BenchmarkAppendNormalized(b *testing.B) {
	text := benchText(b)
	b.SetBytes(int64(len(text)))
	var buf []byte
	for b.Loop() {
		buf = AppendNormalized(buf[:0], text)
	}
}
