package pdf

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A page's glyphs become lines by where they stand, not by the order the
// content stream draws them: glyphs whose boxes are centred at the same
// height make a line, read left to right. A gap much wider than the type
// (tabGap ems) separates table cells and is written as a tab. Lines then
// become paragraphs: a line that reaches the right margin and does not end
// a sentence runs on into the next, unless the next is indented, starts a
// heading, is of another type size or stands apart. Page numbers and the
// lines repeated at the head or foot of most pages are left out.

// tabGap is the gap, in ems, that separates two table cells. Words in a
// line of text stand closer (a justified Chinese line spreads its
// characters by a fraction of an em; the widest spacing seen in the
// corpus, the letter-spaced 目  录, is under two ems), table columns
// further.
const tabGap = 2.0

// tabGapLatin is the gap, in ems, that separates two cells where either
// side is not Chinese: numbers in narrow columns stand closer than two
// ems, and a word space is a fifth of one.
const tabGapLatin = 0.8

// line is a line of a page: its glyphs left to right and their extent.
type line struct {
	glyphs                   []glyph
	left, right, bottom, top float64
	em                       float64 // the median glyph height
	text                     string  // cells separated by tabs
	table                    bool    // two cells or more
	cells                    []span  // each cell's extent, left to right
	page                     int
}

// span is a horizontal extent.
type span struct{ left, right float64 }

// pageLines lays a page's glyphs out in lines, top to bottom.
func pageLines(p rawPage, page int) []line {
	gs := slices.Clone(p.glyphs)
	slices.SortStableFunc(gs, func(a, b glyph) int { return cmp.Compare(b.top+b.bottom, a.top+a.bottom) })
	type band struct {
		centre, height float64
		glyphs         []glyph
	}
	var bands []band
	for _, g := range gs {
		c, h := (g.top+g.bottom)/2, max(g.top-g.bottom, 1)
		found := false
		// A glyph joins a line of the last few whose centre is within a
		// third of the smaller height: same baseline, other type sizes
		// included; a superscript or the next line not.
		for i := len(bands) - 1; i >= max(0, len(bands)-4); i-- {
			b := &bands[i]
			if abs(b.centre-c) < 0.35*min(b.height, h) {
				b.glyphs = append(b.glyphs, g)
				n := float64(len(b.glyphs))
				b.centre += (c - b.centre) / n
				b.height = max(b.height, h)
				found = true
				break
			}
		}
		if !found {
			bands = append(bands, band{centre: c, height: h, glyphs: []glyph{g}})
		}
	}
	lines := make([]line, 0, len(bands))
	for _, b := range bands {
		if l, ok := makeLine(b.glyphs, page); ok {
			lines = append(lines, l)
		}
	}
	slices.SortStableFunc(lines, func(a, b line) int { return cmp.Compare(b.top+b.bottom, a.top+a.bottom) })
	return joinWrappedCells(lines)
}

// joinWrappedCells puts the text of a table cell that wraps back in its
// cell: a line of words (not a number, not a heading) under a row,
// standing within one of the row's cells and no wider than the cell's
// line above it, is the rest of that cell's text rather than a row of its
// own when it stands closer under the row than the page's rows stand to
// one another (the line spacing within a cell is less than a row's, which
// adds the cell's padding and border). Where rows stand no further apart
// than lines, a wrapped cell cannot be told from a row with empty cells,
// and is left a line of its own.
func joinWrappedCells(lines []line) []line {
	var pitches []float64 // of consecutive table rows
	for i := 1; i < len(lines); i++ {
		if lines[i-1].table && lines[i].table {
			pitches = append(pitches, lines[i-1].bottom-lines[i].bottom)
		}
	}
	if len(pitches) == 0 {
		return lines
	}
	slices.Sort(pitches)
	rowPitch := pitches[len(pitches)/2]
	out := lines[:0]
	last := 0.0          // the bottom of the last line joined into out's last row
	var widths []float64 // of the last line of each of its cells
	for i, b := range lines {
		if len(out) > 0 {
			a := &out[len(out)-1]
			if i == 0 || lines[i-1].bottom != a.bottom {
				last = a.bottom
			}
			pitch := last - b.bottom
			words := len(b.cells) == 1 && !heading.MatchString(b.text) && strings.ContainsFunc(b.text, wide)
			if a.table && words && pitch > 0 && pitch < 0.85*rowPitch {
				if at := cellsUnder(a.cells, b.cells, a.em); at != nil && b.right-b.left <= widths[at[0]]+0.5*b.em {
					texts, more := strings.Split(a.text, "\t"), strings.Split(b.text, "\t")
					for k, j := range at {
						x, _ := utf8.DecodeLastRuneInString(texts[j])
						y, _ := utf8.DecodeRuneInString(more[k])
						if texts[j] != "" && !(wide(x) && wide(y)) {
							texts[j] += " "
						}
						texts[j] += more[k]
					}
					a.text = strings.Join(texts, "\t")
					a.glyphs = append(a.glyphs, b.glyphs...)
					a.bottom, last = min(a.bottom, b.bottom), b.bottom
					widths[at[0]] = b.right - b.left
					continue
				}
			}
		}
		out = append(out, b)
		last = b.bottom
		widths = widths[:0]
		for _, c := range b.cells {
			widths = append(widths, c.right-c.left)
		}
	}
	return out
}

// cellsUnder is, for each of cells, the index of the one of row it stands
// within (an em to spare either side), in order; nil if one stands in
// none or two share a cell.
func cellsUnder(row, cells []span, em float64) []int {
	at := make([]int, 0, len(cells))
	j := 0
	for _, c := range cells {
		for j < len(row) && !(c.left >= row[j].left-em && c.right <= row[j].right+em) {
			j++
		}
		if j == len(row) {
			return nil
		}
		at = append(at, j)
		j++
	}
	return at
}

// makeLine orders a line's glyphs, drops the copies a fake bold draws
// (the same character again, a fraction of an em to the right) and writes
// its text.
func makeLine(gs []glyph, page int) (line, bool) {
	slices.SortStableFunc(gs, func(a, b glyph) int { return cmp.Compare(a.left, b.left) })
	hs := make([]float64, len(gs))
	for i, g := range gs {
		hs[i] = max(g.top-g.bottom, 1)
	}
	slices.Sort(hs)
	l := line{em: hs[len(hs)/2], page: page, left: gs[0].left, right: gs[0].right, bottom: gs[0].bottom, top: gs[0].top}
	var b strings.Builder
	kept := gs[:0]
	cell := span{gs[0].left, gs[0].right}
	for i, g := range gs {
		if i > 0 {
			prev := kept[len(kept)-1]
			if g.r == prev.r && abs(g.left-prev.left) < 0.3*l.em {
				continue
			}
			gap, apart := g.left-prev.right, tabGap*l.em
			if !wide(prev.r) || !wide(g.r) {
				apart = tabGapLatin * l.em
			}
			switch {
			case gap > apart:
				b.WriteByte('\t')
				l.table = true
				l.cells = append(l.cells, cell)
				cell = span{g.left, g.right}
			case gap > 0.2*l.em && !wide(prev.r) && !wide(g.r):
				b.WriteByte(' ')
			}
		}
		b.WriteRune(g.r)
		kept = append(kept, g)
		cell.left, cell.right = min(cell.left, g.left), max(cell.right, g.right)
		l.left, l.right = min(l.left, g.left), max(l.right, g.right)
		l.bottom, l.top = min(l.bottom, g.bottom), max(l.top, g.top)
	}
	l.glyphs, l.text, l.cells = kept, b.String(), append(l.cells, cell)
	return l, len(kept) > 0
}

// wide says a character is set on a square, as Chinese is: no space
// separates it from its neighbours.
func wide(r rune) bool {
	return r >= 0x2e80 && r <= 0x9fff || r >= 0xf900 && r <= 0xfaff || r >= 0xfe30 && r <= 0xfe4f || r >= 0xff00 && r <= 0xffef || r >= 0x20000
}

func abs(x float64) float64 { return max(x, -x) }

// pageNumber matches the page numbers of Chinese documents: - 3 -, —3—,
// 第 3 页, 第3页 共30页, 3/30, Page 3 of 30; bareNumber a page number
// standing alone, taken as one only at the foot of a page: at the head a
// number is more often the 份号 of a 公文 (001012), kept.
var (
	pageNumber = regexp.MustCompile(`^(?:[-—–－~～]+\s*\d+\s*[-—–－~～]+|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页\s*[,，]?\s*第\s*\d+\s*页|\d+\s*/\s*\d+|(?i:page)\s*\d+(?:\s*(?i:of)\s*\d+)?)$`)
	bareNumber = regexp.MustCompile(`^[1-9][0-9]{0,3}$`)
)

// dropFurniture leaves out the page numbers and running heads and feet:
// among the first and last two lines of a page, one in the outer sixth of
// the page that is a page number, and one whose text (its digits aside)
// is at the head or foot of half the pages or more, three at least.
func dropFurniture(pages [][]line, heights []float64) {
	edge := func(p [][]line, i, j int) bool {
		return j < 2 || j >= len(p[i])-2
	}
	key := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return '#'
			}
			return r
		}, s)
	}
	seen := map[string]int{}
	for i, ls := range pages {
		keys := map[string]bool{}
		for j, l := range ls {
			if edge(pages, i, j) {
				keys[key(l.text)] = true
			}
		}
		for k := range keys {
			seen[k]++
		}
	}
	for i, ls := range pages {
		kept := ls[:0]
		for j, l := range ls {
			if edge(pages, i, j) {
				h, text := heights[i], strings.ReplaceAll(l.text, "\t", " ")
				head, foot := h <= 0 || l.bottom > h*5/6, h <= 0 || l.top < h/6
				if (head || foot) && pageNumber.MatchString(text) || foot && bareNumber.MatchString(text) {
					continue
				}
				if n := seen[key(l.text)]; len(pages) >= 3 && n >= 3 && 2*n >= len(pages) {
					continue
				}
			}
			kept = append(kept, l)
		}
		pages[i] = kept
	}
}

// heading matches the start of a heading of a Chinese document: 第一章,
// 第三条, 第二部分, 一、, （一）, 1. or 1、, （1）, 附件.
var heading = regexp.MustCompile(`^(?:第[一二三四五六七八九十百千零〇0-9]+[章节条部分编]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|[0-9]+[.．、](?:[^0-9]|$)|[（(][0-9]+[）)]|附件)`)

// sentenceEnd holds the characters that end a sentence or a clause a line
// may stop at.
const sentenceEnd = "。；：！？!?;:…"

// paragraphs joins the lines of all pages into paragraphs, one a line,
// table rows as they are.
func paragraphs(pages [][]line) string {
	var lefts, rights []float64
	for _, ls := range pages {
		for _, l := range ls {
			if !l.table && len(l.glyphs) >= 4 {
				lefts, rights = append(lefts, l.left), append(rights, l.right)
			}
		}
	}
	if len(lefts) == 0 {
		var b strings.Builder
		for _, ls := range pages {
			for _, l := range ls {
				b.WriteString(l.text)
				b.WriteByte('\n')
			}
		}
		return b.String()
	}
	slices.Sort(lefts)
	slices.Sort(rights)
	leftMargin, rightMargin := lefts[len(lefts)/10], rights[len(rights)*9/10]
	centred := func(l line) bool {
		return abs((l.left-leftMargin)-(rightMargin-l.right)) < l.em
	}
	runsOn := func(a, b line) bool {
		if a.table || b.table {
			return false
		}
		last, _ := utf8.DecodeLastRuneInString(a.text)
		switch {
		case a.right < rightMargin-2*a.em: // short: the paragraph ends
		case strings.ContainsRune(sentenceEnd, last):
		case b.left > leftMargin+0.8*b.em && !(a.left < leftMargin+0.8*a.em && centred(b)):
			// indented: a new one starts; but the last line of a title
			// that fills a line is centred under it, and runs on
		case heading.MatchString(b.text):
		case abs(a.em-b.em) > 0.2*max(a.em, b.em): // another type size
		case a.page == b.page && a.bottom-b.top > 1.2*a.em: // apart
		default:
			return true
		}
		return false
	}
	var out strings.Builder
	var prev *line
	for _, ls := range pages {
		for i := range ls {
			l := &ls[i]
			if prev != nil {
				if runsOn(*prev, *l) {
					a, _ := utf8.DecodeLastRuneInString(prev.text)
					b, _ := utf8.DecodeRuneInString(l.text)
					if !wide(a) && !wide(b) {
						out.WriteByte(' ')
					}
				} else {
					out.WriteByte('\n')
				}
			}
			out.WriteString(l.text)
			prev = l
		}
	}
	if prev != nil {
		out.WriteByte('\n')
	}
	return out.String()
}
