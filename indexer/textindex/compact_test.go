package textindex

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSwapIsItsOwnInverse checks the swap over every code point of the
// Basic Multilingual Plane: a bijection, its own inverse, between the
// list's characters (three bytes) and the code points of two bytes.
func TestSwapIsItsOwnInverse(t *testing.T) {
	swapped := 0
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xd800 && r < 0xe000 {
			continue // surrogates: not characters
		}
		s := appendSwapped(nil, utf8.AppendRune(nil, r))
		back := appendSwapped(nil, s)
		if string(back) != string(r) || utf8.RuneCount(s) != 1 || !utf8.Valid(s) {
			t.Fatalf("U+%04X swapped to %q and back to %q", r, s, back)
		}
		if string(s) != string(r) {
			swapped++
			if n := utf8.RuneLen(r); n == 3 && len(s) != 2 || n == 2 && len(s) != 3 || n != 2 && n != 3 {
				t.Fatalf("U+%04X (%d bytes) swapped to %d bytes", r, n, len(s))
			}
		}
	}
	if swapped != 2*compactChars {
		t.Fatalf("%d code points swapped, want %d", swapped, 2*compactChars)
	}
	for _, r := range "的是政府党纪处分巡察整改" {
		if len(appendSwapped(nil, utf8.AppendRune(nil, r))) != 2 {
			t.Errorf("%c is stored in three bytes", r)
		}
	}
}

// TestSwappedTextMatchesAsText checks what matching in place relies on:
// a term is found in the stored text, byte for byte, exactly where it is
// in the text, by rune offset, and no other; text with bytes that are not
// UTF-8 is kept as it is.
func TestSwappedTextMatchesAsText(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	// Common characters, rare ones, and code points of two bytes that
	// the common ones take the place of (é is swapped with a character of
	// the list, ä and α too).
	alphabet := []rune("的是政府人民一二党纪廉氹龘é×äαЖa1\x1f")
	list := []rune(strings.ReplaceAll(compactList, "\n", ""))
	alphabet = append(alphabet, list['é'-compactFirst], list['α'-compactFirst], list[0])
	for range 3000 {
		var text, term []rune
		for range rnd.IntN(40) {
			text = append(text, alphabet[rnd.IntN(len(alphabet))])
		}
		for range 1 + rnd.IntN(3) {
			term = append(term, alphabet[rnd.IntN(len(alphabet))])
		}
		plain, pat := []byte(string(text)), []byte(string(term))
		stored := appendSwapped(nil, plain)
		if utf8.RuneCount(stored) != utf8.RuneCount(plain) || !bytes.Equal(appendSwapped(nil, stored), plain) {
			t.Fatalf("%q stored as %q", plain, stored)
		}
		f := newFinder(byteFrequencies(plain), pat)
		want := -1
		if i := bytes.Index(plain, pat); i >= 0 {
			want = utf8.RuneCount(plain[:i])
		}
		got := -1
		if i := f.stored.index(stored); i >= 0 {
			got = RuneCount(stored[:i])
		}
		if got != want || f.Index(plain) != bytes.Index(plain, pat) {
			t.Fatalf("%q in %q: at rune %d stored, %d in the text", pat, plain, got, want)
		}
	}
	bad := []byte("政\xff府\xe6\x94")
	if got := appendSwapped(nil, appendSwapped(nil, bad)); !bytes.Equal(got, bad) {
		t.Fatalf("%q swapped twice is %q", bad, got)
	}
}

// TestSegmentFindsSwappedCharacters checks a segment holding the code
// points that the common characters are stored as: each is found where
// it is, and the common characters are not found in its place.
func TestSegmentFindsSwappedCharacters(t *testing.T) {
	list := []rune(strings.ReplaceAll(compactList, "\n", ""))
	common := string(list['é'-compactFirst]) // stored as é
	docs := []*Doc{{ID: "a", Sections: []Section{
		{Text: "café résumé α×β 的政府"},
		{Text: "政府" + common + "的"},
	}}}
	ix := build(t, docs)
	for _, c := range []struct {
		term string
		secs []uint32
	}{
		{"é", []uint32{0}},
		{"résumé", []uint32{0}},
		{common, []uint32{1}},
		{"的政府", []uint32{0}},
		{"政府" + common, []uint32{1}},
		{"α", []uint32{0}},
	} {
		term := Normalize(c.term)
		var got []uint32
		for _, m := range ix.Confirm(ix.Candidates(term, nil), term) {
			got = append(got, m.Sec)
		}
		if !slices.Equal(got, c.secs) {
			t.Errorf("%s found in sections %v, want %v", c.term, got, c.secs)
		}
		for s := range ix.Sections() {
			f := ix.Finder(term)
			want := -1
			if i := bytes.Index(Normalize(docs[0].Sections[s].Text), term); i >= 0 {
				want = utf8.RuneCount(Normalize(docs[0].Sections[s].Text)[:i])
			}
			if got := ix.Find(s, &f); got != want {
				t.Errorf("%s in section %d at rune %d, want %d", c.term, s, got, want)
			}
		}
	}
}

// TestIsFrequent: the list's characters are frequent, the code points
// they are stored as and other characters are not.
func TestIsFrequent(t *testing.T) {
	n := 0
	for r := rune(0); r < 0x10000; r++ {
		if IsFrequent(r) {
			n++
		}
	}
	if n != compactChars || !IsFrequent('的') || !IsFrequent('党') || IsFrequent('鄱') || IsFrequent(compactFirst) || IsFrequent('a') {
		t.Errorf("%d frequent characters, want %d; 的 %v 党 %v 鄱 %v", n, compactChars, IsFrequent('的'), IsFrequent('党'), IsFrequent('鄱'))
	}
}

// TestSwapAsRuneByRune: appendSwapped, with its table for characters of
// two bytes, swaps any bytes as decoding them rune by rune does, invalid
// and cut-off sequences among valid text kept as they are.
func TestSwapAsRuneByRune(t *testing.T) {
	byRune := func(b []byte) []byte {
		var out []byte
		for i := 0; i < len(b); {
			r, size := utf8.DecodeRune(b[i:])
			if size >= 2 && size <= 3 && r < 0x10000 && swapOf[r] != 0 {
				out = utf8.AppendRune(out, rune(swapOf[r]))
			} else {
				out = append(out, b[i:i+size]...)
			}
			i += size
		}
		return out
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := [][]byte{[]byte("政府"), []byte("ab"), {0xC2}, {0xC0, 0x80}, {0xC1, 0xBF}, {0xDF}, {0xDF, 0xBF}, {0xC3, 0x28}, {0xE5}, {0xE5, 0x85}, {0x80}, {0xFF}, []byte("é"), []byte("ǿ"), []byte("𠀀")}
	for range 20000 {
		var b []byte
		for range rng.IntN(12) {
			if rng.IntN(3) == 0 {
				b = utf8.AppendRune(b, rune(rng.IntN(0x10000)))
			} else {
				b = append(b, pieces[rng.IntN(len(pieces))]...)
			}
		}
		if got, want := appendSwapped(nil, b), byRune(b); !bytes.Equal(got, want) {
			t.Fatalf("%q swapped to %q, rune by rune %q", b, got, want)
		}
	}
}
