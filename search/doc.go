// Package search answers queries over a notice index: the search-box
// syntax, exact matching under the shared normalisation, ranking, paging,
// collapsing, filters and highlighted passages. Package search/api puts it
// on HTTP.
//
// It never passes user text into bleve's query-string syntax.
package search
