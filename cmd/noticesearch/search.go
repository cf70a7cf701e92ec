package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"os"
	"strings"

	"noticesearch/indexer"
	"noticesearch/search"
)

func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("index", defaultIndex, "index directory")
	asJSON := fs.Bool("json", false, "print the API's JSON")
	size := fs.Int("size", search.DefaultSize, "hits per page (at most 100)")
	from := fs.Int("from", 0, "offset of the first hit")
	sortBy := fs.String("sort", "", "relevance (default) or date")
	collapse := fs.Bool("collapse", false, "one hit per notice")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: noticesearch search [--index DIR] [--json] [--size N] [--from N] [--sort date] [--collapse] QUERY")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	if *sortBy != "" && *sortBy != "date" && *sortBy != "relevance" {
		fmt.Fprintln(stderr, "noticesearch: --sort 只能是 relevance 或 date / --sort must be relevance or date")
		return 2
	}
	eng, closeIndex, err := openEngine(*dir)
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	defer closeIndex()
	res, err := eng.Search(ctx, search.Request{
		Query: strings.Join(fs.Args(), " "), Size: *size, From: *from,
		SortDate: *sortBy == "date", Collapse: *collapse,
	})
	var qe *search.QueryError
	if errors.As(err, &qe) {
		fmt.Fprintln(stderr, "noticesearch:", qe.Error())
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.Encode(res)
		return 0
	}
	printHits(stdout, res, isTerminal(stdout))
	return 0
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// printHits shows hits for a person: title, date, region, section path and
// the passages, the matches in colour on a terminal and in 【】 elsewhere.
func printHits(w io.Writer, res *search.Result, color bool) {
	fmt.Fprintf(w, "%d 节，来自 %d 篇公文（%s）\n", res.Total, res.Notices, took(res.TookMS))
	for _, h := range res.Hints {
		fmt.Fprintf(w, "  · %s\n", h.Message)
		if h.Query != "" {
			fmt.Fprintf(w, "    noticesearch search %s\n", shellQuote(h.Query))
		}
	}
	open, close := "【", "】"
	if color {
		open, close = "\x1b[1;31m", "\x1b[0m"
	}
	mark := strings.NewReplacer("<mark>", open, "</mark>", close)
	for i, h := range res.Hits {
		title := h.Title
		if h.TitleHTML != "" {
			title = html.UnescapeString(mark.Replace(h.TitleHTML))
		}
		fmt.Fprintf(w, "\n%d. %s\n", i+1, title)
		meta := []string{orDash(h.Date), orDash(h.Region.String())}
		if h.Issuer != "" {
			meta = append(meta, h.Issuer)
		}
		if h.DocNumber != "" {
			meta = append(meta, h.DocNumber)
		}
		fmt.Fprintf(w, "   %s\n", strings.Join(meta, "  "))
		if len(h.SectionPath) > 0 {
			fmt.Fprintf(w, "   § %s\n", strings.Join(h.SectionPath, " › "))
		}
		for _, f := range h.Fragments {
			f = mark.Replace(f)
			fmt.Fprintf(w, "   … %s\n", html.UnescapeString(f))
		}
		fmt.Fprintf(w, "   %s\n", h.Path)
	}
}

// took writes a search's time for people: under a millisecond is not "0.0 ms".
func took(ms float64) string {
	if ms < 1 {
		return "不到 1 ms"
	}
	return fmt.Sprintf("%.0f ms", ms)
}

// shellQuote quotes a query for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// openEngine opens an existing index for searching; a command that only
// reads never makes one, not even in an empty folder.
func openEngine(dir string) (*search.Engine, func() error, error) {
	if entries, err := os.ReadDir(dir); err != nil || len(entries) == 0 { // a folder with other files is indexer.Open's to refuse
		return nil, nil, fmt.Errorf("%s 没有索引，请先用 noticesearch index --index %s PATH... 建立 / no index at %s; build one with `noticesearch index --index %s PATH...`", dir, dir, dir, dir)
	}
	ix, err := indexer.OpenReader(dir)
	if err != nil {
		return nil, nil, err
	}
	return search.New(ix), ix.Close, nil
}
