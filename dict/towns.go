package dict

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// towns are the towns and streets (乡级: 镇, 乡, 街道 …) of every county,
// from towns.tsv: current names and older ones since merged or renamed.
// Their names are ambiguous (城关镇 is in 109 counties), so a town only
// narrows down a region: see Resolve.
type towns struct {
	names  map[string][]int // name -> the (canonical) divisions holding a town so named
	maxLen int              // longest name taken from a text, in runes
}

// minTownLen is the shortest town name taken from a text, in runes.
const minTownLen = 3

// townSuffixes end the names taken from a text. The package's other
// entries (农场, 林场, 开发区, 监狱 …) are as much words as places: they are
// only looked up as filter values.
var townSuffixes = []string{"镇", "乡", "街道", "苏木"}

// townWordEndings end town names that read as ordinary words (小城镇,
// 大城镇, 新城镇, 红城乡 in 红城乡村): such a town is taken from a text only
// inside a city or county named there.
var townWordEndings = []string{
	"城镇", "乡镇", "集镇", "古镇", "小镇", "新镇", "全镇", "本镇", "重镇", "村镇", "市镇",
	"城乡", "下乡", "家乡", "故乡", "返乡", "回乡", "老乡", "同乡", "异乡", "水乡", "全乡", "本乡",
}

func (g *Gazetteer) parseTowns(data string) error {
	g.towns.names = make(map[string][]int, strings.Count(data, " ")+strings.Count(data, "\n"))
	for n, line := range strings.Split(data, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code, names, ok := strings.Cut(line, "\t")
		d, known := g.byCode[code]
		if !ok || !known || names == "" {
			return fmt.Errorf("dict: town line %d: want a known county code, a tab and names: %.40q", n+1, line)
		}
		d = g.canon[d]
		for _, name := range strings.Split(names, " ") {
			if utf8.RuneCountInString(name) < 2 {
				return fmt.Errorf("dict: town line %d: bad name %q", n+1, name)
			}
			if !slices.Contains(g.towns.names[name], d) {
				g.towns.names[name] = append(g.towns.names[name], d)
			}
			if townInText(name) {
				g.towns.maxLen = max(g.towns.maxLen, utf8.RuneCountInString(name))
			}
		}
	}
	return nil
}

// townInText reports whether a town of this name may be taken from a text.
func townInText(name string) bool {
	return utf8.RuneCountInString(name) >= minTownLen &&
		slices.ContainsFunc(townSuffixes, func(s string) bool { return strings.HasSuffix(name, s) })
}

// wordLike reports whether a town name reads as an ordinary word.
func wordLike(name string) bool {
	return slices.ContainsFunc(townWordEndings, func(s string) bool { return strings.HasSuffix(name, s) })
}

// inText reports whether s, of at least minTownLen runes, is a town's name
// that a text may use. The suffix is looked at first: it is cheaper than
// the map.
func (ts *towns) inText(s string) bool {
	if !slices.ContainsFunc(townSuffixes, func(suf string) bool { return strings.HasSuffix(s, suf) }) {
		return false
	}
	_, ok := ts.names[s]
	return ok
}

// holdsTown reports whether one of divs holds a town of that name.
func (g *Gazetteer) holdsTown(divs []int, name string) bool {
	for _, d := range divs {
		if slices.Contains(g.towns.names[name], g.canon[d]) {
			return true
		}
	}
	return false
}

// townAlone resolves a text that names towns but no division by the towns
// whose names no other county shares: their county, if they lie in one,
// else the first one's (the issuer comes first). Town is set if they are
// one town.
func (g *Gazetteer) townAlone(t runeText, mentions []token) []Region {
	county := -1
	var names []string
	for _, m := range mentions {
		name := t.slice(m.start, m.end)
		ds := g.towns.names[name]
		if len(ds) != 1 || wordLike(name) {
			continue
		}
		if county >= 0 && ds[0] != county {
			break
		}
		county = ds[0]
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	if county < 0 {
		return nil
	}
	r := g.region(county)
	if len(names) == 1 {
		r.Town = names[0]
	}
	return []Region{r}
}

// townWithin narrows the best divisions down by the towns named: to the
// county holding every town named within them, with Town set if they are
// one. A province is context enough only for a name no other county shares.
// It reports false when no town named lies within them, or the towns lie in
// different counties.
func (g *Gazetteer) townWithin(t runeText, mentions []token, best []int) (Region, bool) {
	var name string
	county, names := -1, 0
	for _, m := range mentions {
		s := t.slice(m.start, m.end)
		ds := g.towns.names[s]
		for _, d := range ds {
			if !slices.ContainsFunc(best, func(b int) bool {
				if g.divisions[b].level() == 0 && (len(ds) > 1 || wordLike(s)) {
					return false
				}
				return g.divisions[b].within(g.divisions[d])
			}) {
				continue
			}
			if county >= 0 && county != d {
				return Region{}, false
			}
			county = d
			if s != name {
				name, names = s, names+1
			}
		}
	}
	if county < 0 {
		return Region{}, false
	}
	r := g.region(county)
	if names == 1 {
		r.Town = name
	}
	return r, true
}
