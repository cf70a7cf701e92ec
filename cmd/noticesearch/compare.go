package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/text/width"

	"noticesearch/analysis"
	"noticesearch/search"
)

func runCompare(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("index", defaultIndex, "index directory")
	by := fs.String("by", "county", "group by one or two of province, city, county, year, kind, source, issuer, comma-separated")
	q := fs.String("q", "", "compare only the notices this search query or filter selects")
	sortBy := fs.String("sort", "name", "rows by name, count or share (of the first term)")
	csvFile := fs.String("csv", "", "write the table to this CSV file (UTF-8 with BOM, for Excel and WPS)")
	xlsxFile := fs.String("xlsx", "", "write the table to this Excel file")
	asJSON := fs.Bool("json", false, "print the API's JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: noticesearch compare [--index DIR] [--by county,year] [--q QUERY] [--sort name|count|share] [--csv FILE|--xlsx FILE|--json] TERM...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	req := analysis.Compare{Terms: fs.Args(), By: strings.Split(*by, ","), Query: *q, Sort: *sortBy}
	if err := req.Check(); err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 2
	}
	eng, closeIndex, err := openEngine(*dir)
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	defer closeIndex()
	t, err := req.Run(ctx, eng.Corpus())
	if code := analysisExit(stderr, err); code != 0 {
		return code
	}
	switch {
	case *csvFile != "":
		return writeFile(stderr, *csvFile, t.WriteCSV)
	case *xlsxFile != "":
		return writeFile(stderr, *xlsxFile, t.WriteXLSX)
	case *asJSON:
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.Encode(t)
		return 0
	}
	printTable(stdout, t.Text())
	return 0
}

func runKeywords(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("keywords", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("index", defaultIndex, "index directory")
	vs := fs.String("vs", "all", "the reference: all (the rest of the notices) or a search query")
	by := fs.String("by", "", "instead of one group, each value of this field against the rest")
	top := fs.Int("top", 20, "words per group")
	least := fs.Int("min", 3, "least occurrences in the group")
	asJSON := fs.Bool("json", false, "print the API's JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: noticesearch keywords [--index DIR] [--vs all|QUERY] [--by FIELD] [--top N] [--min N] [GROUP QUERY...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	req := analysis.Keywords{Group: strings.Join(fs.Args(), " "), Vs: *vs, By: *by, Top: *top, Min: *least}
	if err := req.Check(); err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 2
	}
	eng, closeIndex, err := openEngine(*dir)
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	defer closeIndex()
	res, err := req.Run(ctx, eng.Corpus())
	if code := analysisExit(stderr, err); code != 0 {
		return code
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.Encode(res)
		return 0
	}
	for _, g := range res.Groups {
		title := g.Query
		if g.Value != "" || res.By != "" {
			title = analysis.Label(g.Value)
		}
		fmt.Fprintf(stdout, "%s：%d 篇公文，%d 词次（对照 %d 篇，%d 词次）\n", title, g.Notices, g.Words, g.RefNotices, g.RefWords)
		rows := [][]string{{"词", "组内", "对照", "G²", "对数比"}}
		for _, k := range g.Keywords {
			rows = append(rows, []string{k.Word, fmt.Sprint(k.Group), fmt.Sprint(k.Ref), fmt.Sprintf("%.1f", k.G2), fmt.Sprintf("%.2f", k.LogRatio)})
		}
		printTable(stdout, rows)
		fmt.Fprintln(stdout)
	}
	return 0
}

// analysisExit reports an analysis's error: 2 for a bad request or query,
// 1 otherwise, 0 for none.
func analysisExit(stderr io.Writer, err error) int {
	var ae *analysis.Error
	var qe *search.QueryError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ae), errors.As(err, &qe):
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 2
	}
	fmt.Fprintln(stderr, "noticesearch:", err)
	return 1
}

// writeFile writes a file with write, whole or not at all: to a
// temporary file renamed into place.
func writeFile(stderr io.Writer, path string, write func(io.Writer) error) int {
	tmp, err := os.CreateTemp(dirOf(path), ".noticesearch-*")
	if err == nil {
		err = write(tmp)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), path)
		}
		if err != nil {
			os.Remove(tmp.Name())
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	fmt.Fprintln(stderr, "noticesearch: wrote", path)
	return 0
}

func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i+1]
	}
	return "."
}

// printTable prints rows aligned in columns, counting the width of
// Chinese characters as two: text left, numbers right.
func printTable(w io.Writer, rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			pad := strings.Repeat(" ", widths[i]-displayWidth(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if isNumber(c) {
				b.WriteString(pad + c)
			} else if i < len(r)-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// displayWidth is the columns s takes in a terminal: two for wide and
// full-width characters (East Asian Width W and F), one otherwise.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != '-' {
			return false
		}
	}
	return true
}
