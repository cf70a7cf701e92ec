// Package dict is the language layer of noticesearch: the normalisation
// shared by indexing, querying and highlighting, the gse segmenter with our
// dictionaries of government terms (terms/*.txt), and the gazetteer of
// China's administrative divisions.
//
// It knows nothing of notices, files or indexes.
package dict
