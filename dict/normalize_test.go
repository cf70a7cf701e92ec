package dict

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

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

// FuzzAppendNormalized checks the byte form and Locate against Normalize.
func FuzzAppendNormalized(f *testing.F) {
	for _, s := range []string{"三、资金", "〔２０１５〕188号", "Covid 19", "a\u00a0\u00a0b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		cs := Normalize(in)
		if got, want := string(AppendNormalized(nil, in)), renderChars(cs); got != want {
			t.Errorf("AppendNormalized(%q) = %q, want %q", in, got, want)
		}
		// Locate agrees with Normalize on every span of two characters.
		var spans []Span
		for i := 0; i+1 < len(cs); i++ {
			if cs[i].R != Barrier && cs[i+1].R != Barrier {
				spans = append(spans, Span{i, i + 2})
			}
		}
		for i, got := range Locate(in, spans) {
			if want := (Span{cs[spans[i].Start].Start, cs[spans[i].End-1].End}); got != want {
				t.Errorf("Locate(%q, %v) = %v, want %v", in, spans[i], got, want)
			}
		}
	})
}

// TestLocate: Locate agrees with Normalize's offsets for spans all over
// every notice of testdata, overlapping ones included.
func TestLocate(t *testing.T) {
	files, _ := filepath.Glob("../testdata/notices/*")
	files = append(files, "") // and a text of our own below
	for _, f := range files {
		text := "ＡＢＣ 中 文, 三、四 PM2.5 ﬁ …（一）Ⅻ条\xff尾"
		if f != "" {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			text = string(b)
		}
		cs := Normalize(text)
		var spans []Span
		for a := 0; a < len(cs); a += 7 {
			for _, l := range []int{1, 2, 5, 40} {
				b := a + l
				if b <= len(cs) && cs[a].R != Barrier && cs[b-1].R != Barrier {
					spans = append(spans, Span{a, b})
				}
			}
		}
		got := Locate(text, spans)
		for i, s := range spans {
			if want := (Span{cs[s.Start].Start, cs[s.End-1].End}); got[i] != want {
				t.Fatalf("%s: span %v located at %v, want %v", f, s, got[i], want)
			}
		}
	}
}
