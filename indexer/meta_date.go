package indexer

import (
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/width"
)

var (
	arabicDate  = regexp.MustCompile(`(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})`)
	chineseDate = regexp.MustCompile(`([〇零○Ｏ０Oo一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日`)
	// A date standing alone at the end of a line, as under a signature.
	footDate = regexp.MustCompile(`(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零○Ｏ０Oo一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*(印发|发布)?\s*$`)
)

// parseDate finds the first date in s and returns it as YYYY-MM-DD.
// It accepts 2021-06-18, 2021/6/18, 2021.6.18, 2021年6月18日, full-width
// digits and 二〇二一年六月十八日.
func parseDate(s string) (string, bool) {
	s = width.Fold.String(s)
	type found struct {
		at      int
		y, m, d int
	}
	var best *found
	if m := arabicDate.FindStringSubmatchIndex(s); m != nil {
		best = &found{m[0], atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]), atoi(s[m[6]:m[7]])}
	}
	if m := chineseDate.FindStringSubmatchIndex(s); m != nil && (best == nil || m[0] < best.at) {
		best = &found{m[0], chineseYear(s[m[2]:m[3]]), chineseNumber(s[m[4]:m[5]]), chineseNumber(s[m[6]:m[7]])}
	}
	if best == nil {
		return "", false
	}
	t := time.Date(best.y, time.Month(best.m), best.d, 0, 0, 0, 0, time.UTC)
	if best.y < 1949 || best.y > 2100 || t.Month() != time.Month(best.m) || t.Day() != best.d {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

var chineseDigit = map[rune]int{'〇': 0, '零': 0, '○': 0, 'Ｏ': 0, 'O': 0, 'o': 0, '０': 0, '0': 0,
	'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

// chineseYear reads a year written digit by digit: 二〇二一 → 2021.
func chineseYear(s string) int {
	y := 0
	for _, r := range s {
		y = y*10 + chineseDigit[r]
	}
	return y
}

// chineseNumber reads 1–99 in Chinese numerals: 六, 十, 十八, 二十, 二十三.
func chineseNumber(s string) int {
	tens, ones, found := strings.Cut(s, "十")
	if !found {
		return chineseDigit[[]rune(s + "〇")[0]]
	}
	t := 1
	if tens != "" {
		t = chineseDigit[[]rune(tens)[0]]
	}
	o := 0
	if ones != "" {
		o = chineseDigit[[]rune(ones)[0]]
	}
	return t*10 + o
}

// footDateOf returns the date under the signature: a date that ends one of
// the last lines of the body.
func footDateOf(lines []string) (string, int, bool) {
	for i := len(lines) - 1; i >= 0 && i >= len(lines)-4; i-- {
		line := strings.TrimSpace(lines[i])
		line = line[tailStart(line, 120):]
		if m := footDate.FindStringIndex(line); m != nil {
			if d, ok := parseDate(line[m[0]:m[1]]); ok {
				return d, i, true
			}
		}
	}
	return "", 0, false
}

// Where a notice's date was read (Notice.DateFrom).
const (
	DateFromPage     = "page"     // the page states it: meta tags, a crawler header, a date line, the signature
	DateFromFileName = "filename" // only the file's name holds it, as a site's publishing system named the page
	// DateFromProperties: only the document's properties hold it (a PDF's
	// creation date): when the file was made, not when the notice was
	// issued, so a page and a file name come first.
	DateFromProperties = "properties"
)

// fileNameDay is a date in a file name as content systems write them:
// TRS pages are t20230914_296107.html, others 2023-09-14-….html or
// 20230914_….html.
var fileNameDay = regexp.MustCompile(`^t?((?:19|20)\d{2})(\d{2})(\d{2})_|^((?:19|20)\d{2})-(\d{2})-(\d{2})(?:[-_.]|$)`)

// fileNameDate returns the date a file's name holds, or "". Only a whole
// day counts: 202110 in 28687_bmwj_202110.txt is a month of publication,
// and a number inside a name may be anything.
func fileNameDate(path string) string {
	name := filepath.Base(filepath.ToSlash(path))
	m := fileNameDay.FindStringSubmatch(name)
	if m == nil {
		return ""
	}
	y, mo, d := m[1], m[2], m[3]
	if y == "" {
		y, mo, d = m[4], m[5], m[6]
	}
	if day, ok := parseDate(y + "-" + mo + "-" + d); ok {
		return day
	}
	return ""
}
