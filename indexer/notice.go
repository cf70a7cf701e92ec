package indexer

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"unicode"

	"noticesearch/dict"
	"noticesearch/indexer/office"
	"noticesearch/indexer/pdf"
)

// Notice is one cleaned notice with its metadata and its sections.
type Notice struct {
	ID        string      `json:"id"`
	Path      string      `json:"path"`
	Format    string      `json:"format"`              // html, text, markdown, docx, odt, ofd, doc or pdf
	Extractor string      `json:"extractor,omitempty"` // what read a binary format's text (see Parse)
	Title     string      `json:"title"`
	Date      string      `json:"date"`                // YYYY-MM-DD, "" if unknown
	DateFrom  string      `json:"date_from,omitempty"` // where Date was read: DateFromPage or DateFromFileName
	Source    string      `json:"source"`
	Issuer    string      `json:"issuer"`
	Region    dict.Region `json:"region"`
	DocNumber string      `json:"doc_number"`
	Kind      string      `json:"kind"`
	Site      string      `json:"site,omitempty"`
	Column    string      `json:"column,omitempty"`
	Keywords  string      `json:"keywords,omitempty"`
	Body      string      `json:"body,omitempty"`
	Sections  []Section   `json:"sections"`
	// Fingerprint is derived from the cleaned content alone: the same
	// notice saved twice, or as HTML and as text, has the same
	// fingerprint, but is two notices (see NoticeID).
	Fingerprint string `json:"-"`
}

// FileError says which file could not be read as a notice, and why.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// Formats by file extension; other files are not notices.
var formats = map[string]string{
	".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
	".txt": "text", ".text": "text",
	".md": "markdown", ".markdown": "markdown",
	".docx": "docx", // its body's text, read by package office
	".odt":  "odt",  // its body's text, read by package office
	".fodt": "odt",  // the same XML as one file (flat ODT)
	".ofd":  "ofd",  // its pages' text, read by package office
	".doc":  "doc",  // through catdoc or antiword (package office)
	".wps":  "doc",
	".pdf":  "pdf", // its text layer, read by PDFium in WebAssembly (package pdf)
}

// IsNoticeFile reports whether path has an extension we read: .doc and
// .wps only where a converter is installed (see office.DocText).
func IsNoticeFile(path string) bool {
	f, ok := formats[strings.ToLower(filepath.Ext(path))]
	return ok && (f != "doc" || office.Converter() != "")
}

// DefaultMaxFileSize bounds what one file may hold unless
// Options.MaxFileSize says otherwise. The longest file of the shared
// corpus holds 153 KiB; reading a file takes several times its size in
// memory while it is decoded, cleaned and split, so 32 MiB admits any
// page saved whole, 200 times the longest, and keeps a run that parses on
// every core within its memory.
const DefaultMaxFileSize = 32 << 20

// ErrTooLarge says a file is over the size limit; the error is a
// *TooLargeError, which says by how much.
var ErrTooLarge = errors.New("文件过大 / file too large")

// TooLargeError says a file is larger than the limit.
type TooLargeError struct {
	Size  int64 // bytes in the file, or read before giving up
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("文件过大：%s，上限 %s，可用 --max-file-size 调高 / file too large: %s, the limit is %s; raise it with --max-file-size",
		sizeText(e.Size, "字节"), sizeText(e.Limit, "字节"), sizeText(e.Size, "bytes"), sizeText(e.Limit, "bytes"))
}

func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// sizeText writes a size in bytes, and in MiB when it is that large.
func sizeText(n int64, bytes string) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d %s", n, bytes)
	}
	return fmt.Sprintf("%d %s (%.1f MiB)", n, bytes, float64(n)/(1<<20))
}

// ReadFile reads the notice in the file at path, up to DefaultMaxFileSize.
func ReadFile(path string) (*Notice, error) {
	return ReadFileLimit(path, DefaultMaxFileSize)
}

// ReadFileLimit reads the notice in the file at path, which may hold up to
// limit bytes (DefaultMaxFileSize if limit <= 0). Only a regular file is
// opened: a FIFO would wait for a writer forever.
func ReadFileLimit(path string, limit int64) (*Notice, error) {
	if limit <= 0 {
		limit = DefaultMaxFileSize
	}
	// Opened without blocking and then looked at, so that a FIFO put in
	// the file's place between a look and the opening cannot block.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, &FileError{path, err}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, &FileError{path, err}
	}
	if !fi.Mode().IsRegular() {
		return nil, &FileError{path, notRegular(fi.Mode())}
	}
	if fi.Size() > limit {
		return nil, &FileError{path, &TooLargeError{fi.Size(), limit}}
	}
	// The file may have grown since: read no more than one byte past the limit.
	// bytes.Buffer grows unless bytes.MinRead are free.
	buf := bytes.NewBuffer(make([]byte, 0, fi.Size()+bytes.MinRead))
	if _, err := buf.ReadFrom(io.LimitReader(f, limit+1)); err != nil {
		return nil, &FileError{path, err}
	}
	if int64(buf.Len()) > limit {
		return nil, &FileError{path, &TooLargeError{int64(buf.Len()), limit}}
	}
	return Parse(path, buf.Bytes())
}

// Parse reads one notice from the bytes of a file; path names it and its
// extension chooses the reader (HTML, text, Markdown, or an importer's:
// see readImported).
func Parse(path string, data []byte) (*Notice, error) {
	format, ok := formats[strings.ToLower(filepath.Ext(path))]
	if !ok {
		format = "text"
	}
	var src string
	var doc imported // of a Word, ODT, OFD or PDF file
	var err error
	if isImported(format) {
		doc, err = readImported(format, data)
		src = doc.text
	} else {
		src, err = decode(data, format == "html")
	}
	if err != nil {
		return nil, &FileError{path, err}
	}
	var p page
	switch {
	case isImported(format):
		p = doc.page()
	case format == "html":
		p = readHTML(src)
	case format == "markdown":
		p = readMarkdown(src)
	default:
		p = readText(src)
		// Saved pages sometimes carry a .txt name.
		if looksLikeHTML(src) {
			format, p = "html", readHTML(src)
		}
	}
	n := &Notice{Path: path, Format: format, Extractor: doc.extractor}
	describe(n, p)
	if n.Date == "" && doc.made != "" {
		n.Date, n.DateFrom = doc.made, DateFromProperties
	}
	if n.Body == "" {
		return nil, &FileError{path, ErrNoBody}
	}
	n.ID, n.Fingerprint = NoticeID(path), fingerprint(n.Title, n.Body)
	n.Sections = splitSections(n.Body, p.subheads...)
	for i := range n.Sections {
		n.Sections[i].NoticeID = n.ID
		n.Sections[i].ID = SectionID(n.ID, n.Sections[i].Seq)
	}
	return n, nil
}

func looksLikeHTML(s string) bool {
	head := strings.ToLower(s[:min(len(s), 512)])
	return strings.Contains(head, "<!doctype html") || strings.Contains(head, "<html")
}

// fingerprint is derived from the cleaned content alone, so the same
// notice saved twice, or as HTML and as text, gets the same fingerprint.
func fingerprint(title, body string) string {
	sum := sha256.Sum256([]byte(compact(title) + "\n" + body))
	return hex.EncodeToString(sum[:8])
}

// NoticeID is the ID of the notice in the file at path: a notice's
// identity is its file (by absolute path), not its content, so two files
// with the same text are two notices, and a file edited keeps its ID.
func NoticeID(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	sum := sha256.Sum256([]byte("file:" + path))
	return hex.EncodeToString(sum[:8])
}

// IsRejected reports whether err says a file is not a readable notice, as
// opposed to an I/O failure.
func IsRejected(err error) bool {
	return errors.Is(err, ErrEmpty) || errors.Is(err, ErrNotText) || errors.Is(err, ErrNoBody) || errors.Is(err, ErrTooLarge) || errors.Is(err, ErrNotRegular) ||
		errors.Is(err, office.ErrNotDOCX) || errors.Is(err, office.ErrNotODT) || errors.Is(err, office.ErrBomb) || errors.Is(err, office.ErrNotOFD) || errors.Is(err, office.ErrNoText) ||
		errors.Is(err, office.ErrNeedsConverter) || errors.Is(err, office.ErrConvert) ||
		errors.Is(err, pdf.ErrNotPDF) || errors.Is(err, pdf.ErrEncrypted) || errors.Is(err, pdf.ErrNoText) || errors.Is(err, pdf.ErrGarbled) ||
		errors.Is(err, pdf.ErrTooLarge) || errors.Is(err, pdf.ErrTimeout) || errors.Is(err, pdf.ErrEngine)
}

// hasProse reports whether s holds at least a few letters in a row: a body
// of only numbers and symbols is no body.
func hasProse(s string) bool { return hasLetters(s, 6) }

// hasLetters reports whether s holds at least n letters in a row.
func hasLetters(s string, n int) bool {
	run := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			run++
			if run >= n {
				return true
			}
		} else if !isBlank(r) {
			run = 0
		}
	}
	return false
}
