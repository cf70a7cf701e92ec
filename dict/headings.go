package dict

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed headings.txt
var headingsText string

// headingWords is the set of headings.txt, read on first use.
type headingWords struct {
	set      map[string]bool
	maxRunes int
}

var loadHeadingWords = sync.OnceValue(func() headingWords {
	return parseHeadingWords(headingsText)
})

func parseHeadingWords(text string) headingWords {
	h := headingWords{set: map[string]bool{}}
	for _, line := range strings.Split(text, "\n") {
		w := strings.TrimSpace(line)
		if w == "" || strings.HasPrefix(w, "#") {
			continue
		}
		h.set[w] = true
		h.maxRunes = max(h.maxRunes, utf8.RuneCountInString(w))
	}
	return h
}

// HeadingWords returns the words of dict/headings.txt: the names of the
// standard parts of a plan, report or notice (工作目标, 基本原则, 保障措施 …).
func HeadingWords() []string {
	h := loadHeadingWords()
	words := make([]string, 0, len(h.set))
	for w := range h.set {
		words = append(words, w)
	}
	return words
}

// HeadingPrefix returns the length in bytes of the longest heading word
// that s starts with, a year before it included ("2024年工作回顾",
// "2023年度工作打算"), or 0 if s starts with none:
// HeadingPrefix("工作目标以习近平总书记…") is len("工作目标").
func HeadingPrefix(s string) int {
	h := loadHeadingWords()
	year := yearPrefix(s)
	rest := s[year:]
	// Byte ends of the first maxRunes runes, longest first.
	ends := make([]int, 0, h.maxRunes)
	for i, r := range rest {
		if len(ends) == h.maxRunes {
			break
		}
		ends = append(ends, i+utf8.RuneLen(r))
	}
	for k := len(ends) - 1; k >= 0; k-- {
		if h.set[rest[:ends[k]]] {
			return year + ends[k]
		}
	}
	return 0
}

// yearPrefix is the length of "2024年" or "2024年度" at the start of s, or 0.
func yearPrefix(s string) int {
	if len(s) < 4 {
		return 0
	}
	for i := range 4 {
		if s[i] < '0' || s[i] > '9' {
			return 0
		}
	}
	if !strings.HasPrefix(s[4:], "年") {
		return 0
	}
	n := 4 + len("年")
	if strings.HasPrefix(s[n:], "度") {
		n += len("度")
	}
	return n
}
