package indexer

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"noticesearch/dict"
)

// describe cleans the page into n.Body and fills in n's metadata, taking
// each field from the most explicit place that states it: meta tags and
// crawler headers first, then the lines under the title, then the body's
// head and its signature.
func describe(n *Notice, p page) {
	f := p.fields
	n.Site, n.Column, n.Keywords = f["site"], f["column"], f["keywords"]

	lines := normalizeLines(p.text)
	n.Title = squeezeSpace(f["title"])
	if n.Title == "" {
		n.Title = guessTitle(lines, f["doc_title"])
	}
	body, found := cleanBody(p.text, n.Title)
	if p.pageText != p.text {
		// Date and source lines often sit beside the article, not in it.
		for _, line := range normalizeLines(p.pageText) {
			if isShortLine(line) && (metaLine.MatchString(line) || strings.Contains(line, "来源") || strings.Contains(line, "时间")) {
				readMetaItems(line, found)
			}
		}
	}
	n.Body = strings.Join(body, "\n")
	if !hasProse(n.Body) {
		n.Body = ""
		return
	}

	footDate, footLine, hasFoot := footDateOf(body)
	if !hasFoot {
		footLine = -1
	}
	n.Date = firstDate(f["date"], found["date"], latestDate(f["info"]), footDate)
	n.Source = firstOf(squeezeSpace(f["source"]), found["source"], f["publisher"], f["site"])
	n.DocNumber = normalizeDocNumber(f["doc_number"])
	if n.DocNumber == "" {
		n.DocNumber = docNumberInBody(body)
	}
	n.Issuer = firstOf(
		issuerFromTitle(n.Title),
		issuerFromHead(body, n.Title),
		issuerFromSignature(body, footLine),
		issuerFromInfo(f["info"]),
		orgOrEmpty(compact(f["author"])),
		orgOrEmpty(compact(f["publisher"])),
	)
	g := dict.DefaultGazetteer()
	for _, s := range []string{n.Issuer, n.Title, f["publisher"]} {
		if s == "" {
			continue
		}
		if r := g.Resolve(s); !r.IsZero() {
			n.Region = r
			break
		}
	}
	n.Kind = kindFromTitle(n.Title)
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func firstDate(vals ...string) string {
	for _, v := range vals {
		if d, ok := parseDate(v); ok {
			return d
		}
	}
	return ""
}

// latestDate is the last date a regulation's info block gives: the date
// of the amendment whose text this is.
func latestDate(info string) string {
	latest := ""
	for _, line := range strings.Split(info, "\n") {
		if d, ok := parseDate(line); ok && d > latest {
			latest = d
		}
	}
	return latest
}

func orgOrEmpty(s string) string {
	if looksLikeOrg(s) {
		return s
	}
	return ""
}

// titleCue marks a line that reads like a notice title.
var titleCue = regexp.MustCompile(`关于|(通报|通知|通告|公告|意见|报告|方案|决定|办法|条例|规定|细则|规划|计划|要点|总结|批复|函)$`)

// guessTitle finds the title of a page that does not state it: the line
// above the date/source line, a line that reads like a title, or the
// document's <title> less its site name.
func guessTitle(lines []string, docTitle string) string {
	for i, line := range lines {
		if i > 15 {
			break
		}
		if metaLine.MatchString(line) && isShortLine(line) {
			for j := i - 1; j >= 0; j-- {
				if !isClutter(lines[j]) && utf8.RuneCountInString(lines[j]) <= 100 {
					return lines[j]
				}
			}
		}
	}
	parts := splitDocTitle(docTitle)
	for _, line := range lines[:min(len(lines), 15)] {
		if isClutter(line) || utf8.RuneCountInString(line) > 100 || strings.HasSuffix(line, "。") {
			continue
		}
		for _, p := range parts {
			if p != "" && strings.HasPrefix(compact(line), compact(strings.TrimSuffix(p, "..."))) {
				return line
			}
		}
	}
	if len(parts) > 0 && parts[0] != "" {
		return parts[0]
	}
	for _, line := range lines[:min(len(lines), 8)] {
		if !isClutter(line) && utf8.RuneCountInString(line) <= 80 && titleCue.MatchString(line) && !strings.ContainsAny(line, "。，") {
			return line
		}
	}
	return ""
}

var docTitleSep = regexp.MustCompile(`\s*(?:_|\||｜| - | — | – |--)\s*`)

// splitDocTitle splits "标题_站点名" or "标题 - 栏目 - 站点" and puts the part
// that reads most like a notice title first.
func splitDocTitle(s string) []string {
	s = squeezeSpace(s)
	if s == "" {
		return nil
	}
	parts := docTitleSep.Split(s, -1)
	best := 0
	for i, p := range parts {
		if titleCue.MatchString(p) && !titleCue.MatchString(parts[best]) ||
			utf8.RuneCountInString(p) > utf8.RuneCountInString(parts[best]) && titleCue.MatchString(p) == titleCue.MatchString(parts[best]) {
			best = i
		}
	}
	parts[0], parts[best] = parts[best], parts[0]
	return parts
}
