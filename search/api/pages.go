package api

import (
	"embed"
	"errors"
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
	NoticeHref      func(id string) string
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
	p.NoticeHref = func(id string) string {
		return "/notices/" + url.PathEscape(id) + "?q=" + url.QueryEscape(q) + "#m1"
	}
	p.Page, _ = strconv.Atoi(c.Query("page"))
	if p.Page < 1 {
		p.Page = 1
	}
	p.Start = (p.Page-1)*pageSize + 1
	if q != "" {
		p.Searched = true
		for _, f := range search.QueryFilterTokens(q) {
			p.Chips = append(p.Chips, chip{Label: f.Text, Remove: pageURL(f.Without, 1, p.SortDate, p.Collapse)})
		}
		res, err := s.Searcher.Search(c.Request.Context(), search.Request{
			Query: q, Size: pageSize, From: (p.Page - 1) * pageSize,
			SortDate: p.SortDate, Collapse: p.Collapse, Facets: true,
		})
		var qe *search.QueryError
		switch {
		case errors.As(err, &qe):
			p.Error, p.Status = qe.Error(), http.StatusBadRequest
		case err != nil:
			s.internal(c, err)
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
	c.Status(p.Status)
	c.Header("Content-Type", "text/html; charset=utf-8")
	if err := pages.ExecuteTemplate(c.Writer, "search.html", p); err != nil {
		s.logError(c, err)
	}
}

type noticePage struct {
	Query    string
	Notice   *search.NoticeView
	Sections []markedSection
	Back     string
}

type markedSection struct {
	search.SectionView
	Anchor string
	Marked string
}

func (s *Server) noticePage(c *gin.Context) {
	q := c.Query("q")
	n, err := s.Searcher.Notice(c.Request.Context(), c.Param("id"))
	if errors.Is(err, search.ErrNotFound) {
		c.Status(http.StatusNotFound)
		c.Header("Content-Type", "text/html; charset=utf-8")
		pages.ExecuteTemplate(c.Writer, "notfound.html", nil)
		return
	}
	if err != nil {
		s.internal(c, err)
		return
	}
	terms := search.QueryTerms(q)
	p := noticePage{Query: q, Notice: n, Back: "/"}
	if q != "" {
		p.Back = "/?q=" + url.QueryEscape(q)
	}
	first := "m1"
	for _, sec := range n.Sections {
		marked := search.MarkAll(sec.Text, terms, first)
		if strings.Contains(marked, `id="m1"`) {
			first = "" // only the notice's first match is the anchor
		}
		p.Sections = append(p.Sections, markedSection{SectionView: sec, Anchor: "s" + strconv.Itoa(sec.Seq), Marked: marked})
	}
	c.Header("Content-Type", "text/html; charset=utf-8")
	if err := pages.ExecuteTemplate(c.Writer, "notice.html", p); err != nil {
		s.logError(c, err)
	}
}

func (s *Server) logError(c *gin.Context, err error) {
	if s.Log != nil {
		s.Log.Error("render page", "path", c.Request.URL.Path, "err", err)
	}
}
