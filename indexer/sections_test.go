package indexer

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// outline renders sections as "level heading" lines, "-" for a heading-less part.
func outline(secs []Section) string {
	var b strings.Builder
	for _, s := range secs {
		h := s.Heading
		if h == "" {
			h = "-"
		}
		fmt.Fprintf(&b, "%d %s\n", s.Level, h)
	}
	return b.String()
}

func checkLossless(t *testing.T, body string, secs []Section) {
	t.Helper()
	var b strings.Builder
	for i, s := range secs {
		if s.Text != body[s.Start:s.End] {
			t.Fatalf("section %d: Text is not body[%d:%d]", i, s.Start, s.End)
		}
		if i > 0 && s.Start != secs[i-1].End {
			t.Fatalf("section %d starts at %d, previous ends at %d", i, s.Start, secs[i-1].End)
		}
		b.WriteString(s.Text)
	}
	if b.String() != body {
		t.Fatalf("sections do not concatenate to the body:\n got %q\nwant %q", b.String(), body)
	}
}

func TestSplitSections(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{
			name: "headings on their own lines nest by style",
			body: "根据部署，现将情况通报如下。\n一、关于学习不深入问题的整改情况\n（一）强化理论学习。全年学习12次。\n（二）强化学以致用。\n二、关于作风问题的整改情况\n（一）开展专项整治。\n1.清理文件。\n2.精简会议。\n（1）压减数量。\n（2）提高质量。",
			want: "0 -\n1 一、关于学习不深入问题的整改情况\n2 （一）强化理论学习\n2 （二）强化学以致用\n1 二、关于作风问题的整改情况\n2 （一）开展专项整治\n3 1.清理文件\n3 2.精简会议\n4 （1）压减数量\n4 （2）提高质量\n",
		},
		{
			name: "inline headings in one long line",
			body: "现将整改情况报告如下：一、加快推进标准化建设。二、区交通与建设局1、规范管理台账。2、制定实施方案。三、潭城、北厝镇政府（一）潭城镇政府1、完善档案资料。2、排查无牌车辆。（二）北厝镇政府1、落实整改。",
			want: "0 -\n1 一、加快推进标准化建设\n1 二、区交通与建设局\n2 1、规范管理台账\n2 2、制定实施方案\n1 三、潭城、北厝镇政府\n2 （一）潭城镇政府\n3 1、完善档案资料\n3 2、排查无牌车辆\n2 （二）北厝镇政府\n3 1、落实整改\n",
		},
		{
			name: "enumerations and numbers inside sentences are not headings",
			body: "一是提高站位，先后12次召开会议。二是压实责任，投入1.56亿元。三是完善制度，见（2021）3号文。\n一、总体情况\n全区三、四季度完成目标，二、三产业同比增长，第3季度完成12次检查。\n二、存在问题\n（2021）年度任务（3）项未完成。",
			want: "0 -\n1 一、总体情况\n1 二、存在问题\n",
		},
		{
			name: "a heading that skips a level nests directly",
			body: "一、工作目标\n1.到2025年建成示范区。\n2.规上企业突破500家。\n二、主要措施\n1.强化要素保障。",
			want: "1 一、工作目标\n2 1.到2025年建成示范区\n2 2.规上企业突破500家\n1 二、主要措施\n2 1.强化要素保障\n",
		},
		{
			name: "out-of-sequence numbers stay text",
			body: "一、基本情况\n三、这行不是标题因为跳过了二\n二、真正的第二部分\n五、也不是标题",
			want: "1 一、基本情况\n1 二、真正的第二部分\n",
		},
		{
			name: "regulation chapters and articles, cross references stay text",
			body: "第一章 总则\n第一条 为了规范管理，制定本条例。\n第二条 本条例适用于本市。依照本条例第一条的规定执行。\n第二章 监督管理\n第三条 市人民政府负责监督。\n（一）制定规划；\n（二）组织实施。\n第四条 违反本条例第三条规定的，责令改正。",
			want: "1 第一章 总则\n2 第一条\n2 第二条\n1 第二章 监督管理\n2 第三条\n2 第四条\n",
		},
		{
			name: "a table of contents before the chapters folds into the preamble",
			body: "目录\n第一章 总则\n第二章 附则\n第一章 总则\n第一条 为了规范管理，制定本条例。\n第二章 附则\n第二条 本条例自公布之日起施行。",
			want: "0 -\n1 第一章 总则\n2 第一条\n1 第二章 附则\n2 第二条\n",
		},
		{
			name: "the part after the last heading is the closing part",
			body: "一、基本情况\n全面完成整改。\n二、下一步打算\n持续巩固成果。\n下一步，区委将继续抓好整改。\n联系电话：0577-12345678\n中共某某区委\n2021年6月18日",
			want: "1 一、基本情况\n1 二、下一步打算\n0 -\n",
		},
		{
			name: "a body without headings is one preamble",
			body: "现将有关事项通知如下，请认真贯彻执行。",
			want: "0 -\n",
		},
		{
			name: "headings run into their text end after the part name",
			body: "现将有关事项通知如下。一、工作目标以习近平总书记关于安全生产的重要论述为指导，确保不发生较大事故。二、考核对象各行政村三、保障措施 各单位要加强领导。",
			want: "0 -\n1 一、工作目标\n1 二、考核对象\n1 三、保障措施\n",
		},
		{
			name: "a part name that goes on, or stands alone on a short line, stays whole",
			body: "一、工作目标和任务以习近平新时代中国特色社会主义思想为指导。\n二、主要任务完成情况\n全部完成。\n三、工作目标任务\n稳步推进。",
			want: "1 一、工作目标和任务以习近平新时代中国特色社会主义思想为指导\n1 二、主要任务完成情况\n1 三、工作目标任务\n",
		},
		{
			name: "the next number of the list after a character with no punctuation",
			body: "现将有关事项通知如下。一、组织领导成立领导小组，组长：某某 区应急管理局局长 成员：某某 区应急管理局副主任科员二、安全专项检查（一）检查范围在建工地（二）检查内容防汛物资储备三、工作要求各单位按时报送。",
			want: "0 -\n1 一、组织领导\n1 二、安全专项检查\n2 （一）检查范围\n2 （二）检查内容\n1 三、工作要求\n",
		},
		{
			name: "numbers listed in a sentence stay text on a one-line page",
			body: "现将有关事项通知如下。一、总体要求统筹做好二、三产业安全监管，完成第二、三批检查，推进一、二类企业整改。二、工作要求按时报送。",
			want: "0 -\n1 一、总体要求\n1 二、工作要求\n",
		},
		{
			name: "quoted titles with heading-like text stay text",
			body: "一、学习贯彻情况\n认真学习《关于一、二类地区的意见（试行）》和“（一）号文件”精神。\n二、整改落实情况\n全部完成。",
			want: "1 一、学习贯彻情况\n1 二、整改落实情况\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secs := splitSections(tt.body)
			checkLossless(t, tt.body, secs)
			if got := outline(secs); got != tt.want {
				t.Errorf("outline:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestSectionPaths(t *testing.T) {
	body := "一、关于廉政风险重视不够问题的整改情况\n（一）区委书记带头履责。\n（三）这不是标题\n（二）加大重点领域风险隐患排查和案件查处。\n1.开展专项检查。"
	secs := splitSections(body)
	last := secs[len(secs)-1]
	want := []string{"一、关于廉政风险重视不够问题的整改情况", "（二）加大重点领域风险隐患排查和案件查处", "1.开展专项检查"}
	if fmt.Sprint(last.Path) != fmt.Sprint(want) {
		t.Errorf("path = %q, want %q", last.Path, want)
	}
	if last.Level != 3 || last.Ordinal != 1 {
		t.Errorf("level, ordinal = %d, %d; want 3, 1", last.Level, last.Ordinal)
	}
}

func TestChineseOrdinal(t *testing.T) {
	for s, want := range map[string]int{"一": 1, "十": 10, "十二": 12, "二十": 20, "二十三": 23, "一百": 100, "一百零五": 105, "一百二十": 120, "两百": 200, "一千零一": 1001} {
		if got := chineseOrdinal(s); got != want {
			t.Errorf("chineseOrdinal(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestLongSectionsAreBounded: a section longer than maxSectionBytes is cut
// into parts under the same heading, each cut at the best place there is.
func TestLongSectionsAreBounded(t *testing.T) {
	sentence := "各单位要对照岗位职责，逐项排查廉政风险点。"
	for _, tc := range []struct {
		name string
		body string
		// cutAfter says what every part but the last must end with.
		cutAfter func(part string) bool
	}{
		{"sentences on one line", "一、排查要求\n" + strings.Repeat(sentence, 5000),
			func(p string) bool { return strings.HasSuffix(p, "。") }},
		{"sentences in quotes", "一、排查要求\n" + strings.Repeat("他说：“"+sentence+"”", 4000),
			func(p string) bool { return strings.HasSuffix(p, "。”") }},
		{"clauses without a full stop", "一、排查要求\n" + strings.Repeat("逐项排查廉政风险点，", 10000),
			func(p string) bool { return strings.HasSuffix(p, "，") }},
		{"lines without punctuation", strings.Repeat("逐项排查廉政风险点\n", 10000),
			func(p string) bool { return strings.HasSuffix(p, "\n") }},
		{"no punctuation and no line break", strings.Repeat("逐项排查廉政风险点", 10000),
			func(p string) bool { return utf8.ValidString(p) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			secs := splitSections(tc.body)
			checkLossless(t, tc.body, secs)
			if len(secs) < 3 {
				t.Fatalf("%d sections for %d bytes", len(secs), len(tc.body))
			}
			for i, s := range secs {
				if len(s.Text) > maxSectionBytes || len(s.Text) < maxSectionBytes/2 && i < len(secs)-1 {
					t.Errorf("section %d holds %d bytes", i, len(s.Text))
				}
				if s.Seq != i || s.Heading != secs[0].Heading || s.Level != secs[0].Level || strings.Join(s.Path, "/") != strings.Join(secs[0].Path, "/") {
					t.Errorf("section %d: seq %d, heading %q, level %d, path %q; the first part has %q, %d, %q", i, s.Seq, s.Heading, s.Level, s.Path, secs[0].Heading, secs[0].Level, secs[0].Path)
				}
				if i < len(secs)-1 && !tc.cutAfter(s.Text) {
					t.Errorf("section %d ends with %q", i, s.Text[len(s.Text)-12:])
				}
			}
		})
	}
}

// TestSubheadSections: an article without numbered headings is cut at
// the lines its page set apart as headings; the title and lead above the
// first sentence, and a subhead's second line, are no sections.
func TestSubheadSections(t *testing.T) {
	body := "聚焦节点……各地持续纠治节日“四风”\n织密节日监督网\n记者 某某某\n节前，各地纪检监察机关开展明察暗访。\n抽丝剥茧循线追踪——\n清仓见底摸排问题线索\n某市纪委监委紧盯问题线索。\n创新监督方式\n一些地方运用大数据比对消费记录。"
	subheads := []string{"聚焦节点……各地持续纠治节日“四风”", "织密节日监督网", "抽丝剥茧循线追踪——", "清仓见底摸排问题线索", "创新监督方式"}
	secs := splitSections(body, subheads...)
	checkLossless(t, body, secs)
	want := "0 -\n1 抽丝剥茧循线追踪——清仓见底摸排问题线索\n1 创新监督方式\n"
	if got := outline(secs); got != want {
		t.Errorf("outline:\n%s\nwant:\n%s", got, want)
	}
	// Numbered headings win over subheads, and one subhead is no outline.
	if got := outline(splitSections("一、基本情况\n全面完成。\n二、存在问题\n仍有不足。", "基本情况", "存在问题")); got != "1 一、基本情况\n1 二、存在问题\n" {
		t.Errorf("numbered: %s", got)
	}
	if got := outline(splitSections("节前开展检查。\n创新监督方式\n运用大数据。", "创新监督方式")); got != "0 -\n" {
		t.Errorf("one subhead: %s", got)
	}
}
