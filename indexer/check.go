package indexer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/blevesearch/bleve/v2"

	"noticesearch/indexer/textindex"
)

// Problem is one thing wrong with an index, found by Check.
type Problem struct {
	Part   string `json:"part"`   // the file or part of the index
	Reason string `json:"reason"` // what is wrong, in Chinese and English
	// Damaged says the index cannot be searched as it is; otherwise the
	// problem is one the next writer repairs (a derived index to rebuild,
	// files left by a run cut short).
	Damaged bool `json:"damaged"`
}

// CheckReport is what Check found.
type CheckReport struct {
	Generation uint64    `json:"generation"`
	Segments   int       `json:"segments"`
	Notices    int       `json:"notices"`  // live
	Sections   int       `json:"sections"` // of the live notices
	Deleted    int       `json:"deleted"`  // notices deleted, still in their segments until a merge
	Problems   []Problem `json:"problems"`
}

// Damaged says whether any problem makes the index unsearchable.
func (r *CheckReport) Damaged() bool {
	for _, p := range r.Problems {
		if p.Damaged {
			return true
		}
	}
	return false
}

// Check verifies the index at path without changing it, and without a
// lock: the manifest's checksum and entries; each segment's every
// checksum, and that it holds what the manifest says; that each segment's
// bleve index is its own; that no two live notices share an ID or a file;
// and it lists the files no state names. It goes on past a damaged part,
// to say everything that is wrong.
func Check(path string) (*CheckReport, error) {
	f, err := inspect(path, false)
	if err != nil {
		return nil, err
	}
	if f.empty {
		return nil, fmt.Errorf("%s: %w", path, ErrNoIndex)
	}
	rep := &CheckReport{Problems: []Problem{}}
	add := func(part string, damaged bool, zh, en string) {
		rep.Problems = append(rep.Problems, Problem{Part: part, Reason: zh + " / " + en, Damaged: damaged})
	}
	m, err := readManifest(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if f.has[textFile] || f.has[bleveDir] {
			add(textFile, true, "旧版索引格式，需要重建", "the layout before segments: rebuild it")
		} else if f.segments() > 0 {
			add(manifestName, true, "文件缺失", "missing")
		}
		return rep, nil
	case err != nil:
		var de *DamagedError
		if errors.As(err, &de) {
			add(de.Part, true, de.zh, de.en)
			return rep, nil
		}
		return nil, err
	}
	if !m.sameBuild() {
		add(manifestName, true, "由其他词典或版本建立，需要重建", "built with other dictionaries or by another version: rebuild it")
	}
	rep.Generation, rep.Segments = m.Generation, len(m.Segments)
	named := map[string]bool{}
	ids, files := map[string]string{}, map[string]string{}
	for _, e := range m.Segments {
		named[e.Name+textExt], named[e.Name+bleveExt] = true, true
		seg, err := textindex.OpenSegment(filepath.Join(path, e.Name+textExt))
		if err != nil {
			why := err.Error()
			if errors.Is(err, fs.ErrNotExist) {
				why = "文件缺失 / missing"
			}
			add(e.Name+textExt, true, "无法读取", why)
			continue
		}
		if err := seg.Verify(); err != nil {
			add(e.Name+textExt, true, "校验和不符", err.Error())
		}
		if seg.Docs() != e.Docs || seg.Sections() != e.Sections {
			add(e.Name+textExt, true, "与清单记录的条数不符", fmt.Sprintf("holds %d notices and %d sections, the manifest says %d and %d", seg.Docs(), seg.Sections(), e.Docs, e.Sections))
		}
		live := textindex.NewIndex([]*textindex.Segment{seg}, [][]int{e.Deleted})
		rep.Notices += live.Docs()
		rep.Sections += live.Sections()
		rep.Deleted += len(e.Deleted)
		for d := range live.Docs() {
			id := live.DocID(d)
			if other, ok := ids[id]; ok {
				add(e.Name+textExt, true, "公文编号重复："+id, "notice "+id+" is live in "+other+" too")
			}
			ids[id] = e.Name
			var rec fileRecord
			if err := json.Unmarshal(live.DocRecord(d), &rec); err != nil {
				add(e.Name+textExt, true, "公文 "+id+" 的文件记录无法解析", "the file record of notice "+id+" is unreadable")
			} else if other, ok := files[rec.Path]; ok && rec.Path != "" {
				add(e.Name+textExt, true, "同一文件有两条公文："+strconv.Quote(rec.Path), "two live notices of "+strconv.Quote(rec.Path)+", the other in "+other)
			} else {
				files[rec.Path] = e.Name
			}
			if _, err := DecodeMeta(live.DocMeta(d)); err != nil {
				add(e.Name+textExt, true, "公文 "+id+" 的元数据无法解析", "the metadata of notice "+id+" is unreadable")
			}
		}
		s := &segment{name: e.Name, text: seg}
		b, err := bleve.OpenUsing(filepath.Join(path, e.Name+bleveExt), map[string]any{"read_only": true, "bolt_timeout": boltTimeout})
		switch {
		case err != nil:
			add(e.Name+bleveExt, false, "元数据索引无法打开，下次写入时将由段文件重建", "cannot be opened ("+err.Error()+"); the next writer rebuilds it from its segment")
		case !agrees(b, s):
			add(e.Name+bleveExt, false, "元数据索引与段文件不符，下次写入时将重建", "disagrees with its segment; the next writer rebuilds it")
		}
		if err == nil { // on an error b is a nil *indexImpl in a non-nil interface
			b.Close()
		}
		seg.Close()
	}
	entries, _ := os.ReadDir(path)
	for _, e := range entries {
		if segmentFile.MatchString(e.Name()) && !named[e.Name()] {
			add(e.Name(), false, "未被清单引用的残留文件，下次写入时删除", "named by no manifest (left by a run cut short, or replaced); the next writer removes it")
		}
	}
	return rep, nil
}
