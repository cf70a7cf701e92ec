package search

import (
	"context"
	"strings"

	"noticesearch/indexer"
)

// NoticeView is a notice as the index holds it: metadata and all its
// sections in order.
type NoticeView struct {
	ID string `json:"id"`
	indexer.Meta
	Sections []SectionView `json:"sections"`
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

// Notice returns the notice with the given ID, or ErrNotFound.
func (e *Engine) Notice(ctx context.Context, id string) (*NoticeView, error) {
	snap := e.snapshot()
	d, ok := snap.byID[id]
	if !ok {
		return nil, ErrNotFound
	}
	n := &snap.notices[d]
	v := &NoticeView{ID: n.id, Meta: n.meta}
	first, end := snap.text.DocSections(d)
	for sec := first; sec < end; sec++ {
		s := SectionView{
			ID: indexer.SectionID(n.id, snap.text.Seq(sec)), Seq: snap.text.Seq(sec), Level: snap.text.Level(sec),
			Path: []string{}, Text: snap.text.Text(sec),
		}
		if p := snap.text.Path(sec); p != "" {
			s.Path = strings.Split(p, indexer.PathSep)
			s.Heading = s.Path[len(s.Path)-1]
		}
		v.Sections = append(v.Sections, s)
	}
	return v, nil
}
