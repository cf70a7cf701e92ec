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
	// towns.tsv: 41,352 towns and streets of 2023 and 10,365 older names.
	var towns, townNames int
	for name, ds := range g.towns.names {
		towns += len(ds)
		townNames++
		if strings.ContainsAny(name, " \t") || len(ds) == 0 {
			t.Errorf("town %q in %v", name, ds)
		}
	}
	if towns < 51000 || townNames < 30000 {
		t.Errorf("%d towns under %d names, want over 51,000 under over 30,000", towns, townNames)
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
