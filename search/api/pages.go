package api

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

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
	"join":   strings.Join,
	"add":    func(a, b int) int { return a + b },
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

// chip is a filter of the query, with the query without it.
type chip struct {
	Label, Remove string
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

type searchPage struct {
	Query, Error    string
	Result          *search.Result
	Page, Pages     int
	Start           int // number of the page's first hit
	Prev, Next      string
	SortDate        bool
	Collapse        bool
	SortHref        string
	CollapseHref    string
	Chips           []chip
	Facets          []facetGroup
	Status          int
	NoticeHref      func(h search.Hit) string
	Empty, Searched bool
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

func pageURL(q string, page int, sortDate, collapse bool) string {
	v := url.Values{}
	v.Set("q", q)
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if sortDate {
		v.Set("sort", "date")
	}
	if collapse {
		v.Set("collapse", "notice")
	}
	return "/?" + v.Encode()
}

func (s *Server) searchPage(c *gin.Context) {
	q := strings.TrimSpace(c.Query("q"))
	p := searchPage{Query: q, Status: http.StatusOK, SortDate: c.Query("sort") == "date", Collapse: c.Query("collapse") == "notice"}
	p.NoticeHref = func(h search.Hit) string {
		u := noticeURL(h.NoticeID, q, 0)
		if h.SectionSeq > 0 { // the page opens at the run of sections that holds it
			u += "&sec=" + strconv.Itoa(h.SectionSeq)
		}
		return u + "#m1"
	}
	p.Page = 1
	if v := c.Query("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > search.MaxWindow/pageSize {
			p.Error, p.Status = fmt.Sprintf("页码须在1到%d之间", search.MaxWindow/pageSize), http.StatusBadRequest
		} else {
			p.Page = n
		}
	}
	p.Start = (p.Page-1)*pageSize + 1
	if q != "" && p.Error == "" {
		p.Searched = true
		for _, f := range search.QueryFilterTokens(q) {
			p.Chips = append(p.Chips, chip{Label: f.Text, Remove: pageURL(f.Without, 1, p.SortDate, p.Collapse)})
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), s.SearchTimeout)
		defer cancel()
		res, err := s.searcher().Search(ctx, search.Request{
			Query: q, Size: pageSize, From: (p.Page - 1) * pageSize,
			SortDate: p.SortDate, Collapse: p.Collapse, Facets: true,
		})
		var qe *search.QueryError
		switch {
		case errors.As(err, &qe):
			p.Error, p.Status = qe.Error(), http.StatusBadRequest
		case err != nil:
			s.failed(c, err)
			return
		default:
			p.Result = res
			p.Empty = len(res.Hits) == 0
			count := int(res.Total)
			if p.Collapse {
				count = res.Notices
			}
			p.Pages = (min(count, search.MaxWindow) + pageSize - 1) / pageSize
			if p.Page > 1 {
				p.Prev = pageURL(q, p.Page-1, p.SortDate, p.Collapse)
			}
			if p.Page < p.Pages {
				p.Next = pageURL(q, p.Page+1, p.SortDate, p.Collapse)
			}
			for _, field := range search.FacetFields {
				g := facetGroup{Title: facetTitles[field]}
				for _, fv := range res.Facets[field] {
					g.Links = append(g.Links, facetLink{Value: fv.Value, Count: fv.Count, Href: pageURL(q+" "+facetFilter(field, fv.Value), 1, p.SortDate, p.Collapse)})
				}
				if len(g.Links) > 0 {
					p.Facets = append(p.Facets, g)
				}
			}
		}
		p.SortHref = pageURL(q, 1, !p.SortDate, p.Collapse)
		p.CollapseHref = pageURL(q, 1, p.SortDate, !p.Collapse)
	}
	s.page(c, p.Status, "search.html", p)
}

type noticePage struct {
	Query      string
	Notice     *search.NoticeView
	Sections   []markedSection
	Back       string
	Prev, Next string // links to the runs of sections before and after this one
}

type markedSection struct {
	search.SectionView
	Anchor    string
	Marked    string
	InOutline bool // its heading opens it: not the second part of a long section cut in two
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
	p := noticePage{Query: q, Notice: n, Back: "/"}
	if q != "" {
		p.Back = "/?q=" + url.QueryEscape(q)
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
		inOutline := sec.Heading != "" && path != prevPath
		prevPath = path
		marked := search.MarkAll(sec.Text, terms, first)
		if strings.Contains(marked, `id="m1"`) {
			first = "" // only the first match shown is the anchor
		}
		p.Sections = append(p.Sections, markedSection{SectionView: sec, Anchor: "s" + strconv.Itoa(sec.Seq), Marked: marked, InOutline: inOutline})
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
