package indexer

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// A formal document (党政机关公文, GB/T 9704) opens with its 版头: the
// issuer's name as a header (…文件), the 份号, 密级 and 紧急程度, then the
// 发文字号 (路卫发〔2011〕76号), and under it the title. Word and OFD
// files keep that layout, which their text shows line by line: formalHead
// reads the number and the title from it.

// docNumberLine is a line that is a 发文字号 alone: an issuer's short name,
// the year in 〔〕 (or [] or ()), a number (X for a template's), 号.
var docNumberLine = regexp.MustCompile(`^[\p{Han}A-Za-z0-9]{1,16}[〔\[［(（][0-9]{4}[〕\]］)）][0-9XxＸ]{0,6}号$`)

// kindEnd is a title's last words: the kind of document.
var kindEnd = regexp.MustCompile(`(` + formalKinds + `)$`)

// formalKinds are the kinds of formal documents (GB/T 9704's 文种 and
// their kin), as alternatives of a pattern.
const formalKinds = `通知|通报|批复|函|意见|报告|请示|决定|公告|通告|纪要|方案|办法|规定|细则|决议|命令|议案`

// formalHead is the 发文字号 of text's head and the title under it, or ""
// for what it does not find (the first 15 lines are read).
func formalHead(text string) (title, docNumber string) {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.Join(strings.Fields(l), ""); l != "" {
			lines = append(lines, l)
		}
		if len(lines) == 15 {
			break
		}
	}
	for i, l := range lines {
		if !docNumberLine.MatchString(l) {
			continue
		}
		docNumber = l
		if i+1 < len(lines) {
			title = lines[i+1]
			// A title wrapped onto a second line, which ends it.
			if !kindEnd.MatchString(title) && i+2 < len(lines) && kindEnd.MatchString(lines[i+2]) && len([]rune(lines[i+2])) < 30 {
				title += lines[i+2]
			}
			if strings.HasSuffix(title, "：") || strings.HasSuffix(title, ":") || len([]rune(title)) > 60 {
				title = "" // a salutation or a paragraph: no title here
			}
		}
		return title, docNumber
	}
	return "", ""
}

// pageNumberLine is a line that is a page number alone, as the footers of
// Word (a PAGE field: "–– PAGE 4 ––") and OFD's page furniture ("––1––",
// "- 3 -") leave in a document's text, or "第 3 页", "第3页 共30页". A bare
// number is not one: in a form or a table it is a figure.
var pageNumberLine = regexp.MustCompile(`^(?:[-–—‒―－]+\s*(?:PAGE\s*)?[0-9]{1,4}\s*[-–—‒―－]+|第\s*[0-9]{1,4}\s*页(?:\s*[，,]?\s*共\s*[0-9]{1,4}\s*页)?|共\s*[0-9]{1,4}\s*页\s*第\s*[0-9]{1,4}\s*页)$`)

// dropPageNumbers removes the lines of text that are page numbers alone.
func dropPageNumbers(text string) string {
	lines := strings.Split(text, "\n")
	kept := lines[:0]
	for _, l := range lines {
		if !pageNumberLine.MatchString(strings.TrimSpace(l)) {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, "\n")
}

// coverKind is the last words of a report's or a budget's title on its
// cover: the kinds of kindEnd and those documents published as files.
var coverKind = regexp.MustCompile(`(` + formalKinds + `|决算|预算|规划|计划|总结|公报|要点|年报)$`)

// coverTitle is the title set over a document's first lines, as a report,
// a budget or a final account prints it on its cover (洪泽区人民政府 /
// 2023年政府信息公开工作年度报告; 中共上海市普陀区委 / 社会工作部2024年度 /
// 部门决算): the first lines joined up to the one that ends with a
// document's kind, each short and no sentence; "" if they do not end so
// within four lines.
func coverTitle(text string) string {
	var title strings.Builder
	n := 0
	for _, l := range strings.Split(text, "\n") {
		l = strings.Join(strings.Fields(l), "")
		if l == "" {
			continue
		}
		if n++; n > 4 || utf8.RuneCountInString(l) > 40 || strings.ContainsAny(l, "。，；：,;:") || docNumberLine.MatchString(l) || headingStart.MatchString(l) {
			return ""
		}
		title.WriteString(l)
		if coverKind.MatchString(l) {
			if t := title.String(); utf8.RuneCountInString(t) <= 80 {
				return t
			}
			return ""
		}
	}
	return ""
}

// headingStart is the number a heading opens with: 一、 （一） 1. 第一章.
var headingStart = regexp.MustCompile(`^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|[0-9]+[.．、]|第[一二三四五六七八九十百]+[章节条部分])`)

// coverIssuer is the body a cover title names before its year
// (洪泽区人民政府 of 洪泽区人民政府2023年…年度报告), or the one a budget's
// cover names on a line of its own (预算主管部门：上海市普陀区人民政府办公室);
// "" if neither is an organisation's name.
func coverIssuer(title, text string) string {
	if m := yearIn.FindStringIndex(title); m != nil && looksLikeOrg(title[:m[0]]) {
		return title[:m[0]]
	}
	n := 0
	for _, l := range strings.Split(text, "\n") {
		if l = strings.Join(strings.Fields(l), ""); l == "" {
			continue
		}
		if n++; n > 6 {
			break
		}
		if m := issuerLine.FindStringSubmatch(l); m != nil && looksLikeOrg(m[1]) {
			return m[1]
		}
	}
	return ""
}

var (
	yearIn     = regexp.MustCompile(`[0-9]{4}年`)
	issuerLine = regexp.MustCompile(`^(?:预算主管部门|主管部门|编制单位|编报单位|单位名称|部门名称)[:：](.+)$`)
)
