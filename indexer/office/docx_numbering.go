package office

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// Word numbers a list's paragraphs itself: a heading typed as 一、 may be
// stored as its text alone, with w:numPr naming a numbering (word/
// numbering.xml) whose level formats the number (w:numFmt) into a label
// (w:lvlText, "%1、" or "（%1）"). The labels are part of the text a
// reader sees, and the headings' numbers are what sections are cut by, so
// they are written before the paragraph's text as Word shows them.
//
// Only numbering set on the paragraph itself is followed, not numbering a
// paragraph style carries; a level's counter restarts when a level above
// it advances.

// numbering is a document's list definitions and the counters of the
// lists numbered so far.
type numbering struct {
	abstract map[string]*abstractNum // by w:abstractNumId
	nums     map[string]numInstance  // by w:numId
	counters map[string][]int        // by abstract id: each level's last number
}

type abstractNum struct {
	levels [9]numLevel
}

type numLevel struct {
	start int
	fmt   string // w:numFmt: decimal, chineseCounting, …; "" until set
	text  string // w:lvlText: "%1、"
}

type numInstance struct {
	abstract string
	starts   map[int]int // w:lvlOverride/w:startOverride by level
}

// readNumbering reads word/numbering.xml; what it cannot read numbers
// nothing.
func readNumbering(r io.Reader) *numbering {
	n := &numbering{abstract: map[string]*abstractNum{}, nums: map[string]numInstance{}, counters: map[string][]int{}}
	dec := xml.NewDecoder(r)
	var cur *abstractNum  // the w:abstractNum being read
	var inst *numInstance // the w:num being read
	instID := ""
	lvl, override := -1, -1
	for {
		tok, err := dec.Token()
		if err != nil {
			return n
		}
		switch t := tok.(type) {
		case xml.StartElement:
			val := attr(t, "val")
			switch t.Name.Local {
			case "abstractNum":
				cur = &abstractNum{}
				for i := range cur.levels {
					cur.levels[i].start = 1
				}
				n.abstract[attr(t, "abstractNumId")] = cur
			case "lvl":
				lvl = levelOf(attr(t, "ilvl"))
			case "start":
				if v, err := strconv.Atoi(val); err == nil && cur != nil && lvl >= 0 {
					cur.levels[lvl].start = v
				}
			case "numFmt":
				if cur != nil && lvl >= 0 {
					cur.levels[lvl].fmt = val
				}
			case "lvlText":
				if cur != nil && lvl >= 0 {
					cur.levels[lvl].text = val
				}
			case "num":
				inst, instID = &numInstance{starts: map[int]int{}}, attr(t, "numId")
			case "abstractNumId":
				if inst != nil {
					inst.abstract = val
				}
			case "lvlOverride":
				override = levelOf(attr(t, "ilvl"))
			case "startOverride":
				if v, err := strconv.Atoi(val); err == nil && inst != nil && override >= 0 {
					inst.starts[override] = v
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "abstractNum":
				cur = nil
			case "lvl":
				lvl = -1
			case "lvlOverride":
				override = -1
			case "num":
				if inst != nil {
					n.nums[instID] = *inst
				}
				inst = nil
			}
		}
	}
}

// label is the number Word shows before a paragraph of list numID at level
// ilvl, counting it: "" for no list, a bullet or no number.
func (n *numbering) label(numID string, ilvl int) string {
	if n == nil || numID == "" || numID == "0" || ilvl < 0 || ilvl > 8 {
		return ""
	}
	inst, ok := n.nums[numID]
	if !ok {
		return ""
	}
	a := n.abstract[inst.abstract]
	if a == nil {
		return ""
	}
	c := n.counters[inst.abstract]
	if c == nil {
		c = make([]int, 9)
		n.counters[inst.abstract] = c
		for i := range c {
			c[i] = -1 // not started
		}
	}
	start := func(l int) int {
		if v, ok := inst.starts[l]; ok {
			return v
		}
		return a.levels[l].start
	}
	if c[ilvl] < 0 {
		c[ilvl] = start(ilvl)
	} else {
		c[ilvl]++
	}
	for l := ilvl + 1; l < 9; l++ {
		c[l] = -1 // a deeper level starts again
	}
	lv := a.levels[ilvl]
	if lv.fmt == "bullet" || lv.fmt == "none" {
		return ""
	}
	var b strings.Builder
	text := lv.text
	for len(text) > 0 {
		i := strings.IndexByte(text, '%')
		if i < 0 || i+1 >= len(text) || text[i+1] < '1' || text[i+1] > '9' {
			b.WriteString(text)
			break
		}
		b.WriteString(text[:i])
		l := int(text[i+1] - '1')
		v := c[l]
		if v < 0 {
			v = start(l)
		}
		b.WriteString(formatNumber(v, a.levels[l].fmt))
		text = text[i+2:]
	}
	return b.String()
}

// formatNumber writes v as Word's number format f does, in decimal for a
// format it does not know.
func formatNumber(v int, f string) string {
	switch f {
	case "chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "japaneseCounting", "ideographDigital", "taiwaneseCounting", "taiwaneseCountingThousand":
		if v > 0 && v < 100 {
			return chineseNumber(v)
		}
	case "ideographTraditional": // 甲乙丙…
		if v >= 1 && v <= 10 {
			return string([]rune("甲乙丙丁戊己庚辛壬癸")[v-1])
		}
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if v >= 1 && v <= 20 {
			return string(rune('①' + v - 1))
		}
	case "decimalFullWidth", "decimalFullWidth2":
		var b strings.Builder
		for _, r := range strconv.Itoa(v) {
			b.WriteRune(r - '0' + '０')
		}
		return b.String()
	case "lowerLetter", "upperLetter":
		if v >= 1 && v <= 26 {
			base := 'a'
			if f == "upperLetter" {
				base = 'A'
			}
			return string(rune(int(base) + v - 1))
		}
	case "lowerRoman", "upperRoman":
		if v >= 1 && v < 40 {
			r := roman(v)
			if f == "lowerRoman" {
				r = strings.ToLower(r)
			}
			return r
		}
	}
	return strconv.Itoa(v)
}

// chineseNumber is 1 to 99 in Chinese numerals: 一, 十, 十一, 二十一.
func chineseNumber(v int) string {
	digits := []rune("〇一二三四五六七八九")
	tens, ones := v/10, v%10
	var b strings.Builder
	if tens > 1 {
		b.WriteRune(digits[tens])
	}
	if tens > 0 {
		b.WriteRune('十')
	}
	if ones > 0 || tens == 0 {
		b.WriteRune(digits[ones])
	}
	return b.String()
}

func roman(v int) string {
	var b strings.Builder
	for _, p := range []struct {
		n int
		s string
	}{{10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for v >= p.n {
			b.WriteString(p.s)
			v -= p.n
		}
	}
	return b.String()
}

// attr is the value of the attribute of t named local, in any namespace.
func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// levelOf is a w:ilvl value, -1 unless 0 to 8.
func levelOf(s string) int {
	if v, err := strconv.Atoi(s); err == nil && v >= 0 && v <= 8 {
		return v
	}
	return -1
}
