package dict

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestHeadingWordsFile: every line of headings.txt is a comment or one
// word of 2-10 Han characters, listed once.
func TestHeadingWordsFile(t *testing.T) {
	seen := map[string]bool{}
	for i, line := range strings.Split(headingsText, "\n") {
		w := strings.TrimSpace(line)
		if w == "" || strings.HasPrefix(w, "#") {
			continue
		}
		n := utf8.RuneCountInString(w)
		if n < 2 || n > 10 || strings.IndexFunc(w, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) >= 0 {
			t.Errorf("line %d: %q is not 2-10 Han characters", i+1, w)
		}
		if seen[w] {
			t.Errorf("line %d: %q is listed twice", i+1, w)
		}
		seen[w] = true
	}
	if len(HeadingWords()) != len(seen) || len(seen) < 50 {
		t.Errorf("HeadingWords holds %d words, the file %d", len(HeadingWords()), len(seen))
	}
}

func TestHeadingPrefix(t *testing.T) {
	for _, tc := range []struct{ s, want string }{
		{"工作目标以习近平总书记关于安全生产的重要论述为指导", "工作目标"},
		{"事故的直接原因驾驶员安全意识淡薄", "事故的直接原因"}, // the longest word, not 事故原因's prefix
		{"存在的主要问题一是", "存在的主要问题"},
		{"2024年工作回顾2024年是", "2024年工作回顾"},
		{"2023年度工作打算", "2023年度工作打算"},
		{"概述", "概述"},
		{"加强组织领导", ""}, // a verb phrase is a heading of its own
		{"2024年全区", ""},
		{"工作", ""},
		{"", ""},
	} {
		if got := tc.s[:HeadingPrefix(tc.s)]; got != tc.want {
			t.Errorf("HeadingPrefix(%q) takes %q, want %q", tc.s, got, tc.want)
		}
	}
}
