package indexer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrNotIndex says a folder is not a noticesearch index: Open does not
// open it, and a rebuild does not remove it. Open returns it as a
// *NotIndexError.
var ErrNotIndex = errors.New("不是 noticesearch 索引 / not a noticesearch index")

// NotIndexError is a folder that Open refused because it is not
// recognisably a noticesearch index, and what was found there. Nothing in
// it was changed.
type NotIndexError struct {
	Path    string
	Rebuild bool   // refused a rebuild (the folder may hold an index and more)
	zh, en  string // what the folder holds that an index would not
}

func (e *NotIndexError) Error() string {
	if e.Rebuild {
		return fmt.Sprintf("--rebuild 只删除 noticesearch 索引，而 %s 不是（%s），未删除任何文件 / --rebuild removes only a noticesearch index, and %s is not one (%s); nothing was removed",
			e.Path, e.zh, e.Path, e.en)
	}
	return fmt.Sprintf("%s 不是 noticesearch 索引（%s），请用 --index 另选一个文件夹 / %s is not a noticesearch index (%s); choose another --index folder",
		e.Path, e.zh, e.Path, e.en)
}

func (e *NotIndexError) Is(target error) bool { return target == ErrNotIndex }

// Entries of an index folder, besides the lock file, and what each must
// be. tempTextFile is where textindex.Builder.Write writes before renaming.
var (
	indexEntries = map[string]bool{ // name → is a folder
		metaFile:     false,
		textFile:     false,
		tempTextFile: false,
		bleveDir:     true,
		lockFile:     false,
	}
	// bleve (scorch) writes these in notices/.
	bleveEntries = map[string]bool{"index_meta.json": false, "store": true}
)

const tempTextFile = textFile + ".tmp"

// folder is what Open found at an index path.
type folder struct {
	empty   bool            // missing, empty, or holding only a lock file
	meta    indexMeta       // meta.json, if it is an index's
	has     map[string]bool // the index's entries present
	foreign []string        // entries an index does not hold
}

// inspect looks at path without changing anything. It refuses, with a
// *NotIndexError, a folder that holds no index's meta.json; and for a
// rebuild, also one whose entries are not all an index's, since a rebuild
// removes them.
func inspect(path string, rebuild bool) (*folder, error) {
	f := &folder{has: map[string]bool{}}
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		f.empty = true
		return f, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	notIndex := func(zh, en string) error { return &NotIndexError{Path: path, Rebuild: rebuild, zh: zh, en: en} }
	if !fi.IsDir() {
		return nil, notIndex("这是一个文件", "it is a file")
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, fmt.Errorf("open index %s: %w", path, err)
	}
	var all []string
	for _, e := range entries {
		all = append(all, entryName(e))
		isDir, ours := indexEntries[e.Name()]
		if segmentFile.MatchString(e.Name()) || e.Name() == manifestName {
			isDir, ours = strings.HasSuffix(e.Name(), bleveExt) || strings.HasSuffix(e.Name(), bleveExt+".tmp"), true
		}
		switch {
		case !ours || !entryIs(e, isDir):
			f.foreign = append(f.foreign, entryName(e))
		case e.Name() == bleveDir || strings.HasSuffix(e.Name(), bleveExt):
			if other := notBleve(path, e.Name()); len(other) > 0 {
				f.foreign = append(f.foreign, other...)
			} else {
				f.has[e.Name()] = true
			}
		default:
			f.has[e.Name()] = true
		}
	}
	if len(f.foreign) == 0 && (len(f.has) == 0 || len(f.has) == 1 && f.has[lockFile]) {
		f.empty = true
		return f, nil
	}
	if !f.has[metaFile] {
		return nil, notIndex("没有 meta.json，有 "+listNames(all), "no meta.json; it holds "+listNames(all))
	}
	raw, err := os.ReadFile(filepath.Join(path, metaFile))
	if err == nil {
		err = json.Unmarshal(raw, &f.meta)
	}
	if err == nil && f.meta.FormatVersion <= 0 {
		err = errors.New("no format version")
	}
	if err != nil {
		return nil, notIndex("meta.json 不是索引的元数据："+err.Error(), "its meta.json is not an index's: "+err.Error())
	}
	if rebuild && len(f.foreign) > 0 {
		return nil, notIndex("还有 "+listNames(f.foreign), "it also holds "+listNames(f.foreign))
	}
	return f, nil
}

// remove deletes the index's entries, meta.json last so that a removal
// cut short leaves a folder still recognisably an index. The lock file
// stays: the caller holds it.
func (f *folder) remove(path string) error {
	for _, name := range []string{tempTextFile, textFile, bleveDir, metaFile} {
		if !f.has[name] {
			continue
		}
		if err := os.RemoveAll(filepath.Join(path, name)); err != nil {
			return fmt.Errorf("remove old index %s: %w", path, err)
		}
	}
	return nil
}

// segments counts the segment text files in the folder, finished or not.
func (f *folder) segments() int {
	n := 0
	for name := range f.has {
		if strings.HasPrefix(name, "seg-") && strings.Contains(name, textExt) {
			n++
		}
	}
	return n
}

// nextSegment is a segment number after those of every segment file in
// the folder.
func (f *folder) nextSegment() uint64 {
	var next uint64
	for name := range f.has {
		if segmentFile.MatchString(name) && strings.HasPrefix(name, "seg-") {
			digits := strings.TrimPrefix(name, "seg-")
			digits = digits[:strings.IndexByte(digits, '.')]
			if n, err := strconv.ParseUint(digits, 10, 64); err == nil {
				next = max(next, n+1)
			}
		}
	}
	return next
}

// entryIs says whether e is a plain folder (isDir) or a plain file; a
// symbolic link is neither.
func entryIs(e fs.DirEntry, isDir bool) bool {
	if isDir {
		return e.IsDir()
	}
	return e.Type().IsRegular()
}

// notBleve lists what the bleve folder name of the index at path holds
// that bleve does not write.
func notBleve(path, name string) []string {
	entries, err := os.ReadDir(filepath.Join(path, name))
	if err != nil {
		return []string{name + "/ (" + err.Error() + ")"}
	}
	var other []string
	for _, e := range entries {
		if isDir, ok := bleveEntries[e.Name()]; !ok || !entryIs(e, isDir) {
			other = append(other, name+"/"+entryName(e))
		}
	}
	return other
}

func entryName(e fs.DirEntry) string {
	if e.IsDir() {
		return e.Name() + "/"
	}
	return e.Name()
}

// listNames quotes a few names (a name may hold a newline) for a message.
func listNames(names []string) string {
	const most = 5
	quoted := make([]string, 0, most+1)
	for i, name := range names {
		if i == most {
			quoted = append(quoted, fmt.Sprintf("… +%d", len(names)-most))
			break
		}
		quoted = append(quoted, strconv.Quote(name))
	}
	return strings.Join(quoted, ", ")
}
