package office

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

const odtNS = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"`

// makeODT writes a minimal ODT package whose content.xml has body as its
// office:text, and a styles.xml whose page footer must not be read.
func makeODT(t testing.TB, body string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	m, _ := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	m.Write([]byte("application/vnd.oasis.opendocument.text"))
	c, _ := zw.Create("content.xml")
	c.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><office:document-content ` + odtNS + `><office:automatic-styles/><office:body><office:text>` + body + `</office:text></office:body></office:document-content>`))
	s, _ := zw.Create("styles.xml")
	s.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><office:document-styles ` + odtNS + `><office:master-styles><style:master-page style:name="Standard"><style:footer><text:p>页脚文字不应出现</text:p></style:footer></style:master-page></office:master-styles></office:document-styles>`))
	zw.Close()
	return buf.Bytes()
}

func TestODTText(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"paragraphs and headings one per line",
			`<text:h text:outline-level="1">关于加强廉政风险防控的通知</text:h><text:p>各单位：</text:p><text:p>要落实<text:span>一岗双责</text:span>。</text:p>`,
			"关于加强廉政风险防控的通知\n各单位：\n要落实一岗双责。\n"},
		{"a list's items are its paragraphs, the generated numbers left out",
			`<text:list><text:list-item><text:number>1.</text:number><text:p>排查摸底</text:p></text:list-item><text:list-item><text:p>集中清理</text:p><text:list><text:list-item><text:p>分段验收</text:p></text:list-item></text:list></text:list-item></text:list>`,
			"排查摸底\n集中清理\n分段验收\n"},
		{"a table row's cells separated by tabs",
			`<table:table><table:table-column table:number-columns-repeated="3"/><table:table-row><table:table-cell><text:p>乡镇</text:p></table:table-cell><table:table-cell><text:p>河道长度</text:p><text:p>（公里）</text:p></table:table-cell><table:table-cell><text:p>经费</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell><text:p>东溪镇</text:p></table:table-cell><table:table-cell><text:p>42.5</text:p></table:table-cell><table:table-cell/></table:table-row></table:table>`,
			"乡镇\t河道长度 （公里）\t经费\n东溪镇\t42.5\t\n"},
		{"a repeated cell with text repeated, empty ones once, within bounds",
			`<table:table><table:table-row><table:table-cell table:number-columns-repeated="2"><text:p>同</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1000"/></table:table-row><table:table-row table:number-rows-repeated="100000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>`,
			"同\t同\t\n\n"},
		{"a cell under a spanned one is not a cell",
			`<table:table><table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>合计</text:p></table:table-cell><table:covered-table-cell/><table:table-cell><text:p>22.1</text:p></table:table-cell></table:table-row></table:table>`,
			"合计\t22.1\n"},
		{"a footnote, a comment and a tracked deletion left out",
			`<text:tracked-changes><text:changed-region><text:deletion><text:p>删去的话</text:p></text:deletion></text:changed-region></text:tracked-changes><text:p>依照规定<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>脚注文字</text:p></text:note-body></text:note>办理<office:annotation><dc:creator>某人</dc:creator><text:p>批注文字</text:p></office:annotation>。</text:p>`,
			"依照规定办理。\n"},
		{"text:s for blanks, text:tab and text:line-break",
			`<text:p>联系人<text:s text:c="3"/>张三<text:tab/>电话<text:line-break/>0000-1234567</text:p><text:p>甲<text:s/>乙</text:p>`,
			"联系人   张三\t电话\n0000-1234567\n甲 乙\n"},
		{"the file's white space collapsed, none at a paragraph's start",
			"<text:p>\n   the  body\n\tof <text:span> a</text:span> notice  </text:p>\n  <text:p/>",
			"the body of a notice\n\n"},
		{"a text box's paragraph within its anchor's",
			`<text:p>正文<draw:frame xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"><draw:text-box><text:p>框内</text:p></draw:text-box></draw:frame>续</text:p>`,
			"框内\n正文续\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, err := ODTText(makeODT(t, tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if text != tc.want {
				t.Errorf("text %q, want %q", text, tc.want)
			}
			if strings.Contains(text, "页脚") {
				t.Error("the page footer is read")
			}
		})
	}
}

// TestFlatODT: a .fodt is read by the same walker, its master page's
// footer and its metadata left out.
func TestFlatODT(t *testing.T) {
	flat := `<?xml version="1.0" encoding="UTF-8"?><office:document ` + odtNS + `><office:meta><dc:title>元数据标题</dc:title></office:meta><office:master-styles><style:master-page style:name="Standard"><style:footer><text:p>- 1 -</text:p></style:footer></style:master-page></office:master-styles><office:body><office:text><text:p>正文</text:p></office:text></office:body></office:document>`
	text, err := ODTText([]byte(flat))
	if err != nil || text != "正文\n" {
		t.Errorf("read %q, %v", text, err)
	}
}

func TestODTRefusesWhatIsNot(t *testing.T) {
	for name, data := range map[string][]byte{
		"garbage":             []byte("not an ODT at all"),
		"a broken zip":        []byte("PK\x03\x04 broken"),
		"a zip without body":  zipOf(t, "mimetype", []byte("application/vnd.oasis.opendocument.text")),
		"a spreadsheet":       zipOf(t, "content.xml", []byte(`<office:document-content `+odtNS+`><office:body><office:spreadsheet/></office:body></office:document-content>`)),
		"another root":        []byte(`<w:document xmlns:w="urn:x"><w:body/></w:document>`),
		"XML cut short":       []byte(`<office:document ` + odtNS + `><office:body><office:text><text:p>甲`),
		"a DOCX named .odt":   makeDOCX(t, []string{"标题"}),
		"a flat spreadsheet":  []byte(`<office:document ` + odtNS + `><office:body><office:spreadsheet/></office:body></office:document>`),
		"nested past 256 too": []byte(`<office:document ` + odtNS + `><office:body><office:text>` + strings.Repeat("<text:span>", 300) + `</office:text></office:body></office:document>`),
	} {
		if _, err := ODTText(data); !errors.Is(err, ErrNotODT) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// 50 MB of blanks compress a thousandfold.
	bomb := zipOf(t, "content.xml", append([]byte(`<office:document-content `+odtNS+`><office:body><office:text><text:p>`), bytes.Repeat([]byte{' '}, 50<<20)...))
	if _, err := ODTText(bomb); !errors.Is(err, ErrBomb) {
		t.Errorf("a zip bomb: %v", err)
	}
}

func zipOf(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create(name)
	w.Write(data)
	zw.Close()
	return buf.Bytes()
}

func FuzzODTText(f *testing.F) {
	f.Add(makeODT(f, `<text:h>标题</text:h><text:p>正文<text:s text:c="3"/>一岗双责<text:note><text:note-body><text:p>注</text:p></text:note-body></text:note></text:p><table:table><table:table-row><table:table-cell table:number-columns-repeated="3"><text:p>甲</text:p></table:table-cell></table:table-row></table:table>`))
	if b, err := os.ReadFile("../../testdata/formats/notice.fodt"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("PK"))
	f.Fuzz(func(t *testing.T, data []byte) {
		text, err := ODTText(data) // never panics, never runs away
		if err == nil && !utf8.ValidString(text) {
			t.Errorf("invalid UTF-8: %q", text)
		}
	})
}
