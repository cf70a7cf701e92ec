package textindex

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"noticesearch/dict"
)

// benchDoc is testdata's text notices as one document, a paragraph a
// section: a few hundred KB of the genre.
func benchDoc(b *testing.B) (*Doc, int64) {
	files, _ := filepath.Glob("../../testdata/notices/*.txt")
	d := &Doc{ID: "bench"}
	var size int64
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range strings.Split(string(text), "\n") {
			d.Sections = append(d.Sections, Section{Seq: len(d.Sections), Text: p})
			size += int64(len(p))
		}
	}
	return d, size
}

// BenchmarkAnalyze measures each step of analysing sections for the text
// index, in MB/s of source text: normalisation, gse's word starts, the
// keys of the postings, and all three with the postings built.
func BenchmarkAnalyze(b *testing.B) {
	seg, err := dict.Segmenter()
	if err != nil {
		b.Fatal(err)
	}
	d, size := benchDoc(b)
	Analyze(seg, d)
	b.Run("normalize", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			for i := range d.Sections {
				Normalize(d.Sections[i].Text)
			}
		}
	})
	b.Run("words", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			for i := range d.Sections {
				wordStarts(seg, d.Sections[i].norm, map[string]int{})
			}
		}
	})
	b.Run("keys", func(b *testing.B) {
		b.SetBytes(size)
		n := 0
		for b.Loop() {
			for i := range d.Sections {
				eachKey(d.Sections[i].norm, func(uint64, int) { n++ })
			}
		}
	})
	b.Run("all", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			d := &Doc{ID: d.ID, Sections: append([]Section(nil), d.Sections...)}
			Analyze(seg, d)
			NewBuilder().Add(d)
		}
	})
}

// BenchmarkCandidates measures finding a term's candidates in postings.
func BenchmarkCandidates(b *testing.B) {
	d, _ := benchDoc(b)
	Analyze(nil, d)
	bld := NewBuilder()
	bld.Add(d)
	ix, err := bld.Write(filepath.Join(b.TempDir(), "text.idx"))
	if err != nil {
		b.Fatal(err)
	}
	for _, term := range []string{"党", "整改", "廉政风险", "一岗双责", "三、四"} {
		norm := Normalize(term)
		b.Run(term, func(b *testing.B) {
			var buf []Candidate
			for b.Loop() {
				buf = ix.Candidates(norm, buf)
			}
		})
	}
}

// BenchmarkCandidatesSegment measures finding the candidates of terms of
// one to four characters in the segment benchSegment gives: over a large
// one (NOTICESEARCH_BENCH_SEGMENT), the postings of frequent pairs.
func BenchmarkCandidatesSegment(b *testing.B) {
	ix, _ := benchSegment(b)
	for _, term := range []string{"党", "消防", "罚款", "文物保护", "安全生产", "生态环境", "人民政府"} {
		norm := Normalize(term)
		b.Run(term, func(b *testing.B) {
			var buf []Candidate
			for b.Loop() {
				buf = ix.Candidates(norm, buf)
			}
			b.ReportMetric(float64(len(buf)), "candidates")
		})
	}
}

// benchSegment is the segment named by $NOTICESEARCH_BENCH_SEGMENT (a
// .tix file of an index, e.g. one built from ../shared/corpus/laws), or
// one written from benchDoc.
func benchSegment(b *testing.B) (*Segment, int64) {
	path := os.Getenv("NOTICESEARCH_BENCH_SEGMENT")
	if path == "" {
		d, _ := benchDoc(b)
		Analyze(nil, d)
		bld := NewBuilder()
		bld.Add(d)
		path = filepath.Join(b.TempDir(), "seg.tix")
		ix, err := bld.Write(path)
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
	ix, err := OpenSegment(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return ix, fi.Size()
}

// BenchmarkVerify measures checking every checksum of a segment, warm
// (the file in the page cache), in MB/s of file; OpenSegment does as much
// and little else.
func BenchmarkVerify(b *testing.B) {
	ix, size := benchSegment(b)
	b.SetBytes(size)
	for b.Loop() {
		if err := ix.Verify(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen measures opening a segment, warm.
func BenchmarkOpen(b *testing.B) {
	ix, size := benchSegment(b)
	b.SetBytes(size)
	for b.Loop() {
		seg, err := OpenSegment(ix.path)
		if err != nil {
			b.Fatal(err)
		}
		seg.Close()
	}
}

// BenchmarkText measures remaking sections' display text from their
// patches, in MB/s of text.
func BenchmarkText(b *testing.B) {
	ix, _ := benchSegment(b)
	var size int64
	for s := range min(ix.Sections(), 20000) {
		size += int64(len(ix.Text(s)))
	}
	b.SetBytes(size)
	for b.Loop() {
		for s := range min(ix.Sections(), 20000) {
			ix.Text(s)
		}
	}
}
