// Command engine measures the search engine in process, without HTTP: it
// opens an index read-only, reads it ahead as serve does (Engine.Warm),
// then asks each of the twenty benchmark terms as the API asks by default
// (10 hits, one per notice, highlighted, counts exact up to 10,000
// sections) and prints each term's median and p90 latency, and the median
// of the medians; optionally a CPU profile of the queries. With the page
// cache dropped before it starts, -runs 1 gives each term's first search
// after a cold start.
//
//	go run ./bench/engine -index IX [-runs 20] [-wait 0s] [-only 人民政府,县级以上] [-cpuprofile FILE] [-memprofile FILE]
//
// With -analysis it times the analysts' requests instead (package
// analysis), as markdown for BENCHMARKS.md: the first ten terms compared
// by county and year, by county, by year, and each county's distinctive
// words, each -runs times; the first comparison also counts every
// notice's characters, once per state of the index, and is shown apart.
//
// -wait lets the pass that checks the segments in the background (from
// ten seconds after opening) finish first, as it has on a server that has
// run for a while.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"noticesearch/analysis"
	"noticesearch/indexer"
	"noticesearch/search"
)

func main() {
	dir := flag.String("index", "", "index folder (required)")
	termsFile := flag.String("terms", "bench/terms.txt", "the benchmark's terms: the block under its \"# the benchmark's twenty terms\" comment")
	runs := flag.Int("runs", 20, "searches per term")
	wait := flag.Duration("wait", 0, "time to wait after opening, before the searches")
	only := flag.String("only", "", "comma-separated terms to ask instead")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the searches to this file")
	memProfile := flag.String("memprofile", "", "write a profile of what the searches allocated to this file")
	analyst := flag.Bool("analysis", false, "time the analysts' comparisons and keywords instead, as markdown")
	flag.Parse()
	if *dir == "" || *runs < 1 {
		flag.Usage()
		os.Exit(2)
	}
	terms, err := readTerms(*termsFile)
	if err != nil {
		fail(err)
	}
	if *only != "" {
		terms = strings.Split(*only, ",")
	}
	start := time.Now()
	ix, err := indexer.OpenReader(*dir)
	if err != nil {
		fail(err)
	}
	defer ix.Close()
	eng := search.New(ix)
	if err := eng.Warm(); err != nil {
		fail(err)
	}
	fmt.Printf("opened and read ahead in %.2f s: %d notices, %d sections, %d segments\n", time.Since(start).Seconds(), ix.Text().Docs(), ix.Text().Sections(), ix.State().Segments())
	time.Sleep(*wait)
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			fail(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fail(err)
		}
		defer pprof.StopCPUProfile()
	}
	if *memProfile != "" {
		runtime.MemProfileRate = 64 << 10
		defer func() {
			f, err := os.Create(*memProfile)
			if err != nil {
				fail(err)
			}
			defer f.Close()
			if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
				fail(err)
			}
		}()
	}
	if *analyst {
		timeAnalysis(eng, terms[:min(10, len(terms))], *runs)
		return
	}
	var medians []float64
	for _, term := range terms {
		var ms []float64
		var res *search.Result
		for range *runs {
			t := time.Now()
			res, err = eng.Search(context.Background(), search.Request{Query: term, Size: 10, Collapse: true, CountUpTo: 10000})
			if err != nil {
				fail(fmt.Errorf("%s: %w", term, err))
			}
			ms = append(ms, float64(time.Since(t).Microseconds())/1000)
		}
		slices.Sort(ms)
		med, p90 := ms[len(ms)/2], ms[min(len(ms)-1, len(ms)*9/10)]
		medians = append(medians, med)
		bound := ""
		if res.TotalAtLeast {
			bound = "≥"
		}
		fmt.Printf("%s\t%s%d sections\tmedian %.2f ms\tp90 %.2f ms\n", term, bound, res.Total, med, p90)
	}
	slices.Sort(medians)
	fmt.Printf("median of the terms' medians: %.2f ms\n", medians[len(medians)/2])
}

// timeAnalysis times the analysts' requests over terms, runs times each,
// and prints them as a markdown table.
func timeAnalysis(eng *search.Engine, terms []string, runs int) {
	ctx := context.Background()
	var groups int
	cases := []struct {
		name string
		run  func() error
	}{
		{fmt.Sprintf("compare, %d terms by county × year", len(terms)), func() error {
			t, err := analysis.Compare{Terms: terms, By: []string{"county", "year"}}.Run(ctx, eng.Corpus())
			if err == nil {
				groups = len(t.Groups)
			}
			return err
		}},
		{fmt.Sprintf("compare, %d terms by county", len(terms)), func() error {
			_, err := analysis.Compare{Terms: terms, By: []string{"county"}}.Run(ctx, eng.Corpus())
			return err
		}},
		{fmt.Sprintf("compare, %d terms by year", len(terms)), func() error {
			_, err := analysis.Compare{Terms: terms, By: []string{"year"}}.Run(ctx, eng.Corpus())
			return err
		}},
		{"similar notices of one notice (the first also builds the model)", func() error {
			c := eng.Corpus()
			_, err := analysis.FindSimilar(ctx, c, c.NoticeID(0), 10)
			return err
		}},
		{"figures of one label by county (党纪处分)", func() error {
			_, err := analysis.FigureRequest{Label: "党纪处分", By: []string{"county"}}.Run(ctx, eng.Corpus())
			return err
		}},
		{"keywords, the top 10 of each county against the rest", func() error {
			_, err := analysis.Keywords{By: "county", Top: 10}.Run(ctx, eng.Corpus())
			return err
		}},
	}
	fmt.Println("| request | first | median | p90 |")
	fmt.Println("|---|---|---|---|")
	for _, c := range cases {
		var ms []float64
		for range runs + 1 {
			t := time.Now()
			if err := c.run(); err != nil {
				fail(fmt.Errorf("%s: %w", c.name, err))
			}
			ms = append(ms, float64(time.Since(t).Microseconds())/1000)
		}
		first, rest := ms[0], ms[1:]
		slices.Sort(rest)
		fmt.Printf("| %s | %.1f ms | %.1f ms | %.1f ms |\n", c.name, first, rest[len(rest)/2], rest[min(len(rest)-1, len(rest)*9/10)])
	}
	fmt.Printf("\nTerms: %s; %d groups of county × year.\n", strings.Join(terms, "、"), groups)
}

// readTerms reads the block of terms under the comment naming the
// benchmark's twenty terms, as bench/scale.sh and bench/compare do.
func readTerms(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var terms []string
	on := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "# the benchmark"):
			on = true
		case strings.HasPrefix(line, "#"):
			on = false
		case on && line != "":
			terms = append(terms, line)
		}
	}
	if len(terms) == 0 {
		return nil, fmt.Errorf("%s: no terms under \"# the benchmark's twenty terms\"", path)
	}
	return terms, sc.Err()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "engine:", err)
	os.Exit(1)
}
