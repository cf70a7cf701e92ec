package analysis

// TrendPoint is a term's counts in one year.
type TrendPoint struct {
	Year        string  `json:"year"` // "" for notices without a date
	Notices     int     `json:"notices"`
	Occurrences int     `json:"occurrences"`
	Per10k      float64 `json:"per_10k_chars"`
}

// TrendSeries is a term's use year by year, in one region or in all.
type TrendSeries struct {
	Term   string       `json:"term"`
	Region string       `json:"region,omitempty"`
	Points []TrendPoint `json:"points"`
}

// Trend turns a table by year, or by region and year, into each term's
// series (per region, if by region): the years in order, those of no
// notice left in as zeros.
func Trend(t *Table) []TrendSeries {
	point := func(year string, g *Group, k int) TrendPoint {
		tc := g.Terms[k]
		return TrendPoint{Year: year, Notices: tc.Notices, Occurrences: tc.Occurrences, Per10k: tc.Per10k}
	}
	var out []TrendSeries
	for k, term := range t.Terms {
		if len(t.By) == 1 {
			s := TrendSeries{Term: term}
			for i := range t.Groups {
				s.Points = append(s.Points, point(t.Groups[i].Values[0], &t.Groups[i], k))
			}
			out = append(out, s)
			continue
		}
		for r, region := range t.Rows {
			s := TrendSeries{Term: term, Region: region}
			for c, year := range t.Cols {
				s.Points = append(s.Points, point(year, &t.Groups[r*len(t.Cols)+c], k))
			}
			out = append(out, s)
		}
	}
	return out
}
