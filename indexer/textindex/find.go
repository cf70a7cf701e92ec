package textindex

import "bytes"

// Finder finds a normalised term in the sections of an index. It looks
// for the term's rarest byte in the index and compares the rest around
// it: Chinese UTF-8 starts nearly every character with one of a few lead
// bytes, which makes a search for the first byte stop at every other
// character.
type Finder struct {
	pat []byte
	off int  // of the rare byte in pat
	b   byte // pat[off]
}

// Finder returns a finder for term, which must not be empty.
func (ix *Index) Finder(term []byte) Finder {
	f := Finder{pat: term}
	for i, c := range term {
		if ix.byteFreq[c] < ix.byteFreq[f.b] || i == 0 {
			f.off, f.b = i, c
		}
	}
	return f
}

// Index returns the offset of the first occurrence of the term in s, or -1.
func (f *Finder) Index(s []byte) int {
	for i := f.off; i < len(s); {
		j := bytes.IndexByte(s[i:], f.b)
		if j < 0 {
			return -1
		}
		start := i + j - f.off
		if start+len(f.pat) > len(s) {
			return -1
		}
		if bytes.Equal(s[start:start+len(f.pat)], f.pat) {
			return start
		}
		i += j + 1
	}
	return -1
}

// byteFrequencies counts the bytes of normalised text.
func byteFrequencies(norm []byte) *[256]uint32 {
	var f [256]uint32
	for _, c := range norm {
		f[c]++
	}
	return &f
}
