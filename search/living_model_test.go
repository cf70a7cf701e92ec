package search

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"noticesearch/dict"
	"noticesearch/indexer"
)

// TestLivingModel is the randomised model test of the living index (issue
// 11): it interleaves adds, changes, deletes (by absence from a folder
// indexed, and by Remove), identical copies, merges, reopenings of the
// writer and simulated crashes (living_model_crash_test.go) against a
// model, a map of path → text, and after every operation compares the
// index's notices and sections, a reader's after Refresh, and every
// query's hits with a scan of the model.
//
// NOTICESEARCH_MODEL_SEED=N (or -living.seed N) replays a run, and
// NOTICESEARCH_MODEL_SEED=random draws a new seed; NOTICESEARCH_MODEL_OPS=N
// runs N operations instead of lmDefaultOps, and more than lmDefaultOps
// also crash updates that analyse files (a child loading the segmenter).
func TestLivingModel(t *testing.T) {
	seed := lmSeed(t)
	ops := lmDefaultOps
	if s := os.Getenv("NOTICESEARCH_MODEL_OPS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("NOTICESEARCH_MODEL_OPS=%q: want a positive number", s)
		}
		ops = n
	}
	t.Logf("seed %d, %d operations (replay: NOTICESEARCH_MODEL_SEED=%d NOTICESEARCH_MODEL_OPS=%d go test ./search -run 'TestLivingModel$')", seed, ops, seed, ops)
	lm := newLivingModel(t, seed)
	// Crashes of updates that analyse files start a child that loads the
	// segmenter, seconds each: only in longer runs.
	lm.heavyCrashes = ops > lmDefaultOps
	defer lm.close()
	for i := range ops {
		lm.step = i
		op := lm.pickOp()
		lm.counts[op]++
		began := time.Now()
		lm.run(op)
		lm.took[op] += time.Since(began)
		st := lm.ix.State()
		t.Logf("step %d: %s%s → generation %d, %d segments, %d notices", i, op, lm.note, st.Generation, st.Segments(), len(lm.model))
		lm.note = ""
		began = time.Now()
		lm.verify(op)
		lm.took["verify"] += time.Since(began)
	}
	t.Logf("time taken: %v", lm.took)
	t.Logf("operations: %v", lm.counts)
	t.Logf("crashes: %v", lm.crash)
	t.Logf("index: generation %d, %d segments, %d files on disk, %d notices; %d automatic merges; %d queries compared, %d of them across two sections and in none",
		lm.ix.State().Generation, lm.ix.State().Segments(), len(lm.disk), len(lm.model), lm.merges, lm.queries, lm.crossing)
}

// lmDefaultOps and lmDefaultSeed make the run of `go test ./...`: a few
// seconds, the same operations every time (the kills' timing aside).
const (
	lmDefaultOps  = 60
	lmDefaultSeed = 20261201
)

var lmSeedFlag = flag.String("living.seed", "", "seed of TestLivingModel, or \"random\" (default: NOTICESEARCH_MODEL_SEED, else lmDefaultSeed)")

func lmSeed(t *testing.T) uint64 {
	s := *lmSeedFlag
	if s == "" {
		s = os.Getenv("NOTICESEARCH_MODEL_SEED")
	}
	switch s {
	case "":
		return lmDefaultSeed
	case "random":
		return rand.Uint64()
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatalf("seed %q: want a number or \"random\"", s)
	}
	return n
}

// lmFile is one version of a file: its text, and the sections the index
// must hold of it, read by the indexer's own parser.
type lmFile struct {
	path, text string
	marker     string
	mtime      time.Time
	noticeID   string
	sections   []lmSection // the title first, as the index searches it
}

type lmSection struct {
	id, text string
	norm     string // dict.NormalizeString(text)
}

// livingModel is the test's state: the files on disk, the model (the
// files as the index holds them), and the index opened by a writer and
// a reader.
type livingModel struct {
	t          *testing.T
	r          *rand.Rand
	gen        *lmGen
	step       int
	note       string   // what the step did, for the log
	docs       string   // the folder of notices
	dirs       []string // docs and its subfolders
	index      string
	disk       map[string]*lmFile // path → the file on disk
	model      map[string]*lmFile // path → the file as indexed; replaced, never changed in place
	retired    []string           // markers of versions gone from the model
	clock      time.Time          // the next modification time
	serial     int
	ix, rd     *indexer.Index
	eng, rdEng *Engine
	counts     map[string]int
	took       map[string]time.Duration // by operation, for the log
	queries    int
	merges     int // automatic merges seen
	crossing   int // terms across two sections that no section holds
	crash      lmCrashStats
	// heavyCrashes lets crashes hit updates that analyse files.
	heavyCrashes bool
}

func newLivingModel(t *testing.T, seed uint64) *livingModel {
	root := t.TempDir()
	lm := &livingModel{
		t: t, r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		docs: filepath.Join(root, "docs"), index: filepath.Join(root, "index"),
		disk: map[string]*lmFile{}, model: map[string]*lmFile{},
		clock:  time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC),
		counts: map[string]int{}, took: map[string]time.Duration{},
	}
	lm.gen = &lmGen{r: lm.r, markers: map[string]bool{}}
	lm.dirs = []string{lm.docs, filepath.Join(lm.docs, "通知"), filepath.Join(lm.docs, "sub", "deep")}
	for _, d := range lm.dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	lm.openWriter()
	lm.openReader()
	return lm
}

func (lm *livingModel) openReader() {
	rd, err := indexer.OpenReader(lm.index)
	if err != nil {
		lm.t.Fatalf("step %d: open reader: %v", lm.step, err)
	}
	rd.RetireAfter = lmRetireAfter
	lm.rd, lm.rdEng = rd, New(rd)
}

// lmRetireAfter keeps the segments of replaced states open a short while
// only: a long run makes thousands of states, and nothing here searches
// an old one.
const lmRetireAfter = time.Second

func (lm *livingModel) openWriter() {
	ix, err := indexer.Open(lm.index, indexer.Options{})
	if err != nil {
		lm.t.Fatalf("step %d: open writer: %v", lm.step, err)
	}
	ix.RetireAfter = lmRetireAfter
	lm.ix, lm.eng = ix, New(ix)
}

func (lm *livingModel) close() {
	if lm.ix != nil {
		lm.ix.Close()
	}
	if lm.rd != nil {
		lm.rd.Close()
	}
}

// pickOp chooses the next operation, keeping the folder between a few
// files and a hundred or so.
func (lm *livingModel) pickOp() string {
	type w struct {
		op string
		n  int
	}
	grow, shrink := 6, 3
	switch n := len(lm.disk); {
	case n < 5:
		grow, shrink = 20, 0
	case n > 90:
		grow, shrink = 1, 12
	}
	ws := []w{
		{"add", grow}, {"change", 5}, {"touch", 1}, {"copy", 2}, {"delete", shrink}, {"remove", 2},
		{"add-missing", 1}, {"reindex", 1}, {"optimize", 1}, {"reopen", 2}, {"reopen-reader", 1}, {"crash", lmCrashWeight()},
	}
	total := 0
	for _, x := range ws {
		total += x.n
	}
	k := lm.r.IntN(total)
	for _, x := range ws {
		if k -= x.n; k < 0 {
			return x.op
		}
	}
	panic("unreachable")
}

// run does one operation on the files and the index, and moves the model.
func (lm *livingModel) run(op string) {
	switch op {
	case "add":
		var added []string
		for range 1 + lm.r.IntN(4) {
			added = append(added, lm.writeNew().path)
		}
		lm.add(lm.someOf(added))
	case "change", "touch":
		var changed []string
		for _, p := range lm.pickDisk(1 + lm.r.IntN(3)) {
			f := lm.disk[p]
			if op == "touch" { // the same text, a new modification time
				lm.write(p, f.text, f.marker)
			} else {
				lm.rewrite(p)
			}
			changed = append(changed, p)
		}
		lm.add(lm.someOf(changed))
	case "copy": // two files with the same text are two notices
		var copies []string
		for _, p := range lm.pickDisk(1 + lm.r.IntN(2)) {
			copies = append(copies, lm.write(lm.newPath(), lm.disk[p].text, lm.disk[p].marker).path)
		}
		lm.add(lm.someOf(copies))
	case "delete": // deletion by absence from a folder indexed
		gone := lm.pickDisk(1 + lm.r.IntN(3))
		for _, p := range gone {
			lm.unlink(p)
		}
		lm.add([]string{lm.folderOf(gone)})
	case "add-missing": // a file named but gone stays indexed, reported skipped
		gone := lm.pickDisk(1)
		for _, p := range gone {
			lm.unlink(p)
		}
		lm.add(gone)
	case "remove":
		lm.remove(lm.removeTargets())
	case "reindex": // nothing changed: nothing committed
		gen, same := lm.ix.State().Generation, lm.sameFiles()
		lm.add([]string{lm.docs})
		if same && lm.ix.State().Generation != gen {
			lm.t.Fatalf("step %d: reindexing unchanged files moved the generation from %d to %d:%s", lm.step, gen, lm.ix.State().Generation, lm.note)
		}
	case "optimize":
		began := time.Now()
		if err := lm.ix.Optimize(context.Background()); err != nil {
			lm.t.Fatalf("step %d: optimize: %v", lm.step, err)
		}
		lm.crash.took("optimize", time.Since(began))
		if n := lm.ix.State().Segments(); n > 1 {
			lm.t.Fatalf("step %d: %d segments after Optimize", lm.step, n)
		}
	case "reopen":
		if err := lm.ix.Close(); err != nil {
			lm.t.Fatalf("step %d: close writer: %v", lm.step, err)
		}
		rep, err := indexer.Check(lm.index)
		if err != nil || rep.Damaged() || rep.Notices != len(lm.model) {
			lm.t.Fatalf("step %d: check: %v, %+v; the model has %d notices", lm.step, err, rep, len(lm.model))
		}
		lm.openWriter()
	case "reopen-reader": // a reader opened afresh, beside one refreshed all along
		if err := lm.rd.Close(); err != nil {
			lm.t.Fatalf("step %d: close reader: %v", lm.step, err)
		}
		lm.openReader()
	case "crash":
		lm.crashStep()
	default:
		panic(op)
	}
}

// sameFiles says whether the files on disk are the model's.
func (lm *livingModel) sameFiles() bool {
	return maps.Equal(lm.disk, lm.model)
}

// someOf is the paths to index for files just written: the whole folder,
// the folder of one of them, the files named, or the files named with a
// folder that holds them too.
func (lm *livingModel) someOf(paths []string) []string {
	switch lm.r.IntN(4) {
	case 0:
		return []string{lm.docs}
	case 1:
		if len(paths) == 1 {
			return []string{filepath.Dir(paths[0])}
		}
	case 2: // the files named, and a folder holding them too
		return append([]string{filepath.Dir(paths[0])}, paths...)
	}
	return paths
}

// folderOf is a folder holding all of paths, at times the top one.
func (lm *livingModel) folderOf(paths []string) string {
	dir := filepath.Dir(paths[0])
	for _, p := range paths {
		if filepath.Dir(p) != dir {
			return lm.docs
		}
	}
	if lm.r.IntN(2) == 0 {
		return lm.docs
	}
	return dir
}

func (lm *livingModel) newPath() string {
	lm.serial++
	ext := ".txt"
	if lm.r.IntN(4) == 0 {
		ext = ".md"
	}
	return filepath.Join(lmPick(lm.r, lm.dirs), fmt.Sprintf("notice-%04d%s", lm.serial, ext))
}

func (lm *livingModel) writeNew() *lmFile {
	p := lm.newPath()
	m := lm.gen.marker()
	return lm.write(p, lm.gen.notice(m, strings.HasSuffix(p, ".md")), m)
}

func (lm *livingModel) rewrite(p string) {
	m := lm.gen.marker()
	lm.write(p, lm.gen.notice(m, strings.HasSuffix(p, ".md")), m)
}

// write writes a file with a modification time of its own: the index
// takes a file of the same size and time as unchanged, and two writes
// within a tick of the file system's clock would otherwise share one.
func (lm *livingModel) write(p, text, marker string) *lmFile {
	lm.clock = lm.clock.Add(time.Second + time.Duration(lm.r.IntN(1e9)))
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		lm.t.Fatal(err)
	}
	if err := os.Chtimes(p, lm.clock, lm.clock); err != nil {
		lm.t.Fatal(err)
	}
	f := lm.parse(p, text)
	f.marker, f.mtime = marker, lm.clock
	lm.disk[p] = f
	return f
}

// parse reads a file's text as the indexer does, into the sections the
// index must hold.
func (lm *livingModel) parse(p, text string) *lmFile {
	n, err := indexer.Parse(p, []byte(text))
	if err != nil {
		lm.t.Fatalf("step %d: the generated notice %s does not parse: %v\n%s", lm.step, p, err, text)
	}
	f := &lmFile{path: p, text: text, noticeID: n.ID}
	if n.Title != "" {
		f.sections = append(f.sections, lmSection{id: indexer.TitleSectionID(n.ID), text: n.Title})
	}
	for _, s := range n.Sections {
		f.sections = append(f.sections, lmSection{id: s.ID, text: s.Text})
	}
	for i := range f.sections {
		f.sections[i].norm = dict.NormalizeString(f.sections[i].text)
	}
	return f
}

func (lm *livingModel) unlink(p string) {
	if err := os.Remove(p); err != nil {
		lm.t.Fatal(err)
	}
	delete(lm.disk, p)
}

// pickDisk picks up to n distinct files on disk.
func (lm *livingModel) pickDisk(n int) []string {
	paths := slices.Sorted(maps.Keys(lm.disk))
	lm.r.Shuffle(len(paths), func(i, j int) { paths[i], paths[j] = paths[j], paths[i] })
	if len(paths) == 0 {
		return []string{lm.writeNew().path}
	}
	return paths[:min(n, len(paths))]
}

// removeTargets names what to Remove: indexed files, at times a folder,
// and at times a path the index has no notice of.
func (lm *livingModel) removeTargets() []string {
	var out []string
	switch lm.r.IntN(6) {
	case 0:
		out = append(out, lmPick(lm.r, lm.dirs[1:]))
	case 1:
		out = append(out, filepath.Join(lm.docs, "nothing-here.txt"))
	}
	paths := slices.Sorted(maps.Keys(lm.model))
	lm.r.Shuffle(len(paths), func(i, j int) { paths[i], paths[j] = paths[j], paths[i] })
	// A file may be named along with its folder: it is removed once.
	return append(out, paths[:min(1+lm.r.IntN(3), len(paths))]...)
}

func lmWithin(path, dir string) bool {
	return strings.HasPrefix(path, dir+string(filepath.Separator))
}

// afterAdd is the model once paths are indexed, and what the run must
// report: each file counted once, however many of paths hold it.
func (lm *livingModel) afterAdd(paths []string) (after map[string]*lmFile, indexed, removed, skipped int) {
	after = maps.Clone(lm.model)
	under := func(path string) bool {
		return slices.ContainsFunc(paths, func(p string) bool { return path == p || lmWithin(path, p) })
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			skipped++ // named, gone: its notice stays
		}
	}
	for path, f := range lm.disk {
		if under(path) {
			if lm.model[path] != f {
				indexed++
			}
			after[path] = f
		}
	}
	for path := range lm.model {
		if lm.disk[path] == nil && slices.ContainsFunc(paths, func(p string) bool { return lmWithin(path, p) }) {
			delete(after, path)
			removed++
		}
	}
	return after, indexed, removed, skipped
}

// afterRemove is the model once paths are removed, and what the run must
// report.
func (lm *livingModel) afterRemove(paths []string) (after map[string]*lmFile, removed, skipped int) {
	after = maps.Clone(lm.model)
	for _, p := range paths {
		n := 0
		for path := range lm.model {
			if path == p || lmWithin(path, p) {
				n++
				if _, ok := after[path]; ok {
					delete(after, path)
					removed++
				}
			}
		}
		if n == 0 {
			skipped++
		}
	}
	return after, removed, skipped
}

func (lm *livingModel) add(paths []string) {
	after, indexed, removed, skipped := lm.afterAdd(paths)
	watch := lm.watchReader(lm.model, after)
	gen := lm.ix.State().Generation
	began := time.Now()
	rep, err := lm.ix.Add(context.Background(), paths, nil)
	lm.crash.took("add", time.Since(began))
	watch()
	lm.note += fmt.Sprintf(" add %v: %d indexed, %d unchanged, %d removed, %d skipped", lm.rel(paths), rep.Indexed, rep.Unchanged, rep.Removed, len(rep.Skipped))
	lm.countMerges(gen)
	if err != nil {
		lm.t.Fatalf("step %d: add %v: %v", lm.step, lm.rel(paths), err)
	}
	if rep.Indexed != indexed || rep.Removed != removed || len(rep.Skipped) != skipped {
		lm.t.Errorf("step %d: add %v reported %d indexed, %d removed, %d skipped %v; the model says %d, %d, %d",
			lm.step, lm.rel(paths), rep.Indexed, rep.Removed, len(rep.Skipped), rep.Skipped, indexed, removed, skipped)
	}
	lm.moveTo(after)
}

func (lm *livingModel) remove(paths []string) {
	after, removed, skipped := lm.afterRemove(paths)
	watch := lm.watchReader(lm.model, after)
	gen := lm.ix.State().Generation
	began := time.Now()
	rep, err := lm.ix.Remove(context.Background(), paths)
	lm.crash.took("remove", time.Since(began))
	watch()
	lm.note += fmt.Sprintf(" remove %v", lm.rel(paths))
	lm.countMerges(gen)
	if err != nil {
		lm.t.Fatalf("step %d: remove %v: %v", lm.step, lm.rel(paths), err)
	}
	if rep.Removed != removed || len(rep.Skipped) != skipped {
		lm.t.Errorf("step %d: remove %v reported %d removed, %d skipped; the model says %d, %d",
			lm.step, lm.rel(paths), rep.Removed, len(rep.Skipped), removed, skipped)
	}
	lm.moveTo(after)
}

// countMerges counts the automatic merges of an update that started at
// generation gen: each is a commit of its own after the update's.
func (lm *livingModel) countMerges(gen uint64) {
	if n := lm.ix.State().Generation - gen; n > 1 {
		lm.merges += int(n - 1)
	}
}

// moveTo makes after the model; the markers of the versions it leaves
// behind are looked for from then on.
func (lm *livingModel) moveTo(after map[string]*lmFile) {
	for p, f := range lm.model {
		if after[p] != f {
			lm.retired = append(lm.retired, f.marker)
		}
	}
	lm.model = after
}

func (lm *livingModel) rel(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		if r, err := filepath.Rel(lm.docs, p); err == nil {
			out[i] = r
		} else {
			out[i] = p
		}
	}
	return out
}
