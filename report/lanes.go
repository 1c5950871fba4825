package report

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// laneItem is a span to place on a lane of a timeline track group.
type laneItem struct {
	start, end int64
	id, parent [8]byte
}

// assignLanes places items (the spans of one process) on lanes so that the
// spans of each lane are perfectly nested, as Perfetto and chrome://tracing
// require of one track: a span shares its parent's lane while nothing else
// is open under the parent, and otherwise takes the lowest free lane.
// Unrelated spans never nest. It returns the lane of each item, its depth in
// its lane (0 for the outermost span) and the number of lanes.
func assignLanes(items []laneItem) (lane, depth []int, lanes int) {
	var s laneScratch
	return s.assign(items)
}

// laneScratch is assignLanes' memory, kept from one group of spans to the
// next by the streaming layout (which lays out a group of some 100 spans
// per trace). After assign, order holds the items in the order they were
// placed: by start, the longer first, parents before their children.
type laneScratch struct {
	order, lane, depth []int
	ids                idIndex
	stacks             [][]int // per lane: the open spans, outermost first
	busy               laneHeap
	free               intHeap
}

func (s *laneScratch) assign(items []laneItem) (lane, depth []int, lanes int) {
	order := s.order[:0]
	for i := range items {
		order = append(order, i)
	}
	s.order = order
	slices.SortFunc(order, func(a, b int) int {
		x, y := &items[a], &items[b]
		switch {
		case x.start != y.start:
			return cmp64(x.start, y.start)
		case x.end != y.end:
			return cmp64(y.end, x.end) // longer first: parents before children
		case x.id == y.parent:
			return -1
		case y.id == x.parent:
			return 1
		}
		return a - b
	})
	lane = slices.Grow(s.lane[:0], len(items))[:len(items)]
	depth = slices.Grow(s.depth[:0], len(items))[:len(items)]
	s.lane, s.depth = lane, depth
	byID := &s.ids
	byID.reset(len(items))
	stacks := s.stacks[:0]
	busy, free := &s.busy, &s.free
	*busy, *free = (*busy)[:0], (*free)[:0]
	for _, i := range order {
		it := &items[i]
		// Lanes whose outermost span has ended are free again.
		for len(*busy) > 0 && (*busy)[0].until <= it.start {
			l := busy.pop().lane
			stacks[l] = stacks[l][:0]
			free.push(l)
		}
		placed := false
		if it.parent != [8]byte{} {
			if p, ok := byID.get(it.parent); ok {
				l := lane[p]
				st := stacks[l]
				for len(st) > 0 && items[st[len(st)-1]].end <= it.start && st[len(st)-1] != p {
					st = st[:len(st)-1]
				}
				stacks[l] = st
				if len(st) > 0 && st[len(st)-1] == p && it.end <= items[p].end {
					lane[i] = l
					depth[i] = len(st)
					stacks[l] = append(st, i)
					placed = true
				}
			}
		}
		if !placed {
			var l int
			if len(*free) > 0 {
				l = free.pop()
			} else {
				l = len(stacks)
				if len(stacks) < cap(stacks) {
					stacks = stacks[:l+1] // its old stack's memory
				} else {
					stacks = append(stacks, nil)
				}
			}
			lane[i] = l
			depth[i] = 0
			stacks[l] = append(stacks[l][:0], i)
			busy.push(laneUntil{it.end, l})
		}
		byID.putFirst(it.id, i)
	}
	s.stacks = stacks
	return lane, depth, len(stacks)
}

// idIndex maps span ids to item indexes (the first item of each id), an
// open-addressing table that is cleared in time proportional to the items
// it is sized for, not to the largest group it ever held.
type idIndex struct {
	slots []idSlot
	shift uint
}

type idSlot struct {
	id [8]byte
	i  int32 // item index + 1; 0: empty
}

// reset empties the index and sizes it for n ids (at most half full).
func (x *idIndex) reset(n int) {
	size := 8
	for size < 2*n {
		size *= 2
	}
	if size > len(x.slots) || size < len(x.slots)/8 {
		x.slots = make([]idSlot, size)
	} else {
		size = len(x.slots)
		clear(x.slots)
	}
	x.shift = uint(64 - bits.TrailingZeros(uint(size)))
}

func (x *idIndex) slot(id [8]byte) int {
	return int((binary.LittleEndian.Uint64(id[:]) * 0x9e3779b97f4a7c15) >> x.shift)
}

func (x *idIndex) get(id [8]byte) (int, bool) {
	mask := len(x.slots) - 1
	for j := x.slot(id); ; j = (j + 1) & mask {
		s := &x.slots[j]
		if s.i == 0 {
			return 0, false
		}
		if s.id == id {
			return int(s.i - 1), true
		}
	}
}

// putFirst files i under id unless id is there already.
func (x *idIndex) putFirst(id [8]byte, i int) {
	mask := len(x.slots) - 1
	for j := x.slot(id); ; j = (j + 1) & mask {
		s := &x.slots[j]
		if s.i == 0 {
			s.id, s.i = id, int32(i+1)
			return
		}
		if s.id == id {
			return
		}
	}
}

func cmp64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// laneUntil is a busy lane and when its outermost span ends.
type laneUntil struct {
	until int64
	lane  int
}

// laneHeap is a min-heap of busy lanes, by end then lane.
type laneHeap []laneUntil

func (h laneHeap) less(i, j int) bool {
	if h[i].until != h[j].until {
		return h[i].until < h[j].until
	}
	return h[i].lane < h[j].lane
}

func (h *laneHeap) push(x laneUntil) {
	*h = append(*h, x)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if !a.less(i, p) {
			break
		}
		a[i], a[p] = a[p], a[i]
		i = p
	}
}

func (h *laneHeap) pop() laneUntil {
	a := *h
	top := a[0]
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	for i := 0; ; {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && a.less(c+1, c) {
			c++
		}
		if !a.less(c, i) {
			break
		}
		a[i], a[c] = a[c], a[i]
		i = c
	}
	*h = a
	return top
}

// intHeap is a min-heap of free lanes.
type intHeap []int

func (h *intHeap) push(x int) {
	*h = append(*h, x)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if a[p] <= a[i] {
			break
		}
		a[i], a[p] = a[p], a[i]
		i = p
	}
}

func (h *intHeap) pop() int {
	a := *h
	top := a[0]
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	for i := 0; ; {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && a[c+1] < a[c] {
			c++
		}
		if a[i] <= a[c] {
			break
		}
		a[i], a[c] = a[c], a[i]
		i = c
	}
	*h = a
	return top
}

// laneSet is the lanes of one process's track group as a streaming layout
// fills them: for each lane, the end of the last span placed on it. A run of
// spans fits on a lane whose last end is at or before the run's start, so
// every lane's spans are placed in time order and never overlap across
// runs. Its memory is the number of lanes, not of spans.
type laneSet struct {
	last []int64 // per lane
	min  []int64 // segment tree over last (leaves from len(min)/2), for the lowest fitting lane
}

// place puts a run [start, end] on the lowest lane free by start, a new one
// if none is, and returns its index.
func (ls *laneSet) place(start, end int64) int {
	l := ls.lowestFree(start)
	if l < 0 {
		l = len(ls.last)
		ls.last = append(ls.last, 0)
		if 2*len(ls.last) > len(ls.min) {
			ls.grow()
		}
	}
	ls.last[l] = end
	i := len(ls.min)/2 + l
	ls.min[i] = end
	for i > 1 {
		i /= 2
		ls.min[i] = min(ls.min[2*i], ls.min[2*i+1])
	}
	return l
}

// lowestFree returns the lowest lane whose last end is ≤ start, or -1.
func (ls *laneSet) lowestFree(start int64) int {
	if len(ls.min) == 0 || ls.min[1] > start {
		return -1
	}
	i := 1
	for i < len(ls.min)/2 {
		if ls.min[2*i] <= start {
			i = 2 * i
		} else {
			i = 2*i + 1
		}
	}
	return i - len(ls.min)/2
}

// grow doubles the tree's leaves; unused leaves never fit (MaxInt64).
func (ls *laneSet) grow() {
	n := max(4, len(ls.min)/2*2)
	ls.min = make([]int64, 2*n)
	for i := range n {
		ls.min[n+i] = 1<<63 - 1
		if i < len(ls.last) {
			ls.min[n+i] = ls.last[i]
		}
	}
	for i := n - 1; i >= 1; i-- {
		ls.min[i] = min(ls.min[2*i], ls.min[2*i+1])
	}
}
