// Command noticesearch reads, indexes and searches Chinese government
// notices. Each subcommand is thin wiring over the indexer and search
// packages.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

var commands = []command{
	{"serve", "serve the search API (indexes the bundled notices on first start)", runServe},
	{"index", "index notice files and folders (removes the notices of files gone from them)", runIndex},
	{"remove", "remove the notices of files or folders from the index", runRemove},
	{"optimize", "merge the index's segments into one", runOptimize},
	{"check", "verify the index's checksums and the agreement of text and metadata", runCheck},
	{"search", "search the index from the terminal", runSearch},
	{"compare", "count terms by region, year, kind, source or issuer: a table, CSV or XLSX", runCompare},
	{"keywords", "the words that set a group of notices apart from the rest", runKeywords},
	{"eval", "compare search hits with a substring scan of the index", runEval},
	{"parse", "read notice files and show how each was understood", runParse},
}

// memoryLimit is the soft heap limit unless GOMEMLIMIT says otherwise:
// indexing holds every section's text and postings until it writes them,
// and the garbage of parsing would otherwise grow the heap to twice that.
// On the 41 MiB laws corpus (live heap about 370 MiB at the end): 870 MiB
// peak RSS at 850 MiB, 670 MiB at 650 MiB in the same time, 560 MiB at
// 500 MiB but 10% slower.
const memoryLimit = 640 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	// SIGINT or SIGTERM ends every command's context. Once one has, the
	// signals are no longer caught here: a second one kills the process
	// (unless a command catches them itself).
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		return 2
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "noticesearch: unknown command %q\n\n", args[0])
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: noticesearch COMMAND [flags] [args]")
	fmt.Fprintln(w, "\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'noticesearch COMMAND -h' for a command's flags.")
}
