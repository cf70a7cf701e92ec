package indexer

import (
	"regexp"
	"strings"
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
var kindEnd = regexp.MustCompile(`(通知|通报|批复|函|意见|报告|请示|决定|公告|通告|纪要|方案|办法|规定|细则|决议|命令|议案)$`)

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
