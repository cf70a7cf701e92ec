// Command genhostile writes the hostile corpus of package hostile into a
// folder, for benchmarks and for trying the indexer by hand:
//
//	go run ./indexer/internal/hostile/cmd/genhostile -out DIR
//	noticesearch index --index /tmp/hostile.index DIR
//
// With -list it prints each file and the outcome expected of it.
package main

import (
	"flag"
	"fmt"
	"os"

	"noticesearch/indexer/internal/hostile"
)

func main() {
	out := flag.String("out", "", "folder to write the corpus into (made if missing; must not hold an earlier corpus)")
	list := flag.Bool("list", false, "print every file and its expected outcome")
	flag.Parse()
	if *list {
		for _, c := range hostile.Cases() {
			want := "indexed"
			if c.Want.Skipped != "" {
				want = "skipped: " + c.Want.Skipped
			}
			fmt.Printf("%-34s %10d  %-50s %s\n", c.File, c.Bytes, c.Name, want)
		}
	}
	if *out == "" {
		if !*list {
			flag.Usage()
			os.Exit(2)
		}
		return
	}
	if err := hostile.Write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "genhostile:", err)
		os.Exit(1)
	}
}
