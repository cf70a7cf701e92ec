// Command gencorpus writes altered copies of a corpus of Markdown notices for
// the scale benchmark (bench/scale.sh, issue 11): each copy's notices differ
// from the source's and from every other copy's, so that an index of N
// copies holds N times as many distinct notices, not N times the same one.
//
//	go run ./bench/scale/gencorpus -src ../shared/corpus/laws -copies 50 -out /tmp/corpus-50x
//	go run ./bench/scale/gencorpus -src ../shared/corpus/laws -add 100 -copy 51 -out /tmp/corpus-50x/added-051
//
// The first form writes OUT/copy-001/ … OUT/copy-N/, each with every .md file
// of SRC (other files, such as manifest.tsv, are not notices and are left
// out). The second writes ADD files spread over SRC (files with a body only,
// so that each is a notice), altered as copy K, straight into OUT: the "100
// new files" of the live-index measurement.
//
// Each file of copy K is altered so (every change is fictional and
// deterministic):
//
//   - a paragraph 「（副本第K份）」 ends the body (its last section holds
//     it); searching for 副本第K份 finds exactly copy K, and no two copies
//     of a notice have the same text, hence the same notice ID (a file with
//     no body, which is no notice, gets no paragraph either);
//   - the notice's own region (the province or city its title starts with,
//     else the first one its INFO block names, else a province's short
//     name starting the title, as in 上海港口条例) is replaced in the title
//     and the INFO block by another real region of the same level, chosen by
//     copy and region from a table of about 50 names; a city's province is
//     replaced by the new city's province. National notices keep no region;
//   - every year written NNNN年 in the INFO block (the dates of adoption,
//     amendment and publication) goes back by 1 + (K-1) % 10 years.
//
// OUT must be missing, empty or made by gencorpus (it holds the marker file
// .gencorpus): gencorpus refuses anything else, and never deletes a file.
// Run again on its own OUT with the same flags, it finds the marker
// complete and writes nothing; with other flags it overwrites only the
// files it writes and refuses if OUT holds copies it would not write.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// marker is the file that says a folder was made by gencorpus.
const marker = ".gencorpus"

func main() {
	src := flag.String("src", "../shared/corpus/laws", "source corpus: a folder of Markdown notices")
	out := flag.String("out", "", "folder to write (missing, empty, or made by gencorpus)")
	copies := flag.Int("copies", 0, "write OUT/copy-001 … OUT/copy-N, each an altered copy of every source file")
	add := flag.Int("add", 0, "instead, write N source files (spread over the source), altered as copy -copy, straight into OUT")
	copyNo := flag.Int("copy", 0, "the copy number of the files written by -add")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("gencorpus: ")
	switch {
	case *out == "":
		log.Fatal("-out is required")
	case (*copies > 0) == (*add > 0):
		log.Fatal("give either -copies N or -add N -copy K")
	case *add > 0 && *copyNo <= 0:
		log.Fatal("-add needs -copy K (K ≥ 1), the copy number of the new files")
	case *copies > 999:
		log.Fatal("-copies is at most 999")
	}

	files, err := sourceFiles(*src)
	if err != nil {
		log.Fatal(err)
	}
	if len(files) == 0 {
		log.Fatalf("no .md files in %s", *src)
	}
	absSrc, _ := filepath.Abs(*src)

	var want string // the marker's content once OUT is complete
	var expected map[string]bool
	if *copies > 0 {
		want = fmt.Sprintf("mode=copies\nsrc=%s\ncopies=%d\nfiles=%d\n", absSrc, *copies, len(files))
		expected = map[string]bool{marker: true}
		for k := 1; k <= *copies; k++ {
			expected[copyDir(k)] = true
		}
	} else {
		// Only files with a body: each new file must be a notice, so that
		// the N new notices can be counted.
		var notices []source
		for _, f := range files {
			if text, err := os.ReadFile(f.path); err == nil && hasBody(text) {
				notices = append(notices, f)
			}
		}
		files = notices
		if *add > len(files) {
			log.Fatalf("-add %d: the source has only %d files with a body", *add, len(files))
		}
		// Spread over the source (every len/N-th file), so that the new
		// files come from every region, not only the first in name order.
		picked := make([]source, *add)
		for i := range picked {
			picked[i] = files[i*len(files)/(*add)]
		}
		files = picked
		want = fmt.Sprintf("mode=add\nsrc=%s\ncopy=%d\nfiles=%d\n", absSrc, *copyNo, len(files))
		expected = map[string]bool{marker: true}
		for _, f := range files {
			expected[strings.SplitN(filepath.ToSlash(f.rel), "/", 2)[0]] = true
		}
	}
	done, err := claim(*out, want, expected)
	if err != nil {
		log.Fatal(err)
	}
	if done {
		log.Printf("%s is already complete (%s); nothing written", *out, strings.ReplaceAll(strings.TrimSpace(want), "\n", ", "))
		return
	}

	type job struct {
		f    source
		copy int
		dest string
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	var written, bytesOut int64
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				text, err := os.ReadFile(j.f.path)
				if err == nil {
					text = alter(text, j.copy)
					if err = os.MkdirAll(filepath.Dir(j.dest), 0o755); err == nil {
						err = os.WriteFile(j.dest, text, 0o644)
					}
				}
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				written++
				bytesOut += int64(len(text))
				mu.Unlock()
			}
		}()
	}
	if *copies > 0 {
		for k := 1; k <= *copies; k++ {
			for _, f := range files {
				jobs <- job{f, k, filepath.Join(*out, copyDir(k), f.rel)}
			}
		}
	} else {
		for _, f := range files {
			jobs <- job{f, *copyNo, filepath.Join(*out, f.rel)}
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		log.Fatal(firstErr)
	}
	// The marker says complete only once every file is written.
	if err := os.WriteFile(filepath.Join(*out, marker), []byte(want+"complete\n"), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %d files, %.1f MiB, into %s", written, float64(bytesOut)/(1<<20), *out)
}

func copyDir(k int) string { return fmt.Sprintf("copy-%03d", k) }

type source struct {
	path, rel string // rel is the path under the source folder
}

// sourceFiles lists the .md files under dir (hidden ones left out), sorted.
func sourceFiles(dir string) ([]source, error) {
	var files []source
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() || !strings.EqualFold(filepath.Ext(p), ".md") {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files = append(files, source{p, rel})
		return nil
	})
	sort.Slice(files, func(i, j int) bool { return files[i].rel < files[j].rel })
	return files, err
}

// claim makes out ours: it creates it, or accepts it empty, or accepts it
// when it holds our marker and nothing but the entries this run would
// write. It reports whether out is already complete with the same
// parameters. The marker is written (incomplete) before any other file.
func claim(out, want string, expected map[string]bool) (bool, error) {
	entries, err := os.ReadDir(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(out, 0o755); err != nil {
			return false, err
		}
	case err != nil:
		return false, err
	case len(entries) > 0:
		old, err := os.ReadFile(filepath.Join(out, marker))
		if err != nil {
			return false, fmt.Errorf("%s is not empty and was not made by gencorpus (no %s): choose another -out; nothing written", out, marker)
		}
		if string(old) == want+"complete\n" {
			return true, nil
		}
		for _, e := range entries {
			if !expected[e.Name()] {
				return false, fmt.Errorf("%s was made by gencorpus with other flags and holds %q, which this run would not write: choose another -out; nothing written (gencorpus deletes nothing)", out, e.Name())
			}
		}
	}
	return false, os.WriteFile(filepath.Join(out, marker), []byte(want+"incomplete\n"), 0o644)
}

// region is a province-level region, or a city with its province.
type region struct {
	full, short string
	province    *region // nil for a province-level region
}

func prov(full string) *region {
	short := full
	for _, suf := range []string{"维吾尔自治区", "回族自治区", "壮族自治区", "自治区", "省", "市"} {
		if s, ok := strings.CutSuffix(full, suf); ok {
			short = s
			break
		}
	}
	return &region{full: full, short: short}
}

func city(full string, p *region) *region {
	return &region{full: full, short: strings.TrimSuffix(full, "市"), province: p}
}

var (
	// The regions of the source corpus (../shared/corpus/laws): its seven
	// provinces and municipalities and the cities its titles start with.
	sourceRegions []*region
	// The regions copies are given instead: other provinces, with their
	// capitals and a few other cities.
	targetProvinces, targetCities []*region
)

func init() {
	for _, p := range []struct {
		name   string
		cities string
	}{
		{"上海市", ""}, {"北京市", ""}, {"重庆市", ""},
		{"浙江省", "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水"},
		{"山东省", "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽 莱芜"},
		{"河南省", "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源"},
		{"广东省", "广州 深圳 珠海 汕头 佛山 韶关 河源 梅州 惠州 汕尾 东莞 中山 江门 阳江 湛江 茂名 肇庆 清远 潮州 揭阳 云浮"},
	} {
		pr := prov(p.name)
		sourceRegions = append(sourceRegions, pr)
		for _, c := range strings.Fields(p.cities) {
			sourceRegions = append(sourceRegions, city(c+"市", pr))
		}
	}
	// Longest first, so that a name is never taken for a shorter one
	// inside it.
	sort.SliceStable(sourceRegions, func(i, j int) bool { return len(sourceRegions[i].full) > len(sourceRegions[j].full) })

	for _, p := range []struct {
		name   string
		cities string
	}{
		{"天津市", ""},
		{"河北省", "石家庄 保定 唐山"}, {"山西省", "太原 大同"}, {"内蒙古自治区", "呼和浩特 包头"},
		{"辽宁省", "沈阳 大连"}, {"吉林省", "长春"}, {"黑龙江省", "哈尔滨 大庆"},
		{"江苏省", "南京 苏州 无锡 徐州"}, {"安徽省", "合肥 芜湖"}, {"福建省", "福州 厦门 泉州"},
		{"江西省", "南昌 赣州"}, {"湖北省", "武汉 宜昌 襄阳"}, {"湖南省", "长沙 岳阳"},
		{"广西壮族自治区", "南宁 桂林"}, {"海南省", "海口 三亚"}, {"四川省", "成都 绵阳 宜宾"},
		{"贵州省", "贵阳 遵义"}, {"云南省", "昆明"}, {"西藏自治区", "拉萨"},
		{"陕西省", "西安 宝鸡"}, {"甘肃省", "兰州 天水"}, {"青海省", "西宁"},
		{"宁夏回族自治区", "银川"}, {"新疆维吾尔自治区", "乌鲁木齐"},
	} {
		pr := prov(p.name)
		targetProvinces = append(targetProvinces, pr)
		for _, c := range strings.Fields(p.cities) {
			targetCities = append(targetCities, city(c+"市", pr))
		}
	}
}

// target is the region that stands for r in copy k: the same for every
// notice of r in one copy, different from copy to copy.
func target(r *region, k int) *region {
	h := fnv.New32a()
	h.Write([]byte(r.full))
	table := targetProvinces
	if r.province != nil {
		table = targetCities
	}
	return table[(int(h.Sum32()%uint32(len(table)))+k-1)%len(table)]
}

var (
	infoEnd = []byte("<!-- INFO END -->")
	year    = regexp.MustCompile(`((?:19|20)[0-9]{2})年`)
)

// split cuts a source file into its title (the first line), its head (to
// the end of the INFO block, empty when there is none) and its body.
func split(s string) (title, head, body string) {
	title, body, _ = strings.Cut(s, "\n")
	if i := strings.Index(body, string(infoEnd)); i >= 0 {
		head, body = body[:i+len(infoEnd)], body[i+len(infoEnd):]
	}
	return title, head, body
}

// hasBody says whether a source file has text after its INFO block.
func hasBody(text []byte) bool {
	_, _, body := split(string(text))
	return strings.TrimSpace(body) != ""
}

// alter returns the text of a source file as copy k writes it.
func alter(text []byte, k int) []byte {
	s := string(text)
	title, head, body := split(s)

	if r, short := ownRegion(title, head); r != nil {
		t := target(r, k)
		if short {
			title = strings.Replace(title, "# "+r.short, "# "+t.short, 1)
		}
		title = strings.ReplaceAll(title, r.full, t.full)
		head = strings.ReplaceAll(head, r.full, t.full)
		if r.province != nil {
			title = strings.ReplaceAll(title, r.province.full, t.province.full)
			head = strings.ReplaceAll(head, r.province.full, t.province.full)
		}
	}

	shift := 1 + (k-1)%10
	head = year.ReplaceAllStringFunc(head, func(m string) string {
		y, _ := strconv.Atoi(m[:4])
		return strconv.Itoa(y-shift) + "年"
	})

	var b bytes.Buffer
	b.Grow(len(s) + 64)
	b.WriteString(title)
	b.WriteString("\n")
	b.WriteString(head)
	b.WriteString(body)
	// The marker ends the body: at its start it could be cleaned away with
	// what precedes a repeated title, and two copies would be one notice.
	// A file with no body (a law known by its title only) stays without
	// one, as in the source: such a file is not a notice.
	if strings.TrimSpace(body) != "" {
		if !strings.HasSuffix(body, "\n") {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "\n（副本第%d份）\n", k)
	}
	return b.Bytes()
}

// ownRegion finds the region a notice is from: the source region its
// title starts with, else the first one its INFO block names, else a
// province whose short name starts the title (上海港口条例). short says
// the title holds only the short name.
func ownRegion(title, head string) (*region, bool) {
	t := strings.TrimPrefix(title, "# ")
	for _, r := range sourceRegions {
		if strings.HasPrefix(t, r.full) {
			return r, false
		}
	}
	first, at := (*region)(nil), len(head)
	for _, r := range sourceRegions {
		if i := strings.Index(head, r.full); i >= 0 && i < at {
			first, at = r, i
		}
	}
	if first != nil {
		return first, strings.HasPrefix(t, first.short) && !strings.HasPrefix(t, first.full)
	}
	for _, r := range sourceRegions {
		if r.province == nil && strings.HasPrefix(t, r.short) {
			return r, true
		}
	}
	return nil, false
}
