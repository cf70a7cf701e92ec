package indexer

import (
	"os"
	"strings"
	"testing"
)

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"时间:2021-06-18 来源:", "2021-06-18"},
		{"发布时间: 2015-09-21 08:56", "2015-09-21"},
		{"2021年6月18日", "2021-06-18"},
		{"２０２１年６月１８日", "2021-06-18"},
		{"2020/5/4", "2020-05-04"},
		{"二〇二一年六月十八日", "2021-06-18"},
		{"二〇二〇年十二月三十一日", "2020-12-31"},
		{"二○一九年十月一日", "2019-10-01"},
		{"2021年2月30日", ""},
		{"no date here", ""},
	}
	for _, tt := range tests {
		got, _ := parseDate(tt.in)
		if got != tt.want {
			t.Errorf("parseDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeDocNumber(t *testing.T) {
	tests := []struct{ in, want string }{
		{"浙委发〔2021〕12号", "浙委发〔2021〕12号"},
		{"岚综管综［2015］188号", "岚综管综〔2015〕188号"},
		{"岚综管综[2015]188号", "岚综管综〔2015〕188号"},
		{"温政办（2020）7号", "温政办〔2020〕7号"},
		{"温政办(2020)07号", "温政办〔2020〕7号"},
		{"浙委发〔２０２１〕１２号", "浙委发〔2021〕12号"},
		{"没有文号", ""},
	}
	for _, tt := range tests {
		if got := normalizeDocNumber(tt.in); got != tt.want {
			t.Errorf("normalizeDocNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDocNumberInBodyIgnoresCitations(t *testing.T) {
	cited := []string{"根据《关于加强管理的通知》（闽安委办函〔2015〕47号）要求，现将有关事项通知如下。"}
	if got := docNumberInBody(cited); got != "" {
		t.Errorf("a cited number was taken as the notice's own: %q", got)
	}
	own := []string{"岚综管综〔2015〕188号平潭综合实验区管委会关于整改落实情况的报告"}
	if got := docNumberInBody(own); got != "岚综管综〔2015〕188号" {
		t.Errorf("docNumberInBody = %q", got)
	}
}

func TestKindFromTitle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"中共温州市瓯海区委关于十四届省委第十轮巡视整改进展情况的通报", "通报"},
		{"关于公开征求《外卖骑手小额举报奖励实施方案》意见的通告", "通告"},
		{"平潭综合实验区工程建设项目剩余砂石土资源管理暂行办法（试行）", "办法"},
		{"上海市中小学校外实践教育促进规定", "规定"},
		{"关于进一步加强全区城市供水安全保障工作的实施意见", "意见"},
		{"深度关注 | 严查借快递送礼", ""},
	}
	for _, tt := range tests {
		if got := kindFromTitle(tt.in); got != tt.want {
			t.Errorf("kindFromTitle(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIssuer(t *testing.T) {
	if got := issuerFromTitle("中共温州市瓯海区委关于十四届省委第十轮巡视整改进展情况的通报"); got != "中共温州市瓯海区委" {
		t.Errorf("issuerFromTitle = %q", got)
	}
	if got := issuerFromTitle("关于做好防汛工作的通知"); got != "" {
		t.Errorf("issuerFromTitle without issuer = %q", got)
	}
	lines := []string{"现将有关事项通知如下。", "特此通知。", "平潭综合实验区管委会2015年9月16日"}
	if got := issuerFromSignature(lines, 2); got != "平潭综合实验区管委会" {
		t.Errorf("issuerFromSignature on one line = %q", got)
	}
	lines = []string{"现将有关事项通知如下。", "中共温州市鹿城区委办公室", "2021年3月2日"}
	if got := issuerFromSignature(lines, 2); got != "中共温州市鹿城区委办公室" {
		t.Errorf("issuerFromSignature on the line above = %q", got)
	}
	if got := issuerFromInfo("2020年5月14日 上海市第十五届人民代表大会常务委员会第二十一次会议通过"); got != "上海市人民代表大会常务委员会" {
		t.Errorf("issuerFromInfo = %q", got)
	}
	if got := issuerFromInfo("2021年12月24日 国家市场监督管理总局令第49号公布"); got != "国家市场监督管理总局" {
		t.Errorf("issuerFromInfo decree = %q", got)
	}
}

func TestCleanBodyDropsClutter(t *testing.T) {
	text := "您现在的位置:首页\n\u00a0>\u00a0廉政新闻 > 巡察工作\n某某区委关于整改情况的通报\n时间:2021-06-18 来源:某某网站 字号:[ ]\n\r\n\u3000\u3000根据部署，现将情况通报如下。\r\n\u3000\u3000一、基本情况\n\n\n联系电话：0577-1234567\n【返回顶部】【打印本稿】【关闭本页】\n0\nProduced By 大汉网络 大汉版通发布系统"
	lines, found := cleanBody(text, "某某区委关于整改情况的通报", false)
	want := []string{"根据部署，现将情况通报如下。", "一、基本情况", "联系电话：0577-1234567"}
	if len(lines) != len(want) {
		t.Fatalf("lines = %q, want %q", lines, want)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i, lines[i], want[i])
		}
	}
	if found["date"] != "2021-06-18" || found["source"] != "某某网站" {
		t.Errorf("found = %v", found)
	}
}

func TestCleanBodyOneLinePage(t *testing.T) {
	title := "关于做好安全生产工作的通知"
	text := "当前位置： 首页政务公开最新文件 关于做好安全生产工作的通知 时间：2015-09-21 08:56 微信 微博 QQ空间 岚综管综〔2015〕188号平潭综合实验区管委会关于做好安全生产工作的通知各单位：一、加强检查。二、落实责任。平潭综合实验区管委会2015年9月16日 来源：中国平潭 附件下载"
	lines, found := cleanBody(text, title, false)
	want := "岚综管综〔2015〕188号平潭综合实验区管委会关于做好安全生产工作的通知各单位：一、加强检查。二、落实责任。平潭综合实验区管委会2015年9月16日"
	if len(lines) != 1 || lines[0] != want {
		t.Fatalf("lines = %q\nwant %q", lines, want)
	}
	if found["date"] != "2015-09-21" || found["source"] != "中国平潭" {
		t.Errorf("found = %v", found)
	}
}

// TestSeedNotice checks the notice the project was conceived from, when
// the shared folder is beside the checkout.
func TestSeedNotice(t *testing.T) {
	const seed = "../../shared/seed/ouhai-xunshi-zhenggai-2021.txt"
	if _, err := os.Stat(seed); err != nil {
		t.Skip("shared seed notice not present")
	}
	n, err := ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ field, got, want string }{
		{"title", n.Title, "中共温州市瓯海区委关于十四届省委第十轮巡视整改进展情况的通报"},
		{"date", n.Date, "2021-06-18"},
		{"source", n.Source, "浙江省纪委省监委网站"},
		{"issuer", n.Issuer, "中共温州市瓯海区委"},
		{"region", n.Region.String(), "浙江省 · 温州市 · 瓯海区"},
		{"kind", n.Kind, "通报"},
	} {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
		}
	}
	checkLossless(t, n.Body, n.Sections)
	var top []Section
	children := 0
	for _, s := range n.Sections {
		switch s.Level {
		case 1:
			top = append(top, s)
		case 2:
			children++
		}
	}
	if len(top) != 15 {
		t.Fatalf("%d top-level sections, want 15", len(top))
	}
	for i, s := range top {
		if s.Ordinal != i+1 {
			t.Errorf("top-level section %d has ordinal %d", i+1, s.Ordinal)
		}
	}
	if children < 30 {
		t.Errorf("%d second-level sections, want the (一)(二)… of most parts", children)
	}
	first, last := n.Sections[0], n.Sections[len(n.Sections)-1]
	if first.Heading != "" || first.Level != 0 || !strings.HasPrefix(first.Text, "根据省委统一部署") {
		t.Errorf("first section is not the preamble: %q", first.Text[:min(60, len(first.Text))])
	}
	if last.Heading != "" || last.Level != 0 || !strings.HasPrefix(last.Text, "下一步") {
		t.Errorf("last section is not the closing part: %q", last.Text[:min(60, len(last.Text))])
	}
	want7 := []string{"七、关于区委、区纪委对工程建设、行政审批、拆迁安置等重点领域存在的廉政风险重视不够问题的整改情况", "(三)加大重点领域风险隐患排查和案件查处"}
	found := false
	for _, s := range n.Sections {
		if len(s.Path) == 2 && s.Path[0] == want7[0] && s.Path[1] == want7[1] {
			found = true
		}
	}
	if !found {
		t.Errorf("no section with path %q", want7)
	}
}

func TestArticleKind(t *testing.T) {
	for _, tc := range []struct{ title, column, want string }{
		{"清风时评丨以钉钉子精神抓好节日作风", "评论", "评论"},
		{"某某观潮 | 坚守节点寸步不让", "要闻", "评论"},
		{"网言网语丨风清气正过佳节", "留言板", "评论"},
		{"一篇没有栏目名的文章", "评论", "评论"},
		{"中央纪委国家监委公开通报十起违反中央八项规定精神典型问题", "头条", "通报"},
		{"深度关注丨节前公开通报释放强烈信号防治节日“四风”问题", "头条", "新闻"},
		{"深度关注 | 织密节日监督网", "头条", "新闻"},
		{"解读上半年查处违反中央八项规定精神问题数据", "头条", "解读"},
		{"严字当头——开展教育整顿工作综述", "", "综述"},
		{"专访某某研究院负责同志", "要闻", "访谈"},
		{"锲而不舍落实中央八项规定精神", "要闻", "新闻"},
		{"某区2023年优化营商环境工作情况", "工作动态", "新闻"},
		{"某区2023年优化营商环境工作情况", "政务公开", ""},
	} {
		if got := articleKind(tc.title, tc.column, nil); got != tc.want {
			t.Errorf("articleKind(%q, %q) = %q, want %q", tc.title, tc.column, got, tc.want)
		}
	}
	// A byline under the title, or a news outlet as the source, shows an article.
	if got := articleKind("持续加固作风堤坝", "", []string{"本刊记者 某某某", "正文。"}); got != "新闻" {
		t.Errorf("with a byline: %q, want 新闻", got)
	}
	if got := articleKind("持续加固作风堤坝", "", nil, "", "中国纪检监察杂志"); got != "新闻" {
		t.Errorf("from a magazine: %q, want 新闻", got)
	}
}

func TestFileNameDate(t *testing.T) {
	for name, want := range map[string]string{
		"ccdi/t20230914_296107.html": "2023-09-14",
		"t20231020_100305.html":      "2023-10-20",
		"2021-06-18-tongzhi.html":    "2021-06-18",
		"t20230231_1.html":           "", // no such day
		"28687_bmwj_202110.txt":      "", // a month, not a day
		"laws/00012_20230914.md":     "", // a number inside a name
		"ouhai-2022-xuncha.txt":      "",
	} {
		if got := fileNameDate(name); got != want {
			t.Errorf("fileNameDate(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestDateFrom: a page's own date wins and is recorded as the page's; a
// page without one takes its file name's, recorded as such.
func TestDateFrom(t *testing.T) {
	page := []byte(`<html><head><meta name="ArticleTitle" content="清风时评丨守住节日廉关"></head><body><div><p>节日是检验作风的考场，党员干部要守住底线，不碰红线。纪检监察机关将紧盯节点，严查顶风违纪行为。</p></div></body></html>`)
	dated := []byte(strings.Replace(string(page), "</head>", `<meta name="PubDate" content="2023-09-20 08:00"></head>`, 1))
	for _, tc := range []struct {
		path      string
		data      []byte
		date, src string
	}{
		{"t20230914_1.html", page, "2023-09-14", DateFromFileName},
		{"t20230914_1.html", dated, "2023-09-20", DateFromPage},
		{"pinglun.html", page, "", ""},
	} {
		n, err := Parse(tc.path, tc.data)
		if err != nil {
			t.Fatal(err)
		}
		if n.Date != tc.date || n.DateFrom != tc.src {
			t.Errorf("%s: date %q from %q, want %q from %q", tc.path, n.Date, n.DateFrom, tc.date, tc.src)
		}
	}
}
