package dict

import (
	"slices"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	g := DefaultGazetteer()
	tests := []struct {
		text                   string
		province, city, county string
		code                   string
	}{
		// Full names, one or several levels.
		{"中共温州市瓯海区委", "浙江省", "温州市", "瓯海区", "330304"},
		{"中共杭州市委办公厅", "浙江省", "杭州市", "", "330100"},
		{"浙江省纪委省监委", "浙江省", "", "", "330000"},
		{"深圳市南山区人民政府", "广东省", "深圳市", "南山区", "440305"},
		{"成都市武侯区教育局", "四川省", "成都市", "武侯区", "510107"},
		{"上海市人民代表大会常务委员会", "上海市", "", "", "310000"},
		{"宁夏回族自治区人民政府办公厅", "宁夏回族自治区", "", "", "640000"},
		{"恩施土家族苗族自治州人民政府", "湖北省", "恩施土家族苗族自治州", "", "422800"},
		{"湖北省仙桃市人民政府", "湖北省", "", "仙桃市", "429004"},
		{"仙桃市人民政府关于印发", "湖北省", "", "仙桃市", "429004"},
		// 平潭综合实验区 governs 平潭县 in its stead.
		{"中共福建省平潭县委", "福建省", "平潭综合实验区", "", "350128"},

		// A county alone brings its city and province when it is unique.
		{"瓯海区委", "浙江省", "温州市", "瓯海区", "330304"},

		// Ambiguous counties, settled by the city or province named.
		{"北京市朝阳区人民政府", "北京市", "", "朝阳区", "110105"},
		{"北京市朝阳区委", "北京市", "", "朝阳区", "110105"},
		{"长春市朝阳区纪委", "吉林省", "长春市", "朝阳区", "220104"},
		{"南京市鼓楼区人民政府", "江苏省", "南京市", "鼓楼区", "320106"},
		{"福州市鼓楼区", "福建省", "福州市", "鼓楼区", "350102"},
		{"吉林省朝阳区", "吉林省", "长春市", "朝阳区", "220104"},
		// ... and left open when nothing settles them.
		{"朝阳区委", "", "", "朝阳区", ""},
		{"鼓楼区人民政府", "", "", "鼓楼区", ""},
		{"江苏省鼓楼区", "江苏省", "", "鼓楼区", "320000"}, // 南京 and 徐州

		// Short forms next to an organ word or another division.
		{"温州瓯海区", "浙江省", "温州市", "瓯海区", "330304"},
		{"浙江温州", "浙江省", "温州市", "", "330300"},
		{"瓯海政府", "浙江省", "温州市", "瓯海区", "330304"},
		{"宁夏政协", "宁夏回族自治区", "", "", "640000"},
		{"恩施州委", "湖北省", "恩施土家族苗族自治州", "", "422800"},
		{"恩施州人民政府", "湖北省", "恩施土家族苗族自治州", "", "422800"},
		{"海南州人民政府", "青海省", "海南藏族自治州", "", "632500"},
		{"长阳县人民政府", "湖北省", "宜昌市", "长阳土家族自治县", "420528"},
		{"阿里地委", "西藏自治区", "阿里地区", "", "542500"},
		{"河南省委", "河南省", "", "", "410000"},
		{"河南政府", "河南省", "", "", "410000"}, // not 河南蒙古族自治县
		{"吉林政府", "吉林省", "", "", "220000"}, // not 吉林市

		// Special areas from regions_extra.tsv.
		{"平潭综合实验区管委会", "福建省", "平潭综合实验区", "", "350128"},
		{"河北雄安新区管理委员会", "河北省", "雄安新区", "", "130000"},
		{"重庆两江新区管委会", "重庆市", "", "两江新区", "500000"},

		// Two-character names need context.
		{"阳泉市城区人民政府", "山西省", "阳泉市", "城区", "140302"},
		{"范县委", "河南省", "濮阳市", "范县", "410926"},
		{"中共和县县委", "安徽省", "马鞍山市", "和县", "340523"},
		{"青海省共和县人民政府", "青海省", "海南藏族自治州", "共和县", "632521"},
		{"创建国家级示范县工作方案", "", "", "", ""},
		{"各市、区和县人民政府", "", "", "", ""},
		{"加快推进主城区建设", "", "", "", ""},
		{"关于推进新城区建设的意见", "", "", "", ""},
		{"老城区改造", "", "", "", ""},
		{"洛阳市老城区人民政府", "河南省", "洛阳市", "老城区", "410302"},
		{"新城区人民政府", "", "", "新城区", ""}, // 西安 and 呼和浩特

		// Bodies that govern the whole country (see TestResolveCentralBodies),
		// or no region.
		{"中央纪委国家监委", National, "", "", ""},
		{"国务院办公厅", National, "", "", ""},
		{"省委第七巡视组", "", "", "", ""},
		{"中山大学", "", "", "", ""},
		{"", "", "", "", ""},

		// The issuer comes first in titles that name other places.
		{"浙江省人民政府关于同意杭州市调整部分行政区划的批复", "浙江省", "杭州市", "", "330100"},
		{"温州市人民政府关于支持杭州市的意见", "浙江省", "温州市", "", "330300"},
	}
	for _, tt := range tests {
		got := g.Resolve(tt.text)
		want := Region{Province: tt.province, City: tt.city, County: tt.county, Code: tt.code}
		if got != want {
			t.Errorf("Resolve(%q) = %+v, want %+v", tt.text, got, want)
		}
	}
}

func TestRegionString(t *testing.T) {
	r := Region{Province: "浙江省", City: "温州市", County: "瓯海区"}
	if got := r.String(); got != "浙江省 · 温州市 · 瓯海区" {
		t.Errorf("String() = %q", got)
	}
	r.Town = "潘桥街道"
	if got := r.String(); got != "浙江省 · 温州市 · 瓯海区 · 潘桥街道" {
		t.Errorf("String() = %q", got)
	}
	if got := (Region{Province: National}).String(); got != "中央" {
		t.Errorf("String() = %q", got)
	}
	if got := (Region{Province: "北京市", County: "朝阳区"}).String(); got != "北京市 · 朝阳区" {
		t.Errorf("String() = %q", got)
	}
	if !(Region{}).IsZero() || (Region{County: "朝阳区"}).IsZero() {
		t.Error("IsZero wrong")
	}
	if (Region{Code: "110000"}).IsZero() != true {
		t.Error("a code alone names no region")
	}
}

func TestGazetteerData(t *testing.T) {
	g, err := LoadGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	var provinces, cities, counties, extra int
	for _, d := range g.divisions {
		switch d.level() {
		case 0:
			provinces++
		case 1:
			cities++
		case 2:
			counties++
		}
		if d.Code == "" {
			extra++
		}
	}
	// 31 mainland provinces, municipalities and autonomous regions, plus
	// 台湾省, 香港特别行政区 and 澳门特别行政区.
	if provinces != 34 {
		t.Errorf("%d province-level divisions, want 34", provinces)
	}
	// regions.tsv: 34 + 333 + 2974 = 3341 rows (NBS 2023 data, with its
	// development zones); regions_extra.tsv adds a dozen special areas,
	// 平潭综合实验区 with 平潭县's code.
	if got, _ := parseGazetteer(regionsTSV); len(got.divisions) != 3341 {
		t.Errorf("%d divisions in regions.tsv, want 3341", len(got.divisions))
	}
	if got := len(g.divisions) - extra; got != 3342 {
		t.Errorf("%d divisions with a code, want 3341 and 平潭综合实验区", got)
	}
	// towns.tsv: 41,352 towns and streets of 2023 and 6,406 older names.
	var towns, townNames int
	for name, ds := range g.towns.names {
		towns += len(ds)
		townNames++
		if strings.ContainsAny(name, " \t") || len(ds) == 0 {
			t.Errorf("town %q in %v", name, ds)
		}
	}
	if towns < 47000 || townNames < 30000 {
		t.Errorf("%d towns under %d names, want over 47,000 under over 30,000", towns, townNames)
	}
	if cities < 330 || counties < 2970 || extra < 3 {
		t.Errorf("%d cities, %d counties, %d extra areas", cities, counties, extra)
	}
	for _, d := range g.divisions {
		// Placeholders must have been dropped, and municipalities have no
		// city level.
		if d.City == "市辖区" || d.City == "县" || strings.Contains(d.City, "直辖") {
			t.Errorf("placeholder kept: %+v", d)
		}
		if (d.Province == "北京市" || d.Province == "上海市" || d.Province == "天津市" || d.Province == "重庆市") && d.City != "" {
			t.Errorf("municipality with a city: %+v", d)
		}
	}
	names := g.Names()
	for _, n := range []string{"浙江省", "温州市", "瓯海区", "朝阳区", "平潭综合实验区", "仙桃市", "香港特别行政区"} {
		if !slices.Contains(names, n) {
			t.Errorf("Names() lacks %s", n)
		}
	}
	if !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Error("Names() not sorted and unique")
	}
}

func TestParseGazetteerRejectsCorruptData(t *testing.T) {
	for _, data := range []string{
		"",
		"# only a comment\n",
		"code\tprovince\tcity\tcounty\n330000\t浙江省\n",
		"33000x\t浙江省\t\t\n",
		"330000\t\t温州市\t\n",
	} {
		if _, err := parseGazetteer(data); err == nil {
			t.Errorf("parseGazetteer(%q) accepted corrupt data", data)
		}
	}
	if _, err := parseGazetteer("code\tprovince\tcity\tcounty\n330000\t浙江省\t\t\n\t浙江省\t温州新区\t\n"); err != nil {
		t.Errorf("valid data rejected: %v", err)
	}
}

func TestShortForms(t *testing.T) {
	tests := map[string][]string{
		"浙江省":        {"浙江"},
		"宁夏回族自治区":    {"宁夏"},
		"新疆维吾尔自治区":   {"新疆"},
		"内蒙古自治区":     {"内蒙古"},
		"恩施土家族苗族自治州": {"恩施", "恩施州"},
		"伊犁哈萨克自治州":   {"伊犁", "伊犁州"},
		"长白朝鲜族自治县":   {"长白", "长白县"},
		"隆林各族自治县":    {"隆林", "隆林县"},
		"浦东新区":       {"浦东", "浦东新"},
		"清新区":        {"清新"},
		"香港特别行政区":    {"香港"},
		"阿里地区":       {"阿里"},
		"城区":         nil,
		"范县":         nil,
	}
	for name, want := range tests {
		if got := shortForms(name); !slices.Equal(got, want) {
			t.Errorf("shortForms(%s) = %q, want %q", name, got, want)
		}
	}
}

func BenchmarkResolve(b *testing.B) {
	g := DefaultGazetteer()
	for b.Loop() {
		g.Resolve("中共温州市瓯海区委办公室关于印发《瓯海区2024年工作要点》的通知")
	}
}

// Every division is found again from its own name together with the level
// above it, as in 温州市瓯海区 or 北京市朝阳区.
func TestResolveEveryDivision(t *testing.T) {
	g := DefaultGazetteer()
	for i, d := range g.divisions {
		text := d.Province + d.City + d.County
		if d.City != "" {
			text = d.City + d.County // the city settles the province
		}
		want := g.divisions[g.canon[i]] // 福州市平潭县 is 平潭综合实验区
		want.Code = g.code(want)
		if got := g.Resolve(text); got != want {
			t.Errorf("Resolve(%q) = %#v, want %#v", text, got, want)
		}
	}
}

// regionStrings are the regions' String()s, sorted, for comparing sets.
func regionStrings(rs []Region) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	slices.Sort(out)
	return out
}

func TestLookup(t *testing.T) {
	g := DefaultGazetteer()
	pingtan := []string{"福建省 · 平潭综合实验区"}
	national := []string{National}
	tests := []struct {
		name  string
		value string
		want  []string
	}{
		{"a full city name", "温州市", []string{"浙江省 · 温州市"}},
		{"a city's short name", "温州", []string{"浙江省 · 温州市"}},
		{"a full county name", "瓯海区", []string{"浙江省 · 温州市 · 瓯海区"}},
		{"a county's short name", "瓯海", []string{"浙江省 · 温州市 · 瓯海区"}},
		{"blanks around the value", " 瓯海 ", []string{"浙江省 · 温州市 · 瓯海区"}},
		{"a province's short name", "浙江", []string{"浙江省"}},
		{"a province's short name is the province alone, not 河南蒙古族自治县", "河南", []string{"河南省"}},
		{"吉林 is the province, which holds 吉林市", "吉林", []string{"吉林省"}},
		{"an ambiguous full name is every division so named", "朝阳区", []string{"北京市 · 朝阳区", "吉林省 · 长春市 · 朝阳区"}},
		{"an ambiguous short name is every level so named", "朝阳", []string{"北京市 · 朝阳区", "吉林省 · 长春市 · 朝阳区", "辽宁省 · 朝阳市", "辽宁省 · 朝阳市 · 朝阳县"}},
		{"鼓楼 is four districts", "鼓楼", []string{"江苏省 · 南京市 · 鼓楼区", "江苏省 · 徐州市 · 鼓楼区", "河南省 · 开封市 · 鼓楼区", "福建省 · 福州市 · 鼓楼区"}},
		{"a city settles an ambiguous county", "北京市朝阳区", []string{"北京市 · 朝阳区"}},
		{"short names run together", "温州瓯海", []string{"浙江省 · 温州市 · 瓯海区"}},
		{"平潭 is the experimental zone", "平潭", pingtan},
		{"平潭县 is the experimental zone", "平潭县", pingtan},
		{"the experimental zone by its name", "平潭综合实验区", pingtan},
		{"中央 is the national level", "中央", national},
		{"全国 is the national level", "全国", national},
		{"a central body is the national level", "中央纪委国家监委", national},
		{"the State Council is the national level", "国务院", national},
		{"a ministry is the national level", "生态环境部", national},
		{"a national commission is the national level", "国家发展改革委", national},
		{"a street is in its district", "潘桥街道", []string{"浙江省 · 温州市 · 瓯海区 · 潘桥街道"}},
		{"a town since merged is in its county", "芦洋乡", []string{"福建省 · 平潭综合实验区 · 芦洋乡"}},
		{"a town with its county", "平潭县芦洋乡", []string{"福建省 · 平潭综合实验区 · 芦洋乡"}},
		{"a town of a city without counties", "虎门镇", []string{"广东省 · 东莞市 · 虎门镇"}},
		{"no region", "火星", nil},
		{"nothing", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := regionStrings(g.Lookup(tt.value)); !slices.Equal(got, tt.want) {
				t.Errorf("Lookup(%q) = %q, want %q", tt.value, got, tt.want)
			}
		})
	}
}

// 城关镇 is in over a hundred counties: a filter for it means each of them,
// and a text naming it alone means none.
func TestLookupAmbiguousTown(t *testing.T) {
	g := DefaultGazetteer()
	got := g.Lookup("城关镇")
	if len(got) < 100 {
		t.Fatalf("Lookup(城关镇) = %d regions, want over 100", len(got))
	}
	provinces := map[string]bool{}
	for _, r := range got {
		if r.Town != "城关镇" || r.County == "" || r.Province == "" || r.Code == "" {
			t.Errorf("Lookup(城关镇) gave %+v", r)
		}
		provinces[r.Province] = true
	}
	if len(provinces) < 10 {
		t.Errorf("城关镇 in %d provinces, want over 10", len(provinces))
	}
	if r := g.Resolve("城关镇人民政府关于做好春节期间安全生产工作的通知"); !r.IsZero() {
		t.Errorf("an ambiguous town alone resolved to %v", r)
	}
}

func TestResolveCentralBodies(t *testing.T) {
	g := DefaultGazetteer()
	for _, text := range []string{
		"中央纪委国家监委",
		"中共中央纪委国家监委网站",
		"中央纪委国家监委公开通报十起违反中央八项规定精神典型问题",
		"中共中央",
		"中共中央关于加强党的政治建设的意见",
		"中共中央办公厅 国务院办公厅",
		"中央第三巡视组",
		"国务院",
		"国务院办公厅",
		"中华人民共和国国务院",
		"国务院关于在香港特别行政区同时升挂使用国旗区旗的规定", // the issuer comes first
		"全国人民代表大会常务委员会",
		"全国人大常委会办公厅",
		"最高人民法院",
		"生态环境部",
		"中华人民共和国海关总署",
		"国家发展改革委",
		"国家发展和改革委员会关于印发《…》的通知",
		"国家市场监督管理总局",
		"国家卫生健康委员会",
		"中华人民共和国两用物项出口管制条例", // a national law's title
		"《中华人民共和国监察法实施条例》",
	} {
		if got := g.Resolve(text); got != (Region{Province: National}) {
			t.Errorf("Resolve(%q) = %+v, want %s", text, got, National)
		}
	}

	for _, tt := range []struct{ text, want string }{
		// A division right after the body's name: its local branch.
		{"国家税务总局温州市税务局", "浙江省 · 温州市"},
		// A division that comes first is the issuer.
		{"浙江省人民政府关于贯彻落实国务院决定的通知", "浙江省"},
		{"温州市纪委市监委贯彻中央八项规定精神的通报", "浙江省 · 温州市"},
		// Not central bodies.
		{"省委第七巡视组", ""},
		{"贯彻落实中央八项规定精神", ""},
		{"创建国家级示范县工作方案", ""},
		{"国家安全教育日活动方案", ""},
		{"中山大学", ""},
	} {
		if got := g.Resolve(tt.text).String(); got != tt.want {
			t.Errorf("Resolve(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestResolveTowns(t *testing.T) {
	g := DefaultGazetteer()
	tests := []struct {
		name, text, want string
	}{
		{"a street with its district", "中共温州市瓯海区潘桥街道工作委员会", "浙江省 · 温州市 · 瓯海区 · 潘桥街道"},
		{"a street within the city named", "温州市潘桥街道", "浙江省 · 温州市 · 瓯海区 · 潘桥街道"},
		{"a street no other county has, alone", "潘桥街道办事处", "浙江省 · 温州市 · 瓯海区 · 潘桥街道"},
		{"a street after its district's short name", "瓯海潘桥街道", "浙江省 · 温州市 · 瓯海区 · 潘桥街道"},
		{"a town after an ambiguous short name", "中共鼓楼鼓东街道工作委员会", "福建省 · 福州市 · 鼓楼区 · 鼓东街道"},
		{"a town since merged, with its county", "平潭县芦洋乡人民政府", "福建省 · 平潭综合实验区 · 芦洋乡"},
		{"a town since merged, with the zone", "平潭综合实验区北厝镇", "福建省 · 平潭综合实验区 · 北厝镇"},
		{"a town since merged, alone", "芦洋乡人民政府", "福建省 · 平潭综合实验区 · 芦洋乡"},
		{"two towns of one county, alone", "关于芦洋乡、北厝镇海漂垃圾整治情况的通报", "福建省 · 平潭综合实验区"},
		{"two streets of one county in its city", "温州市潘桥街道、郭溪街道", "浙江省 · 温州市 · 瓯海区"},
		{"an ambiguous town with its county", "濮阳市范县城关镇", "河南省 · 濮阳市 · 范县 · 城关镇"},
		{"an ambiguous town with its county alone", "范县城关镇人民政府", "河南省 · 濮阳市 · 范县 · 城关镇"},
		{"an ambiguous town in a city with several so named", "濮阳市城关镇", "河南省 · 濮阳市"},
		{"an ambiguous town in a province is no context", "河南省城关镇", "河南省"},
		{"an ambiguous town alone", "城关镇人民政府", ""},
		{"a town settles an ambiguous district", "朝阳区三里屯街道办事处", "北京市 · 朝阳区 · 三里屯街道"},
		{"a town elsewhere never overrides the county", "温州市瓯海区芦洋乡", "浙江省 · 温州市 · 瓯海区"},
		{"a town elsewhere never overrides the city", "温州市城关镇", "浙江省 · 温州市"},
		{"the issuer's county before a town in the title", "中共温州市瓯海区委关于北厝镇的通报", "浙江省 · 温州市 · 瓯海区"},
		{"a town that reads as a word", "关于加快小城镇建设的意见", ""},
		{"a town that reads as a word, in a province", "浙江省小城镇环境综合整治", "浙江省"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := g.Resolve(tt.text).String(); got != tt.want {
				t.Errorf("Resolve(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
	// A town's region has its county's code.
	if r := g.Resolve("瓯海区潘桥街道"); r.Code != "330304" {
		t.Errorf("Resolve(瓯海区潘桥街道).Code = %q, want 330304", r.Code)
	}
}

// However a notice names 平潭, it is one region, and every filter for 平潭
// finds it.
func TestPingtanIsOneRegion(t *testing.T) {
	g := DefaultGazetteer()
	want := Region{Province: "福建省", City: "平潭综合实验区", Code: "350128"}
	for _, text := range []string{
		"平潭综合实验区管委会", "平潭综合实验区管委会办公室", "中共平潭综合实验区工作委员会",
		"平潭县人民政府", "中共平潭县委", "中共福建省平潭县委", "福州市平潭县", "平潭政府",
	} {
		if got := g.Resolve(text); got != want {
			t.Errorf("Resolve(%q) = %+v, want %+v", text, got, want)
		}
	}
	for _, v := range []string{"平潭", "平潭县", "平潭综合实验区", "福建平潭"} {
		if got := g.Lookup(v); !slices.Equal(got, []Region{want}) {
			t.Errorf("Lookup(%q) = %+v, want %+v", v, got, want)
		}
	}
	town := g.Resolve("平潭县北厝镇人民政府")
	if !matches(g.Lookup("平潭"), town) || !matches(g.Lookup("北厝镇"), town) || matches(g.Lookup("芦洋乡"), town) {
		t.Errorf("filters for 平潭 and its towns do not match %+v as they should", town)
	}
}

// matches reports whether a filter for any of the regions finds a notice of
// region r, as the search's region: filter does.
func matches(filter []Region, r Region) bool {
	for _, f := range filter {
		for _, k := range f.FilterKeys() {
			if slices.Contains(r.IndexKeys(), k) {
				return true
			}
		}
	}
	return false
}

func TestRegionKeys(t *testing.T) {
	r := Region{Province: "浙江省", City: "温州市", County: "瓯海区", Town: "潘桥街道", Code: "330304"}
	if got, want := r.IndexKeys(), []string{"浙江省", "浙江省/温州市", "浙江省/温州市/瓯海区", "浙江省/温州市/瓯海区/潘桥街道"}; !slices.Equal(got, want) {
		t.Errorf("IndexKeys() = %q, want %q", got, want)
	}
	if got := (Region{}).IndexKeys(); len(got) != 0 {
		t.Errorf("IndexKeys() of no region = %q", got)
	}
	if got, want := (Region{Province: National}).IndexKeys(), []string{"中央"}; !slices.Equal(got, want) {
		t.Errorf("IndexKeys() = %q, want %q", got, want)
	}

	g := DefaultGazetteer()
	beijing := g.Resolve("北京市朝阳区人民政府")
	changchun := g.Resolve("长春市朝阳区人民政府")
	open := g.Resolve("朝阳区委") // 北京 or 长春: left open
	wenzhou := g.Resolve("温州市人民政府")
	ouhai := g.Resolve("瓯海区人民政府")
	panqiao := g.Resolve("瓯海区潘桥街道")
	central := g.Resolve("国务院办公厅")
	tests := []struct {
		filter string
		notice Region
		want   bool
	}{
		{"北京市朝阳区", beijing, true},
		{"北京市朝阳区", changchun, false},
		{"长春市朝阳区", changchun, true},
		{"北京市", changchun, false},
		{"朝阳区", beijing, true},
		{"朝阳区", changchun, true},
		{"朝阳", changchun, true},
		// A notice whose 朝阳区 could not be told is found by either.
		{"北京市朝阳区", open, true},
		{"长春市朝阳区", open, true},
		{"朝阳", open, true},
		{"北京市", open, false},
		{"温州", wenzhou, true},
		{"温州", ouhai, true},
		{"温州", panqiao, true},
		{"瓯海", panqiao, true},
		{"瓯海", wenzhou, false},
		{"潘桥街道", panqiao, true},
		{"潘桥街道", ouhai, false},
		{"浙江", panqiao, true},
		{"中央", central, true},
		{"中央", wenzhou, false},
		{"浙江", central, false},
	}
	for _, tt := range tests {
		if got := matches(g.Lookup(tt.filter), tt.notice); got != tt.want {
			t.Errorf("region:%s finding a notice of %v = %v, want %v", tt.filter, tt.notice, got, tt.want)
		}
	}
}

func TestParseTownsRejectsCorruptData(t *testing.T) {
	for _, data := range []string{
		"330304\n",             // no names
		"999999\t潘桥街道\n",       // no such county
		"33030\t潘桥街道\n",        // not a code
		"330304\t潘桥街道  郭溪街道\n", // an empty name
		"330304\t潘桥街道 郭\n",     // a one-character name
		"潘桥街道\n",               // no code
	} {
		g, err := parseGazetteer(regionsTSV)
		if err != nil {
			t.Fatal(err)
		}
		if err := g.parseTowns(data); err == nil {
			t.Errorf("parseTowns(%q) accepted corrupt data", data)
		}
	}
}
