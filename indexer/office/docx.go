// Package office reads the text of office documents that notices are
// published as. DOCX is a zip of XML (ECMA-376): the body's paragraphs in
// order, the text of each table row's cells separated by tabs, headers,
// footers, footnotes and comments left out (they are other parts of the
// package). The reader is bounded: a part larger than MaxPart, or
// compressed more than MaxRatio to one (a zip bomb named .docx), is refused.
package office

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxPart bounds the uncompressed size of the part read; MaxRatio its
// compression ratio.
const (
	MaxPart  = 64 << 20
	MaxRatio = 200
)

// ErrNotDOCX says a file is not a DOCX package.
var ErrNotDOCX = errors.New("不是有效的 DOCX 文件 / not a valid DOCX file")

// ErrBomb says a part expands past the bounds. DOCX, ODT and OFD share it.
var ErrBomb = errors.New("文档内容解压后过大 / a document part expands past the limits")

// DocxText is the text of a DOCX file's body: a line per paragraph, table
// rows as their cells' text separated by tabs.
func DocxText(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNotDOCX, err)
	}
	var doc *zip.File
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			doc = f
			break
		}
	}
	if doc == nil {
		return "", fmt.Errorf("%w: no word/document.xml", ErrNotDOCX)
	}
	if doc.UncompressedSize64 > MaxPart || doc.CompressedSize64 > 0 && doc.UncompressedSize64/doc.CompressedSize64 > MaxRatio {
		return "", ErrBomb
	}
	rc, err := doc.Open()
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNotDOCX, err)
	}
	defer rc.Close()
	// The sizes the archive states may lie: read no more than the bound.
	text, err := bodyText(io.LimitReader(rc, MaxPart+1))
	if err != nil {
		return "", err
	}
	return text, nil
}

// bodyText reads WordprocessingML: w:p paragraphs of w:r runs of w:t text,
// w:tab and w:br; w:tbl tables of w:tr rows of w:tc cells.
func bodyText(r io.Reader) (string, error) {
	dec := xml.NewDecoder(r)
	var out, para strings.Builder
	var cells []string // of the row being read
	inText, inRow := false, false
	depth, read := 0, 0
	endPara := func() {
		p := strings.TrimRight(para.String(), " ")
		para.Reset()
		if inRow {
			if len(cells) == 0 {
				cells = append(cells, "")
			}
			if cells[len(cells)-1] != "" && p != "" {
				cells[len(cells)-1] += " "
			}
			cells[len(cells)-1] += p
			return
		}
		out.WriteString(p)
		out.WriteByte('\n')
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("%w: %v", ErrNotDOCX, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > 256 {
				return "", fmt.Errorf("%w: nested past 256 elements", ErrNotDOCX)
			}
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				para.WriteByte('\t')
			case "br", "cr":
				para.WriteByte('\n')
			case "tr":
				inRow, cells = true, cells[:0]
			case "tc":
				cells = append(cells, "")
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				endPara()
			case "tr":
				inRow = false
				out.WriteString(strings.Join(cells, "\t"))
				out.WriteByte('\n')
			}
		case xml.CharData:
			if inText {
				read += len(t)
				if read > MaxPart {
					return "", ErrBomb
				}
				para.Write(t)
			}
		}
	}
	return out.String(), nil
}
