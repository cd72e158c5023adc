package storage

import (
	"sync"
	"testing"
)

// Decisions are indexed and searched from many handlers at once; fold
// must give each its own answer (run with -race to see a shared state).
func TestFoldConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in, want := "Café Überweisung", "cafe uberweisung"
			if i%2 == 1 {
				in, want = "Ñandú São Paulo", "nandu sao paulo"
			}
			for range 200 {
				if got := fold(in); got != want {
					t.Errorf("fold(%q) = %q, want %q", in, got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}
