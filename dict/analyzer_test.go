package dict

import (
	"fmt"
	"strings"
	"testing"
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
