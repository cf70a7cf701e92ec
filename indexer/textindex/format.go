package textindex

import (
	"encoding/binary"
	"hash/crc32"
	"slices"
	"unsafe"
)

// The file of a segment, all numbers little-endian:
//
//	header     headerSize bytes: the magic, the file's size, the numbers of
//	           documents, sections and keys, the offset and length of
//	           each region, the offset, length and CRC of the checksum
//	           table, and last the header's own CRC
//	regions    in the order of the region constants, each starting at a
//	           multiple of 8 and padded with zeros to one, the padding
//	           within the region's checksums; nothing between them
//	checksums  the CRC-32C (Castagnoli) of every chunk of every region,
//	           regions in order, a region's chunks being its padded bytes
//	           cut every 1<<chunkShift; the file ends with it
//
// So every byte of the file is under a checksum, which OpenSegment checks
// before it trusts any; and every region is read in place, through a
// memory mapping. Offsets are 64-bit throughout, though stored as their
// low 32 bits (see offsets32): a segment has no size limit but 2^32-1
// sections (Candidate.Sec), documents and keys.
//
// The regions:
//
//	docData    each document's ID, metadata and record, one after another
//	norm       each section's normalised text, as stored: its most
//	           frequent characters in two bytes (see compact.go)
//	normPath   each distinct normalised heading path, once: the sections
//	           of a notice, and many notices, share theirs
//	words      each section's word starts (see IsWord)
//	patch      each section's text patch then path patch (see patch.go)
//	docs       a docRec per document, then one past the last
//	secs       a secRec per section, then one past the last
//	offsets    four arrays of a uint32 per section and one past the
//	           last: the offsets of each section in norm, in words and in
//	           patch (a section's bytes in a region end where the next
//	           one's begin), and the number of its path; matching and
//	           ranking read them for every candidate and match: dense, a
//	           section's and the next one's are mostly in one cache line
//	paths      the offset of each path in normPath, a uint32 each, and one
//	           past the last
//	postings   each key's postings, in key order (see postings.go): a
//	           pair's sections in blocks of packed entries with skips
//	           between them, a character's number of sections
//	runes      the keys' first runes: for each, sorted, the rune and its
//	           first key, uint32s
//	keys       the second rune of each key, sorted within its first's, a
//	           uint32 each (single for a character's own key, the last of
//	           its rune's), searched in place
//	ends       for each key the end of its postings in the postings
//	           region, a uint32; they start where the previous key's end
//	wraps      for each array of offsets (norm, words, patch, paths,
//	           ends), a uvarint count then uvarint indexes: where the
//	           offsets pass a multiple of 4 GiB (see offsets32)
//	topWords   the most frequent words: their number, then each as a
//	           varint length, its bytes, and a varint count
//	byteFreq   the frequency of each byte in norm as stored, then in
//	           the normalised text (a merge's: the sum of its segments'),
//	           2 × 256 uint32s: Finder looks for a term's rarest byte
const magic = "NSTEXT\x00\x0e"

const (
	regDocData = iota
	regNorm
	regNormPath
	regWords
	regPatch
	regDocs
	regSecs
	regOffsets
	regPaths
	regPostings
	regRunes
	regKeys
	regEnds
	regWraps
	regTopWords
	regByteFreq
	nRegions
)

// regionNames name the regions in errors: what is damaged.
var regionNames = [nRegions]string{
	regDocData:  "document data",
	regNorm:     "normalised text",
	regNormPath: "normalised headings",
	regWords:    "word starts",
	regPatch:    "text",
	regDocs:     "documents",
	regSecs:     "sections",
	regOffsets:  "section offsets",
	regPaths:    "heading offsets",
	regPostings: "postings",
	regRunes:    "key runes",
	regKeys:     "keys",
	regEnds:     "postings offsets",
	regWraps:    "offsets past 4 GiB",
	regTopWords: "top words",
	regByteFreq: "byte frequencies",
}

// The header's layout.
const (
	headerSize  = 512
	hdrFileSize = 8
	hdrDocs     = 16
	hdrSecs     = 24
	hdrKeys     = 32
	hdrChunk    = 40                       // uint32 chunkShift, uint32 nRegions
	hdrRegions  = 48                       // nRegions × (offset, length), uint64s
	hdrSums     = hdrRegions + 16*nRegions // offset, length (uint64), CRC (uint32)
	hdrCRC      = headerSize - 4           // of the header's bytes before it
)

// chunkShift sets the size of the chunks a checksum covers, 64 KiB: a
// chunk is checked whole on its first read (see verify.go), and the first
// search after a start reads scattered sections; 1 MiB chunks made it
// read up to a gigabyte from disk at 50x the laws corpus. Readers take the
// size from the header: files written with 1 MiB chunks still open.
const chunkShift = 16

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// header is a segment file's header, decoded.
type header struct {
	fileSize         uint64
	docs, secs, keys uint64
	chunkShift       uint32
	regions          [nRegions]extent
	sums             extent
	sumsCRC          uint32
}

// extent is a range of a file: offset and length.
type extent struct{ off, len uint64 }

// padded is the length of e rounded up to a multiple of 8: the bytes its
// checksums cover.
func (e extent) padded() uint64 { return alignUp(e.len) }

func alignUp(n uint64) uint64 { return (n + 7) &^ 7 }

func (h *header) encode() []byte {
	b := make([]byte, headerSize)
	copy(b, magic)
	le := binary.LittleEndian
	le.PutUint64(b[hdrFileSize:], h.fileSize)
	le.PutUint64(b[hdrDocs:], h.docs)
	le.PutUint64(b[hdrSecs:], h.secs)
	le.PutUint64(b[hdrKeys:], h.keys)
	le.PutUint32(b[hdrChunk:], h.chunkShift)
	le.PutUint32(b[hdrChunk+4:], nRegions)
	for r, e := range h.regions {
		le.PutUint64(b[hdrRegions+16*r:], e.off)
		le.PutUint64(b[hdrRegions+16*r+8:], e.len)
	}
	le.PutUint64(b[hdrSums:], h.sums.off)
	le.PutUint64(b[hdrSums+8:], h.sums.len)
	le.PutUint32(b[hdrSums+16:], h.sumsCRC)
	le.PutUint32(b[hdrCRC:], crc32.Checksum(b[:hdrCRC], castagnoli))
	return b
}

// decodeHeader decodes the header at the start of b, which holds at
// least headerSize bytes with the magic, and checks its CRC and that the
// regions and the checksum table lie end to end, each at a multiple of 8,
// up to the end of the file. It returns the reason it refuses, if it does.
func decodeHeader(b []byte) (h header, reason string) {
	le := binary.LittleEndian
	if le.Uint32(b[hdrCRC:]) != crc32.Checksum(b[:hdrCRC], castagnoli) {
		return h, "checksum mismatch"
	}
	h.fileSize = le.Uint64(b[hdrFileSize:])
	h.docs, h.secs, h.keys = le.Uint64(b[hdrDocs:]), le.Uint64(b[hdrSecs:]), le.Uint64(b[hdrKeys:])
	h.chunkShift = le.Uint32(b[hdrChunk:])
	if h.chunkShift < 6 || h.chunkShift > 40 || le.Uint32(b[hdrChunk+4:]) != nRegions {
		return h, "unknown layout"
	}
	at := uint64(headerSize)
	for r := range h.regions {
		e := extent{le.Uint64(b[hdrRegions+16*r:]), le.Uint64(b[hdrRegions+16*r+8:])}
		if e.off != at || e.len > h.fileSize || e.padded() > h.fileSize || e.off > h.fileSize-e.padded() {
			return h, "its region table is inconsistent"
		}
		h.regions[r] = e
		at += e.padded()
	}
	h.sums = extent{le.Uint64(b[hdrSums:]), le.Uint64(b[hdrSums+8:])}
	h.sumsCRC = le.Uint32(b[hdrSums+16:])
	if h.sums.off != at || h.sums.len != 4*h.chunks() || h.sums.off+h.sums.len != h.fileSize {
		return h, "its region table is inconsistent"
	}
	if h.docs >= 1<<32-1 || h.secs >= 1<<32-1 || h.keys >= 1<<32-1 {
		return h, "its counts are out of range"
	}
	return h, ""
}

// chunks is the number of checksums of the file's regions.
func (h *header) chunks() uint64 {
	n := uint64(0)
	for _, e := range h.regions {
		n += h.chunksOf(e)
	}
	return n
}

func (h *header) chunksOf(e extent) uint64 {
	size := uint64(1) << h.chunkShift
	return (e.padded() + size - 1) / size
}

// docRec is a document's record in the docs region, read in place.
type docRec struct {
	data                   uint64 // offset in docData of its ID, then its metadata, then its record
	idLen, metaLen, recLen uint32
	first                  uint32 // its first section; its last is before the next document's first
}

// secRec is a section's record in the secs region, read in place.
type secRec struct {
	doc, seq  uint32
	textPatch uint32 // bytes of its patch that are its text's; the rest are its path's
	level     uint16
	_         uint16
}

// runeRec is a first rune of keys and its first key, in the runes region.
type runeRec struct{ r, first uint32 }

// The arrays of the offsets region, and of offsets32 by their wraps.
const (
	offNorm = iota
	offWords
	offPatch
	offPath // a number in paths, not an offset: never wraps
	nOffsets
	wrapPaths = offPath
	wrapEnds  = nOffsets
	nWraps    = nOffsets + 1
)

const (
	docRecSize  = 24
	secRecSize  = 16
	runeRecSize = 8
)

// The records are read in place, so their Go layout is the file's, on a
// little-endian machine (OpenSegment refuses others).
var (
	_ [docRecSize - unsafe.Sizeof(docRec{})]struct{}
	_ [unsafe.Sizeof(docRec{}) - docRecSize]struct{}
	_ [secRecSize - unsafe.Sizeof(secRec{})]struct{}
	_ [unsafe.Sizeof(secRec{}) - secRecSize]struct{}
	_ [runeRecSize - unsafe.Sizeof(runeRec{})]struct{}
	_ [unsafe.Sizeof(runeRec{}) - runeRecSize]struct{}
)

// offsets32 is an ascending array of 64-bit offsets stored as their low
// 32 bits, read in place, and the indexes from which the high bits grow
// by one, in the wraps region (an index twice for a step of 8 GiB, and so
// on). Only a region past 4 GiB has any; a segment under 4 GiB pays 4
// bytes an offset.
type offsets32 struct {
	lo    []uint32
	wraps []uint64
}

func (o *offsets32) at(i int) uint64 {
	v := uint64(o.lo[i])
	if len(o.wraps) > 0 {
		n, _ := slices.BinarySearch(o.wraps, uint64(i)+1) // wraps at or before i
		v |= uint64(n) << 32
	}
	return v
}

// appendOffset appends the low bits of offset v, the i-th, to lo and
// the indexes of its wraps to wraps, the previous offset being prev.
func appendOffset(lo []byte, wraps []uint64, i int, prev, v uint64) ([]byte, []uint64) {
	for range v>>32 - prev>>32 {
		wraps = append(wraps, uint64(i))
	}
	return binary.LittleEndian.AppendUint32(lo, uint32(v)), wraps
}

func appendDocRec(b []byte, r docRec) []byte {
	le := binary.LittleEndian
	b = le.AppendUint64(b, r.data)
	b = le.AppendUint32(b, r.idLen)
	b = le.AppendUint32(b, r.metaLen)
	b = le.AppendUint32(b, r.recLen)
	return le.AppendUint32(b, r.first)
}

func appendSecRec(b []byte, r secRec) []byte {
	le := binary.LittleEndian
	b = le.AppendUint32(b, r.doc)
	b = le.AppendUint32(b, r.seq)
	b = le.AppendUint32(b, r.textPatch)
	b = le.AppendUint16(b, r.level)
	return le.AppendUint16(b, 0)
}

// view returns the n records of type T at the start of b, which must be
// aligned for T and hold them: the caller checks both.
func view[T any](b []byte, n uint64) []T {
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), n)
}

// span is b[start:end], or nil when that is out of range: offsets read
// from a file are checked before they are used.
func span(b []byte, start, end uint64) []byte {
	if start > end || end > uint64(len(b)) {
		return nil
	}
	return b[start:end:end]
}

// littleEndian says whether the machine reads the file's numbers as they
// are written.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1
