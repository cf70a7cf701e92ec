package indexer

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFormalHead(t *testing.T) {
	for _, c := range []struct{ text, title, number string }{
		{"测试符路桥区卫生局文件\n路卫发〔2011〕76号\n关于同意张阿三同志辞职的批复\n区中医院：\n", "关于同意张阿三同志辞职的批复", "路卫发〔2011〕76号"},
		{"BJTU机密文件\nXXX〔2023〕X号\n测试公文标题\n密级：秘密\n", "测试公文标题", "XXX〔2023〕X号"},
		{"某某市人民政府文件\n某政发〔2024〕3号\n某某市人民政府关于印发\n2024年工作要点的通知\n各县（市、区）：\n", "某某市人民政府关于印发2024年工作要点的通知", "某政发〔2024〕3号"},
		{"关于开展检查的通知\n各单位：\n请于〔2024〕年底前完成。\n", "", ""},
		{"某局文件\n某发〔2024〕1号\n各有关单位：\n", "", "某发〔2024〕1号"},
	} {
		title, number := formalHead(c.text)
		if title != c.title || number != c.number {
			t.Errorf("%q: %q %q, want %q %q", c.text, title, number, c.title, c.number)
		}
	}
}

// TestFormalDocumentsOfTheCorpus: the formal documents of
// ../shared/corpus/formats in OFD, DOCX, DOC and WPS read with their
// titles and numbers, the same in every format of a template.
func TestFormalDocumentsOfTheCorpus(t *testing.T) {
	dir := "../../shared/corpus/formats"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("../shared/corpus/formats is absent")
	}
	for name, want := range map[string][2]string{
		"ofd_luqiao_weishengju_pifu_2011.ofd":          {"关于同意张阿三同志辞职的批复", "路卫发〔2011〕76号"},
		"ofd_synthetic_gongwen_guofangbu_notice.ofd":   {"国防部关于放假的通知", "国防部发〔2012〕21号"},
		"docx_synthetic_gongwen_guofangbu_notice.docx": {"国防部关于放假的通知", "国防部发〔2012〕21号"},
		// A template's XXX〔2023〕X号 is a placeholder, not a number.
		"ofd_synthetic_gongwen_secret_template.ofd":   {"测试公文标题", ""},
		"docx_synthetic_gongwen_secret_template.docx": {"测试公文标题", ""},
		"wps_synthetic_gongwen_secret_template.wps":   {"测试公文标题", ""},
	} {
		n, err := ReadFile(filepath.Join(dir, name))
		if filepath.Ext(name) == ".wps" && err != nil {
			t.Logf("%s: %v (no converter?)", name, err)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if n.Title != want[0] || n.DocNumber != want[1] {
			t.Errorf("%s: %q %q, want %q %q", name, n.Title, n.DocNumber, want[0], want[1])
		}
	}
}
