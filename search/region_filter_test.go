package search

import (
	"path/filepath"
	"slices"
	"testing"

	"noticesearch/indexer"
)

// regionHits returns the base names of the notices a region: filter finds,
// sorted.
func regionHits(t *testing.T, e *Engine, value string) []string {
	t.Helper()
	res, err := e.Search(t.Context(), Request{Query: "region:" + value, Size: MaxSize, Collapse: true, NoFragments: true})
	if err != nil {
		t.Fatalf("region:%s: %v", value, err)
	}
	if len(res.Hits) == MaxSize {
		t.Fatalf("region:%s: more notices than a page holds", value)
	}
	var names []string
	for _, h := range res.Hits {
		if n := filepath.Base(h.Path); !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names
}

// What people type finds the notices of every region it can mean, and no
// other region's.
func TestRegionFilterAcceptsWhatPeopleSay(t *testing.T) {
	chaoyang := []string{"beijingchaoyang-2020-laji-fenlei.html", "changchunchaoyang-2019-xunqi-anquan.html"}
	gulou := []string{"fuzhougulou-2020-yiqing-tonggao.txt", "nanjinggulou-2018-shirong-zongjie.html", "nanjinggulou-2019-biaozhang-jueding.html", "nanjinggulou-2023-qingming-tongzhi.txt"}
	var pingtan []string // every notice of 平潭's, by its file name
	paths, _ := filepath.Glob(filepath.Join(noticeDir, "pingtan-*"))
	for _, p := range paths {
		pingtan = append(pingtan, filepath.Base(p))
	}
	if len(pingtan) < 3 {
		t.Fatalf("%d notices of 平潭 in testdata", len(pingtan))
	}
	ouhai := []string{"ouhai-2018-dianxing-wenti.txt", "ouhai-2022-xuncha-zhenggai.txt"}
	tests := []struct {
		name, value string
		want        []string
	}{
		{"an ambiguous short name finds every candidate", "朝阳", chaoyang},
		{"an ambiguous full name finds every candidate", "朝阳区", chaoyang},
		{"the city settles which 朝阳区", "北京市朝阳区", chaoyang[:1]},
		{"a short city name settles which 朝阳区", "长春朝阳区", chaoyang[1:]},
		{"鼓楼 finds 福州's and 南京's", "鼓楼", gulou},
		{"福州鼓楼 finds 福州's alone", "福州鼓楼", gulou[:1]},
		{"南京鼓楼区 finds 南京's alone", "南京市鼓楼区", gulou[1:]},
		{"平潭", "平潭", pingtan},
		{"平潭县 is the same region", "平潭县", pingtan},
		{"平潭综合实验区", "平潭综合实验区", pingtan},
		{"a county's short name", "瓯海", ouhai},
		{"a county's full name", "瓯海区", ouhai},
		{"city and county run together", "温州瓯海", ouhai},
		{"a street finds the notices of the street alone", "潘桥街道", ouhai[1:]},
		{"the central commission's articles are national", "中央", []string{"t20230914_100201.html", "t20231020_100305.html"}},
		{"a town elsewhere finds nothing", "芦洋乡", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := regionHits(t, testEngine, tt.value); !slices.Equal(got, tt.want) {
				t.Errorf("region:%s found %q, want %q", tt.value, got, tt.want)
			}
		})
	}
}

// The index's answer to a region: filter is the eval scan's
// (Filters.matches), notice by notice.
func TestRegionFilterAgreesWithTheScan(t *testing.T) {
	files, err := indexer.Files(t.Context(), []string{noticeDir})
	if err != nil {
		t.Fatal(err)
	}
	var metas []indexer.Meta
	for _, f := range files {
		n, err := indexer.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		metas = append(metas, indexer.Meta{Path: n.Path, Title: n.Title, Date: n.Date, Region: n.Region,
			Source: n.Source, Issuer: n.Issuer, Kind: n.Kind, DocNumber: n.DocNumber})
	}
	for _, v := range []string{
		"浙江", "浙江省", "温州", "温州市", "瓯海", "温州瓯海", "潘桥街道", "朝阳", "朝阳区", "北京市朝阳区",
		"吉林", "鼓楼", "鼓楼区", "福州鼓楼", "平潭", "平潭县", "福建", "中央", "城关镇", "深圳南山", "顺德",
		"不存在的地方",
	} {
		var want []string
		for i := range metas {
			if (Filters{Region: []string{v}}).matches(&metas[i]) {
				want = append(want, filepath.Base(metas[i].Path))
			}
		}
		slices.Sort(want)
		if got := regionHits(t, testEngine, v); !slices.Equal(got, want) {
			t.Errorf("region:%s: the index found %q, the scan %q", v, got, want)
		}
	}
}

// Notices of central bodies are found by region:中央 and its names, and a
// town's notice by the town and its county, in an index of notices written
// here (the bundled ones have neither).
func TestRegionFilterCentralAndTowns(t *testing.T) {
	notices := map[string]string{
		"central.txt": "国务院办公厅关于加强基层监督工作的通知\n\n各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n" +
			"一、总体要求\n加强基层监督，压实一岗双责。\n二、工作措施\n健全廉政风险防控机制。\n\n国务院办公厅\n2023年5月8日\n",
		"ministry.txt": "生态环境部关于开展生态环境执法监督检查的通知\n\n各省、自治区、直辖市生态环境厅（局）：\n" +
			"一、检查内容\n压实一岗双责。\n\n生态环境部\n2022年3月1日\n",
		"town.txt": "中共平潭县芦洋乡委员会关于巡察整改进展情况的通报\n\n根据县委统一部署，县委第一巡察组对芦洋乡党委开展了巡察。\n" +
			"一、整改工作\n压实一岗双责。\n\n中共平潭县芦洋乡委员会\n2015年6月1日\n",
		"zone.txt": "平潭综合实验区管委会关于做好防汛工作的通知\n\n各片区管理局、各部门：\n一、压实责任\n压实一岗双责。\n\n" +
			"平潭综合实验区管委会\n2020年6月1日\n",
		"province.txt": "浙江省人民政府关于贯彻落实国务院加强基层监督工作的通知\n\n各市、县（市、区）人民政府：\n" +
			"一、总体要求\n压实一岗双责。\n\n浙江省人民政府\n2023年6月1日\n",
	}
	e := engineOfTexts(t, notices)

	central := []string{"central.txt", "ministry.txt"}
	pingtan := []string{"town.txt", "zone.txt"}
	for _, tt := range []struct {
		value string
		want  []string
	}{
		{"中央", central},
		{"全国", central},
		{"国务院", central},
		{"浙江", []string{"province.txt"}},
		{"平潭", pingtan},
		{"平潭县", pingtan},
		{"平潭综合实验区", pingtan},
		{"福建", pingtan},
		{"芦洋乡", []string{"town.txt"}},
		{"平潭县芦洋乡", []string{"town.txt"}},
		{"北厝镇", nil},
		{"城关镇", nil},
	} {
		if got := regionHits(t, e, tt.value); !slices.Equal(got, tt.want) {
			t.Errorf("region:%s found %q, want %q", tt.value, got, tt.want)
		}
	}
}
