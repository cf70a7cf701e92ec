package textindex

import "unicode/utf8"

// WordCounts counts words: gse's words of two characters or more, none of
// them ASCII (numbers and Latin are left out), as the sections' word
// starts mark them (see IsWord). It is keyed by the text as stored, and
// gives the words back as text (Each).
type WordCounts struct {
	counts map[string]int
	total  int
}

// NewWordCounts returns an empty count.
func NewWordCounts() *WordCounts { return &WordCounts{counts: map[string]int{}} }

// CountWords adds the words of section s to w.
func (ix *Segment) CountWords(s int, w *WordCounts) {
	text, bits := ix.stored(s), ix.Words(s)
	has := func(i int) bool { return i/8 < len(bits) && bits[i/8]&(1<<(i%8)) != 0 }
	start, startRune, ascii := 0, 0, false
	r := 0 // runes so far
	for i := 0; ; {
		if i == len(text) || r > startRune && has(r) {
			if n := r - startRune; n >= 2 && !ascii {
				w.counts[string(text[start:i])]++
				w.total++
			}
			if i == len(text) {
				return
			}
			start, startRune, ascii = i, r, false
		}
		c := text[i]
		size := 1
		if c < utf8.RuneSelf {
			ascii = true // a barrier, a digit or a letter
		} else {
			_, size = utf8.DecodeRune(text[i:])
		}
		i += size
		r++
	}
}

// Add adds o's counts to w.
func (w *WordCounts) Add(o *WordCounts) {
	for k, n := range o.counts {
		w.counts[k] += n
	}
	w.total += o.total
}

// Total is the number of words counted, each occurrence once.
func (w *WordCounts) Total() int { return w.total }

// Each calls f with each word, as normalised text, and its count.
func (w *WordCounts) Each(f func(word string, n int)) {
	var buf []byte
	for k, n := range w.counts {
		buf = appendSwapped(buf[:0], []byte(k))
		f(string(buf), n)
	}
}

// Of is the count of word, given as normalised text.
func (w *WordCounts) Of(word string) int { return w.counts[string(appendSwapped(nil, []byte(word)))] }
