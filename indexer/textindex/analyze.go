// Package textindex holds the text of every section of every notice, in its
// source form for display and in normalised form for matching, with
// postings from each character and each pair of characters to the sections
// holding it: how many times, and for a pair where it first stands. A
// literal term is found by intersecting the postings of its pairs; where
// its pairs first stand one after the other the postings place it, and
// elsewhere it is confirmed in the normalised text. Matches are exact
// without storing every position.
//
// A Segment is built whole by a Builder and written to one file, which is
// never changed after: its regions (see format.go) are read in place
// through a memory mapping, checked against their checksums when the file
// is opened, so that the program's own memory does not grow with the
// text. An Index is a state over several segments, less their deleted
// documents. This package must not read a file it has not checked, nor
// trust an offset it reads from one without a bounds check.
package textindex

import (
	"cmp"
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
	ID   string
	Meta []byte
	// Record is where the document came from, as the caller defines it
	// and keeps it (the indexer: the file, its size, time and content
	// fingerprint), so that the index alone says what it was built from.
	Record   []byte
	Sections []Section

	words map[string]int // occurrences of words of two characters or more, filled by Analyze
}

// TitleLevel is the Level of a document's title when it is indexed as a
// section of its own (the first), so that a title is found like text.
const TitleLevel = 0xFFFF

// Section is one section of a Doc.
type Section struct {
	Seq, Level int
	Path       string // headings from the root, joined by "\n"
	Text       string // as displayed

	// Filled by Analyze.
	norm     []byte // normalised text, barriers as BarrierByte
	normPath []byte // normalised heading path
	words    []byte // bitmap over norm's runes: see wordStarts

	// Set by Builder.Merge, which takes a section as a segment holds it:
	// its patches (text's then path's, see patch.go) for Text and Path,
	// and the segment and number it has there, from which its text as
	// stored is copied, not held (norm is nil).
	patch     []byte
	textPatch int
	patched   bool
	from      *Segment
	fromSec   int
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

// wordStarts segments each run of norm between barriers with gse and
// marks, by rune offset, where every word and every barrier starts, and
// the end of the text; it counts the words of two characters or more.
func wordStarts(seg *gse.Segmenter, norm []byte, counts map[string]int) []byte {
	n := utf8.RuneCount(norm)
	bits := make([]byte, (n+1+7)/8)
	set := func(i int) { bits[i/8] |= 1 << (i % 8) }
	set(n)
	start, startRune, r := 0, 0, 0 // the run's start in bytes and runes; runes so far
	for i := 0; i <= len(norm); {
		if i < len(norm) && norm[i] != BarrierByte {
			_, size := utf8.DecodeRune(norm[i:])
			i += size
			r++
			continue
		}
		if run := norm[start:i]; len(run) > 0 && seg != nil {
			at := startRune
			for _, w := range seg.Segment(run) {
				set(at)
				word := run[w.Start():w.End()]
				wr := utf8.RuneCount(word)
				if wr >= 2 && counts != nil {
					counts[string(word)]++
				}
				at += wr
			}
		} else if len(run) > 0 {
			set(startRune)
		}
		if i < len(norm) {
			set(r) // the barrier
			r++
		}
		i++
		start, startRune = i, r
	}
	return bits
}

// IsWord reports whether the runes [start, end) of a section's normalised
// text are one whole word, given the section's word starts.
func IsWord(bits []byte, start, end int) bool {
	has := func(i int) bool { return i >= 0 && i/8 < len(bits) && bits[i/8]&(1<<(i%8)) != 0 }
	if !has(start) || !has(end) {
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
// included, and the rune offset where it stands: every character but
// barriers, and every pair.
func eachKey(norm []byte, f func(key uint64, at int)) {
	prev := rune(-1)
	n := 0
	for i := 0; i < len(norm); n++ {
		r, size := utf8.DecodeRune(norm[i:])
		if norm[i] == BarrierByte {
			r = barrierKey
		} else {
			f(charKey(r), n)
		}
		if prev >= 0 {
			f(pairKey(prev, r), n-1)
		}
		prev = r
		i += size
	}
}

// termKey is a key of a term with its rune offset in the term (the least,
// if the term holds it more than once).
type termKey struct {
	key uint64
	at  int
}

// termKeys are the keys whose postings hold every section containing the
// normalised term: its character if it has one, else its pairs. Repeated
// says whether a pair stands more than once in the term.
func termKeys(term []byte) (keys []termKey, repeated bool) {
	chars := 0
	eachKey(term, func(k uint64, at int) {
		if isPair(k) {
			keys = append(keys, termKey{k, at})
		} else {
			chars++
		}
	})
	if chars == 1 && len(keys) == 0 {
		eachKey(term, func(k uint64, at int) { keys = append(keys, termKey{k, at}) })
		return keys, false
	}
	slices.SortFunc(keys, func(a, b termKey) int { return cmp.Or(cmp.Compare(a.key, b.key), a.at-b.at) })
	n := len(keys)
	keys = slices.CompactFunc(keys, func(a, b termKey) bool { return a.key == b.key })
	return keys, len(keys) < n
}

func isPair(k uint64) bool { return uint32(k) != single }

// RuneCount counts the runes of normalised text, which is valid UTF-8:
// the bytes that do not continue a rune. It is several times faster than
// utf8.RuneCount on Chinese text.
func RuneCount(norm []byte) int {
	n := 0
	for _, c := range norm {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}
