// Package hostile makes a corpus of files built to break an indexer:
// binary data, NUL bytes, empty files, a 20 MB line, HTML nested 100,000
// deep, charsets declared wrong, mixed encodings, BOMs, CR-only line ends,
// 100,000 headings, archives under a text name, a file over the size
// limit, links that loop or lead nowhere, a FIFO, files of other types.
// Each file comes with the outcome indexing must give it.
//
// indexer's TestHostileCorpus writes the corpus and checks every outcome;
// `go run ./indexer/internal/hostile/cmd/genhostile -out DIR` writes it for
// benchmarks and people. All text is made up.
//
// The package must not import indexer: indexer's tests import it.
package hostile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Case is one hostile file.
type Case struct {
	Name  string // what the file is, as a sentence
	File  string // its path in the corpus, slash-separated
	Want  Want
	Bytes int64 // how large the file is

	data  []byte                  // the file's bytes, or
	write func(path string) error // what makes it
}

// Want is the outcome indexing a file must give.
type Want struct {
	// Skipped is part of the reason the file is skipped with; empty when
	// the file must be indexed.
	Skipped string
	// For an indexed file: its title, if it must be this one, and what its
	// body must and must not hold.
	Title     string
	BodyHas   []string
	BodyLacks []string
	// Headings is the least number of sections with a heading.
	Headings int
}

// Reasons, as parts of the messages the indexer skips files with.
const (
	ReasonEmpty       = "空文件"
	ReasonNotText     = "不是文本文件"
	ReasonNoBody      = "清理后没有正文"
	ReasonTooLarge    = "文件过大"
	ReasonUnsupported = "不支持的文件类型"
	ReasonNotPDF      = "不是有效的 PDF 文件"
	ReasonHidden      = "隐藏文件"
	ReasonNotRegular  = "不是普通文件"
	ReasonBrokenLink  = "符号链接指向的文件不存在"
	ReasonLinkLoop    = "符号链接形成循环"
)

// SizeLimit is the indexer's default per-file limit, which TooLarge
// passes by one byte.
const SizeLimit = 32 << 20

// markup is what a body must never hold: tags and script text.
var markup = []string{"<div", "<p>", "</", "<script", "function(", "var x"}

// Cases lists the corpus: every case this system can make (FIFOs and
// symbolic links need a Unix system).
func Cases() []Case {
	var cs []Case
	add := func(c Case) {
		if c.write == nil {
			c.Bytes = int64(len(c.data))
		}
		cs = append(cs, c)
	}
	notice := textNotice("关于开展安全生产大检查的通知", 12)

	add(Case{Name: "pseudo-random bytes with NULs", File: "binary.txt",
		Want: Want{Skipped: ReasonNotText},
		data: randomBytes(64<<10, 1)})
	add(Case{Name: "a notice with NUL bytes between its lines", File: "nul-bytes.txt",
		Want: Want{Skipped: ReasonNotText},
		data: []byte(strings.ReplaceAll(notice, "\n", "\n\x00"))})
	add(Case{Name: "an empty file", File: "empty.txt",
		Want: Want{Skipped: ReasonEmpty},
		data: nil})
	add(Case{Name: "blanks and line breaks only", File: "whitespace.html",
		Want: Want{Skipped: ReasonEmpty},
		data: []byte(strings.Repeat(" \t\r\n", 1<<10))})
	add(Case{Name: "a page of markup and script with no text", File: "script-only.html",
		Want: Want{Skipped: ReasonNoBody},
		data: []byte("<html><head><script>" + strings.Repeat("var x = function(a) { return a < 1 }; ", 5000) + "</script></head><body><div></div></body></html>")})

	long := oneLine(20<<20, true)
	add(Case{Name: "20 MB of sentences on one line", File: "one-line-20mb.txt",
		Want: Want{Title: "关于加强基层治理工作的通知", BodyHas: []string{"各乡镇要"}},
		data: append([]byte("关于加强基层治理工作的通知\n"), long...)})
	add(Case{Name: "20 MB on one line without punctuation", File: "one-line-20mb-unpunctuated.txt",
		Want: Want{BodyHas: []string{"各乡镇要"}},
		data: []byte(oneLine(20<<20, false))})

	add(Case{Name: "HTML nested 100,000 elements deep", File: "deep-100000.html",
		Want: Want{Title: "关于深化政务公开工作的通知", BodyHas: []string{"各单位要"}, BodyLacks: markup},
		data: []byte(nestedPage("关于深化政务公开工作的通知", 100_000))})
	add(Case{Name: "HTML with 400 bold tags left open before 20,000 paragraphs", File: "open-formatting.html",
		Want: Want{Title: "关于规范公文格式的通知", BodyHas: []string{"各单位要"}, BodyLacks: markup},
		data: []byte(openFormattingPage("关于规范公文格式的通知", 400, 20_000))})

	// Bytes that are valid UTF-8 win over a legacy declaration: GBK text
	// is almost never valid UTF-8.
	add(Case{Name: "a page that declares gbk and is UTF-8", File: "declared-gbk-is-utf8.html",
		Want: Want{Title: "关于做好防汛准备工作的通知", BodyHas: []string{"各单位要"}},
		data: []byte(htmlPage("关于做好防汛准备工作的通知", "gbk"))})
	add(Case{Name: "a page that declares utf-8 and is GBK", File: "declared-utf8-is-gbk.html",
		Want: Want{Title: "关于做好秋季防火工作的通知", BodyHas: []string{"各单位要"}},
		data: gbk(htmlPage("关于做好秋季防火工作的通知", "utf-8"))})
	// Invalid as UTF-8, garbled as GB18030 in its UTF-8 half: refused.
	add(Case{Name: "GBK lines then UTF-8 lines in one file", File: "mixed-gbk-utf8.txt",
		Want: Want{Skipped: ReasonNotText},
		data: append(gbk(textNotice("关于清理拖欠账款的通知", 6)), textNotice("附加说明", 6)...)})

	add(Case{Name: "UTF-8 with a BOM", File: "bom-utf8.txt",
		Want: Want{Title: "关于开展安全生产大检查的通知", BodyHas: []string{"各单位要"}, Headings: 3},
		data: append([]byte("\xef\xbb\xbf"), notice...)})
	// UTF-16 is not read: its ASCII characters hold NUL bytes, so the file
	// is refused as binary rather than read as garbage.
	add(Case{Name: "UTF-16 little-endian with a BOM", File: "bom-utf16le.txt",
		Want: Want{Skipped: ReasonNotText},
		data: utf16(notice, false)})
	add(Case{Name: "UTF-16 big-endian with a BOM", File: "bom-utf16be.txt",
		Want: Want{Skipped: ReasonNotText},
		data: utf16(notice, true)})
	add(Case{Name: "line ends of a lone CR", File: "cr-only.txt",
		Want: Want{Title: "关于开展安全生产大检查的通知", BodyHas: []string{"各单位要"}, Headings: 3},
		data: []byte(strings.ReplaceAll(notice, "\n", "\r"))})
	headings := manyHeadings(100_000)
	add(Case{Name: "100,000 numbered headings", File: "headings-100000.txt",
		Want: Want{Title: "关于公布检查事项清单的通知", Headings: manyHeadingsCount(100_000)},
		data: []byte(headings)})

	add(Case{Name: "a zip archive named .html", File: "archive.zip.html",
		Want: Want{Skipped: ReasonNotText},
		data: zipOf("notice.txt", []byte(notice+oneLine(32<<10, true)))})
	add(Case{Name: "a gzip stream named .txt", File: "archive.gz.txt",
		Want: Want{Skipped: ReasonNotText},
		data: gzipOf([]byte(notice + oneLine(32<<10, true)))})
	add(Case{Name: "a file one byte over the size limit", File: "too-large.txt", Bytes: SizeLimit + 1,
		Want:  Want{Skipped: ReasonTooLarge},
		write: sparse(SizeLimit + 1)})
	add(Case{Name: "a text file with a PDF header named .pdf", File: "report.pdf",
		Want: Want{Skipped: ReasonNotPDF},
		data: []byte("%PDF-1.4\n" + notice)})
	add(Case{Name: "a spreadsheet", File: "figures.xlsx",
		Want: Want{Skipped: ReasonUnsupported},
		data: zipOf("xl/workbook.xml", []byte("<workbook/>"))})
	add(Case{Name: "a hidden file", File: ".hidden-notice.txt",
		Want: Want{Skipped: ReasonHidden},
		data: []byte(notice)})
	add(Case{Name: "the notice that the link leads to", File: "links/target.txt",
		Want: Want{Title: "关于开展安全生产大检查的通知"},
		data: []byte(notice)})
	cs = append(cs, special(notice)...)
	return cs
}

// Write writes every case into dir, which it makes if need be.
func Write(dir string) error {
	for _, c := range Cases() {
		path := filepath.Join(dir, filepath.FromSlash(c.File))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		write := c.write
		if write == nil {
			write = func(path string) error { return os.WriteFile(path, c.data, 0o644) }
		}
		if err := write(path); err != nil {
			return fmt.Errorf("write %s: %w", c.File, err)
		}
	}
	return nil
}

// sparse makes a file of n bytes that takes no room: the indexer refuses
// it by its size without reading it.
func sparse(n int64) func(string) error {
	return func(path string) error {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := f.Truncate(n); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
}
