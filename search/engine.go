package search

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"noticesearch/indexer"
	"noticesearch/indexer/textindex"
)

// Paging limits.
const (
	DefaultSize = 10
	MaxSize     = 100
	MaxWindow   = 10000 // from+size
)

// Ranking: BM25 over the occurrences of each term in a section, raised
// when the term stands in the notice title, in the section's headings, or
// as a whole gse word.
const (
	bm25K1       = 1.2
	bm25B        = 0.75
	boostTitle   = 2.0
	boostHeading = 1.0
	boostWord    = 0.5
)

// Engine answers queries over a notice index.
type Engine struct {
	ix      *indexer.Index
	snap    snapshotCache
	suggest suggesterOnce
	heavy   chan struct{} // a slot for each heavy search running (see admit)
	// heavyCost is defaultHeavyCost; a field so that tests can lower it.
	heavyCost int
}

// New returns an engine over ix. Queries need no segmenter: the index
// keeps where gse's words start.
func New(ix *indexer.Index) *Engine {
	return &Engine{ix: ix, heavy: make(chan struct{}, defaultHeavy()), heavyCost: defaultHeavyCost}
}

// snapshot is the state of the index this request reads.
func (e *Engine) snapshot() *snapshot { return e.snap.get(e.ix.State()) }

// Warm reads the index's current state ahead of the searches to come:
// its notices' metadata and its sections' lengths, which the first search
// of a state would read otherwise. The words suggestions complete are
// read beside the searches, once it has returned.
func (e *Engine) Warm() error {
	snap := e.snapshot()
	// The groups of near duplicates are found on their own (0.25 s for
	// the 131,050 notices of 50x the laws corpus); a first search waits
	// for them. So is the suggester built (0.3 s there): a first
	// suggestion waits for it, and says what failed if it did.
	go snap.sameTextGroups()
	go e.suggest.get(e, snap)
	return nil
}

// Request is one search.
type Request struct {
	Query    string
	Size     int  // hits per page, default DefaultSize, at most MaxSize
	From     int  // offset of the first hit
	SortDate bool // newest first instead of by relevance
	Collapse bool // one hit per notice
	// CountUpTo lets Total and Notices be lower bounds past this many
	// sections, for a single term ranked by relevance with one hit per
	// notice and no facets: the sections that may hold it where its pairs'
	// first places do not show it are then read only as the page needs
	// them (Result.TotalAtLeast). 0 counts exactly, as every count an
	// analyst sees must be.
	CountUpTo int
	// NoFragments skips highlighting: hits come without passages.
	NoFragments bool
	// Facets asks for the counts of sections and notices by region, year,
	// kind and source among all matches.
	Facets bool
	// FacetSize is how many values each facet lists, most frequent first:
	// DefaultFacetSize when 0, at most MaxFacetSize.
	FacetSize int
	// FoldSameText shows, with one hit per notice, one notice of each
	// group of near duplicates (the same text published more than once),
	// the others counted in its Hit.SameText, so that they do not fill
	// the page.
	FoldSameText bool
}

// Facet fields, in the order a page shows them.
var FacetFields = []string{indexer.FieldProvince, indexer.FieldCity, indexer.FieldCounty, indexer.FieldYear, indexer.FieldKind, indexer.FieldSource}

// The values listed per facet, unless a request asks for more.
const (
	DefaultFacetSize = 20
	MaxFacetSize     = 500
)

// FacetValue is one value of a facet with the number of matching sections
// of notices that have it, and the number of those notices.
type FacetValue struct {
	Value   string `json:"value"`
	Count   int    `json:"count"`   // sections
	Notices int    `json:"notices"` // notices
}

// Result is the answer to a Request, in the API's JSON.
type Result struct {
	Query   string `json:"query"`
	Total   uint64 `json:"total"`   // matching sections
	Notices int    `json:"notices"` // distinct notices among them
	// TotalAtLeast says Total and Notices are lower bounds (see
	// Request.CountUpTo): at least that many sections and notices match.
	TotalAtLeast bool    `json:"total_at_least,omitempty"`
	TookMS       float64 `json:"took_ms"`
	Hits         []Hit   `json:"hits"`
	// Facets, when asked for: field name → values, most frequent first.
	Facets map[string][]FacetValue `json:"facets,omitempty"`
	// Hints, when nothing is found: why, and what to try.
	Hints []Hint `json:"hints,omitempty"`
}

// Hit is one matching section with its notice.
type Hit struct {
	NoticeID string `json:"notice_id"`
	indexer.Meta
	SectionID  string `json:"section_id"`
	SectionSeq int    `json:"section_seq"` // the section's place in its notice, 0 the first, -1 the title
	// InTitle says the match is in the notice's title (the title is searched
	// as a section of its own, before the body).
	InTitle bool `json:"in_title"`
	// NoticeHits is how many of the notice's sections match, its title
	// included: with one hit per notice, the others a link away.
	NoticeHits int `json:"notice_hits"`
	// TitleHTML is the title, escaped, with the terms it holds in <mark>;
	// empty when it holds none.
	TitleHTML   string   `json:"title_html,omitempty"`
	SectionPath []string `json:"section_path"`
	Score       float64  `json:"score"`
	Fragments   []string `json:"fragments"`
	// SameText is how many other notices are the same text (near
	// duplicates: republished, in other page chrome, a few words changed),
	// and SameTextIDs the first MaxSameTextIDs of them.
	SameText    int      `json:"same_text,omitempty"`
	SameTextIDs []string `json:"same_text_ids,omitempty"`
}

// ErrNotFound says no notice has the ID asked for.
var ErrNotFound = errors.New("notice not found / 未找到该公文")

// validate checks paging, returning a *QueryError for bad values.
func (r *Request) validate() error {
	if r.Size == 0 {
		r.Size = DefaultSize
	}
	switch {
	case r.Size < 0 || r.Size > MaxSize:
		return queryErr(-1, fmt.Sprintf("每页条数须在1到%d之间", MaxSize), fmt.Sprintf("size must be between 1 and %d", MaxSize))
	case r.From < 0:
		return queryErr(-1, "起始位置不能为负数", "from must not be negative")
	case r.From > MaxWindow-r.Size: // From+Size could overflow
		return queryErr(-1, fmt.Sprintf("只能翻阅前%d条结果", MaxWindow), fmt.Sprintf("from+size must not exceed %d", MaxWindow))
	case r.CountUpTo < 0:
		return queryErr(-1, "计数上限不能为负数", "the count bound must not be negative")
	case r.FacetSize < 0 || r.FacetSize > MaxFacetSize:
		return queryErr(-1, fmt.Sprintf("每个分面的条数须在1到%d之间", MaxFacetSize), fmt.Sprintf("facet_size must be between 1 and %d", MaxFacetSize))
	}
	if r.FacetSize == 0 {
		r.FacetSize = DefaultFacetSize
	}
	return nil
}

// compiled is a query ready to run: its terms normalised, each once, in
// a canonical order, so that the same query written in another order or
// with a term repeated is the same work and the same cache entry.
type compiled struct {
	must    [][][]byte // clauses of alternatives
	mustNot [][]byte
	filters Filters
	terms   [][]byte // positive terms, for highlighting
	// countUpTo is Request.CountUpTo where it applies, else 0.
	countUpTo int
}

// normTerm is a query term in normalised form without the barriers at its
// ends (a term "〔2015〕" looks for 2015 wherever it stands), or a
// *QueryError if nothing is left to search for.
func normTerm(t Term) ([]byte, error) {
	b := bytes.Trim(textindex.Normalize(t.Text), string(textindex.BarrierByte))
	if len(b) == 0 {
		return nil, queryErr(t.Pos, fmt.Sprintf("“%s”中没有可检索的文字", t.Text), fmt.Sprintf("%q has no characters to search for", t.Text))
	}
	return b, nil
}

// compile normalises a parsed query's terms, drops repeated terms and
// clauses, and puts them in a canonical order; a term with nothing to
// search for, or more distinct terms than MaxTerms, is a *QueryError.
func compile(q *Query) (*compiled, error) {
	c := &compiled{filters: q.Filters.canonical(), terms: [][]byte{}}
	for _, cl := range q.Must {
		var any [][]byte
		for _, t := range cl.Any {
			b, err := normTerm(t)
			if err != nil {
				return nil, err
			}
			any = append(any, b)
		}
		c.must = append(c.must, sortedSet(any))
	}
	// Two equal clauses are one.
	slices.SortFunc(c.must, compareClauses)
	c.must = slices.CompactFunc(c.must, func(a, b [][]byte) bool { return compareClauses(a, b) == 0 })
	for _, cl := range c.must {
		c.terms = append(c.terms, cl...)
	}
	c.terms = sortedSet(c.terms)
	for _, t := range q.MustNot {
		b, err := normTerm(t)
		if err != nil {
			return nil, err
		}
		c.mustNot = append(c.mustNot, b)
	}
	c.mustNot = sortedSet(c.mustNot)
	if len(c.must) == 0 && q.Filters.IsEmpty() {
		return nil, queryErr(-1, "请输入检索词", "empty query")
	}
	if n := len(c.terms) + len(c.mustNot); n > MaxTerms {
		return nil, queryErr(-1, fmt.Sprintf("检索词过多（%d个不同的词，最多%d个）", n, MaxTerms),
			fmt.Sprintf("too many terms (%d distinct, at most %d)", n, MaxTerms))
	}
	return c, nil
}

// MaxTerms bounds the distinct terms of a query, positive and negated
// together (and so its clauses): each is matched and ranked over the whole
// index, and a search box needs no more.
const MaxTerms = 16

// sortedSet sorts terms and drops repeats.
func sortedSet(terms [][]byte) [][]byte {
	slices.SortFunc(terms, bytes.Compare)
	return slices.CompactFunc(terms, bytes.Equal)
}

func compareClauses(a, b [][]byte) int {
	return slices.CompareFunc(a, b, bytes.Compare)
}

// key identifies what a request asks for once its query is compiled: the
// same for the same terms, clauses and filters in any order.
func (c *compiled) key(req Request) string {
	var b strings.Builder
	term := func(t []byte) { fmt.Fprintf(&b, "%d:%s", len(t), t) } // length first: no term can read as two
	for _, cl := range c.must {
		fmt.Fprintf(&b, "+%d", len(cl))
		for _, t := range cl {
			term(t)
		}
	}
	for _, t := range c.mustNot {
		b.WriteString("-")
		term(t)
	}
	filters, _ := json.Marshal(c.filters)
	b.Write(filters)
	fmt.Fprintf(&b, "|%d|%d|%t|%t|%t|%t|%d|%d|%t", req.Size, req.From, req.SortDate, req.Collapse, req.NoFragments, req.Facets, req.FacetSize, c.countUpTo, req.FoldSameText)
	return b.String()
}

// match is one matching section and its score.
type match struct {
	sec   uint32
	at    int32 // the rune offset where a one-term query first occurs in the section's normalised text, if known, else -1; atUnread: not known to hold it yet
	score float64
}

// atUnread marks a match not read yet: a section that may hold the term,
// by its postings, where the term's pairs' first places do not show it
// (see Request.CountUpTo).
const atUnread = -2

// Search runs a request. Bad queries and paging come back as *QueryError,
// a search that would wait for the heavy ones running as ErrOverloaded,
// and a cancelled or expired ctx as its error.
func (e *Engine) Search(ctx context.Context, req Request) (*Result, error) {
	p, err := e.prepare(req)
	if err != nil {
		return nil, err
	}
	return e.execute(ctx, p)
}

// prepared is a request checked and compiled, with its key.
type prepared struct {
	req  Request
	c    *compiled
	key  string
	snap *snapshot // the state of the index the request reads
}

// prepare checks and compiles a request.
func (e *Engine) prepare(req Request) (*prepared, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	q, err := ParseQuery(req.Query)
	if err != nil {
		return nil, err
	}
	c, err := compile(q)
	if err != nil {
		return nil, err
	}
	// Counts may be lower bounds only where the page is ranked lazily
	// from one term's matches (noticeRanking), which reads the sections
	// not read yet that could make it.
	if req.CountUpTo > 0 && !req.SortDate && req.Collapse && !req.Facets && len(c.must) == 1 && len(c.must[0]) == 1 && req.From+req.Size <= MaxSize {
		c.countUpTo = req.CountUpTo
	}
	snap := e.snapshot()
	return &prepared{req: req, c: c, key: c.key(req), snap: snap}, nil
}

func (e *Engine) execute(ctx context.Context, p *prepared) (*Result, error) {
	start := time.Now()
	defer textindex.Searching()()
	req, c, snap := p.req, p.c, p.snap
	// One term ranked by relevance is boosted lazily, only where a match
	// could make the page (with one hit per notice, only in the notices
	// that could).
	lazy := !req.SortDate && len(c.must) == 1 && len(c.must[0]) == 1
	// Several terms ranked by relevance are boosted lazily too, from the
	// matches of each term kept (topLazy), for a page among the first
	// hundred hits: deeper, the bounds prune little and boosting every
	// match is cheaper.
	var keep *keptTerms
	shallow := req.From+req.Size <= MaxSize
	if !req.SortDate && !req.Collapse && !lazy && len(c.must) > 0 && shallow {
		keep = &keptTerms{}
	}
	mode := rankFully
	switch {
	case lazy && shallow:
		mode = rankOneLazily
	case keep != nil:
		mode = rankLazily
	}
	release, err := e.admit(snap, c, mode)
	if err != nil {
		return nil, err
	}
	defer release()
	how := scoring{lazy: lazy, keep: keep}
	if lazy && req.Collapse {
		how = scoring{tf: &tfScores{}}
	}
	matches, err := e.run(ctx, snap, c, how)
	if err != nil {
		return nil, err
	}
	defer putMatches(matches)
	res := &Result{Query: req.Query, Hits: []Hit{}, Total: uint64(len(matches))}
	// matches is in ascending section order, so that a notice's lie
	// together. Those not read yet are not counted: the counts are then
	// lower bounds.
	all := matches
	var ranking *noticeRanking // one term, one hit per notice
	var notices, unread int
	if lazy && req.Collapse {
		if ranking, err = newNoticeRanking(ctx, snap, matches, how.tf.idf, c.must[0][0], len(c.mustNot) == 0); err != nil {
			return nil, err
		}
		defer ranking.release()
		notices, unread = ranking.notices, ranking.unread
	} else {
		notices, unread = countNotices(snap, matches)
	}
	res.Notices = notices
	res.Total -= uint64(unread)
	res.TotalAtLeast = unread > 0
	var read *textindex.Finder // reads the matches not read yet
	if unread > 0 {
		f := snap.text.Finder(c.must[0][0])
		read = &f
	}
	if req.Facets {
		perNotice := make([]int32, len(snap.notices))
		d := -1
		for _, m := range matches {
			d = snap.noticeAfter(d, m.sec)
			perNotice[d]++
		}
		res.Facets = snap.facets(perNotice, req.FacetSize)
	}
	if req.Collapse && !lazy {
		matches = bestPerNotice(snap, matches, len(snap.notices))
	}
	want := req.From + req.Size
	rank := func(want int) ([]match, error) {
		switch {
		case ranking != nil:
			return ranking.top(ctx, want, snap.orderFunc(false))
		case lazy:
			b := snap.booster(c.must[0][0])
			defer b.release()
			return topBoosted(ctx, matches, want, snap.orderFunc(false), b)
		case keep != nil:
			return topLazy(ctx, snap, matches, keep, want, snap.orderFunc(false))
		}
		return topMatches(ctx, matches, want, snap.orderFunc(req.SortDate))
	}
	page, err := rank(want)
	if err != nil {
		return nil, err
	}
	if req.FoldSameText && req.Collapse {
		// Near duplicates folded into the first of each group: ranked
		// again deeper, once, if that left the page short.
		folded, dropped := snap.foldSameText(page)
		if dropped && len(page) == want && want < MaxWindow {
			if page, err = rank(min(MaxWindow, 3*want+20)); err != nil {
				return nil, err
			}
			folded, _ = snap.foldSameText(page)
		}
		page = folded[:min(len(folded), want)]
	}
	if req.From < len(page) {
		page = page[req.From:]
	} else {
		page = nil
	}
	terms := c.terms
	if req.NoFragments {
		terms = nil
	}
	// The hits are read and cut into passages on every core: a section's
	// text is rebuilt whole, and a law's run to thousands of characters.
	res.Hits = make([]Hit, len(page))
	inRanges(len(page), 2, func(_, lo, hi int) {
		for i, m := range page[lo:hi] {
			h := snap.hit(m, terms)
			h.NoticeHits = snap.noticeMatches(all, int(snap.doc[m.sec]), read)
			if req.Collapse {
				snap.markSameText(&h, int(snap.doc[m.sec]))
			}
			res.Hits[lo+i] = h
		}
	})
	if res.Total == 0 && req.From == 0 {
		if res.Hints, err = e.hints(ctx, snap, req.Query); err != nil {
			return nil, err
		}
	}
	if err := snap.damaged(); err != nil {
		return nil, err
	}
	res.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return res, nil
}

// noticeMatches counts the matches of notice d in ms, which is in
// ascending section order, reading those not read yet with read.
func (s *snapshot) noticeMatches(ms []match, d int, read *textindex.Finder) int {
	first, end := s.text.DocSections(d)
	at := func(sec int) int {
		i, _ := slices.BinarySearchFunc(ms, uint32(sec), func(m match, sec uint32) int { return cmp.Compare(m.sec, sec) })
		return i
	}
	n := 0
	for _, m := range ms[at(first):at(end)] {
		if m.at != atUnread || s.text.Contains(int(m.sec), read) {
			n++
		}
	}
	return n
}

// checkEvery is how many matches a loop handles between two looks at its
// context: a few hundred microseconds of work at most.
const checkEvery = 4096

// scoring is how run and matchTerm score the matches of a term.
type scoring struct {
	// lazy: by BM25 without the boosts, for the ranking to add them
	// where a match could make the page (see topBoosted).
	lazy bool
	// keep: lazily, and each term's matches kept, for topLazy to rank.
	keep *keptTerms
	// tf: each match scored by the term's frequency there alone, BM25's
	// idf set in tf. For a query of one term, whose ranking finishes the
	// scores of the notices that could make the page (see
	// noticeRanking), or for counting alone (several terms' scores
	// are then sums of frequencies, and tf holds the last term's idf).
	tf *tfScores
}

// tfScores is what finishes the BM25 scores of matches scored by term
// frequency (see scoring.tf).
type tfScores struct {
	idf float64
}

// tfNorm is BM25's term-frequency part of a section's score for a term
// found tf times in it: the one expression every score starts from, so
// that scores finished in different places agree to the last bit.
func tfNorm(tf float64, lenNorm float32) float64 {
	return tf * (bm25K1 + 1) / (tf + float64(lenNorm))
}

// bm25 is a section's BM25 score for a term found tf times in it, without
// the boosts.
func bm25(tf float64, lenNorm float32, idf float64) float64 {
	return tfNorm(tf, lenNorm) * idf
}

// run finds the sections matching a compiled query, scored as how says,
// in ascending section order.
func (e *Engine) run(ctx context.Context, snap *snapshot, c *compiled, how scoring) ([]match, error) {
	keep := how.keep
	if keep != nil {
		how.lazy = true
	}
	allowed, err := e.allowedNotices(ctx, snap, c.filters)
	if err != nil {
		return nil, err
	}
	var cur []match
	if len(c.must) == 0 { // filters alone: every section of the notices they allow
		for sec := range snap.text.Sections() {
			if sec%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			if allowed == nil || allowed[snap.doc[sec]] {
				cur = append(cur, match{sec: uint32(sec), at: -1})
			}
		}
	}
	// Clauses are matched in turn, the rarest first, each only among the
	// sections that matched the clauses before. The order depends on the
	// clauses alone, so that scores add up in the same order however the
	// query was written.
	type costed struct {
		terms [][]byte
		cost  int
	}
	clauses := make([]costed, len(c.must))
	for i, cl := range c.must {
		clauses[i] = costed{cl, snap.clauseCost(cl)}
	}
	slices.SortStableFunc(clauses, func(a, b costed) int { return a.cost - b.cost })
	for i, cl := range clauses {
		clause := cl.terms
		keep.nextClause()
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var within []match
		if i > 0 {
			within = cur
			if len(within) == 0 {
				return nil, nil
			}
		}
		var union []match
		if len(clause) == 1 {
			union, err = snap.matchTerm(ctx, clause[0], allowed, within, how, c.countUpTo)
			if err != nil {
				return nil, err
			}
			if keep != nil {
				union = slices.Clone(union) // the kept matches stay as they are
			}
		} else {
			lists := make([][]match, 0, len(clause))
			for _, term := range clause {
				l, err := snap.matchTerm(ctx, term, allowed, within, how, 0)
				if err != nil {
					return nil, err
				}
				lists = append(lists, l)
			}
			union = unionMatches(lists, len(snap.doc), keep == nil)
		}
		if i > 0 {
			union = addScores(cur, union)
		}
		cur = union
	}
	for _, term := range c.mustNot {
		if cur, err = snap.exclude(ctx, cur, term); err != nil {
			return nil, err
		}
	}
	return cur, nil
}

// clauseCost is an upper bound on the matches of a clause.
func (s *snapshot) clauseCost(clause [][]byte) int {
	n := 0
	for _, t := range clause {
		n += s.text.Estimate(t)
	}
	return n
}

// exclude drops from ms, in place, the sections whose normalised text
// holds term: found through the index among ms, not by reading every
// section's text.
func (s *snapshot) exclude(ctx context.Context, ms []match, term []byte) ([]match, error) {
	if len(ms) == 0 {
		return ms, nil
	}
	buf := candidatePool.Get().(*[]textindex.Candidate)
	defer candidatePool.Put(buf)
	cands := s.text.Candidates(term, *buf)
	*buf = cands[:0]
	cands = intersectMatches(cands, ms)
	if utf8.RuneCount(term) > 2 {
		var err error
		if cands, err = s.confirm(ctx, cands, term); err != nil {
			return nil, err
		}
	}
	out := ms[:0]
	j := 0
	for _, m := range ms {
		for j < len(cands) && cands[j].Sec < m.sec {
			j++
		}
		if j < len(cands) && cands[j].Sec == m.sec {
			continue
		}
		out = append(out, m)
	}
	return out, nil
}

// confirm is textindex's Confirm in slices of candidates, looking at ctx
// between them: the text of a frequent term's candidates takes long to
// read.
func (s *snapshot) confirm(ctx context.Context, cands []textindex.Candidate, term []byte) ([]textindex.Candidate, error) {
	out, _, err := s.confirmUpTo(ctx, cands, term, 0)
	return out, err
}

// confirmUpTo is confirm until the candidates known to hold the term,
// placed by their postings or read, are upTo or more (0: all read): the
// candidates past that point that the postings do not place are kept
// unread, with a First of atUnread (unread says if any is).
func (s *snapshot) confirmUpTo(ctx context.Context, cands []textindex.Candidate, term []byte, upTo int) (out []textindex.Candidate, unread bool, err error) {
	slice := 2 * checkEvery // a few milliseconds of reading
	known := 0
	if upTo > 0 {
		slice = checkEvery // less read past upTo
		for _, c := range cands {
			if c.First >= 0 {
				known++
			}
		}
	}
	out = cands[:0]
	i := 0
	for ; i < len(cands) && (upTo == 0 || known < upTo); i += slice {
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
		confirmed := s.text.Confirm(cands[i:min(len(cands), i+slice)], term)
		for _, c := range confirmed {
			if c.First < 0 {
				known++
			}
		}
		out = append(out, confirmed...) // in place: each slice is confirmed at or after out's end
	}
	for _, c := range cands[min(i, len(cands)):] {
		if c.First < 0 {
			c.First, unread = atUnread, true
		}
		out = append(out, c)
	}
	return out, unread, nil
}

// matchTerm finds the sections whose normalised text holds term, among
// the notices allowed (all if nil) and the sections of within (all if
// nil), and scores each as how says: by BM25, with the boosts unless
// lazy (see topBoosted), or by the term's frequency alone (how.tf).
//
// Terms of one or two characters are matched by their postings alone;
// longer ones are placed by their pairs' first positions or confirmed in
// the text. A term's frequency in a section is the count of its rarest
// pair there: exact for one or two characters, a bound beyond.
//
// With countUpTo, once the sections known to hold the term (placed by
// its pairs' first places, or read) are countUpTo or more, the others are
// not read but kept as matches at atUnread, for the ranking to read where
// they could make the page; the idf then counts them.
func (s *snapshot) matchTerm(ctx context.Context, term []byte, allowed []bool, within []match, how scoring, countUpTo int) ([]match, error) {
	lazy, keep := how.lazy || how.tf != nil, how.keep
	buf := candidatePool.Get().(*[]textindex.Candidate)
	defer candidatePool.Put(buf)
	cands := s.text.Candidates(term, *buf)
	*buf = cands[:0]
	if within != nil {
		cands = intersectMatches(cands, within)
	}
	if allowed != nil {
		cands = slices.DeleteFunc(cands, func(c textindex.Candidate) bool { return !allowed[s.doc[c.Sec]] })
	}
	if utf8.RuneCount(term) > 2 {
		var err error
		if cands, _, err = s.confirmUpTo(ctx, cands, term, countUpTo); err != nil {
			return nil, err
		}
	}
	var b *booster
	if !lazy {
		b = s.booster(term)
	}
	out := getMatches(len(cands))
	n, df := float64(len(s.doc)), float64(len(out))
	idf := math.Log(1 + (n-df+0.5)/(df+0.5))
	// A candidate's match is at its First: atUnread if it was left unread.
	if how.tf != nil { // the frequencies alone: no section's length read
		how.tf.idf = idf
		inParallel(len(cands), func(lo, hi int) {
			for i, c := range cands[lo:hi] {
				out[lo+i] = match{sec: c.Sec, at: c.First, score: float64(c.Count)}
			}
		})
		return out, nil
	}
	if lazy && keep == nil { // scores alone, on every core: a frequent term has millions
		inParallel(len(cands), func(lo, hi int) {
			for i, c := range cands[lo:hi] {
				out[lo+i] = match{sec: c.Sec, at: c.First, score: bm25(float64(c.Count), s.lenNorm[c.Sec], idf)}
			}
		})
		return out, nil
	}
	for i, c := range cands {
		if !lazy && i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				putMatches(out)
				return nil, err
			}
		}
		m := match{sec: c.Sec, at: c.First, score: tfNorm(float64(c.Count), s.lenNorm[c.Sec])}
		if !lazy {
			m.score *= b.boost(int(m.sec), int(m.at))
		}
		out[i] = m
	}
	if keep != nil {
		// Kept as they are, for topLazy; their scores in the clauses do
		// not count.
		keep.add(term, out, idf)
		return out, nil
	}
	for i := range out {
		out[i].score *= idf
	}
	return out, nil
}

// unionMatches merges the matches of a clause's terms, each list in
// ascending section order, adding up the scores of a section's, in the
// order of the lists. Long lists are added into a table by section rather
// than sorted together. The lists go back to their pool unless pool is
// false.
func unionMatches(lists [][]match, sections int, pool bool) []match {
	done := func(l []match) {
		if pool { // else they are kept
			putMatches(l)
		}
	}
	total := 0
	for _, l := range lists {
		total += len(l)
	}
	if total < sections/16 {
		var all []match
		for _, l := range lists {
			all = append(all, l...)
			done(l)
		}
		slices.SortStableFunc(all, func(a, b match) int { return int(a.sec) - int(b.sec) })
		out := all[:0]
		for _, m := range all {
			if n := len(out); n > 0 && out[n-1].sec == m.sec {
				out[n-1].score += m.score
			} else {
				out = append(out, m)
			}
		}
		return out
	}
	score := make([]float64, sections)
	seen := make([]bool, sections)
	n := 0
	for _, l := range lists {
		for _, m := range l {
			if !seen[m.sec] {
				seen[m.sec] = true
				n++
			}
			score[m.sec] += m.score
		}
		done(l)
	}
	out := getMatches(n)[:0]
	for sec, ok := range seen {
		if ok {
			out = append(out, match{sec: uint32(sec), at: -1, score: score[sec]})
		}
	}
	return out
}

// matchPool holds buffers for the matches of a term, which for a frequent
// term are the largest garbage of a query after its candidates. A query's
// matches go back to it when the query is answered (putMatches); slices
// built otherwise are left to the collector.
var matchPool = sync.Pool{New: func() any { return new([]match) }}

func getMatches(n int) []match {
	b := matchPool.Get().(*[]match)
	if cap(*b) < n {
		return make([]match, n)
	}
	return (*b)[:n]
}

func putMatches(ms []match) {
	if cap(ms) >= 1024 { // small ones are cheaper to allocate than to pool
		ms = ms[:0]
		matchPool.Put(&ms)
	}
}

// candidatePool holds buffers for candidates, the largest garbage of a
// query otherwise (28k candidates for 人民政府 on the laws corpus).
var candidatePool = sync.Pool{New: func() any { return new([]textindex.Candidate) }}

// booster tells how much where a term stands raises a section's score.
type booster struct {
	s       *snapshot
	term    []byte
	runes   int // of term
	find    textindex.Finder
	inTitle []int8 // by notice: 0 not known yet, 1 no, 2 yes
	// By segment (its place in the index), by heading path: 0 not known
	// yet, 1 no, 2 yes. Many sections share a path: each is read once.
	inPath [][]int8
}

func (s *snapshot) booster(term []byte) *booster {
	return &booster{s: s, term: term, runes: utf8.RuneCount(term), find: s.text.Finder(term), inTitle: getInt8s(len(s.notices)), inPath: make([][]int8, len(s.segs))}
}

// release gives the booster's tables back for the next query's: it must
// not be used after, nor its forks (which release their own first).
func (b *booster) release() {
	putInt8s(b.inTitle)
	b.releasePaths()
	b.inTitle = nil
}

// releasePaths gives back the tables of heading paths alone (a fork's).
func (b *booster) releasePaths() {
	for i, known := range b.inPath {
		putInt8s(known)
		b.inPath[i] = nil
	}
}

// int8Pool holds the tables boosters mark notices and heading paths in:
// a query of a frequent term at 50x the laws corpus marked 2 MB of them,
// garbage that brought the collector back every few dozen queries.
var int8Pool sync.Pool

// getInt8s is a table of n zeros, from the pool if one is large enough.
func getInt8s(n int) []int8 {
	if p, _ := int8Pool.Get().(*[]int8); p != nil && cap(*p) >= n {
		t := (*p)[:n]
		clear(t)
		return t
	}
	return make([]int8, n)
}

func putInt8s(t []int8) {
	if t != nil {
		int8Pool.Put(&t)
	}
}

// boost is the factor for section sec, which holds the term first at
// rune offset at of its normalised text (-1: not known yet): raised when the
// term is in the notice's title, in the section's headings, or where it
// first occurs is a whole gse word.
func (b *booster) boost(sec, at int) float64 {
	return b.boostKnown(sec, at, b.inHeadings(sec))
}

// boostKnown is boost, with whether the section's headings hold the
// term known already.
func (b *booster) boostKnown(sec, at int, heading bool) float64 {
	text := b.s.text
	boost := 1.0
	if at < 0 {
		at = text.Find(sec, &b.find)
	}
	if at >= 0 && textindex.IsWord(text.Words(sec), at, at+b.runes) {
		boost += boostWord
	}
	boost += b.titleBoost(int(b.s.doc[sec]))
	if heading {
		boost += boostHeading
	}
	return boost
}

// fork is a booster for the same term and notices, with the same marks
// of titles (which a core ranking notices of its own sets only for
// them), and heading paths learnt anew: for another core.
func (b *booster) fork() *booster {
	c := *b
	c.inPath = make([][]int8, len(b.inPath))
	return &c
}

// inHeadings tells whether section sec's headings hold the term.
func (b *booster) inHeadings(sec int) bool {
	part, path := b.s.text.PathOf(sec)
	known := b.inPath[part]
	if known == nil {
		known = getInt8s(b.s.segs[part].Paths() + 1)
		b.inPath[part] = known
	}
	if known[path] == 0 {
		known[path] = 1
		if b.find.Index(b.s.text.NormPath(sec)) >= 0 {
			known[path] = 2
		}
	}
	return known[path] == 2
}

// titleBoost is what the term in notice d's title adds to a boost.
func (b *booster) titleBoost(d int) float64 {
	if b.inTitle[d] == 0 {
		b.inTitle[d] = 1
		if b.find.Index(b.s.notices[d].normTitle) >= 0 {
			b.inTitle[d] = 2
		}
	}
	if b.inTitle[d] == 2 {
		return boostTitle
	}
	return 0
}

// intersectMatches keeps the candidates that are among within; both are
// in ascending order.
func intersectMatches(cands []textindex.Candidate, within []match) []textindex.Candidate {
	out := cands[:0]
	j := 0
	for _, c := range cands {
		for j < len(within) && within[j].sec < c.Sec {
			j++
		}
		if j == len(within) {
			break
		}
		if within[j].sec == c.Sec {
			out = append(out, c)
		}
	}
	return out
}

// addScores adds the scores of cur to the matches of next, a subset of
// cur's sections.
func addScores(cur, next []match) []match {
	j := 0
	for i := range next {
		for cur[j].sec < next[i].sec {
			j++
		}
		next[i].score += cur[j].score
	}
	return next
}

// bestPerNotice keeps each notice's best match.
func bestPerNotice(s *snapshot, ms []match, notices int) []match {
	best := make([]int32, notices)
	for i := range best {
		best[i] = -1
	}
	for i, m := range ms {
		d := s.doc[m.sec]
		if b := best[d]; b < 0 || m.score > ms[b].score {
			best[d] = int32(i)
		}
	}
	out := make([]match, 0, notices)
	for _, b := range best {
		if b >= 0 {
			out = append(out, ms[b])
		}
	}
	return out
}

// orderFunc is the order of hits: by score, or by date, newest first;
// ties go to the newer notice, then by notice ID and section.
func (s *snapshot) orderFunc(byDate bool) func(a, b match) int {
	byScore := func(a, b match) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	}
	return func(a, b match) int {
		if !byDate {
			if c := byScore(a, b); c != 0 {
				return c
			}
		}
		da, db := s.doc[a.sec], s.doc[b.sec]
		dateA, dateB := s.notices[da].meta.Date, s.notices[db].meta.Date
		if dateA != dateB {
			return strings.Compare(dateB, dateA)
		}
		if c := byScore(a, b); c != 0 {
			return c
		}
		if da != db {
			return strings.Compare(s.notices[da].id, s.notices[db].id)
		}
		return s.text.Seq(int(a.sec)) - s.text.Seq(int(b.sec))
	}
}

// topMatches returns the first k matches in order.
func topMatches(ctx context.Context, ms []match, k int, cmp func(a, b match) int) ([]match, error) {
	if k >= len(ms)/2 {
		out := slices.Clone(ms)
		slices.SortFunc(out, cmp)
		return out[:min(k, len(out))], ctx.Err()
	}
	t := newTop(k, cmp)
	for i, m := range ms {
		if i%(16*checkEvery) == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		t.offer(m)
	}
	return t.sorted(), nil
}

// topBoosted is topMatches for the matches of one term scored without
// their boosts. The title's boost is known per notice; with it, the best
// k boosted give a score T that the k-th best match reaches at least, and
// only the matches that could reach T with the other boosts too are
// boosted in full. The result is the same as boosting all.
func topBoosted(ctx context.Context, ms []match, k int, cmp func(a, b match) int, b *booster) ([]match, error) {
	exact := func(m match) match {
		m.score *= b.boost(int(m.sec), int(m.at))
		return m
	}
	// The title's factor of every match, and the best k with it.
	tp := titlePool.Get().(*[]float32)
	defer titlePool.Put(tp)
	if cap(*tp) < len(ms) {
		*tp = make([]float32, len(ms))
	}
	title := (*tp)[:len(ms)]
	titled := newTop(k, cmp)
	for i, m := range ms {
		title[i] = float32(b.titleBoost(int(b.s.doc[m.sec])))
		m.score *= 1 + float64(title[i])
		titled.offer(m)
	}
	guess := newTop(k, cmp)
	for _, m := range titled.h {
		// ms is in ascending section order, as matchTerm returns it.
		i, _ := slices.BinarySearchFunc(ms, m.sec, func(x match, sec uint32) int { return int(x.sec) - int(sec) })
		guess.offer(exact(ms[i]))
	}
	t := newTop(k, cmp)
	threshold, full := guess.worst()
	boosted := 0
	for i, m := range ms {
		if i%(4*checkEvery) == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		// The most the section's headings and words can add. The factors
		// are sums of halves, exact in floating point, so that the bound
		// is never below the boosted score through rounding.
		if bound := m.score * (1 + boostWord + float64(title[i]) + boostHeading); full && bound < threshold.score {
			continue
		}
		if boosted++; boosted%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		t.offer(exact(m))
	}
	return t.sorted(), nil
}

// noticeRanking is topBoosted with one hit per notice, for the matches
// ms of one term scored by frequency (see scoring.tf): its top gives the
// best k notices by their best match boosted, each with that match (the
// first of equals), as bestPerNotice then topMatches would rank them,
// boosting only the matches of the notices that could make the page. ms
// is in ascending section order, so that each notice's matches lie
// together. With titled, ms holds every title that holds the term, so
// that a notice's title is known to hold it from its matches alone: a
// title is its notice's first section, and its text is the title
// normalised as booster reads it.
//
// Each notice's bound is the most its best match can score boosted (see
// noticeRuns). The k notices of the highest bounds, boosted, give a score
// the k-th best notice reaches at least; past it, only the notices and
// the matches bounded at it or above are boosted. A match not read yet
// (atUnread) is read before it is boosted, and dropped if it does not
// hold the term.
//
// Cutting ms in notices counts them too: the notices with a match read
// and the matches not read yet, as countNotices counts them.
type noticeRanking struct {
	s     *snapshot
	ms    []match
	idf   float64
	b     *booster
	runs  [][]noticeRun // by core
	pools []*[]noticeRun
	// The notices of ms with a match read, and the matches not read yet.
	notices, unread int
}

// newNoticeRanking cuts ms in runs by notice, with their bounds: over
// many matches in one range of notices per core, each ranked on its own
// core with a booster of its own (the notices' title marks they share
// are each a notice's own), the best score any of them has found a floor
// for all.
func newNoticeRanking(ctx context.Context, s *snapshot, ms []match, idf float64, term []byte, titled bool) (*noticeRanking, error) {
	workers := 1
	if len(ms) >= parallelRanking {
		workers = min(runtime.GOMAXPROCS(0), max(1, len(ms)/max(1, parallelRanking)))
	}
	r := &noticeRanking{s: s, ms: ms, idf: idf, b: s.booster(term), runs: make([][]noticeRun, workers), pools: make([]*[]noticeRun, workers)}
	cuts := noticeCuts(s, ms, workers)
	errs := make([]error, workers)
	counts := make([][2]int, workers)
	eachWorker(workers, func(w int) {
		r.pools[w] = noticeRunPool.Get().(*[]noticeRun)
		r.runs[w], counts[w][0], counts[w][1], errs[w] = noticeRuns(ctx, s, ms, idf, cuts[w], cuts[w+1], r.b, titled, (*r.pools[w])[:0])
		*r.pools[w] = r.runs[w]
	})
	for _, c := range counts { // the cuts are at the starts of notices
		r.notices += c[0]
		r.unread += c[1]
	}
	if err := errors.Join(errs...); err != nil {
		r.release()
		return nil, err
	}
	return r, nil
}

// release gives back the ranking's tables: it must not be used after.
func (r *noticeRanking) release() {
	for _, p := range r.pools {
		if p != nil {
			noticeRunPool.Put(p)
		}
	}
	r.pools = nil
	r.b.release()
}

// top is the best k notices, in order cmp, each with its best match.
func (r *noticeRanking) top(ctx context.Context, k int, cmp func(a, b match) int) ([]match, error) {
	s, ms, idf, b, runs := r.s, r.ms, r.idf, r.b, r.runs
	workers := len(runs)
	for _, rw := range runs {
		for j := range rw {
			rw[j].done = false
		}
	}
	t := newTop(k, cmp)
	var floor sharedFloor
	// The guess: the k notices of the highest bounds (by bound, then in
	// section order), boosted.
	byBound := newTop(k, func(x, y match) int {
		if c := cmpFloat(y.score, x.score); c != 0 {
			return c
		}
		return int(x.sec) - int(y.sec)
	})
	for w := range runs {
		for j, n := range runs[w] {
			byBound.offer(match{sec: uint32(j), at: int32(w), score: n.bound})
		}
	}
	for _, g := range byBound.h {
		bestOfNotice(s, ms, idf, &runs[g.at][g.sec], b, t, &floor)
	}
	tops := make([]*top, workers)
	errs := make([]error, workers)
	eachWorker(workers, func(w int) {
		bw := b
		if workers > 1 {
			bw = b.fork()
			defer bw.releasePaths()
		}
		tw := newTop(k, cmp)
		tops[w] = tw
		for j := range runs[w] {
			if j%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					errs[w] = err
					return
				}
			}
			n := &runs[w][j]
			// A notice bounded below the k-th best cannot make the page;
			// one bounded at it may, on a tie broken by date.
			if n.done || n.bound < floor.get() {
				continue
			}
			bestOfNotice(s, ms, idf, n, bw, tw, &floor)
		}
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for _, tw := range tops {
		for _, m := range tw.h {
			t.offer(m)
		}
	}
	return t.sorted(), nil
}

// countNotices counts the notices of ms (in ascending section order, so
// that a notice's matches lie together) and the matches not read yet
// (atUnread), which count for no notice; on every core over many matches.
func countNotices(s *snapshot, ms []match) (notices, unread int) {
	type counted struct{ notices, unread, first, last int }
	parts := make([]counted, runtime.GOMAXPROCS(0))
	for i := range parts {
		parts[i] = counted{first: -1, last: -1} // a range not counted
	}
	inRanges(len(ms), parallelCount, func(w, lo, hi int) {
		c := parts[w]
		d := -1 // the notice of the last match read
		for _, m := range ms[lo:hi] {
			if m.at == atUnread {
				c.unread++
				continue
			}
			if d = s.noticeAfter(d, m.sec); d != c.last {
				c.notices++
				if c.first < 0 {
					c.first = d
				}
				c.last = d
			}
		}
		parts[w] = c
	})
	last := -1
	for _, c := range parts {
		notices += c.notices
		unread += c.unread
		if c.first >= 0 && c.first == last { // a notice across two ranges
			notices--
		}
		if c.last >= 0 {
			last = c.last
		}
	}
	return notices, unread
}

// parallelCount is how many matches countNotices counts on each core at
// least (a variable for the tests).
var parallelCount = 4096

// parallelRanking is how many matches noticeRanking ranks on each
// core at least (a variable, so that the tests can rank few on all
// cores).
var parallelRanking = 1 << 14

// inRanges cuts [0, n) in one range per core, of per at least, and calls
// f(w, lo, hi) for range w of them, each on its own core (see eachWorker).
func inRanges(n, per int, f func(w, lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), max(1, n/max(1, per)))
	size := (n + workers - 1) / workers
	eachWorker(workers, func(w int) {
		if lo := w * size; lo < n {
			f(w, lo, min(n, lo+size))
		}
	})
}

// eachWorker calls f(0) … f(n-1), each on a goroutine of its own when
// n > 1.
func eachWorker(n int, f func(w int)) {
	if n == 1 {
		f(0)
		return
	}
	var wg sync.WaitGroup
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(w)
		}()
	}
	wg.Wait()
}

// noticeCuts cuts ms (in ascending section order) into n runs of about
// the same length, at the starts of notices: cut i is where run i starts,
// cut n is len(ms).
func noticeCuts(s *snapshot, ms []match, n int) []int {
	cuts := make([]int, n+1)
	for i := 1; i < n; i++ {
		c := max(cuts[i-1], i*len(ms)/n)
		for c > 0 && c < len(ms) && s.doc[ms[c].sec] == s.doc[ms[c-1].sec] {
			c++
		}
		cuts[i] = c
	}
	cuts[n] = len(ms)
	return cuts
}

// noticeRuns are the runs of the notices of ms[lo:hi], which holds whole
// notices scored by term frequency (see scoring.tf), appended to out,
// with their bounds: the most the notice's best match can score boosted.
// A notice's title is scored as it is (one length read); its other
// sections are bounded by their highest frequency over the notice's
// shortest body section (bodyNorm), so that no other section's length is
// read for a notice that cannot make the page. The most a boost can be
// there is its title's boost known, a heading's and a word's assumed.
func noticeRuns(ctx context.Context, s *snapshot, ms []match, idf float64, lo, hi int, b *booster, titled bool, out []noticeRun) (runs []noticeRun, notices, unread int, err error) {
	d := -1
	for i := lo; i < hi; {
		if len(out)%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return out, 0, 0, err
			}
		}
		d = s.noticeAfter(d, ms[i].sec)
		title := 0.0
		isTitle := s.titleSec[d] == int32(ms[i].sec) // a title is its notice's first section
		if isTitle {
			title = bm25(ms[i].score, s.lenNorm[ms[i].sec], idf)
		}
		switch {
		case !titled:
		case !isTitle:
			b.inTitle[d] = 1
		case ms[i].at != atUnread:
			b.inTitle[d] = 2
		} // else not known yet: titleBoost reads the title
		// The factors are sums of halves, exact in floating point, so that
		// the bound is never below a boosted score through rounding.
		n := noticeRun{first: int32(i), factor: 1 + boostWord + b.titleBoost(d) + boostHeading}
		tf, read := 0.0, false
		for end := s.secEnd[d]; i < hi && ms[i].sec < end; i++ {
			if ms[i].score > tf && int32(ms[i].sec) != s.titleSec[d] {
				tf = ms[i].score
			}
			if ms[i].at == atUnread {
				unread++
			} else {
				read = true
			}
		}
		if read {
			notices++
		}
		body := 0.0
		if tf > 0 {
			// Raised by a millionth: BM25 grows with the frequency and
			// falls with the length, but is rounded at each step.
			body = bm25(tf, s.bodyNorm[d], idf) * (1 + 1e-6)
		}
		// A title has no headings (its path is empty): no heading's boost.
		if isTitle && len(s.text.NormPath(int(ms[n.first].sec))) == 0 {
			title *= n.factor - boostHeading
		} else {
			title *= n.factor
		}
		n.end, n.bound = int32(i), max(title, body*n.factor)
		out = append(out, n)
	}
	return out, notices, unread, nil
}

// bestOfNotice offers notice n's best match boosted to t, unless it is
// below the floor (or below what t holds already), and raises the floor
// to t's worst once t is full. Its matches, scored by term frequency, are
// scored by BM25, and only those that could be the best are boosted. A
// match not read yet (atUnread) is read before it is boosted, and dropped
// if it does not hold the term.
func bestOfNotice(s *snapshot, ms []match, idf float64, n *noticeRun, b *booster, t *top, floor *sharedFloor) {
	low := floor.get()
	var top match
	found := false
	for _, m := range ms[n.first:n.end] {
		m.score = bm25(m.score, s.lenNorm[m.sec], idf)
		if bound := m.score * n.factor; bound < low || found && bound < top.score {
			continue
		}
		// Without the term in its headings, the section is bounded
		// lower: reading its text, to place the term or to find it at
		// all, can wait.
		heading := b.inHeadings(int(m.sec))
		if !heading {
			if bound := m.score * (n.factor - boostHeading); bound < low || found && bound < top.score {
				continue
			}
		}
		if m.at == atUnread { // read it: it may not hold the term
			at := s.text.Find(int(m.sec), &b.find)
			if at < 0 {
				continue
			}
			m.at = int32(at)
		}
		m.score *= b.boostKnown(int(m.sec), int(m.at), heading)
		if !found || m.score > top.score {
			top, found = m, true
		}
	}
	n.done = true
	if found {
		t.offer(top)
		if worst, full := t.worst(); full {
			floor.raise(worst.score)
		}
	}
}

// sharedFloor is a score the k-th best notice reaches at least, known to
// every core ranking notices: -1 until one knows k notices.
type sharedFloor struct{ bits atomic.Uint64 }

func (f *sharedFloor) get() float64 {
	if v := f.bits.Load(); v != 0 {
		return math.Float64frombits(v)
	}
	return -1
}

func (f *sharedFloor) raise(score float64) {
	for {
		old := f.bits.Load()
		if old != 0 && math.Float64frombits(old) >= score {
			return
		}
		if f.bits.CompareAndSwap(old, math.Float64bits(score)) {
			return
		}
	}
}

// noticeRun is a notice's matches in noticeRanking: ms[first:end],
// the most a boost can be there, and the most its best match can score
// boosted.
type noticeRun struct {
	first, end    int32
	done          bool
	factor, bound float64
}

var noticeRunPool = sync.Pool{New: func() any { return new([]noticeRun) }}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// titlePool holds the title factors of topBoosted.
var titlePool = sync.Pool{New: func() any { return new([]float32) }}

// top keeps the best k matches offered, in a heap whose root is the
// worst of them.
type top struct {
	h   []match
	k   int
	cmp func(a, b match) int
}

func newTop(k int, cmp func(a, b match) int) *top {
	return &top{h: make([]match, 0, k), k: k, cmp: cmp}
}

func (t *top) worst() (match, bool) {
	if len(t.h) < t.k || t.k == 0 {
		return match{}, t.k == 0
	}
	return t.h[0], true
}

func (t *top) offer(m match) {
	if t.k == 0 {
		return
	}
	if len(t.h) < t.k {
		t.h = append(t.h, m)
		for i := len(t.h) - 1; i > 0; { // up
			p := (i - 1) / 2
			if t.cmp(t.h[i], t.h[p]) <= 0 {
				break
			}
			t.h[i], t.h[p] = t.h[p], t.h[i]
			i = p
		}
		return
	}
	if t.cmp(m, t.h[0]) >= 0 {
		return // no better than the worst kept
	}
	t.h[0] = m
	for i := 0; ; { // down
		l := 2*i + 1
		if l >= len(t.h) {
			return
		}
		if r := l + 1; r < len(t.h) && t.cmp(t.h[r], t.h[l]) > 0 {
			l = r
		}
		if t.cmp(t.h[l], t.h[i]) <= 0 {
			return
		}
		t.h[i], t.h[l] = t.h[l], t.h[i]
		i = l
	}
}

func (t *top) sorted() []match {
	slices.SortFunc(t.h, t.cmp)
	return t.h
}

// hit reads a match's notice and section and cuts its passages around
// terms; without terms (NoFragments) it has none. A match in a notice's
// title is shown with the passages of the first section of its body that
// holds a term, or the body's opening.
func (s *snapshot) hit(m match, terms [][]byte) Hit {
	sec := int(m.sec)
	d := int(s.doc[sec])
	n := &s.notices[d]
	hit := Hit{
		NoticeID: n.id, Meta: n.meta,
		SectionID: indexer.SectionID(n.id, s.text.Seq(sec)), SectionSeq: s.text.Seq(sec), Score: m.score,
		SectionPath: []string{}, Fragments: []string{},
	}
	if s.text.IsTitle(sec) {
		hit.InTitle, hit.SectionID, hit.SectionSeq = true, indexer.TitleSectionID(n.id), -1
		if terms != nil {
			hit.Fragments = s.bodyFragments(d, terms)
		}
	} else if terms != nil {
		hit.Fragments = fragments(s.text.Text(sec), s.text.Norm(sec), terms)
	}
	if p := s.text.Path(sec); p != "" {
		hit.SectionPath = strings.Split(p, indexer.PathSep)
	}
	if terms != nil && containsAny(n.normTitle, terms) {
		hit.TitleHTML = MarkAll(n.meta.Title, terms, "")
	}
	return hit
}

// titleBodyScan bounds the sections of a notice read for the passages of a
// match in its title.
const titleBodyScan = 64

// bodyFragments are the passages shown for a match in notice d's title:
// those of the first of its first sections that holds a term, or the
// opening of its body.
func (s *snapshot) bodyFragments(d int, terms [][]byte) []string {
	first, end := s.bodySections(d)
	// Looked for in the text as stored, in place: a section is copied
	// out only to be shown.
	finders := make([]textindex.Finder, 0, len(terms))
	for _, t := range terms {
		if len(t) > 0 {
			finders = append(finders, s.text.Finder(t))
		}
	}
	for sec := first; sec < end && sec < first+titleBodyScan; sec++ {
		for i := range finders {
			if s.text.Contains(sec, &finders[i]) {
				return fragments(s.text.Text(sec), s.text.Norm(sec), terms)
			}
		}
	}
	if first < end {
		text := s.text.Text(first)
		return []string{render(text, leadSentence(text), nil)}
	}
	return []string{}
}

// bodySections is the range of notice d's sections after its title.
func (s *snapshot) bodySections(d int) (first, end int) {
	first, end = s.text.DocSections(d)
	if first < end && s.text.IsTitle(first) {
		first++
	}
	return first, end
}

func containsAny(norm []byte, terms [][]byte) bool {
	for _, t := range terms {
		if bytes.Contains(norm, t) {
			return true
		}
	}
	return false
}

// facets counts the matching sections and notices by each facet field's
// value, given the count of matches per notice, and keeps the size most
// frequent values of each (by sections, then notices, then name).
func (s *snapshot) facets(perNotice []int32, size int) map[string][]FacetValue {
	out := map[string][]FacetValue{}
	for _, field := range FacetFields {
		counts := map[string]*FacetValue{}
		for d, n := range perNotice {
			if n == 0 {
				continue
			}
			if v := s.notices[d].facetValue(field); v != "" {
				fv := counts[v]
				if fv == nil {
					fv = &FacetValue{Value: v}
					counts[v] = fv
				}
				fv.Count += int(n)
				fv.Notices++
			}
		}
		values := make([]FacetValue, 0, len(counts))
		for _, fv := range counts {
			values = append(values, *fv)
		}
		slices.SortFunc(values, func(a, b FacetValue) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			if a.Notices != b.Notices {
				return b.Notices - a.Notices
			}
			return strings.Compare(a.Value, b.Value)
		})
		out[field] = values[:min(len(values), size)]
	}
	return out
}

func (n *noticeInfo) facetValue(field string) string {
	switch field {
	case indexer.FieldProvince:
		return n.meta.Region.Province
	case indexer.FieldCity:
		return n.meta.Region.City
	case indexer.FieldCounty:
		return n.meta.Region.County
	case indexer.FieldYear:
		return n.year
	case indexer.FieldKind:
		return n.meta.Kind
	case indexer.FieldSource:
		return n.meta.Source
	}
	return ""
}
