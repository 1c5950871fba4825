package report

import (
	"slices"
)

// The html page's run timeline: the whole run on one zoomable timeline,
// one track per process, at levels of detail. Pass 1 places every span on
// the buckets of its process's track as the aggregators see it (self time
// known): spans started, the time of traces in flight (root spans'
// overlap: busy / width is their mean concurrency) and the names with the
// most self time, in a fixed number of buckets whose width doubles as the
// run turns out longer (the extent is not known before the end). The page
// gets the finest level and its coarser ones (pairs summed), as many as fit
// its bounds, and, for each finest bucket, its longest root span, which it
// draws as a real span once zoomed in that far (with the slowest traces'
// spans, which the page holds anyway).

// Bounds of the run timeline, whatever the input.
const (
	rtBuckets   = 1 << 14 // finest buckets per track and aggregator
	rtMaxTracks = 16      // processes with a track of their own; the rest share one
	rtTopNames  = 4       // names tallied per bucket for the dominant one
	rtMaxEmit   = 250_000 // non-empty buckets on the page, every level and track
	rtMaxRoots  = 20_000  // longest root spans on the page, in all
	rtCoarsest  = 512     // the coarsest level has at most this many buckets
	rtOtherPid  = -1      // the track of the processes past rtMaxTracks
)

// rtName is a name's self time in a bucket.
type rtName struct {
	name string
	self int64
}

// rtRoot is a root span, for drawing.
type rtRoot struct {
	start, dur int64
	name       string
}

// rtBucket is what a bucket of a track holds.
type rtBucket struct {
	count int64 // spans that start in it
	self  int64 // their self time
	busy  int64 // nanoseconds of root spans in it (full coverage pending in rtTrack.cover)
	top   [rtTopNames]rtName
	ntop  int
	slow  rtRoot // the longest root span that starts in it
}

// addName tallies name's self time: exact for the first rtTopNames names,
// beyond them the one with the least gives its slot up and the newcomer
// inherits its count (the space-saving sketch), so that a name with most of
// the bucket's self time stays on top.
func (b *rtBucket) addName(name string, self int64) {
	for i := range b.ntop {
		if b.top[i].name == name {
			b.top[i].self += self
			return
		}
	}
	if b.ntop < rtTopNames {
		b.top[b.ntop] = rtName{name, self}
		b.ntop++
		return
	}
	m := 0
	for i := range b.top {
		if b.top[i].self < b.top[m].self {
			m = i
		}
	}
	b.top[m] = rtName{name, b.top[m].self + self}
}

// merge adds o into b.
func (b *rtBucket) merge(o *rtBucket) {
	b.count += o.count
	b.self += o.self
	b.busy += o.busy
	for _, n := range o.top[:o.ntop] {
		b.addName(n.name, n.self)
	}
	if o.slow.dur > b.slow.dur || b.slow.name == "" && o.slow.name != "" {
		b.slow = o.slow
	}
}

// dominant returns the name with the most self time, and that time.
func (b *rtBucket) dominant() (string, int64) {
	var best rtName
	for _, n := range b.top[:b.ntop] {
		if n.self > best.self {
			best = n
		}
	}
	return best.name, best.self
}

// rtTrack is one process's buckets: bucket i covers absolute index base+i,
// the time [(base+i)<<shift, (base+i+1)<<shift).
type rtTrack struct {
	pid    int
	shift  uint
	base   int64
	lo, hi int64 // the absolute indexes used, when used
	used   bool
	b      []rtBucket
	cover  []int64 // difference array: root spans covering bucket i whole
	dirty  bool    // cover holds something
}

func newRTTrack(pid int) *rtTrack {
	return &rtTrack{pid: pid, b: make([]rtBucket, rtBuckets), cover: make([]int64, rtBuckets+1)}
}

// add places a span on the track.
func (t *rtTrack) add(start, dur int64, name string, self int64, root bool) {
	end := start + max(dur, 0)
	a0, a1 := start>>t.shift, max(end-1, start)>>t.shift
	if !t.used || a0 < t.base || a1 >= t.base+rtBuckets {
		t.fit(a0, a1)
		a0, a1 = start>>t.shift, max(end-1, start)>>t.shift
	}
	if !t.used {
		t.lo, t.hi, t.used = a0, a1, true
	}
	t.lo, t.hi = min(t.lo, a0), max(t.hi, a1)
	b := &t.b[a0-t.base]
	b.count++
	b.self += max(self, 0)
	b.addName(name, max(self, 0))
	if !root {
		return
	}
	if dur > b.slow.dur || b.slow.name == "" {
		b.slow = rtRoot{start, dur, name}
	}
	if a0 == a1 {
		b.busy += end - start
		return
	}
	b.busy += (a0+1)<<t.shift - start
	t.b[a1-t.base].busy += end - a1<<t.shift
	if a1-a0 > 1 {
		t.cover[a0+1-t.base]++
		t.cover[a1-t.base]--
		t.dirty = true
	}
}

// flush moves the whole-bucket coverage into busy.
func (t *rtTrack) flush() {
	if !t.dirty {
		return
	}
	var c int64
	w := int64(1) << t.shift
	for i := range t.b {
		c += t.cover[i]
		t.b[i].busy += c * w
	}
	clear(t.cover)
	t.dirty = false
}

// fit makes room for the absolute indexes a0..a1 (at the current shift):
// when they fall outside the buckets, the range used and theirs are
// coarsened until they take at most half, and centred.
func (t *rtTrack) fit(a0, a1 int64) {
	lo, hi := a0, a1
	if t.used {
		lo, hi = min(lo, t.lo), max(hi, t.hi)
	}
	shift := t.shift
	for hi-lo+1 > rtBuckets/2 {
		shift++
		lo, hi = lo>>1, hi>>1
	}
	t.rebuild(shift, lo-(rtBuckets-(hi-lo+1))/2)
}

// rebuild moves the buckets to shift (not below the current one) and base.
func (t *rtTrack) rebuild(shift uint, base int64) {
	t.flush()
	old, oldBase, k := t.b, t.base, shift-t.shift
	lo, hi := t.lo, t.hi
	t.b = make([]rtBucket, rtBuckets)
	t.shift, t.base = shift, base
	if !t.used {
		return
	}
	for a := lo; a <= hi; a++ {
		if o := &old[a-oldBase]; o.count > 0 || o.busy > 0 {
			t.b[a>>k-base].merge(o)
		}
	}
	t.lo, t.hi = lo>>k, hi>>k
}

// absorb adds track o (of the same process, another aggregator's) into t.
func (t *rtTrack) absorb(o *rtTrack) {
	if !o.used {
		return
	}
	o.flush()
	shift := max(t.shift, o.shift)
	lo, hi := o.lo>>(shift-o.shift), o.hi>>(shift-o.shift)
	if t.used {
		lo, hi = min(lo, t.lo>>(shift-t.shift)), max(hi, t.hi>>(shift-t.shift))
	}
	for hi-lo+1 > rtBuckets {
		shift++
		lo, hi = lo>>1, hi>>1
	}
	if !t.used {
		t.shift = shift
	}
	t.rebuild(shift, lo)
	k := shift - o.shift
	for a := o.lo; a <= o.hi; a++ {
		if b := &o.b[a-o.base]; b.count > 0 || b.busy > 0 {
			t.b[a>>k-t.base].merge(b)
		}
	}
	t.lo, t.hi, t.used = lo, hi, true
}

// runTimeline is one aggregator's tracks.
type runTimeline struct {
	tracks  []*rtTrack // in order of first span
	lastPid int
	last    *rtTrack
}

// add places a span (hotspot.OnSpan) on its process's track.
func (r *runTimeline) add(pid int, start, dur int64, name string, self int64, root bool) {
	if r.last == nil || pid != r.lastPid {
		r.last, r.lastPid = r.track(pid), pid
	}
	r.last.add(start, dur, name, self, root)
}

// track returns pid's track, or the shared one past rtMaxTracks.
func (r *runTimeline) track(pid int) *rtTrack {
	for _, t := range r.tracks {
		if t.pid == pid {
			return t
		}
	}
	if len(r.tracks) >= rtMaxTracks {
		pid = rtOtherPid
		for _, t := range r.tracks {
			if t.pid == pid {
				return t
			}
		}
	}
	t := newRTTrack(pid)
	r.tracks = append(r.tracks, t)
	return t
}

// merge adds o's tracks into r's.
func (r *runTimeline) merge(o *runTimeline) {
	for _, ot := range o.tracks {
		r.track(ot.pid).absorb(ot)
	}
	r.last = nil
}

// htmlRun is the run timeline as the page reads it. Times are nanoseconds
// from the summary's start. Level 0 is the finest; in level k a bucket i
// covers [First + i*Width, First + (i+1)*Width).
type htmlRun struct {
	Tracks []htmlRunTrack `json:"tracks"`
	Levels []htmlRunLevel `json:"levels"`
	// Cut says finer levels were left out to keep the page bounded.
	Cut bool `json:"cut"`
}

type htmlRunTrack struct {
	Pid int `json:"pid"` // -1: the processes past the first 16
	// Roots are the longest root span of each finest bucket, as
	// [start, dur, name] (the longest rtMaxRoots of them in all).
	Roots [][3]int64 `json:"roots"`
}

type htmlRunLevel struct {
	First int64 `json:"first"`
	Width int64 `json:"width"`
	// Buckets holds per track the non-empty buckets, six numbers each:
	// index, spans started, busy ns (root spans), self ns, dominant
	// name, its self ns.
	Buckets [][]int64 `json:"buckets"`
}

// export lays the tracks out on common levels for the page; start is the
// summary's start.
func (r *runTimeline) export(start int64, nt *nameTable) *htmlRun {
	out := &htmlRun{Tracks: []htmlRunTrack{}, Levels: []htmlRunLevel{}}
	var tracks []*rtTrack
	for _, t := range r.tracks {
		if t.used {
			t.flush()
			tracks = append(tracks, t)
		}
	}
	if len(tracks) == 0 {
		return out
	}
	slices.SortFunc(tracks, func(a, b *rtTrack) int { return rtPidOrder(a.pid) - rtPidOrder(b.pid) })
	// A common finest shift and range.
	shift := uint(0)
	for _, t := range tracks {
		shift = max(shift, t.shift)
	}
	lo, hi := int64(1)<<62, int64(-1)<<62
	for _, t := range tracks {
		lo, hi = min(lo, t.lo>>(shift-t.shift)), max(hi, t.hi>>(shift-t.shift))
	}
	// levels[k][track] are the buckets at shift+k, by index from lo>>k.
	type level map[int64]*rtBucket
	var levels [][]level
	cur := make([]level, len(tracks))
	for i, t := range tracks {
		cur[i] = level{}
		k := shift - t.shift
		for a := t.lo; a <= t.hi; a++ {
			if b := &t.b[a-t.base]; b.count > 0 || b.busy > 0 {
				j := a>>k - lo
				if cur[i][j] == nil {
					cur[i][j] = &rtBucket{}
				}
				cur[i][j].merge(b)
			}
		}
	}
	levels = append(levels, cur)
	for n := hi - lo + 1; n > rtCoarsest; n = (n + 1) / 2 {
		k := uint(len(levels))
		prev, next := levels[len(levels)-1], make([]level, len(tracks))
		for i := range prev {
			next[i] = level{}
			for j, b := range prev[i] {
				// Index j at level k-1 is absolute (lo>>(k-1))+j.
				a := (lo>>(k-1) + j) >> 1
				nj := a - lo>>k
				if next[i][nj] == nil {
					next[i][nj] = &rtBucket{}
				}
				next[i][nj].merge(b)
			}
		}
		levels = append(levels, next)
	}
	// Leave out the finest levels past the bound (the coarsest stays).
	first := 0
	size := func(ls []level) (n int) {
		for _, l := range ls {
			n += len(l)
		}
		return n
	}
	total := 0
	for _, ls := range levels {
		total += size(ls)
	}
	for first < len(levels)-1 && total > rtMaxEmit {
		total -= size(levels[first])
		first++
		out.Cut = true
	}
	for k := first; k < len(levels); k++ {
		s := shift + uint(k)
		lv := htmlRunLevel{First: (lo>>uint(k))<<s - start, Width: int64(1) << s}
		for _, l := range levels[k] {
			idx := make([]int64, 0, len(l))
			for j := range l {
				idx = append(idx, j)
			}
			slices.Sort(idx)
			flat := make([]int64, 0, 6*len(idx))
			for _, j := range idx {
				b := l[j]
				name, self := b.dominant()
				dom := int64(-1)
				if self > 0 {
					dom = int64(nt.id(name))
				}
				flat = append(flat, j, b.count, b.busy, b.self, dom, self)
			}
			lv.Buckets = append(lv.Buckets, flat)
		}
		out.Levels = append(out.Levels, lv)
	}
	// The longest root span of each bucket of the finest level kept.
	type root struct {
		track int
		r     rtRoot
	}
	var roots []root
	for i := range tracks {
		for _, b := range levels[first][i] {
			if b.slow.name != "" {
				roots = append(roots, root{i, b.slow})
			}
		}
	}
	slices.SortFunc(roots, func(a, b root) int {
		if a.r.dur != b.r.dur {
			return cmp64(b.r.dur, a.r.dur)
		}
		return cmp64(a.r.start, b.r.start)
	})
	roots = roots[:min(len(roots), rtMaxRoots)]
	slices.SortFunc(roots, func(a, b root) int { return cmp64(a.r.start, b.r.start) })
	for _, t := range tracks {
		out.Tracks = append(out.Tracks, htmlRunTrack{Pid: t.pid, Roots: [][3]int64{}})
	}
	for _, rt := range roots {
		tr := &out.Tracks[rt.track]
		tr.Roots = append(tr.Roots, [3]int64{rt.r.start - start, rt.r.dur, int64(nt.id(rt.r.name))})
	}
	return out
}

// rtPidOrder sorts the shared track last.
func rtPidOrder(pid int) int {
	if pid == rtOtherPid {
		return 1 << 62
	}
	return pid
}
