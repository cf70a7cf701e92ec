// Command crash is the helper of bench/crash.sh, the crash test of issue 11
// ("a living index"): it runs a writer and kills it, and it writes what an
// index answers in a form two indexes can be compared by.
//
//	crash dump -index IX -terms FILE          # what IX answers, canonically, on stdout
//	crash run [-kill-after MS | -kill-when GLOB] -dir IX -timeout S -- BIN ARGS...
//
// dump opens IX read-only, as `noticesearch search` does, and prints:
//   - every live notice, sorted by path: its ID, its sections' count and a
//     SHA-256 of its metadata, its file record (path, size, time,
//     fingerprint) and every section's path, level, text, normalised text
//     and word starts;
//   - for every query of FILE (one a line, # comments): the total of
//     sections and of notices found, and every notice found (paged through
//     with one hit per notice, as the API's default) with its count of
//     matching sections, sorted by path.
//
// Nothing in it depends on how the index is cut into segments, so an index
// answers exactly as another when their dumps are equal byte for byte. The
// generation and segments go to stderr, for the record.
//
// run starts BIN ARGS (stdout and stderr its own), and kills it with
// SIGKILL after MS milliseconds, or as soon as a file matching GLOB that
// was not there at the start appears in IX (polled every millisecond), or
// after S seconds whatever happens. Meanwhile it notes every time
// IX/manifest.json is replaced (a commit). It prints one line:
//
//	killed 1234.5 commits 800.1,1200.3
//	exited 0 2345.6 commits 2300.2
//	timeout 600000.0 commits
//
// with the milliseconds from the start to the kill or the exit.
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"noticesearch/indexer"
	"noticesearch/search"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	switch os.Args[1] {
	case "dump":
		os.Exit(dump(os.Args[2:]))
	case "run":
		os.Exit(run(os.Args[2:]))
	default:
		usage()
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: crash dump -index IX -terms FILE | crash run [-kill-after MS | -kill-when GLOB] -dir IX -timeout S -- BIN ARGS...")
	os.Exit(2)
}

// ---- dump -------------------------------------------------------------------

func dump(args []string) int {
	fs := flag.NewFlagSet("dump", flag.ExitOnError)
	dir := fs.String("index", "", "index folder")
	termsFile := fs.String("terms", "", "queries, one a line")
	fs.Parse(args)
	if *dir == "" || *termsFile == "" {
		usage()
	}
	queries, err := readQueries(*termsFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "crash dump:", err)
		return 1
	}
	ix, err := indexer.OpenReader(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "crash dump:", err)
		return 1
	}
	defer ix.Close()
	st := ix.State()
	text := st.Text
	fmt.Fprintf(os.Stderr, "generation %d segments %d\n", st.Generation, st.Segments())
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()

	fmt.Fprintf(out, "notices %d sections %d\n", text.Docs(), text.Sections())
	type noticeLine struct{ path, line string }
	var lines []noticeLine
	for d := range text.Docs() {
		h := sha256.New()
		field := func(b []byte) { // length-prefixed, so that fields cannot run into each other
			var n [8]byte
			binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
			h.Write(n[:])
			h.Write(b)
		}
		field(text.DocMeta(d))
		field(text.DocRecord(d))
		first, end := text.DocSections(d)
		for s := first; s < end; s++ {
			field(fmt.Appendf(nil, "%d/%d", text.Seq(s), text.Level(s)))
			field([]byte(text.Path(s)))
			field([]byte(text.Text(s)))
			field(text.Norm(s))
			field(text.NormPath(s))
			field(text.Words(s))
		}
		var rec struct {
			Path string `json:"path"`
		}
		json.Unmarshal(text.DocRecord(d), &rec)
		path := rec.Path
		if path == "" {
			m, _ := indexer.DecodeMeta(text.DocMeta(d))
			path = m.Path
		}
		lines = append(lines, noticeLine{path, fmt.Sprintf("notice %s %s %d %s\n", path, text.DocID(d), end-first, hex.EncodeToString(h.Sum(nil))[:24])})
	}
	slices.SortFunc(lines, func(a, b noticeLine) int { return strings.Compare(a.line, b.line) })
	for _, l := range lines {
		out.WriteString(l.line)
	}

	eng := search.New(ix)
	ctx := context.Background()
	for _, q := range queries {
		found := map[string]int{} // notice path → matching sections
		var total uint64
		notices := 0
		var qerr error
		for from := 0; ; from += search.MaxSize {
			res, err := eng.Search(ctx, search.Request{Query: q, Size: search.MaxSize, From: from, Collapse: true, NoFragments: true})
			if err != nil {
				qerr = err
				break
			}
			total, notices = res.Total, res.Notices
			for _, h := range res.Hits {
				if _, dup := found[h.Path]; dup {
					qerr = fmt.Errorf("paging: notice %s on two pages", h.Path)
				}
				found[h.Path] = h.NoticeHits
			}
			if len(res.Hits) < search.MaxSize || from+2*search.MaxSize > search.MaxWindow {
				break
			}
		}
		if qerr != nil {
			fmt.Fprintf(out, "query %s\terror %v\n", q, qerr)
			continue
		}
		sum := 0
		for _, n := range found {
			sum += n
		}
		fmt.Fprintf(out, "query %s\ttotal %d\tnotices %d\tlisted %d\tlisted-sections %d\n", q, total, notices, len(found), sum)
		for _, p := range slices.Sorted(func(yield func(string) bool) {
			for p := range found {
				if !yield(p) {
					return
				}
			}
		}) {
			fmt.Fprintf(out, "  %s %d\n", p, found[p])
		}
	}
	return 0
}

func readQueries(path string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var qs []string
	for _, l := range strings.Split(string(raw), "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		qs = append(qs, l)
	}
	return qs, nil
}

// ---- run ------------------------------------------------------------------

func run(args []string) int {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	after := fs.Float64("kill-after", -1, "kill after this many milliseconds")
	when := fs.String("kill-when", "", "kill when a new file matching this glob appears in -dir")
	dir := fs.String("dir", "", "the index folder")
	timeout := fs.Float64("timeout", 600, "kill after this many seconds whatever happens")
	fs.Parse(args)
	if *dir == "" || fs.NArg() == 0 {
		usage()
	}
	manifest := filepath.Join(*dir, "manifest.json")
	before := map[string]bool{}
	if *when != "" {
		names, err := filepath.Glob(filepath.Join(*dir, *when))
		if err != nil {
			fmt.Fprintln(os.Stderr, "crash run:", err)
			return 2
		}
		for _, n := range names {
			before[n] = true
		}
	}
	ino := func() uint64 {
		var st syscall.Stat_t
		if syscall.Stat(manifest, &st) != nil {
			return 0
		}
		return st.Ino
	}
	lastIno := ino()

	cmd := exec.Command(fs.Arg(0), fs.Args()[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "crash run:", err)
		return 2
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	ms := func() float64 { return float64(time.Since(start).Microseconds()) / 1000 }
	var commits []string
	note := func() {
		if i := ino(); i != lastIno {
			lastIno = i
			commits = append(commits, fmt.Sprintf("%.1f", ms()))
		}
	}
	report := func(what string, at float64) int {
		fmt.Printf("%s %.1f commits %s\n", what, at, strings.Join(commits, ","))
		return 0
	}
	kill := func() float64 {
		at := ms()
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		note() // a commit in the last millisecond before the kill
		return at
	}
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			at := ms()
			note()
			rc := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				rc = ee.ExitCode()
			} else if err != nil {
				rc = -1
			}
			return report(fmt.Sprintf("exited %d", rc), at)
		case <-tick.C:
			note()
			switch {
			case *after >= 0 && ms() >= *after:
				return report("killed", kill())
			case *when != "":
				names, _ := filepath.Glob(filepath.Join(*dir, *when))
				for _, n := range names {
					if !before[n] {
						at := kill()
						fmt.Fprintf(os.Stderr, "crash run: %s appeared\n", filepath.Base(n))
						return report("killed", at)
					}
				}
			}
			if ms() > *timeout*1000 {
				return report("timeout", kill())
			}
		}
	}
}
