package office

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"noticesearch/indexer/office/ofdwrite"
)

// TestCorpusOFD: the OFD files of ../shared/corpus/formats read with the
// Chinese characters their manifest counts (nine in ten at least), their
// text pages and template pages included; the image-only one is reported
// as such.
func TestCorpusOFD(t *testing.T) {
	manifest, err := os.ReadFile("../../../shared/corpus/formats/manifest.tsv")
	if err != nil {
		t.Skip("../shared/corpus/formats is absent")
	}
	for _, line := range strings.Split(string(manifest), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 6 || !strings.HasSuffix(f[0], ".ofd") {
			continue
		}
		data, err := os.ReadFile(filepath.Join("../../../shared/corpus/formats", f[0]))
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		fmtSscan(f[5], &want)
		text, err := OFDText(data)
		if want == 0 {
			if !errors.Is(err, ErrNoText) {
				t.Errorf("%s: image-only, read as %v %.100q", f[0], err, text)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", f[0], err)
			continue
		}
		han := 0
		for _, r := range text {
			if r >= 0x4e00 && r <= 0x9fff {
				han++
			}
		}
		t.Logf("%s: %d of %d Chinese characters\n%.300s", f[0], han, want, text)
		// The 蚌埠 letter's title, in a larger type, stands on a line of
		// its own, not run into the addressee under it.
		if strings.Contains(f[0], "bengbu") && !strings.HasPrefix(text, "关于加快南货场铁路涵洞下穿建设的函\n") {
			t.Errorf("%s: the title runs on: %.80q", f[0], text)
		}
		if han*10 < want*9 {
			t.Errorf("%s: %d Chinese characters, the manifest counts %d", f[0], han, want)
		}
	}
	if _, err := OFDText([]byte("nope")); !errors.Is(err, ErrNotOFD) {
		t.Errorf("not a zip: %v", err)
	}
}

func fmtSscan(s string, n *int) {
	for _, r := range s {
		if r < '0' || r > '9' {
			return
		}
		*n = *n*10 + int(r-'0')
	}
}

func FuzzOFDText(f *testing.F) {
	if b, err := os.ReadFile("../../../shared/corpus/formats/ofd_synthetic_gongwen_guofangbu_notice.ofd"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("PK"))
	f.Add(ofdwrite.Write(ofdwrite.Doc{CreationDate: "2024-3-5", Pages: []ofdwrite.Page{{Template: []ofdwrite.Para{{Text: "版头"}}, Paras: []ofdwrite.Para{{Text: "一、正文"}}}}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		OFDText(data)
	})
}

// BenchmarkOFD reads OFD files, in pages per second: one of our own of 50
// pages (a template page each, paragraphs wrapped over lines), and the
// corpus's when ../shared is present.
func BenchmarkOFD(b *testing.B) {
	var pages []ofdwrite.Page
	for i := range 50 {
		var paras []ofdwrite.Para
		for j := range 12 {
			paras = append(paras, ofdwrite.Para{Text: strings.Repeat(fmt.Sprintf("第%d页第%d段，各单位要按照要求认真落实整改任务。", i+1, j+1), 2)})
		}
		pages = append(pages, ofdwrite.Page{Template: []ofdwrite.Para{{Text: "某某县人民政府文件", Center: true}}, Paras: paras})
	}
	files := map[string][]byte{"ours-50-pages": ofdwrite.Write(ofdwrite.Doc{Pages: pages})}
	corpus, _ := filepath.Glob("../../../shared/corpus/formats/ofd_*.ofd")
	for _, f := range corpus {
		if data, err := os.ReadFile(f); err == nil {
			files[strings.TrimSuffix(filepath.Base(f), ".ofd")] = data
		}
	}
	for name, data := range files {
		b.Run(name, func(b *testing.B) {
			_, info, err := OFDRead(data)
			if err != nil && !errors.Is(err, ErrNoText) {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				OFDRead(data)
			}
			b.ReportMetric(float64(info.Pages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

// TestOFDWeWrite: an OFD of our own (package ofdwrite) reads as its
// paragraphs in order: the template page's 版头 first, a title in a larger
// type apart from the text under it, a paragraph wrapped over several
// lines joined again, and the document's information read.
func TestOFDWeWrite(t *testing.T) {
	long := "各乡镇人民政府，县政府各部门：为加快推进河湖长制工作，切实改善全县水环境质量，经县政府同意，现将有关事项通知如下，请认真贯彻执行。"
	data := ofdwrite.Write(ofdwrite.Doc{
		Title: "测试标题", Author: "某某县人民政府办公室", CreationDate: "2024-3-5", Custom: map[string]string{"文号": "某政发〔2024〕7号"},
		Pages: []ofdwrite.Page{{
			Template: []ofdwrite.Para{{Text: "某某县人民政府文件", Size: 11, Center: true}},
			Paras: []ofdwrite.Para{
				{Text: "某政发〔2024〕7号", Center: true},
				{Text: "关于开展河道清理专项行动的通知", Size: 7.7, Center: true},
				{Text: long},
				{Text: "一、工作目标"},
			},
		}, {
			Paras: []ofdwrite.Para{{Text: "二、工作要求"}, {Text: "各单位要明确责任，按时完成。"}},
		}},
	})
	text, info, err := OFDRead(data)
	if err != nil {
		t.Fatal(err)
	}
	want := "某某县人民政府文件\n某政发〔2024〕7号\n关于开展河道清理专项行动的通知\n" + long + "\n一、工作目标\n二、工作要求\n各单位要明确责任，按时完成。\n"
	if text != want {
		t.Errorf("got\n%s\nwant\n%s", text, want)
	}
	if info.Title != "测试标题" || info.Author != "某某县人民政府办公室" || info.CreationDate != "2024-3-5" || info.Custom["文号"] != "某政发〔2024〕7号" || info.Pages != 2 {
		t.Errorf("info %+v", info)
	}
	// The same pages with no text (images alone) have nothing to read.
	if _, _, err := OFDRead(ofdwrite.Write(ofdwrite.Doc{Pages: []ofdwrite.Page{{}}})); !errors.Is(err, ErrNoText) {
		t.Errorf("a page without text: %v, want ErrNoText", err)
	}
}
