package dict

import (
	"bufio"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/go-ego/gse"
)

// Our dictionaries of government terms, one file a theme, in gse's
// "word freq pos" format. Adding a word is editing one of these files.
//
//go:embed terms/*.txt
var termFiles embed.FS

// AnalyzerVersion changes whenever normalisation or segmentation changes
// in a way that makes an existing index disagree with new queries.
const AnalyzerVersion = 4

// Term is one entry of our dictionaries.
type Term struct {
	Word string
	Freq float64
	Pos  string
	File string
}

// Terms reads our embedded dictionaries.
func Terms() ([]Term, error) {
	var terms []Term
	err := fs.WalkDir(termFiles, "terms", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := termFiles.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			fields := strings.Fields(line)
			if len(fields) != 3 {
				return fmt.Errorf("%s:%d: want \"word freq pos\", got %q", path, n, line)
			}
			freq, err := strconv.ParseFloat(fields[1], 64)
			if err != nil || freq <= 0 {
				return fmt.Errorf("%s:%d: bad frequency %q", path, n, fields[1])
			}
			terms = append(terms, Term{Word: fields[0], Freq: freq, Pos: fields[2], File: path})
		}
		return sc.Err()
	})
	return terms, err
}

// Checksum identifies our dictionaries and the analyzer version. An index
// records it; one built with other dictionaries must be rebuilt, since its
// word tokens no longer agree with how queries are segmented.
func Checksum() string {
	h := sha256.New()
	fmt.Fprintf(h, "analyzer v%d\n", AnalyzerVersion)
	var paths []string
	fs.WalkDir(termFiles, "terms", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, path)
		}
		return nil
	})
	sort.Strings(paths)
	// Place names are words of the segmenter too.
	fmt.Fprintf(h, "regions %d %d\n", len(regionsTSV), len(regionsExtraTSV))
	h.Write([]byte(regionsTSV))
	h.Write([]byte(regionsExtraTSV))
	for _, p := range paths {
		b, _ := termFiles.ReadFile(p)
		fmt.Fprintf(h, "%s %d\n", p, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// segmenter is loaded once per process: gse recomputes its tables on every
// dictionary load (~0.8 s), so every word is added before the one load that
// computes them.
var segmenter = sync.OnceValues(func() (*gse.Segmenter, error) {
	terms, err := Terms()
	if err != nil {
		return nil, err
	}
	seg := &gse.Segmenter{SkipLog: true}
	seg.Dict = gse.NewDict()
	seg.Init()
	// Ours first: on a duplicate, gse keeps the first entry, so our
	// frequencies win over the embedded dictionary's.
	for _, t := range terms {
		if err := seg.AddToken(t.Word, t.Freq, t.Pos); err != nil {
			return nil, fmt.Errorf("add %q from %s: %w", t.Word, t.File, err)
		}
	}
	for _, name := range DefaultGazetteer().Names() {
		seg.AddToken(name, 1000, "ns")
	}
	// The embedded simplified-Chinese dictionary; this computes the tables.
	if err := seg.LoadDictEmbed("zh_s"); err != nil {
		return nil, fmt.Errorf("load gse dictionary: %w", err)
	}
	return seg, nil
})

// Segmenter returns the process's gse segmenter with our dictionaries. It
// is safe for concurrent use.
func Segmenter() (*gse.Segmenter, error) { return segmenter() }
