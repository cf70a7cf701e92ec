package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
)

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("index", defaultIndex, "index directory")
	termsFile := fs.String("terms", "", "file of queries, one a line (# starts a comment)")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: noticesearch eval [--index DIR] --terms FILE [--json]")
		fmt.Fprintln(stderr, "Compares every query's hits with a substring scan of the stored sections; exits 1 on any difference.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *termsFile == "" || fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	queries, err := readQueries(*termsFile)
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	eng, closeIndex, err := openEngine(*dir)
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	defer closeIndex()
	results, err := eng.Eval(ctx, queries)
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	exact := 0
	for _, r := range results {
		if r.Exact() {
			exact++
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(results)
	} else {
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "query\texpected\treturned\tmissing\textra\trecall\tprecision\t")
		for _, r := range results {
			if r.Error != "" {
				fmt.Fprintf(tw, "%s\t\t\t\t\t\t%s\t\n", r.Query, r.Error)
				continue
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%.3f\t%.3f\t\n", r.Query, r.Expected, r.Returned, r.Missing, r.Extra, r.Recall, r.Precision)
		}
		tw.Flush()
		fmt.Fprintf(stdout, "%d of %d queries exact\n", exact, len(results))
	}
	if exact < len(results) {
		return 1
	}
	return 0
}

// readQueries reads one query a line, skipping blank lines and # comments.
func readQueries(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			qs = append(qs, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("%s holds no queries", path)
	}
	return qs, nil
}
