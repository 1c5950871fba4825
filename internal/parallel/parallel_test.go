package parallel

import (
	"sync/atomic"
	"testing"
)

func TestFor(t *testing.T) {
	for _, tt := range []struct{ n, workers int }{{0, 0}, {1, 0}, {100, 0}, {100, 1}, {100, 8}, {3, 8}} {
		var calls [100]atomic.Int32
		var running, most atomic.Int32
		For(tt.n, tt.workers, func(i int) {
			r := running.Add(1)
			for m := most.Load(); r > m && !most.CompareAndSwap(m, r); m = most.Load() {
			}
			calls[i].Add(1)
			running.Add(-1)
		})
		for i := range calls {
			if want := int32(0); i < tt.n {
				want = 1
				if calls[i].Load() != want {
					t.Errorf("For(%d, %d): f(%d) called %d times", tt.n, tt.workers, i, calls[i].Load())
				}
			} else if calls[i].Load() != want {
				t.Errorf("For(%d, %d): f(%d) called", tt.n, tt.workers, i)
			}
		}
		if tt.workers > 0 && most.Load() > int32(tt.workers) {
			t.Errorf("For(%d, %d): %d calls at once", tt.n, tt.workers, most.Load())
		}
	}
}
