package indexer

import (
	"archive/zip"
	"bytes"
	"errors"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"noticesearch/indexer/office"
)

// docxOf writes text as a DOCX package, a paragraph per line.
func docxOf(t *testing.T, text string) []byte {
	t.Helper()
	var body strings.Builder
	for _, line := range strings.Split(text, "\n") {
		body.WriteString("<w:p><w:r><w:t xml:space=\"preserve\">" + html.EscapeString(line) + "</w:t></w:r></w:p>")
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`))
	zw.Close()
	return buf.Bytes()
}

// TestDOCXReadsAsItsText: a notice of testdata written as DOCX is the same
// notice as its text: title, metadata and sections.
func TestDOCXReadsAsItsText(t *testing.T) {
	for _, name := range []string{"huangdao-2023-yigang-shuangze.txt", "lucheng-2021-xunshi-zhenggai.txt"} {
		src, err := os.ReadFile(filepath.Join("../testdata/notices", name))
		if err != nil {
			t.Fatal(err)
		}
		txt, err := Parse(name, src)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Parse(strings.TrimSuffix(name, ".txt")+".docx", docxOf(t, string(src)))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Format != "docx" || doc.Title != txt.Title || doc.Date != txt.Date || doc.Region != txt.Region || len(doc.Sections) != len(txt.Sections) {
			t.Fatalf("%s as DOCX: %q %s %v, %d sections; as text %q %s %v, %d", name, doc.Title, doc.Date, doc.Region, len(doc.Sections), txt.Title, txt.Date, txt.Region, len(txt.Sections))
		}
		for i := range doc.Sections {
			if doc.Sections[i].Text != txt.Sections[i].Text || doc.Sections[i].Heading != txt.Sections[i].Heading {
				t.Errorf("%s section %d: %q, as text %q", name, i, doc.Sections[i].Text, txt.Sections[i].Text)
			}
		}
	}
	_, err := Parse("broken.docx", []byte("PK\x03\x04 not really"))
	if !errors.Is(err, office.ErrNotDOCX) || !IsRejected(err) {
		t.Errorf("a broken DOCX: %v", err)
	}
}

// TestDOCWithoutConverterIsListed: in a folder, a .doc on a machine
// without catdoc or antiword is listed as not read, saying what it needs,
// and does not fail the run.
func TestDOCWithoutConverterIsListed(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "old.doc"), []byte{0xd0, 0xcf, 0x11, 0xe0}, 0o644)
	_, errs := Files(t.Context(), []string{dir})
	var found bool
	for _, e := range errs {
		if errors.Is(e, ErrUnsupported) && errors.Is(e, office.ErrNeedsConverter) && IsIgnored(e) {
			found = true
		}
	}
	if !found {
		t.Errorf("errs = %v", errs)
	}
}
