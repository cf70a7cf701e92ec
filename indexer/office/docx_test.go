package office

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// makeDOCX writes a minimal DOCX package whose body is paragraphs (a
// paragraph starting with "|" is a table row of cells split at "|").
func makeDOCX(t testing.TB, paras []string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paras {
		if cells, ok := strings.CutPrefix(p, "|"); ok {
			body.WriteString("<w:tbl><w:tr>")
			for _, c := range strings.Split(cells, "|") {
				body.WriteString("<w:tc><w:p><w:r><w:t>" + xmlEscape(c) + "</w:t></w:r></w:p></w:tc>")
			}
			body.WriteString("</w:tr></w:tbl>")
			continue
		}
		// Runs split mid-sentence, as Word writes them.
		r := []rune(p)
		half := string(r[:len(r)/2])
		body.WriteString("<w:p><w:r><w:t>" + xmlEscape(half) + "</w:t></w:r><w:r><w:t xml:space=\"preserve\">" + xmlEscape(string(r[len(r)/2:])) + "</w:t></w:r></w:p>")
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`))
	h, _ := zw.Create("word/header1.xml")
	h.Write([]byte(`<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:r><w:t>页眉文字不应出现</w:t></w:r></w:p></w:hdr>`))
	zw.Close()
	return buf.Bytes()
}

func xmlEscape(s string) string {
	var b bytes.Buffer
	_ = xmlEscapeTo(&b, s)
	return b.String()
}

func TestDocxText(t *testing.T) {
	data := makeDOCX(t, []string{"关于加强廉政风险防控的通知", "一、总体要求", "各单位要落实一岗双责。", "|项目|数量|备注", "|廉政风险点|42|已整改"})
	text, err := DocxText(data)
	if err != nil {
		t.Fatal(err)
	}
	want := "关于加强廉政风险防控的通知\n一、总体要求\n各单位要落实一岗双责。\n项目\t数量\t备注\n廉政风险点\t42\t已整改\n"
	if text != want {
		t.Errorf("text %q, want %q", text, want)
	}
	if strings.Contains(text, "页眉") {
		t.Error("the header is read")
	}
}

func TestDocxRefusesWhatIsNot(t *testing.T) {
	if _, err := DocxText([]byte("not a zip")); !errors.Is(err, ErrNotDOCX) {
		t.Errorf("not a zip: %v", err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write(bytes.Repeat([]byte("<w:p>"), 1))
	w.Write(bytes.Repeat([]byte{' '}, 50<<20)) // 50 MB of blanks: compresses a thousandfold
	zw.Close()
	if _, err := DocxText(buf.Bytes()); !errors.Is(err, ErrBomb) {
		t.Errorf("a zip bomb: %v", err)
	}
}

// TestCorpusDOCX: the DOCX files of ../shared/corpus/formats read as
// Chinese text.
func TestCorpusDOCX(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/corpus/formats/*.docx")
	if len(files) == 0 {
		t.Skip("../shared/corpus/formats is absent")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text, err := DocxText(data)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		han := 0
		for _, r := range text {
			if r >= 0x4e00 && r <= 0x9fff {
				han++
			}
		}
		// What the manifest says each holds.
		want := map[string]string{
			"docx_synthetic_gongwen_guofangbu_notice.docx": "国防部关于放假的通知",
			"docx_synthetic_gongwen_secret_template.docx":  "机密",
			"docx_zfxxgk_annual_report_template.docx":      "政府信息公开",
		}[filepath.Base(f)]
		if han < 50 || !strings.Contains(text, want) {
			t.Errorf("%s: %d Chinese characters, %q not among them", f, han, want)
		}
	}
}

func FuzzDocxText(f *testing.F) {
	f.Add(makeDOCX(f, []string{"标题", "正文一岗双责", "|甲|乙"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		DocxText(data) // never panics, never runs away
	})
}

func xmlEscapeTo(w *bytes.Buffer, s string) error {
	for _, r := range s {
		switch r {
		case '<':
			w.WriteString("&lt;")
		case '>':
			w.WriteString("&gt;")
		case '&':
			w.WriteString("&amp;")
		default:
			w.WriteRune(r)
		}
	}
	return nil
}

// TestDocxNumbering: paragraphs Word numbers itself (w:numPr) start with
// their numbers as Word shows them: 一、 at the first level, （一） at the
// second, restarting under each heading of the first; a bullet list gets
// no number; startOverride starts a list anew.
func TestDocxNumbering(t *testing.T) {
	p := func(num, lvl, text string) string {
		return `<w:p><w:pPr><w:numPr><w:ilvl w:val="` + lvl + `"/><w:numId w:val="` + num + `"/></w:numPr></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
	}
	body := p("1", "0", "总体要求") + p("1", "1", "指导思想") + p("1", "1", "工作目标") + p("1", "0", "主要任务") + p("1", "1", "排查摸底") +
		p("1", "2", "逐段排查") + p("1", "2", "建立清单") + p("2", "0", "要点") + `<w:p><w:r><w:t>正文段落</w:t></w:r></w:p>` + p("3", "0", "另起一列")
	numberingXML := `<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="7">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="8"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="9"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%1）"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="8"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="9"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>
</w:numbering>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`))
	w, _ = zw.Create("word/numbering.xml")
	w.Write([]byte(numberingXML))
	zw.Close()
	got, err := DocxText(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := "一、总体要求\n（一）指导思想\n（二）工作目标\n二、主要任务\n（一）排查摸底\n1.逐段排查\n2.建立清单\n要点\n正文段落\n（4）另起一列\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for v, want := range map[int]string{1: "一", 10: "十", 11: "十一", 20: "二十", 21: "二十一", 99: "九十九"} {
		if got := formatNumber(v, "chineseCounting"); got != want {
			t.Errorf("formatNumber(%d) = %q, want %q", v, got, want)
		}
	}
}

// FuzzDocxNumbering: any list definitions and any numbered paragraphs
// number without a panic, in valid UTF-8.
func FuzzDocxNumbering(f *testing.F) {
	f.Add(`<w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>`, "1", 0)
	f.Fuzz(func(t *testing.T, defs, numID string, ilvl int) {
		n := readNumbering(strings.NewReader(`<w:numbering xmlns:w="w">` + defs + `</w:numbering>`))
		for range 3 {
			if l := n.label(numID, ilvl); !utf8.ValidString(l) && utf8.ValidString(defs) {
				t.Errorf("label %q", l)
			}
		}
	})
}
