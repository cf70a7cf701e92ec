package hostile

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// sentences are made up, in the manner of a notice.
var sentences = []string{
	"各单位要对照职责清单，逐项排查安全隐患。",
	"各乡镇要把基层治理工作摆上重要议事日程，明确分管领导和责任人员。",
	"区直各部门要加强协调配合，形成工作合力。",
	"检查中发现的问题要建立台账，限期整改到位。",
	"对工作推进不力的单位，将予以通报批评。",
	"各单位要于每月五日前报送上月工作进展情况。",
}

var numerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// cnNumber writes 1 to 99 in Chinese numerals: 一, 十二, 二十, 九十九.
func cnNumber(n int) string {
	tens, ones := n/10, n%10
	var b strings.Builder
	if tens > 1 {
		b.WriteString(numerals[tens-1])
	}
	if tens > 0 {
		b.WriteString("十")
	}
	if ones > 0 {
		b.WriteString(numerals[ones-1])
	}
	return b.String()
}

// textNotice is a plain-text notice with a title, a salutation, parts
// headed 一、二、…, and a signature.
func textNotice(title string, parts int) string {
	var b strings.Builder
	b.WriteString(title + "\n各乡镇人民政府，区直各单位：\n")
	b.WriteString("为进一步做好相关工作，经研究，现将有关事项通知如下。\n")
	for i := 1; i <= parts; i++ {
		fmt.Fprintf(&b, "%s、第%s项工作要求\n", cnNumber(i), cnNumber(i))
		for j := range 3 {
			b.WriteString(sentences[(i+j)%len(sentences)])
		}
		b.WriteString("\n")
	}
	b.WriteString("特此通知。\n某某区人民政府办公室\n2024年3月5日\n")
	return b.String()
}

// oneLine is n bytes of sentences on one line, with or without their
// punctuation.
func oneLine(n int, punctuated bool) string {
	words := sentences
	if !punctuated {
		words = make([]string, len(sentences))
		unpunctuate := strings.NewReplacer("，", "", "。", "", "、", "")
		for i, s := range sentences {
			words[i] = unpunctuate.Replace(s)
		}
	}
	var b strings.Builder
	b.Grow(n + 64)
	for i := 0; b.Len() < n; i++ {
		b.WriteString(words[i%len(words)])
	}
	return b.String()
}

// htmlPage is a small page declaring charset.
func htmlPage(title, charset string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<html><head><meta charset="%s"><title>%s</title></head><body>`+"\n", charset, title)
	fmt.Fprintf(&b, "<h1>%s</h1>\n", title)
	for i := range 12 {
		fmt.Fprintf(&b, "<p>%s%s</p>\n", sentences[i%len(sentences)], sentences[(i+1)%len(sentences)])
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

// nestedPage wraps its text in depth <div> elements.
func nestedPage(title string, depth int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<html><head><title>%s</title><script>var x = function() { return "<div>"; };</script></head><body>`, title)
	b.WriteString(strings.Repeat("<div>", depth))
	fmt.Fprintf(&b, "<h1>%s</h1>", title)
	for i := range 12 {
		fmt.Fprintf(&b, "<p>%s</p>", sentences[i%len(sentences)])
	}
	b.WriteString(strings.Repeat("</div>", depth))
	b.WriteString("</body></html>")
	return b.String()
}

// openFormattingPage leaves open bold tags that the HTML parser would
// clone into every one of the paragraphs that follow.
func openFormattingPage(title string, open, paragraphs int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<html><head><title>%s</title></head><body><p>", title)
	for i := range open {
		fmt.Fprintf(&b, "<b id=b%d>", i)
	}
	for i := range paragraphs {
		fmt.Fprintf(&b, "</p><p>%s", sentences[i%len(sentences)])
	}
	b.WriteString("</body></html>")
	return b.String()
}

// manyHeadings is a notice of about n lines, nearly all of them headings:
// 99 parts 一、 to 九十九、, each with items numbered 1. to 999.
func manyHeadings(n int) string {
	var b strings.Builder
	b.WriteString("关于公布检查事项清单的通知\n")
	per := (n + 98) / 99
	for part := 1; part <= 99; part++ {
		fmt.Fprintf(&b, "%s、第%s类检查事项\n", cnNumber(part), cnNumber(part))
		for item := 1; item < per; item++ {
			fmt.Fprintf(&b, "%d.检查事项第%d项。按时报送材料。\n", item, item)
		}
	}
	return b.String()
}

// manyHeadingsCount is how many headings manyHeadings(n) holds.
func manyHeadingsCount(n int) int {
	per := (n + 98) / 99
	return 99 + 99*min(per-1, 999)
}

func gbk(s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		panic(err) // the text is ours and encodable
	}
	return []byte(b)
}

func utf16(s string, bigEndian bool) []byte {
	order := unicode.LittleEndian
	if bigEndian {
		order = unicode.BigEndian
	}
	b, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().String(s)
	if err != nil {
		panic(err)
	}
	return []byte(b)
}

// randomBytes are n bytes from a fixed seed, so the corpus is the same
// every time.
func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func zipOf(name string, data []byte) []byte {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	w, err := z.Create(name)
	if err == nil {
		_, err = w.Write(data)
	}
	if err == nil {
		err = z.Close()
	}
	if err != nil {
		panic(err) // writing to memory
	}
	return buf.Bytes()
}

func gzipOf(data []byte) []byte {
	var buf bytes.Buffer
	z := gzip.NewWriter(&buf)
	z.Write(data)
	z.Close()
	return buf.Bytes()
}
