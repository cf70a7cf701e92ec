package indexer

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// orgSuffix ends the name of an issuing body.
var orgSuffix = regexp.MustCompile(`(委员会|管委会|委|政府|常委会|办公室|办公厅|局|厅|部|院|署|处|室|办|组|会|中心|所|站|队|公司|支部|党组|总队|法院|检察院|联合会|协会)$`)

// looksLikeOrg reports whether s could be the name of an issuing body.
func looksLikeOrg(s string) bool {
	n := utf8.RuneCountInString(s)
	// Names hold no sentence punctuation and no Arabic digits: a line with
	// them is an attachment list or a sentence, not a signature.
	return n >= 2 && n <= 60 && orgSuffix.MatchString(s) && !strings.ContainsAny(s, "，。；！？：,;!?《》“”\"0123456789")
}

// issuerFromTitle takes X from a title "X关于…": 中共温州市瓯海区委关于…的通报.
func issuerFromTitle(title string) string {
	before, _, found := strings.Cut(compact(title), "关于")
	if !found {
		return ""
	}
	// Joint notices list their issuers separated by 、 or blanks.
	if looksLikeOrg(strings.ReplaceAll(before, "、", "")) {
		return before
	}
	return ""
}

// issuerFromHead finds the issuer in a formal title repeated at the head
// of the body, after the document number: "岚综管综〔2015〕188号平潭综合实验区管委会关于…".
func issuerFromHead(lines []string, title string) string {
	t := compact(title)
	rest, ok := strings.CutPrefix(t, "关于")
	if !ok || len(lines) == 0 {
		return ""
	}
	for _, line := range lines[:min(3, len(lines))] {
		c := compact(line)
		i := strings.Index(c, "关于"+rest)
		if i <= 0 {
			continue
		}
		head := c[:i]
		if m := docNumber.FindStringIndex(head); m != nil {
			head = head[m[1]:]
		}
		if looksLikeOrg(head) {
			return head
		}
	}
	return ""
}

var sentenceEnd = regexp.MustCompile(`[。；！？：;!?:]`)

// issuerFromSignature reads the body's signature: the name before the
// foot date, on its line or the line above ("平潭综合实验区管委会2015年9月16日").
func issuerFromSignature(lines []string, footLine int) string {
	if footLine < 0 || footLine >= len(lines) {
		return ""
	}
	line := lines[footLine]
	m := footDate.FindStringIndex(line)
	if m == nil {
		return ""
	}
	before := line[:m[0]]
	if locs := sentenceEnd.FindAllStringIndex(before, -1); len(locs) > 0 {
		before = before[locs[len(locs)-1][1]:]
	}
	// A signature after an attachment list ("附件：…方案 平潭…局") keeps only its last word.
	before = strings.TrimSpace(before)
	if i := strings.LastIndex(before, " "); i >= 0 && strings.Contains(before[:i], "附件") {
		before = before[i+1:]
	}
	if c := compact(before); looksLikeOrg(c) {
		return c
	}
	if before == "" && footLine > 0 {
		if c := compact(lines[footLine-1]); looksLikeOrg(c) {
			return c
		}
	}
	return ""
}

// issuerFromInfo reads a regulation's adoption line: "2020年5月14日
// 上海市第十五届人民代表大会常务委员会第二十一次会议通过" → 上海市人民代表大会常务委员会;
// "国家市场监督管理总局令第49号公布" → 国家市场监督管理总局.
var (
	infoCongress = regexp.MustCompile(`([\p{Han}]+?)(?:第[一二三四五六七八九十]+届)?(人民代表大会常务委员会|人民代表大会)`)
	infoDecree   = regexp.MustCompile(`([\p{Han}]+?)令`)
	infoMeeting  = regexp.MustCompile(`([\p{Han}]+?(?:人民政府|委员会))第[\d一二三四五六七八九十百]+次(?:常务|全体)?会议`)
	infoLead     = regexp.MustCompile(`^[\s\d年月日（(]*`)
)

func issuerFromInfo(info string) string {
	first, _, _ := strings.Cut(info, "\n")
	first = infoLead.ReplaceAllString(width.Fold.String(first), "")
	if m := infoCongress.FindStringSubmatch(first); m != nil {
		return m[1] + m[2]
	}
	if m := infoMeeting.FindStringSubmatch(first); m != nil {
		return m[1]
	}
	if m := infoDecree.FindStringSubmatch(first); m != nil && looksLikeOrg(m[1]) {
		return m[1]
	}
	return ""
}
