package api

import (
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromium finds a Chromium binary, or "" when there is none.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestBrowser drives the page in headless Chromium as a person would: type a
// query, see marked passages one notice a hit, show every section, narrow by
// a facet and remove it by its chip, page forward, open a notice, take a
// suggestion by keyboard, read results and a notice on a phone (文号 on one
// line), and remove a filter with JavaScript off. No request may leave the
// server and the console must stay free of errors. Screenshots, desktop
// (1200 px) and phone (375 px), go to a folder it prints.
func TestBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("no Chromium binary (apt-get install chromium); .ci/run installs it")
	}
	shots := filepath.Join(os.TempDir(), "noticesearch-screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", shots)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	)
	actx, cancel := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	var mu sync.Mutex
	var outside, consoleErrors []string
	chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if !strings.HasPrefix(e.Request.URL, testServer.URL) && !strings.HasPrefix(e.Request.URL, "data:") {
				outside = append(outside, e.Request.URL)
			}
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				consoleErrors = append(consoleErrors, string(e.Type))
			}
		case *runtime.EventExceptionThrown:
			consoleErrors = append(consoleErrors, e.ExceptionDetails.Text)
		}
	})

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		must(err)
		return strings.TrimSpace(s)
	}
	statCount := func() int {
		n, _ := strconv.Atoi(text(".stats strong"))
		return n
	}
	screenshot := func(name string) {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 gives a PNG
		must(err)
		must(os.WriteFile(filepath.Join(shots, name), png, 0o644))
	}
	q := chromedp.ID("q")

	// Type a query and see marked passages.
	must(chromedp.Do(ctx,
		chromedp.Navigate(testServer.URL+"/"),
		chromedp.WaitVisible(q),
		chromedp.SendKeys(q, "整改"),
		chromedp.Submit(q),
		chromedp.WaitVisible(chromedp.CSS(".hit mark")),
	))
	if m := text(".hit mark"); m != "整改" {
		t.Errorf("first mark reads %q", m)
	}
	before := statCount()
	screenshot("results-1200.png")

	// One hit per notice; the link to every section lists notices again.
	hitNotices := `(() => { const ids = [...document.querySelectorAll(".hit h2 a")].map(a => new URL(a.href).pathname); return [ids.length, new Set(ids).size]; })()`
	counts, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](hitNotices))
	must(err)
	if counts[0] == 0 || counts[0] != counts[1] {
		t.Errorf("by default %d hits from %d notices", counts[0], counts[1])
	}
	every, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("a.collapse")].find(a => a.textContent === "显示全部命中章节").href`))
	must(err)
	must(chromedp.Do(ctx, chromedp.Navigate(every), chromedp.WaitVisible(chromedp.CSS(".hit"))))
	counts, err = chromedp.Run(ctx, chromedp.Evaluate[[]int](hitNotices))
	must(err)
	if counts[0] <= counts[1] {
		t.Errorf("showing every section: %d hits from %d notices", counts[0], counts[1])
	}
	if statCount() != before {
		t.Errorf("showing every section changed the count from %d to %d", before, statCount())
	}

	// Click the first facet value that narrows the hits: the count becomes
	// the facet's.
	pick := `(() => { const total = +document.querySelector(".stats strong").textContent;
		const li = [...document.querySelectorAll(".facets li")].find(li => +li.querySelector(".count").textContent < total);
		li.querySelector("a").id = "narrow"; return +li.querySelector(".count").textContent; })()`
	facetCount, err := chromedp.Run(ctx, chromedp.Evaluate[int](pick))
	must(err)
	must(chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("narrow")),
		chromedp.WaitVisible(chromedp.CSS(".chips")),
	))
	if after := statCount(); after != facetCount || after >= before {
		t.Errorf("after the facet: %d sections (facet said %d, before %d)", after, facetCount, before)
	}
	// The chip says the filter in words; its × takes it away.
	if chip := strings.Join(strings.Fields(text(".chips li")), ""); !regexp.MustCompile(`^(地区|年份|文种|来源)：\S+×$`).MatchString(chip) {
		t.Errorf("the chip reads %q", chip)
	}
	must(chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".chips .chip-remove")),
		chromedp.WaitNotPresent(chromedp.CSS(".chips")),
		chromedp.WaitVisible(chromedp.CSS(".hit")),
	))
	if n := statCount(); n != before {
		t.Errorf("after removing the chip: %d sections, want %d", n, before)
	}

	// Page forward.
	must(chromedp.Do(ctx,
		chromedp.Navigate(testServer.URL+"/?q=%E7%9A%84"),
		chromedp.WaitVisible(chromedp.CSS(`a[rel="next"]`)),
		chromedp.Click(chromedp.CSS(`a[rel="next"]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[rel="prev"]`)),
	))
	if pager := text(".pager span"); !strings.HasPrefix(pager, "第 2 /") {
		t.Errorf("pager reads %q", pager)
	}

	// Open a notice: outline and the first match marked.
	must(chromedp.Do(ctx,
		chromedp.Navigate(testServer.URL+"/?q=%E4%B8%80%E5%B2%97%E5%8F%8C%E8%B4%A3"),
		chromedp.WaitVisible(chromedp.CSS(".hit h2 a")),
		chromedp.Click(chromedp.CSS(".hit h2 a")),
		chromedp.WaitVisible(chromedp.ID("m1")),
	))
	outline, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("nav.outline li").length`))
	must(err)
	if first := text("#m1"); first != "一岗双责" || outline == 0 {
		t.Errorf("notice view: first mark %q, %d outline entries", first, outline)
	}
	screenshot("notice-1200.png")

	// Take a suggestion by keyboard: ygsz → 一岗双责.
	must(chromedp.Do(ctx,
		chromedp.Navigate(testServer.URL+"/"),
		chromedp.WaitVisible(q),
		chromedp.SendKeys(q, "ygsz"),
		chromedp.WaitVisible(chromedp.CSS("#suggest li")),
		chromedp.SendKeys(q, kb.ArrowDown),
		chromedp.SendKeys(q, kb.Enter),
		chromedp.WaitVisible(chromedp.CSS(".hit mark")),
	))
	value, err := chromedp.Run(ctx, chromedp.Value(q))
	must(err)
	if value != "一岗双责" {
		t.Errorf("after the suggestion the box holds %q", value)
	}

	// A phone-sized window lays the page out without overflow, and a 文号
	// stays on one line.
	onPhone := func(path, shot string) {
		t.Helper()
		must(chromedp.Do(ctx,
			chromedp.EmulateViewport(375, 740),
			chromedp.Navigate(testServer.URL+path),
			chromedp.WaitVisible(chromedp.CSS(".docno")),
		))
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
		must(err)
		if overflow {
			t.Errorf("%s is wider than a 375 px screen", path)
		}
		broken, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll(".docno")]
			.filter(e => e.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(e).lineHeight)).map(e => e.textContent)`))
		must(err)
		if len(broken) > 0 {
			t.Errorf("%s: 文号 broken across lines: %q", path, broken)
		}
		screenshot(shot)
	}
	onPhone("/?q=2021+year%3A2021", "results-375.png")
	notice, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(".hit")].find(h => h.querySelector(".docno")).querySelector("h2 a").href`))
	must(err)
	onPhone(strings.TrimPrefix(notice, testServer.URL), "notice-375.png")

	// With JavaScript off the page works as well: a chip's × is a link.
	_, err = chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
	must(err)
	must(chromedp.Do(ctx,
		chromedp.EmulateViewport(1200, 900),
		chromedp.Navigate(testServer.URL+"/?q=%E6%95%B4%E6%94%B9+year%3A2021"),
		chromedp.WaitVisible(chromedp.CSS(".chips .chip-remove")),
		chromedp.Click(chromedp.CSS(".chips .chip-remove")),
		chromedp.WaitNotPresent(chromedp.CSS(".chips")),
		chromedp.WaitVisible(chromedp.CSS(".hit")),
	))
	if n := statCount(); n != before {
		t.Errorf("with JavaScript off, removing the chip gives %d sections, want %d", n, before)
	}
	suggest, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.ID("suggest"), chromedp.AtLeast(0)))
	must(err)
	if len(suggest) != 0 {
		t.Error("the script ran although JavaScript is off")
	}

	// Compare the terms of a search by county, from its link, still with
	// JavaScript off: a chart and a table; then by year, from the form:
	// lines; and the CSV the page links to downloads.
	must(chromedp.Do(ctx,
		chromedp.Navigate(testServer.URL+"/?q=%E4%B8%80%E5%B2%97%E5%8F%8C%E8%B4%A3+%E6%95%B4%E6%94%B9"),
		chromedp.WaitVisible(chromedp.CSS("a.compare-link")),
		chromedp.Click(chromedp.CSS("a.compare-link")),
		chromedp.WaitVisible(chromedp.CSS("figure.chart svg")),
	))
	chart, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[document.querySelectorAll("figure.chart svg rect").length,
		[...document.querySelectorAll("figure.chart svg text")].filter(t => /\p{Script=Han}/u.test(t.textContent) && t.getBBox().width > 10).length,
		document.querySelectorAll(".compare-table tbody tr").length, document.querySelectorAll(".compare-table tbody a").length]`))
	must(err)
	if chart[0] < 3 || chart[1] < 3 || chart[2] < 3 || chart[3] == 0 {
		t.Errorf("the comparison by county: %d bars, %d Chinese labels drawn, %d rows, %d links", chart[0], chart[1], chart[2], chart[3])
	}
	screenshot("compare-county-1200.png")
	must(chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("by"), "year"),
		chromedp.Click(chromedp.CSS(".compare-form button")),
		chromedp.WaitVisible(chromedp.CSS("figure.chart svg polyline")),
	))
	screenshot("compare-year-1200.png")
	csvHref, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".downloads a[href*='format=csv']").href`))
	must(err)
	resp, err := http.Get(csvHref)
	must(err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") || !strings.HasPrefix(string(body), "\ufeff年份,") {
		t.Errorf("the page's CSV: %d %v %.40q", resp.StatusCode, resp.Header, body)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(outside) > 0 {
		t.Errorf("requests outside the server: %v", outside)
	}
	if len(consoleErrors) > 0 {
		t.Errorf("console errors: %v", consoleErrors)
	}
}
