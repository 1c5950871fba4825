package autotrace

import "sync/atomic"

// With AUTOTRACE_SLOW, the open spans are also in a small lock-free table
// that the background goroutine scans after each flush, so that a span
// stuck past the threshold (a deadlock, a hung request) is snapshotted
// while it is still running, not only when it ends. A span that finds no
// slot near its home is only checked when it ends.
const (
	watchSize  = 1 << 12
	watchProbe = 8
)

// watched is what the scan needs of an open span. It is written before it
// is published in the table, and immutable after but for reported.
type watched struct {
	name     string
	trace    traceID
	begin    int64       // monoNow at the start
	reported atomic.Bool // a snapshot was asked for on its behalf
}

var watch [watchSize]atomic.Pointer[watched]

// watchAdd publishes w, keyed by the span id, and returns its slot, or -1
// when the slots near its home are taken.
func watchAdd(w *watched, id uint64) int32 {
	h := uint32(id)
	for i := uint32(0); i < watchProbe; i++ {
		j := (h + i) & (watchSize - 1)
		if watch[j].Load() == nil && watch[j].CompareAndSwap(nil, w) {
			return int32(j)
		}
	}
	return -1
}

// watchRemove takes w out of the table.
func watchRemove(slot int32, w *watched) {
	if slot >= 0 {
		watch[slot].CompareAndSwap(w, nil)
	}
}

// watchScan asks for a snapshot on behalf of an open span that has run for
// at least slow nanoseconds at now and has not had one yet.
func watchScan(now, slow int64) {
	for j := range watch {
		w := watch[j].Load()
		if w == nil || now-w.begin < slow || w.reported.Load() {
			continue
		}
		if requestSnapshot(w.name, w.trace) {
			w.reported.Store(true)
		}
		return // one request per scan: the rate limit allows no more
	}
}

// watchClear empties the table, for a new configuration.
func watchClear() {
	for j := range watch {
		watch[j].Store(nil)
	}
}
