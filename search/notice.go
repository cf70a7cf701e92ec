package search

import (
	"context"
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"

	"noticesearch/dict"
	"noticesearch/indexer"
)

// NoticeView is a notice as the index holds it: metadata and all its
// sections in order.
type NoticeView struct {
	ID        string        `json:"id"`
	Path      string        `json:"path"`
	Title     string        `json:"title"`
	Date      string        `json:"date"`
	Region    dict.Region   `json:"region"`
	Source    string        `json:"source"`
	Issuer    string        `json:"issuer"`
	Kind      string        `json:"kind"`
	DocNumber string        `json:"doc_number"`
	Sections  []SectionView `json:"sections"`
}

// SectionView is one section of a NoticeView.
type SectionView struct {
	ID      string   `json:"id"`
	Seq     int      `json:"seq"`
	Level   int      `json:"level"`
	Heading string   `json:"heading"`
	Path    []string `json:"path"`
	Text    string   `json:"text"`
}

// maxSections bounds the sections fetched for one notice; the longest
// regulations have a few hundred articles.
const maxSections = 5000

// Notice returns the notice with the given ID, or ErrNotFound.
func (e *Engine) Notice(ctx context.Context, id string) (*NoticeView, error) {
	q := bleve.NewTermQuery(id)
	q.SetField(indexer.FieldNoticeID)
	sr := bleve.NewSearchRequestOptions(q, maxSections, 0, false)
	sr.Fields = append(storedFields, indexer.FieldSeq, indexer.FieldLevel)
	sr.SortBy([]string{indexer.FieldSeq})
	res, err := e.index.SearchInContext(ctx, sr)
	if err != nil {
		return nil, fmt.Errorf("notice %s: %w", id, err)
	}
	if len(res.Hits) == 0 {
		return nil, ErrNotFound
	}
	first := hitMeta(res.Hits[0])
	v := &NoticeView{
		ID: first.NoticeID, Path: first.Path, Title: first.Title, Date: first.Date, Region: first.Region,
		Source: first.Source, Issuer: first.Issuer, Kind: first.Kind, DocNumber: first.DocNumber,
	}
	for _, h := range res.Hits {
		s := SectionView{ID: h.ID, Path: []string{}}
		s.Text, _ = h.Fields[indexer.FieldBody].(string)
		if f, ok := h.Fields[indexer.FieldSeq].(float64); ok {
			s.Seq = int(f)
		}
		if f, ok := h.Fields[indexer.FieldLevel].(float64); ok {
			s.Level = int(f)
		}
		if p, _ := h.Fields[indexer.FieldPath].(string); p != "" {
			s.Path = strings.Split(p, indexer.PathSep)
			s.Heading = s.Path[len(s.Path)-1]
		}
		v.Sections = append(v.Sections, s)
	}
	return v, nil
}
