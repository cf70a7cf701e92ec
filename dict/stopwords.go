package dict

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed stopwords.txt
var stopWordsText string

// StopWords is the stop list of stopwords.txt: words too generic to set
// a group of notices apart. The map is shared: do not change it.
var StopWords = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, line := range strings.Split(stopWordsText, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			out[w] = true
		}
	}
	return out
})
