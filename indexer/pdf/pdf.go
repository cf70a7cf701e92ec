package pdf

import (
	"context"
	"fmt"
	"strings"
)

// Document is what is read of a PDF: its text and what a person may want
// to know of where it came from.
type Document struct {
	Text      string // a line per paragraph, table rows' cells separated by tabs
	Pages     int    // pages in the file
	Truncated bool   // more than MaxPages pages, of which the first were read
	Extractor string
	// From the document information dictionary, "" when absent.
	Title, Author, Producer, Creator string
	CreationDate                     string // as written: D:20230115093000+08'00'
}

// Text is the text of a PDF: see Read.
func Text(data []byte) (string, error) {
	d, err := Read(context.Background(), data)
	if err != nil {
		return "", err
	}
	return d.Text, nil
}

// Read reads a PDF's text in reading order, a line per paragraph, table
// rows as their cells separated by tabs, page numbers and running heads
// left out. A PDF whose pages hold no text is ErrNoText; one whose text
// is nonsense (a font with no usable encoding) ErrGarbled; one that needs
// a password ErrEncrypted; not a PDF ErrNotPDF.
func Read(ctx context.Context, data []byte) (*Document, error) {
	raw, err := readRaw(ctx, data)
	if err != nil {
		return nil, err
	}
	return layout(raw)
}

// layout makes a Document of what PDFium read.
func layout(raw *rawDoc) (*Document, error) {
	d := &Document{
		Pages:        raw.total,
		Truncated:    raw.truncated,
		Extractor:    Extractor,
		Title:        raw.meta["Title"],
		Author:       raw.meta["Author"],
		Producer:     raw.meta["Producer"],
		Creator:      raw.meta["Creator"],
		CreationDate: raw.meta["CreationDate"],
	}
	text, ok := rawText(raw)
	if !ok {
		return nil, ErrNoText
	}
	d.Text = text
	if why := garbled(d.Text); why != "" {
		return nil, fmt.Errorf("%w: %s", ErrGarbled, why)
	}
	return d, nil
}

// rawText lays out what PDFium read; false if it read no glyph at all.
func rawText(raw *rawDoc) (string, bool) {
	pages := make([][]line, len(raw.pages))
	heights := make([]float64, len(raw.pages))
	glyphs := 0
	for i, p := range raw.pages {
		pages[i], heights[i] = pageLines(p, i), p.height
		glyphs += len(p.glyphs)
	}
	if glyphs == 0 {
		return "", false
	}
	dropFurniture(pages, heights)
	return strings.ToValidUTF8(paragraphs(pages), "\uFFFD"), true
}
