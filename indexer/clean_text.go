package indexer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// crawlerHeader maps the header block that scrapers put above the page text
// (标题: / 发布时间: / 文号: …, closed by a "=====" line) to our fields.
var crawlerHeader = map[string]string{
	"标题":   "title",
	"发布时间": "date",
	"文号":   "doc_number",
	"发布机构": "publisher",
	"栏目":   "column",
	"原文链接": "url",
}

// readText splits a scraped text file into its crawler header, if any, and
// the page text.
func readText(src string) page {
	p := page{fields: map[string]string{}}
	src = strings.ReplaceAll(src, "\r\n", "\n")
	lines := strings.Split(src, "\n")
	for i, line := range lines {
		if i > 20 {
			break
		}
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "=====") {
			for _, h := range lines[:i] {
				k, v, ok := cutField(h)
				if f, known := crawlerHeader[k]; ok && known && v != "" {
					p.fields[f] = v
				}
			}
			lines = lines[i+1:]
			break
		}
	}
	p.text = strings.Join(lines, "\n")
	p.pageText = p.text
	return p
}

// readMarkdown reads a regulation in Markdown: "# title", an info block
// closed by <!-- INFO END -->, then the articles.
func readMarkdown(src string) page {
	p := page{fields: map[string]string{}}
	src = strings.ReplaceAll(src, "\r\n", "\n")
	head, rest, found := strings.Cut(src, "<!-- INFO END -->")
	if !found {
		head, rest = "", src
	}
	var info []string
	for _, line := range strings.Split(head, "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
		case strings.HasPrefix(t, "# ") && p.fields["title"] == "":
			p.fields["title"] = strings.TrimSpace(t[2:])
		default:
			info = append(info, strings.TrimLeft(t, "#> "))
		}
	}
	if len(info) > 0 {
		p.fields["info"] = strings.Join(info, "\n")
	}
	var lines []string
	for _, line := range strings.Split(rest, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "#") && p.fields["title"] == "" && !found {
			p.fields["title"] = strings.TrimSpace(strings.TrimLeft(t, "#"))
			continue
		}
		// Markdown heading marks are layout, not text.
		lines = append(lines, strings.TrimLeft(t, "# "))
	}
	p.text = strings.Join(lines, "\n")
	p.pageText = p.text
	return p
}

// cutField splits "key: value" with a half- or full-width colon.
func cutField(line string) (key, value string, ok bool) {
	line = strings.TrimSpace(line)
	i := strings.IndexAny(line, ":：")
	if i <= 0 {
		return "", "", false
	}
	_, w := utf8.DecodeRuneInString(line[i:])
	return strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+w:]), true
}

// normalizeLines turns text into trimmed paragraphs, one a line: CRLF and
// lone CR become LF, indentation (full-width spaces, NBSP, tabs) and
// trailing blanks go, runs of blanks inside a line shrink to one space,
// and blank lines go (every line is a paragraph).
func normalizeLines(s string) []string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if line = squeezeSpace(line); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// squeezeSpace trims a line and shrinks its blank runs (full-width
// spaces, NBSP, tabs) to one space. Blanks between CJK words stay: in a
// regulation "第一条　为了…" the blank is what makes 第一条 a heading.
func squeezeSpace(line string) string {
	var b strings.Builder
	b.Grow(len(line))
	pendingSpace := false
	for _, r := range line {
		if isBlank(r) {
			pendingSpace = true
			continue
		}
		if r == utf8.RuneError || r == '\ufeff' || (unicode.IsControl(r) && r != '\t') || unicode.Is(unicode.Cf, r) {
			continue
		}
		if pendingSpace && b.Len() > 0 {
			b.WriteByte(' ')
		}
		pendingSpace = false
		b.WriteRune(r)
	}
	return b.String()
}

// joinCJK drops the blanks between two CJK characters, which only line
// wrapping or a crawler put there: titles and names are read this way.
func joinCJK(s string) string {
	rs := []rune(squeezeSpace(s))
	out := rs[:0]
	for i, r := range rs {
		if isBlank(r) && i > 0 && i+1 < len(rs) && isCJK(rs[i-1]) && isCJK(rs[i+1]) {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

// indexIgnoringBlanks finds sub, which has no blanks, in s, whose blanks
// are skipped, and returns the byte range it spans in s.
func indexIgnoringBlanks(s, sub string) (start, end int, ok bool) {
	if sub == "" {
		return 0, 0, false
	}
	var cs strings.Builder
	var offs []int
	for i, r := range s {
		if isBlank(r) {
			continue
		}
		for k := 0; k < utf8.RuneLen(r); k++ {
			offs = append(offs, i+k)
		}
		cs.WriteRune(r)
	}
	j := strings.Index(cs.String(), sub)
	if j < 0 {
		return 0, 0, false
	}
	return offs[j], offs[j+len(sub)-1] + 1, true
}

func isBlank(r rune) bool {
	return r == ' ' || r == '\t' || r == '\u3000' || r == '\u00a0' || r == '\v' || r == '\f' || unicode.Is(unicode.Zs, r)
}

// isCJK reports Han characters and CJK punctuation, between which a space
// carries no meaning.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		(r >= 0x3000 && r <= 0x303f) || // CJK symbols and punctuation
		(r >= 0xff01 && r <= 0xff60) || // full-width forms
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—' || r == '·'
}

// compact removes all blanks; titles and issuers are compared this way.
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if isBlank(r) || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
}

// Clutter that sites put around an article, as whole lines.
var (
	clutterLine = []*regexp.Regexp{
		regexp.MustCompile(`^(您现在的位置|您当前的位置|当前位置|您的位置|所在位置|现在位置|位置)\s*[：:]`),
		regexp.MustCompile(`^(首页\s*)?([>＞»›]\s*[^。，；>＞]{1,20}\s*)+$`),
		regexp.MustCompile(`^(【[^】]{1,8}】\s*)+$`),
		regexp.MustCompile(`^\[?\s*(打印本页|打印本稿|关闭本页|关闭窗口|返回顶部|打印|关闭|收藏|纠错|返回|TOP)\s*\]?(\s*\[?\s*(打印本页|打印本稿|关闭本页|关闭窗口|返回顶部|打印|关闭|收藏|纠错|返回|TOP)\s*\]?)*$`),
		regexp.MustCompile(`(?i)^produced\s+by`),
		regexp.MustCompile(`(?i)(版权所有|copyright|©|ICP备|ICP证|网站标识码|公网安备|网站地图|主办单位\s*[：:]|承办单位\s*[：:]|技术支持\s*[：:]|建议(?:您)?使用.*浏览器|最佳浏览效果|分辨率)`),
		// A footer's bar of links: "使用帮助 | 联系我们 | 隐私保护".
		regexp.MustCompile(`(使用帮助|联系我们|隐私保护|关于我们|网站地图|网站声明)\s*[|｜]`),
		regexp.MustCompile(`^(分享到|分享)\s*[：:]?`),
		regexp.MustCompile(`^(扫一扫|微信扫一扫|手机扫一扫|用手机扫描二维码)`),
		regexp.MustCompile(`^((微信|微博|QQ空间|QQ好友|腾讯微博|新浪微博|人人网|豆瓣|朋友圈|复制链接)\s*)+$`),
		regexp.MustCompile(`^字号\s*[：:]?\s*(\[?\s*[大中小]?\s*\]?\s*)*$`),
		regexp.MustCompile(`^(浏览次数|阅读次数|访问量|点击数|浏览量)\s*[：:]?\s*\d*\s*$`),
		regexp.MustCompile(`^\d{1,6}$`),
		regexp.MustCompile(`^(上一篇|下一篇|相关链接|相关文章|相关阅读|相关新闻|附件下载|【?相关附件】?)\s*[：:]?`),
	}
	// metaLine is the date/source line under a title:
	// "时间:2021-06-18 来源:浙江省纪委省监委网站 字号:[ ]".
	metaLine  = regexp.MustCompile(`^\s*((发布|发文|成文|印发)?(时间|日期)|来源|信息来源|文章来源|作者|发布者|发布机构|浏览次数|字号)\s*[：:]`)
	metaLabel = regexp.MustCompile(`((?:发布|发文|成文|印发)?(?:时间|日期)|来源|信息来源|文章来源|作者|字号|浏览次数|点击数|阅读次数|发布机构|责任编辑|编辑)\s*[：:]`)
	// Inline clutter at the start or end of one-line scraped pages.
	inlineHead = regexp.MustCompile(`^\s*(?:(?:您现在的位置|您当前的位置|当前位置|您的位置)\s*[：:][^。]*?)?`)
	inlineMeta = regexp.MustCompile(`^\s*(?:(?:(?:发布|发文)?(?:时间|日期)|来源|信息来源|浏览次数|点击数|字号)\s*[：:]\s*(?:\d{4}[-./年]\d{1,2}[-./月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?|\S{0,20})\s*|(?:微信|微博|QQ空间|QQ好友|分享到[：:]?|【?打印】?|【?关闭】?)\s*)+`)
	inlineTail = regexp.MustCompile(`\s*(?:(?:来源|信息来源)\s*[：:]\s*\S{0,30}|附件下载|【?(?:打印本页|关闭窗口|打印|关闭|返回顶部)】?|浏览次数\s*[：:]?\s*\d*)\s*$`)
)

func isClutter(line string) bool {
	// A sentence is never chrome; most lines of a notice end like this.
	if strings.HasSuffix(line, "。") || strings.HasSuffix(line, "；") {
		return false
	}
	for _, re := range clutterLine {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}
