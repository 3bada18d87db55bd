package gateway

import (
	"sync"
	"testing"
)

// The data plane's pooled subject index must be the exported SubjectIndex
// (the audit admin's search computes it that way), also when states are
// reused across goroutines.
func TestIndexerMatchesSubjectIndex(t *testing.T) {
	key := []byte("index-key")
	x := newIndexer(key)
	key[0] = 'X' // the indexer keeps its own copy
	subjects := []string{"11010519491231002X", "91320600MA1MXXXX0X", ""}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				s := subjects[j%len(subjects)]
				if got, want := x.of(s), SubjectIndex([]byte("index-key"), s); got != want {
					t.Errorf("of(%q) = %s, want %s", s, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}
