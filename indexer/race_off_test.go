//go:build !race

package indexer_test

const raceDetector = false
