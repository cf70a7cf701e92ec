package indexer

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// A line this long, or holding two sentences, is prose: never clutter.
const maxClutterRunes = 120

func isShortLine(line string) bool {
	return utf8.RuneCountInString(line) <= maxClutterRunes && strings.Count(line, "。") < 2
}

// cleanBody turns page text into the notice body, one paragraph a line:
// it drops site clutter (breadcrumbs, share widgets, print/close links,
// footers), the title line and the date/source line under it, whose
// values it returns in found ("date", "source"). What stands above the
// title is dropped as navigation, unless the text is a formal document's
// (read from Word, OFD or PDF), whose head (版头, 发文字号) or form fields
// are its own.
func cleanBody(text, title string, formal bool) (lines []string, found map[string]string) {
	found = map[string]string{}
	ct := compact(title)
	for _, line := range normalizeLines(stripOfficeJunk(text)) {
		if isShortLine(line) {
			if isClutter(line) {
				continue
			}
			if metaLine.MatchString(line) {
				readMetaItems(line, found)
				continue
			}
			if ct != "" && compact(line) == ct && len(lines) <= 6 && allShort(lines) {
				if !formal {
					lines = lines[:0] // what stood above the title was navigation
				}
				continue
			}
			// A title set over two lines, as a long one is centred in a
			// formal document.
			if n := len(lines); formal && ct != "" && n > 0 && n <= 7 && isShortLine(lines[n-1]) && compact(lines[n-1])+compact(line) == ct {
				lines = lines[:n-1]
				continue
			}
		}
		lines = append(lines, line)
	}
	if len(lines) > 0 {
		lines[0] = trimInlineHead(lines[0], ct, found)
		last := len(lines) - 1
		lines[last] = trimInlineTail(trimInlineFooter(lines[last], found), found)
	}
	out := lines[:0]
	for _, l := range lines {
		if l != "" {
			out = append(out, l)
		}
	}
	return out, found
}

// sourceTail is page chrome that follows a source name on one-line pages.
var sourceTail = regexp.MustCompile(`(附件下载|附件|【.*|打印.*|关闭.*|浏览.*)$`)

func allShort(lines []string) bool {
	for _, l := range lines {
		if utf8.RuneCountInString(l) > 40 || strings.Contains(l, "。") {
			return false
		}
	}
	return true
}

// readMetaItems records the date and source of a line like
// "时间:2021-06-18 来源:浙江省纪委省监委网站 字号:[ ]". A value runs to the
// next label, since blanks between CJK words may already be gone.
func readMetaItems(line string, found map[string]string) {
	labels := metaLabel.FindAllStringSubmatchIndex(line, -1)
	for i, m := range labels {
		end := len(line)
		if i+1 < len(labels) {
			end = labels[i+1][0]
		}
		key, val := line[m[2]:m[3]], strings.TrimSpace(line[m[1]:end])
		switch {
		case val == "":
		case strings.Contains(key, "来源"):
			if found["source"] == "" {
				found["source"] = sourceTail.ReplaceAllString(strings.Fields(val)[0], "")
			}
		case strings.Contains(key, "时间") || strings.Contains(key, "日期"):
			if d, ok := parseDate(val); ok && found["date"] == "" {
				found["date"] = d
			}
		}
	}
}

// trimInlineHead strips the clutter that a one-line page carries before
// its text: the breadcrumb up to the title, the date, share buttons.
func trimInlineHead(line, compactTitle string, found map[string]string) string {
	crumb := false
	if loc := inlineHead.FindStringIndex(line); loc != nil && loc[1] > loc[0] {
		crumb = true
		rest := line[loc[1]:]
		if start, end, ok := indexIgnoringBlanks(rest[:min(len(rest), 1200)], compactTitle); ok && start < 600 {
			line = rest[end:]
		}
	}
	// Share buttons glue onto the text ("微信微博 QQ空间岚综管综…"): strip them
	// only where a breadcrumb or a date label shows this is page chrome.
	if !crumb && !metaLine.MatchString(line) {
		return line
	}
	for {
		loc := inlineMeta.FindStringIndex(line)
		if loc == nil || loc[1] == 0 {
			break
		}
		readMetaItems(line[:loc[1]], found)
		line = line[loc[1]:]
	}
	return strings.TrimSpace(line)
}

// trimInlineTail strips "来源：中国平潭 附件下载" and print links from the end
// of a one-line page.
func trimInlineTail(line string, found map[string]string) string {
	for {
		// The chrome sits in the last few hundred bytes; do not scan a
		// one-line page from its start for an anchored-at-end pattern.
		from := tailStart(line, 400)
		loc := inlineTail.FindStringIndex(line[from:])
		if loc == nil || from+loc[0] == len(line) {
			return strings.TrimSpace(line)
		}
		readMetaItems(line[from+loc[0]:], found)
		line = line[:from+loc[0]]
	}
}

// tailStart is the start of the last n bytes of s, moved forward to a
// rune boundary.
func tailStart(s string, n int) int {
	i := max(0, len(s)-n)
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return i
}

// Footers on one-line pages: the site's links, record numbers and owner
// glued to the end of the article ("…2016年9月16日印发 来源：… 附件下载
// 扫一扫在手机上查看当前页面 关闭 … 相关链接 … 网站标识码：… 闽ICP备… 版权所有：…
// 主办单位：…").
var (
	// footerMark is what only a site footer says: a record number, the
	// site's identification code, its copyright and owner.
	footerMark = regexp.MustCompile(`[京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵云陕甘青蒙桂藏宁新]ICP[备证]|ICP[备证]\s*\d|网站标识码|公网安备|公安备案号|版权所有|Copyright|©|(?:主办|承办)单位\s*[：:]|技术支持\s*[：:]`)
	// footerStart is the page chrome that opens a footer run, before its
	// record numbers: the source line, download and print links, link lists.
	footerStart = regexp.MustCompile(`(?:来源|信息来源)\s*[：:]|附件下载|扫一扫|【?打印(?:本页)?】?|【?关闭(?:窗口|本页)?】?|相关链接|友情链接|网站地图|使用帮助|联系我们|关于我们`)
)

// maxFooterBytes bounds the tail of a line looked at for a footer: the
// longest seen (pingtan) is some 1,500 bytes.
const maxFooterBytes = 4 << 10

// trimInlineFooter cuts a site footer off the end of a one-line page. It
// acts only where a footer mark (闽ICP备, 网站标识码, 版权所有 …) sits in the
// last few KiB after the last sentence, and cuts at the first piece of
// chrome that opens the run (来源：, 附件下载, 相关链接 …), else at the mark.
// The date and source in the cut part are still read.
func trimInlineFooter(line string, found map[string]string) string {
	from := tailStart(line, maxFooterBytes)
	loc := footerMark.FindStringIndex(line[from:])
	if loc == nil {
		return line
	}
	mark := from + loc[0]
	// The footer starts after the article's last sentence.
	start := from
	if i := strings.LastIndexAny(line[from:mark], "。！？"); i >= 0 {
		start = from + i + len("。")
	}
	cut := mark
	if c := footerStart.FindStringIndex(line[start:mark]); c != nil {
		cut = start + c[0]
	}
	if !hasProse(line[:cut]) {
		return line // nothing of an article before it: not a footer
	}
	readMetaItems(line[cut:mark], found)
	return strings.TrimSpace(line[:cut])
}
