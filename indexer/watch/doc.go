// Package watch keeps an index up to date with folders: it follows
// file-system notifications (fsnotify) on every folder under the folders
// given, gathers them into batches, and commits each batch through the
// index's writer; a full rescan at start, at intervals and after the
// notification queue overflowed catches what notifications miss (network
// file systems, folders reached through symbolic links, a full queue).
//
// It changes the index only through indexer.Index.Add and Remove: it
// never deletes or writes a file, and never reads or watches the index's
// own folder when that lies inside a folder watched. It does not answer
// queries; package search does, on the same *indexer.Index.
package watch
