package indexer

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"noticesearch/dict"
)

// Notice is one cleaned notice with its metadata and its sections.
type Notice struct {
	ID        string      `json:"id"`
	Path      string      `json:"path"`
	Format    string      `json:"format"` // html, text or markdown
	Title     string      `json:"title"`
	Date      string      `json:"date"` // YYYY-MM-DD, "" if unknown
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
}

// IsNoticeFile reports whether path has an extension we read.
func IsNoticeFile(path string) bool {
	_, ok := formats[strings.ToLower(filepath.Ext(path))]
	return ok
}

// MaxFileSize bounds what one file may hold; larger files are not notices.
const MaxFileSize = 32 << 20

// ReadFile reads the notice in the file at path.
func ReadFile(path string) (*Notice, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, &FileError{path, err}
	}
	if fi.Size() > MaxFileSize {
		return nil, &FileError{path, fmt.Errorf("file too large (%d bytes, limit %d) / 文件过大", fi.Size(), MaxFileSize)}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &FileError{path, err}
	}
	return Parse(path, data)
}

// Parse reads one notice from the bytes of a file; path names it and its
// extension chooses the reader (HTML, text, Markdown).
func Parse(path string, data []byte) (*Notice, error) {
	format, ok := formats[strings.ToLower(filepath.Ext(path))]
	if !ok {
		format = "text"
	}
	src, err := decode(data, format == "html")
	if err != nil {
		return nil, &FileError{path, err}
	}
	var p page
	switch format {
	case "html":
		p = readHTML(src)
	case "markdown":
		p = readMarkdown(src)
	default:
		p = readText(src)
		// Saved pages sometimes carry a .txt name.
		if looksLikeHTML(src) {
			format, p = "html", readHTML(src)
		}
	}
	n := &Notice{Path: path, Format: format}
	describe(n, p)
	if n.Body == "" {
		return nil, &FileError{path, ErrNoBody}
	}
	n.ID = noticeID(n.Title, n.Body)
	n.Sections = splitSections(n.Body)
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

// noticeID is derived from the cleaned content alone, so the same notice
// saved twice, or as HTML and as text, gets the same ID.
func noticeID(title, body string) string {
	sum := sha256.Sum256([]byte(compact(title) + "\n" + body))
	return hex.EncodeToString(sum[:8])
}

// IsRejected reports whether err says a file is not a readable notice, as
// opposed to an I/O failure.
func IsRejected(err error) bool {
	return errors.Is(err, ErrEmpty) || errors.Is(err, ErrNotText) || errors.Is(err, ErrNoBody)
}

// hasProse reports whether s holds at least a few letters in a row: a body
// of only numbers and symbols is no body.
func hasProse(s string) bool {
	run := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			run++
			if run >= 6 {
				return true
			}
		} else if !isBlank(r) {
			run = 0
		}
	}
	return false
}
