package indexer

import (
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"

	"noticesearch/dict"
)

// NewMapping is the index mapping: one document per section, with its
// notice's metadata. Text is indexed twice, as characters and pairs for
// exact matching and as gse words for ranking; only what display and
// highlighting need is stored.
func NewMapping() mapping.IndexMapping {
	text := func(analyzer string, store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = store
		f.IncludeTermVectors = true // phrases need positions
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = true
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		return f
	}
	stored := func() *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Index = false
		f.Store = true
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	num := func() *mapping.FieldMapping {
		f := bleve.NewNumericFieldMapping()
		f.Store = true
		f.IncludeInAll = false
		return f
	}
	dt := bleve.NewDateTimeFieldMapping()
	dt.Store = false
	dt.IncludeInAll = false

	doc := bleve.NewDocumentStaticMapping()
	add := func(name string, f *mapping.FieldMapping) { doc.AddFieldMappingsAt(name, f) }
	add(FieldBody, text(dict.GramAnalyzer, true))
	// Only the body's pairs need positions, for exact phrases; words, titles
	// and headings serve ranking boosts that ask for presence alone.
	noPositions := func(f *mapping.FieldMapping) *mapping.FieldMapping {
		f.IncludeTermVectors = false
		return f
	}
	add(FieldBodyChar, noPositions(text(dict.CharAnalyzer, false))) // one character needs no position
	add(FieldBodyWord, noPositions(text(dict.WordAnalyzer, false)))
	add(FieldTitle, noPositions(text(dict.GramAnalyzer, true)))
	add(FieldHeading, noPositions(text(dict.GramAnalyzer, false)))
	add(FieldPath, stored())
	add(FieldNoticeID, kw())
	add(FieldFile, kw())
	add(FieldDate, kw())
	add(FieldDateTime, dt)
	add(FieldSeq, num())
	add(FieldLevel, num())
	for _, name := range []string{FieldProvince, FieldCity, FieldCounty, FieldRegion, FieldSource, FieldIssuer, FieldKind, FieldDocNumber, FieldYear} {
		add(name, kw())
	}

	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = keyword.Name
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	m.ScoringModel = "bm25"
	return m
}

// document is the bleve document of one section.
func document(n *Notice, s Section) map[string]any {
	d := map[string]any{
		FieldNoticeID: n.ID,
		FieldSeq:      float64(s.Seq),
		FieldLevel:    float64(s.Level),
		FieldBody:     s.Text,
		FieldBodyChar: s.Text,
		FieldBodyWord: s.Text,
		FieldTitle:    n.Title,
		FieldFile:     n.Path,
	}
	// Unknown metadata is left out rather than indexed as "", which facets
	// would list as a value.
	for field, v := range map[string]string{
		FieldSource: n.Source, FieldIssuer: n.Issuer, FieldKind: n.Kind, FieldDocNumber: n.DocNumber,
		FieldProvince: n.Region.Province, FieldCity: n.Region.City, FieldCounty: n.Region.County,
	} {
		if v != "" {
			d[field] = v
		}
	}
	if len(s.Path) > 0 {
		d[FieldHeading] = strings.Join(s.Path, PathSep)
		d[FieldPath] = strings.Join(s.Path, PathSep)
	}
	var levels []string
	for _, l := range []string{n.Region.Province, n.Region.City, n.Region.County} {
		if l != "" {
			levels = append(levels, l)
		}
	}
	if len(levels) > 0 {
		d[FieldRegion] = levels
	}
	if n.Date != "" {
		d[FieldDate] = n.Date
		d[FieldYear] = n.Date[:4]
		d[FieldDateTime] = n.Date + "T00:00:00Z"
	}
	return d
}
