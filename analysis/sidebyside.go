package analysis

import (
	"context"
	"regexp"
	"slices"

	"noticesearch/dict"
	"noticesearch/figures"
	"noticesearch/search"
)

// Two notices side by side: their sections aligned by heading and
// content, in order (a monotone alignment that maximises the summed
// similarity of the pairs, as sequence alignment does); the keywords they
// share and those of each alone; their figures by label; and, for
// rectification reports, the problems each reports (the headings 关于…问题
// 的整改情况 and their like).

// SectionRef is a section of one side.
type SectionRef struct {
	ID      string   `json:"id"`
	Seq     int      `json:"seq"`
	Level   int      `json:"level"`
	Heading string   `json:"heading"`
	Path    []string `json:"path"`
	Text    string   `json:"text"`
}

// AlignedPair is a row of the side by side: a section of each notice, or
// of one alone, and how alike they are (0 to 1; 0 for one alone).
type AlignedPair struct {
	A     *SectionRef `json:"a,omitempty"`
	B     *SectionRef `json:"b,omitempty"`
	Score float64     `json:"score"`
}

// FigurePair is a figure label and its values in each notice.
type FigurePair struct {
	Label string           `json:"label"`
	A     []figures.Figure `json:"a"`
	B     []figures.Figure `json:"b"`
}

// NoticeSide is one notice of the two.
type NoticeSide struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Date     string   `json:"date,omitempty"`
	Region   string   `json:"region,omitempty"`
	Problems []string `json:"problems"` // a rectification report's problems, by heading
}

// SideBySide is two notices compared.
type SideBySide struct {
	A, B           NoticeSide
	Pairs          []AlignedPair `json:"pairs"`
	SharedKeywords []string      `json:"shared_keywords"`
	OnlyA          []string      `json:"only_a_keywords"`
	OnlyB          []string      `json:"only_b_keywords"`
	Figures        []FigurePair  `json:"figures"`
}

// maxAligned bounds the sections of each notice aligned; the rest follow
// unaligned. alignChars bounds the characters of a section compared.
const (
	maxAligned = 300
	alignChars = 800
	minAlike   = 0.12 // the least similarity of an aligned pair
)

// problemHeading is a heading that names a problem a rectification
// report answers: 关于…问题的整改情况, 二、巡察反馈问题整改进展情况, and
// its sub-items （一）关于…的问题.
var problemHeading = regexp.MustCompile(`问题.{0,12}整改|整改.{0,6}问题|关于.{2,40}问题`)

// SideBySideOf puts notices id and other side by side; other is a
// notice's id, or "similar" for the notice most like the first. An
// unknown id is search.ErrNotFound.
func SideBySideOf(ctx context.Context, c *search.Corpus, id, other string) (*SideBySide, error) {
	simA, err := FindSimilar(ctx, c, id, 1)
	if err != nil {
		return nil, err
	}
	if other == "similar" {
		if len(simA.Similar) == 0 {
			return nil, search.ErrNotFound
		}
		other = simA.Similar[0].ID
	}
	simB, err := FindSimilar(ctx, c, other, 1)
	if err != nil {
		return nil, err
	}
	da, _ := c.NoticeIndex(id) // FindSimilar found both
	db, _ := c.NoticeIndex(other)
	return Compare2(c, da, db, simA.Keywords, simB.Keywords), nil
}

// Compare2 puts notices da and db of c side by side, given their keywords
// (see FindSimilar).
func Compare2(c *search.Corpus, da, db int, aKw, bKw []WordWeight) *SideBySide {
	aSecs, bSecs := c.Sections(da), c.Sections(db)
	out := &SideBySide{A: side(c, da, aSecs), B: side(c, db, bSecs), SharedKeywords: []string{}, OnlyA: []string{}, OnlyB: []string{}, Figures: []FigurePair{}}
	inB := map[string]bool{}
	for _, k := range bKw {
		inB[k.Word] = true
	}
	inA := map[string]bool{}
	for _, k := range aKw {
		inA[k.Word] = true
		if inB[k.Word] {
			out.SharedKeywords = append(out.SharedKeywords, k.Word)
		} else {
			out.OnlyA = append(out.OnlyA, k.Word)
		}
	}
	for _, k := range bKw {
		if !inA[k.Word] {
			out.OnlyB = append(out.OnlyB, k.Word)
		}
	}
	out.Pairs = align(refs(aSecs), refs(bSecs))
	out.Figures = figurePairs(aSecs, bSecs)
	return out
}

func side(c *search.Corpus, d int, secs []search.SectionView) NoticeSide {
	m := c.NoticeMeta(d)
	s := NoticeSide{ID: c.NoticeID(d), Title: m.Title, Date: m.Date, Region: m.Region.String(), Problems: []string{}}
	for _, sec := range secs {
		if sec.Heading != "" && problemHeading.MatchString(sec.Heading) && !slices.Contains(s.Problems, sec.Heading) {
			s.Problems = append(s.Problems, sec.Heading)
		}
	}
	return s
}

func refs(secs []search.SectionView) []*SectionRef {
	out := make([]*SectionRef, len(secs))
	for i, s := range secs {
		out[i] = &SectionRef{ID: s.ID, Seq: s.Seq, Level: s.Level, Heading: s.Heading, Path: s.Path, Text: s.Text}
	}
	return out
}

// bigrams are the distinct pairs of characters of a section's normalised
// heading and text (the first alignChars), sorted.
func bigrams(s *SectionRef) []uint64 {
	var out []uint64
	for _, part := range []string{s.Heading, s.Text} {
		r := []rune(dict.NormalizeString(part))
		r = r[:min(len(r), alignChars)]
		for i := 0; i+1 < len(r); i++ {
			out = append(out, uint64(r[i])<<32|uint64(r[i+1]))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// dice is the Dice coefficient of two sorted sets.
func dice(a, b []uint64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			n++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return 2 * float64(n) / float64(len(a)+len(b))
}

// align pairs the sections of a and b in order, maximising the summed
// similarity of the pairs of at least minAlike; the sections left over
// stand alone, in order.
func align(a, b []*SectionRef) []AlignedPair {
	na, nb := min(len(a), maxAligned), min(len(b), maxAligned)
	ga, gb := make([][]uint64, na), make([][]uint64, nb)
	for i := range na {
		ga[i] = bigrams(a[i])
	}
	for j := range nb {
		gb[j] = bigrams(b[j])
	}
	sim := make([]float32, na*nb)
	for i := range na {
		for j := range nb {
			sim[i*nb+j] = float32(dice(ga[i], gb[j]))
		}
	}
	// best[i][j] is the best sum over a[i:] and b[j:].
	w := nb + 1
	best := make([]float32, (na+1)*w)
	for i := na - 1; i >= 0; i-- {
		for j := nb - 1; j >= 0; j-- {
			v := max(best[(i+1)*w+j], best[i*w+j+1])
			if s := sim[i*nb+j]; s >= minAlike {
				v = max(v, s+best[(i+1)*w+j+1])
			}
			best[i*w+j] = v
		}
	}
	var out []AlignedPair
	i, j := 0, 0
	for i < na && j < nb {
		s := sim[i*nb+j]
		switch {
		case s >= minAlike && best[i*w+j] == s+best[(i+1)*w+j+1]:
			out = append(out, AlignedPair{A: a[i], B: b[j], Score: float64(s)})
			i++
			j++
		case best[i*w+j] == best[(i+1)*w+j]:
			out = append(out, AlignedPair{A: a[i]})
			i++
		default:
			out = append(out, AlignedPair{B: b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		out = append(out, AlignedPair{A: a[i]})
	}
	for ; j < len(b); j++ {
		out = append(out, AlignedPair{B: b[j]})
	}
	return out
}

// figurePairs puts the two notices' figures side by side by label, the
// labels both report first, then in the order they appear.
func figurePairs(aSecs, bSecs []search.SectionView) []FigurePair {
	var order []string
	byLabel := map[string]*FigurePair{}
	add := func(secs []search.SectionView, second bool) {
		for _, s := range secs {
			for _, f := range figures.Extract(s.Text) {
				p := byLabel[f.Label]
				if p == nil {
					p = &FigurePair{Label: f.Label, A: []figures.Figure{}, B: []figures.Figure{}}
					byLabel[f.Label] = p
					order = append(order, f.Label)
				}
				if second {
					p.B = append(p.B, f)
				} else {
					p.A = append(p.A, f)
				}
			}
		}
	}
	add(aSecs, false)
	add(bSecs, true)
	out := make([]FigurePair, 0, len(order))
	for _, l := range order {
		out = append(out, *byLabel[l])
	}
	slices.SortStableFunc(out, func(x, y FigurePair) int {
		bx, by := len(x.A) > 0 && len(x.B) > 0, len(y.A) > 0 && len(y.B) > 0
		switch {
		case bx && !by:
			return -1
		case by && !bx:
			return 1
		}
		return 0
	})
	return out
}
