package textindex

import (
	_ "embed"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A segment stores its normalised text with the characters of compact.txt,
// the 1,920 most frequent in Chinese (by gse's dictionary, see
// internal/gencompact), swapped with the code points U+0080 to U+07FF,
// those that UTF-8 writes in two bytes: the characters that Chinese text
// is made of take two bytes instead of three, and the few of those code
// points a text holds (Latin letters with accents, Greek, Cyrillic) take
// three. The text takes a third less room (39.7 MB of the laws corpus
// take 27.0 MB, 98.7% of its characters being in the list), and is still
// read in place, with no decompression:
//
//   - the swap is a bijection of characters and its own inverse: swapping
//     the stored text gives back the normalised text;
//   - it keeps the text valid UTF-8 with as many characters, so that rune
//     offsets (the postings' First, word starts) are the same in both;
//   - UTF-8 being self-synchronising, a term is found in the stored text
//     exactly where the term swapped is found as bytes, so matching
//     compares stored text with stored term (see Finder), unswapped.
//
// The list is part of the format: a segment reads back only with the list
// it was written with, so a new list needs a new magic.
//
//go:embed compact.txt
var compactList string

// compactFirst is the first of the code points the list's characters are
// swapped with; compactChars is how many there are.
const (
	compactFirst = 0x80
	compactChars = 0x800 - compactFirst
)

// swapOf maps a code point of the Basic Multilingual Plane to the one it
// is swapped with, or 0 if it is not swapped: 128 KiB.
var swapOf = func() *[0x10000]uint16 {
	var t [0x10000]uint16
	list := []rune(strings.ReplaceAll(compactList, "\n", ""))
	if len(list) != compactChars {
		panic("textindex: compact.txt holds " + strconv.Itoa(len(list)) + " characters, not 1920")
	}
	for i, r := range list {
		two := rune(compactFirst + i)
		if utf8.RuneLen(r) != 3 || r > 0xffff || t[r] != 0 {
			panic("textindex: compact.txt lists " + string(r) + " twice, or one of fewer than three bytes")
		}
		t[r], t[two] = uint16(two), uint16(r)
	}
	return &t
}()

// IsFrequent reports whether r is one of the list's characters: the
// 1,920 most frequent in Chinese text, by which other packages judge
// whether a text is Chinese or nonsense (package pdf).
func IsFrequent(r rune) bool {
	return r >= compactFirst+compactChars && r < 0x10000 && swapOf[r] != 0
}

// wideOf is, for each code point the list's characters are swapped with
// (all of U+0080 to U+07FF), the UTF-8 of the character it stands for.
var wideOf = func() *[compactChars][3]byte {
	var t [compactChars][3]byte
	for i := range t {
		utf8.EncodeRune(t[i][:], rune(swapOf[compactFirst+i]))
	}
	return &t
}()

// appendSwapped appends b with the list's characters and their code
// points of two bytes swapped: normalised text as stored, or stored text
// as normalised. Bytes that are not UTF-8 are kept as they are.
func appendSwapped(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			// A run of ASCII, as it is.
			j := i + 1
			for j < len(b) && b[j] < utf8.RuneSelf {
				j++
			}
			dst = append(dst, b[i:j]...)
			i = j
			continue
		}
		// A character of two bytes, stored for one of the list's: its
		// three bytes from a table (most of Chinese text as stored).
		if c >= 0xC2 && c <= 0xDF && i+1 < len(b) && b[i+1]&0xC0 == 0x80 {
			dst = append(dst, wideOf[int(c&0x1F)<<6|int(b[i+1]&0x3F)-compactFirst][:]...)
			i += 2
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if size < 2 || size > 3 || swapOf[r] == 0 {
			dst = append(dst, b[i:i+size]...)
		} else {
			dst = utf8.AppendRune(dst, rune(swapOf[r]))
		}
		i += size
	}
	return dst
}

// StoredForm is normalised text as a segment stores it, for the programs
// and tests that look for text in a segment's file.
func StoredForm(norm []byte) []byte { return appendSwapped(nil, norm) }
