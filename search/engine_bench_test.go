package search

import "testing"

// BenchmarkSearch measures one query of each kind over testdata's index,
// with and without the highlighting of the first page.
func BenchmarkSearch(b *testing.B) {
	for _, c := range []struct{ name, q string }{
		{"word", "廉政风险"},
		{"subword", "廉政"},
		{"char", "党"},
		{"crossword", "政风"},
		{"number", "2021年"},
		{"latin", "PM2.5"},
		{"punctuation", "三、四季度"},
		{"multi", "安全生产 检查 -消防"},
		{"or", "巡察 OR 巡视"},
		{"filter", "整改 region:温州市 year:2021"},
	} {
		for _, hl := range []bool{true, false} {
			name := c.name
			if !hl {
				name += "/nohighlight"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					if _, err := testEngine.Search(b.Context(), Request{Query: c.q, NoFragments: !hl}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkFragments measures highlighting alone on a long section.
func BenchmarkFragments(b *testing.B) {
	var text string
	for _, s := range testSections {
		if len(s.Text) > len(text) {
			text = s.Text
		}
	}
	ts := terms("整改", "廉政风险")
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		fragments(text, ts)
	}
}
