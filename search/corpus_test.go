package search

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestMemoOutlivesItsCaller: a caller that cannot wait gets its context's
// error, the computation goes on, and the next caller gets its value; it
// runs once.
func TestMemoOutlivesItsCaller(t *testing.T) {
	c := testEngine.Corpus()
	runs := 0
	release := make(chan struct{})
	f := func(ctx context.Context) (any, error) {
		runs++
		<-release
		return 42, nil
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	if _, err := c.Memo(ctx, "test", f); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	close(release)
	v, err := c.Memo(t.Context(), "test", f)
	if err != nil || v.(int) != 42 || runs != 1 {
		t.Fatalf("%v %v, %d runs", v, err, runs)
	}
	if v, _ := testEngine.Corpus().Memo(t.Context(), "test", f); v.(int) != 42 || runs != 1 {
		t.Errorf("another Corpus of the same state: %v, %d runs", v, runs)
	}
}
