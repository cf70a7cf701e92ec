package indexer

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sharedCorpus is the corpus of real notices beside the repository; the
// tests that read it skip when it is absent.
const sharedCorpus = "../../shared/corpus"

// TestSharedCorpusIsClean reads the real notices of ../shared/corpus and
// checks what issue 10 saw in them: no section holds Office style junk or
// a site footer, run-on headings end after their part name, and the
// commentary and news pages of ccdi/ have a 文种, a date and, where their
// page has subheadings, sections.
func TestSharedCorpusIsClean(t *testing.T) {
	if _, err := os.Stat(sharedCorpus); err != nil {
		t.Skip("shared corpus not present")
	}
	junk := regexp.MustCompile(`mso-|X-NONE|EN-US ZH-CN|Style Definitions`)
	footer := regexp.MustCompile(`闽ICP备|ICP备\d|版权所有\s*[：:]|网站标识码|公网安备|最佳浏览效果`)
	headings := map[string][]string{}
	var ccdi, kinds, dated, outlined int
	for _, dir := range []string{"pingtan", "ccdi"} {
		paths, err := filepath.Glob(filepath.Join(sharedCorpus, dir, "*.*"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range paths {
			if !IsNoticeFile(path) {
				continue
			}
			n, err := ReadFile(path)
			if err != nil {
				continue // rejections are TestSharedCorpus's concern
			}
			for _, s := range n.Sections {
				if m := junk.FindString(s.Text); m != "" {
					t.Errorf("%s section %d holds Office junk %q", path, s.Seq, m)
				}
				if m := footer.FindString(s.Text); m != "" {
					t.Errorf("%s section %d holds a footer %q", path, s.Seq, m)
				}
				headings[filepath.Base(path)] = append(headings[filepath.Base(path)], s.Heading)
			}
			if dir == "ccdi" {
				ccdi++
				if n.Kind != "" {
					kinds++
				}
				if n.Date != "" {
					dated++
				}
				if len(n.Sections) > 1 {
					outlined++
				}
			}
		}
	}
	// Run-on headings seen in the corpus, as they must now read; the
	// files are named by the corpus's manifest.
	for file, want := range map[string][]string{
		"12784_aqjc_201902.txt":       {"一、指导思想", "二、工作目标", "（一）排查范围", "（二）排查内容"},
		"50301_bmwj_202309.txt":       {"一、考核对象", "二、组织形式", "三、时间安排"},
		"96154_hjbhggwsaq_202412.txt": {"一、事故调查合法性", "（一）事故性质", "（二）事故的直接原因"},
		"28687_bmwj_202110.txt":       {"一、落实整改主体责任情况"},
		"97139_zfgzbg_202502.txt":     {"一、2024年工作回顾", "二、2025年工作安排"},
		"21864_bmwj_202007.txt":       {"二、创新服务方式精准服务企业重点围绕做好“六稳六保”工作，精准服务企业"}, // 二、 after 交通建设处
		"82146_bmwj_202310.txt":       {"三、时间安排", "四、保障措施"},
	} {
		got, ok := headings[file]
		if !ok {
			t.Errorf("%s: not read", file)
			continue
		}
		for _, h := range want {
			if !hasHeading(got, h) {
				t.Errorf("%s: no heading %q among %q", file, h, got)
			}
		}
	}
	// Measured when this test was written: every ccdi page has a 文种 and
	// a date (5 of them from the file name), and 40 of 70 have sections.
	if ccdi == 0 || kinds < ccdi || dated < ccdi || outlined*2 < ccdi {
		t.Errorf("ccdi: %d pages, %d with a 文种, %d with a date, %d with sections", ccdi, kinds, dated, outlined)
	}
}

func hasHeading(list []string, s string) bool {
	for _, x := range list {
		if strings.TrimSpace(x) == s {
			return true
		}
	}
	return false
}
