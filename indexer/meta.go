package indexer

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"noticesearch/dict"
)

// describe cleans the page into n.Body and fills in n's metadata, taking
// each field from the most explicit place that states it: meta tags and
// crawler headers first, then the lines under the title, then the body's
// head and its signature.
func describe(n *Notice, p page) {
	f := p.fields
	n.Site, n.Column, n.Keywords = f["site"], f["column"], f["keywords"]

	n.Title = cleanTitle(f["title"], f["site"], f["column"])
	if n.Title == "" {
		n.Title = guessTitle(normalizeLines(p.text), cleanTitle(f["doc_title"], f["site"], f["column"]), cleanTitle(f["headline"], f["site"], f["column"]))
	}
	body, found := cleanBody(p.text, n.Title, p.formal)
	if p.pageText != p.text {
		// Date and source lines often sit beside the article, not in it.
		for _, line := range normalizeLines(p.pageText) {
			if isShortLine(line) && (metaLine.MatchString(line) || strings.Contains(line, "来源") || strings.Contains(line, "时间")) {
				readMetaItems(line, found)
			}
		}
	}
	n.Body = strings.Join(body, "\n")
	if !hasProse(n.Body) && !(p.formal && hasLetters(n.Body, 4)) {
		n.Body = ""
		return
	}

	if f["info"] == "" {
		// A regulation in plain text states its adoption under the title.
		for _, line := range body[:min(len(body), 4)] {
			if adoptionLine.MatchString(line) {
				f["info"] = line
				break
			}
		}
	}
	footDate, footLine, hasFoot := footDateOf(body)
	if !hasFoot {
		footLine = -1
	}
	n.Date = firstDate(f["date"], found["date"], latestDate(f["info"]), footDate)
	n.DateFrom = DateFromPage
	if n.Date == "" {
		n.Date, n.DateFrom = fileNameDate(n.Path), DateFromFileName
	}
	if n.Date == "" {
		n.DateFrom = ""
	}
	n.Source = firstOf(joinCJK(f["source"]), found["source"], f["publisher"], f["site"])
	n.DocNumber = normalizeDocNumber(f["doc_number"])
	if n.DocNumber == "" {
		n.DocNumber = docNumberInBody(body)
	}
	n.Issuer = firstOf(
		issuerFromTitle(n.Title),
		issuerFromHead(body, n.Title),
		issuerFromSignature(body, footLine),
		issuerFromInfo(f["info"]),
		orgOrEmpty(compact(f["author"])),
		orgOrEmpty(compact(f["publisher"])),
	)
	n.Region = regionOf(n.Issuer, n.Title, f["publisher"], issuerFromSignature(body, footLine), n.Source, n.Site)
	n.Kind = kindFromTitle(n.Title)
	if n.Kind == "" {
		n.Kind = kindFromTitle(titleTail.ReplaceAllString(n.Title, ""))
	}
	if n.Kind == "" {
		n.Kind = articleKind(n.Title, n.Column, body, n.Source, n.Site, f["doc_title"])
	}
}

// titleTail is what may follow a title's kind word: the year of a
// report, 「政府工作报告（2021）」, and the mark closing a forwarded
// document's title, 「…转发《…的通知》」.
var titleTail = regexp.MustCompile(`(?:[（(]\d{4}年?(?:度)?[）)]|》)$`)

// Pages that are not documents have a 文种 of their own, which their
// title does not end with. Measured on the 70 pages of ../shared/corpus/ccdi
// (central discipline-inspection commission): commentary under a series
// name (广安观潮丨…, 今日锐评丨…, 方圆谈丨…, 本网评论丨…, 网言网语丨…) or in the
// 评论 and 留言板 columns; reports of a 通报 (中央纪委国家监委公开通报十起…典型问题);
// readings of statistics (解读…); overviews (…综述); and news — in-depth
// reports (深度关注丨…), the magazine's articles, the 要闻 and 头条 columns.
var (
	// reportedNotice is the title of a page that publishes a 通报.
	reportedNotice = regexp.MustCompile(`公开通报.{2,60}(?:问题|案例|案件|情况)$`)
	// seriesSep separates a series or column name from the title:
	// 广安观潮丨…, 深度关注 | …, 今日锐评|….
	seriesSep = regexp.MustCompile(`\s*[丨｜|]\s*`)
	// commentSeries names a series of commentary.
	commentSeries = regexp.MustCompile(`评论|锐评|时评|短评|观潮|网言网语|言论|社论|[谈议]$`)
	// commentColumns are the columns of commentary and readers' comments.
	commentColumns = regexp.MustCompile(`^(?:评论|时评|言论|网评|观点|留言板|评论员文章)$`)
	interviewTitle = regexp.MustCompile(`专访|访谈|答记者问|对话`)
	newsColumns    = regexp.MustCompile(`^(?:要闻|头条|观察|新闻|动态|工作动态|地方动态|图片新闻|深度|专题|视频|审查调查)`)
	// newsOutlet is a site or source that publishes news: news agencies,
	// papers and magazines, and the discipline-inspection commissions'
	// sites.
	newsOutlet = regexp.MustCompile(`新华社|新华网|人民网|日报|晚报|杂志|报社|电视台|纪委.{0,6}网站|监委网站`)
	// reporterLine is a byline in the article's first lines.
	reporterLine = regexp.MustCompile(`(?:本刊|本报|本网|新华社)?(?:记者|通讯员|评论员)\s*[\p{Han}、 ]{2,12}`)
)

// articleKind names the 文种 of a page that is an article rather than a
// document: 评论, 通报, 访谈, 解读, 综述 or 新闻, or "" for a page that
// shows no sign of being one.
func articleKind(title, column string, body []string, outlets ...string) string {
	series := ""
	if loc := seriesSep.FindStringIndex(title); loc != nil && loc[0] > 0 && loc[0] <= 40 {
		series = title[:loc[0]]
	}
	switch {
	case series == "" && reportedNotice.MatchString(title):
		return "通报"
	case interviewTitle.MatchString(title):
		return "访谈"
	case series != "" && commentSeries.MatchString(series), commentColumns.MatchString(column):
		return "评论"
	case strings.Contains(title, "解读"):
		return "解读"
	case strings.HasSuffix(title, "综述"):
		return "综述"
	case series != "", newsColumns.MatchString(column):
		return "新闻"
	}
	for _, o := range outlets {
		if o != "" && newsOutlet.MatchString(o) {
			return "新闻"
		}
	}
	for _, line := range body[:min(len(body), 4)] {
		if isShortLine(line) && reporterLine.MatchString(line) {
			return "新闻"
		}
	}
	return ""
}

// adoptionLine is a regulation's "2022年3月15日 …会议通过".
var adoptionLine = regexp.MustCompile(`^\d{4}年\d{1,2}月\d{1,2}日.{0,80}(通过|公布|发布|批准|施行|修正|修订)`)

// regionOf resolves the region from the issuer, else the title, else the
// publisher. A region known only at county level (朝阳区, several of them)
// is completed from the signature, the source or the site, which often
// name the city.
func regionOf(issuer, title, publisher string, hints ...string) dict.Region {
	g := dict.DefaultGazetteer()
	for _, s := range []string{issuer, title, publisher} {
		if s == "" {
			continue
		}
		r := g.Resolve(s)
		if r.IsZero() {
			continue
		}
		if r.Province == "" {
			if wider := g.Resolve(s + "\n" + strings.Join(hints, "\n")); wider.County == r.County && wider.Province != "" {
				return wider
			}
		}
		return r
	}
	// A central body's site (中央纪委国家监委网站) publishes for the whole
	// country: its news and commentary name no issuer of their own.
	for _, h := range hints {
		if r := g.Resolve(h); r.Province == dict.National {
			return r
		}
	}
	return dict.Region{}
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func firstDate(vals ...string) string {
	for _, v := range vals {
		if d, ok := parseDate(v); ok {
			return d
		}
	}
	return ""
}

// latestDate is the last date a regulation's info block gives: the date
// of the amendment whose text this is.
func latestDate(info string) string {
	latest := ""
	for _, line := range strings.Split(info, "\n") {
		if d, ok := parseDate(line); ok && d > latest {
			latest = d
		}
	}
	return latest
}

func orgOrEmpty(s string) string {
	if looksLikeOrg(s) {
		return s
	}
	return ""
}

// titleCue marks a line that reads like a notice title.
var titleCue = regexp.MustCompile(`关于|(通报|通告|公报|决议|通知|公告|意见|报告|方案|决定|办法|条例|规定|细则|规划|计划|要点|总结|批复|函)([（(][^）)]{1,8}[）)])?$`)

// guessTitle finds the title of a page that does not state it. Candidates
// that read like a notice title (关于…, …的通知) win over those that do not:
// the document's <title>, the page's first headline, a line near the top,
// the line above the date/source line.
func guessTitle(lines []string, docTitle, headline string) string {
	head := lines[:min(len(lines), 15)]
	// A <title> may be cut short ("…"): the full line in the text wins.
	if short := strings.TrimRight(compact(docTitle), ".…"); short != "" {
		for _, line := range head {
			if strings.HasPrefix(compact(line), short) && utf8.RuneCountInString(line) <= 120 {
				docTitle = joinCJK(line)
				break
			}
		}
	}
	candidates := []string{docTitle, headline}
	for i, line := range head {
		if metaLine.MatchString(line) && isShortLine(line) {
			for j := i - 1; j >= 0; j-- {
				if !isClutter(lines[j]) {
					candidates = append(candidates, joinCJK(lines[j]))
					break
				}
			}
		}
	}
	for _, line := range head {
		if !isClutter(line) && !strings.ContainsAny(line, "。，：") {
			candidates = append(candidates, joinCJK(line))
		}
	}
	for _, c := range candidates {
		if c != "" && utf8.RuneCountInString(c) <= 120 && titleCue.MatchString(c) {
			return c
		}
	}
	for _, c := range candidates {
		if c != "" && utf8.RuneCountInString(c) <= 120 {
			return c
		}
	}
	return ""
}

var (
	htmlTag = regexp.MustCompile(`<[^>]*>`)
	// titleSep separates a title from the column and site names that
	// pages append to it: "标题_站点", "标题————要闻——中央纪委国家监委网站".
	titleSep = regexp.MustCompile(`\s*(?:_|——+|--+|\s-\s|\s–\s|｜|\|)\s*`)
	siteLike = regexp.MustCompile(`(网站|门户网|网|人民政府|政府|杂志|杂志社|报|日报|频道)$`)
	// byline is the reporter's name some pages append to a title:
	// "在党和国家工作大局中把握职责使命 本刊记者 杨巨帅".
	byline = regexp.MustCompile(`\s*(本刊|本报|新华社|本网)(特约)?(记者|通讯员|评论员)\s*[\p{Han}、 ]{2,12}$`)
)

// cleanTitle turns a stated or guessed title into the notice's title: no
// markup, no blanks between CJK characters, no site or column name, no
// byline. A title that is only a column name ("评论") is no title.
func cleanTitle(s, site, column string) string {
	s = squeezeSpace(htmlTag.ReplaceAllString(s, " "))
	if i := strings.Index(s, "————"); i > 0 {
		s = s[:i]
	}
	for {
		locs := titleSep.FindAllStringIndex(s, -1)
		if len(locs) == 0 {
			break
		}
		last := locs[len(locs)-1]
		tail := strings.TrimSpace(s[last[1]:])
		sep := strings.TrimSpace(s[last[0]:last[1]])
		chrome := tail == "" || tail == site || tail == column || siteLike.MatchString(tail) || looksLikeOrg(compact(tail)) || sep == "_"
		if !chrome {
			break
		}
		s = strings.TrimSpace(s[:last[0]])
	}
	s = joinCJK(byline.ReplaceAllString(s, ""))
	if s == column || s == site {
		return ""
	}
	return s
}
