// Package indexer turns files into notices and notices into an index:
// decoding (UTF-8, GB18030), cleaning HTML and scraped text, metadata
// (title, date, source, issuer, region, document number, kind), the
// section tree, and the index: the text index of sections (package
// textindex) and the bleve index of notices with its mapping.
//
// It does not answer queries; package search does.
package indexer
