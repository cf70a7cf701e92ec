package indexer

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"noticesearch/indexer/office"
	"noticesearch/indexer/pdf"
)

// imported is what a Word, ODT, OFD or PDF file gives, read by its
// importer (package office or pdf): its text, a line per paragraph, and
// what the file says of itself.
type imported struct {
	text      string
	extractor string            // what read the text, for parse to show
	made      string            // the day its properties say it was made, "" if none
	props     map[string]string // its custom properties (an OFD's CustomData)
}

// isImported reports whether format is read by an importer (readImported),
// not decoded as text.
func isImported(format string) bool {
	switch format {
	case "docx", "odt", "ofd", "doc", "pdf":
		return true
	}
	return false
}

// readImported reads a file of one of the formats the importers know.
func readImported(format string, data []byte) (imported, error) {
	var d imported
	var err error
	switch format {
	case "docx":
		d.text, err = office.DocxText(data)
		d.extractor = "docx (built in)"
	case "odt":
		d.text, err = office.ODTText(data)
		d.extractor = "odt (built in)"
	case "ofd":
		var info office.OFDInfo
		if d.text, info, err = office.OFDRead(data); err == nil {
			d.extractor = fmt.Sprintf("ofd (built in), %d 页", info.Pages)
			d.made, d.props = propertyDate(info.CreationDate), info.Custom
		}
	case "doc":
		d.text, err = office.DocText(data)
		d.extractor = filepath.Base(office.Converter())
	case "pdf":
		// Bounded by pdf.Timeout, not by the run's context, which Parse
		// does not have.
		var p *pdf.Document
		if p, err = pdf.Read(context.Background(), data); err == nil {
			d.text, d.made = p.Text, propertyDate(p.CreationDate)
			d.extractor = fmt.Sprintf("%s, %d 页", pdf.Extractor, p.Pages)
			if p.Truncated {
				d.extractor += fmt.Sprintf("（只读了前 %d 页）", pdf.MaxPages)
			}
		}
	default:
		err = fmt.Errorf("no importer for %q", format)
	}
	return d, err
}

// page reads an imported file as a formal document (see formal.go): its text with
// the page numbers dropped, its title and 文号 from its head, else its
// title and issuer from its cover; then what its properties recorded,
// where the text did not say.
func (d imported) page() page {
	// PDF's page numbers are gone already (package pdf); Word's footer
	// fields and OFD's page furniture are lines of their own.
	src := dropPageNumbers(d.text)
	p := readText(src)
	p.formal = true
	title, number := formalHead(src)
	if title == "" {
		if title = coverTitle(src); title != "" {
			p.fields["author"] = coverIssuer(title, src)
		}
	}
	if title != "" {
		p.fields["title"] = title
	}
	if number != "" {
		p.fields["doc_number"] = number
	}
	for field, names := range map[string][]string{"title": {"标题", "公文标题"}, "doc_number": {"文号", "发文字号"}, "author": {"发文机关", "发文机关名称"}} {
		for _, name := range names {
			if v := strings.TrimSpace(d.props[name]); v != "" && p.fields[field] == "" {
				p.fields[field] = v
			}
		}
	}
	return p
}

// propertyDate is the day of a date in a document's properties, as PDF
// (D:20230115093000+08'00') and OFD (2023-7-12, 2021-05-28T12:50:45+08:00)
// write them; "" unless it is a plausible one.
func propertyDate(s string) string {
	s = strings.TrimSpace(s)
	var t time.Time
	var err error
	if rest, ok := strings.CutPrefix(s, "D:"); ok {
		if len(rest) < 8 {
			return ""
		}
		t, err = time.Parse("20060102", rest[:8])
	} else {
		day, _, _ := strings.Cut(s, "T")
		t, err = time.Parse("2006-1-2", day)
	}
	if err != nil || t.Year() < 1990 || t.After(time.Now().AddDate(0, 0, 1)) {
		return ""
	}
	return t.Format("2006-01-02")
}
