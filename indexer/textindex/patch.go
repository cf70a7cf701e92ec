package textindex

import (
	"encoding/binary"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A section's display text and heading path are not stored as such: the
// segment holds their normalised forms for matching anyway, and the
// display forms differ from them in little but punctuation (a barrier
// for each run of it), dropped line breaks and full-width characters. So
// each is stored as a patch, the edits that make it from its normalised
// form. On the laws corpus the patches of the text are 7% of its size,
// less than flate makes of it, and they are applied in place, a section
// at a time, with nothing to inflate and nothing to cache.
//
// A patch is a sequence of edits, each two varints: the number of bytes
// of the normalised form to copy, then a code. A code below
// len(patchTable) is that entry of the table: so many bytes of the
// normalised form to skip (a barrier, or nothing) and the bytes to write
// instead. A code c above is an edit of its own: a varint, the bytes to
// skip, then c-len(patchTable) bytes to write. What is left of the
// normalised form after the last edit is copied.

// edit is an entry of patchTable.
type edit struct {
	skip int
	lit  string
}

// patchTable holds the commonest edits, most frequent first on the laws
// corpus (96% of its edits are the first twelve). It is part of the file
// format: change it, change the magic.
var patchTable = [...]edit{
	{1, "，"}, {1, "、"}, {1, "。\n"}, {0, " "}, {1, "）"}, {1, "；\n（"}, {1, "。"}, {1, "；"},
	{1, "（"}, {1, ")"}, {0, "\n"}, {1, "：\n（"}, {1, "；\n("}, {1, "《"}, {1, "》"}, {1, "("},
	{1, "：\n("}, {1, ","}, {1, "）、"}, {1, "。\n（"}, {1, "“"}, {1, "”"}, {1, ";\n（"}, {1, "；\n"},
	{1, "："}, {1, "》《"}, {1, "》、《"}, {1, "》，"}, {1, "），"}, {1, "。\n("}, {1, "%"}, {1, "：\n"},
	{1, ":\n（"}, {1, ";"}, {1, ")，"}, {1, ")、"}, {1, "．"}, {1, "."}, {1, "。 "}, {1, ";\n("},
	{1, "）、（"}, {1, "》。\n"}, {1, "”，"}, {1, "》（"}, {1, "）。\n"}, {1, "”、“"}, {1, "〉"}, {1, "〈"},
	{1, "》、"}, {1, "》("}, {1, "，《"}, {1, " 《"}, {1, ") "}, {1, ")。\n"}, {1, "）；\n（"}, {1, ")“"},
	{1, "。《"}, {1, "） "}, {1, ")、("}, {1, "。\n《"}, {1, "！"}, {1, "？"}, {1, "……"}, {1, "——"},
}

// patchCodes is patchTable's inverse.
var patchCodes = func() map[edit]byte {
	m := make(map[edit]byte, len(patchTable))
	for i, e := range patchTable {
		m[e] = byte(i)
	}
	return m
}()

// soon is how many runes ahead the encoder looks for where the display
// and normalised forms meet again.
const soon = 4

// appendPatch appends to dst the patch that makes text from norm. Any
// norm and text make a correct patch (every byte of text is copied from
// norm where they agree and written out where they do not); the rules
// below only keep it short for text and its normalised form.
func appendPatch(dst, norm []byte, text string) []byte {
	i, j, copied := 0, 0, 0
	put := func(skip int, lit string) {
		dst = binary.AppendUvarint(dst, uint64(copied))
		copied = 0
		if c, ok := patchCodes[edit{skip, lit}]; ok {
			dst = append(dst, c)
			return
		}
		dst = binary.AppendUvarint(dst, uint64(len(patchTable)+len(lit)))
		dst = binary.AppendUvarint(dst, uint64(skip))
		dst = append(dst, lit...)
	}
	for j < len(text) {
		if i < len(norm) && norm[i] == text[j] {
			i, j, copied = i+1, j+1, copied+1
			continue
		}
		// Where they differ, back up to the start of the rune.
		for copied > 0 && i < len(norm) && !utf8.RuneStart(norm[i]) {
			i, j, copied = i-1, j-1, copied-1
		}
		if i == len(norm) {
			put(0, text[j:])
			j = len(text)
			break
		}
		_, ns := utf8.DecodeRune(norm[i:])
		_, ts := utf8.DecodeRuneInString(text[j:])
		next := norm[i : i+ns]
		if k := findSoon(text, j+ts, next); k >= 0 {
			// Text the normalised form drops: blanks between CJK characters.
			put(0, text[j:k])
			j = k
			continue
		}
		if k := findSoonIn(norm, i+ns, text[j:j+ts]); k >= 0 {
			// The normalised form has more (a character NFKC expands).
			put(k-i, "")
			i = k
			continue
		}
		if norm[i] == BarrierByte {
			// A run of punctuation, symbols and blanks.
			i++
			k := j + ts
			for k < len(text) {
				if i < len(norm) && hasPrefixAtRune(text[k:], norm[i:]) {
					break
				}
				r, size := utf8.DecodeRuneInString(text[k:])
				if unicode.IsLetter(r) || unicode.IsNumber(r) {
					break
				}
				k += size
			}
			put(1, text[j:k])
			j = k
			continue
		}
		// One character for another: full-width, upper case.
		put(ns, text[j:j+ts])
		i += ns
		j += ts
	}
	if i < len(norm) {
		put(len(norm)-i, "")
	}
	return dst
}

// findSoon returns the offset in text of the first of the soon runes from
// j that starts with r's bytes, or -1.
func findSoon(text string, j int, r []byte) int {
	for n := 0; n < soon && j < len(text); n++ {
		if len(text)-j >= len(r) && text[j:j+len(r)] == string(r) {
			return j
		}
		_, size := utf8.DecodeRuneInString(text[j:])
		j += size
	}
	return -1
}

// findSoonIn is findSoon over norm.
func findSoonIn(norm []byte, i int, r string) int {
	for n := 0; n < soon && i < len(norm); n++ {
		if len(norm)-i >= len(r) && string(norm[i:i+len(r)]) == r {
			return i
		}
		_, size := utf8.DecodeRune(norm[i:])
		i += size
	}
	return -1
}

// hasPrefixAtRune reports whether s starts with the first rune of norm.
func hasPrefixAtRune(s string, norm []byte) bool {
	_, n := utf8.DecodeRune(norm)
	return len(s) >= n && s[:n] == string(norm[:n])
}

// applyPatch writes to dst the text that patch makes from norm. A
// damaged patch makes a wrong text, never a read out of range.
func applyPatch(dst *strings.Builder, norm, patch []byte) {
	i, p := 0, 0
	for p < len(patch) {
		c, n := uvarint(patch[p:])
		if n <= 0 {
			break
		}
		p += n
		code, n := uvarint(patch[p:])
		if n <= 0 {
			break
		}
		p += n
		c = min(c, uint64(len(norm)-i))
		dst.Write(norm[i : i+int(c)])
		i += int(c)
		var skip uint64
		if code < uint64(len(patchTable)) {
			e := &patchTable[code]
			skip = uint64(e.skip)
			dst.WriteString(e.lit)
		} else {
			skip, n = uvarint(patch[p:])
			if n <= 0 {
				break
			}
			p += n
			size := int(min(code-uint64(len(patchTable)), uint64(len(patch)-p)))
			dst.Write(patch[p : p+size])
			p += size
		}
		i += int(min(skip, uint64(len(norm)-i)))
	}
	dst.Write(norm[i:])
}

// patched is the text that patch makes from norm. Its buffer is sized
// once, not cleared: an edit of two bytes or more writes at most
// maxPatchLit bytes more than it copies, one of its own no more than its
// length.
func patched(norm, patch []byte) string {
	var b strings.Builder
	b.Grow(len(norm) + maxPatchLit/2*len(patch))
	applyPatch(&b, norm, patch)
	return b.String()
}

// maxPatchLit is the longest literal of patchTable.
const maxPatchLit = 10
