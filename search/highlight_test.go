package search

import (
	"strings"
	"testing"

	"noticesearch/dict"
)

func terms(ts ...string) [][]byte {
	var out [][]byte
	for _, t := range ts {
		b, err := normTerm(Term{Text: t})
		if err != nil {
			panic(err)
		}
		out = append(out, b)
	}
	return out
}

func TestFragments(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		terms [][]byte
		want  []string
	}{
		{
			name:  "a repeated word is marked where it stands, in each sentence",
			text:  "严格落实一岗双责。会议强调，一岗双责要落到实处。其他内容。",
			terms: terms("一岗双责"),
			want:  []string{"严格落实<mark>一岗双责</mark>。", "会议强调，<mark>一岗双责</mark>要落到实处。"},
		},
		{
			name:  "notice text is escaped and only our marks are markup",
			text:  `关于<script>alert("x")</script>&廉政风险的说明。`,
			terms: terms("廉政风险"),
			want:  []string{`关于&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;<mark>廉政风险</mark>的说明。`},
		},
		{
			name:  "adjacent matches merge into one mark",
			text:  "推进廉政风险防控。",
			terms: terms("廉政", "风险"),
			want:  []string{"推进<mark>廉政风险</mark>防控。"},
		},
		{
			name:  "overlapping matches merge",
			text:  "全面从严治党。",
			terms: terms("全面从严", "从严治党"),
			want:  []string{"<mark>全面从严治党</mark>。"},
		},
		{
			name:  "a full-width term marks half-width text and back",
			text:  "PM2.5浓度下降，ＰＭ２．５达标。",
			terms: terms("ｐｍ２.５"),
			want:  []string{"<mark>PM2.5</mark>浓度下降，<mark>ＰＭ２．５</mark>达标。"},
		},
		{
			name:  "a term does not match across punctuation",
			text:  "做好三、资金管理。严格三资管理。",
			terms: terms("三资"),
			want:  []string{"严格<mark>三资</mark>管理。"},
		},
		{
			name:  "at most three passages",
			text:  "党。党。党。党。党。",
			terms: terms("党"),
			want:  []string{"<mark>党</mark>。", "<mark>党</mark>。", "<mark>党</mark>。"},
		},
		{
			name:  "without a match the first sentence stands",
			text:  "第一句话。第二句话。",
			terms: nil,
			want:  []string{"第一句话。"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fragments(tt.text, nil, tt.terms)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("fragments:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestLongSentencesAreCut(t *testing.T) {
	text := strings.Repeat("甲", 500) + "廉政风险" + strings.Repeat("乙", 500)
	got := fragments(text, nil, terms("廉政风险"))
	if len(got) != 1 || !strings.HasPrefix(got[0], "…") || !strings.HasSuffix(got[0], "…") || len([]rune(got[0])) > 2*maxFragmentRunes+30 {
		t.Errorf("fragment of a run-on sentence: %q", got)
	}
}

// TestMatchSpansAgreeWithNormalize: marks found in the normalised bytes and
// located in the source are those Normalize's offsets give, on every
// section of testdata.
func TestMatchSpansAgreeWithNormalize(t *testing.T) {
	qs := []string{"整改", "党", "廉政风险", "2021年", "三、四", "PM2.5", "责任", "一岗双责", "的"}
	for _, s := range testSections {
		cs := dict.Normalize(s.Text)
		for _, q := range qs {
			var want []span
			for _, t := range terms(q) {
				want = append(want, findAll(cs, dict.NormalizeTerm(string(t)))...)
			}
			want = mergeSpans(want)
			got := matchSpans(s.Text, nil, terms(q))
			if len(got) != len(want) {
				t.Fatalf("%s, %q: %d marks, want %d", s.ID, q, len(got), len(want))
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s, %q: mark %d at %v, want %v", s.ID, q, i, got[i], want[i])
				}
			}
		}
	}
}
