package search

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"

	"noticesearch/dict"
	"noticesearch/indexer"
)

// The checks of the living model test (living_model_test.go): a state of
// the index against the model, section by section, and each query's hits
// against a scan of the model's sections.

// watchReader refreshes the reader while the writer works, at times: each
// state it moves to must be the model before or the model after. The
// function returned stops it.
func (lm *livingModel) watchReader(before, after map[string]*lmFile) func() {
	if lm.r.IntN(3) > 0 {
		return func() {}
	}
	return lm.watchReaderAlways(before, after)
}

func (lm *livingModel) watchReaderAlways(before, after map[string]*lmFile) func() {
	stop, done := make(chan struct{}), make(chan string)
	go func() {
		for {
			select {
			case <-stop:
				done <- ""
				return
			default:
			}
			// Paced, not spinning: the writer shares the cores.
			time.Sleep(200 * time.Microsecond)
			moved, err := lm.rd.Refresh()
			if err != nil {
				done <- "refresh: " + err.Error()
				<-stop
				done <- ""
				return
			}
			if !moved {
				continue
			}
			st := lm.rd.State()
			if d := lmStateDiff(st, before); len(d) > 0 {
				if d2 := lmStateDiff(st, after); len(d2) > 0 {
					done <- fmt.Sprintf("generation %d is neither the state before nor after: before %v, after %v", st.Generation, d, d2)
					<-stop
					done <- ""
					return
				}
			}
		}
	}()
	return func() {
		close(stop)
		if msg := <-done; msg != "" {
			lm.t.Fatalf("step %d: reader refreshing during the update: %s", lm.step, msg)
		}
	}
}

// verify compares the writer's state, the reader's after Refresh, and the
// hits of a set of terms in both with the model.
func (lm *livingModel) verify(op string) {
	lm.t.Helper()
	if d := lmStateDiff(lm.ix.State(), lm.model); len(d) > 0 {
		lm.t.Fatalf("step %d (%s): the writer's state is not the model's:\n%s", lm.step, op, strings.Join(d, "\n"))
	}
	if _, err := lm.rd.Refresh(); err != nil {
		lm.t.Fatalf("step %d (%s): refresh the reader: %v", lm.step, op, err)
	}
	if g, w := lm.rd.State().Generation, lm.ix.State().Generation; g != w {
		lm.t.Fatalf("step %d (%s): the reader refreshed to generation %d, the writer committed %d", lm.step, op, g, w)
	}
	if d := lmStateDiff(lm.rd.State(), lm.model); len(d) > 0 {
		lm.t.Fatalf("step %d (%s): the reader's state is not the model's:\n%s", lm.step, op, strings.Join(d, "\n"))
	}
	terms, crossing := lm.terms()
	for _, term := range terms {
		n := lm.checkQuery(op, "writer", lm.eng, term)
		lm.checkQuery(op, "reader", lm.rdEng, term)
		if n == 0 && crossing[term] {
			lm.crossing++
		}
	}
}

// lmStateDiff lists how a state's notices and sections differ from the
// model's (at most a few lines); none when they agree.
func lmStateDiff(st *indexer.State, model map[string]*lmFile) []string {
	var out []string
	text := st.Text
	got := map[string]string{} // section ID → text
	paths := map[string]string{}
	for d := range text.Docs() {
		id := text.DocID(d)
		var rec struct {
			Path string `json:"path"`
		}
		json.Unmarshal(text.DocRecord(d), &rec)
		if other, ok := paths[id]; ok {
			out = append(out, fmt.Sprintf("notice %s live twice (%s, %s)", id, other, rec.Path))
		}
		paths[id] = rec.Path
		first, end := text.DocSections(d)
		for sec := first; sec < end; sec++ {
			sid := indexer.SectionID(id, text.Seq(sec))
			if text.IsTitle(sec) {
				sid = indexer.TitleSectionID(id)
			}
			got[sid] = text.Text(sec)
		}
	}
	want := map[string]string{}
	for p, f := range model {
		if paths[f.noticeID] != p {
			out = append(out, fmt.Sprintf("missing notice of %s (has %q)", p, paths[f.noticeID]))
		}
		for _, s := range f.sections {
			want[s.id] = s.text
		}
	}
	if text.Docs() != len(model) {
		out = append(out, fmt.Sprintf("%d notices, the model has %d", text.Docs(), len(model)))
	}
	for id, w := range want {
		if g, ok := got[id]; !ok {
			out = append(out, "missing section "+id)
		} else if g != w {
			out = append(out, fmt.Sprintf("section %s holds %q, the model %q", id, g, w))
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			out = append(out, "extra section "+id)
		}
	}
	slices.Sort(out)
	return out[:min(len(out), 8)]
}

// terms are what to look for after an operation: fixed terms frequent and
// rare, single characters and pairs, markers of live and of gone
// versions, pieces of live sections, and pieces across two sections
// (crossing), which must not match unless a section holds them too.
func (lm *livingModel) terms() (terms []string, crossing map[string]bool) {
	crossing = map[string]bool{}
	terms = []string{"人民政府", "安全生产", "的", "工作", "通知", "特此", "登记", "县", "十",
		"2019", "年度考核", "检索不到的词", "甲乙", "营商环境", "一、总体要求"}
	files := make([]*lmFile, 0, len(lm.model))
	for _, p := range slices.Sorted(maps.Keys(lm.model)) {
		files = append(files, lm.model[p])
	}
	if len(files) > 0 {
		for range 3 {
			f := lmPick(lm.r, files)
			terms = append(terms, f.marker, string([]rune(f.marker)[:2+lm.r.IntN(3)]))
		}
		for range 4 {
			s := lmPick(lm.r, lmPick(lm.r, files).sections)
			rs := []rune(s.text)
			n := 1 + lm.r.IntN(6)
			if len(rs) > n {
				at := lm.r.IntN(len(rs) - n)
				terms = append(terms, string(rs[at:at+n]))
			}
		}
		for range 3 { // across the end of a section and the start of the next
			f := lmPick(lm.r, files)
			if len(f.sections) < 2 {
				continue
			}
			i := lm.r.IntN(len(f.sections) - 1)
			a := []rune(strings.TrimSpace(f.sections[i].text))
			b := []rune(strings.TrimSpace(f.sections[i+1].text))
			ka, kb := 1+lm.r.IntN(3), 1+lm.r.IntN(3)
			if len(a) >= ka && len(b) >= kb {
				term := string(a[len(a)-ka:]) + string(b[:kb])
				terms = append(terms, term)
				crossing[term] = true
			}
		}
	}
	for range min(3, len(lm.retired)) {
		terms = append(terms, lmPick(lm.r, lm.retired))
	}
	return slices.DeleteFunc(terms, func(s string) bool {
		// Terms the search box reads as one: no blanks, no quotes, and
		// something to search for once punctuation is set aside.
		return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '"' || r == '＂' }) ||
			strings.Trim(dict.NormalizeString(s), "|") == ""
	}), crossing
}

// checkQuery compares every hit of a term, page by page, with a scan of
// the model: the sections whose normalised text holds it; it returns how
// many there are.
func (lm *livingModel) checkQuery(op, who string, e *Engine, term string) int {
	lm.t.Helper()
	lm.queries++
	query := `"` + term + `"`
	q, err := ParseQuery(query)
	if err != nil || len(q.Must) != 1 || len(q.Must[0].Any) != 1 || q.Must[0].Any[0].Text != term || len(q.MustNot) > 0 || !q.Filters.IsEmpty() {
		lm.t.Fatalf("the query %s does not read as the one term %q: %+v, %v", query, term, q, err)
	}
	want := map[string]string{} // section ID → notice ID
	notices := map[string]bool{}
	pathOf := map[string]string{}
	for p, f := range lm.model {
		pathOf[f.noticeID] = p
		for _, s := range f.sections {
			if ContainsNormalized(s.norm, term) {
				want[s.id] = f.noticeID
				notices[f.noticeID] = true
			}
		}
	}
	got := map[string]bool{}
	var total uint64
	var nNotices int
	for from := 0; from < MaxWindow; from += MaxSize {
		res, err := e.Search(context.Background(), Request{Query: query, Size: MaxSize, From: from, NoFragments: true})
		if err != nil {
			lm.t.Fatalf("step %d (%s): %s search %s: %v", lm.step, op, who, query, err)
		}
		if from == 0 {
			total, nNotices = res.Total, res.Notices
		} else if res.Total != total {
			lm.t.Fatalf("step %d (%s): %s search %s: total %d on page 1, %d from %d", lm.step, op, who, query, total, res.Total, from)
		}
		for _, h := range res.Hits {
			if got[h.SectionID] {
				lm.t.Fatalf("step %d (%s): %s search %s: section %s twice", lm.step, op, who, query, h.SectionID)
			}
			got[h.SectionID] = true
			if w, ok := want[h.SectionID]; ok && (w != h.NoticeID || h.Path != pathOf[w]) {
				lm.t.Fatalf("step %d (%s): %s search %s: hit %s of notice %s (%s), the model's is %s (%s)",
					lm.step, op, who, query, h.SectionID, h.NoticeID, h.Path, w, pathOf[w])
			}
		}
		if len(res.Hits) < MaxSize {
			break
		}
	}
	var missing, extra []string
	for id := range want {
		if !got[id] {
			missing = append(missing, id)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			extra = append(extra, id)
		}
	}
	if len(missing) > 0 || len(extra) > 0 || total != uint64(len(want)) || nNotices != len(notices) {
		slices.Sort(missing)
		slices.Sort(extra)
		lm.t.Fatalf("step %d (%s): %s search %s: %d hits (total %d, %d notices), the model's scan %d (%d notices); missing %v, extra %v",
			lm.step, op, who, query, len(got), total, nNotices, len(want), len(notices), lmFirst(missing), lmFirst(extra))
	}
	return len(want)
}

func lmFirst(ids []string) []string { return ids[:min(len(ids), 5)] }
