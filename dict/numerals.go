package dict

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Chinese numerals, as notices write counts, sums and years: 三十二,
// 一百零五, 两千三百万, 二○二一, 3.5万, 1,234, 百分之九十五.

var digitValue = map[rune]int64{
	'〇': 0, '○': 0, 'О': 0, 'Ｏ': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
	'壹': 1, '贰': 2, '叁': 3, '肆': 4, '伍': 5, '陆': 6, '柒': 7, '捌': 8, '玖': 9,
}

var smallUnit = map[rune]int64{'十': 10, '拾': 10, '百': 100, '佰': 100, '千': 1000, '仟': 1000}

var bigUnit = map[rune]float64{'万': 1e4, '亿': 1e8}

// IsNumeral reports whether r can stand in a Chinese numeral (a digit, a
// unit or a decimal point 点).
func IsNumeral(r rune) bool {
	_, d := digitValue[r]
	_, s := smallUnit[r]
	_, b := bigUnit[r]
	return d || s || b || r == '点'
}

// ParseNumber reads a number written in Arabic digits (with thousands
// separators and a decimal point, full-width or not), in Chinese numerals
// (三十二, 一百零五, 两千三百万, 十二点五), digit by digit (二○二一), or
// mixed (3.5万, 1.2亿): its value and true, or false if s is not wholly
// one number.
func ParseNumber(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	s = foldDigits(s)
	// A trailing 万 or 亿 multiplies what stands before it, which may be
	// written in Arabic digits.
	mult := 1.0
	for s != "" {
		r, size := utf8.DecodeLastRuneInString(s)
		m, ok := bigUnit[r]
		if !ok {
			break
		}
		head := s[:len(s)-size]
		if head == "" || !isArabic(head) {
			break
		}
		mult *= m
		s = head
	}
	if isArabic(s) {
		v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
		if err != nil {
			return 0, false
		}
		return v * mult, true
	}
	if mult != 1 {
		return 0, false
	}
	return parseChinese(s)
}

// foldDigits turns full-width digits, commas and points into ASCII.
func foldDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + r - '０'
		case r == '，':
			return ','
		case r == '．':
			return '.'
		}
		return r
	}, s)
}

// arabic is a number in Arabic digits: commas between groups of three,
// and a decimal point.
var arabic = regexp.MustCompile(`^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$`)

func isArabic(s string) bool { return arabic.MatchString(s) }

// parseChinese reads a number in Chinese numerals.
func parseChinese(s string) (float64, bool) {
	intPart, frac, hasPoint := strings.Cut(s, "点")
	v, ok := parseChineseInt(intPart)
	if !ok {
		return 0, false
	}
	out := float64(v)
	if hasPoint {
		if frac == "" {
			return 0, false
		}
		scale := 0.1
		for _, r := range frac {
			d, ok := digitValue[r]
			if !ok {
				return 0, false
			}
			out += float64(d) * scale
			scale /= 10
		}
	}
	return out, true
}

// parseChineseInt reads an integer in Chinese numerals: with units
// (一万二千三百零五, 十五, 两亿) or digit by digit (二○二一).
func parseChineseInt(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	units := false
	for _, r := range s {
		if _, ok := digitValue[r]; ok {
			continue
		}
		_, small := smallUnit[r]
		_, big := bigUnit[r]
		if !small && !big {
			return 0, false
		}
		units = true
	}
	if !units { // digit by digit: 二○二一; 三四 is "three or four"
		if n := utf8.RuneCountInString(s); n == 2 || n > 1 && !strings.ContainsAny(s, "〇○零") && n < 4 || n > 18 {
			return 0, false // 18 digits at most: an int64 holds them
		}
		var v int64
		for _, r := range s {
			v = v*10 + digitValue[r]
		}
		return v, true
	}
	var total, section int64 // section: the part below 万
	digit := int64(-1)       // the digit read and not yet placed, -1 for none
	for _, r := range s {
		if d, ok := digitValue[r]; ok {
			if digit > 0 {
				return 0, false // two digits without a unit between: 三四
			}
			digit = d // 零 holds a place: 一百零五
			continue
		}
		if u, ok := smallUnit[r]; ok {
			switch {
			case digit < 0 && u == 10:
				digit = 1 // 十五 is fifteen
			case digit <= 0:
				return 0, false // 百 alone, 零十
			}
			section += digit * u
			digit = -1
			continue
		}
		if digit > 0 {
			section += digit
		}
		digit = -1
		if section == 0 {
			return 0, false // 万 with nothing before it
		}
		if total+section > 1e9 {
			return 0, false // past 10^17: not a count any notice reports, and near int64's end
		}
		if bigUnit[r] == 1e8 {
			total = (total + section) * 1e8
		} else {
			total += section * 1e4
		}
		section = 0
	}
	if digit > 0 {
		section += digit
	}
	return total + section, true
}
