//go:build race

package indexer_test

// raceDetector says the tests run under the race detector.
const raceDetector = true
