package indexer

// MaxSectionBytes is maxSectionBytes, for the external tests.
const MaxSectionBytes = maxSectionBytes
