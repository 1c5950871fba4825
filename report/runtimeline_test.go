package report

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// runSums returns per level the spans, busy and self time summed over
// every track's buckets.
func runSums(r *htmlRun) (counts, busy, self []int64) {
	for _, lv := range r.Levels {
		var c, b, s int64
		for _, flat := range lv.Buckets {
			for i := 0; i < len(flat); i += 6 {
				c, b, s = c+flat[i+1], b+flat[i+2], s+flat[i+3]
			}
		}
		counts, busy, self = append(counts, c), append(busy, b), append(self, s)
	}
	return
}

// TestRunTimelineKnownAnswers: 1000 requests of process 7 (a root [1000i,
// 1000i+500) with 300 ns of self time and a child of 200), one root of
// process 8 over the whole run, fed to one aggregator's timeline or split
// between two and merged: every level holds every span, the roots' time
// (busy) and the self time; the coarsest level names the root dominant;
// each level is twice as wide as the one before; the long root's busy
// time is spread over the buckets it covers, never more than a bucket's
// width in one.
func TestRunTimelineKnownAnswers(t *testing.T) {
	const n = 1000
	for _, split := range []int{1, 2} {
		tls := make([]*runTimeline, split)
		for i := range tls {
			tls[i] = &runTimeline{}
		}
		for i := range int64(n) {
			tl := tls[i%int64(split)]
			tl.add(7, 1000*i+100, 200, "child", 200, false)
			tl.add(7, 1000*i, 500, "root", 300, true)
		}
		tls[0].add(8, 0, 1000*n, "long", 1000*n, true)
		for _, o := range tls[1:] {
			tls[0].merge(o)
		}
		nt := &nameTable{idx: map[string]int{}}
		r := tls[0].export(0, nt)
		if len(r.Tracks) != 2 || r.Tracks[0].Pid != 7 || r.Tracks[1].Pid != 8 {
			t.Fatalf("split %d: tracks %+v", split, r.Tracks)
		}
		counts, busy, self := runSums(r)
		for k := range r.Levels {
			if counts[k] != 2*n+1 || busy[k] != n*500+1000*n || self[k] != n*500+1000*n {
				t.Errorf("split %d, level %d: spans %d busy %d self %d, want %d %d %d", split, k, counts[k], busy[k], self[k], 2*n+1, n*500+1000*n, n*500+1000*n)
			}
			if k > 0 && r.Levels[k].Width != 2*r.Levels[k-1].Width {
				t.Errorf("split %d: level %d is %d ns wide after %d", split, k, r.Levels[k].Width, r.Levels[k-1].Width)
			}
			for i := 0; i < len(r.Levels[k].Buckets[1]); i += 6 {
				if b := r.Levels[k].Buckets[1][i+2]; b > r.Levels[k].Width {
					t.Errorf("split %d, level %d: a bucket of the long root holds %d ns, wider than %d", split, k, b, r.Levels[k].Width)
				}
			}
		}
		last := r.Levels[len(r.Levels)-1].Buckets[0]
		if len(last) == 0 || nt.names[last[4]] != "root" {
			t.Errorf("split %d: coarsest level of process 7: %v, want root dominant", split, last)
		}
		if len(r.Levels) < 2 || len(r.Levels[len(r.Levels)-1].Buckets[0])/6 > rtCoarsest {
			t.Errorf("split %d: %d levels, the coarsest %d buckets", split, len(r.Levels), len(last)/6)
		}
		// The longest roots, one per finest bucket: 500 ns each for
		// process 7, all of the run for 8.
		if len(r.Tracks[0].Roots) == 0 || len(r.Tracks[1].Roots) != 1 || r.Tracks[1].Roots[0][1] != 1000*n {
			t.Errorf("split %d: roots %d and %v", split, len(r.Tracks[0].Roots), r.Tracks[1].Roots)
		}
		for _, rt := range r.Tracks[0].Roots {
			if rt[1] != 500 || rt[0]%1000 != 0 {
				t.Errorf("split %d: root %v, want one of the requests", split, rt)
			}
		}
	}
}

// TestRunTimelineBounded: 2 million spans of 20 processes over an hour, at
// random, make a bounded page: at most rtMaxEmit buckets and rtMaxRoots
// roots, 16 tracks and one for the rest, under 20 MB of JSON; every span
// is still counted at every level.
func TestRunTimelineBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("2M spans")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	tls := []*runTimeline{{}, {}}
	const n = 2_000_000
	names := []string{"a", "b", "c", "d", "e", "f"}
	for i := range n {
		start := rng.Int64N(3600e9)
		tls[i%2].add(1+rng.IntN(20), start, rng.Int64N(1e9), names[rng.IntN(len(names))], rng.Int64N(1e6), rng.IntN(3) == 0)
	}
	tls[0].merge(tls[1])
	r := tls[0].export(0, &nameTable{idx: map[string]int{}})
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	buckets, roots := 0, 0
	for _, lv := range r.Levels {
		for _, flat := range lv.Buckets {
			buckets += len(flat) / 6
		}
	}
	for _, tr := range r.Tracks {
		roots += len(tr.Roots)
	}
	if len(b) > 20<<20 || buckets > rtMaxEmit || roots > rtMaxRoots || len(r.Tracks) != rtMaxTracks+1 || r.Tracks[rtMaxTracks].Pid != rtOtherPid {
		t.Errorf("%d KB, %d buckets, %d roots, %d tracks", len(b)>>10, buckets, roots, len(r.Tracks))
	}
	counts, _, _ := runSums(r)
	for k, c := range counts {
		if c != n {
			t.Errorf("level %d holds %d spans, want %d", k, c, n)
		}
	}
	t.Logf("%d KB, %d levels, %d buckets, %d roots, cut %v", len(b)>>10, len(r.Levels), buckets, roots, r.Cut)
}
