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
// values it returns in found ("date", "source").
func cleanBody(text, title string) (lines []string, found map[string]string) {
	found = map[string]string{}
	ct := compact(title)
	for _, line := range normalizeLines(text) {
		if isShortLine(line) {
			if isClutter(line) {
				continue
			}
			if metaLine.MatchString(line) {
				readMetaItems(line, found)
				continue
			}
			if ct != "" && compact(line) == ct && len(lines) <= 6 && allShort(lines) {
				lines = lines[:0] // what stood above the title was navigation
				continue
			}
		}
		lines = append(lines, line)
	}
	if len(lines) > 0 {
		lines[0] = trimInlineHead(lines[0], ct, found)
		last := len(lines) - 1
		lines[last] = trimInlineTail(lines[last], found)
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
