package autotrace

// Bounds on the pending-span report, which walks the open-span stacks of
// the goroutine-local table: it visits at most maxPendingVisit spans and
// names at most maxPendingNames of them.
const (
	maxPendingVisit = 1 << 20
	maxPendingNames = 100
)

// pendingSpans counts the sampled spans started and never ended, and names
// some of them, one entry per span, innermost first on each goroutine. It
// reads each goroutine's stack of open spans from the goroutine-local
// table; spans that found no slot there are counted but cannot be named.
func pendingSpans() (count uint64, names []string) {
	if n := gls.untrackedStarted.Load() - gls.untrackedEnded.Load(); n > 0 {
		count = uint64(n)
	}
	visits := 0
	for j := range gls.keys {
		if k := gls.keys[j].Load(); k == 0 || k == glsFree {
			continue
		}
		for h := ref(gls.vals[j].Load()); visits < maxPendingVisit; visits++ {
			r := h.rec()
			if r == nil {
				break
			}
			if r.flags.Load()&(flagSampled|flagLink) == flagSampled {
				count++
				if len(names) < maxPendingNames {
					names = append(names, siteOfRec(r, extOf(h.idx())).name)
				}
			}
			h = ref(r.prev.Load())
		}
	}
	return count, names
}
