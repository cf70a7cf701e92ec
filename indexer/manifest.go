package indexer

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
)

// manifest is the commit point of an index: the one file that names its
// state (the segments, in order, and the documents deleted from each)
// and what it was built with. A state is committed by writing its
// segments, then a new manifest beside the old one, and renaming it over
// the old one (writeManifest): after a crash at any moment the index
// opens in the state before or the state after, never a mix.
type manifest struct {
	Generation      uint64         `json:"generation"` // of the state: one more at each commit
	NextSegment     uint64         `json:"next_segment"`
	Checksum        string         `json:"checksum"` // of the dictionaries (dict.Checksum)
	AnalyzerVersion int            `json:"analyzer_version"`
	FormatVersion   int            `json:"format_version"`
	Segments        []segmentEntry `json:"segments"`
}

// segmentEntry is one segment of a state.
type segmentEntry struct {
	Name     string `json:"name"`     // the files NAME.tix (text) and NAME.bleve/ (notices)
	Docs     int    `json:"docs"`     // notices written in it, deleted ones included
	Sections int    `json:"sections"` // sections written in it
	Bytes    int64  `json:"bytes"`    // of NAME.tix
	Deleted  []int  `json:"deleted,omitempty"`
}

// manifestFile holds a manifest with the CRC-32C of its JSON, so that a
// damaged manifest is refused, never read as another state.
type manifestFile struct {
	Manifest json.RawMessage `json:"manifest"`
	CRC32C   uint32          `json:"crc32c"`
}

const (
	manifestName = "manifest.json"
	textExt      = ".tix"
	bleveExt     = ".bleve"
)

// segmentFile matches the names of the files a writer makes for segments,
// finished or not, and for manifests being written: what garbage
// collection may remove when no manifest names it.
var segmentFile = regexp.MustCompile(`^seg-[0-9]{6,}(\.tix|\.tix\.tmp|\.bleve|\.bleve\.tmp)$|^manifest\.json\.tmp$`)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func segmentName(n uint64) string { return fmt.Sprintf("seg-%06d", n) }

// readManifest reads the manifest of the index at dir; fs.ErrNotExist when
// there is none.
func readManifest(dir string) (*manifest, error) {
	raw, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		return nil, err
	}
	var f manifestFile
	var m manifest
	if err := json.Unmarshal(raw, &f); err != nil || crc32.Checksum(f.Manifest, castagnoli) != f.CRC32C {
		return nil, damaged(dir, manifestName, "校验和不符", "checksum mismatch")
	}
	if err := json.Unmarshal(f.Manifest, &m); err != nil {
		return nil, damaged(dir, manifestName, "无法解析", "unreadable: "+err.Error())
	}
	for _, s := range m.Segments {
		if !segmentFile.MatchString(s.Name+textExt) || !slices.IsSorted(s.Deleted) ||
			len(s.Deleted) > 0 && (s.Deleted[0] < 0 || s.Deleted[len(s.Deleted)-1] >= s.Docs) {
			return nil, damaged(dir, manifestName, "段记录有误："+strconv.Quote(s.Name), "bad segment entry "+strconv.Quote(s.Name))
		}
	}
	return &m, nil
}

// writeManifest commits m: written beside the manifest, synced, renamed
// over it, and the folder synced, so that the rename is the one moment the
// state changes.
func writeManifest(dir string, m *manifest) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(manifestFile{Manifest: body, CRC32C: crc32.Checksum(body, castagnoli)})
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, manifestName+".tmp")
	if err := writeSynced(tmp, raw); err != nil {
		return fmt.Errorf("write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, manifestName)); err != nil {
		return err
	}
	return syncDir(dir)
}

func writeSynced(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes the entries of dir (a file renamed into it) durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, fs.ErrInvalid) { // some systems cannot sync a folder
		return err
	}
	return nil
}

// ErrDamaged says an index is damaged: a file of it is missing, cut short
// or altered. It is refused rather than searched wrong; `noticesearch
// check` says what is damaged. Errors wrap it as a *DamagedError.
var ErrDamaged = errors.New("索引已损坏 / index damaged")

// DamagedError is the damaged part of an index.
type DamagedError struct {
	Path, Part string // the index folder, and its file or part
	zh, en     string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("索引已损坏：%s（%s），请运行 noticesearch check 查看，并用 noticesearch index --rebuild 重建 / index damaged: %s: %s; run `noticesearch check`, and rebuild with `noticesearch index --rebuild`: %s",
		e.Part, e.zh, e.Part, e.en, e.Path)
}

func (e *DamagedError) Is(target error) bool { return target == ErrDamaged }

func damaged(dir, part, zh, en string) error {
	return &DamagedError{Path: dir, Part: part, zh: zh, en: en}
}
