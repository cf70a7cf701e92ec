package indexer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Section is one part of a notice under one heading. Its Text runs from its
// heading (included) to the next heading, so a notice's sections, in
// order, concatenate to its body.
type Section struct {
	ID       string   `json:"id"`
	NoticeID string   `json:"notice_id"`
	Seq      int      `json:"seq"`     // position in the notice, the preamble is 0
	Level    int      `json:"level"`   // depth in the heading tree; 0 for the preamble and the closing part
	Ordinal  int      `json:"ordinal"` // the heading's number: 3 for 三、 or (三); 0 without heading
	Heading  string   `json:"heading"`
	Path     []string `json:"path"` // headings from the root to this section, itself included
	Text     string   `json:"text"`
	Start    int      `json:"start"` // byte offsets of Text in the notice body
	End      int      `json:"end"`
}

// Label names a section where its heading is shown: its heading, else
// [导语] for the text before the first heading, [结尾] for a part after
// them that has none.
func (s Section) Label() string {
	switch {
	case s.Heading != "":
		return s.Heading
	case s.Seq == 0:
		return "[导语]"
	}
	return "[结尾]"
}

// headingStyle is one kind of numbered heading. Lower ranks nest outside
// higher ones: 一、 holds (一), which holds 1., which holds (1).
type headingStyle struct {
	rank int
	// continuous styles number on across their parents: articles (第十一条)
	// do not restart in a new chapter, chapters do not restart in a new part.
	continuous bool
}

var (
	styleBian     = headingStyle{rank: 0, continuous: true}
	styleZhang    = headingStyle{rank: 1, continuous: true}
	styleJie      = headingStyle{rank: 2}
	styleTiao     = headingStyle{rank: 3, continuous: true}
	styleCN       = headingStyle{rank: 4} // 一、
	styleParenCN  = headingStyle{rank: 5} // （一）
	styleNum      = headingStyle{rank: 6} // 1.  1、 1．
	styleParenNum = headingStyle{rank: 7} // （1）
)

// sentenceStop ends a sentence or clause after which a heading may start
// inline, and ends a heading's text.
func sentenceStop(r rune) bool {
	switch r {
	case '。', '；', '！', '？', '：', ';', '!', '?', ':':
		return true
	}
	return false
}

// closingCue starts the part after the last numbered heading.
var closingCue = regexp.MustCompile(`^(下一步|今后|欢迎广大|特此|附件[：:]|联系人|联系电话|联系方式|抄送|抄报)`)

type marker struct {
	start, end int // byte range of the marker in the body
	style      headingStyle
	ordinal    int
}

type openHeading struct {
	style   headingStyle
	ordinal int
	heading string
	section int  // index into sections
	runOn   bool // the heading ran into its text and was cut where it ends
}

// splitSections cuts a body into its heading tree. A numbered marker is a
// heading only where it may start one (at a line start, after a sentence,
// right after the text of the heading above it, or as the next number of
// its list right after a Chinese character) and where its number follows
// plausibly (二、 after 一、, a new list starting at 1), so that "一是…",
// "12次", "(2021)", "二、三产业" and cited titles stay text.
//
// subheads are the lines the page set apart as headings without numbers
// (bold paragraphs of an article): a body with no numbered heading is cut
// at them instead, where there are at least two.
func splitSections(body string, subheads ...string) []Section {
	markers := findMarkers(body)
	// Room for every marker: appending section by section would allocate
	// four times the slice of a notice of 100,000 headings.
	secs := append(make([]Section, 0, len(markers)+2), Section{Start: 0})
	var stack []openHeading
	last := map[headingStyle]int{} // last ordinal of continuous styles
	articles := 0
	headEnd := -1 // where the text of the latest heading stops
	lineStart, scanned := 0, 0
	listAbove := map[int]bool{} // inAttachmentList's answers by line start
	for _, m := range markers {
		// Markers come in order: find their line's start without rescanning.
		if j := strings.LastIndexByte(body[scanned:m.start], '\n'); j >= 0 {
			lineStart = scanned + j + 1
		}
		scanned = m.start
		atLineStart := strings.TrimSpace(body[lineStart:m.start]) == ""
		inHeading := headEnd >= 0 && m.start <= headEnd
		if !atLineStart && !afterStop(body, m.start) {
			if inHeading {
				// 二、三产业 in the heading's sentence is a list of numbers.
				if m.style == styleCN && !inlineListMarker(body, m) {
					continue
				}
			} else {
				// "副主任科员二、安全专项检查": on a page that lost its line
				// breaks, the next number of an open list starts a heading
				// right after a character.
				next, ok := nextInList(body, m, stack)
				if !ok {
					continue
				}
				m = next
			}
		}
		if m.style == styleNum && inAttachmentList(body, lineStart, m.start, listAbove) {
			continue
		}
		if !accept(m, stack, last, articles) {
			continue
		}
		// Chapters listed twice: the first run was a table of contents.
		if m.style.continuous && m.style != styleTiao && m.ordinal == 1 && last[m.style] > 0 && articles == 0 {
			secs = append(secs[:0], Section{Start: 0})
			stack = nil
			clear(last)
		}
		// Inside an article, (一) items are the article's own text.
		if m.style.rank > styleTiao.rank && inArticle(stack) {
			continue
		}
		if inHeading && len(stack) > 0 {
			// "二、区交通与建设局1、结合…": the inner marker ends the heading above.
			// Unless it ended before, after its part name.
			top := &stack[len(stack)-1]
			if h := strings.TrimSpace(body[secs[top.section].Start:m.start]); !top.runOn || len(h) < len(top.heading) {
				top.heading = h
				secs[top.section].Heading = top.heading
				secs[top.section].Path[len(secs[top.section].Path)-1] = top.heading
			}
		}
		for len(stack) > 0 && stack[len(stack)-1].style.rank >= m.style.rank {
			stack = stack[:len(stack)-1]
		}
		if m.style.continuous {
			last[m.style] = m.ordinal
		}
		if m.style == styleTiao {
			articles++
		}
		var headText string
		var runOn bool
		headText, headEnd, runOn = headingText(body, m)
		secs[len(secs)-1].End = m.start
		secs = append(secs, Section{Start: m.start, Level: len(stack) + 1, Ordinal: m.ordinal, Heading: headText})
		stack = append(stack, openHeading{style: m.style, ordinal: m.ordinal, heading: headText, section: len(secs) - 1, runOn: runOn})
		path := make([]string, len(stack))
		for i, h := range stack {
			path[i] = h.heading
		}
		secs[len(secs)-1].Path = path
	}
	secs[len(secs)-1].End = len(body)
	if len(secs) == 1 && len(subheads) >= 2 {
		if bySubhead := subheadSections(body, subheads); bySubhead != nil {
			secs = bySubhead
		}
	}
	secs = splitClosing(body, secs)
	out := secs[:0]
	for i, s := range secs {
		if s.Start == s.End && i == 0 && len(secs) > 1 {
			continue // no preamble
		}
		out = append(out, s)
	}
	out = boundSections(body, out)
	for i := range out {
		out[i].Seq = i
		out[i].Text = body[out[i].Start:out[i].End]
		if out[i].Path == nil {
			out[i].Path = []string{}
		}
	}
	return out
}

// maxSectionBytes bounds a section's text: 32 KiB, some 11,000 Chinese
// characters, longer than every section but one of the 125,000 in the
// shared corpus (the longest real ones, 16–36 KiB, are speeches without
// headings). A section is what a hit shows, what ranking weighs and what
// a term is confirmed in, so a page of one 20 MB line must not be one
// section.
const maxSectionBytes = 32 << 10

// boundSections cuts every section longer than maxSectionBytes into
// consecutive parts under the same heading, each cut where cutAt finds
// the least harm. The parts still concatenate to the body.
func boundSections(body string, secs []Section) []Section {
	var out []Section // made only when a section is too long
	for i, s := range secs {
		if s.End-s.Start <= maxSectionBytes {
			if out != nil {
				out = append(out, s)
			}
			continue
		}
		if out == nil {
			out = append(make([]Section, 0, len(secs)+(s.End-s.Start)/maxSectionBytes+1), secs[:i]...)
		}
		for start := s.Start; start < s.End; {
			end := s.End
			if end-start > maxSectionBytes {
				end = cutAt(body, start, start+maxSectionBytes)
			}
			part := s
			part.Start, part.End = start, end
			out = append(out, part)
			start = end
		}
	}
	if out == nil {
		return secs
	}
	return out
}

// cutAt chooses where to end a part that starts at byte start and may run
// to limit, looking back no further than half the way. Punctuation is a
// barrier in matching, so a cut right after it never splits a term that a
// query without punctuation could find. In order of preference:
//
//   - after a sentence's end (。！？；!?;) with its closing quotes, and
//     after the line break that follows, if one does;
//   - after any punctuation;
//   - after a line break (a term can span one between Chinese characters,
//     but a paragraph rarely runs on);
//   - at the last rune boundary.
func cutAt(body string, start, limit int) int {
	floor := start + (limit-start)/2
	closers := func(i int) int { // past the closing quotes and brackets after i
		for i < limit {
			r, w := utf8.DecodeRuneInString(body[i:])
			if i+w > limit || r != '”' && r != '’' && r != '"' && r != '\'' && r != '）' && r != ')' && r != '」' && r != '』' && r != '》' {
				break
			}
			i += w
		}
		if i < limit && body[i] == '\n' {
			i++
		}
		return i
	}
	last := func(ok func(rune) bool) int { // the end of the last rune after floor that is ok, or -1
		for i := limit; i > floor; {
			r, w := utf8.DecodeLastRuneInString(body[start:i])
			if ok(r) {
				return i
			}
			i -= w
		}
		return -1
	}
	if i := last(endsSentence); i >= 0 {
		return closers(i)
	}
	if i := last(unicode.IsPunct); i >= 0 {
		return closers(i)
	}
	if i := last(func(r rune) bool { return r == '\n' }); i >= 0 {
		return i
	}
	for i := limit; i > start; i-- {
		if utf8.RuneStart(body[i]) {
			return i
		}
	}
	return limit
}

// endsSentence reports the end of a sentence, where a long section is best cut.
func endsSentence(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '!', '?', ';':
		return true
	}
	return false
}

// inAttachmentList reports whether the marker at i numbers an attachment
// ("附件：1.…方案" and the short numbered lines under it), not a section;
// start is where the marker's line starts. above keeps the answer of the
// walk up from each line start: without it every line of a long list
// would walk up the whole list again.
func inAttachmentList(body string, start, i int, above map[int]bool) bool {
	if strings.HasPrefix(strings.TrimSpace(body[start:i]), "附件") {
		return true
	}
	// Walk up through the list: short numbered lines with no sentence.
	var walked []int
	found := false
	for start > 0 {
		if known, ok := above[start]; ok {
			found = known
			break
		}
		walked = append(walked, start)
		end := start - 1
		start = strings.LastIndexByte(body[:end], '\n') + 1
		prev := strings.TrimSpace(body[start:end])
		if strings.HasPrefix(prev, "附件") {
			found = true
			break
		}
		// More than 320 bytes is more than 80 runes, without counting them.
		if _, ok := markerAt(prev, 0); !ok || len(prev) > 80*utf8.UTFMax || utf8.RuneCountInString(prev) > 80 || strings.Contains(prev, "。") {
			break
		}
	}
	for _, w := range walked {
		above[w] = found
	}
	return found
}

func inArticle(stack []openHeading) bool {
	for _, h := range stack {
		if h.style == styleTiao {
			return true
		}
	}
	return false
}

// accept says whether a marker's number follows plausibly from the
// headings open above it.
func accept(m marker, stack []openHeading, last map[headingStyle]int, articles int) bool {
	if m.style.continuous {
		prev := last[m.style]
		if m.ordinal == prev+1 {
			return true
		}
		// A new list of chapters after a table of contents.
		return m.ordinal == 1 && m.style != styleTiao && articles == 0
	}
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].style == m.style {
			return m.ordinal == stack[i].ordinal+1
		}
	}
	return m.ordinal == 1
}

// splitClosing cuts the part after the last numbered heading off the last
// section: the paragraph that opens with 下一步, 特此通报, 附件：, a contact line
// and what follows it.
func splitClosing(body string, secs []Section) []Section {
	if len(secs) < 2 {
		return secs
	}
	lastSec := &secs[len(secs)-1]
	text := body[lastSec.Start:lastSec.End]
	off := lastSec.Start
	// Skip the heading's own line.
	nl := strings.IndexByte(text, '\n')
	if nl < 0 {
		return secs
	}
	for pos := nl + 1; pos < len(text); {
		end := strings.IndexByte(text[pos:], '\n')
		line := text[pos:]
		if end >= 0 {
			line = text[pos : pos+end]
		}
		rest := text[pos:]
		if closingCue.MatchString(strings.TrimSpace(line)) || isSignature(line, rest) {
			cut := off + pos
			closingSec := Section{Start: cut, End: lastSec.End, Path: []string{}}
			lastSec.End = cut
			return append(secs, closingSec)
		}
		if end < 0 {
			break
		}
		pos += end + 1
	}
	return secs
}

// isSignature reports whether line opens the signature block that ends a
// notice: an issuing body's name, then only a date ("…管委会2015年9月16日"
// or the name and the date on lines of their own).
func isSignature(line, rest string) bool {
	name := strings.TrimSpace(line)
	if m := footDate.FindStringIndex(name); m != nil {
		name = strings.TrimSpace(name[:m[0]])
	}
	if !looksLikeOrg(compact(name)) {
		return false
	}
	tail := strings.TrimSpace(rest[len(line):])
	if tail == "" {
		return footDate.MatchString(line)
	}
	if strings.Contains(tail, "\n") || utf8.RuneCountInString(tail) > 20 {
		return false
	}
	return footDate.MatchString(tail)
}

func afterStop(body string, i int) bool {
	for i > 0 {
		r, w := utf8.DecodeLastRuneInString(body[:i])
		if r == ' ' || r == '\u3000' || r == '\t' {
			return true // a blank inside a one-line page separates blocks
		}
		if r == '”' || r == '"' || r == '）' || r == ')' {
			i -= w
			continue
		}
		return sentenceStop(r)
	}
	return true
}

// findMarkers lists every numbered marker in body, before plausibility:
// 第X编/章/节/条, 一、 一．, （一） (一), 1. 1、 1．, （1） (1).
func findMarkers(body string) []marker {
	var out []marker
	for i := 0; i < len(body); {
		m, ok := markerAt(body, i)
		if !ok {
			_, w := utf8.DecodeRuneInString(body[i:])
			i += w
			continue
		}
		out = appendDoubling(out, m)
		i = m.end
	}
	return out
}

const cnNumerals = "一二三四五六七八九十"

// markerAt reads the marker that starts at byte i of body, if any.
func markerAt(body string, i int) (marker, bool) {
	m := marker{start: i}
	r, w := utf8.DecodeRuneInString(body[i:])
	switch {
	case r == '第':
		num, j := runOf(body, i+w, cnNumerals+"百千零〇两", 7)
		kind, kw := utf8.DecodeRuneInString(body[j:])
		if num == "" {
			return m, false
		}
		switch kind {
		case '编':
			m.style = styleBian
		case '章':
			m.style = styleZhang
		case '节':
			m.style = styleJie
		case '条':
			// 第一条 is a heading only when a blank follows; 第一条规定的 cites it.
			if next, _ := utf8.DecodeRuneInString(body[j+kw:]); !isBlank(next) {
				return m, false
			}
			m.style = styleTiao
		default:
			return m, false
		}
		m.ordinal, m.end = chineseOrdinal(num), j+kw
	case r == '（' || r == '(':
		num, j := runOf(body, i+w, cnNumerals, 3)
		m.style, m.ordinal = styleParenCN, chineseOrdinal(num)
		if num == "" {
			num, j = runOf(body, i+w, "0123456789", 3)
			m.style, m.ordinal = styleParenNum, atoi(num)
		}
		closing, cw := utf8.DecodeRuneInString(body[j:])
		if num == "" || (closing != '）' && closing != ')') {
			return m, false
		}
		m.end = j + cw
	case strings.ContainsRune(cnNumerals, r):
		num, j := runOf(body, i, cnNumerals, 3)
		sep, sw := utf8.DecodeRuneInString(body[j:])
		if sep != '、' && sep != '．' {
			return m, false
		}
		m.style, m.ordinal, m.end = styleCN, chineseOrdinal(num), j+sw
	case r >= '0' && r <= '9':
		// 1.56亿元 and 2020.5 are numbers, not headings.
		if prev, _ := utf8.DecodeLastRuneInString(body[:i]); unicode.IsDigit(prev) || prev == '.' {
			return m, false
		}
		num, j := runOf(body, i, "0123456789", 3)
		sep, sw := utf8.DecodeRuneInString(body[j:])
		if sep != '.' && sep != '．' && sep != '、' {
			return m, false
		}
		if next, _ := utf8.DecodeRuneInString(body[j+sw:]); unicode.IsDigit(next) {
			return m, false
		}
		m.style, m.ordinal, m.end = styleNum, atoi(num), j+sw
	default:
		return m, false
	}
	return m, m.ordinal > 0
}

// runOf reads up to max runes from set starting at byte i.
func runOf(s string, i int, set string, max int) (string, int) {
	j := i
	for n := 0; n < max && j < len(s); n++ {
		r, w := utf8.DecodeRuneInString(s[j:])
		if !strings.ContainsRune(set, r) {
			break
		}
		j += w
	}
	return s[i:j], j
}

// maxHeadingBytes bounds how far a heading's text is looked for: some
// 1,300 Chinese characters, where a display heading keeps 80.
const maxHeadingBytes = 4 << 10

// headingText returns the display heading of the section that starts at
// marker m, and where its text ends: at the end of the line, at the first
// sentence stop, or for an article (第一条) at the marker itself. runOn
// says the heading ran into its text and was cut where it ends.
func headingText(body string, m marker) (heading string, end int, runOn bool) {
	if m.style == styleTiao {
		return body[m.start:m.end], m.end, false
	}
	// A heading's line is read up to maxHeadingBytes: on a page of one
	// long line every heading would read the rest of the page.
	window := body[m.end:min(len(body), m.end+maxHeadingBytes)]
	lineEnd := strings.IndexByte(window, '\n')
	if lineEnd < 0 {
		lineEnd = len(window)
	}
	lineEnd += m.end
	end = lineEnd
	for i, r := range body[m.end:lineEnd] {
		if r == '。' || r == '；' || r == '！' || r == '？' || r == '：' || r == ':' || r == ';' {
			end = m.end + i
			break
		}
	}
	h := strings.TrimSpace(body[m.start:end])
	// A heading that runs into its text ends after the part name it
	// starts with. The text after it still counts as the heading's for
	// the markers it holds: "（一）排查范围旅行社、景区（二）排查内容…".
	if cut, ok := runOnHeadingEnd(body, m.end, end, lineEnd); ok {
		return strings.TrimSpace(body[m.start:cut]), end, true
	}
	// A heading that runs on into its sentence is cut at a comma.
	if utf8.RuneCountInString(h) > 50 && end < lineEnd {
		if i := strings.IndexAny(h, "，,"); i > 0 {
			h = h[:i]
		}
	}
	if rs := []rune(h); len(rs) > 80 {
		h = string(rs[:80]) + "…"
	}
	return h, end, false
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// chineseOrdinal reads Chinese numerals up to the thousands: 三, 十二,
// 二十, 一百零五, 两百.
func chineseOrdinal(s string) int {
	total, cur := 0, 0
	for _, r := range s {
		switch r {
		case '十':
			if cur == 0 {
				cur = 1
			}
			total += cur * 10
			cur = 0
		case '百':
			total += cur * 100
			cur = 0
		case '千':
			total += cur * 1000
			cur = 0
		case '零', '〇':
		case '两':
			cur = 2
		default:
			cur = chineseDigit[r]
		}
	}
	return total + cur
}
