package dict

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

func TestWordsCarryTheirOwnOffsets(t *testing.T) {
	seg, err := Segmenter()
	if err != nil {
		t.Fatal(err)
	}
	text := "加强廉政风险防控，排查廉政风险点。"
	toks := Words(seg, Normalize(text))
	var starts []int
	for _, tk := range toks {
		if string(tk.Term) != "廉政风险" {
			continue
		}
		if got := text[tk.Start:tk.End]; got != "廉政风险" {
			t.Errorf("token 廉政风险 at %d:%d covers %q", tk.Start, tk.End, got)
		}
		starts = append(starts, tk.Start)
	}
	if len(starts) != 2 || starts[0] == starts[1] {
		t.Fatalf("the repeated word 廉政风险 has starts %v; want two different ones", starts)
	}
}

func TestSubWordsSitAtTheWordsPosition(t *testing.T) {
	seg, err := Segmenter()
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"廉政风险", "全面加强廉政风险防控"} {
		pos := map[string]int{}
		for _, tk := range Words(seg, Normalize(text)) {
			pos[string(tk.Term)] = tk.Position
		}
		word, ok := pos["廉政风险"]
		if !ok {
			t.Fatalf("%q: the dictionary word itself is missing: %v", text, pos)
		}
		if pos["廉政"] != word || pos["风险"] != word {
			t.Errorf("%q: sub-words at %d and %d, the word at %d", text, pos["廉政"], pos["风险"], word)
		}
	}
}

func TestBigramsAndBarriers(t *testing.T) {
	render := func(s string) string {
		var parts []string
		for _, tk := range Bigrams(Normalize(s)) {
			parts = append(parts, fmt.Sprintf("%s@%d", tk.Term, tk.Position))
		}
		return strings.Join(parts, " ")
	}
	for in, want := range map[string]string{
		"三、四季":   "三|@1 |四@2 四季@3",
		"ＰＭ２．５":  "pm@1 m2@2 2|@3 |5@4",
		"一岗双责":   "一岗@1 岗双@2 双责@3",
		"党":      "",
		"（一）工作。": "|一@1 一|@2 |工@3 工作@4 作|@5",
	} {
		if got := render(in); got != want {
			t.Errorf("Bigrams(%q) = %q, want %q", in, got, want)
		}
	}
	var chars []string
	for _, tk := range Chars(Normalize("三、四")) {
		chars = append(chars, string(tk.Term))
	}
	if strings.Join(chars, " ") != "三 四" {
		t.Errorf("Chars = %v", chars)
	}
}

func TestNormalizeString(t *testing.T) {
	for in, want := range map[string]string{
		"三、资金":           "三|资金",
		"〔２０１５〕188号":     "|2015|188号",
		"ＡＢＣ\u3000中 文":   "abc中文",
		"Covid 19":       "covid|19",
		"PM2.5 浓度":       "pm2|5浓度",
		"行政\n风险":         "行政风险",
		"a\u00a0\u00a0b": "a|b",
	} {
		if got := NormalizeString(in); got != want {
			t.Errorf("NormalizeString(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFoldFastPaths: the ranges fold handles without the NFKC tables give
// the same normalised text as NFKC would.
func TestFoldFastPaths(t *testing.T) {
	slow := func(r rune) string {
		var b strings.Builder
		for _, m := range norm.NFKC.String(string(r)) {
			m = unicode.ToLower(m)
			switch {
			case isWordRune(m):
				b.WriteRune(m)
			case unicode.IsSpace(m):
				b.WriteByte(' ')
			default:
				b.WriteByte('|')
			}
		}
		return b.String()
	}
	fast := func(r rune) string {
		var b strings.Builder
		for _, m := range fold(r, nil) {
			switch {
			case m >= 0x4e00 && m <= 0x9fff || isWordRune(m):
				b.WriteRune(m)
			case unicode.IsSpace(m):
				b.WriteByte(' ')
			default:
				b.WriteByte('|')
			}
		}
		return b.String()
	}
	collapse := func(s string) string { // a run of barriers is one barrier
		for strings.Contains(s, "||") {
			s = strings.ReplaceAll(s, "||", "|")
		}
		return s
	}
	for _, rng := range [][2]rune{{0x4e00, 0x9fff}, {0xff01, 0xff5e}, {0x3000, 0x3000}, {0x3001, 0x3004}, {0x3008, 0x3020}, {0x2010, 0x2016}, {0x2018, 0x2027}} {
		for r := rng[0]; r <= rng[1]; r++ {
			if got, want := collapse(fast(r)), collapse(slow(r)); got != want {
				t.Errorf("U+%04X %q: fast path gives %q, NFKC %q", r, r, got, want)
			}
		}
	}
}

// renderChars is Normalize's output in AppendNormalized's form.
func renderChars(cs []Char) string {
	var b strings.Builder
	for _, c := range cs {
		if c.R == Barrier {
			b.WriteByte('|')
		} else {
			b.WriteRune(c.R)
		}
	}
	return b.String()
}

// TestAppendNormalized: the byte form indexing uses agrees with Normalize
// on every notice of testdata and on edge cases.
func TestAppendNormalized(t *testing.T) {
	inputs := []string{"", " ", "、", "a b", "中 文", "a 中", "三、 四", "  x  ", "ﬁ ligature", "Ⅻ 条", "\xff\xfe 坏", "…（一）"}
	files, _ := filepath.Glob("../testdata/notices/*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, string(b))
	}
	for _, in := range inputs {
		if got, want := string(AppendNormalized(nil, in)), renderChars(Normalize(in)); got != want {
			t.Errorf("AppendNormalized(%.40q) = %.80q, want %.80q", in, got, want)
		}
	}
}

func FuzzAppendNormalized(f *testing.F) {
	for _, s := range []string{"三、资金", "〔２０１５〕188号", "Covid 19", "a\u00a0\u00a0b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if got, want := string(AppendNormalized(nil, in)), renderChars(Normalize(in)); got != want {
			t.Errorf("AppendNormalized(%q) = %q, want %q", in, got, want)
		}
	})
}
