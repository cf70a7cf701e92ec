package indexer

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const streamPage = `<html><head><title>关于开展廉政风险排查的通知</title>
<meta name="ArticleTitle" content="关于开展廉政风险排查的通知">
<meta name="PubDate" content="2021-03-05">
<script>var nav = "<div>不是正文</div>";</script><style>p { color: red }</style></head><body>
<nav>首页 通知公告</nav>
%s<h1>关于开展廉政风险排查的通知</h1>
<div class="share">分享到微信</div><div style="display:none">隐藏的文字</div>
<p>各单位要对照岗位职责，逐项排查廉政风险点。</p><p>排查结果于月底前报送。</p>%s
</body></html>`

// nested wraps the page's article in depth elements.
func nested(depth int, open, close string) string {
	return fmt.Sprintf(streamPage, strings.Repeat(open, depth), strings.Repeat(close, depth))
}

func TestDeepHTMLIsReadAsAStream(t *testing.T) {
	for _, tc := range []struct {
		name  string
		depth int
	}{
		{"nesting the tree can hold", 100},
		{"nesting past the parser's 512 elements", 600},
		{"nesting 100,000 deep", 100_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n, err := Parse("deep.html", []byte(nested(tc.depth, "<div>", "</div>")))
			if err != nil {
				t.Fatal(err)
			}
			if n.Title != "关于开展廉政风险排查的通知" || n.Date != "2021-03-05" {
				t.Errorf("title %q, date %q", n.Title, n.Date)
			}
			if !strings.Contains(n.Body, "逐项排查廉政风险点。\n排查结果于月底前报送。") {
				t.Errorf("body lost its paragraphs:\n%s", n.Body)
			}
			for _, bad := range []string{"<", "不是正文", "color", "分享到微信", "隐藏的文字", "首页"} {
				if strings.Contains(n.Body, bad) {
					t.Errorf("body holds %q:\n%s", bad, n.Body)
				}
			}
		})
	}
}

// TestStreamFindsTheTreesFields: on every bundled page the stream reader
// finds the metadata the tree reader finds.
func TestStreamFindsTheTreesFields(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join(noticeDir, "*.htm*"))
	if len(paths) < 10 {
		t.Fatalf("%d HTML notices", len(paths))
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		src, err := decode(data, true)
		if err != nil {
			t.Fatal(err)
		}
		tree, stream := readHTML(src), readHTMLStream(src)
		if fmt.Sprint(tree.fields) != fmt.Sprint(stream.fields) {
			t.Errorf("%s:\ntree   %v\nstream %v", filepath.Base(path), tree.fields, stream.fields)
		}
		if !strings.Contains(stream.text, strings.TrimSpace(strings.SplitN(strings.TrimSpace(tree.text), "\n", 2)[0])) {
			t.Errorf("%s: the stream's text misses the article's first line", filepath.Base(path))
		}
	}
}

// TestTreeFits: a page whose unclosed formatting elements the parser would
// clone into every paragraph is read as a stream, a notice as a tree.
func TestTreeFits(t *testing.T) {
	var amplified strings.Builder
	amplified.WriteString("<p>")
	for i := range 400 {
		fmt.Fprintf(&amplified, "<b id=%d>", i)
	}
	amplified.WriteString(strings.Repeat("</p><p>各单位要加强管理。", 2000))
	tableCells := "<table>" + strings.Repeat(`<tr><td><font size="2">第一列<td><font size="2">第二列</tr>`, 20_000) + "</table>"
	for _, tc := range []struct {
		name string
		src  string
		want bool
	}{
		{"a notice", nested(10, "<div>", "</div>"), true},
		{"a long table with a font left open in every cell", tableCells, true},
		{"400 bold tags left open before 2,000 paragraphs", amplified.String(), false},
		{"a million line breaks", strings.Repeat("<br>", 1<<20), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := treeFits(tc.src); got != tc.want {
				t.Errorf("treeFits = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestNestingCostsLinearMemory: nesting under the parser's limit does not
// make the tree walks read the text once per level. Nested widgets used to
// count their text at every level: 2 GB allocated for a page of 900 KB.
func TestNestingCostsLinearMemory(t *testing.T) {
	sentences := strings.Repeat("各单位要加强管理，落实责任。", 20_000)
	for _, tc := range []struct{ name, open, close, article string }{
		{"widgets in widgets", `<div class="share">`, "</div>", strings.Repeat("<p>"+sentences[:len(sentences)/100]+"</p>", 100)},
		{"inline elements in inline elements", "<span>", "</span>", sentences},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := fmt.Sprintf(streamPage, strings.Repeat(tc.open, 250), tc.article+strings.Repeat(tc.close, 250))
			alloc := allocated(func() { readHTML(src) })
			if alloc > 40*uint64(len(src)) {
				t.Errorf("%d MB allocated for a page of %d KB", alloc>>20, len(src)>>10)
			}
		})
	}
}

// allocated is how many bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
