package indexer

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// addSeeds gives a fuzz target the testdata notices as its starting corpus.
func addSeeds(f *testing.F) {
	f.Add("一、基本情况\n（一）强化学习。\n1.清理文件。（1）压减数量。二、问题")
	f.Add("第一章 总则\n第一条 为了规范管理。\n第二条 依照本条例第一条。")
	for _, dir := range []string{noticeDir, brokenDir} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil && len(b) < 64<<10 {
				f.Add(string(b))
			}
		}
	}
}

// FuzzSections: on any body, sections cover it exactly, in order, with
// paths that end in their own heading.
func FuzzSections(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, body string) {
		secs := splitSections(body)
		if len(secs) == 0 {
			t.Fatal("no sections")
		}
		checkLossless(t, body, secs)
		for _, s := range secs {
			if s.Heading != "" && (len(s.Path) != s.Level || s.Path[len(s.Path)-1] != s.Heading) {
				t.Fatalf("section %q at level %d has path %q", s.Heading, s.Level, s.Path)
			}
			if s.Heading == "" && s.Level != 0 {
				t.Fatalf("heading-less section at level %d", s.Level)
			}
		}
	})
}

// clutterCue names words that may mark a line as page chrome; lines with
// none of them are prose the cleaner must keep.
var clutterCue = []string{"位置", "时间", "日期", "来源", "作者", "附件", "打印", "关闭", "返回", "微信", "微博", "QQ", "分享", "字号", "浏览", "版权", "Produced", "produced", "copyright", "Copyright", "ICP", "标识码", "公网安备", "网站", "主办", "承办", "技术支持", "扫", "上一篇", "下一篇", "相关", "点击", "阅读", "访问", "编辑", "发布", "TOP", "首页", ">", "＞", "»", "›", "【", "©"}

func han(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Han, r) {
			return r
		}
		return -1
	}, s)
}

// FuzzClean: the cleaner never panics, yields trimmed valid lines, and
// keeps every prose line that carries no clutter cue.
func FuzzClean(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		lines, _ := cleanBody(text, "", false)
		out := han(strings.Join(lines, ""))
		for _, l := range lines {
			if l == "" || l != strings.TrimSpace(l) || strings.ContainsAny(l, "\r\n") {
				t.Fatalf("line not normalised: %q", l)
			}
		}
		for _, l := range normalizeLines(text) {
			if isShortLine(l) || han(l) == "" {
				continue
			}
			clutter := false
			for _, c := range clutterCue {
				if strings.Contains(l, c) {
					clutter = true
					break
				}
			}
			if !clutter && !strings.Contains(out, han(l)) {
				t.Fatalf("prose line lost: %q", l)
			}
		}
	})
}

// FuzzParse: no input makes Parse panic, and a parsed notice's sections
// always concatenate to its body.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data string) {
		for _, name := range []string{"x.html", "x.txt", "x.md"} {
			n, err := Parse(name, []byte(data))
			if err != nil {
				if !IsRejected(err) {
					t.Fatalf("%s: error is not a rejection: %v", name, err)
				}
				continue
			}
			checkLossless(t, n.Body, n.Sections)
		}
	})
}

// TestSharedCorpus parses every real notice in ../shared (when present):
// nothing panics, every file is a notice or a named rejection, and every
// notice's sections concatenate to its body.
func TestSharedCorpus(t *testing.T) {
	roots := []string{"../../shared/corpus", "../../shared/seed"}
	if _, err := os.Stat(roots[0]); err != nil {
		t.Skip("shared corpus not present")
	}
	files, errs := Files(t.Context(), roots)
	for _, err := range errs {
		// PDF, Word and OFD files, and the corpus's TSV lists, are not read.
		if !errors.Is(err, ErrUnsupported) {
			t.Fatal(err)
		}
	}
	rejected := 0
	for _, path := range files {
		n, err := ReadFile(path)
		if err != nil {
			if !IsRejected(err) {
				t.Errorf("%s: %v", path, err)
			}
			rejected++
			continue
		}
		checkLossless(t, n.Body, n.Sections)
	}
	// A handful of regulations in the corpus have an empty body.
	if rejected*100 > len(files) {
		t.Errorf("%d of %d files rejected", rejected, len(files))
	}
}
