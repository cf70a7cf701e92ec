package search

import (
	"os"
	"testing"

	"noticesearch/indexer"
)

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
		fragments(text, nil, ts)
	}
}

// BenchmarkSearchIndex measures the benchmark terms (bench/terms.txt's
// twenty, as bench/run.sh times them over HTTP) on the index named by
// $NOTICESEARCH_BENCH_INDEX, e.g. one built from ../shared/corpus/laws:
//
//	noticesearch index --index /tmp/laws.ix ../shared/corpus/laws
//	NOTICESEARCH_BENCH_INDEX=/tmp/laws.ix go test ./search -run XXX -bench SearchIndex
func BenchmarkSearchIndex(b *testing.B) {
	path := os.Getenv("NOTICESEARCH_BENCH_INDEX")
	if path == "" {
		b.Skip("set NOTICESEARCH_BENCH_INDEX to an index folder")
	}
	ix, err := indexer.OpenReader(path)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	e := New(ix)
	for _, q := range []string{"一岗双责", "廉政风险", "安全生产", "行政处罚", "生态环境", "不动产登记", "人民政府", "监督管理", "法律责任", "信访",
		"罚款", "县级以上", "消防", "疫情防控", "个人信息", "未成年人", "野生动物", "文物保护", "廉政", "党"} {
		// As the HTTP API asks by default: one hit per notice, with
		// passages, ten a page.
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := e.Search(b.Context(), Request{Query: q, Collapse: true}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
