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
	var doc, num *zip.File
	for _, f := range zr.File {
		switch f.Name {
		case "word/document.xml":
			doc = f
		case "word/numbering.xml":
			num = f
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
	// The lists' numbers, if any (a part past the bounds numbers nothing).
	var lists *numbering
	if num != nil && num.UncompressedSize64 <= MaxPart && (num.CompressedSize64 == 0 || num.UncompressedSize64/num.CompressedSize64 <= MaxRatio) {
		if nr, err := num.Open(); err == nil {
			lists = readNumbering(io.LimitReader(nr, MaxPart))
			nr.Close()
		}
	}
	// The sizes the archive states may lie: read no more than the bound.
	text, err := bodyText(io.LimitReader(rc, MaxPart+1), lists)
	if err != nil {
		return "", err
	}
	return text, nil
}

// bodyText reads WordprocessingML: w:p paragraphs of w:r runs of w:t text,
// w:tab and w:br; w:tbl tables of w:tr rows of w:tc cells. A numbered
// paragraph (w:numPr) starts with its number as lists gives it.
func bodyText(r io.Reader, lists *numbering) (string, error) {
	dec := xml.NewDecoder(r)
	var out, para strings.Builder
	var cells []string // of the row being read
	inText, inRow := false, false
	numID, ilvl := "", 0 // the paragraph's list, from its w:numPr
	numbered := false    // whether its number is written
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
			case "p":
				numID, ilvl, numbered = "", 0, false
			case "numId":
				numID = attr(t, "val")
			case "ilvl":
				ilvl = max(0, levelOf(attr(t, "val")))
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
			case "pPr":
				if !numbered { // once: a w:pPrChange holds a w:pPr of its own
					para.WriteString(lists.label(numID, ilvl))
					numbered = true
				}
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
