package figures

import (
	"strings"
	"testing"

	"noticesearch/indexer"
)

type want struct {
	label string
	value float64
	unit  string
}

// has checks that figs hold every figure of wants, each once at least,
// and reports what they hold besides.
func has(t *testing.T, figs []Figure, wants []want) {
	t.Helper()
	for _, w := range wants {
		found := false
		for _, f := range figs {
			if f.Label == w.label && f.Value == w.value && f.Unit == w.unit {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no figure %s %v%s", w.label, w.value, w.unit)
		}
	}
	if t.Failed() {
		for _, f := range figs {
			t.Logf("found %s %v %s (%q)", f.Label, f.Value, f.Unit, f.Text)
		}
	}
}

// TestSeedFigures: every figure of the seed notice's third paragraph,
// with its label and unit.
func TestSeedFigures(t *testing.T) {
	n, err := indexer.ReadFile("../../shared/seed/ouhai-xunshi-zhenggai-2021.txt")
	if err != nil {
		t.Skipf("the seed notice: %v", err)
	}
	var para string
	for _, s := range n.Sections {
		if strings.Contains(s.Text, "巡视反馈后") {
			para = s.Text[strings.Index(s.Text, "巡视反馈后"):]
			break
		}
	}
	if para == "" {
		t.Fatal("no third paragraph")
	}
	if i := strings.Index(para, "\n"); i > 0 {
		para = para[:i]
	}
	figs := Extract(para)
	wants := []want{
		{"信访积案", 449, "件"}, {"办结", 449, "件"}, {"办结率", 100, "%"}, {"问题线索", 32, "件"}, {"办结", 32, "件"},
		{"党纪处分", 21, "人"}, {"党内警告", 11, "人"}, {"严重警告", 7, "人"}, {"开除党籍", 3, "人"},
		{"政务处分", 12, "人"}, {"警告", 4, "人"}, {"记过", 1, "人"}, {"降级", 3, "人"}, {"撤职", 1, "人"}, {"开除", 3, "人"},
		{"组织处理", 15, "人"}, {"调离岗位", 1, "人"}, {"免职", 2, "人"}, {"其他", 12, "人"},
		{"诫勉", 3, "人"}, {"教育提醒", 14, "人"}, {"建立完善制度", 57, "项"}, {"清退款项", 258, "万元"}, {"挽回经济损失", 489, "万元"},
	}
	has(t, figs, wants)
	if len(figs) != len(wants)+1 { // 办结率 twice
		t.Errorf("%d figures, want %d", len(figs), len(wants)+1)
		for _, f := range figs {
			t.Logf("%s %v %s (%q)", f.Label, f.Value, f.Unit, f.Text)
		}
	}
	for _, f := range figs {
		if !strings.Contains(para, f.Text) || !strings.Contains(f.Sentence, f.Text) || para[f.Start:f.End] != f.Text {
			t.Errorf("%+v: not where it says", f)
		}
	}
}

// TestNoticeFigures: the figures of a rectification report of testdata,
// and none of its dates, document numbers or article numbers.
func TestNoticeFigures(t *testing.T) {
	n, err := indexer.ReadFile("../testdata/notices/lucheng-2021-xunshi-zhenggai.txt")
	if err != nil {
		t.Fatal(err)
	}
	var figs []Figure
	for _, s := range n.Sections {
		figs = append(figs, Extract(s.Text)...)
	}
	has(t, figs, []want{
		{"问题线索", 41, "件"}, {"立案", 29, "件"}, {"处理", 23, "人"}, {"清偿到位", 2893, "万元"}, {"清偿率", 100, "%"},
		{"问题线索", 18, "件"}, {"办结", 16, "件"}, {"党纪政务处分", 8, "人"}, {"组织处理", 5, "人"}, {"信访件", 214, "件"},
		{"办结", 209, "件"}, {"办结率", 97.7, "%"},
	})
	for _, f := range figs {
		if f.Label == "" || strings.ContainsAny(f.Text, "〔〕") || f.Unit == "年" || f.Unit == "月" || f.Unit == "日" || f.Unit == "号" {
			t.Errorf("not a figure: %+v", f)
		}
	}
}

func TestExtractForms(t *testing.T) {
	for _, c := range []struct {
		text string
		want []want
	}{
		{"共排查廉政风险点三十二个，整改完成率达到百分之九十五。", []want{{"排查廉政风险点", 32, "个"}, {"整改完成率", 95, "%"}}},
		{"全年处置问题线索200余件，收回资金四百八十九万元。", []want{{"问题线索", 200, "件"}, {"收回资金", 489, "万元"}}},
		{"其中诫勉谈话3人，受理信访举报1,234件。", []want{{"诫勉", 3, "人"}, {"信访举报", 1234, "件"}}},
		{"根据《条例》第十二条和〔2021〕9号文件，2021年3月召开会议一次。", nil},
		{"通报曝光典型问题4批次，召开推进会等7次，办理时间压缩至0.5个工作日。", []want{{"通报曝光典型问题", 4, "批次"}, {"召开推进会", 7, "次"}, {"办理时间压缩至", 0.5, "个工作日"}}},
		{"一是统一部署，两个维护，一岗双责。", nil},
	} {
		figs := Extract(c.text)
		has(t, figs, c.want)
		if len(figs) != len(c.want) {
			t.Errorf("%s: %d figures, want %d: %+v", c.text, len(figs), len(c.want), figs)
		}
	}
}

// FuzzExtract: any text, figures within it, where they say, with a label.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{"给予党纪处分21人(党内警告11人)", "移交的449件信访积案", "百分之九十五", "四百八十九万元", "第十二条", "200余件", "1,234.5万元", "\xff\xfe二○二一件"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, fig := range Extract(text) {
			if fig.Start < 0 || fig.End > len(text) || fig.Start >= fig.End || text[fig.Start:fig.End] != fig.Text || fig.Label == "" || fig.Unit == "" {
				t.Fatalf("%q: %+v", text, fig)
			}
		}
	})
}
