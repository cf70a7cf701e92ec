// Package noticesearch holds what the binary carries with it: the notices
// of testdata/notices, which `noticesearch serve` indexes on first start so
// that a fresh machine has something to search.
package noticesearch

import "embed"

// Bundled is the bundled notices, under testdata/notices.
//
//go:embed testdata/notices/*.html testdata/notices/*.htm testdata/notices/*.txt testdata/notices/*.md
var Bundled embed.FS
