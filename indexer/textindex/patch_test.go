package textindex

import (
	"testing"
)

// TestPatchRoundTrip: a patch remakes the text from its normalised form,
// whatever the text, and is short for the genre's.
func TestPatchRoundTrip(t *testing.T) {
	for _, text := range []string{
		"",
		"党",
		"为深入贯彻落实全面从严治党要求，现将整改情况通报如下。",
		"一、落实一岗双责\n党委书记履行第一责任人职责，班子成员落实一岗双责。",
		"完成三个四方面整改，ＰＭ２．５浓度下降。",
		"第三、四季度开展2021年度检查。（一）㈠党⑴员\t\u3000第 一 条",
		"。。。",
		"abc DEF  ghi\r\n",
		"\xff\xfe党\xe6\x98",
		"“人民政府”——……！？《条例》",
	} {
		norm := Normalize(text)
		p := appendPatch(nil, norm, text)
		if got := patched(norm, p); got != text {
			t.Errorf("%q: patched back as %q", text, got)
		}
	}
	for _, e := range patchTable {
		if len(e.lit) > maxPatchLit {
			t.Errorf("%q: longer than maxPatchLit", e.lit)
		}
	}
	text := "一、落实一岗双责\n党委书记履行第一责任人职责，班子成员落实一岗双责。"
	if p := appendPatch(nil, Normalize(text), text); len(p) > 12 {
		t.Errorf("a patch of %d bytes for %d of text: %x", len(p), len(text), p)
	}
}

// FuzzPatch: any text and any normalised form make a patch that remakes
// the text, and applying any bytes as a patch stays in range.
func FuzzPatch(f *testing.F) {
	f.Add("完成三个四方面整改，ＰＭ２．５浓度下降。", "")
	f.Add("第三、四季度", "三|四")
	f.Fuzz(func(t *testing.T, text, other string) {
		for _, norm := range [][]byte{Normalize(text), []byte(other)} {
			p := appendPatch(nil, norm, text)
			if got := patched(norm, p); got != text {
				t.Fatalf("%q from %q: patched back as %q", text, norm, got)
			}
		}
		patched([]byte(text), []byte(other))
	})
}
