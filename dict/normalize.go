package dict

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Barrier stands for a run of punctuation, symbols or blanks in normalised
// text. A term never matches across a barrier, and a barrier in a query
// matches any barrier in the text.
const Barrier rune = -1

// Char is one character of normalised text with the bytes of the source
// text it came from, so that matches found in normalised text can be
// highlighted in the source.
type Char struct {
	R          rune // normalised rune, or Barrier
	Start, End int  // byte range in the source
}

// Normalize is the normalisation shared by indexing, querying, highlighting
// and the substring scan that checks them: NFKC (full-width digits and
// letters become half-width), Latin lower-cased, blanks next to a CJK
// character dropped (they are line wraps), and every run of punctuation,
// symbols and other blanks turned into one Barrier.
func Normalize(s string) []Char {
	out := make([]Char, 0, len(s)/2)
	walk(s, func(r rune, start, end int, grow bool) bool {
		if grow {
			out[len(out)-1].End = end
		} else {
			out = append(out, Char{r, start, end})
		}
		return true
	})
	return out
}

// walk is the normalisation itself: it calls emit with each character of
// the normalised form of s and the bytes of s it comes from. A barrier
// that grows as its run of punctuation goes on is emitted again with grow
// set and its new end. Emit returns false to stop the walk.
func walk(s string, emit func(r rune, start, end int, grow bool) bool) {
	last := rune(none) // the last character emitted, Barrier, or none
	pendingBlank := -1 // source start of a blank run not yet decided
	var buf [8]rune
	for i, r := range s {
		size := utf8.RuneLen(r)
		if r == utf8.RuneError {
			size = 1
		}
		for _, n := range fold(r, buf[:0]) {
			switch {
			case n >= 0x4e00 && n <= 0x9fff || isWordRune(n):
				if pendingBlank >= 0 {
					// A blank run between two word characters is a barrier
					// unless either side is CJK.
					if last != none && last != Barrier && !isCJKRune(last) && !isCJKRune(n) {
						if !emit(Barrier, pendingBlank, i, false) {
							return
						}
					}
					pendingBlank = -1
				}
				last = n
				if !emit(n, i, i+size, false) {
					return
				}
			case unicode.IsSpace(n):
				if pendingBlank < 0 {
					pendingBlank = i
				}
			default:
				pendingBlank = -1
				grow := last == Barrier
				last = Barrier
				if !emit(Barrier, i, i+size, grow) {
					return
				}
			}
		}
	}
}

// none stands for no character yet where the last one is remembered.
const none = -2

// fold maps one source rune to its normalised runes.
func fold(r rune, buf []rune) []rune {
	if r < utf8.RuneSelf {
		return append(buf, unicode.ToLower(r))
	}
	// The common runes of a notice skip the NFKC tables; TestFoldFastPaths
	// checks each range against them.
	switch {
	case r >= 0x4e00 && r <= 0x9fff: // unified ideographs: NFKC leaves them alone
		return append(buf, r)
	case r >= 0xff01 && r <= 0xff5e: // full-width ASCII: NFKC maps them to ASCII
		return append(buf, unicode.ToLower(r-0xfee0))
	case r == 0x3000: // ideographic space
		return append(buf, ' ')
	case isPlainCJKPunct(r):
		return append(buf, r)
	}
	var tmp [utf8.UTFMax]byte
	n := utf8.EncodeRune(tmp[:], r)
	if norm.NFKC.IsNormal(tmp[:n]) {
		return append(buf, unicode.ToLower(r))
	}
	for _, m := range norm.NFKC.String(string(r)) {
		buf = append(buf, unicode.ToLower(m))
	}
	return buf
}

// isPlainCJKPunct reports CJK and general punctuation that NFKC leaves a
// barrier (it maps … to "...", which is still punctuation).
func isPlainCJKPunct(r rune) bool {
	return (r >= 0x3001 && r <= 0x3004) || (r >= 0x3008 && r <= 0x3020) || (r >= 0x2010 && r <= 0x2027 && r != 0x2017)
}

// isWordRune reports whether r is part of a term: letters (Han included),
// digits and combining marks. Everything else is a barrier.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r)
}

func isCJKRune(r rune) bool {
	return r >= 0x4e00 && r <= 0x9fff || unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// NormalizeString renders normalised text as a string, with "|" for each
// barrier: the form in which terms are compared with texts.
func NormalizeString(s string) string {
	return string(AppendNormalized(nil, s))
}

// AppendNormalized appends the normalised form of s to dst as UTF-8, with
// "|" for each barrier: Normalize without the source offsets, for indexing,
// where they are not needed and Normalize's []Char would cost eight times
// the text in allocations. TestAppendNormalized checks the two agree.
func AppendNormalized(dst []byte, s string) []byte {
	walk(s, func(r rune, _, _ int, grow bool) bool {
		switch {
		case grow:
		case r == Barrier:
			dst = append(dst, '|')
		default:
			dst = utf8.AppendRune(dst, r)
		}
		return true
	})
	return dst
}

// NormalizeTerm normalises a query term: as text, without the barriers at
// its ends (a term "〔2015〕" looks for 2015 wherever it stands).
func NormalizeTerm(s string) []Char {
	cs := Normalize(s)
	for len(cs) > 0 && cs[0].R == Barrier {
		cs = cs[1:]
	}
	for len(cs) > 0 && cs[len(cs)-1].R == Barrier {
		cs = cs[:len(cs)-1]
	}
	return cs
}

// Span is a range [Start, End): of runes in normalised text, or of bytes
// in a source.
type Span struct{ Start, End int }

// Locate maps spans of the normalised form of s (rune offsets, ordered by
// Start, each starting and ending on a character rather than a barrier)
// to the bytes of s they come from: what Normalize's offsets would say,
// without building them for all of s. It stops at the last span's end.
func Locate(s string, spans []Span) []Span {
	out := make([]Span, len(spans))
	if len(spans) == 0 {
		return out
	}
	next := 0      // the next span to start
	var open []int // spans started, not ended
	n := 0         // normalised characters so far
	walk(s, func(_ rune, start, end int, grow bool) bool {
		if grow {
			return true // a barrier: no span starts or ends on one
		}
		for next < len(spans) && spans[next].Start == n {
			out[next].Start = start
			open = append(open, next)
			next++
		}
		for i := 0; i < len(open); {
			if k := open[i]; spans[k].End-1 == n {
				out[k].End = end
				open = append(open[:i], open[i+1:]...)
				continue
			}
			i++
		}
		n++
		return next < len(spans) || len(open) > 0
	})
	return out
}
