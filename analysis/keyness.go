package analysis

import (
	"cmp"
	"context"
	"math"
	"slices"

	"noticesearch/dict"
	"noticesearch/indexer/textindex"
	"noticesearch/search"
)

// Keywords is what a keyness request asks: the words a group of notices
// uses distinctively more than a reference does.
type Keywords struct {
	Group string // a search query selecting the group, e.g. "region:瓯海区"; with By, every notice compared ("" for all)
	Vs    string // "all" or "" for the rest of the notices, or a query selecting the reference
	By    string // instead of one group, every value of this field against the rest
	Top   int    // words per group, 30 by default, at most 200
	Min   int    // least occurrences in the group, 3 by default
}

// MinG2 is the least G² of a word listed: 3.84, significant at p < 0.05
// (one degree of freedom).
const MinG2 = 3.84

// Keyness is a word's standing in a group against its reference.
type Keyness struct {
	Word     string  `json:"word"`
	Group    int     `json:"group"`     // occurrences in the group
	Ref      int     `json:"reference"` // in the reference
	G2       float64 `json:"g2"`        // log-likelihood, the ranking
	LogRatio float64 `json:"log_ratio"` // binary log of the ratio of relative frequencies, 0.5 added to a count of 0
}

// KeyGroup is a group's distinctive words.
type KeyGroup struct {
	Value      string    `json:"value,omitempty"` // the group's value of By
	Query      string    `json:"q"`               // the search that selects it
	Notices    int       `json:"notices"`
	Words      int       `json:"words"` // word occurrences counted in the group
	RefNotices int       `json:"ref_notices"`
	RefWords   int       `json:"ref_words"`
	Keywords   []Keyness `json:"keywords"`
}

// KeyResult is a keyness request's answer: one group, or one per value
// of By.
type KeyResult struct {
	Group  string     `json:"group,omitempty"`
	Vs     string     `json:"vs"`
	By     string     `json:"by,omitempty"`
	Groups []KeyGroup `json:"groups"`
}

// Check validates the request and fills in the defaults.
func (k *Keywords) Check() error {
	if k.Top == 0 {
		k.Top = 30
	}
	if k.Min == 0 {
		k.Min = 3
	}
	if k.Vs == "" {
		k.Vs = "all"
	}
	switch {
	case k.Top < 1 || k.Top > 200:
		return badf("top 必须在 1 到 200 之间", "top must be between 1 and 200")
	case k.Min < 1:
		return badf("min 必须是正整数", "min must be a positive integer")
	case k.By == "" && k.Group == "":
		return badf("请用 group= 给出一组公文（检索式，如 region:瓯海区），或用 by= 按字段分组", "give the group as a query with group= (e.g. region:瓯海区), or group by a field with by=")
	case k.By != "" && k.Vs != "all":
		return badf("按字段分组时，每组都与其余公文比较（vs=all）", "with by=, each group is compared with the rest (vs=all)")
	case k.By != "":
		_, err := checkBy([]string{k.By})
		return err
	}
	return nil
}

// Run answers the request over c.
func (k Keywords) Run(ctx context.Context, c *search.Corpus) (*KeyResult, error) {
	if err := k.Check(); err != nil {
		return nil, err
	}
	res := &KeyResult{Group: k.Group, Vs: k.Vs, By: k.By}
	if k.By != "" {
		return k.byField(ctx, c, res)
	}
	group, err := c.Select(ctx, k.Group)
	if err != nil {
		return nil, err
	}
	var ref []bool
	if k.Vs != "all" {
		if ref, err = c.Select(ctx, k.Vs); err != nil {
			return nil, err
		}
	}
	of := make([]int, c.Notices())
	var n [2]int
	for d := range of {
		switch {
		case group == nil || group[d]:
			of[d] = 0
		case ref == nil || ref[d]:
			of[d] = 1
		default:
			of[d] = -1
		}
		if of[d] >= 0 {
			n[of[d]]++
		}
	}
	counts, err := c.CountWords(ctx, of, 2)
	if err != nil {
		return nil, err
	}
	g := KeyGroup{Query: k.Group, Notices: n[0], RefNotices: n[1], Words: counts[0].Total(), RefWords: counts[1].Total()}
	g.Keywords = k.distinctive(counts[0], func(word string) int { return counts[1].Of(word) }, counts[1].Total())
	res.Groups = []KeyGroup{g}
	return res, nil
}

// byField ranks each value of k.By's words against the rest of the
// notices that Group selects.
func (k Keywords) byField(ctx context.Context, c *search.Corpus, res *KeyResult) (*KeyResult, error) {
	in, err := c.Select(ctx, k.Group)
	if err != nil {
		return nil, err
	}
	gr, err := newGrouping(c, in, []string{k.By})
	if err != nil {
		return nil, err
	}
	of, values := gr.rowOf, gr.rows
	notices := make([]int, len(values))
	for _, g := range of {
		if g >= 0 {
			notices[g]++
		}
	}
	counts, err := c.CountWords(ctx, of, len(values))
	if err != nil {
		return nil, err
	}
	all := textindex.NewWordCounts()
	for _, w := range counts {
		all.Add(w)
	}
	total := 0
	for _, n := range notices {
		total += n
	}
	for g, v := range values {
		kg := KeyGroup{Value: v, Query: joinQuery(FilterFor(k.By, v), k.Group), Notices: notices[g], Words: counts[g].Total(),
			RefNotices: total - notices[g], RefWords: all.Total() - counts[g].Total()}
		kg.Keywords = k.distinctive(counts[g], func(word string) int { return all.Of(word) - counts[g].Of(word) }, kg.RefWords)
		res.Groups = append(res.Groups, kg)
	}
	return res, nil
}

// distinctive ranks the words of group used more there than in the
// reference (ref tells a word's count there, of refTotal in all), of at
// least k.Min occurrences, not on the stop list and of a G² of MinG2 or
// more, by G², the top k.Top.
func (k Keywords) distinctive(group *textindex.WordCounts, ref func(string) int, refTotal int) []Keyness {
	n1, n2 := float64(group.Total()), float64(refTotal)
	stop := dict.StopWords()
	var out []Keyness
	group.Each(func(word string, a int) {
		if a < k.Min || stop[word] {
			return
		}
		b := ref(word)
		if n2 > 0 && float64(a)/n1 <= float64(b)/n2 {
			return // not used more in the group
		}
		g := G2(a, b, n1, n2)
		if g < MinG2 {
			return
		}
		out = append(out, Keyness{Word: word, Group: a, Ref: b, G2: g, LogRatio: LogRatio(a, b, n1, n2)})
	})
	slices.SortFunc(out, func(x, y Keyness) int {
		if c := cmp.Compare(y.G2, x.G2); c != 0 {
			return c
		}
		return cmp.Compare(x.Word, y.Word)
	})
	return out[:min(len(out), k.Top)]
}

// G2 is the log-likelihood of a word's a occurrences in a corpus of n1
// words against b in one of n2 (Rayson and Garside's G²).
func G2(a, b int, n1, n2 float64) float64 {
	e1 := n1 * float64(a+b) / (n1 + n2)
	e2 := n2 * float64(a+b) / (n1 + n2)
	g := 0.0
	if a > 0 {
		g += float64(a) * math.Log(float64(a)/e1)
	}
	if b > 0 {
		g += float64(b) * math.Log(float64(b)/e2)
	}
	return 2 * g
}

// LogRatio is the binary log of the ratio of a word's relative
// frequencies, a in n1 words against b in n2 (Hardie's log ratio), a
// count of 0 taken as 0.5.
func LogRatio(a, b int, n1, n2 float64) float64 {
	fa, fb := float64(a), float64(b)
	if fa == 0 {
		fa = 0.5
	}
	if fb == 0 {
		fb = 0.5
	}
	if n2 == 0 {
		return 0
	}
	return math.Log2((fa / n1) / (fb / n2))
}

// joinQuery joins search queries, leaving out empty ones.
func joinQuery(parts ...string) string {
	out := ""
	for _, p := range parts {
		if p == "" {
			continue
		}
		if out != "" {
			out += " "
		}
		out += p
	}
	return out
}
