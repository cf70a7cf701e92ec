package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"noticesearch/indexer"
)

func runParse(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print each notice as one JSON object per line")
	withBody := fs.Bool("body", false, "with --json, include the cleaned body")
	quiet := fs.Bool("quiet", false, "print no notices, only the summary")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: noticesearch parse [--json] [--body] [--quiet] FILE_OR_DIR...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	files, walkErrs := indexer.Files(ctx, fs.Args())
	for _, err := range walkErrs {
		fmt.Fprintf(stderr, "skip %v\n", err)
	}
	var st parseStats
	start := time.Now()
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for _, path := range files {
		if ctx.Err() != nil {
			break
		}
		n, err := indexer.ReadFile(path)
		if fi, statErr := os.Stat(path); statErr == nil {
			st.bytes += fi.Size()
		}
		if err != nil {
			st.reject(err)
			fmt.Fprintf(stderr, "skip %v\n", err)
			continue
		}
		st.add(n)
		switch {
		case *quiet:
		case *asJSON:
			if !*withBody {
				n.Body = ""
			}
			enc.Encode(n)
		default:
			printOutline(stdout, n)
		}
	}
	st.elapsed = time.Since(start)
	if *quiet || len(files) > 1 {
		st.print(stderr)
	}
	if st.rejected > 0 || len(walkErrs) > 0 {
		return 1
	}
	return 0
}

func printOutline(w io.Writer, n *indexer.Notice) {
	fmt.Fprintf(w, "== %s\n", n.Path)
	if n.Extractor != "" {
		fmt.Fprintf(w, "格式: %s  提取: %s\n", n.Format, n.Extractor)
	} else {
		fmt.Fprintf(w, "格式: %s\n", n.Format)
	}
	fmt.Fprintf(w, "标题: %s\n", n.Title)
	fmt.Fprintf(w, "日期: %s  来源: %s  文种: %s\n", orDash(n.Date), orDash(n.Source), orDash(n.Kind))
	fmt.Fprintf(w, "发文机关: %s  地区: %s  文号: %s\n", orDash(n.Issuer), orDash(n.Region.String()), orDash(n.DocNumber))
	fmt.Fprintf(w, "ID: %s  %d 节, %d 字\n", n.ID, len(n.Sections), utf8.RuneCountInString(n.Body))
	for _, s := range n.Sections {
		fmt.Fprintf(w, "%s%s  (%d 字)\n", strings.Repeat("  ", s.Level+1), s.Label(), utf8.RuneCountInString(s.Text))
	}
	fmt.Fprintln(w)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// parseStats counts what a parse run understood, for its summary.
type parseStats struct {
	parsed, rejected                                   int
	withDate, withIssuer, withRegion, withDoc, withTwo int
	reasons                                            map[string]int
	bytes                                              int64
	elapsed                                            time.Duration
}

func (s *parseStats) add(n *indexer.Notice) {
	s.parsed++
	count := func(ok bool, c *int) {
		if ok {
			*c++
		}
	}
	count(n.Date != "", &s.withDate)
	count(n.Issuer != "", &s.withIssuer)
	count(!n.Region.IsZero(), &s.withRegion)
	count(n.DocNumber != "", &s.withDoc)
	count(len(n.Sections) >= 2, &s.withTwo)
}

func (s *parseStats) reject(err error) {
	s.rejected++
	if s.reasons == nil {
		s.reasons = map[string]int{}
	}
	reason := err.Error()
	var fe *indexer.FileError
	if errors.As(err, &fe) {
		reason = fe.Err.Error()
	}
	s.reasons[reason]++
}

func (s *parseStats) print(w io.Writer) {
	fmt.Fprintf(w, "parsed %d, rejected %d\n", s.parsed, s.rejected)
	reasons := make([]string, 0, len(s.reasons))
	for r := range s.reasons {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(w, "  rejected %d: %s\n", s.reasons[r], r)
	}
	fmt.Fprintf(w, "with date %d, issuer %d, region %d, doc number %d, >=2 sections %d\n",
		s.withDate, s.withIssuer, s.withRegion, s.withDoc, s.withTwo)
	if secs := s.elapsed.Seconds(); secs > 0 {
		fmt.Fprintf(w, "%.1f MB in %.2fs: %.1f MB/s, %.0f files/s\n",
			float64(s.bytes)/1e6, secs, float64(s.bytes)/1e6/secs, float64(s.parsed+s.rejected)/secs)
	}
}
