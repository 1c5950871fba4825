package report

// costHold keeps back the first spans of a process until its cost record
// arrives, so that a reader subtracts the recording cost from every span
// of the process (docs/trace-format.md) and not only from those written
// after the record. The runtime writes the record first but for the spans
// it must write at once while it calibrates (a root ending then, a panic,
// Flush), so only a few spans ever wait; the hold is bounded all the same:
// past holdMax spans, or at the end of the input, they count as measured.
type costHold struct {
	off    bool           // -raw, or the bound was reached: nothing is held
	costed map[int]bool   // pids whose cost record arrived
	held   []item         // spans of pids without one, in arrival order
	add    func(it *item) // accounts for a span

	// The last pid found in costed: spans come in runs of one process.
	lastPid    int
	lastCosted bool
}

// holdMax bounds the spans held; a trace without cost records (an old
// file, an execution-trace run) passes through after the first holdMax.
const holdMax = 1 << 16

// span accounts for it now or holds it until its process's cost arrives.
func (h *costHold) span(it *item) {
	if h.off || h.lastCosted && it.span.Pid == h.lastPid {
		h.add(it)
		return
	}
	if h.costed[it.span.Pid] {
		h.lastPid, h.lastCosted = it.span.Pid, true
		h.add(it)
		return
	}
	h.held = append(h.held, *it)
	if len(h.held) >= holdMax {
		h.release()
		h.off = true
	}
}

// cost records that pid's cost arrived (the caller has set it) and
// accounts for the spans of pid held so far.
func (h *costHold) cost(pid int) {
	if h.costed == nil {
		h.costed = make(map[int]bool)
	}
	h.costed[pid] = true
	kept := h.held[:0]
	for i := range h.held {
		if it := &h.held[i]; it.span.Pid == pid {
			h.add(it)
		} else {
			kept = append(kept, *it)
		}
	}
	clear(h.held[len(kept):])
	h.held = kept
}

// release accounts for every span still held, as measured.
func (h *costHold) release() {
	for i := range h.held {
		h.add(&h.held[i])
	}
	h.held = nil
}
