package indexer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"noticesearch/indexer/office"
	"noticesearch/indexer/office/ofdwrite"
	"noticesearch/indexer/pdf"
)

const formatsDir = "../../shared/corpus/formats"

// notWhite is s without its blanks: the same document laid out by two
// programs differs in spaces ("电 话" in Word, "电话" in OFD).
func notWhite(s string) string { return strings.Join(strings.Fields(s), "") }

// TestSameNoticeInEveryFormat: the template the corpus holds as PDF, OFD,
// DOCX and WPS reads as one notice in each: the same title, number,
// issuer, date, sections and text (up to blanks).
func TestSameNoticeInEveryFormat(t *testing.T) {
	if _, err := os.Stat(formatsDir); err != nil {
		t.Skip("../shared/corpus/formats is absent")
	}
	for _, tc := range []struct {
		name  string
		files []string
	}{
		{"国防部关于放假的通知", []string{"pdf_synthetic_gongwen_guofangbu_notice.pdf", "ofd_synthetic_gongwen_guofangbu_notice.ofd",
			"docx_synthetic_gongwen_guofangbu_notice.docx", "wps_synthetic_gongwen_guofangbu_notice.wps"}},
		// This one's 份号, 密级 and 紧急程度 are in the page header of its
		// DOCX (which, as headers go, is left out) and in text boxes of
		// its WPS (which catdoc gives after the body): their text is not
		// the others' (their titles are, see TestFormalDocumentsOfTheCorpus).
		{"测试公文标题", []string{"pdf_synthetic_gongwen_secret_template.pdf", "ofd_synthetic_gongwen_secret_template.ofd"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var first *Notice
			for _, name := range tc.files {
				if filepath.Ext(name) == ".wps" && office.Converter() == "" {
					t.Logf("%s: no converter installed (catdoc or antiword)", name)
					continue
				}
				n, err := ReadFile(filepath.Join(formatsDir, name))
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				if n.Title != tc.name {
					t.Errorf("%s: title %q, want %q", name, n.Title, tc.name)
				}
				if first == nil {
					first = n
					continue
				}
				if n.DocNumber != first.DocNumber || n.Issuer != first.Issuer || n.Date != first.Date || n.Region != first.Region {
					t.Errorf("%s: %q %q %q %v, %s has %q %q %q %v", name, n.DocNumber, n.Issuer, n.Date, n.Region,
						tc.files[0], first.DocNumber, first.Issuer, first.Date, first.Region)
				}
				if len(n.Sections) != len(first.Sections) {
					t.Errorf("%s: %d sections, %s has %d", name, len(n.Sections), tc.files[0], len(first.Sections))
					continue
				}
				for i, s := range n.Sections {
					f := first.Sections[i]
					if notWhite(s.Heading) != notWhite(f.Heading) || notWhite(s.Text) != notWhite(f.Text) {
						t.Errorf("%s: section %d is\n%q %q\nin %s\n%q %q", name, i, s.Heading, s.Text, tc.files[0], f.Heading, f.Text)
					}
				}
			}
		})
	}
}

// TestFormatsAsTheManifestSays: every file of ../shared/corpus/formats is
// read as a notice holding the Chinese characters its manifest counts (9
// in 10 at least: the notice leaves out page numbers and running heads),
// or, where it counts none (an image-only OFD, a PDF whose text is
// nonsense), rejected with its reason.
func TestFormatsAsTheManifestSays(t *testing.T) {
	manifest, err := os.ReadFile(filepath.Join(formatsDir, "manifest.tsv"))
	if err != nil {
		t.Skip("../shared/corpus/formats is absent")
	}
	seen := 0
	for _, line := range strings.Split(string(manifest), "\n")[1:] {
		f := strings.Split(line, "\t")
		if len(f) < 6 {
			continue
		}
		name := f[0]
		want, err := strconv.Atoi(f[5])
		if err != nil {
			t.Fatalf("manifest: %q: %v", line, err)
		}
		seen++
		ext := filepath.Ext(name)
		if (ext == ".doc" || ext == ".wps") && office.Converter() == "" {
			t.Logf("%s: no converter installed (catdoc or antiword)", name)
			continue
		}
		n, err := ReadFile(filepath.Join(formatsDir, name))
		if want == 0 {
			if !IsRejected(err) || !(errors.Is(err, office.ErrNoText) || errors.Is(err, pdf.ErrGarbled)) {
				t.Errorf("%s: the manifest counts no text; read as %v", name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		han := 0
		for _, r := range n.Title + n.Body {
			if r >= 0x4e00 && r <= 0x9fff {
				han++
			}
		}
		if han*10 < want*9 {
			t.Errorf("%s: %d Chinese characters, the manifest counts %d", name, han, want)
		}
		if want := map[string]string{".pdf": "pdf", ".ofd": "ofd", ".docx": "docx", ".doc": "doc", ".wps": "doc"}[ext]; n.Format != want {
			t.Errorf("%s: format %q", name, n.Format)
		}
		if n.Extractor == "" {
			t.Errorf("%s: no extractor named", name)
		}
	}
	if seen < 20 {
		t.Errorf("the manifest lists %d files, want the 23 it held when this test was written", seen)
	}
}

// TestReportCovers: a report's or a budget's title set over several lines
// of its cover is one title, and names its issuer and region; a PDF with
// no date in its text takes its creation date, saying so.
func TestReportCovers(t *testing.T) {
	if _, err := os.Stat(formatsDir); err != nil {
		t.Skip("../shared/corpus/formats is absent")
	}
	for name, want := range map[string][3]string{
		"pdf_hongze_2023_zfxxgk_annual_report.pdf":        {"洪泽区人民政府2023年政府信息公开工作年度报告", "洪泽区人民政府", "洪泽区"},
		"pdf_putuo_shgzb_2024_dept_final_accounts.pdf":    {"中共上海市普陀区委社会工作部2024年度部门决算", "中共上海市普陀区委社会工作部", "普陀区"},
		"pdf_putuo_wanli_jiedao_2024_budget.pdf":          {"上海市普陀区2024年区级部门预算", "上海市普陀区人民政府万里街道办事处", "普陀区"},
		"pdf_synthetic_gongwen_guofangbu_notice.pdf":      {"国防部关于放假的通知", "国防部", ""},
		"docx_synthetic_gongwen_guofangbu_notice.docx":    {"国防部关于放假的通知", "国防部", ""},
		"ofd_luqiao_weishengju_pifu_2011.ofd":             {"关于同意张阿三同志辞职的批复", "", "路桥区"},
		"pdf_putuo_ghzyj_2024_dept_final_accounts.pdf":    {"上海市普陀区规划和自然资源局2024年度部门决算", "上海市普陀区规划和自然资源局", "普陀区"},
		"pdf_hongze_2024_zfxxgk_annual_report.pdf":        {"淮安市洪泽区人民政府2024年政府信息公开工作年度报告", "淮安市洪泽区人民政府", "洪泽区"},
		"ofd_synthetic_gongwen_secret_template.ofd":       {"测试公文标题", "", ""},
		"docx_synthetic_gongwen_secret_template.docx":     {"测试公文标题", "", ""},
		"pdf_putuo_zfb_2025_dept_budget.pdf":              {"上海市普陀区2025年区级部门预算", "上海市普陀区人民政府办公室", "普陀区"},
		"ofd_bengbu_letter_nanhuochang_2023.ofd":          {"关于加快南货场铁路涵洞下穿建设的函", "", ""},
		"pdf_synthetic_gongwen_secret_template.pdf":       {"测试公文标题", "", ""},
		"docx_zfxxgk_annual_report_template.docx":         {"政府信息公开工作年度报告格式模板", "", ""},
		"ofd_synthetic_gongwen_guofangbu_notice.ofd":      {"国防部关于放假的通知", "国防部", ""},
		"pdf_putuo_wanli_jiedao_2024_budget.pdf#kind":     {"预算", "", ""},
		"pdf_putuo_shgzb_2024_dept_final_accounts.pdf#dt": {"properties", "", ""},
	} {
		file, check, _ := strings.Cut(name, "#")
		n, err := ReadFile(filepath.Join(formatsDir, file))
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		switch check {
		case "kind":
			if n.Kind != want[0] {
				t.Errorf("%s: kind %q, want %q", file, n.Kind, want[0])
			}
			continue
		case "dt":
			if n.DateFrom != want[0] || n.Date == "" {
				t.Errorf("%s: date %q from %q, want one from %q", file, n.Date, n.DateFrom, want[0])
			}
			continue
		}
		if n.Title != want[0] {
			t.Errorf("%s: title %q, want %q", file, n.Title, want[0])
		}
		if want[1] != "" && n.Issuer != want[1] {
			t.Errorf("%s: issuer %q, want %q", file, n.Issuer, want[1])
		}
		if want[2] != "" && n.Region.County != want[2] {
			t.Errorf("%s: region %v, want the county %s", file, n.Region, want[2])
		}
		if strings.Contains(file, "guofangbu") && n.Date != "2012-12-12" {
			t.Errorf("%s: date %q, want 2012-12-12 from its 落款", file, n.Date)
		}
	}
}

// TestPageNumberLines: the page numbers Word's and OFD's footers leave in
// a document's text go; figures and dashes in prose stay.
func TestPageNumberLines(t *testing.T) {
	in := "正文\n––1––\n–– PAGE 4 ––\n- 3 -\n第 2 页\n第2页 共30页\n12\n2023\n—— 摘自报告\n合计\t73.5\n"
	got := dropPageNumbers(in)
	want := "正文\n12\n2023\n—— 摘自报告\n合计\t73.5\n"
	if got != want {
		t.Errorf("dropPageNumbers:\n got %q\nwant %q", got, want)
	}
}

// TestOFDProperties: an OFD whose text names no 文号, issuer or date
// takes them from what its 公文 system recorded (CustomData), and its
// creation date, saying so; its own text wins where it has them.
func TestOFDProperties(t *testing.T) {
	body := []ofdwrite.Para{
		{Text: "关于开展河道清理专项行动的通知", Size: 7.7, Center: true},
		{Text: "各乡镇人民政府：为切实改善全县水环境质量，现就开展河道清理专项行动有关事项通知如下。"},
	}
	doc := ofdwrite.Doc{CreationDate: "2024-3-5", Custom: map[string]string{"文号": "某政发〔2024〕7号", "发文机关": "某某县人民政府"},
		Pages: []ofdwrite.Page{{Paras: body}}}
	n, err := Parse("notice.ofd", ofdwrite.Write(doc))
	if err != nil {
		t.Fatal(err)
	}
	if n.Title != "关于开展河道清理专项行动的通知" || n.DocNumber != "某政发〔2024〕7号" || n.Issuer != "某某县人民政府" ||
		n.Date != "2024-03-05" || n.DateFrom != DateFromProperties {
		t.Errorf("got %q %q %q %q (%s)", n.Title, n.DocNumber, n.Issuer, n.Date, n.DateFrom)
	}
	// Signed and dated in its text: the text's.
	doc.Pages[0].Paras = append(body, ofdwrite.Para{Text: "某某县水利局"}, ofdwrite.Para{Text: "2024年2月1日"})
	if n, err = Parse("notice.ofd", ofdwrite.Write(doc)); err != nil {
		t.Fatal(err)
	}
	if n.Date != "2024-02-01" || n.DateFrom != DateFromPage {
		t.Errorf("signed: date %q (%s), want 2024-02-01 from the page", n.Date, n.DateFrom)
	}
	for in, want := range map[string]string{"D:20230115093000+08'00'": "2023-01-15", "2023-7-12": "2023-07-12", "2021-05-28T12:50:45+08:00": "2021-05-28",
		"D:2023": "", "1970-01-01": "", "9999-01-01": "", "": ""} {
		if got := propertyDate(in); got != want {
			t.Errorf("propertyDate(%q) = %q, want %q", in, got, want)
		}
	}
}

// ownFormatsDir holds our own notice (notice.fodt, written by hand) and
// what LibreOffice makes of it (make.sh): it is in the repository, so
// these tests run without ../shared.
const ownFormatsDir = "../testdata/formats"

// TestOwnFixturesInEveryFormat: our notice reads as one notice from its
// PDF, DOCX, ODT and flat ODT: the same title, number, issuer, date,
// sections and text (up to blanks), each as its golden file under
// testdata/formats/golden shows it (-update rewrites them); the PDF that
// needs a password is refused as encrypted.
func TestOwnFixturesInEveryFormat(t *testing.T) {
	files := []string{"notice.fodt", "notice.odt", "notice.docx", "notice.pdf", "notice.ofd"}
	paths := map[string]string{"notice.ofd": ownOFD(t)}
	var first *Notice
	for _, name := range files {
		path, ok := paths[name]
		if !ok {
			path = filepath.Join(ownFormatsDir, name)
		}
		n, err := ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		checkLossless(t, n.Body, n.Sections)
		checkGolden(t, filepath.Join(ownFormatsDir, "golden", name+".txt"), goldenText(n))
		if n.Title != "青禾县水利局关于开展2024年秋季河道清理工作的通知" || n.DocNumber != "青水〔2024〕17号" ||
			n.Issuer != "青禾县水利局" || n.Date != "2024-09-30" || n.DateFrom != DateFromPage || n.Kind != "通知" {
			t.Errorf("%s: title %q, number %q, issuer %q, date %q from %q, kind %q", name, n.Title, n.DocNumber, n.Issuer, n.Date, n.DateFrom, n.Kind)
		}
		if want := map[string]string{".fodt": "odt", ".odt": "odt", ".docx": "docx", ".pdf": "pdf", ".ofd": "ofd"}[filepath.Ext(name)]; n.Format != want || n.Extractor == "" {
			t.Errorf("%s: format %q, extractor %q", name, n.Format, n.Extractor)
		}
		if first == nil {
			first = n
			continue
		}
		if n.Title != first.Title || n.DocNumber != first.DocNumber || n.Issuer != first.Issuer || n.Date != first.Date || n.Region != first.Region {
			t.Errorf("%s: %q %q %q %q %v, %s has %q %q %q %q %v", name, n.Title, n.DocNumber, n.Issuer, n.Date, n.Region,
				files[0], first.Title, first.DocNumber, first.Issuer, first.Date, first.Region)
		}
		if len(n.Sections) != len(first.Sections) {
			t.Errorf("%s: %d sections, %s has %d", name, len(n.Sections), files[0], len(first.Sections))
			continue
		}
		for i, s := range n.Sections {
			f := first.Sections[i]
			if s.Heading != f.Heading || s.Level != f.Level || notWhite(s.Text) != notWhite(f.Text) {
				t.Errorf("%s: section %d is\n%q %q\nin %s\n%q %q", name, i, s.Heading, s.Text, files[0], f.Heading, f.Text)
			}
		}
	}
	if len(first.Sections) < 8 {
		t.Errorf("%d sections, want the preamble, 一 to 四 with (一) to (三), and the closing part", len(first.Sections))
	}

	_, err := ReadFile(filepath.Join(ownFormatsDir, "notice-encrypted.pdf"))
	if !IsRejected(err) || !errors.Is(err, pdf.ErrEncrypted) || !strings.Contains(err.Error(), "加密") {
		t.Errorf("notice-encrypted.pdf: %v, want it refused as encrypted", err)
	}
}

// goldenText is a notice as its golden file holds it: the metadata parse
// shows, then each section's heading (indented by its level) and text.
func goldenText(n *Notice) string {
	var b strings.Builder
	fmt.Fprintf(&b, "格式: %s  提取: %s\n", n.Format, n.Extractor)
	fmt.Fprintf(&b, "标题: %s\n", n.Title)
	fmt.Fprintf(&b, "日期: %s (%s)  文种: %s\n", n.Date, n.DateFrom, n.Kind)
	fmt.Fprintf(&b, "发文机关: %s  地区: %s  文号: %s\n", n.Issuer, n.Region.String(), n.DocNumber)
	for _, s := range n.Sections {
		fmt.Fprintf(&b, "\n%s%s\n%s\n", strings.Repeat("  ", s.Level), s.Label(), strings.TrimRight(s.Text, "\n"))
	}
	return b.String()
}

// checkGolden compares got with the golden file at path, or rewrites it
// with -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%v (go test ./indexer -run OwnFixtures -update writes it)", err)
		return
	}
	if got != string(want) {
		t.Errorf("%s differs:\n%s", path, lineDiff(string(want), got))
	}
}

// ownOFD writes our notice as an OFD (package ofdwrite), from the
// paragraphs of its DOCX: the 版头 on a template page, the number and the
// title centred, the title in a larger type, the rest wrapped at the
// margin; the file is in a folder of the test's.
func ownOFD(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(ownFormatsDir, "notice.docx"))
	if err != nil {
		t.Fatal(err)
	}
	text, err := office.DocxText(data)
	if err != nil {
		t.Fatal(err)
	}
	var page ofdwrite.Page
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		p := ofdwrite.Para{Text: line}
		switch {
		case strings.HasSuffix(line, "文件") && page.Template == nil && len(page.Paras) == 0:
			page.Template = []ofdwrite.Para{{Text: line, Size: 11, Center: true}}
			continue
		case docNumberLine.MatchString(notWhite(line)):
			p.Center = true
		case strings.HasSuffix(line, "的通知"):
			p.Center, p.Size = true, 7.7
		}
		page.Paras = append(page.Paras, p)
	}
	path := filepath.Join(t.TempDir(), "notice.ofd")
	if err := os.WriteFile(path, ofdwrite.Write(ofdwrite.Doc{Pages: []ofdwrite.Page{page}}), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
