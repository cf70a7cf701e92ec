// Command gencompact writes compact.txt, the characters that segments
// store in two bytes of UTF-8 (see indexer/textindex/compact.go): the
// 1,920 characters of three bytes most frequent in gse's dictionary of
// simplified Chinese, each word's frequency counted for every character
// it holds, most frequent first (ties by code point). The list is part of
// the segment format: a segment reads back only with the list it was
// written with, so a new list needs a new magic.
//
//	go run ./indexer/textindex/internal/gencompact -dict "$(go list -m -f '{{.Dir}}' github.com/go-ego/gse)/data/dict/zh/s_1.txt" > indexer/textindex/compact.txt
package main

import (
	"bufio"
	"cmp"
	"flag"
	"fmt"
	"log"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

func main() {
	path := flag.String("dict", "", "gse's dictionary: word, frequency, part of speech on each line")
	n := flag.Int("n", 0x800-0x80, "characters to list: the code points of two bytes")
	flag.Parse()
	f, err := os.Open(*path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	freq := map[rune]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		w, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			continue
		}
		for _, r := range fields[0] {
			if utf8.RuneLen(r) == 3 {
				freq[r] += w
			}
		}
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	chars := make([]rune, 0, len(freq))
	for r := range freq {
		chars = append(chars, r)
	}
	slices.SortFunc(chars, func(a, b rune) int {
		if c := cmp.Compare(freq[b], freq[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	if len(chars) < *n {
		log.Fatalf("%d characters in the dictionary, %d wanted", len(chars), *n)
	}
	w := bufio.NewWriter(os.Stdout)
	for i, r := range chars[:*n] {
		w.WriteRune(r)
		if i%64 == 63 || i == *n-1 {
			w.WriteByte('\n')
		}
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "%d characters of %d\n", *n, len(chars))
}
