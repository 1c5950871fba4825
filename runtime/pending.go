package autotrace

// Bounds on the pending-span report, which walks the open-span stacks of
// the goroutine-local table: it visits at most maxPendingVisit spans and
// lists at most maxPendingNames of them (pending_count has them all).
const (
	maxPendingVisit = 1 << 16
	maxPendingNames = 100
)

// pendingNames lists the names of sampled spans still open, one entry per
// span, innermost first on each goroutine. Spans whose goroutine found no
// table slot are counted by the caller but cannot be named.
func pendingNames(pending uint64) []string {
	var names []string
	visits := 0
	for j := 0; j < glsSize && pending > 0 && len(names) < maxPendingNames; j++ {
		if gls.keys[j].Load() == 0 {
			continue
		}
		for s := gls.vals[j].Load(); s != nil && visits < maxPendingVisit && len(names) < maxPendingNames; s = s.prev {
			visits++
			if s.flags&flagSampled != 0 {
				names = append(names, s.name)
			}
		}
	}
	return names
}
