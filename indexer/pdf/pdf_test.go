package pdf

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// corpus holds the real PDFs of ../shared: absent, the tests over it skip.
const corpus = "../../../shared/corpus/formats"

func han(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			n++
		}
	}
	return n
}

// manifestPDFs is the PDF rows of the corpus's manifest: file name and
// the count of Chinese characters its text holds.
func manifestPDFs(t testing.TB) map[string]int {
	b, err := os.ReadFile(filepath.Join(corpus, "manifest.tsv"))
	if err != nil {
		t.Skip("../shared/corpus/formats is absent")
	}
	m := map[string]int{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, "\t")
		if len(f) < 6 || f[1] != "pdf" {
			continue
		}
		n, err := strconv.Atoi(f[5])
		if err != nil {
			t.Fatalf("manifest: %q", line)
		}
		m[f[0]] = n
	}
	return m
}

// TestCorpus: every PDF of the corpus with a text layer reads with the
// Chinese characters the manifest counts (19 in 20 at least), without
// page numbers, its headings on lines of their own and its tables' rows
// as cells; the mojibake one is refused as garbled.
func TestCorpus(t *testing.T) {
	dashed := regexp.MustCompile(`(?m)^\s*[-—]\s*\d+\s*[-—]\s*$|[-—] \d+ [-—]$`)
	for name, want := range manifestPDFs(t) {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(corpus, name))
			if err != nil {
				t.Fatal(err)
			}
			d, err := Read(context.Background(), data)
			if want == 0 {
				if !errors.Is(err, ErrGarbled) {
					t.Fatalf("mojibake read as %v", err)
				}
				t.Log(err)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			text := d.Text
			if got := han(text); got*20 < want*19 {
				t.Errorf("%d Chinese characters, the manifest counts %d", got, want)
			}
			if m := dashed.FindString(text); m != "" {
				t.Errorf("a page number is left: %q", m)
			}
			if d.Pages == 0 || d.Extractor != Extractor {
				t.Errorf("pages %d, extractor %q", d.Pages, d.Extractor)
			}
			lines := strings.Split(text, "\n")
			for _, l := range lines {
				// A heading inside a line: a sentence ran into the next
				// heading.
				if i := strings.Index(l, "二、"); i > 0 && strings.ContainsAny(l[:i], "。；") {
					t.Errorf("a heading runs on from the line before: %.120q", l)
				}
			}
			switch {
			case strings.Contains(name, "hongze"):
				// Reading order: the title first, then 一、总体情况
				// before 二、, and the heading on its own line.
				if !strings.Contains(strings.Join(lines[:3], "\n"), "政府信息公开工作年度报告") {
					t.Errorf("the title is not at the start: %.200q", text)
				}
				one, two := strings.Index(text, "\n一、总体情况\n"), strings.Index(text, "\n二、主动公开政府信息情况\n")
				if one < 0 || two < one {
					t.Errorf("一、总体情况 at %d, 二、 at %d", one, two)
				}
				// The page number between 第二十条第（六）项 and the next
				// page is gone (the content stream puts it there).
				if strings.Contains(text, "项- 3 -") || strings.Contains(text, "- 1 -") {
					t.Errorf("page numbers left in the text")
				}
			case strings.Contains(name, "putuo"):
				if !tableRow(lines, "合计", 3) {
					t.Errorf("no 合计 row of three cells or more")
				}
			case strings.Contains(name, "secret_template"):
				// The 份号 at the head of the page is not a page number.
				if !strings.HasPrefix(text, "001012\n") {
					t.Errorf("份号 lost: %.40q", text)
				}
			}
		})
	}
}

// tableRow says a line that starts with label has cells cells at least,
// a number among them.
func tableRow(lines []string, label string, cells int) bool {
	num := regexp.MustCompile(`^\d[\d,.]*$`)
	for _, l := range lines {
		c := strings.Split(l, "\t")
		if strings.HasPrefix(l, label) && len(c) >= cells && num.MatchString(c[1]) {
			return true
		}
	}
	return false
}

// TestFixture: our own notice, converted by LibreOffice (make.sh), reads
// as its golden text: the title that wraps joined, paragraphs whole, the
// table's rows as cells, the page numbers gone.
func TestFixture(t *testing.T) {
	data, err := os.ReadFile("../../testdata/formats/notice.pdf")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Read(context.Background(), data)
	if err != nil {
		t.Fatal(err)
	}
	if d.Pages != 2 || d.Producer == "" || d.Title != "青禾县关于开展2024年秋季河道清理工作的通知" {
		t.Errorf("pages %d, producer %q, title %q", d.Pages, d.Producer, d.Title)
	}
	golden := "testdata/golden/notice.pdf.txt"
	if *update {
		os.MkdirAll(filepath.Dir(golden), 0o755)
		if err := os.WriteFile(golden, []byte(d.Text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if d.Text != string(want) {
		t.Errorf("text differs from %s (go test -run Fixture -update rewrites it):\n%s", golden, lineDiff(string(want), d.Text))
	}
	for _, must := range []string{
		"青禾县水利局关于开展2024年秋季河道清理工作的通知\n",
		"\n合计\t73.5\t22.1\n",
		"\n（三）检查验收。11月下旬，", // across the page break
	} {
		if !strings.Contains(d.Text, must) {
			t.Errorf("no %q", must)
		}
	}
	if strings.Contains(d.Text, "- 1 -") || strings.Contains(d.Text, "- 2 -") {
		t.Errorf("page numbers left")
	}
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a != c {
			fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, a, c)
		}
	}
	return b.String()
}

// tinyPDF writes a PDF of one page per entry of pages, each showing its
// lines in Helvetica (nothing, for an empty page).
func tinyPDF(pages ...[]string) []byte {
	var objs []string
	kids := ""
	for i, lines := range pages {
		var content strings.Builder
		if len(lines) > 0 {
			content.WriteString("BT /F1 12 Tf 72 720 Td 14 TL\n")
			for _, l := range lines {
				fmt.Fprintf(&content, "(%s) ' \n", l)
			}
			content.WriteString("ET\n")
		}
		page, stream := 4+2*i, 5+2*i
		kids += fmt.Sprintf("%d 0 R ", page)
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", stream),
			fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()))
	}
	objs = append([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, len(pages)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}, objs...)
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestErrors(t *testing.T) {
	encrypted, err := os.ReadFile("../../testdata/formats/notice-encrypted.pdf")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		data []byte
		want error
	}{
		{"a text file is not a PDF", []byte("not a pdf at all"), ErrNotPDF},
		{"a PDF header and nothing else is not a PDF", []byte("%PDF-1.4\n"), ErrNotPDF},
		{"pages with no text have no text layer", tinyPDF(nil, nil), ErrNoText},
		{"a PDF that needs a password is encrypted", encrypted, ErrEncrypted},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := Read(context.Background(), c.data)
			if !errors.Is(err, c.want) {
				t.Errorf("got %v %+v, want %v", err, d, c.want)
			}
		})
	}
}

// TestTinyPDF: lines of Latin text read back with their spaces; a short
// line ends its paragraph, a full one runs on into the next.
func TestTinyPDF(t *testing.T) {
	got, err := Text(tinyPDF([]string{"Notice", "of the river cleaning in the autumn", "of 2024", "last"}))
	if err != nil {
		t.Fatal(err)
	}
	if want := "Notice\nof the river cleaning in the autumn of 2024\nlast\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Read(ctx, tinyPDF([]string{"x"})); err == nil {
		t.Error("a cancelled read succeeded")
	}
	// The engine is still there for the next file.
	if _, err := Text(tinyPDF([]string{"still reads"})); err != nil {
		t.Errorf("after a cancelled read: %v", err)
	}
}

func FuzzText(f *testing.F) {
	f.Add(tinyPDF([]string{"Hello (world)", "2024"}))
	f.Add(tinyPDF(nil))
	f.Add([]byte("%PDF-1.7\n1 0 obj << >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"))
	f.Fuzz(func(t *testing.T, data []byte) {
		text, err := Text(data)
		if err != nil && text != "" {
			t.Errorf("text with an error")
		}
		if !utf8.ValidString(text) {
			t.Errorf("invalid UTF-8: %q", text)
		}
	})
}

// BenchmarkText reads the corpus's PDFs (when present) and our fixture,
// reporting pages a second.
func BenchmarkText(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(corpus, "*.pdf"))
	files = append(files, "../../testdata/formats/notice.pdf")
	for _, f := range files {
		if strings.Contains(f, "mojibake") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strings.TrimSuffix(filepath.Base(f), ".pdf"), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			pages := 0
			for b.Loop() {
				d, err := Read(context.Background(), data)
				if err != nil {
					b.Fatal(err)
				}
				pages += d.Pages
			}
			b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

// FuzzLayout lays out pages of glyphs placed anyhow (overlapping, out of
// order, on one baseline or scattered, of any size): never a panic, the
// text valid UTF-8, and no character that was not on a page.
func FuzzLayout(f *testing.F) {
	f.Add([]byte("\x01\x10\x20\x05\x02\x11\x20\x05\x03\x40\x20\x05\x00\x10\x60\x05"), uint8(2))
	f.Add([]byte{}, uint8(1))
	alphabet := []rune("一、（）二三各单位要落实整改合计12.。：第页-— ")
	f.Fuzz(func(t *testing.T, data []byte, pages uint8) {
		n := int(pages%4) + 1
		raw := &rawDoc{pages: make([]rawPage, n), total: n, meta: map[string]string{}}
		on := map[rune]bool{}
		for i := 0; i+4 <= len(data) && i < 4*2000; i += 4 {
			r := alphabet[int(data[i])%len(alphabet)]
			if r == ' ' {
				continue
			}
			on[r] = true
			x, y, size := float64(data[i+1])*2.5, float64(data[i+2])*3.3, float64(data[i+3]%24)+1
			p := &raw.pages[i/4%n]
			p.height = 842
			p.glyphs = append(p.glyphs, glyph{r: r, left: x, right: x + size, bottom: y, top: y + size})
		}
		d, err := layout(raw)
		if err != nil {
			return // no glyph at all, or too few to judge and judged garbled
		}
		if !utf8.ValidString(d.Text) {
			t.Fatalf("invalid UTF-8: %q", d.Text)
		}
		for _, r := range d.Text {
			if r != '\n' && r != '\t' && r != ' ' && !on[r] {
				t.Fatalf("%q in the text, never on a page: %q", r, d.Text)
			}
		}
	})
}
