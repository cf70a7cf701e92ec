package indexer

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
)

// NewMapping is the mapping of the bleve index of notices: one document
// per notice, its metadata as keywords and its date as a date, for
// filters. Nothing is stored: display reads the text index.
func NewMapping() mapping.IndexMapping {
	kw := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	dt := bleve.NewDateTimeFieldMapping()
	dt.Store = false
	dt.IncludeInAll = false
	dt.DocValues = false

	doc := bleve.NewDocumentStaticMapping()
	for _, name := range []string{FieldNoticeID, FieldFile, FieldProvince, FieldCity, FieldCounty, FieldRegion, FieldSource, FieldIssuer, FieldKind, FieldDocNumber, FieldYear} {
		doc.AddFieldMappingsAt(name, kw())
	}
	doc.AddFieldMappingsAt(FieldDateTime, dt)

	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = keyword.Name
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m
}

// document is the bleve document of one notice. Unknown metadata is left
// out rather than indexed as "".
func document(id string, n *Meta) map[string]any {
	d := map[string]any{FieldNoticeID: id, FieldFile: n.Path}
	for field, v := range map[string]string{
		FieldSource: n.Source, FieldIssuer: n.Issuer, FieldKind: n.Kind, FieldDocNumber: n.DocNumber,
		FieldProvince: n.Region.Province, FieldCity: n.Region.City, FieldCounty: n.Region.County,
	} {
		if v != "" {
			d[field] = v
		}
	}
	// The paths of the region's levels, town and National included, which
	// region: filters match (see dict.Region.IndexKeys).
	if keys := n.Region.IndexKeys(); len(keys) > 0 {
		d[FieldRegion] = keys
	}
	if n.Date != "" {
		d[FieldYear] = n.Date[:4]
		d[FieldDateTime] = n.Date + "T00:00:00Z"
	}
	return d
}
