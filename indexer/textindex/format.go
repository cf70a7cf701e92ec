package textindex

import (
	"encoding/binary"
	"hash/crc32"
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
// memory mapping. Offsets are 64-bit throughout: a segment has no size
// limit but 2^32-1 sections (Candidate.Sec) and documents.
//
// The regions:
//
//	docData    each document's ID, metadata and record, one after another
//	norm       each section's normalised text (what Norm returns)
//	normPath   each section's normalised heading path
//	words      each section's word starts (see IsWord)
//	patch      each section's text patch then path patch (see patch.go)
//	docs       a docRec per document, then one past the last
//	secs       a secRec per section, then one past the last: a section's
//	           bytes in a region end where the next section's begin
//	offsets    three arrays of a uint64 per section and one past the
//	           last: the offsets of each section in norm, in words and in
//	           normPath, which matching and ranking read for every
//	           candidate and match: dense, a section's and the next one's
//	           are mostly in one cache line
//	postings   each key's postings, in key order (see postings.go): a
//	           pair's sections in blocks of packed entries with skips
//	           between them, a character's number of sections
//	keys       the keys, sorted, a uint64 each (searched in place)
//	ends       for each key the end of its postings in the postings
//	           region; they start where the previous key's end
//	topWords   the most frequent words: their number, then each as a
//	           varint length, its bytes, and a varint count
//	byteFreq   the frequency of each byte in norm, 256 uint32s
const magic = "NSTEXT\x00\x0b"

const (
	regDocData = iota
	regNorm
	regNormPath
	regWords
	regPatch
	regDocs
	regSecs
	regOffsets
	regPostings
	regKeys
	regEnds
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
	regPostings: "postings",
	regKeys:     "keys",
	regEnds:     "postings offsets",
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

// chunkShift sets the size of the chunks a checksum covers, 1 MiB: small
// enough that checking a segment spreads over every core.
const chunkShift = 20

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
	if h.docs >= 1<<32-1 || h.secs >= 1<<32-1 || h.keys > h.regions[regKeys].len/8 {
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

// secRec is a section's record in the secs region, read in place. Its
// bytes in each region run to the next section's offset there.
type secRec struct {
	patch     uint64 // offset in its region
	doc, seq  uint32
	textPatch uint32 // bytes of its patch that are its text's; the rest are its path's
	level     uint16
	_         uint16
}

// The arrays of the offsets region.
const (
	offNorm = iota
	offWords
	offNormPath
	nOffsets
)

const (
	docRecSize = 24
	secRecSize = 24
)

// The records are read in place, so their Go layout is the file's, on a
// little-endian machine (OpenSegment refuses others).
var (
	_ [docRecSize - unsafe.Sizeof(docRec{})]struct{}
	_ [unsafe.Sizeof(docRec{}) - docRecSize]struct{}
	_ [secRecSize - unsafe.Sizeof(secRec{})]struct{}
	_ [unsafe.Sizeof(secRec{}) - secRecSize]struct{}
)

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
	b = le.AppendUint64(b, r.patch)
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
