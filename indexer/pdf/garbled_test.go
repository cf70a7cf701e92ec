package pdf

import (
	"context"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"noticesearch/indexer/office"
)

// TestPlausibility measures Plausibility on every real text of the
// corpus (PDF, OFD, DOCX) and on 300 laws, and on the mojibake PDF, and
// checks minPlausible stands well apart from both. Measured (go test
// -run Plausibility -v): real texts lowest 0.954 (the mineral licence
// OFD), laws lowest 0.900 (328 of 2,624), mojibake 0.233.
func TestPlausibility(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpus, "*"))
	if len(files) == 0 {
		t.Skip("../shared/corpus/formats is absent")
	}
	lowest, lowestName := math.Inf(1), ""
	judge := func(name, text string) {
		if garbled(text) != "" {
			t.Errorf("%s: real text judged garbled: %s", name, garbled(text))
		}
		if p := Plausibility(text); p < lowest {
			lowest, lowestName = p, name
		}
	}
	mojibake := -1.0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		var text string
		switch filepath.Ext(f) {
		case ".pdf":
			raw, err := readRaw(context.Background(), data)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			text, _ = rawText(raw)
			if strings.Contains(name, "mojibake") {
				mojibake = Plausibility(text)
				continue
			}
		case ".ofd":
			text, err = office.OFDText(data)
		case ".docx":
			text, err = office.DocxText(data)
		default:
			continue
		}
		if err != nil {
			continue // the image-only OFD
		}
		judge(name, text)
	}
	t.Logf("formats: lowest %.3f (%s); mojibake %.3f", lowest, lowestName, mojibake)
	realLowest := lowest
	laws, _ := filepath.Glob("../../../shared/corpus/laws/*.md")
	slices.Sort(laws)
	step := max(1, len(laws)/300)
	lowest, n := math.Inf(1), 0
	for i := 0; i < len(laws); i += step {
		b, err := os.ReadFile(laws[i])
		if err != nil {
			t.Fatal(err)
		}
		judge(filepath.Base(laws[i]), string(b))
		n++
	}
	t.Logf("laws: %d read, lowest %.3f (%s)", n, lowest, lowestName)
	realLowest = min(realLowest, lowest)
	if mojibake < 0 {
		t.Fatal("the mojibake PDF is absent")
	}
	if realLowest < minPlausible+0.2 || mojibake > minPlausible-0.2 {
		t.Errorf("the threshold %.2f is not well apart: real texts from %.3f, mojibake %.3f", minPlausible, realLowest, mojibake)
	}
}

// TestIdeographsAtRandomAreGarbled: text decoded to Chinese characters at
// random (a CID font's codes read through the wrong map) is refused,
// though every character of it is Chinese; the same length of real
// prose, with a rare character in every sentence, is not.
func TestIdeographsAtRandomAreGarbled(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	for range 400 {
		b.WriteRune(rune(0x4e00 + rng.IntN(0x9fa5-0x4e00)))
	}
	score := Plausibility(b.String())
	t.Logf("random ideographs score %.3f", score)
	if why := garbled(b.String()); why == "" {
		t.Errorf("random ideographs pass, scoring %.3f", score)
	}
	prose := strings.Repeat("各乡镇要落实河长制，开展河道清理，严查乱占乱采行为，确保鄱阳湖水质达标。", 10)
	if why := garbled(prose); why != "" {
		t.Errorf("prose refused: %s", why)
	}
}
