package office

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ODT (OpenDocument Text, ISO/IEC 26300) is a zip whose content.xml holds
// the body under office:body/office:text: text:p and text:h paragraphs,
// lists of them, and table:table rows of cells. Page headers and footers
// live in styles.xml (master pages), so reading content.xml alone leaves
// them out, as DOCX's reader leaves out Word's header parts. Footnotes,
// comments and tracked deletions are inside the body and are skipped.
//
// A flat ODT (.fodt) is the same XML in one uncompressed file, its root
// office:document holding the styles, the master pages and the body
// together. Only office:body is read, so the one walker serves both: a
// flat file is told from a package by not starting with a zip's magic.

// ErrNotODT says a file is not an ODT package or a flat ODT.
var ErrNotODT = errors.New("不是有效的 ODT 文件 / not a valid ODT file")

// maxRepeat bounds how often a cell's or a row's text is repeated
// (table:number-columns-repeated, table:number-rows-repeated): a writer
// repeats empty cells to fill a grid, which cost nothing here, and text
// only where a table really shows it again.
const maxRepeat = 64

// maxSpaces bounds the blanks one text:s stands for.
const maxSpaces = 256

const (
	nsOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
	nsText   = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	nsTable  = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
	nsSVG    = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
)

// odtSkipped are the elements whose text is not the body's: footnotes and
// endnotes, comments, tracked changes (a deletion's text stays in the
// record), generated numbers (text:number: a cached copy of what a list
// style draws, which the format lets go stale, unlike DOCX, whose reader
// numbers lists from their definitions; a notice typed with its numbers
// loses nothing), an index's
// templates, ruby annotations, and an image's title and description.
var odtSkipped = map[xml.Name]bool{
	{Space: nsText, Local: "note"}:                        true,
	{Space: nsOffice, Local: "annotation"}:                true,
	{Space: nsText, Local: "tracked-changes"}:             true,
	{Space: nsText, Local: "number"}:                      true,
	{Space: nsText, Local: "ruby-text"}:                   true,
	{Space: nsText, Local: "table-of-content-source"}:     true,
	{Space: nsText, Local: "illustration-index-source"}:   true,
	{Space: nsText, Local: "table-index-source"}:          true,
	{Space: nsText, Local: "object-index-source"}:         true,
	{Space: nsText, Local: "user-index-source"}:           true,
	{Space: nsText, Local: "alphabetical-index-source"}:   true,
	{Space: nsText, Local: "bibliography-source"}:         true,
	{Space: nsTable, Local: "covered-table-cell"}:         true, // under a spanned cell, as Word writes one cell
	{Space: nsSVG, Local: "title"}:                        true,
	{Space: nsSVG, Local: "desc"}:                         true,
	{Space: nsOffice, Local: "annotation-end"}:            true,
	{Space: nsText, Local: "sequence-decls"}:              true,
	{Space: nsText, Local: "variable-decls"}:              true,
	{Space: nsText, Local: "user-field-decls"}:            true,
	{Space: nsText, Local: "dde-connection-decls"}:        true,
	{Space: nsTable, Local: "table-header-rows-template"}: true,
}

// ODTText is the text of an ODT package's body, or of a flat ODT's: a line
// per paragraph or heading, table rows as their cells' text separated by
// tabs.
func ODTText(data []byte) (string, error) {
	if !bytes.HasPrefix(data, []byte("PK")) {
		return odtBody(bytes.NewReader(data), "document")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNotODT, err)
	}
	var content *zip.File
	for _, f := range zr.File {
		if f.Name == "content.xml" {
			content = f
			break
		}
	}
	if content == nil {
		return "", fmt.Errorf("%w: no content.xml", ErrNotODT)
	}
	if content.UncompressedSize64 > MaxPart || content.CompressedSize64 > 0 && content.UncompressedSize64/content.CompressedSize64 > MaxRatio {
		return "", ErrBomb
	}
	rc, err := content.Open()
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNotODT, err)
	}
	defer rc.Close()
	// The sizes the archive states may lie: read no more than the bound.
	lr := &io.LimitedReader{R: rc, N: MaxPart + 1}
	text, err := odtBody(lr, "document-content")
	if lr.N <= 0 {
		return "", ErrBomb
	}
	return text, err
}

// odtBody reads the paragraphs and tables of office:body/office:text from
// an XML document whose root is office:<root>.
func odtBody(r io.Reader, root string) (string, error) {
	w := odtWriter{}
	dec := xml.NewDecoder(r)
	depth := 0
	body := 0 // the depth of office:text inside office:body, 0 outside it
	skip := 0 // the depth of the element being skipped, 0 if none
	inBody := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrNotODT, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > 256 {
				return "", fmt.Errorf("%w: nested past 256 elements", ErrNotODT)
			}
			if depth == 1 && t.Name != (xml.Name{Space: nsOffice, Local: root}) {
				return "", fmt.Errorf("%w: the root is %s, not office:%s", ErrNotODT, t.Name.Local, root)
			}
			if body <= 0 {
				// office:document > office:body > office:text.
				if depth == 2 {
					inBody = t.Name == xml.Name{Space: nsOffice, Local: "body"}
				}
				if body == 0 && inBody && depth == 3 && t.Name == (xml.Name{Space: nsOffice, Local: "text"}) {
					body = depth
				}
				continue
			}
			if skip != 0 {
				continue
			}
			if odtSkipped[t.Name] {
				skip = depth
				continue
			}
			w.start(t)
		case xml.EndElement:
			switch {
			case depth == skip:
				skip = 0
			case depth == body:
				body = -1 // read; a second office:text is not the body
			case body > 0 && skip == 0:
				w.end(t)
			}
			depth--
		case xml.CharData:
			if body > 0 && skip == 0 {
				w.chars(t)
			}
		}
		if w.size > MaxPart {
			return "", ErrBomb
		}
	}
	if body == 0 {
		return "", fmt.Errorf("%w: no office:body/office:text", ErrNotODT)
	}
	return w.out.String(), nil
}

// odtWriter lays out the body as it is walked.
type odtWriter struct {
	out   strings.Builder
	paras []*odtPara // open paragraphs: a text box's within its anchor's
	rows  []*odtRow  // open rows: a nested table's within its cell's
	size  int        // bytes written, repeats and blanks counted
}

type odtPara struct {
	b     strings.Builder
	blank bool // white space read since the last text, collapsed to one blank
}

type odtRow struct {
	cells  []string
	repeat []int // each cell's number-columns-repeated
	times  int   // the row's number-rows-repeated
}

func (w *odtWriter) start(t xml.StartElement) {
	switch t.Name {
	case xml.Name{Space: nsText, Local: "p"}, xml.Name{Space: nsText, Local: "h"}:
		w.paras = append(w.paras, &odtPara{})
	case xml.Name{Space: nsText, Local: "s"}:
		n := 1
		if c, err := strconv.Atoi(nsAttr(t, nsText, "c")); err == nil {
			n = min(max(c, 1), maxSpaces)
		}
		w.literal(strings.Repeat(" ", n))
	case xml.Name{Space: nsText, Local: "tab"}:
		w.literal("\t")
	case xml.Name{Space: nsText, Local: "line-break"}:
		w.literal("\n")
	case xml.Name{Space: nsTable, Local: "table-row"}:
		w.rows = append(w.rows, &odtRow{times: repeated(t, "number-rows-repeated")})
	case xml.Name{Space: nsTable, Local: "table-cell"}:
		if len(w.rows) > 0 {
			row := w.rows[len(w.rows)-1]
			row.cells = append(row.cells, "")
			row.repeat = append(row.repeat, repeated(t, "number-columns-repeated"))
		}
	}
}

func (w *odtWriter) end(t xml.EndElement) {
	switch t.Name {
	case xml.Name{Space: nsText, Local: "p"}, xml.Name{Space: nsText, Local: "h"}:
		if len(w.paras) == 0 {
			return
		}
		p := w.paras[len(w.paras)-1]
		w.paras = w.paras[:len(w.paras)-1]
		w.line(strings.TrimRight(p.b.String(), " "))
	case xml.Name{Space: nsTable, Local: "table-row"}:
		if len(w.rows) == 0 {
			return
		}
		row := w.rows[len(w.rows)-1]
		w.rows = w.rows[:len(w.rows)-1]
		var cells []string
		for i, c := range row.cells {
			n := 1
			if c != "" { // empty cells repeated fill a grid: one is enough
				n = row.repeat[i]
			}
			for range n {
				cells = append(cells, c)
			}
		}
		text := strings.Join(cells, "\t")
		n := 1
		if strings.TrimSpace(text) != "" {
			n = row.times
		}
		for range n {
			w.size += len(text)
			w.line(text)
		}
	}
}

// line ends a paragraph or a row: into the cell it stands in, or the
// output.
func (w *odtWriter) line(s string) {
	if len(w.rows) > 0 {
		row := w.rows[len(w.rows)-1]
		if len(row.cells) == 0 {
			row.cells, row.repeat = append(row.cells, ""), append(row.repeat, 1)
		}
		c := &row.cells[len(row.cells)-1]
		if *c != "" && s != "" {
			*c += " "
		}
		*c += s
		return
	}
	w.out.WriteString(s)
	w.out.WriteByte('\n')
}

// chars adds text to the open paragraph, its white space collapsed as
// ODF says: any run of blanks, tabs and newlines is one blank, none at the
// paragraph's start.
func (w *odtWriter) chars(s []byte) {
	if len(w.paras) == 0 {
		return // between elements, the file's own indentation
	}
	p := w.paras[len(w.paras)-1]
	w.size += len(s)
	for _, c := range string(s) {
		switch c {
		case ' ', '\t', '\n', '\r':
			p.blank = true
			continue
		}
		if p.blank && p.b.Len() > 0 {
			p.b.WriteByte(' ')
		}
		p.blank = false
		p.b.WriteRune(c)
	}
}

// literal adds what text:s, text:tab and text:line-break stand for.
func (w *odtWriter) literal(s string) {
	if len(w.paras) == 0 {
		return
	}
	p := w.paras[len(w.paras)-1]
	w.size += len(s)
	if p.blank && p.b.Len() > 0 {
		p.b.WriteByte(' ')
	}
	p.blank = false
	p.b.WriteString(s)
}

// nsAttr is the value of t's attribute local in namespace space.
func nsAttr(t xml.StartElement, space, local string) string {
	for _, a := range t.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// repeated is a table's repeat count attribute, 1 to maxRepeat.
func repeated(t xml.StartElement, local string) int {
	n, err := strconv.Atoi(nsAttr(t, nsTable, local))
	if err != nil {
		return 1
	}
	return min(max(n, 1), maxRepeat)
}
