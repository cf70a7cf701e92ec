package dict

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// These tests guard the dictionaries under terms/: their format, that every
// word is one gse does not know yet (otherwise it does not belong there), and
// that every word stays one token inside running text once loaded.

// termFileEntry is one well-formed line of a terms/*.txt file.
type termFileEntry struct {
	word string
	freq float64
	pos  string
	file string // path relative to the package, e.g. terms/economy.txt
	line int
}

func (e termFileEntry) where() string { return fmt.Sprintf("%s:%d", e.file, e.line) }

// readTermDir reads every terms/*.txt from disk. It returns the well-formed
// entries and one message for each malformed line; err is for I/O only.
func readTermDir() (entries []termFileEntry, problems []string, err error) {
	files, err := filepath.Glob(filepath.Join("terms", "*.txt"))
	if err != nil {
		return nil, nil, err
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("no terms/*.txt files")
	}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			return nil, nil, err
		}
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
				continue
			}
			e, problem := parseTermLine(line)
			if problem != "" {
				problems = append(problems, fmt.Sprintf("%s:%d: %s: %q", file, n, problem, line))
				continue
			}
			e.file, e.line = file, n
			entries = append(entries, e)
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	return entries, problems, nil
}

// parseTermLine parses "word freq pos" (single spaces); problem says what is
// wrong with a malformed line.
func parseTermLine(line string) (e termFileEntry, problem string) {
	fields := strings.Split(line, " ")
	if len(fields) != 3 || slices.Contains(fields, "") {
		return e, `want "word freq pos" separated by single spaces`
	}
	word, freqText, pos := fields[0], fields[1], fields[2]
	if n := utf8.RuneCountInString(word); n < 2 || n > 10 {
		return e, fmt.Sprintf("word has %d characters, want 2-10", n)
	}
	for _, r := range word {
		if !unicode.Is(unicode.Han, r) && !('0' <= r && r <= '9') {
			return e, fmt.Sprintf("word contains %q; only Han characters and digits are allowed", r)
		}
	}
	freq, err := strconv.ParseFloat(freqText, 64)
	if err != nil || freq <= 0 {
		return e, "freq is not a positive number"
	}
	if freq < 2 {
		// gse's file loaders drop words below its MinTokenFreq (2).
		return e, "freq is below 2, which gse ignores"
	}
	if pos == "" || strings.TrimLeft(pos, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
		return e, "pos must be a part-of-speech tag of letters such as n, v, nz or l"
	}
	return termFileEntry{word: word, freq: freq, pos: pos}, ""
}

func loadTermEntries(t *testing.T) []termFileEntry {
	t.Helper()
	entries, _, err := readTermDir()
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestTermFilesFormat(t *testing.T) {
	entries, problems, err := readTermDir()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	first := make(map[string]termFileEntry)
	for _, e := range entries {
		if prev, ok := first[e.word]; ok {
			t.Errorf("%s: %s is already listed at %s", e.where(), e.word, prev.where())
			continue
		}
		first[e.word] = e
	}
	if len(first) < 500 {
		t.Errorf("%d distinct terms, want at least 500", len(first))
	}
	t.Logf("%d terms", len(first))
}

// TestTermsAreNewToGse checks that gse, with only its own simplified
// dictionary, splits every term into several tokens (by both its DAG cut and
// its shortest-path Segment): a word gse keeps whole already does not need
// to be in our files.
func TestTermsAreNewToGse(t *testing.T) {
	if testing.Short() {
		t.Skip("loads gse's dictionary")
	}
	entries := loadTermEntries(t)
	var seg gse.Segmenter
	seg.SkipLog = true
	if err := seg.LoadDictEmbed("zh_s"); err != nil {
		t.Fatal(err)
	}
	var offenders []string
	for _, e := range entries {
		cut := seg.Cut(e.word, false)
		segs := gse.ToSlice(seg.Segment([]byte(e.word)))
		if len(cut) <= 1 || len(segs) <= 1 {
			offenders = append(offenders, fmt.Sprintf("%s: %s (gse cuts %s, segments %s)",
				e.where(), e.word, strings.Join(cut, "/"), strings.Join(segs, "/")))
		}
	}
	if len(offenders) > 0 {
		t.Errorf("%d terms are already words of gse; remove them:\n%s", len(offenders), strings.Join(offenders, "\n"))
	}
}

// TestTermsStayWholeInText loads gse's simplified dictionary plus our terms
// and checks that each term comes out as one token inside a sentence.
func TestTermsStayWholeInText(t *testing.T) {
	if testing.Short() {
		t.Skip("loads gse's dictionary")
	}
	entries := loadTermEntries(t)

	// Our words first, then gse's dictionary: its load computes the tables
	// once at the end, and on a duplicate the first entry (ours) is kept.
	start := time.Now()
	seg := &gse.Segmenter{SkipLog: true}
	seg.Dict = gse.NewDict()
	seg.Init()
	for _, e := range entries {
		if err := seg.AddToken(e.word, e.freq, e.pos); err != nil {
			t.Fatalf("%s: add %s: %v", e.where(), e.word, err)
		}
	}
	if err := seg.LoadDictEmbed("zh_s"); err != nil {
		t.Fatal(err)
	}
	t.Logf("gse zh_s + %d terms loaded in %v", len(entries), time.Since(start).Round(time.Millisecond))

	var broken []string
	secondBroken := 0
	seen := make(map[string]bool)
	for _, e := range entries {
		if seen[e.word] {
			continue // a duplicate, reported by TestTermFilesFormat
		}
		seen[e.word] = true
		if freq, pos, ok := seg.Find(e.word); !ok || freq != e.freq || pos != e.pos {
			broken = append(broken, fmt.Sprintf("%s: %s loaded as freq %v pos %q, want %v %q", e.where(), e.word, freq, pos, e.freq, e.pos))
			continue
		}
		sentence := "我们要进一步加强" + e.word + "工作。"
		cut := seg.Cut(sentence, false)
		segs := gse.ToSlice(seg.Segment([]byte(sentence)))
		if !slices.Contains(cut, e.word) || !slices.Contains(segs, e.word) {
			broken = append(broken, fmt.Sprintf("%s: %s is split in %s (cut %s, segment %s); raise its freq, or drop the longer term that swallows it",
				e.where(), e.word, sentence, strings.Join(cut, "/"), strings.Join(segs, "/")))
			continue
		}
		title := "关于" + e.word + "的通知"
		if !slices.Contains(seg.Cut(title, false), e.word) || !slices.Contains(gse.ToSlice(seg.Segment([]byte(title))), e.word) {
			secondBroken++
			t.Logf("%s: %s is split in %s", e.where(), e.word, title)
		}
	}
	if len(broken) > 0 {
		t.Errorf("%d terms do not stay whole:\n%s", len(broken), strings.Join(broken, "\n"))
	}
	if secondBroken > 0 {
		t.Logf("%d terms are split in the second sentence (not an error)", secondBroken)
	}
}
