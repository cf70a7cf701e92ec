// Package figures finds the numeric facts notices report: 信访积案449件,
// 办结率100%, 党纪处分21人, 挽回经济损失489万元. A figure is a number
// (Arabic digits or Chinese numerals, 百分之九十五 too) with a unit of
// count, money, area or share, and the label it counts: the words before
// it in its clause (党纪处分21人), or after it where the clause names the
// thing counted behind the number (移交的449件信访积案). Labels are
// normalised through dict's synonyms (给予党纪处分 is 党纪处分). Dates,
// document numbers and article numbers are not figures: their units
// (年, 月, 日, 号, 第…条) are not units here.
package figures

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"noticesearch/dict"
)

// Figure is one numeric fact of a text.
type Figure struct {
	Label    string  `json:"label"`                   // normalised (see dict.FigureLabel)
	Written  string  `json:"written_label,omitempty"` // the label as written, where it differs
	Value    float64 `json:"value"`
	Unit     string  `json:"unit"`             // as written: 人, 件, 万元, % …
	Approx   bool    `json:"approx,omitempty"` // 200余人, 30多件
	Text     string  `json:"text"`             // the figure as written, label included
	Sentence string  `json:"sentence"`         // the sentence that holds it
	Start    int     `json:"start"`            // byte offsets of Text in the text
	End      int     `json:"end"`
}

// units are the units a figure may have, the longest first where one
// starts another.
var units = []string{
	"万人次", "人次", "万人", "万户", "万元", "亿元", "千元", "万亩", "平方公里", "平方米", "公里", "千米", "小时",
	"个工作日", "个月", "批次", "家次",
	"%", "％", "人", "件", "项", "家", "个", "次", "元", "亩", "户", "名", "起", "条", "份", "篇", "场", "批",
	"处", "所", "座", "辆", "台", "套", "吨", "天", "宗", "笔", "例", "轮",
}

// number is a number as figures write it: Arabic (with separators and a
// point, full-width too) or Chinese numerals, then 余 or 多 for an
// approximate one.
var number = regexp.MustCompile(`(?:[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?|[〇○零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟]+(?:点[〇○零一二三四五六七八九]+)?)(余|多)?`)

// percentWords is 百分之九十五 and 百分之12.5.
var percentWords = regexp.MustCompile(`百分之([0-9０-９.．]+|[〇○零一二两三四五六七八九十百点]+)`)

// clauseBreak ends a clause: a label never reaches past one.
func clauseBreak(r rune) bool {
	return strings.ContainsRune("，,。；;：:、（）()《》“”\"'‘’！!？?\n\r\t【】[] 　|/", r)
}

// sentenceBreak ends a sentence.
func sentenceBreak(r rune) bool { return strings.ContainsRune("。；;！!？?\n", r) }

// Extract finds the figures of text, in order.
func Extract(text string) []Figure {
	var out []Figure
	for _, m := range percentWords.FindAllStringSubmatchIndex(text, -1) {
		v, ok := dict.ParseNumber(text[m[2]:m[3]])
		if !ok {
			continue
		}
		label, labelStart := labelBefore(text, m[0])
		if label == "" {
			continue
		}
		out = append(out, figure(text, label, v, "%", false, labelStart, m[1]))
	}
	for _, m := range number.FindAllStringSubmatchIndex(text, -1) {
		start, end := m[0], m[1]
		numEnd := end
		if m[2] >= 0 {
			numEnd = m[2]
		}
		if inside(out, start) || start >= 3 && text[start-3:start] == "之" { // 百分之… done above
			continue
		}
		raw := text[start:numEnd]
		unit := unitAt(text, end)
		// 四百八十九万元: the 万 is the unit's, as in 489万元.
		for _, big := range []string{"万", "亿"} {
			if m[2] < 0 && strings.HasSuffix(raw, big) && len(raw) > len(big) {
				if u := unitAt(text, numEnd-len(big)); strings.HasPrefix(u, big) {
					raw, end, unit = raw[:len(raw)-len(big)], numEnd-len(big), u
				}
			}
		}
		if unit == "" {
			continue
		}
		if excluded(text, start, raw, unit) {
			continue
		}
		v, ok := dict.ParseNumber(raw)
		if !ok {
			continue
		}
		figEnd := end + len(unit)
		label, labelStart := labelBefore(text, start)
		if after, afterEnd := labelAfter(text, figEnd); after != "" && (label == "" || strings.HasSuffix(text[:start], "的") || utf8.RuneCountInString(label) <= 2) {
			// 移交的449件信访积案, 梳理21项重点课题: the thing counted
			// follows.
			label, labelStart = after, start
			figEnd = afterEnd
		}
		if label == "" {
			continue
		}
		out = append(out, figure(text, label, v, unit, m[2] >= 0, labelStart, figEnd))
	}
	sortFigures(out)
	return out
}

func figure(text, label string, v float64, unit string, approx bool, start, end int) Figure {
	f := Figure{Label: dict.FigureLabel(label), Value: v, Unit: unit, Approx: approx, Text: text[start:end], Sentence: sentenceAround(text, start, end), Start: start, End: end}
	if f.Label != label {
		f.Written = label
	}
	return f
}

func inside(fs []Figure, at int) bool {
	for _, f := range fs {
		if at >= f.Start && at < f.End {
			return true
		}
	}
	return false
}

func sortFigures(fs []Figure) {
	slices.SortStableFunc(fs, func(a, b Figure) int { return a.Start - b.Start })
}

// unitAt is the unit that starts text[at:], "" if none.
func unitAt(text string, at int) string {
	rest := text[at:]
	for _, u := range units {
		if strings.HasPrefix(rest, u) {
			// 个 of 个人, 次 of 次年, 条 of 条例 … are not units.
			next, _ := utf8.DecodeRuneInString(rest[len(u):])
			if strings.ContainsRune(notAfterUnit[u], next) {
				return ""
			}
			return u
		}
	}
	return ""
}

// notAfterUnit are characters after which a unit is the start of a word:
// 个人, 次年, 条例, 人民, 件事 ….
var notAfterUnit = map[string]string{
	"个": "人体别性", "次": "年日月要", "条": "例件款", "人": "民员大才力口均事", "件": "事",
	"项": "目", "家": "庭乡属", "名": "单义称录", "起": "来草诉步点", "处": "理置分罚", "所": "在有属以谓",
	"元": "旦素", "批": "准评示复", "场": "所景地", "份": "额", "天": "然气", "台": "湾账风", "户": "籍口",
	"笔": "试", "轮": "巡", "宗": "教旨",
}

// excluded tells the numbers that are not figures: 第十二条, a year (2021
// before 年 is not matched: 年 is no unit, but 二○二一 before anything
// is), a single Chinese digit in a word (一是, 一个中心), a document
// number's.
func excluded(text string, start int, raw, unit string) bool {
	before, _ := utf8.DecodeLastRuneInString(text[:start])
	if before == '第' || before == '〔' || before == '[' {
		return true
	}
	chinese := raw != "" && !unicode.IsDigit(rune(raw[0])) && !strings.HasPrefix(raw, "０")
	if chinese {
		n := utf8.RuneCountInString(raw)
		// A lone digit (一个, 三项) counts only people and cases: elsewhere
		// it is mostly a word (一批, 一次性, 两个维护).
		if n == 1 && !strings.Contains("人件起宗例", unit) || unicode.Is(unicode.Han, before) && n == 1 && strings.ContainsRune("统唯单同万", before) {
			return true
		}
	}
	return false
}

// stripBefore are words a label does not start with; stripAfter, words it
// does not end with (办结率为100%: 办结率).
var (
	stripBefore = []string{"其中", "给予", "共计", "合计", "累计", "总计", "全年", "今年以来", "目前", "先后", "共有", "共", "已", "对", "并", "还", "另有", "另", "分别", "同时", "此外", "全区", "全市", "全县", "及时", "均"}
	stripAfter  = []string{"达到", "为", "达", "是", "共", "计", "约", "超过", "近", "逾", "有", "了", "的", "总数", "共计", "等"}
)

// maxLabel bounds a label's characters: the last ones of a long clause.
const maxLabel = 12

// labelBefore is the label before a number at text[at:]: the clause's
// words before it, less the words of stripBefore and stripAfter; and
// where it starts.
func labelBefore(text string, at int) (string, int) {
	start := at
	n := 0
	for start > 0 && n < maxLabel {
		r, size := utf8.DecodeLastRuneInString(text[:start])
		if clauseBreak(r) || unicode.IsDigit(r) {
			break
		}
		start -= size
		n++
	}
	label := text[start:at]
	// 移交的问题线索18件: what is counted follows the last 的.
	if i := strings.LastIndex(label, "的"); i >= 0 && i+len("的") < len(label) {
		start += i + len("的")
		label = label[i+len("的"):]
	}
	for changed := true; changed; {
		changed = false
		for _, w := range stripBefore {
			if rest, ok := strings.CutPrefix(label, w); ok && rest != "" {
				label, start, changed = rest, start+len(w), true
			}
		}
		for _, w := range stripAfter {
			if rest, ok := strings.CutSuffix(label, w); ok && rest != "" {
				label, changed = rest, true
			}
		}
	}
	if !hasHan(label) {
		return "", at
	}
	return label, start
}

// labelAfter is the thing counted after a figure's unit, up to the end of
// its clause, if it is short and holds no number: 449件信访积案.
func labelAfter(text string, at int) (string, int) {
	end := at
	n := 0
	for end < len(text) {
		r, size := utf8.DecodeRuneInString(text[end:])
		if clauseBreak(r) {
			break
		}
		if unicode.IsDigit(r) || dict.IsNumeral(r) && n > 0 && r != '一' {
			return "", at
		}
		end += size
		n++
	}
	label := text[at:end]
	if n == 0 || n > 8 || strings.HasSuffix(label, "的") {
		return "", at
	}
	if !hasHan(label) {
		return "", at
	}
	return label, end
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// sentenceAround is the sentence of text that holds [start, end).
func sentenceAround(text string, start, end int) string {
	s := start
	for s > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:s])
		if sentenceBreak(r) {
			break
		}
		s -= size
	}
	e := end
	for e < len(text) {
		r, size := utf8.DecodeRuneInString(text[e:])
		e += size
		if sentenceBreak(r) {
			break
		}
	}
	return strings.TrimSpace(text[s:e])
}
