package analysis

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"sync"

	"noticesearch/dict"
	"noticesearch/figures"
	"noticesearch/search"
)

// Rectification reports (巡视/巡察整改 notices) as data: the problems each
// reports, by its headings (关于…问题的整改情况, and the sub-items 关于…的
// 问题 of a heading such as 二、巡察反馈问题整改进展情况), each with its
// measures (the headings under it), its figures, and the key terms of our
// dictionaries it names (形式主义, 一岗双责 …); the completion statements
// of the report (已完成整改29个); and, across groups of reports, the
// problems by shared key term.

// Problem is one problem a report lists.
type Problem struct {
	Notice   string           `json:"notice_id"`
	Title    string           `json:"title"`
	Values   []string         `json:"values"`  // the report's group
	Section  string           `json:"section"` // its section's id
	Seq      int              `json:"seq"`
	Heading  string           `json:"heading"`
	Measures []string         `json:"measures"`
	Figures  []figures.Figure `json:"figures"`
	Terms    []string         `json:"terms"`
}

// Report is one rectification report's problems and completion.
type Report struct {
	Notice     string    `json:"notice_id"`
	Title      string    `json:"title"`
	Values     []string  `json:"values"`
	Problems   []Problem `json:"problems"`
	Completion []string  `json:"completion"` // 已完成整改29个, 基本完成6个 …
}

// RectGroup is a group's count of reports and problems.
type RectGroup struct {
	Values   []string `json:"values"`
	Reports  int      `json:"reports"`
	Problems int      `json:"problems"`
}

// TermProblems are the problems, across reports, that name a key term.
type TermProblems struct {
	Term     string    `json:"term"`
	Groups   int       `json:"groups"` // of By's values among them
	Problems []Problem `json:"problems"`
}

// Rectification is a request's answer.
type Rectification struct {
	By      []string       `json:"by"`
	Query   string         `json:"q,omitempty"`
	Groups  []RectGroup    `json:"groups"`
	ByTerm  []TermProblems `json:"by_term"` // the terms most groups share first
	Reports []Report       `json:"reports"`
}

// RectificationRequest asks for the problems of the rectification reports
// Query selects (all if empty), by one field.
type RectificationRequest struct {
	By    string
	Query string
}

// isReport tells a rectification report by its title.
func isReport(title string) bool {
	return strings.Contains(title, "整改") && (strings.Contains(title, "巡视") || strings.Contains(title, "巡察"))
}

var completion = regexp.MustCompile(`(?:已|基本|已基本|全部)?(?:完成|整改到位|办结|销号)(?:整改)?[^，。；,;、]{0,8}?[0-9０-９]+(?:个|项|条|件)`)

// keyTerms are the words of our dictionaries of discipline and
// governance, which name what problems are about.
var keyTerms = sync.OnceValue(func() []string {
	terms, err := dict.Terms()
	if err != nil {
		return nil
	}
	var out []string
	for _, t := range terms {
		if strings.HasSuffix(t.File, "discipline.txt") || strings.HasSuffix(t.File, "governance.txt") {
			out = append(out, t.Word)
		}
	}
	// The longest first, so that a problem names 主体责任 and not also 责任.
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
})

// termsOf are the key terms text names, none within another found.
func termsOf(text string) []string {
	var out []string
	for _, t := range keyTerms() {
		if strings.Contains(text, t) && !slices.ContainsFunc(out, func(o string) bool { return strings.Contains(o, t) }) {
			out = append(out, t)
		}
	}
	return out
}

// under tells whether a section's path lies under another's.
func under(child, parent []string) bool {
	return len(child) > len(parent) && slices.Equal(child[:len(parent)], parent)
}

// problemsOf reads the problems of one report from its sections.
func problemsOf(secs []search.SectionView) []int {
	var out []int
	for i, s := range secs {
		if s.Heading == "" || len(s.Path) == 0 || !problemHeading.MatchString(s.Heading) {
			continue
		}
		if i > 0 && slices.Equal(secs[i-1].Path, s.Path) {
			continue // the second part of a section cut in two
		}
		// A heading whose sub-items are problems is not one itself.
		leaf := true
		for _, c := range secs[i+1:] {
			if !under(c.Path, s.Path) {
				break
			}
			if c.Heading != "" && problemHeading.MatchString(c.Heading) {
				leaf = false
				break
			}
		}
		if leaf {
			out = append(out, i)
		}
	}
	return out
}

// Run answers the request over c.
func (r RectificationRequest) Run(ctx context.Context, c *search.Corpus) (*Rectification, error) {
	if r.By == "" {
		r.By = "county"
	}
	if _, err := checkBy([]string{r.By}); err != nil {
		return nil, err
	}
	in, err := c.Select(ctx, r.Query)
	if err != nil {
		return nil, err
	}
	gr, err := newGrouping(c, in, []string{r.By})
	if err != nil {
		return nil, err
	}
	of, values := gr.rowOf, gr.rows
	out := &Rectification{By: []string{r.By}, Query: r.Query, Groups: make([]RectGroup, len(values)), ByTerm: []TermProblems{}, Reports: []Report{}}
	for g, v := range values {
		out.Groups[g].Values = []string{v}
	}
	byTerm := map[string]*TermProblems{}
	termGroups := map[string]map[int]bool{}
	for d := range c.Notices() {
		if of[d] < 0 || !isReport(c.NoticeTitle(d)) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		g := of[d]
		secs := c.Sections(d)
		rep := Report{Notice: c.NoticeID(d), Title: c.NoticeTitle(d), Values: []string{values[g]}, Problems: []Problem{}, Completion: []string{}}
		for _, s := range secs {
			for _, m := range completion.FindAllString(s.Text, -1) {
				if !slices.Contains(rep.Completion, m) {
					rep.Completion = append(rep.Completion, m)
				}
			}
		}
		for _, i := range problemsOf(secs) {
			s := secs[i]
			p := Problem{Notice: rep.Notice, Title: rep.Title, Values: rep.Values, Section: s.ID, Seq: s.Seq, Heading: s.Heading, Measures: []string{}, Figures: figures.Extract(s.Text)}
			text := s.Text
			for _, c := range secs[i+1:] {
				if !under(c.Path, s.Path) {
					break
				}
				if c.Heading != "" && !slices.Contains(p.Measures, c.Heading) {
					p.Measures = append(p.Measures, c.Heading)
				}
				p.Figures = append(p.Figures, figures.Extract(c.Text)...)
				text += "\n" + c.Text
			}
			// Key terms of the heading, else of the text's opening.
			p.Terms = termsOf(s.Heading)
			if len(p.Terms) == 0 {
				r := []rune(text)
				p.Terms = termsOf(string(r[:min(len(r), 300)]))
			}
			if p.Terms == nil {
				p.Terms = []string{}
			}
			rep.Problems = append(rep.Problems, p)
			for _, t := range p.Terms {
				tp := byTerm[t]
				if tp == nil {
					tp = &TermProblems{Term: t}
					byTerm[t] = tp
					termGroups[t] = map[int]bool{}
				}
				tp.Problems = append(tp.Problems, p)
				termGroups[t][g] = true
			}
		}
		out.Groups[g].Reports++
		out.Groups[g].Problems += len(rep.Problems)
		out.Reports = append(out.Reports, rep)
	}
	for t, tp := range byTerm {
		tp.Groups = len(termGroups[t])
		out.ByTerm = append(out.ByTerm, *tp)
	}
	slices.SortFunc(out.ByTerm, func(a, b TermProblems) int {
		if a.Groups != b.Groups {
			return b.Groups - a.Groups
		}
		if len(a.Problems) != len(b.Problems) {
			return len(b.Problems) - len(a.Problems)
		}
		return strings.Compare(a.Term, b.Term)
	})
	return out, nil
}
