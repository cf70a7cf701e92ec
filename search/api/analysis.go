package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"noticesearch/analysis"
	"noticesearch/figures"
	"noticesearch/indexer"
	"noticesearch/search"
)

// Analyst gives the state of the index that analysts' questions count
// over; an Engine is one. A Searcher that is not has no comparisons.
type Analyst interface {
	Corpus() *search.Corpus
}

// corpus is the current state for an analyst's request, or nil after
// answering that there is none.
func (s *Server) corpus(c *gin.Context) *search.Corpus {
	a, ok := s.searcher().(Analyst)
	if !ok {
		c.JSON(http.StatusNotImplemented, gin.H{"error": "此服务不提供比较分析 / comparisons are not available here"})
		return nil
	}
	return a.Corpus()
}

// splitList splits a list given as one parameter or several: by commas
// (half- or full-width), 、 and blanks.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		out = append(out, strings.FieldsFunc(v, func(r rune) bool {
			return r == ',' || r == '，' || r == '、' || r == ' ' || r == '\t' || r == '\n' || r == '\u3000'
		})...)
	}
	return out
}

// compareRequest reads a comparison from the query string.
func compareRequest(c *gin.Context) analysis.Compare {
	return analysis.Compare{
		Terms: splitList(c.QueryArray("terms")),
		By:    splitList(c.QueryArray("by")),
		Query: strings.TrimSpace(c.Query("q")),
		Sort:  c.Query("sort"),
	}
}

// formatParam is the format a table is asked in: json, csv or xlsx; false
// after answering 400 for another.
func formatParam(c *gin.Context) (string, bool) {
	switch f := c.DefaultQuery("format", "json"); f {
	case "json", "csv", "xlsx":
		return f, true
	}
	badRequest(c, "format 只能是 json、csv 或 xlsx / format must be json, csv or xlsx")
	return "", false
}

// compare answers GET /api/compare: the table as JSON, or as a file with
// format=csv or xlsx.
func (s *Server) compare(c *gin.Context) {
	corpus := s.corpus(c)
	if corpus == nil {
		return
	}
	format, ok := formatParam(c)
	if !ok {
		return
	}
	req := compareRequest(c)
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.SearchTimeout)
	defer cancel()
	t, err := req.Run(ctx, corpus)
	if err != nil {
		s.respond(c, err, nil)
		return
	}
	name := "比较-" + strings.Join(t.Terms, "-") + "-按" + strings.Join(fieldNames(t.By), "与")
	sendTable(c, format, "compare", name, t)
}

// table is what sendTable sends: a table that writes itself as a file.
type table interface {
	WriteCSV(io.Writer) error
	WriteXLSX(io.Writer) error
}

// sendTable answers with t as JSON, or as a CSV or XLSX file to download,
// named ascii for old browsers and name in UTF-8 for the others (RFC
// 6266).
func sendTable(c *gin.Context, format, ascii, name string, t table) {
	var write func(io.Writer) error
	switch format {
	case "csv":
		c.Header("Content-Type", "text/csv; charset=utf-8")
		write = t.WriteCSV
	case "xlsx":
		c.Header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		write = t.WriteXLSX
	default:
		c.JSON(http.StatusOK, t)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"; filename*=UTF-8''%s`, ascii, format, url.PathEscape(name+"."+format)))
	c.Status(http.StatusOK)
	write(c.Writer)
}

func fieldNames(fields []string) []string {
	var out []string
	for _, f := range fields {
		out = append(out, analysis.FieldNames[f])
	}
	return out
}

// keywords answers GET /api/keywords.
func (s *Server) keywords(c *gin.Context) {
	corpus := s.corpus(c)
	if corpus == nil {
		return
	}
	req := analysis.Keywords{Group: strings.TrimSpace(c.Query("group")), Vs: strings.TrimSpace(c.Query("vs")), By: c.Query("by")}
	var err error
	if req.Top, err = intParam(c, "top"); err != nil {
		badRequest(c, "top 必须是整数 / top must be an integer")
		return
	}
	if req.Min, err = intParam(c, "min"); err != nil {
		badRequest(c, "min 必须是整数 / min must be an integer")
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.SearchTimeout)
	defer cancel()
	res, err := req.Run(ctx, corpus)
	if err != nil {
		s.respond(c, err, nil)
		return
	}
	// Each word with the search that shows it in the group.
	type word struct {
		analysis.Keyness
		Href string `json:"href"`
	}
	type group struct {
		analysis.KeyGroup
		Keywords []word `json:"keywords"`
	}
	out := struct {
		*analysis.KeyResult
		Groups []group `json:"groups"`
	}{KeyResult: res}
	for _, g := range res.Groups {
		og := group{KeyGroup: g, Keywords: []word{}}
		for _, k := range g.Keywords {
			og.Keywords = append(og.Keywords, word{k, pageURL(quoteTerm(k.Word)+" "+g.Query, 1, false, true)})
		}
		out.Groups = append(out.Groups, og)
	}
	c.JSON(http.StatusOK, out)
}

// trend answers GET /api/trend: each term's occurrences (and rate) per
// year, optionally per region of a level.
func (s *Server) trend(c *gin.Context) {
	corpus := s.corpus(c)
	if corpus == nil {
		return
	}
	req := compareRequest(c)
	req.By = []string{indexer.FieldYear}
	if r := c.Query("region"); r != "" {
		if r != indexer.FieldProvince && r != indexer.FieldCity && r != indexer.FieldCounty {
			badRequest(c, "region 只能是 province、city 或 county / region must be province, city or county")
			return
		}
		req.By = []string{r, indexer.FieldYear}
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.SearchTimeout)
	defer cancel()
	t, err := req.Run(ctx, corpus)
	if err != nil {
		s.respond(c, err, nil)
		return
	}
	c.JSON(http.StatusOK, analysis.Trend(t))
}

// quoteTerm quotes a word for a query if it would not stand as one term.
func quoteTerm(w string) string {
	if strings.ContainsAny(w, " \t\"|-:") || strings.EqualFold(w, "OR") || strings.EqualFold(w, "AND") || strings.EqualFold(w, "NOT") {
		return `"` + strings.ReplaceAll(w, `"`, "") + `"`
	}
	return w
}

// comparePage is /compare: the form, and the table, chart and downloads
// of the comparison asked.
type comparePage struct {
	Terms, By, Query, Sort, Measure string
	Fields                          []option
	Sorts, Measures                 []option
	Error                           string
	Status                          int
	Table                           *analysis.Table
	Chart                           string // SVG, labels escaped
	Head                            []string
	Rows                            []compareRow
	CSV, XLSX, JSON                 string
	WordsHref                       string      // the page with each group's distinctive words
	Words                           []wordGroup // each group's, when asked (words=1)
	Figure                          string      // a figure's label to tabulate by the same groups
	FigureTable                     *analysis.FigureTable
	FigureHead                      []string
	FigureRows                      [][]string
	FigureCSV                       string
}

// wordGroup is a group's distinctive words as the page lists them.
type wordGroup struct {
	Label string
	Words []wordLink
}

type wordLink struct {
	Word, Href string
	G2         float64
}

type option struct {
	Value, Label string
	Selected     bool
}

// compareRow is a row of the table as the page shows it: each count a
// link to the search of its notices.
type compareRow struct {
	Labels []string
	Cells  []compareCell
	Total  bool
}

type compareCell struct {
	Text, Href string
}

// byChoices are the groupings the form offers.
var byChoices = []option{
	{Value: "county", Label: "区县"}, {Value: "city", Label: "城市"}, {Value: "province", Label: "省份"},
	{Value: "year", Label: "年份（趋势）"}, {Value: "county,year", Label: "区县 × 年份"}, {Value: "city,year", Label: "城市 × 年份"},
	{Value: "province,year", Label: "省份 × 年份"}, {Value: "kind", Label: "文种"}, {Value: "source", Label: "来源"}, {Value: "issuer", Label: "发文机关"},
	{Value: "kind,year", Label: "文种 × 年份"},
}

func (s *Server) comparePage(c *gin.Context) {
	p := comparePage{
		Terms: strings.TrimSpace(c.Query("terms")), By: c.DefaultQuery("by", "county"), Figure: strings.TrimSpace(c.Query("figure")),
		Query: strings.TrimSpace(c.Query("q")), Sort: c.DefaultQuery("sort", "name"), Measure: c.DefaultQuery("measure", "share"),
		Status: http.StatusOK,
	}
	known := false
	for _, o := range byChoices {
		o.Selected = o.Value == p.By
		known = known || o.Selected
		p.Fields = append(p.Fields, o)
	}
	if !known {
		p.Fields = append(p.Fields, option{Value: p.By, Label: p.By, Selected: true})
	}
	for _, o := range []option{{Value: "name", Label: "名称"}, {Value: "count", Label: "提及公文数"}, {Value: "share", Label: "提及占比"}} {
		o.Selected = o.Value == p.Sort
		p.Sorts = append(p.Sorts, o)
	}
	measureOK := false
	for _, m := range analysis.Measures {
		o := option{Value: m, Label: analysis.MeasureNames[m], Selected: m == p.Measure}
		measureOK = measureOK || o.Selected
		p.Measures = append(p.Measures, o)
	}
	if p.Terms != "" && !s.runComparePage(c, &p, measureOK) {
		return // answered with an error page
	}
	c.Header("Cache-Control", "no-store")
	c.Status(p.Status)
	if err := pages.ExecuteTemplate(c.Writer, "compare.html", &p); err != nil && s.Log != nil {
		s.Log.Error("compare page", "err", err)
	}
}

// runComparePage runs the comparison the page asks for into p; false if
// it answered the request itself, with an error page.
func (s *Server) runComparePage(c *gin.Context, p *comparePage, measureOK bool) bool {
	if !measureOK {
		p.Error, p.Status = "图表指标无效", http.StatusBadRequest
		return true
	}
	corpus := s.corpus(c)
	if corpus == nil {
		return false
	}
	req := analysis.Compare{Terms: splitList([]string{p.Terms}), By: splitList([]string{p.By}), Query: p.Query, Sort: p.Sort}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.SearchTimeout)
	defer cancel()
	t, err := req.Run(ctx, corpus)
	var ae *analysis.Error
	var qe *search.QueryError
	switch {
	case errors.As(err, &ae):
		p.Error, p.Status = ae.Zh, http.StatusBadRequest
		return true
	case errors.As(err, &qe):
		p.Error, p.Status = "检索式有误："+queryMessage(qe), http.StatusBadRequest
		return true
	case err != nil:
		s.failed(c, err)
		return false
	}
	p.Table = t
	p.Chart = t.Chart(p.Measure)
	p.Head = t.Header()
	download := url.Values{"terms": {strings.Join(t.Terms, ",")}, "by": {strings.Join(t.By, ",")}, "sort": {p.Sort}}
	if p.Query != "" {
		download.Set("q", p.Query)
	}
	for _, f := range []struct {
		dst *string
		fmt string
	}{{&p.CSV, "csv"}, {&p.XLSX, "xlsx"}, {&p.JSON, "json"}} {
		v := url.Values{}
		for k, vs := range download {
			v[k] = vs
		}
		v.Set("format", f.fmt)
		*f.dst = "/api/compare?" + v.Encode()
	}
	if len(t.By) == 1 {
		v := c.Request.URL.Query()
		v.Set("words", "1")
		p.WordsHref = "/compare?" + v.Encode()
		if c.Query("words") == "1" {
			res, err := analysis.Keywords{By: t.By[0], Group: p.Query, Top: 8}.Run(ctx, corpus)
			if err != nil {
				s.failed(c, err)
				return false
			}
			for _, g := range res.Groups {
				wg := wordGroup{Label: analysis.Label(g.Value)}
				for _, k := range g.Keywords {
					wg.Words = append(wg.Words, wordLink{Word: k.Word, G2: k.G2, Href: pageURL(strings.TrimSpace(quoteTerm(k.Word)+" "+g.Query), 1, false, true)})
				}
				p.Words = append(p.Words, wg)
			}
		}
	}
	if p.Figure != "" {
		ft, err := analysis.FigureRequest{Label: p.Figure, By: t.By, Query: p.Query}.Run(ctx, corpus)
		switch {
		case errors.As(err, &ae):
			p.Error, p.Status = ae.Zh, http.StatusBadRequest
		case err != nil:
			s.failed(c, err)
			return false
		default:
			p.FigureTable = ft
			text := ft.Text()
			p.FigureHead, p.FigureRows = text[0], text[1:]
			v := url.Values{"label": {ft.Label}, "by": {strings.Join(ft.By, ",")}, "format": {"csv"}}
			if p.Query != "" {
				v.Set("q", p.Query)
			}
			p.FigureCSV = "/api/figures?" + v.Encode()
		}
	}
	text := t.Text()[1:]
	for i, g := range append(t.Groups, t.Total) {
		row := compareRow{Total: i == len(t.Groups)}
		n := len(t.By)
		row.Labels = text[i][:n]
		var filters []string
		if !row.Total {
			for k, f := range t.By {
				if fl := analysis.FilterFor(f, g.Values[k]); fl != "" {
					filters = append(filters, fl)
				}
			}
		}
		scope := strings.Join(append(filters, p.Query), " ")
		cells := text[i][n:]
		row.Cells = append(row.Cells, compareCell{Text: cells[0], Href: notEmpty(scope, pageURL(strings.TrimSpace(scope), 1, false, true))}, compareCell{Text: cells[1]})
		for k, term := range t.Terms {
			q := strings.TrimSpace(quoteTerm(term) + " " + scope)
			base := 2 + 5*k
			row.Cells = append(row.Cells,
				compareCell{Text: cells[base], Href: pageURL(q, 1, false, true)},
				compareCell{Text: cells[base+1]},
				compareCell{Text: cells[base+2], Href: pageURL(q, 1, false, false)},
				compareCell{Text: cells[base+3]},
				compareCell{Text: cells[base+4]})
		}
		p.Rows = append(p.Rows, row)
	}
	return true
}

func notEmpty(s, v string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return v
}

// noticeFigures answers GET /api/notices/:id/figures: the figures of each
// section that reports any.
func (s *Server) noticeFigures(c *gin.Context) {
	corpus := s.corpus(c)
	if corpus == nil {
		return
	}
	d, ok := corpus.NoticeIndex(c.Param("id"))
	if !ok {
		s.respond(c, search.ErrNotFound, nil)
		return
	}
	c.JSON(http.StatusOK, gin.H{"id": corpus.NoticeID(d), "title": corpus.NoticeTitle(d), "sections": sectionFigures(corpus.Sections(d))})
}

// sectionFigures are the figures of each section that reports any.
func sectionFigures(secs []search.SectionView) []figures.SectionFigures {
	out := []figures.SectionFigures{}
	for _, sec := range secs {
		if figs := figures.Extract(sec.Text); len(figs) > 0 {
			out = append(out, figures.SectionFigures{Section: sec.ID, Path: sec.Path, Figures: figs})
		}
	}
	return out
}

// figureTable answers GET /api/figures: a figure's label across notices,
// by group; CSV and XLSX too.
func (s *Server) figureTable(c *gin.Context) {
	corpus := s.corpus(c)
	if corpus == nil {
		return
	}
	format, ok := formatParam(c)
	if !ok {
		return
	}
	req := analysis.FigureRequest{Label: strings.TrimSpace(c.Query("label")), By: splitList(c.QueryArray("by")), Query: strings.TrimSpace(c.Query("q"))}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.SearchTimeout)
	defer cancel()
	t, err := req.Run(ctx, corpus)
	if err != nil {
		s.respond(c, err, nil)
		return
	}
	sendTable(c, format, "figures", "数据-"+t.Label+"-按"+strings.Join(fieldNames(t.By), "与"), t)
}

// similar answers GET /api/notices/:id/similar: the notice's keywords and
// the notices most like it (size, 10 by default, at most 50).
func (s *Server) similar(c *gin.Context) {
	corpus := s.corpus(c)
	if corpus == nil {
		return
	}
	size, err := intParam(c, "size")
	if err != nil {
		badRequest(c, "size 必须是整数 / size must be an integer")
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.SearchTimeout)
	defer cancel()
	res, err := analysis.FindSimilar(ctx, corpus, c.Param("id"), size)
	s.respond(c, err, res)
}

// sideBySide puts two notices side by side (see analysis.SideBySideOf).
func (s *Server) sideBySide(ctx context.Context, id, other string) (*analysis.SideBySide, error) {
	a, ok := s.searcher().(Analyst)
	if !ok {
		return nil, errors.New("comparisons are not available here")
	}
	return analysis.SideBySideOf(ctx, a.Corpus(), id, other)
}

// vs answers GET /api/notices/:id/vs/:other.
func (s *Server) vs(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.SearchTimeout)
	defer cancel()
	res, err := s.sideBySide(ctx, c.Param("id"), c.Param("other"))
	s.respond(c, err, res)
}

// vsPage is /notices/:id/vs/:other.
func (s *Server) vsPage(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.SearchTimeout)
	defer cancel()
	res, err := s.sideBySide(ctx, c.Param("id"), c.Param("other"))
	switch {
	case errors.Is(err, search.ErrNotFound):
		s.errorPage(c, http.StatusNotFound, "未找到", "未找到要对比的公文，可能索引已更新。")
		return
	case err != nil:
		s.failed(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Status(http.StatusOK)
	if err := pages.ExecuteTemplate(c.Writer, "vs.html", res); err != nil && s.Log != nil {
		s.Log.Error("side by side page", "err", err)
	}
}

// rectification answers GET /api/rectification: the problems of the
// rectification reports q selects, by group and by key term.
func (s *Server) rectification(c *gin.Context) {
	corpus := s.corpus(c)
	if corpus == nil {
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.SearchTimeout)
	defer cancel()
	res, err := analysis.RectificationRequest{By: c.Query("by"), Query: strings.TrimSpace(c.Query("q"))}.Run(ctx, corpus)
	if err != nil {
		s.respond(c, err, nil)
		return
	}
	c.JSON(http.StatusOK, res)
}

// rectificationPage is /rectification.
type rectificationPage struct {
	Query, By string
	Fields    []option
	Error     string
	Result    *analysis.Rectification
}

func (s *Server) rectificationPage(c *gin.Context) {
	p := rectificationPage{Query: strings.TrimSpace(c.Query("q")), By: c.DefaultQuery("by", "county")}
	for _, f := range []string{"county", "city", "province", "year", "source", "issuer"} {
		p.Fields = append(p.Fields, option{Value: f, Label: analysis.FieldNames[f], Selected: f == p.By})
	}
	status := http.StatusOK
	corpus := s.corpus(c)
	if corpus == nil {
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.SearchTimeout)
	defer cancel()
	res, err := analysis.RectificationRequest{By: p.By, Query: p.Query}.Run(ctx, corpus)
	var ae *analysis.Error
	var qe *search.QueryError
	switch {
	case errors.As(err, &ae):
		p.Error, status = ae.Zh, http.StatusBadRequest
	case errors.As(err, &qe):
		p.Error, status = "检索式有误："+queryMessage(qe), http.StatusBadRequest
	case err != nil:
		s.failed(c, err)
		return
	default:
		p.Result = res
	}
	c.Header("Cache-Control", "no-store")
	c.Status(status)
	if err := pages.ExecuteTemplate(c.Writer, "rectification.html", &p); err != nil && s.Log != nil {
		s.Log.Error("rectification page", "err", err)
	}
}
