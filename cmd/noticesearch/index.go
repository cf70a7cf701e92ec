package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

	"noticesearch/indexer"
)

// defaultIndex is where the index lives unless --index says otherwise.
const defaultIndex = "noticesearch.index"

func runIndex(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("index", defaultIndex, "index directory")
	rebuild := fs.Bool("rebuild", false, "build the index afresh from PATHs: the new state replaces every notice once committed (only in a folder that is an index)")
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	maxFile := fs.Int64("max-file-size", indexer.DefaultMaxFileSize, "largest file to index, in bytes; larger ones are reported and skipped")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: noticesearch index [--index DIR] [--rebuild] [--json] [--max-file-size N] PATH...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}
	if *rebuild {
		// A rebuild replaces the index: inputs that cannot be read would
		// leave it empty.
		for _, p := range fs.Args() {
			if err := readable(p); err != nil {
				fmt.Fprintf(stderr, "noticesearch: 无法读取 %s，索引未删除也未重建 / cannot read %s (%v); the index was neither removed nor rebuilt\n", strconv.Quote(p), strconv.Quote(p), err)
				return 1
			}
		}
	}
	ix, err := indexer.Open(*dir, indexer.Options{Rebuild: *rebuild, MaxFileSize: *maxFile})
	if err != nil {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	defer ix.Close()
	bar := newProgressBar(stderr)
	rep, err := ix.Add(ctx, fs.Args(), bar.update)
	bar.done()
	if rep != nil {
		if *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			out := struct {
				*indexer.Report
				Error string `json:"error,omitempty"`
			}{Report: rep}
			if err != nil {
				out.Error = err.Error()
			}
			enc.Encode(out)
		} else if err != nil {
			printUnfinished(stdout, rep, *dir, err)
		} else {
			printReport(stdout, rep, *dir)
		}
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "noticesearch:", err)
		return 1
	}
	if err != nil || len(rep.Skipped) > 0 {
		return 1
	}
	return 0
}

// readable says whether a path exists and can be read.
func readable(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err == nil && fi.IsDir() {
		_, err = f.ReadDir(1)
		if err == io.EOF {
			err = nil
		}
	}
	return err
}

// printReport tells what a finished run did. Every name is quoted: a file
// name may hold a newline, which would otherwise forge a line.
func printReport(w io.Writer, rep *indexer.Report, dir string) {
	fmt.Fprintf(w, "indexed %d files (%d unchanged, %d removed) into %s: %d notices, %d sections written, %s\n",
		rep.Indexed, rep.Unchanged, rep.Removed, strconv.Quote(dir), rep.Notices, rep.Sections, work(rep))
	printSkipped(w, rep)
}

// printUnfinished tells what a run that failed or was interrupted did
// before it stopped, and claims nothing indexed: what it parsed may not
// be recorded, and the next run reads any file not recorded again.
func printUnfinished(w io.Writer, rep *indexer.Report, dir string, err error) {
	why := "已中断 / interrupted"
	if !errors.Is(err, context.Canceled) {
		why = oneLine(err.Error())
	}
	fmt.Fprintf(w, "索引未完成 / indexing into %s did not finish: %s\n", strconv.Quote(dir), why)
	fmt.Fprintf(w, "before it stopped: %d of %d files parsed, %d unchanged, %d skipped; %s; nothing of this run was committed: the index is as it was\n",
		rep.Indexed, rep.Files, rep.Unchanged, len(rep.Skipped), work(rep))
	printSkipped(w, rep)
}

// work says how much was read in how long, with a rate only when it
// measures something: nothing read, or no time measured, gives none.
func work(rep *indexer.Report) string {
	s := fmt.Sprintf("%s read in %.1fs", bytesize(float64(rep.ReadBytes)), rep.Seconds)
	if rep.ReadBytes > 0 && rep.Seconds >= 0.001 {
		s += fmt.Sprintf(" (%s/s)", bytesize(float64(rep.ReadBytes)/rep.Seconds))
	}
	return s
}

// bytesize is n bytes in kB below a megabyte, in MB above.
func bytesize(n float64) string {
	if n < 1e6 {
		return fmt.Sprintf("%.0f kB", n/1e3)
	}
	return fmt.Sprintf("%.1f MB", n/1e6)
}

func printSkipped(w io.Writer, rep *indexer.Report) {
	if len(rep.Skipped) > 0 {
		fmt.Fprintf(w, "skipped %d files:\n", len(rep.Skipped))
		for _, s := range rep.Skipped {
			fmt.Fprintf(w, "  %s: %s\n", strconv.Quote(s.Path), oneLine(s.Reason))
		}
	}
	if len(rep.Ignored) > 0 {
		fmt.Fprintf(w, "not read, not notice files (%d):\n", len(rep.Ignored))
		for _, s := range rep.Ignored {
			fmt.Fprintf(w, "  %s: %s\n", strconv.Quote(s.Path), oneLine(s.Reason))
		}
	}
}

// oneLine escapes what in s is not printable (a newline, a control
// character), as strconv.Quote does, so that s prints as one line.
func oneLine(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) }) < 0 {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// progressBar draws indexing progress on a terminal; elsewhere it is silent.
type progressBar struct {
	w    io.Writer
	on   bool
	last time.Time
}

func newProgressBar(w io.Writer) *progressBar {
	f, ok := w.(*os.File)
	on := false
	if ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			on = true
		}
	}
	return &progressBar{w: w, on: on}
}

func (b *progressBar) update(p indexer.Progress) {
	if !b.on || (time.Since(b.last) < 200*time.Millisecond && p.Done < p.Files) {
		return
	}
	b.last = time.Now()
	secs := p.Elapsed.Seconds()
	rate := float64(p.Read) / 1e6 / max(secs, 1e-9)
	eta := "?"
	if p.Read > 0 {
		eta = (time.Duration(float64(p.Bytes-p.Read)/float64(p.Read)*secs) * time.Second).Round(time.Second).String()
	}
	const width = 30
	filled := 0
	if p.Files > 0 {
		filled = width * p.Done / p.Files
	}
	bar := make([]byte, width)
	for i := range bar {
		bar[i] = '.'
		if i < filled {
			bar[i] = '#'
		}
	}
	fmt.Fprintf(b.w, "\r[%s] %d/%d files  %.1f/%.1f MB  %.1f MB/s  ETA %s   ", bar, p.Done, p.Files, float64(p.Read)/1e6, float64(p.Bytes)/1e6, rate, eta)
}

func (b *progressBar) done() {
	if b.on && !b.last.IsZero() {
		fmt.Fprintln(b.w)
	}
}
