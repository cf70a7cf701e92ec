package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(t.Context(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestParseJSONHasTheDocumentedFields(t *testing.T) {
	code, out, errOut := runCLI(t, "parse", "--json", "../../testdata/notices/lucheng-2021-xunshi-zhenggai.txt")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var n map[string]any
	if err := json.Unmarshal([]byte(out), &n); err != nil {
		t.Fatalf("not one JSON object: %v\n%s", err, out)
	}
	for _, k := range []string{"id", "path", "title", "date", "source", "issuer", "region", "doc_number", "kind", "sections"} {
		if _, ok := n[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	region := n["region"].(map[string]any)
	if region["province"] != "浙江省" || region["city"] != "温州市" || region["county"] != "鹿城区" {
		t.Errorf("region = %v", region)
	}
	secs := n["sections"].([]any)
	if len(secs) < 5 {
		t.Fatalf("%d sections", len(secs))
	}
	for _, k := range []string{"id", "level", "heading", "path", "text"} {
		if _, ok := secs[1].(map[string]any)[k]; !ok {
			t.Errorf("section JSON lacks %q", k)
		}
	}
	if _, ok := n["body"]; ok {
		t.Errorf("body printed without --body")
	}
}

func TestParseReportsBrokenFilesAndGoesOn(t *testing.T) {
	code, out, errOut := runCLI(t, "parse", "../../testdata/broken", "../../testdata/notices/ouhai-2018-dianxing-wenti.txt")
	if code != 1 {
		t.Errorf("exit %d, want 1 when a file is rejected", code)
	}
	broken, _ := filepath.Glob("../../testdata/broken/*")
	for _, path := range broken {
		if !strings.Contains(errOut, path+": ") {
			t.Errorf("stderr does not name %s:\n%s", path, errOut)
		}
	}
	if !strings.Contains(out, "中共温州市瓯海区纪委关于4起违反中央八项规定精神典型问题的通报") {
		t.Errorf("the good file after the broken ones was not printed:\n%s", out)
	}
	if !strings.Contains(errOut, "rejected "+strconv.Itoa(len(broken))) {
		t.Errorf("summary does not count %d rejections:\n%s", len(broken), errOut)
	}
}

func TestOutlineShowsTheSectionTree(t *testing.T) {
	code, out, errOut := runCLI(t, "parse", "../../testdata/notices/wenzhou-2021-qinglian-cunju-tiaoli.md")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"标题: 温州市清廉村居建设促进条例", "地区: 浙江省 · 温州市", "\n    第一章 总则", "\n      第一条"} {
		if !strings.Contains(out, want) {
			t.Errorf("outline lacks %q:\n%s", want, out)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	if code, _, errOut := runCLI(t, "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
