package indexer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"noticesearch/dict"
)

// Pages that lost their line breaks run each heading into its text:
// 「一、工作目标以习近平总书记…为指导，…」, 「…副主任科员二、安全专项检查…」.
// Two things still show where a heading starts and ends: the numbering
// (二、 comes after 一、) and the names of the standard parts of a notice
// (工作目标, 基本原则, 保障措施 …, dict/headings.txt), which headings on
// well-formed pages stand alone.

// shortHeadingRunes: a heading alone on a line this short is whole as it
// stands ("一、工作目标任务"), whatever word it starts with.
const shortHeadingRunes = 20

// headingTail ends a heading that names what a part reports on:
// 主要任务完成情况, 工作要求落实方面.
var headingTail = regexp.MustCompile(`(情况|方面|问题|进展|成效|落实)$`)

// maxBlankHeadingRunes: on a one-line page a blank this close after the
// marker ends the heading: "一、整改工作开展情况 镇党委召开专题会议6次…".
const maxBlankHeadingRunes = 25

// runOnHeadingEnd finds where a heading that runs into its text ends, if
// it does: after the part name it starts with (headingWordEnd), or at the
// blank that the page left after it, whichever comes first. A blank right
// after a longer name than the list knows wins: 「三、下一步工作打算 镇党委…」.
func runOnHeadingEnd(body string, from, end, lineEnd int) (int, bool) {
	if end == lineEnd && utf8.RuneCountInString(body[from:end]) <= shortHeadingRunes {
		return 0, false
	}
	word, byWord := headingWordEnd(body, from, end, lineEnd)
	blank, byBlank := headingBlankEnd(body, from, end)
	switch {
	case byWord && byBlank && blank > word && utf8.RuneCountInString(body[word:blank]) <= 4:
		return blank, true
	case byWord && byBlank:
		return min(word, blank), true
	case byWord:
		return word, true
	default:
		return blank, byBlank
	}
}

// blankHeadingTail ends a heading that a blank may end on its own: the
// words that close the names of parts (…开展情况, …预防教育, …保障措施).
// A blank after other words is as likely a line wrap kept from a PDF
// ("国民经济和社会发展 计划主要指标").
var blankHeadingTail = regexp.MustCompile(`(?:情况|方面|问题|措施|工作|要求|目标|任务|原则|教育|管理|建设|检查|治理|机制|责任|领导|保障|值守)$`)

// headingBlankEnd finds the first blank within maxBlankHeadingRunes of the
// marker (those right after it aside), with at least ten more runes of
// text after it before the heading would end, after a heading that reads
// whole: no punctuation, no bracket or quote left open, a part's closing
// word.
func headingBlankEnd(body string, from, end int) (int, bool) {
	i, runes, seen := from, 0, false
	for i < end && runes <= maxBlankHeadingRunes {
		r, w := utf8.DecodeRuneInString(body[i:])
		if isBlank(r) && seen {
			before := strings.TrimSpace(body[from:i])
			if utf8.RuneCountInString(strings.TrimSpace(body[i:end])) < 10 || !blankHeadingTail.MatchString(before) {
				return 0, false
			}
			return i, true
		}
		if unicode.IsPunct(r) {
			return 0, false
		}
		seen = seen || !isBlank(r)
		i += w
		runes++
	}
	return 0, false
}

// headingWordEnd finds where a heading that runs into its text ends: after
// the part name it starts with, when text follows that is no part of the
// name. from is the end of the marker; end is where the heading would end
// otherwise (a sentence stop or the line's end, lineEnd).
func headingWordEnd(body string, from, end, lineEnd int) (int, bool) {
	start := from
	for start < end {
		r, w := utf8.DecodeRuneInString(body[start:])
		if !isBlank(r) {
			break
		}
		start += w
	}
	n := dict.HeadingPrefix(body[start:end])
	if n == 0 || start+n >= end {
		return 0, false
	}
	if end == lineEnd && utf8.RuneCountInString(body[from:end]) <= shortHeadingRunes {
		return 0, false
	}
	cut := start + n
	rest := body[cut:end]
	// The name goes on: 工作目标和任务, 组织领导小组, 时间安排（9月）, 主要任务是….
	if next, _ := utf8.DecodeRuneInString(rest); strings.ContainsRune("和与及、的之是等（(", next) || strings.HasPrefix(rest, "小组") {
		return 0, false
	}
	if tail := strings.TrimSpace(rest); utf8.RuneCountInString(tail) <= 8 && headingTail.MatchString(tail) {
		return 0, false
	}
	return cut, true
}

// nextInList accepts a 一、 style marker that follows a character with no
// punctuation when it is the next number of the list open above it
// (二、 after 一、): the heading before ended without a stop, as a list
// of names does. Lists inside sentences stay text: 二、三产业 (a numeral
// follows), 第二、三批 and 一、二类 (第 or 、 comes before). It returns the
// marker trimmed to its number ("统一二、" is 一 and then 二、).
func nextInList(body string, m marker, stack []openHeading) (marker, bool) {
	if m.style != styleCN {
		return m, false
	}
	open := 0
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].style == styleCN {
			open = stack[i].ordinal
			break
		}
	}
	// The numeral run may take in a character of the text before it:
	// "统一二、" reads as 一二, whose last numeral is the number.
	num, want := strings.TrimRight(body[m.start:m.end], "、．"), cnNumeral(open+1)
	if open < 1 || want == "" || !strings.HasSuffix(num, want) {
		return m, false
	}
	m.start += len(num) - len(want)
	m.ordinal = open + 1
	prev, _ := utf8.DecodeLastRuneInString(body[:m.start])
	return m, unicode.Is(unicode.Han, prev) && inlineListMarker(body, m)
}

// inlineListMarker reports whether a 一、 marker inside running text may
// number a heading rather than a list of numbers: 二、三产业 (a numeral
// follows), 第二、三批, 十二、 and 一、二类 (第, a numeral or 、 comes before)
// are numbers.
func inlineListMarker(body string, m marker) bool {
	prev, _ := utf8.DecodeLastRuneInString(body[:m.start])
	if prev == '第' || prev == '十' || prev == '百' || prev == '、' {
		return false
	}
	next, _ := utf8.DecodeRuneInString(body[m.end:])
	return !strings.ContainsRune(cnNumerals+"两百千零〇", next)
}

// cnNumeral writes 1–99 in Chinese numerals as headings number them: 二,
// 十, 十二, 二十, 二十三.
func cnNumeral(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n > 99:
		return ""
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	default:
		return digits[n/10] + "十" + digits[n%10]
	}
}

// maxSubheadRunes: a longer bold paragraph is an emphasised passage, not
// a heading.
const maxSubheadRunes = 120

// subheadSections cuts a body without numbered headings at its subheads,
// the lines the page set apart as headings: bold paragraphs in an article
// (「紧盯…问题，深挖彻查问题线索」). Bold lines before the first sentence are
// the article's title, lead and byline; a subhead right under another one
// ("抽丝剥茧循线追踪——" over its second line) continues its heading. It
// returns nil unless there are two subheads at least.
func subheadSections(body string, subheads []string) []Section {
	want := map[string]bool{}
	for _, h := range subheads {
		if h = strings.TrimSpace(h); h != "" && utf8.RuneCountInString(h) <= maxSubheadRunes {
			want[h] = true
		}
	}
	type head struct {
		start, end int // the heading's lines
		heading    string
	}
	var heads []head
	prose, under := false, false
	for pos := 0; pos < len(body); {
		lineEnd := len(body)
		if i := strings.IndexByte(body[pos:], '\n'); i >= 0 {
			lineEnd = pos + i
		}
		line := strings.TrimSpace(body[pos:lineEnd])
		switch {
		case prose && want[line] && under:
			h := &heads[len(heads)-1]
			if strings.HasSuffix(h.heading, "——") || strings.HasSuffix(h.heading, "：") {
				h.heading += line
			}
			h.end = lineEnd
		case prose && want[line]:
			heads = append(heads, head{pos, lineEnd, line})
			under = true
		default:
			under = false
			prose = prose || strings.ContainsAny(line, "。！？")
		}
		pos = lineEnd + 1
	}
	// A subhead with nothing under it ends the article: it heads nothing.
	if n := len(heads); n > 0 && strings.TrimSpace(body[heads[n-1].end:]) == "" {
		heads = heads[:n-1]
	}
	if len(heads) < 2 {
		return nil
	}
	secs := make([]Section, 0, len(heads)+1)
	secs = append(secs, Section{Start: 0, End: heads[0].start})
	for i, h := range heads {
		end := len(body)
		if i+1 < len(heads) {
			end = heads[i+1].start
		}
		heading := h.heading
		if rs := []rune(heading); len(rs) > 80 {
			heading = string(rs[:80]) + "…"
		}
		secs = append(secs, Section{Start: h.start, End: end, Level: 1, Heading: heading, Path: []string{heading}})
	}
	return secs
}
