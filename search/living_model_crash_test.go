package search

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"noticesearch/dict"
	"noticesearch/indexer"
)

// Simulated crashes of the living model test: an update of the index runs
// in a child process (this test binary run again), which is killed with
// SIGKILL after a random delay, from before it opens the index to past
// the time the update takes. The index must then be in exactly the state
// before the update or the one after, with nothing damaged, and the test
// goes on from whichever it is.

// lmHelperEnv carries the update a child process runs, as JSON.
const lmHelperEnv = "NOTICESEARCH_LIVING_MODEL_HELPER"

type lmHelperSpec struct {
	Index string   `json:"index"`
	Op    string   `json:"op"` // add, remove or optimize
	Paths []string `json:"paths"`
	// Segmenter says the update analyses files: it loads the segmenter
	// before it says "ready", as that takes seconds.
	Segmenter bool `json:"segmenter"`
}

// The child runs its update from init, before the package's TestMain,
// which would index the test notices first: seconds that would dwarf the
// update to be killed. It is started with -test.run naming
// TestLivingModelHelperProcess, so that were it to get past init it
// would run nothing else.
func init() {
	if spec := os.Getenv(lmHelperEnv); spec != "" {
		os.Exit(lmHelper(spec))
	}
}

// TestLivingModelHelperProcess is the child's test: the update itself
// runs from init.
func TestLivingModelHelperProcess(t *testing.T) {
	if os.Getenv(lmHelperEnv) == "" {
		t.Skip("the child process of TestLivingModel's simulated crashes")
	}
}

// lmHelper runs the update spec says and says "ready" once the index is
// open, "done" once it is closed.
func lmHelper(spec string) int {
	var s lmHelperSpec
	if err := json.Unmarshal([]byte(spec), &s); err != nil {
		fmt.Fprintln(os.Stderr, "helper:", err)
		return 2
	}
	if s.Segmenter {
		// Loaded before "ready": the kill is aimed at the update, not at
		// the loading of the dictionaries.
		if _, err := dict.Segmenter(); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			return 2
		}
	}
	ix, err := indexer.Open(s.Index, indexer.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper: open:", err)
		return 2
	}
	fmt.Println("ready")
	ctx := context.Background()
	switch s.Op {
	case "add":
		_, err = ix.Add(ctx, s.Paths, nil)
	case "remove":
		_, err = ix.Remove(ctx, s.Paths)
	case "optimize":
		err = ix.Optimize(ctx)
	default:
		err = fmt.Errorf("unknown op %q", s.Op)
	}
	if err == nil {
		err = ix.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper:", s.Op+":", err)
		return 2
	}
	fmt.Println("done")
	return 0
}

// lmCrashWeight is how often crashes are picked: never where this test
// binary cannot be run again as a child and killed.
func lmCrashWeight() int {
	if runtime.GOOS != "linux" {
		return 0
	}
	if _, err := os.Stat(os.Args[0]); err != nil {
		return 0
	}
	return 3
}

// lmCrashStats say how the crashes went, and how long the updates took,
// which bounds the delays before the kills.
type lmCrashStats struct {
	previous, next, same, completed int                    // the states the index was found in
	leftovers                       int                    // files of a run cut short that Check listed
	startup                         map[bool]time.Duration // the longest start of a child until "ready", by spec.Segmenter
	// longest is, by kind of update (add, remove, optimize), about the
	// longest it took, in the test's process or a child's: the longest
	// seen, decaying so that one slow run does not set the delays for
	// good.
	longest map[string]time.Duration
}

func (s *lmCrashStats) took(op string, d time.Duration) {
	if s.longest == nil {
		s.longest = map[string]time.Duration{}
	}
	s.longest[op] = max(s.longest[op]*9/10, d)
}

func (s lmCrashStats) String() string {
	return fmt.Sprintf("%d killed before their commit, %d after it, %d with the states before and after alike, %d completed; %d leftover files listed by Check",
		s.previous, s.next, s.same, s.completed, s.leftovers)
}

// crashStep changes files, runs the update in a child and kills it.
func (lm *livingModel) crashStep() {
	spec := lmHelperSpec{Index: lm.index}
	var after map[string]*lmFile
	var gone []string
	kinds := 3
	if lm.heavyCrashes {
		kinds = 5
	}
	switch lm.r.IntN(kinds) {
	case 0:
		spec.Op, spec.Paths = "remove", lm.removeTargets()
	case 1:
		spec.Op = "optimize"
	case 2: // deletions only: nothing to analyse
		gone = lm.pickDisk(1 + lm.r.IntN(3))
		for _, p := range gone {
			lm.unlink(p)
		}
		spec.Op, spec.Paths = "add", []string{lm.folderOf(gone)}
	case 3:
		for range 1 + lm.r.IntN(6) {
			lm.writeNew()
		}
		spec.Op, spec.Paths = "add", []string{lm.docs}
	case 4:
		var changed []string
		for _, p := range lm.pickDisk(1 + lm.r.IntN(4)) {
			lm.rewrite(p)
			changed = append(changed, p)
		}
		spec.Op, spec.Paths = "add", lm.someOf(changed)
	}
	switch spec.Op {
	case "add":
		var indexed int
		after, indexed, _, _ = lm.afterAdd(spec.Paths)
		if indexed > 0 && !lm.heavyCrashes {
			// Files changed before (by a crash that left the state
			// before its commit, or removed by name) would be analysed:
			// the files deleted are removed by name instead.
			spec.Op, spec.Paths = "remove", gone
			after, _, _ = lm.afterRemove(spec.Paths)
			break
		}
		spec.Segmenter = indexed > 0
	case "remove":
		after, _, _ = lm.afterRemove(spec.Paths)
	default:
		after = lm.model
	}
	before := lm.model
	if err := lm.ix.Close(); err != nil { // the child is the writer now
		lm.t.Fatalf("step %d: close writer: %v", lm.step, err)
	}
	lm.ix, lm.eng = nil, nil

	raw, _ := json.Marshal(spec)
	cmd := exec.Command(os.Args[0], "-test.run=^TestLivingModelHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), lmHelperEnv+"="+string(raw))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		lm.t.Fatal(err)
	}
	watch := lm.watchReaderAlways(before, after)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		lm.t.Fatalf("step %d: start the child: %v", lm.step, err)
	}
	ready, done, eof := make(chan time.Time, 1), make(chan time.Time, 1), make(chan struct{})
	go func() {
		defer close(eof)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			switch sc.Text() {
			case "ready":
				ready <- time.Now()
			case "done":
				done <- time.Now()
			}
		}
	}()
	// The delay is random, from 0 to past the longest update of its kind
	// seen, or, at times, the longest start of a child.
	var readyAt time.Time
	var delay time.Duration
	if lm.r.IntN(6) == 0 {
		delay = lm.killDelay(lm.crash.startup[spec.Segmenter])
		time.Sleep(delay)
	} else {
		select {
		case <-eof: // the child failed: Wait says how
		case readyAt = <-ready:
			if lm.crash.startup == nil {
				lm.crash.startup = map[bool]time.Duration{}
			}
			lm.crash.startup[spec.Segmenter] = max(lm.crash.startup[spec.Segmenter], readyAt.Sub(start))
		case <-time.After(2 * time.Minute):
			cmd.Process.Kill()
			lm.t.Fatalf("step %d: the child did not open the index in 2 minutes; stderr:\n%s", lm.step, stderr.String())
		}
		delay = lm.killDelay(lm.crash.longest[spec.Op])
		time.Sleep(delay)
	}
	cmd.Process.Kill()
	<-eof // all read before Wait closes the pipe
	werr := cmd.Wait()
	ps := cmd.ProcessState
	completed := ps != nil && ps.Exited() && ps.ExitCode() == 0
	if ps != nil && ps.Exited() && ps.ExitCode() != 0 {
		lm.t.Fatalf("step %d: the child failed (%v); stderr:\n%s", lm.step, werr, stderr.String())
	}
	select {
	case doneAt := <-done:
		if !readyAt.IsZero() {
			lm.crash.took(spec.Op, doneAt.Sub(readyAt))
		}
	default:
	}
	watch()

	rep, err := indexer.Check(lm.index)
	if err != nil {
		lm.t.Fatalf("step %d: check after the crash of %s %v: %v", lm.step, spec.Op, lm.rel(spec.Paths), err)
	}
	if rep.Damaged() {
		lm.t.Fatalf("step %d: the crash of %s %v damaged the index: %+v", lm.step, spec.Op, lm.rel(spec.Paths), rep.Problems)
	}
	lm.crash.leftovers += len(rep.Problems)
	lm.openWriter()
	st := lm.ix.State()
	dAfter := lmStateDiff(st, after)
	dBefore := lmStateDiff(st, before)
	var outcome string
	switch {
	case completed && len(dAfter) > 0:
		lm.t.Fatalf("step %d: %s %v completed, but the index is not the state after it:\n%s", lm.step, spec.Op, lm.rel(spec.Paths), strings.Join(dAfter, "\n"))
	case completed:
		lm.crash.completed++
		outcome = "completed"
		lm.moveTo(after)
	case len(dAfter) == 0 && len(dBefore) == 0:
		lm.crash.same++
		outcome = "the state before and after alike"
	case len(dAfter) == 0:
		lm.crash.next++
		outcome = "the state after"
		lm.moveTo(after)
	case len(dBefore) == 0:
		lm.crash.previous++
		outcome = "the state before"
	default:
		lm.t.Fatalf("step %d: after the crash of %s %v the index is neither the state before nor after:\nbefore: %s\nafter: %s",
			lm.step, spec.Op, lm.rel(spec.Paths), strings.Join(dBefore, "\n"), strings.Join(dAfter, "\n"))
	}
	since := "its start"
	if !readyAt.IsZero() {
		since = fmt.Sprintf("ready (after %v)", readyAt.Sub(start).Round(time.Millisecond))
	}
	lm.note += fmt.Sprintf(" %s %v killed %v after %s: %s", spec.Op, lm.rel(spec.Paths), delay.Round(time.Microsecond), since, outcome)
	if rep.Notices != len(lm.model) {
		lm.t.Fatalf("step %d: Check counted %d notices, the model has %d", lm.step, rep.Notices, len(lm.model))
	}
}

// killDelay is a random delay before a kill, for a step that takes about
// d: 0 at times, else log-uniform from 10µs to half as much again as d,
// so that the first milliseconds, where the commit of a few small files
// lies, are hit as often as the rest.
func (lm *livingModel) killDelay(d time.Duration) time.Duration {
	if lm.r.IntN(8) == 0 {
		return 0
	}
	lo, hi := math.Log(float64(10*time.Microsecond)), math.Log(float64(max(d*3/2, time.Millisecond)))
	return time.Duration(math.Exp(lo + lm.r.Float64()*(hi-lo)))
}
