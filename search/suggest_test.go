package search

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestSuggestionsHaveHits: every suggestion for a set of prefixes
// (characters, pinyin, initials) finds exactly the sections and notices
// it is offered with, and the prefix itself comes first when it is a word
// of the index.
func TestSuggestionsHaveHits(t *testing.T) {
	prefixes := []string{"一", "一岗", "廉", "廉政", "巡", "巡察", "整改", "安全", "营商", "党", "全面", "责任", "疫情", "ygsz", "lz", "xc", "aq", "zg", "qm", "d"}
	offered := 0
	for _, p := range prefixes {
		got, err := testEngine.Suggest(t.Context(), p)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) > MaxSuggestions {
			t.Errorf("%s: %d suggestions", p, len(got))
		}
		for i, s := range got {
			offered++
			res, err := testEngine.Search(t.Context(), Request{Query: `"` + s.Word + `"`, Size: 1})
			if err != nil {
				t.Fatalf("%s → %s: %v", p, s.Word, err)
			}
			if s.Sections == 0 || uint64(s.Sections) != res.Total || s.Notices != res.Notices {
				t.Errorf("%s → %s offered with %d sections, %d notices; a search finds %d, %d", p, s.Word, s.Sections, s.Notices, res.Total, res.Notices)
			}
			if !isLatin(p) && !strings.HasPrefix(s.Word, p) {
				t.Errorf("%s → %s does not start with the prefix", p, s.Word)
			}
			if i > 0 && s.Word == p {
				t.Errorf("%s: the prefix itself is suggestion %d, not the first", p, i)
			}
		}
		if !isLatin(p) && utf8.RuneCountInString(p) >= 2 && len(scan([][]string{{p}}, nil)) > 0 && (len(got) == 0 || got[0].Word != p) {
			t.Errorf("%s occurs in testdata but is not the first suggestion: %+v", p, got)
		}
	}
	if offered < 40 {
		t.Errorf("only %d suggestions for %d prefixes", offered, len(prefixes))
	}
}

func isLatin(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
