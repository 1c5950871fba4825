package report

import (
	"container/heap"
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
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
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
	lane = make([]int, len(items))
	depth = make([]int, len(items))
	byID := make(map[[8]byte]int, len(items))
	var stacks [][]int // per lane: the open spans, outermost first
	busy := &laneHeap{}
	free := &intHeap{}
	for _, i := range order {
		it := &items[i]
		// Lanes whose outermost span has ended are free again.
		for busy.Len() > 0 && (*busy)[0].until <= it.start {
			l := heap.Pop(busy).(laneUntil).lane
			stacks[l] = stacks[l][:0]
			heap.Push(free, l)
		}
		placed := false
		if p, ok := byID[it.parent]; ok && it.parent != [8]byte{} {
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
		if !placed {
			var l int
			if free.Len() > 0 {
				l = heap.Pop(free).(int)
			} else {
				l = len(stacks)
				stacks = append(stacks, nil)
			}
			lane[i] = l
			stacks[l] = append(stacks[l][:0], i)
			heap.Push(busy, laneUntil{it.end, l})
		}
		if _, dup := byID[it.id]; !dup {
			byID[it.id] = i
		}
	}
	return lane, depth, len(stacks)
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

type laneHeap []laneUntil

func (h laneHeap) Len() int { return len(h) }
func (h laneHeap) Less(i, j int) bool {
	if h[i].until != h[j].until {
		return h[i].until < h[j].until
	}
	return h[i].lane < h[j].lane
}
func (h laneHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *laneHeap) Push(x any)   { *h = append(*h, x.(laneUntil)) }
func (h *laneHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
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
