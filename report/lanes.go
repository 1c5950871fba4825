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
