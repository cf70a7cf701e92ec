package api

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"unicode"

	"github.com/gin-gonic/gin"

	"noticesearch/analysis"
	"noticesearch/figures"
	"noticesearch/search"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// pageSize is the hits a page shows.
const pageSize = 10

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	// Fragments and marked texts come from the highlighter, which escapes
	// all notice text and adds only <mark>.
	"marked": func(s string) template.HTML { return template.HTML(s) },
	"add":    func(a, b int) int { return a + b },
	"took":   tookText,
	"num":    func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) },
	"pct":    func(v float64) float64 { return 100 * v },
	"label":  analysis.Label,
	// The name of a file format a reader knows by, "" for web pages and
	// text, which need none.
	"formatName": func(f string) string {
		return map[string]string{"pdf": "PDF", "ofd": "OFD", "docx": "Word", "doc": "Word", "odt": "ODT"}[f]
	},
	// Charts are drawn by package analysis, which escapes every label.
	"svg": func(s string) template.HTML { return template.HTML(s) },
}).ParseFS(templateFiles, "templates/*.html"))

// securityHeaders keep pages to their own resources: no inline script, no
// framing, no referrer leaking queries.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	c.Next()
}

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // the embedded folder is part of the binary
	}
	return sub
}

// chip is a filter of the query in words (「地区：温州市」), with the query
// without it.
type chip struct {
	Label, Value, Remove string
}

// filterLabels names each field of search.Filters on the page. Chips are
// read from the parsed filter by field name, so that a field added to
// Filters needs only its line here; a field without one shows as written.
var filterLabels = map[string]string{
	"Region": "地区", "Year": "年份", "Kind": "文种", "Source": "来源", "Issuer": "发文机关",
	"After": "起始日期", "Before": "截止日期", "Title": "标题", "DocNumber": "文号",
}

// describeFilter puts a filter parsed on its own into words: the label of
// its first field that is set, and that field's values.
func describeFilter(f search.Filters) (label, value string, ok bool) {
	v := reflect.ValueOf(f)
	for i := range v.NumField() {
		label, known := filterLabels[v.Type().Field(i).Name]
		field := v.Field(i)
		if !known || field.IsZero() {
			continue
		}
		if field.Kind() != reflect.Slice {
			return label, fmt.Sprint(field.Interface()), true
		}
		vals := make([]string, field.Len())
		for k := range vals {
			vals[k] = fmt.Sprint(field.Index(k).Interface())
		}
		return label, strings.Join(vals, "、"), true
	}
	return "", "", false
}

// filterChips lists the filters of q, each in words with a link (made by
// href from the query that remains) that removes it.
func filterChips(q string, href func(rest string) string) []chip {
	var chips []chip
	for _, t := range search.QueryFilterTokens(q) {
		c := chip{Value: t.Text, Remove: href(t.Without)}
		if parsed, err := search.ParseQuery(t.Text); err == nil {
			if label, value, ok := describeFilter(parsed.Filters); ok {
				c.Label, c.Value = label, value
			}
		}
		chips = append(chips, c)
	}
	return chips
}

// facetLink is one value of a facet, with the query narrowed to it.
type facetLink struct {
	Value, Href string
	Count       int
}

type facetGroup struct {
	Title string
	Links []facetLink
}

// hitView is a hit as the page shows it: title and section path marked,
// and the passages that do not merely repeat the section's heading.
type hitView struct {
	search.Hit
	Href      string // the notice, at the run of sections that holds the hit
	AllHref   string // the notice from its start, at its first match
	TitleHTML string
	Crumbs    []string // the section path, marked
	Frags     []string
}

// hintLink is a hint of a search that found nothing, with the query it
// offers as a link.
type hintLink struct {
	search.Hint
	Href string
}

type searchPage struct {
	Query, Error    string
	Result          *search.Result
	Hits            []hitView
	Page, Pages     int
	Start           int // number of the page's first hit
	Prev, Next      string
	Last            string // the last page, when this one is past it
	SortDate        bool
	Collapse        bool
	SortHref        string
	CollapseHref    string
	Chips           []chip
	Hints           []hintLink
	Facets          []facetGroup
	Status          int
	Empty, Searched bool
	CompareHref     string // the query's terms compared by county, within its filters
}

var facetTitles = map[string]string{"province": "省份", "city": "城市", "county": "区县", "year": "年份", "kind": "文种", "source": "来源"}

// facetFilter is the filter a facet value adds to the query.
func facetFilter(field, value string) string {
	name := field
	switch field {
	case "province", "city", "county":
		name = "region"
	}
	if strings.ContainsAny(value, " \u3000\"") {
		value = `"` + strings.ReplaceAll(value, `"`, "") + `"`
	}
	return name + ":" + value
}

// pageURL links to a page of results. One hit per notice is the page's
// default, so only showing every section is written out.
func pageURL(q string, page int, sortDate, collapse bool) string {
	if strings.TrimSpace(q) == "" {
		return "/"
	}
	v := url.Values{}
	v.Set("q", q)
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if sortDate {
		v.Set("sort", "date")
	}
	if !collapse {
		v.Set("collapse", "none")
	}
	return "/?" + v.Encode()
}

// collapseParam reads the page's collapse parameter: one hit per notice
// unless it asks for every section.
func collapseParam(v string) bool {
	switch v {
	case "none", "false", "0", "off", "section":
		return false
	}
	return true
}

// maxPage is the last page the engine can serve (MaxWindow hits).
const maxPage = search.MaxWindow / pageSize

// queryMessage is the Chinese half of a query error, with its position:
// the page speaks Chinese, the API both languages.
func queryMessage(qe *search.QueryError) string {
	zh, _, _ := strings.Cut(qe.Msg, " / ")
	if qe.Pos >= 0 {
		return fmt.Sprintf("第%d个字符处：%s", qe.Pos+1, zh)
	}
	return zh
}

// tookText says how long a search took, without a meaningless "0.0".
func tookText(ms float64) string {
	switch {
	case ms < 1:
		return "<1 毫秒"
	case ms < 10:
		return fmt.Sprintf("%.1f 毫秒", ms)
	}
	return fmt.Sprintf("%.0f 毫秒", ms)
}

// plainText is a marked fragment without its markup and without the
// punctuation at its ends (a heading is cut before the 。 of its line).
func plainText(marked string) string {
	marked = strings.ReplaceAll(strings.ReplaceAll(marked, "<mark>", ""), "</mark>", "")
	return strings.TrimFunc(html.UnescapeString(marked), func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
}

// newHitView marks a hit's title and path with the query's terms, and
// shows the section's heading once: a passage that is only the heading
// the path already shows is dropped, and when the first passage opens
// with the heading (a heading run into its text) the path stops short of
// it.
func newHitView(h search.Hit, q string, terms [][]byte) hitView {
	v := hitView{Hit: h, TitleHTML: search.MarkAll(h.Title, terms, "")}
	v.Href = noticeURL(h.NoticeID, q, 0)
	if h.SectionSeq > 0 { // the page opens at the run of sections that holds it
		v.Href += "&sec=" + strconv.Itoa(h.SectionSeq)
	}
	v.Href += "#m1"
	v.AllHref = noticeURL(h.NoticeID, q, 0) + "#m1"
	for _, p := range h.SectionPath {
		v.Crumbs = append(v.Crumbs, search.MarkAll(p, terms, ""))
	}
	heading := ""
	if len(h.SectionPath) > 0 {
		heading = plainText(html.EscapeString(h.SectionPath[len(h.SectionPath)-1]))
	}
	for _, f := range h.Fragments {
		if heading != "" && plainText(f) == heading {
			continue
		}
		v.Frags = append(v.Frags, f)
	}
	if heading != "" && len(v.Frags) > 0 && strings.HasPrefix(plainText(v.Frags[0]), heading) {
		v.Crumbs = v.Crumbs[:len(v.Crumbs)-1]
	}
	return v
}

func (s *Server) searchPage(c *gin.Context) {
	q := strings.TrimSpace(c.Query("q"))
	p := searchPage{Query: q, Status: http.StatusOK, SortDate: c.Query("sort") == "date", Collapse: collapseParam(c.Query("collapse"))}
	p.Page = 1
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		switch {
		case err != nil || n < 1:
			p.Error, p.Status = fmt.Sprintf("页码应为1至%d之间的整数", maxPage), http.StatusBadRequest
		case n > maxPage:
			p.Error, p.Status = fmt.Sprintf("只能查看前%d条结果（第1至%d页），请加上筛选条件或换用更具体的词", search.MaxWindow, maxPage), http.StatusBadRequest
		default:
			p.Page = n
		}
	}
	p.Start = (p.Page-1)*pageSize + 1
	if q != "" {
		p.Searched = true
		p.Chips = filterChips(q, func(rest string) string { return pageURL(rest, 1, p.SortDate, p.Collapse) })
		p.SortHref = pageURL(q, 1, !p.SortDate, p.Collapse)
		p.CollapseHref = pageURL(q, 1, p.SortDate, !p.Collapse)
	}
	if q != "" && p.Error == "" {
		ctx, cancel := context.WithTimeout(c.Request.Context(), s.SearchTimeout)
		defer cancel()
		res, err := s.searcher().Search(ctx, search.Request{
			Query: q, Size: pageSize, From: (p.Page - 1) * pageSize,
			SortDate: p.SortDate, Collapse: p.Collapse, Facets: true, FoldSameText: true,
		})
		var qe *search.QueryError
		switch {
		case errors.As(err, &qe):
			p.Error, p.Status = "检索式有误："+queryMessage(qe), http.StatusBadRequest
		case err != nil:
			s.failed(c, err)
			return
		default:
			p.Result = res
			p.Empty = len(res.Hits) == 0
			for _, h := range res.Hints {
				l := hintLink{Hint: h}
				if h.Query != "" {
					l.Href = pageURL(h.Query, 1, p.SortDate, p.Collapse)
				}
				p.Hints = append(p.Hints, l)
			}
			terms := search.QueryTerms(q)
			p.CompareHref = compareHref(q, terms)
			for _, h := range res.Hits {
				p.Hits = append(p.Hits, newHitView(h, q, terms))
			}
			count := int(res.Total)
			if p.Collapse {
				count = res.Notices
			}
			p.Pages = (min(count, search.MaxWindow) + pageSize - 1) / pageSize
			switch {
			case p.Page > p.Pages && p.Pages > 0: // past the end: a way back, no pager
				p.Last = pageURL(q, p.Pages, p.SortDate, p.Collapse)
			case p.Page > p.Pages:
			default:
				if p.Page > 1 {
					p.Prev = pageURL(q, p.Page-1, p.SortDate, p.Collapse)
				}
				if p.Page < p.Pages {
					p.Next = pageURL(q, p.Page+1, p.SortDate, p.Collapse)
				}
			}
			for _, field := range search.FacetFields {
				g := facetGroup{Title: facetTitles[field]}
				for _, fv := range res.Facets[field] {
					n := fv.Count
					if p.Collapse { // count what the page lists: notices
						n = fv.Notices
					}
					g.Links = append(g.Links, facetLink{Value: fv.Value, Count: n, Href: pageURL(q+" "+facetFilter(field, fv.Value), 1, p.SortDate, p.Collapse)})
				}
				if len(g.Links) > 0 {
					p.Facets = append(p.Facets, g)
				}
			}
		}
	}
	s.page(c, p.Status, "search.html", p)
}

type noticePage struct {
	Query      string
	Notice     *search.NoticeView
	TitleHTML  string
	Sections   []markedSection
	Outline    bool // some section of the run opens with a heading
	OutlineHit bool // some entry of the outline holds a match
	Matched    int  // sections of the run that hold a term of the query
	Back       string
	Prev, Next string                // links to the runs of sections before and after this one
	Figures    []figureView          // of the run's sections
	Keywords   []analysis.WordWeight // when the model is built (see analysis.NoticeKeywords)
	SimilarURL string                // the page with the similar notices
	Similar    *analysis.Similar     // when asked (similar=1)
}

// figureView is a figure of the notice page, with the anchor of its
// section.
type figureView struct {
	figures.Figure
	Anchor string
}

// markedSection is a section with its text escaped and marked, its heading
// cut off the text when the text opens with it.
type markedSection struct {
	search.SectionView
	Anchor    string
	InOutline bool // its heading opens it: not the second part of a long section cut in two
	HasMark   bool
	// HeadHTML is the heading as it opens the text, marked, or empty; it
	// stands on a line of its own (a heading element) unless Inline, when
	// the text runs on after it.
	HeadHTML string
	Inline   bool
	BodyHTML string // the rest of the text, marked
}

// splitMarked cuts text marked by search.MarkAll after the first n bytes
// of the text it marks: a tag takes none, an entity stands for one byte
// (html.EscapeString writes one for each of <>&'"). A mark open across the
// cut is closed before it and reopened after.
func splitMarked(marked string, n int) (head, tail string) {
	i, raw, open := 0, 0, false
	for i < len(marked) && raw < n {
		switch marked[i] {
		case '<':
			j := strings.IndexByte(marked[i:], '>')
			if j < 0 {
				return marked, ""
			}
			open = !strings.HasPrefix(marked[i:], "</")
			i += j + 1
		case '&':
			j := strings.IndexByte(marked[i:], ';')
			if j < 0 {
				return marked, ""
			}
			i += j + 1
			raw++
		default:
			i++
			raw++
		}
	}
	if open && strings.HasPrefix(marked[i:], "</mark>") {
		i, open = i+len("</mark>"), false
	}
	head, tail = marked[:i], marked[i:]
	if open {
		head, tail = head+"</mark>", "<mark>"+tail
	}
	return head, tail
}

// markSection marks a section's text and, when the text opens with its
// heading, cuts the heading off, so that the page shows it as a heading
// rather than as the first words of a paragraph.
func markSection(sec search.SectionView, terms [][]byte, firstID string) markedSection {
	m := markedSection{SectionView: sec, Anchor: "s" + strconv.Itoa(sec.Seq)}
	marked := search.MarkAll(sec.Text, terms, firstID)
	m.HasMark = strings.Contains(marked, "<mark")
	h := sec.Heading
	if h == "" || !strings.HasPrefix(sec.Text, h) {
		m.BodyHTML = marked
		return m
	}
	m.HeadHTML, m.BodyHTML = splitMarked(marked, len(h))
	rest := sec.Text[len(h):]
	m.Inline = strings.TrimSpace(rest) != "" && !strings.HasPrefix(rest, "\n") && !strings.HasPrefix(rest, "\r")
	if !m.Inline {
		m.BodyHTML = strings.TrimLeft(m.BodyHTML, "\r\n")
	}
	return m
}

// noticeURL links to a notice's page from its from-th section on.
func noticeURL(id, q string, from int) string {
	v := url.Values{}
	if q != "" {
		v.Set("q", q)
	}
	if from > 0 {
		v.Set("from", strconv.Itoa(from))
	}
	u := "/notices/" + url.PathEscape(id)
	if len(v) > 0 {
		u += "?" + v.Encode()
	}
	return u
}

// noticePage shows a notice, a run of sections at a time: from ?from= (a
// section's place in the notice), or the run that holds section ?sec=, or
// the start.
func (s *Server) noticePage(c *gin.Context) {
	q := c.Query("q")
	var place [2]int
	for i, name := range []string{"from", "sec"} {
		if v := c.Query(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				s.errorPage(c, http.StatusBadRequest, "参数有误", name+" 须为非负整数。")
				return
			}
			place[i] = n
		}
	}
	from, sec := place[0], place[1]
	if sec > 0 {
		from = sec / search.NoticeSections * search.NoticeSections
	}
	id := c.Param("id")
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.SearchTimeout)
	defer cancel()
	n, err := s.searcher().Notice(ctx, id, from)
	if err == nil && sec >= n.Next && sec < n.SectionsTotal { // a run cut short by its size
		n, err = s.searcher().Notice(ctx, id, sec)
	}
	if errors.Is(err, search.ErrNotFound) {
		s.errorPage(c, http.StatusNotFound, "未找到", "未找到该公文，可能索引已更新。")
		return
	}
	if err != nil {
		s.failed(c, err)
		return
	}
	terms := search.QueryTerms(q)
	p := noticePage{Query: q, Notice: n, TitleHTML: search.MarkAll(n.Title, terms, ""), Back: "/"}
	for _, sec := range n.Sections {
		for _, f := range figures.Extract(sec.Text) {
			p.Figures = append(p.Figures, figureView{Figure: f, Anchor: "s" + strconv.Itoa(sec.Seq)})
		}
	}
	if q != "" {
		p.Back = "/?q=" + url.QueryEscape(q)
	}
	if a, ok := s.searcher().(Analyst); ok {
		p.Keywords = analysis.NoticeKeywords(a.Corpus(), id)
		v := c.Request.URL.Query()
		v.Set("similar", "1")
		p.SimilarURL = "/notices/" + url.PathEscape(id) + "?" + v.Encode()
		if c.Query("similar") == "1" {
			if p.Similar, err = analysis.FindSimilar(ctx, a.Corpus(), id, 10); err != nil {
				s.failed(c, err)
				return
			}
		}
	}
	if n.From > 0 {
		p.Prev = noticeURL(id, q, max(0, n.From-search.NoticeSections))
	}
	if n.Next < n.SectionsTotal {
		p.Next = noticeURL(id, q, n.Next)
	}
	first := "m1"
	prevPath := ""
	for _, sec := range n.Sections {
		if err := ctx.Err(); err != nil { // marking a megabyte of frequent matches takes a while
			s.failed(c, err)
			return
		}
		path := strings.Join(sec.Path, "\x00")
		m := markSection(sec, terms, first)
		m.InOutline = sec.Heading != "" && path != prevPath
		prevPath = path
		if m.HasMark {
			first = "" // only the first match shown is the anchor
			p.Matched++
		}
		p.Outline = p.Outline || m.InOutline
		p.OutlineHit = p.OutlineHit || m.InOutline && m.HasMark
		p.Sections = append(p.Sections, m)
	}
	s.page(c, http.StatusOK, "notice.html", p)
}

// errorInfo fills error.html.
type errorInfo struct {
	Title, Message string
}

// errorPage answers a page saying what went wrong.
func (s *Server) errorPage(c *gin.Context, status int, title, msg string) {
	s.page(c, status, "error.html", errorInfo{Title: title, Message: msg})
}

// page renders a template; a HEAD request gets the headers alone.
func (s *Server) page(c *gin.Context, status int, name string, data any) {
	c.Status(status)
	c.Header("Content-Type", "text/html; charset=utf-8")
	if err := pages.ExecuteTemplate(c.Writer, name, data); err != nil && s.Log != nil {
		s.Log.Error("render page", "path", c.Request.URL.Path, "err", err)
	}
}

// compareHref is the comparison by county of a query's terms, within its
// filters; "" if it has no terms.
func compareHref(q string, terms [][]byte) string {
	if len(terms) == 0 {
		return ""
	}
	list := make([]string, len(terms))
	for i, t := range terms {
		list[i] = string(t)
	}
	var filters []string
	for _, f := range search.QueryFilterTokens(q) {
		filters = append(filters, f.Text)
	}
	v := url.Values{"terms": {strings.Join(list, ",")}, "by": {"county"}}
	if len(filters) > 0 {
		v.Set("q", strings.Join(filters, " "))
	}
	return "/compare?" + v.Encode()
}
