package search

import (
	"context"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"noticesearch/dict"
	"noticesearch/indexer"
	"noticesearch/indexer/textindex"
)

// Corpus is one state of the index as analysts count it (see package
// analysis): its notices, their metadata and size, the sections that hold
// a term and how often, and the words of groups of notices. Its counts
// are exact, and consistent with each other and with the searches of the
// same state.
type Corpus struct {
	snap *snapshot
	e    *Engine
}

// Corpus returns the index's current state for counting; it stays the
// same however the index changes after.
func (e *Engine) Corpus() *Corpus { return &Corpus{snap: e.snapshot(), e: e} }

// GroupFields are the fields notices can be grouped by.
var GroupFields = []string{indexer.FieldProvince, indexer.FieldCity, indexer.FieldCounty, indexer.FieldYear, indexer.FieldKind, indexer.FieldSource, indexer.FieldIssuer}

// Notices is the number of notices, numbered from 0.
func (c *Corpus) Notices() int { return len(c.snap.notices) }

// Field is notice d's value of a field of GroupFields, "" if it has none.
// A county is named with its city (or province) before it: 福州市鼓楼区
// and 南京市鼓楼区 are two groups, and region: filters take the name.
func (c *Corpus) Field(d int, field string) string {
	m := &c.snap.notices[d].meta
	switch field {
	case indexer.FieldIssuer:
		return m.Issuer
	case indexer.FieldCounty:
		return countyName(m.Region)
	}
	return c.snap.notices[d].facetValue(field)
}

// countyName is a region's county with its city, or its province where it
// has no city, before it; "" without a county.
func countyName(r dict.Region) string {
	switch {
	case r.County == "":
		return ""
	case r.City != "":
		return r.City + r.County
	}
	return r.Province + r.County
}

// NoticeID and NoticeTitle are notice d's id and title.
func (c *Corpus) NoticeID(d int) string    { return c.snap.notices[d].id }
func (c *Corpus) NoticeTitle(d int) string { return c.snap.notices[d].meta.Title }

// SectionText is section sec's text as displayed.
func (c *Corpus) SectionText(sec int) string { return c.snap.text.Text(sec) }

// SectionID is section sec's id, as hits and notices give it.
func (c *Corpus) SectionID(sec int) string {
	s := c.snap
	id := s.notices[s.doc[sec]].id
	if s.text.IsTitle(sec) {
		return indexer.TitleSectionID(id)
	}
	return indexer.SectionID(id, s.text.Seq(sec))
}

// Chars is the number of characters of each notice's text, title
// included, punctuation and blanks not counted: computed once per state.
func (c *Corpus) Chars() []int64 {
	s := c.snap
	s.charsOnce.Do(func() {
		chars := make([]int64, len(s.notices))
		inParallel(len(s.notices), func(lo, hi int) {
			for d := lo; d < hi; d++ {
				first, end := s.text.DocSections(d)
				for sec := first; sec < end; sec++ {
					chars[d] += int64(s.text.Chars(sec))
				}
			}
		})
		s.chars = chars
	})
	return s.chars
}

// Select is the notices that hold a section matching query (terms and
// filters, as a search), nil for every notice if query is empty. A bad
// query is a *QueryError.
func (c *Corpus) Select(ctx context.Context, query string) ([]bool, error) {
	if query == "" {
		return nil, nil
	}
	q, err := ParseQuery(query)
	if err != nil {
		return nil, err
	}
	comp, err := compile(q)
	if err != nil {
		return nil, err
	}
	// Scored by frequency alone: selecting reads no section's length.
	ms, err := c.e.run(ctx, c.snap, comp, scoring{tf: &tfScores{}})
	if err != nil {
		return nil, err
	}
	defer putMatches(ms)
	in := make([]bool, len(c.snap.notices))
	d := -1
	for _, m := range ms {
		d = c.snap.noticeAfter(d, m.sec)
		in[d] = true
	}
	return in, c.snap.damaged()
}

// TermSection is a section holding a term: its notice, its number, and
// the places in it where the term starts (overlapping ones each).
type TermSection struct {
	Notice, Section, Count int
}

// TermSections lists the sections that hold term, in the notices of in
// (every notice if nil), in section order. A term with nothing to search
// for is a *QueryError.
func (c *Corpus) TermSections(ctx context.Context, term string, in []bool) ([]TermSection, error) {
	defer textindex.Searching()()
	s := c.snap
	norm, err := normTerm(Term{Text: term})
	if err != nil {
		return nil, err
	}
	cands := s.text.Candidates(norm, nil)
	if in != nil {
		kept := cands[:0]
		for _, cd := range cands {
			if in[s.doc[cd.Sec]] {
				kept = append(kept, cd)
			}
		}
		cands = kept
	}
	// A term of one or two characters is counted by its postings; a
	// longer one in the text of each candidate, once: the candidates it
	// is not in count 0 and are left out (no confirming pass before).
	long := utf8.RuneCount(norm) > 2
	out := make([]TermSection, len(cands))
	find := s.text.Finder(norm)
	inRanges(len(cands), 256, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			if long && i%checkEvery == 0 && ctx.Err() != nil {
				return
			}
			sec := int(cands[i].Sec)
			n := int(cands[i].Count)
			if long {
				n = s.text.Count(sec, &find)
			}
			out[i] = TermSection{Notice: int(s.doc[sec]), Section: sec, Count: n}
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out = slices.DeleteFunc(out, func(t TermSection) bool { return t.Count == 0 })
	return out, s.damaged()
}

// CountWords counts the words of the notices of each group: group[d] is
// notice d's group, below groups, or -1 for none. Words are gse's (our
// dictionary's terms among them) of two characters or more, numbers and
// Latin left out.
func (c *Corpus) CountWords(ctx context.Context, group []int, groups int) ([]*textindex.WordCounts, error) {
	defer textindex.Searching()()
	s := c.snap
	var mu sync.Mutex
	out := make([]*textindex.WordCounts, groups)
	for g := range out {
		out[g] = textindex.NewWordCounts()
	}
	inRanges(len(s.notices), 256, func(_, lo, hi int) {
		mine := make([]*textindex.WordCounts, groups)
		for d := lo; d < hi; d++ {
			g := group[d]
			if g < 0 {
				continue
			}
			if d%256 == 0 && ctx.Err() != nil {
				return
			}
			if mine[g] == nil {
				mine[g] = textindex.NewWordCounts()
			}
			first, end := s.text.DocSections(d)
			for sec := first; sec < end; sec++ {
				s.text.CountWords(sec, mine[g])
			}
		}
		mu.Lock()
		defer mu.Unlock()
		for g, w := range mine {
			if w != nil {
				out[g].Add(w)
			}
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return out, s.damaged()
}

// memoEntry is a value Memo computes once per state.
type memoEntry struct {
	once sync.Once
	done chan struct{} // closed once v and err are set
	v    any
	err  error
}

// Memo is what f computes over this state of the index, computed once
// per state under key and kept with it: a model of the whole corpus that
// requests share until the index moves on. f runs on its own, not under
// ctx: a caller whose ctx ends first gets ctx's error, and the value is
// there for the next one.
func (c *Corpus) Memo(ctx context.Context, key string, f func(ctx context.Context) (any, error)) (any, error) {
	e, _ := c.snap.memo.LoadOrStore(key, &memoEntry{done: make(chan struct{})})
	m := e.(*memoEntry)
	m.once.Do(func() {
		go func() {
			defer close(m.done)
			m.v, m.err = f(context.Background())
		}()
	})
	select {
	case <-m.done:
		return m.v, m.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// NoticeIndex is the number of the notice whose id is id, false if none.
func (c *Corpus) NoticeIndex(id string) (int, bool) {
	d, ok := c.snap.byID[id]
	return d, ok
}

// NoticeMeta is notice d's metadata.
func (c *Corpus) NoticeMeta(d int) indexer.Meta { return c.snap.notices[d].meta }

// Sections are notice d's sections but its title, as the notice page
// shows them, every one.
func (c *Corpus) Sections(d int) []SectionView {
	s := c.snap
	n := &s.notices[d]
	first, end := s.bodySections(d)
	out := make([]SectionView, 0, end-first)
	for sec := first; sec < end; sec++ {
		v := SectionView{ID: indexer.SectionID(n.id, s.text.Seq(sec)), Seq: s.text.Seq(sec), Level: s.text.Level(sec), Path: []string{}, Text: s.text.Text(sec)}
		if p := s.text.Path(sec); p != "" {
			v.Path = strings.Split(p, indexer.PathSep)
			v.Heading = v.Path[len(v.Path)-1]
		}
		out = append(out, v)
	}
	return out
}
