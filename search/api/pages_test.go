package api

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"noticesearch/indexer"
	"noticesearch/indexer/office/ofdwrite"
	"noticesearch/search"
)

func getPage(t *testing.T, base, path string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func TestSearchPageStates(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		status int
		want   []string
		not    []string
	}{
		{"the empty page has the box and the help", "/", 200, []string{`name="q"`, "检索语法", `href="/static/style.css"`}, []string{"共 <strong>"}},
		{"results show marked passages, counts, facets and notice links", "/?q=" + url.QueryEscape("廉政风险"), 200,
			[]string{"<mark>廉政风险</mark>", "共 <strong>", "篇公文", "<h3>省份</h3>", `href="/notices/`, "相关度"}, nil},
		{"no hit gives a clear empty state", "/?q=" + url.QueryEscape("这个词组不会出现在任何公文里"), 200, []string{"没有找到匹配的章节"}, nil},
		{"no hit says why and offers the query without the filter", "/?q=" + url.QueryEscape("一岗双责 region:杭州"), 200,
			[]string{"没有找到匹配的章节", `<ul class="hints">`, `href="/?q=%E4%B8%80%E5%B2%97%E5%8F%8C%E8%B4%A3"`, "试试「一岗双责」"}, nil},
		{"a bad query shows the parser's message in Chinese only", "/?q=" + url.QueryEscape(`"一岗双责`), 400, []string{"检索式有误", "引号不成对"}, []string{"unbalanced", " / "}},
		{"a query error keeps its position, in Chinese", "/?q=" + url.QueryEscape("year:20x1"), 400, []string{"第6个字符处：年份应为"}, []string{"year must", "at character"}},
		{"too many terms are refused in Chinese only", "/?q=" + url.QueryEscape("甲 乙 丙 丁 戊 己 庚 辛 壬 癸 子 丑 寅 卯 辰 巳 午"), 400, []string{"检索词过多"}, []string{"too many"}},
		{"a filter shows as a chip in words that removes it", "/?q=" + url.QueryEscape("整改 region:温州市"), 200,
			[]string{`<span class="chip-label">地区：</span><span class="chip-value">温州市</span>`, `class="chip-remove" href="/?q=%E6%95%B4%E6%94%B9"`}, []string{"region:温州市 ×"}},
		{"paging moves through the hits", "/?q=" + url.QueryEscape("的") + "&page=2&collapse=none", 200, []string{"第 2 /", `rel="prev"`, `rel="next"`}, nil},
		{"one hit per notice is the default, with a link to every section", "/?q=" + url.QueryEscape("整改") + "&sort=date", 200,
			[]string{"显示全部命中章节", "collapse=none", "处命中，查看全部", "<b>日期</b>"}, nil},
		{"a date read from the file name says so", "/?q=" + url.QueryEscape("title:清风时评"), 200, []string{"2023-09-14（据文件名）"}, nil},
		{"every section is a link away", "/?q=" + url.QueryEscape("整改") + "&collapse=none", 200, []string{"每篇公文只显示一条"}, []string{"查看本文全部命中"}},
		{"a page past the engine's window is refused in plain words", "/?q=" + url.QueryEscape("整改") + "&page=1001", 400,
			[]string{"只能查看前10000条结果"}, []string{"from", "size", "检索式有误", `rel="next"`}},
		{"a page number that is no number is refused in words", "/?q=" + url.QueryEscape("整改") + "&page=x", 400, []string{"页码应为1至1000之间的整数"}, nil},
		{"a page past the last has a way back and no pager", "/?q=" + url.QueryEscape("整改") + "&page=50", 200,
			[]string{"第 50 页没有内容", "回到第"}, []string{`rel="next"`, `rel="prev"`, `class="pager"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, h := getPage(t, testServer.URL, tt.path)
			if code != tt.status {
				t.Errorf("status %d, want %d", code, tt.status)
			}
			if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("content type %q", ct)
			}
			if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
				t.Errorf("CSP %q", csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
				t.Errorf("security headers: %v", h)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body, w) {
					t.Errorf("page has %q", w)
				}
			}
			// Our own script file is the only script; nothing comes from outside.
			if strings.Count(body, "<script") != 1 || !strings.Contains(body, `<script src="/static/app.js" defer></script>`) {
				t.Error("page has a script other than /static/app.js")
			}
			if regexp.MustCompile(`(?i)(src|href)="(https?:)?//`).MatchString(body) {
				t.Error("page loads an outside resource")
			}
		})
	}
}

func TestFacetLinkNarrowsTheCount(t *testing.T) {
	// One hit per notice: a facet counts notices.
	_, body, _ := getPage(t, testServer.URL, "/?q="+url.QueryEscape("整改"))
	m := regexp.MustCompile(`<h3>年份</h3>\s*<ul><li><a href="([^"]+)">(\d{4})</a> <span class="count">(\d+)</span>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no year facet")
	}
	_, narrowed, _ := getPage(t, testServer.URL, html.UnescapeString(m[1]))
	if !strings.Contains(narrowed, "来自 <strong>"+m[3]+"</strong> 篇公文") || !strings.Contains(body, "数字为公文篇数") {
		t.Errorf("after clicking year %s (%s notices) the page says something else", m[2], m[3])
	}
	// Every section: a facet counts sections.
	_, body, _ = getPage(t, testServer.URL, "/?q="+url.QueryEscape("整改")+"&collapse=none")
	if regexp.MustCompile(`<li><a href="[^"]*"></a>`).MatchString(body) {
		t.Error("a facet lists an empty value")
	}
	m = regexp.MustCompile(`<h3>年份</h3>\s*<ul><li><a href="([^"]+)">(\d{4})</a> <span class="count">(\d+)</span>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no year facet")
	}
	_, narrowed, _ = getPage(t, testServer.URL, html.UnescapeString(m[1]))
	if !strings.Contains(narrowed, "共 <strong>"+m[3]+"</strong> 节") || !strings.Contains(narrowed, `<span class="chip-label">年份：</span><span class="chip-value">`+m[2]+"</span>") {
		t.Errorf("after clicking year %s (count %s) the page says something else", m[2], m[3])
	}
}

func TestNoticePage(t *testing.T) {
	var res search.Result
	get(t, "/api/search?q="+url.QueryEscape("一岗双责"), &res)
	if len(res.Hits) == 0 {
		t.Fatal("no hits")
	}
	code, body, _ := getPage(t, testServer.URL, "/notices/"+res.Hits[0].NoticeID+"?q="+url.QueryEscape("一岗双责"))
	if code != 200 {
		t.Fatalf("status %d", code)
	}
	for _, w := range []string{"<h1>", "目录", `<mark id="m1">一岗双责</mark>`, `href="#s`, "返回检索结果"} {
		if !strings.Contains(body, w) {
			t.Errorf("notice page lacks %q", w)
		}
	}
	if strings.Count(body, `id="m1"`) != 1 {
		t.Errorf("%d first-match anchors", strings.Count(body, `id="m1"`))
	}
	code, body, _ = getPage(t, testServer.URL, "/notices/nosuchnotice")
	if code != 404 || !strings.Contains(body, "未找到") {
		t.Errorf("unknown notice: %d", code)
	}
}

func TestStaticStylesheet(t *testing.T) {
	code, body, h := getPage(t, testServer.URL, "/static/style.css")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/css") || !strings.Contains(body, "mark") {
		t.Errorf("stylesheet: %d %q", code, h.Get("Content-Type"))
	}
}

// TestNoticeTextIsEscaped: markup written in a notice reaches the page as
// text, on the results page and the notice page alike.
func TestNoticeTextIsEscaped(t *testing.T) {
	dir := t.TempDir()
	text := "关于加强网络安全管理的通知\n各单位要防范在网页中插入<script>alert('x')</script>等恶意代码的行为，落实网络安全责任。\n联系人：<b>张三</b> & 李四。"
	if err := os.WriteFile(filepath.Join(dir, "n.txt"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := indexer.Open(filepath.Join(dir, "ix"), indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Add(context.Background(), []string{dir}, nil); err != nil {
		t.Fatal(err)
	}
	eng := search.New(ix)
	srv := httptest.NewServer((&Server{Searcher: eng}).Handler())
	defer srv.Close()
	_, body, _ := getPage(t, srv.URL, "/?q="+url.QueryEscape("恶意代码"))
	if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;script&gt;") || !strings.Contains(body, "<mark>恶意代码</mark>") {
		t.Errorf("results page does not escape the notice text:\n%s", body)
	}
	m := regexp.MustCompile(`href="(/notices/[^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no notice link")
	}
	_, page, _ := getPage(t, srv.URL, html.UnescapeString(m[1]))
	if strings.Contains(page, "<script>alert") || strings.Contains(page, "<b>张三</b>") || !strings.Contains(page, "&lt;b&gt;张三&lt;/b&gt; &amp; 李四") {
		t.Errorf("notice page does not escape the notice text")
	}
}

// TestLongNoticeInRuns: a notice of many sections is shown a run at a
// time, with links to the next and previous runs, and a hit deep in it
// links to the run that holds it.
func TestLongNoticeInRuns(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("关于虚构县第九轮专项检查情况的通报\n\n发布时间：2024-03-01\n\n")
	const sections = 450
	for i := 1; i < sections; i++ {
		b.WriteString(strconv.Itoa(i) + ".第" + strconv.Itoa(i) + "项检查内容已经完成整改，台账编号" + strconv.Itoa(1000+i) + "。\n")
	}
	b.WriteString(strconv.Itoa(sections) + ".最后一项涉及独角兽牧场的整改已经完成。\n")
	file := filepath.Join(dir, "long.txt")
	if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, err := indexer.Open(filepath.Join(dir, "index"), indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := ix.Add(t.Context(), []string{file}, nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&Server{Searcher: search.New(ix)}).Handler())
	defer srv.Close()

	code, body, _ := getPage(t, srv.URL, "/?q="+url.QueryEscape("独角兽牧场"))
	link := regexp.MustCompile(`href="(/notices/[^"]+)"`).FindStringSubmatch(body)
	if code != 200 || link == nil {
		t.Fatalf("search: %d, no notice link", code)
	}
	href := html.UnescapeString(link[1])
	if !strings.Contains(href, "sec=") {
		t.Errorf("a hit past the first run links to %s, without its section", href)
	}
	code, body, _ = getPage(t, srv.URL, href)
	if code != 200 || !strings.Contains(body, `<mark id="m1">独角兽牧场</mark>`) || !strings.Contains(body, "上一段") || strings.Contains(body, "下一段") {
		t.Errorf("the hit's run: %d, mark %t, prev %t, next %t", code, strings.Contains(body, `id="m1"`), strings.Contains(body, "上一段"), strings.Contains(body, "下一段"))
	}
	var n search.NoticeView
	id := strings.TrimPrefix(strings.SplitN(href, "?", 2)[0], "/notices/")
	seen := 0
	for from := 0; from < sections; from = n.Next {
		n = search.NoticeView{}
		if code := getJSON(t, srv.URL+"/api/notices/"+id+"?from="+strconv.Itoa(from), &n); code != 200 {
			t.Fatalf("from %d: %d", from, code)
		}
		if len(n.Sections) == 0 || len(n.Sections) > search.NoticeSections || n.From != from || n.SectionsTotal < sections {
			t.Fatalf("from %d: %d sections, from %d, of %d", from, len(n.Sections), n.From, n.SectionsTotal)
		}
		for i, s := range n.Sections {
			if s.Seq != from+i {
				t.Fatalf("from %d: section %d has seq %d", from, i, s.Seq)
			}
		}
		seen += len(n.Sections)
	}
	if seen != n.SectionsTotal {
		t.Errorf("paged through %d sections of %d", seen, n.SectionsTotal)
	}
	code, body, _ = getPage(t, srv.URL, "/notices/"+id)
	if code != 200 || !strings.Contains(body, "下一段") || strings.Count(body, "<section") != search.NoticeSections {
		t.Errorf("first run: %d, %d sections shown", code, strings.Count(body, "<section"))
	}
}

func getJSON(t *testing.T, u string, into any) int {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode
}

// hitIDs lists the notice of each hit on a results page, in order.
func hitIDs(body string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`<h2><a href="/notices/([^"?#]+)`).FindAllStringSubmatch(body, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

func TestOneHitPerNoticeByDefault(t *testing.T) {
	q := url.QueryEscape("整改")
	var all search.Result
	get(t, "/api/search?q="+q+"&size=100&collapse=none", &all)
	if int(all.Total) <= all.Notices {
		t.Fatalf("the query needs notices with several hits: %d sections in %d notices", all.Total, all.Notices)
	}
	_, body, _ := getPage(t, testServer.URL, "/?q="+q)
	ids := hitIDs(body)
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Errorf("notice %s shown twice", id)
		}
		seen[id] = true
	}
	if len(ids) != min(all.Notices, pageSize) {
		t.Errorf("%d hits on the first page, want one for each of %d notices", len(ids), min(all.Notices, pageSize))
	}
	// Every hit links to all the matches of its notice.
	if n := strings.Count(body, ">查看本文全部命中</a>") + strings.Count(body, " 处命中，查看全部</a>"); n != len(ids) {
		t.Errorf("%d links to a notice's matches for %d hits", n, len(ids))
	}
	// The link says how many sections of the notice match, as the API does.
	perNotice := map[string]int{}
	for _, h := range all.Hits {
		perNotice[h.NoticeID]++
	}
	said := regexp.MustCompile(`<h2><a href="/notices/([^"?#]+)(?s:.*?)<p class="more"><a [^>]+>(?:本文共 (\d+) 处命中|查看本文全部命中)`).FindAllStringSubmatch(body, -1)
	if len(said) != len(ids) || len(all.Hits) != int(all.Total) {
		t.Fatalf("%d hits with a count of %d, %d of %d sections listed", len(said), len(ids), len(all.Hits), all.Total)
	}
	for _, m := range said {
		want := perNotice[m[1]]
		if got, _ := strconv.Atoi(m[2]); (want > 1 && got != want) || (want == 1 && m[2] != "") {
			t.Errorf("notice %s: the page says %q matches, the API lists %d", m[1], m[2], want)
		}
	}
	m := regexp.MustCompile(`<a class="collapse" href="([^"]+)">显示全部命中章节</a>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no link to show every section")
	}
	_, every, _ := getPage(t, testServer.URL, html.UnescapeString(m[1]))
	ids = hitIDs(every)
	if len(ids) != min(int(all.Total), pageSize) || len(ids) == len(seenKeys(ids)) {
		t.Errorf("showing every section: %d hits from %d notices", len(ids), len(seenKeys(ids)))
	}
	if !strings.Contains(every, "每篇公文只显示一条") {
		t.Error("no way back to one hit per notice")
	}
}

func seenKeys(ids []string) map[string]bool {
	m := map[string]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func TestChipRemovesItsFilter(t *testing.T) {
	_, body, _ := getPage(t, testServer.URL, "/?q="+url.QueryEscape("整改 region:温州市 年份：2021 after:2021-1-5"))
	chips := regexp.MustCompile(`<li><span class="chip-label">([^<]+)</span><span class="chip-value">([^<]+)</span><a class="chip-remove" href="([^"]+)"`).FindAllStringSubmatch(body, -1)
	var words []string
	for _, c := range chips {
		words = append(words, c[1]+c[2])
	}
	if want := "地区：温州市 年份：2021 起始日期：2021-01-05"; strings.Join(words, " ") != want {
		t.Fatalf("chips %q, want %q", strings.Join(words, " "), want)
	}
	u, err := url.Parse(html.UnescapeString(chips[0][3]))
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Query().Get("q"); got != "整改 年份：2021 after:2021-1-5" {
		t.Errorf("removing the region leaves %q", got)
	}
	_, rest, _ := getPage(t, testServer.URL, u.String())
	if strings.Contains(rest, "地区：") || !strings.Contains(rest, `<span class="chip-label">年份：</span>`) {
		t.Error("after removing the region chip the chips are wrong")
	}
}

// TestEveryFilterHasALabel: a field added to search.Filters needs its
// words in filterLabels, or its chip shows the filter as typed.
func TestEveryFilterHasALabel(t *testing.T) {
	typ := reflect.TypeFor[search.Filters]()
	for i := range typ.NumField() {
		if _, ok := filterLabels[typ.Field(i).Name]; !ok {
			t.Errorf("search.Filters.%s has no label in filterLabels", typ.Field(i).Name)
		}
	}
	if l, v, ok := describeFilter(search.Filters{Before: "2021-12-31"}); !ok || l != "截止日期" || v != "2021-12-31" {
		t.Errorf("before: %q %q %t", l, v, ok)
	}
	if l, v, ok := describeFilter(search.Filters{Kind: []string{"通报", "通知"}}); !ok || l != "文种" || v != "通报、通知" {
		t.Errorf("kind: %q %q %t", l, v, ok)
	}
}

func TestPagerStopsAtTheLastPage(t *testing.T) {
	path := "/?q=" + url.QueryEscape("的") + "&collapse=none"
	pages := 0
	for {
		pages++
		code, body, _ := getPage(t, testServer.URL, path)
		if code != 200 || pages > 100 {
			t.Fatalf("page %d: status %d", pages, code)
		}
		m := regexp.MustCompile(`<span>第 (\d+) / (\d+) 页</span>`).FindStringSubmatch(body)
		if m == nil || m[1] != strconv.Itoa(pages) {
			t.Fatalf("page %d reads %v", pages, m)
		}
		next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(body)
		if next == nil {
			if m[2] != m[1] {
				t.Errorf("no next link on page %s of %s", m[1], m[2])
			}
			break
		}
		path = html.UnescapeString(next[1])
	}
	if pages < 2 {
		t.Errorf("only %d page", pages)
	}
}

func TestTookNeverReadsZero(t *testing.T) {
	for ms, want := range map[float64]string{0: "<1 毫秒", 0.04: "<1 毫秒", 0.999: "<1 毫秒", 1.25: "1.2 毫秒", 37.6: "38 毫秒"} {
		if got := tookText(ms); got != want {
			t.Errorf("tookText(%v) = %q, want %q", ms, got, want)
		}
	}
	for _, q := range []string{"一岗双责", "的", "整改 year:2021"} {
		_, body, _ := getPage(t, testServer.URL, "/?q="+url.QueryEscape(q))
		if regexp.MustCompile(`[（(]0\.0+ 毫秒`).MatchString(body) || !strings.Contains(body, "毫秒") {
			t.Errorf("%s: the time reads 0.0 or is missing", q)
		}
	}
}

func TestSplitMarked(t *testing.T) {
	tests := []struct {
		name, text string
		n          int
	}{
		{"a heading on its own line", "一、总体要求\n正文", len("一、总体要求")},
		{"a mark across the cut", "一、加强整改\n整改落实", len("一、加强整")},
		{"escaped characters count once", "一、<a>&\"'标题\n正文", len("一、<a>&\"'标题")},
		{"a mark that ends at the cut", "一、整改\n正文", len("一、整改")},
	}
	terms := [][]byte{[]byte("整改")}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			marked := search.MarkAll(tt.text, terms, "m1")
			head, tail := splitMarked(marked, tt.n)
			if got := plainMarked(head); got != tt.text[:tt.n] {
				t.Errorf("head %q reads %q, want %q", head, got, tt.text[:tt.n])
			}
			if got := plainMarked(tail); got != tt.text[tt.n:] {
				t.Errorf("tail %q reads %q, want %q", tail, got, tt.text[tt.n:])
			}
			for _, part := range []string{head, tail} {
				if strings.Count(part, "<mark") != strings.Count(part, "</mark>") {
					t.Errorf("unbalanced marks in %q", part)
				}
			}
		})
	}
}

func plainMarked(s string) string {
	return html.UnescapeString(regexp.MustCompile(`</?mark[^>]*>`).ReplaceAllString(s, ""))
}

// headedServer serves an index of two notices written for the page: one
// with numbered headings (one of them holding nothing but subsections,
// and one written with markup), one with none.
func headedServer(t *testing.T) *httptest.Server {
	t.Helper()
	files := map[string]string{
		"headed.txt": "关于虚构县开展示范检查工作的通知\n发布时间：2024-03-01\n\n为做好示范检查工作，现通知如下。\n\n" +
			"一、总体要求<b>加强</b>\n\n坚持问题导向，推进示范检查。\n\n" +
			"二、保障措施\n\n（一）组织领导\n\n成立示范检查领导小组。\n\n（二）经费保障\n\n经费由县财政统筹安排。\n",
		"plain.txt": "关于虚构县清明节期间示范防火的通知\n发布时间：2024-03-02\n\n各乡镇：\n\n清明节即将来临，请做好示范防火工作，严禁携带火种进山。\n",
	}
	data := map[string][]byte{}
	for name, text := range files {
		data[name] = []byte(text)
	}
	return serverOf(t, data)
}

// serverOf serves an index of files (by name), written into a folder of
// the test's.
func serverOf(t *testing.T, files map[string][]byte) *httptest.Server {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ix, err := indexer.Open(filepath.Join(t.TempDir(), "ix"), indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	if _, err := ix.Add(t.Context(), []string{dir}, nil); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer((&Server{Searcher: search.New(ix)}).Handler())
	t.Cleanup(srv.Close)
	return srv
}

// noticeLink opens the first hit of q on srv.
func noticeLink(t *testing.T, srv *httptest.Server, q string) string {
	t.Helper()
	_, body, _ := getPage(t, srv.URL, "/?q="+url.QueryEscape(q))
	m := regexp.MustCompile(`<h2><a href="(/notices/[^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s: no hit", q)
	}
	_, page, _ := getPage(t, srv.URL, html.UnescapeString(m[1]))
	return page
}

func TestNoticePageHeadings(t *testing.T) {
	srv := headedServer(t)
	page := noticeLink(t, srv, "组织领导")
	for _, want := range []string{
		`<h2 class="heading">一、总体要求&lt;b&gt;加强&lt;/b&gt;</h2>`,
		`<h2 class="heading">二、保障措施</h2>`,
		`<h3 class="heading">（一）<mark id="m1">组织领导</mark></h3>`,
		"<h2>目录</h2>",
		`<span class="badge">命中</span>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("notice page lacks %s", want)
		}
	}
	if strings.Contains(page, "<b>加强") {
		t.Error("a heading's markup reached the page")
	}
	for _, h := range []string{"二、保障措施", "坚持问题导向"} {
		if n := strings.Count(regexp.MustCompile(`(?s)<div class="text">.*</div>`).FindString(page), h); n != 1 {
			t.Errorf("the text shows %q %d times", h, n)
		}
	}
	plain := noticeLink(t, srv, "携带火种")
	if strings.Contains(plain, "目录") || strings.Contains(plain, `class="outline"`) {
		t.Error("a notice without headings shows an outline")
	}
	if !strings.Contains(plain, "<mark id=\"m1\">携带火种</mark>") || strings.Contains(plain, `class="heading"`) {
		t.Error("a notice without headings: no mark, or a heading made up")
	}
}

// TestHeadingOnlySectionShownOnce: a section whose text is its heading
// shows the heading once, in its path.
func TestHeadingOnlySectionShownOnce(t *testing.T) {
	srv := headedServer(t)
	_, body, _ := getPage(t, srv.URL, "/?q="+url.QueryEscape("保障措施")+"&collapse=none")
	hits := regexp.MustCompile(`(?s)<li class="hit">.*?</li>`).FindAllString(body, -1)
	if len(hits) == 0 {
		t.Fatal("no hits")
	}
	for _, h := range hits {
		if n := strings.Count(h, "<mark>保障措施</mark>"); n != 1 {
			t.Errorf("a hit shows the heading %d times:\n%s", n, h)
		}
	}
}

func TestChipWords(t *testing.T) {
	tests := []struct{ query, want string }{
		{"整改 region:温州市", "地区：温州市"},
		{"整改 地区：瓯海区", "地区：瓯海区"},
		{"整改 year:２０２１", "年份：2021"},
		{"整改 kind:通报", "文种：通报"},
		{"整改 source:纪委", "来源：纪委"},
		{`整改 issuer:"中共 温州"`, "发文机关：中共 温州"},
		{"整改 before:2021-12-31", "截止日期：2021-12-31"},
		{"整改 title:巡察整改", "标题：巡察整改"},
		{"整改 文号:〔2021〕9号", "文号：〔2021〕9号"},
	}
	for _, tt := range tests {
		if _, err := search.ParseQuery(tt.query); err != nil {
			t.Logf("%s: the query syntax does not take it (%v)", tt.query, err)
			continue
		}
		chips := filterChips(tt.query, func(rest string) string { return rest })
		if len(chips) != 1 || chips[0].Label+"："+chips[0].Value != tt.want || chips[0].Remove != "整改" {
			t.Errorf("%s: chips %+v, want %s removing to 整改", tt.query, chips, tt.want)
		}
	}
}

// TestSearchBoxExamplesFindHits: the search box's example and every
// example of the syntax help find something in the bundled notices.
func TestSearchBoxExamplesFindHits(t *testing.T) {
	_, body, _ := getPage(t, testServer.URL, "/")
	var examples []string
	if m := regexp.MustCompile(`placeholder="例如：([^"]+)"`).FindStringSubmatch(body); m != nil {
		examples = append(examples, html.UnescapeString(m[1]))
	} else {
		t.Error("the search box has no example")
	}
	for _, m := range regexp.MustCompile(`<code>([^<]+)</code>`).FindAllStringSubmatch(body, -1) {
		examples = append(examples, html.UnescapeString(m[1]))
	}
	if len(examples) < 10 {
		t.Fatalf("only %d examples found", len(examples))
	}
	for _, q := range examples {
		if _, err := search.ParseQuery(q); err != nil {
			t.Logf("%s: the query syntax does not take it yet (%v)", q, err)
			continue
		}
		var res search.Result
		if code := get(t, "/api/search?q="+url.QueryEscape(q), &res); code != 200 || res.Total == 0 {
			t.Errorf("the example %q: status %d, %d hits", q, code, res.Total)
		}
	}
}

// TestAttachmentFormatsShown: a notice read from a PDF or an OFD says so
// on the search page and its own page, and a date taken from the file's
// properties (no date in its text) says where it came from.
func TestAttachmentFormatsShown(t *testing.T) {
	pdfData, err := os.ReadFile("../../testdata/formats/notice.pdf")
	if err != nil {
		t.Fatal(err)
	}
	ofd := ofdwrite.Write(ofdwrite.Doc{CreationDate: "2024-3-5", Pages: []ofdwrite.Page{{Paras: []ofdwrite.Para{
		{Text: "关于虚构县开展示范防汛演练的通知", Size: 7.7, Center: true},
		{Text: "各乡镇人民政府：为检验防汛应急预案，县里决定开展示范防汛演练，请各单位认真组织。"},
	}}}})
	srv := serverOf(t, map[string][]byte{"notice.pdf": pdfData, "drill.ofd": ofd})
	for q, want := range map[string][]string{
		"河道清理": {`<span class="fmt" title="原文为 PDF 文件">PDF</span>`},
		"防汛演练": {`<span class="fmt" title="原文为 OFD 文件">OFD</span>`, "2024-03-05（据文件属性）"},
	} {
		_, body, _ := getPage(t, srv.URL, "/?q="+url.QueryEscape(q))
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: the search page lacks %s", q, w)
			}
		}
	}
	if page := noticeLink(t, srv, "河道清理"); !strings.Contains(page, "<dt>原文格式</dt><dd>PDF</dd>") {
		t.Error("the notice page of a PDF does not say it is one")
	}
	if page := noticeLink(t, srv, "防汛演练"); !strings.Contains(page, "2024-03-05（据文件属性中的创建日期）") {
		t.Error("the notice page does not say where its date came from")
	}
}
