// Package textindex holds the text of every section of every notice, in its
// source form for display and in normalised form for matching, with
// postings from each character and each pair of characters to the sections
// holding it. A literal term is found by intersecting the postings of its
// pairs and confirming each candidate in the normalised text, so matches
// are exact without storing positions.
//
// The index is built whole by a Builder and written to one file; it is
// read into memory by Open and never changed in place.
package textindex

import (
	"slices"
	"unicode/utf8"

	"github.com/go-ego/gse"

	"noticesearch/dict"
)

// BarrierByte stands for a dict.Barrier in normalised text. Normalisation
// turns every '|' of a source into a barrier, so the byte is unambiguous.
const BarrierByte = '|'

// Doc is one notice: an ID, metadata the caller defines and this package
// keeps as it is, and its sections in order.
type Doc struct {
	ID       string
	Meta     []byte
	Sections []Section

	words map[string]int // occurrences of words of two characters or more, filled by Analyze
}

// Section is one section of a Doc.
type Section struct {
	Seq, Level int
	Path       string // headings from the root, joined by "\n"
	Text       string // as displayed

	// Filled by Analyze.
	norm     []byte // normalised text, barriers as BarrierByte
	normPath []byte // normalised heading path
	words    []byte // bitmap over norm: bit i set where a gse word or barrier starts
}

// Analyze normalises and segments every section of d. It is the costly
// part of indexing and may run on several goroutines at once (gse's
// segmenter is safe for concurrent use).
// A nil seg makes every run between barriers one word.
func Analyze(seg *gse.Segmenter, d *Doc) {
	d.words = map[string]int{}
	for i := range d.Sections {
		s := &d.Sections[i]
		s.norm = Normalize(s.Text)
		s.normPath = Normalize(s.Path)
		s.words = wordStarts(seg, s.norm, d.words)
	}
}

// Normalize renders text in the normalised form that matching compares:
// dict's normalisation with BarrierByte for each barrier.
func Normalize(text string) []byte {
	return dict.AppendNormalized(make([]byte, 0, len(text)), text)
}

// wordStarts segments each run of norm between barriers with gse and marks
// where every word and every barrier starts, counting the words of two
// characters or more.
func wordStarts(seg *gse.Segmenter, norm []byte, counts map[string]int) []byte {
	bits := make([]byte, (len(norm)+7)/8)
	set := func(i int) { bits[i/8] |= 1 << (i % 8) }
	start := 0
	for i := 0; i <= len(norm); i++ {
		if i < len(norm) && norm[i] != BarrierByte {
			continue
		}
		if run := norm[start:i]; len(run) > 0 && seg != nil {
			for _, w := range seg.Segment(run) {
				set(start + w.Start())
				if word := run[w.Start():w.End()]; utf8.RuneCount(word) >= 2 {
					counts[string(word)]++
				}
			}
		} else if len(run) > 0 {
			set(start)
		}
		if i < len(norm) {
			set(i)
		}
		start = i + 1
	}
	return bits
}

// IsWord reports whether norm[start:end] is one whole word of a section
// whose word starts are bits.
func IsWord(bits []byte, n, start, end int) bool {
	has := func(i int) bool { return bits[i/8]&(1<<(i%8)) != 0 }
	if !has(start) || end < n && !has(end) {
		return false
	}
	for i := start + 1; i < end; i++ {
		if has(i) {
			return false
		}
	}
	return true
}

// Keys of the postings: a character alone, or a pair of characters (a
// barrier included, so that 三、四 is told from 三个四).
const (
	barrierKey = 0x110000 // past the last rune
	single     = 0xFFFFFFFF
)

func pairKey(a, b rune) uint64 { return uint64(a)<<32 | uint64(b) }
func charKey(a rune) uint64    { return uint64(a)<<32 | single }

// eachKey calls f with every key of a normalised text, in order, repeats
// included: every character but barriers, and every pair.
func eachKey(norm []byte, f func(uint64)) {
	prev := rune(-1)
	for i := 0; i < len(norm); {
		r, size := utf8.DecodeRune(norm[i:])
		if norm[i] == BarrierByte {
			r = barrierKey
		} else {
			f(charKey(r))
		}
		if prev >= 0 {
			f(pairKey(prev, r))
		}
		prev = r
		i += size
	}
}

// TermKeys are the keys whose postings hold every section containing the
// normalised term: its character if it has one, else its pairs.
func TermKeys(term []byte) []uint64 {
	var runes []rune
	for i := 0; i < len(term); {
		r, size := utf8.DecodeRune(term[i:])
		if term[i] == BarrierByte {
			r = barrierKey
		}
		runes = append(runes, r)
		i += size
	}
	switch len(runes) {
	case 0:
		return nil
	case 1:
		if runes[0] == barrierKey {
			return nil
		}
		return []uint64{charKey(runes[0])}
	}
	keys := make([]uint64, 0, len(runes)-1)
	for i := 1; i < len(runes); i++ {
		keys = append(keys, pairKey(runes[i-1], runes[i]))
	}
	slices.Sort(keys)
	return slices.Compact(keys)
}
