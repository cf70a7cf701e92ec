package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"

	"noticesearch/indexer"
)

// runRemove removes the notices of named files, or of every file indexed
// under named folders.
func runRemove(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("remove", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("index", defaultIndex, "index directory")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: noticesearch remove [--index DIR] PATH...")
		fmt.Fprintln(stderr, "Removes the notices of the files named, and of every file indexed under the folders named.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	ix, err := openExisting(*dir)
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	defer ix.Close()
	rep, err := ix.Remove(ctx, fs.Args())
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	fmt.Fprintf(stdout, "removed %d notices from %s\n", rep.Removed, strconv.Quote(*dir))
	for _, s := range rep.Skipped {
		fmt.Fprintf(stdout, "  %s: %s\n", strconv.Quote(s.Path), oneLine(s.Reason))
	}
	if len(rep.Skipped) > 0 {
		return 1
	}
	return 0
}

// runOptimize merges the index's segments into one.
func runOptimize(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("optimize", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("index", defaultIndex, "index directory")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: noticesearch optimize [--index DIR]")
		fmt.Fprintln(stderr, "Merges every segment into one, without the notices deleted.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ix, err := openExisting(*dir)
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	defer ix.Close()
	before := ix.State().Segments()
	if err := ix.Optimize(ctx); err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	fmt.Fprintf(stdout, "merged %d segments into %d: %d notices, %d sections\n", before, ix.State().Segments(), ix.Text().Docs(), ix.Text().Sections())
	return 0
}

// openExisting opens an index that must exist, for writing.
func openExisting(dir string) (*indexer.Index, error) {
	if _, err := indexer.Check(dir); errors.Is(err, indexer.ErrNoIndex) {
		return nil, err
	}
	return indexer.Open(dir, indexer.Options{})
}

// runCheck verifies an index and says what is damaged.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("index", defaultIndex, "index directory")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: noticesearch check [--index DIR] [--json]")
		fmt.Fprintln(stderr, "Verifies every checksum of the index and the agreement of its text and metadata; exit status 1 if it is damaged.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	rep, err := indexer.Check(*dir)
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
	} else {
		fmt.Fprintf(stdout, "%s: generation %d, %d segments, %d notices (%d deleted awaiting a merge), %d sections\n",
			strconv.Quote(*dir), rep.Generation, rep.Segments, rep.Notices, rep.Deleted, rep.Sections)
		for _, p := range rep.Problems {
			kind := "可修复 / repairable"
			if p.Damaged {
				kind = "已损坏 / damaged"
			}
			fmt.Fprintf(stdout, "  %s: %s: %s\n", kind, strconv.Quote(p.Part), oneLine(p.Reason))
		}
		switch {
		case rep.Damaged():
			fmt.Fprintln(stdout, "索引已损坏，请用 noticesearch index --rebuild 重建 / the index is damaged; rebuild it with `noticesearch index --rebuild`")
		case len(rep.Problems) == 0:
			fmt.Fprintln(stdout, "索引完好 / the index is sound")
		}
	}
	if rep.Damaged() {
		return 1
	}
	return 0
}
